"""The program that runs a learner's notebook INSIDE the sandbox; it never decides a score.

It reads requests from the grader on stdin and answers on stdout (``protocol``), after moving its
own stdin, stdout and stderr to /dev/null so that nothing the learner prints can reach the grader:

- ``RunCell``: run one code cell in an IPython shell (magics work), with a wall-time limit; answer
  with the error, if any, the first kilobytes of what the cell printed and the figures it drew;
- ``CallFunction``: look up the learner's function by name and call it on one case through
  ``cnnlib.checks.call`` (cnnlib's answers switched off); answer with the ``Outcome`` as plain
  data (arrays and numbers), never the learner's objects, or ``NotCalled`` with why;
- ``Audit``: what the learner's code did that a notebook has no reason to do: names it replaced
  in cnnlib (the checks included), numpy, builtins and pyplot, IPython hooks, files opened outside
  its folder, processes or sockets it tried to open.

Before any learner code runs, cnnlib's own answers to the lesson's exercises are sealed
(``cnnlib.guard.Seal``, turned on around each call), so no patching of ``cnnlib.guard`` or of the
checks can bring them back; a reload of cnnlib's modules is refused. The grader judges every
outcome itself (``cnnlib.checks.run_check``), with the reference, in its own process.

Run as ``python child.py`` with ``protocol.py`` beside it (the sandbox binds just these two files).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import time

# Imported before any learner code runs (see where they are imported).
# What a lesson that loads the digits or the faces preloads (``Hello.preload``): scikit-learn
# takes a second to import, so the other lessons' children go without it.
PRELOADED = ("sklearn.datasets", "sklearn.model_selection", "skimage.data")
DATA_LOADERS = ("load_digits", "load_faces")  # cnnlib.data's functions that import scikit-learn


class CellTimeout(BaseException):
    """Raised in the learner's code when a cell or a call runs past its time (not an Exception,
    so ``except Exception`` in the learner's code does not swallow it)."""


class _Capped:
    """A text stream that keeps the first ``limit`` characters and counts the rest."""

    def __init__(self, limit: int) -> None:
        self.limit, self.parts, self.size, self.dropped = limit, [], 0, 0

    def write(self, text) -> int:
        text = str(text)
        room = self.limit - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        extra = f"\n... ({self.dropped} more characters not shown)" if self.dropped else ""
        return "".join(self.parts) + extra


def _alarm(signum, frame):
    raise CellTimeout("time limit reached")


