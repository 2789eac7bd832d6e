"""The program that runs a learner's notebook INSIDE the sandbox; it never decides a score.

It reads requests from the grader on stdin and answers on stdout (``protocol``), after moving its
own stdin, stdout and stderr to /dev/null so that nothing the learner prints can reach the grader:

- ``cell``: run one code cell in an IPython shell (magics work), with a wall-time limit; answer
  with the error, if any, and the first kilobytes of what the cell printed;
- ``call``: look up the learner's function by name and call it on one case through
  ``cnnlib.checks.runner.call`` (cnnlib's answers switched off); answer with the ``Outcome`` as
  plain data (arrays and numbers), never the learner's objects;
- ``audit``: what the learner's code did that a notebook has no reason to do: patched modules,
  IPython hooks, files opened outside its folder, processes or sockets it tried to open.

Before any learner code runs, cnnlib's own answers to the lesson's exercises are replaced inside
their guard by a function that refuses to run (with the check's usual message), so no patching
of ``cnnlib.guard`` or of the runner can bring them back; a reload of cnnlib's modules is refused.
The grader judges every outcome itself, with the reference, in its own process.

Run as ``python child.py`` with ``protocol.py`` beside it (the sandbox binds just these two files).
"""

from __future__ import annotations

import os
import signal
import sys
import time


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
    spec.loader.exec_module(protocol)

    hello = protocol.receive(channel_in)
    lesson, workdir = hello["lesson"], hello["workdir"]
    os.chdir(workdir)

    import builtins
    import importlib
    import pkgutil

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    import cnnlib
    from cnnlib import guard
    from cnnlib.checks import exercises
    from cnnlib.checks.runner import Opaque
    from cnnlib.checks.runner import call as runner_call

    for info in pkgutil.walk_packages(cnnlib.__path__, "cnnlib."):
        if info.name != "cnnlib.widgets":  # ipywidgets: slow to import, never graded
            importlib.import_module(info.name)
    lesson_exercises = exercises(lesson)
    swaps = _disarm_answers(lesson_exercises, guard)

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="NoColor", xmode="Minimal", history_length=0)
    shell.history_manager.enabled = False
    shown: list[str] = []  # images the running cell displayed, base64 PNG
    _capture_displays(shell, shown)
    base_transformers = len(shell.input_transformers_cleanup) + len(shell.input_transformers_post)

    watched = {name: m for name, m in sys.modules.items() if name == "cnnlib" or name.startswith("cnnlib.")}
    watched.update(numpy=np, builtins=builtins, **{"matplotlib.pyplot": plt})
    snapshot = {name: dict(vars(module)) for name, module in watched.items()}
    library_files = {os.path.realpath(m.__file__) for m in watched.values() if getattr(m, "__file__", None)}
    events: list[str] = []
    _install_audit(events, workdir, library_files)

    protocol.send(channel_out, {"ready": True, "pid": os.getpid()})
    while True:
        try:
            message = protocol.receive(channel_in)
        except EOFError:
            return 0
        op = message.get("op")
        if op == "cell":
            reply = _run_cell(shell, message, plt, shown)
        elif op == "call":
            reply = _call(shell, message, lesson_exercises, runner_call, protocol, Opaque, swaps)
        elif op == "audit":
            patched = []
            for name, module in watched.items():
                before = snapshot[name]
                for key, value in list(vars(module).items()):
                    if key.startswith("__") or (
                        key.startswith("_") and name != "cnnlib.guard" and not name.startswith("cnnlib")
                    ):
                        continue
                    if key in before and before[key] is not value:
                        patched.append(f"{name}.{key}")
            hooks = len(shell.input_transformers_cleanup) + len(shell.input_transformers_post)
            reply = {
                "patched": sorted(patched),
                "transformers": hooks - base_transformers,
                "events": events[:50],
            }
        else:
            return 0
        try:
            protocol.send(channel_out, reply)
        except protocol.ProtocolError as error:
            protocol.send(channel_out, {"error": ["ProtocolError", str(error), ""]})