class _Limit:
    """Raise ``CellTimeout`` in the running code after ``seconds`` of wall time."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self):
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(self.seconds, 0.01))

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> int:
    # the protocol keeps private copies of stdin and stdout; the learner gets /dev/null
    channel_in = os.fdopen(os.dup(0), "rb", buffering=0)
    channel_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.set_inheritable(channel_in.fileno(), False)
    os.set_inheritable(channel_out.fileno(), False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full file is an error, not a death

    # protocol.py lies beside this file (the sandbox binds just the two): load it from there
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "protocol", os.path.join(os.path.dirname(os.path.abspath(__file__)), "protocol.py")
    )
    protocol = importlib.util.module_from_spec(spec)
    sys.modules["protocol"] = protocol  # its dataclasses look their module up while being made
    spec.loader.exec_module(protocol)

    hello = protocol.receive(channel_in, protocol.Hello)
    os.chdir(hello.workdir)

    import builtins
    import importlib
    import pkgutil

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import cnnlib
    from cnnlib import guard

    for info in pkgutil.walk_packages(cnnlib.__path__, "cnnlib."):
        if info.name != "cnnlib.widgets":  # ipywidgets: slow to import, never graded
            importlib.import_module(info.name)
    # The course's data libraries, before the watch starts: scikit-learn's first import reads
    # /proc/stat (psutil, through joblib) and sets asyncio's coroutine code, which the audit would
    # otherwise report as the notebook's doing when a lesson loads the digits.
    for name in hello.preload:
        importlib.import_module(name)
    from cnnlib import checks

    lesson_exercises = checks.exercises(hello.lesson)
    # made before any learner code runs, and held here only
    seals = {e.name: guard.Seal(e.blocked, e.name, e.free_from) for e in lesson_exercises.values()}
    protected = {id(f) for seal in seals.values() for f in seal.protected}

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="NoColor", xmode="Minimal", history_length=0)
    shell.history_manager.enabled = False
    shown: list[str] = []  # images the running cell displayed, base64 PNG
    _capture_displays(shell, shown)
    base_transformers = len(shell.input_transformers_cleanup) + len(shell.input_transformers_post)

    watched = {name: m for name, m in sys.modules.items() if name == "cnnlib" or name.startswith("cnnlib.")}
    watched.update(numpy=np, builtins=builtins, **{"matplotlib.pyplot": plt})
    snapshot = _state(watched)
    library_files = {os.path.realpath(m.__file__) for m in watched.values() if getattr(m, "__file__", None)}
    events: list[str] = []
    _install_audit(events, hello.workdir, library_files, protected)

    earlier: dict = {}  # (exercise, function) -> checks.failing_earlier, until the next cell runs
    protocol.send(channel_out, protocol.Ready(os.getpid()))
    while True:
        try:
            message = protocol.receive(channel_in, protocol.RunCell, protocol.CallFunction, protocol.Audit)
        except EOFError:
            return 0
        if isinstance(message, protocol.RunCell):
            earlier.clear()  # a cell may redefine the learner's functions
            reply = _run_cell(shell, message, plt, shown, protocol)
        elif isinstance(message, protocol.CallFunction):
            reply = _call(shell, message, lesson_exercises, seals, checks, protocol, earlier)
        else:
            now = _state(watched)
            patched = sorted(key for key, value in snapshot.items() if key in now and now[key] is not value)
            hooks = len(shell.input_transformers_cleanup) + len(shell.input_transformers_post)
            reply = protocol.AuditReport(tuple(patched), hooks - base_transformers, tuple(events[:50]))
        protocol.send_packed(channel_out, _packed(reply, protocol, checks))


def _packed(reply, protocol, checks) -> bytes:
    """The reply's frame, encoded once; a returned value that is not plain data after all (a
    numpy string, say) is sent as an ``Opaque`` in its place."""
    try:
        return protocol.pack(reply)
    except (protocol.ProtocolError, RecursionError):
        if isinstance(reply, protocol.Called) and isinstance(reply.result, checks.Outcome):
            opaque = checks.Opaque(type(reply.result.value).__name__, "a value that is not plain data")
            return protocol.pack(protocol.Called(dataclasses.replace(reply.result, value=opaque)))
        raise


def _state(watched: dict) -> dict:
    """What the audit compares: every public name of the watched modules; of cnnlib's own modules
    (``cnnlib.checks`` included) also their private names, the attributes of the classes they
    define, the fields of the exercises and the code and defaults of their functions."""
    import types

    state = {}
    for name, module in watched.items():
        ours = name == "cnnlib" or name.startswith("cnnlib.")
        for key, value in list(vars(module).items()):
            if key.startswith("__") or (key.startswith("_") and not ours):
                continue
            state[f"{name}.{key}"] = value
            if not ours:
                continue
            if isinstance(value, type) and value.__module__ == name:
                for attribute, inner in list(vars(value).items()):
                    if attribute not in ("__dict__", "__weakref__", "__doc__", "__module__"):
                        state[f"{name}.{key}.{attribute}"] = inner
            elif isinstance(value, types.FunctionType) and value.__module__ == name:
                for attribute in ("__code__", "__defaults__", "__kwdefaults__"):
                    state[f"{name}.{key}.{attribute}"] = getattr(value, attribute)
            items = value if isinstance(value, (list, tuple)) else [value]
            for index, item in enumerate(items[:100]):
                if dataclasses.is_dataclass(item) and not isinstance(item, type):
                    label = f"{name}.{key}" + (f"[{index}]" if items is value else "")
                    for field in dataclasses.fields(item):
                        state[f"{label}.{field.name}"] = getattr(item, field.name)
    return state


_SWAPPING = [False]  # the audit hook lets the grader's own seals set a protected __code__


class _Sealed:
    """A seal turned on for the duration of a call, by the grader's own hand."""

    def __init__(self, seal) -> None:
        self.seal = seal

    def _set(self, on: bool) -> None:
        _SWAPPING[0] = True
        try:
            self.seal.on() if on else self.seal.off()
        finally:
            _SWAPPING[0] = False

    def __enter__(self):
        self._set(True)

    def __exit__(self, *exc):
        self._set(False)


def _install_audit(events: list[str], workdir: str, library_files: set[str], protected: set[int]) -> None:
    """Record (and for processes and sockets, refuse) what a notebook has no reason to do.

    A function's ``__code__`` may be set by the grader's seals (``_SWAPPING``) and by cnnlib's
    guard (it swaps other libraries' functions for refusals), never on a sealed answer's function
    by anyone but the seal, and never by the learner's code.
    """
    allowed = (os.path.realpath(workdir), "/tmp", "/dev/null", "/proc/self")
    guard_file = next((f for f in library_files if f.endswith(os.path.join("cnnlib", "guard.py"))), "")
    readable = (*tuple(p for p in sys.path if p), sys.prefix, sys.base_prefix, "/usr", "/etc")
    refuse = (
        "os.fork",
        "os.forkpty",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "subprocess.Popen",
        "pty.spawn",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
    )

    def hook(event, args):
        if event == "open":
            path, mode = args[0], args[1]
            if not isinstance(path, str):
                return
            real = os.path.realpath(path)
            writing = isinstance(mode, str) and any(c in mode for c in "wax+")
            if isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                writing = True
            if real.startswith(allowed):
                return
            if writing or not real.startswith(readable):
                note = f"{'wrote' if writing else 'read'} {path}"
                if note not in events:
                    events.append(note)
        elif event.startswith(refuse):
            events.append(f"refused {event}")
            raise PermissionError(f"{event} is not allowed while a notebook is graded")
        elif event == "compile" and len(args) > 1 and isinstance(args[1], str):
            if os.path.realpath(args[1]) in library_files:
                events.append(f"refused compiling code as {args[1]}")
                raise PermissionError("code cannot pose as cnnlib's while a notebook is graded")
        elif event == "exec" and args and getattr(args[0], "co_filename", None):
            if os.path.realpath(args[0].co_filename) in library_files:
                events.append(f"refused re-running {args[0].co_filename}")
                raise PermissionError("reloading cnnlib is not allowed while a notebook is graded")
        elif event == "object.__setattr__" and len(args) > 1 and args[1] == "__code__":
            caller = sys._getframe(1).f_code.co_filename
            by_guard = os.path.realpath(caller) == guard_file and id(args[0]) not in protected
            if not _SWAPPING[0] and not by_guard:
                events.append(f"refused setting __code__ of {getattr(args[0], '__qualname__', '?')}")
                raise PermissionError("replacing a function's code is not allowed while a notebook is graded")
        elif event.startswith("ctypes.dlopen"):
            events.append(f"{event} {args[0] if args else ''}")

    sys.addaudithook(hook)


MAX_IMAGES = 8  # per cell, in the feedback
MAX_IMAGE_BYTES = 600_000  # base64 characters of one image


def _as_base64(png) -> str | None:
    """A PNG given as bytes or as base64 text, as base64 text; None for anything else."""
    import base64

    if isinstance(png, (bytes, bytearray)):
        return base64.b64encode(bytes(png)).decode("ascii")
    return png if isinstance(png, str) else None