def _disarm_answers(lesson_exercises, guard) -> dict:
    """For each exercise, how to switch cnnlib's answers to it off completely during a call.

    The guard already refuses them while a check runs, but the guard lives in the learner's
    process, where a cell could patch it. So during each call the answer's own code object is
    swapped for one that refuses (any reference the learner saved, under any name, then refuses
    too), and for an answer that is free under a condition the guard's wrapper gets a stub that
    checks the condition. Both are put back after the call, so the lesson's own cells can use
    cnnlib between checks as they do in Jupyter.
    """
    swaps: dict[str, list] = {}
    for exercise in lesson_exercises.values():
        for wrapper, condition in exercise.blocked.items():
            if isinstance(wrapper, str):  # another library's function: the guard swaps it itself
                continue
            code = wrapper.__code__
            if "function" not in code.co_freevars:
                continue
            cell = wrapper.__closure__[code.co_freevars.index("function")]
            original = cell.cell_contents
            with guard.blocked({wrapper: condition}, exercise.name, exercise.free_from):
                message = guard._blocked[wrapper][1]
            if condition is None and original.__code__.co_freevars == ():
                namespace: dict = {}
                exec(  # a function with no free variables whose code can replace the answer's
                    "def refused(*args, **kwargs):\n"
                    "    from cnnlib.guard import ShortcutError\n"
                    f"    raise ShortcutError({message!r})\n",
                    namespace,
                )
                swaps.setdefault(exercise.name, []).append(
                    (original, "__code__", original.__code__, namespace["refused"].__code__)
                )
            else:
                refusal = _refusal(original, condition, message, guard.ShortcutError)
                swaps.setdefault(exercise.name, []).append((cell, "cell_contents", original, refusal))
    return swaps


_SWAPPING = [False]  # the audit hook lets only the grader's own swaps set a __code__


class _Swapped:
    def __init__(self, swaps: list) -> None:
        self.swaps = swaps

    def _set(self, index: int) -> None:
        _SWAPPING[0] = True
        try:
            for swap in self.swaps:
                setattr(swap[0], swap[1], swap[index])
        finally:
            _SWAPPING[0] = False

    def __enter__(self):
        self._set(3)

    def __exit__(self, *exc):
        self._set(2)


def _refusal(original, condition, message, error):
    if condition is None:

        def refused(*args, **kwargs):
            raise error(message)

        return refused

    def refused_when(*args, **kwargs):
        if condition(*args, **kwargs):
            raise error(message)
        return original(*args, **kwargs)

    return refused_when


def _install_audit(events: list[str], workdir: str, library_files: set[str]) -> None:
    """Record (and for processes and sockets, refuse) what a notebook has no reason to do."""
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
            if not _SWAPPING[0] and os.path.realpath(caller) != guard_file:
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


def _run_cell(shell, message: dict, plt, shown: list[str]) -> dict:
    out, err = _Capped(int(message.get("limit", 8000))), _Capped(int(message.get("limit", 8000)))
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    start = time.perf_counter()
    error = None
    try:
        with _Limit(float(message["timeout"])):
            result = shell.run_cell(message["source"], store_history=False)
        failure = result.error_before_exec or result.error_in_exec
        if failure is not None:
            error = [type(failure).__name__, str(failure)[:2000], ""]
    except CellTimeout:
        error = ["CellTimeout", "time limit reached", ""]
    except BaseException as failure:  # the shell itself failed
        error = [type(failure).__name__, str(failure)[:2000], ""]
    finally:
        sys.stdout, sys.stderr = saved
    images: list[str] = []
    try:
        if message.get("figures"):
            with _Limit(float(message["timeout"])):
                images = _figures(plt, shown, float(message.get("dpi", 60)))
    except BaseException:  # a figure that cannot be drawn is not shown
        images = []
    try:
        shown.clear()
        plt.close("all")  # free the figures' memory
    except Exception:
        pass
    return {
        "error": error,
        "stdout": out.text(),
        "stderr": err.text(),
        "seconds": time.perf_counter() - start,
        "figures": images,
    }


def _call(shell, message: dict, lesson_exercises, runner_call, protocol, Opaque, swaps) -> dict:
    exercise = lesson_exercises.get(message["exercise"])
    if exercise is None:
        return {"missing": "exercise"}
    function = shell.user_ns.get(message["function"])
    if function is None:
        return {"missing": "function"}
    if not callable(function):
        return {"not_callable": type(function).__name__}
    case = protocol.case_from_plain(message["case"])
    out = _Capped(2000)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, out
    try:
        with _Limit(float(message["timeout"])), _Swapped(swaps.get(exercise.name, [])):
            outcome = runner_call(exercise, function, case)
    except CellTimeout:
        return {"timeout": True}
    except BaseException as failure:  # SystemExit, KeyboardInterrupt, ... from the learner
        return {
            "outcome": {
                "value": None,
                "error": [type(failure).__name__, str(failure)[:2000], ""],
                "changed": [],
                "shares": [],
                "seconds": 0.0,
            }
        }
    finally:
        sys.stdout, sys.stderr = saved
    plain = protocol.outcome_to_plain(outcome)
    try:
        protocol.encode(plain)
    except (protocol.ProtocolError, RecursionError):
        value = outcome.value
        plain["value"] = Opaque(type(value).__name__, "a value that is not plain data")
    return {"outcome": plain}


if __name__ == "__main__":
    sys.exit(main())