def _capture_displays(shell, shown: list[str]) -> None:
    """Keep the images a cell displays (``display(...)``, a last expression with a PNG form such
    as a widget's still picture) in ``shown``; text forms go to the cell's output as before."""

    def publish(data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        png = _as_base64(data.get("image/png"))
        if png is not None:
            shown.append(png)
        elif data.get("text/plain"):
            print(data["text/plain"])

    original = shell.displayhook.write_format_data

    def write_format_data(format_dict, md_dict=None):
        png = _as_base64(format_dict.get("image/png"))
        if png is not None:
            shown.append(png)
        else:
            original(format_dict, md_dict)

    shell.display_pub.publish = publish
    shell.displayhook.write_format_data = write_format_data


def _figures(plt, shown: list[str], dpi: float) -> list[str]:
    """The cell's images: those it displayed, then every matplotlib figure still open (drawn at
    ``dpi``), at most ``MAX_IMAGES``; one too large is left out."""
    import base64
    import io

    images = list(shown)
    for number in plt.get_fignums():
        if len(images) >= MAX_IMAGES:
            break
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", dpi=dpi)
        images.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    return [image for image in images[:MAX_IMAGES] if len(image) <= MAX_IMAGE_BYTES]


def _run_cell(shell, message, plt, shown: list[str], protocol):
    from cnnlib.checks import Raised

    out, err = _Capped(message.limit), _Capped(message.limit)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    start = time.perf_counter()
    error = None
    try:
        with _Limit(message.timeout):
            result = shell.run_cell(message.source, store_history=False)
        failure = result.error_before_exec or result.error_in_exec
        if failure is not None:
            error = Raised(type(failure).__name__, str(failure)[:2000])
    except CellTimeout:
        error = Raised("CellTimeout", "time limit reached")
    except BaseException as failure:  # the shell itself failed
        error = Raised(type(failure).__name__, str(failure)[:2000])
    finally:
        sys.stdout, sys.stderr = saved
    images: list[str] = []
    try:
        if message.figures:
            with _Limit(message.timeout):
                images = _figures(plt, shown, message.dpi)
    except BaseException:  # a figure that cannot be drawn is not shown
        images = []
    try:
        shown.clear()
        plt.close("all")  # free the figures' memory
    except Exception:
        pass
    return protocol.CellDone(error, out.text(), err.text(), time.perf_counter() - start, tuple(images))


def _call(shell, message, lesson_exercises, seals, checks, protocol, earlier: dict):
    """Call the learner's function on the case, sealed and timed: ``Called`` with the outcome."""
    exercise = lesson_exercises.get(message.exercise)
    if exercise is None:
        return protocol.Called(checks.NotCalled("unreadable", f"no exercise {message.exercise!r} here"))
    function = shell.user_ns.get(message.function)
    if function is None:
        return protocol.Called(checks.NotCalled("not_defined"))
    if not callable(function):
        return protocol.Called(checks.NotCalled("not_callable", checks.plain(function)))
    out = _Capped(2000)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, out
    try:
        with _Limit(message.timeout), _Sealed(seals[exercise.name]):
            outcome = checks.call(exercise, function, message.case)
            key = (exercise.name, message.function)
            if key not in earlier:  # once per check, not per case
                earlier[key] = checks.failing_earlier(exercise, function)
        if earlier[key]:
            outcome = dataclasses.replace(outcome, failing=earlier[key])
    except CellTimeout:
        return protocol.Called(checks.NotCalled("timeout", message.timeout))
    except BaseException as failure:  # SystemExit, KeyboardInterrupt, ... from the learner
        outcome = checks.Outcome(error=checks.Raised(type(failure).__name__, str(failure)[:2000]))
    finally:
        sys.stdout, sys.stderr = saved
    return protocol.Called(outcome)


if __name__ == "__main__":
    sys.exit(main())
