"""Start the child that runs learner code: in bubblewrap when it is there, always with rlimits.

What the sandbox gives the learner's code (``bwrap``):

- an ordinary user (uid 1000 in a new user namespace) without capabilities, even when the grader
  runs as root;
- no network (a new, empty network namespace), no view of other processes (new PID namespace,
  killed with the grader), a new session (no terminal to inject keystrokes into);
- read-only: ``/usr``, the Python installation, the venv and cnnlib's own folder (for an editable
  install, only ``cnnlib/`` of the checkout: ``solutions/``, ``gradebook.db``, ``submitted/`` and
  the rest of the course stay invisible), matplotlib's font cache;
- read-write: a private copy of the one student's folder, and an empty ``/tmp`` in memory;
- limits (``setrlimit``, also without bwrap): address space, CPU seconds, file size, processes.

Without bwrap (``apt-get install bubblewrap``; a container without user namespaces may refuse it
too) the child still runs in a private copy of the folder with the same rlimits, no inherited
environment and the grader's audit of file access, but it can read anything the grader can and
reach the network: ``Sandbox.confined`` is False and the command prints a warning.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

from .limits import NBGRADER_CELL_SECONDS, Limits

__all__ = ["Sandbox", "bwrap_path", "bwrap_works", "scratch"]

HERE = Path(__file__).resolve().parent
CHILD_FILES = ("child.py", "protocol.py")
INSIDE = "/grading"  # where the child's two files appear in the sandbox
HOME = "/home/learner"


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@cache
def bwrap_works() -> bool:
    """Whether bwrap is installed and can make its namespaces here (as root or as a user)."""
    path = bwrap_path()
    if path is None:
        return False
    probe = [
        path,
        "--unshare-all",
        "--unshare-user",
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--",
        "/bin/true",
    ]
    try:
        return subprocess.run(probe, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _set_limits(limits: Limits):
    def apply() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_size, limits.file_size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.getuid() != 0:  # root is exempt from RLIMIT_NPROC; the PID namespace bounds it there
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))

    return apply


def _mounts() -> list[Path]:
    """Read-only folders the child needs: Python, the venv, cnnlib and the packages."""
    import cnnlib

    wanted = {Path(sys.prefix), Path(sys.base_prefix), Path(cnnlib.__file__).resolve().parent}
    wanted |= {Path(p) for p in sys.path if p and "site-packages" in p}
    try:
        import matplotlib

        wanted.add(Path(matplotlib.get_cachedir()))
    except Exception:
        pass
    folders = sorted({p.resolve() for p in wanted if p.exists()})
    # keep only the outermost of nested folders, and never /usr's own children twice
    kept: list[Path] = []
    for folder in folders:
        if str(folder).startswith("/usr/") or any(folder.is_relative_to(k) for k in kept):
            continue
        kept.append(folder)
    return kept


class Sandbox:
    """Runs one child for one submission; ``start(folder)`` returns the ``Popen``.

    Parameters
    ----------
    limits : Limits
        With the per-cell limit filled in (``Limits.for_course``); the child's rlimits come from it.
    use_bwrap : bool or None
        None: bwrap when it works here; False: the documented fallback (rlimits only).
    """

    def __init__(self, limits: Limits | None = None, use_bwrap: bool | None = None) -> None:
        self.limits = limits or Limits(cell_seconds=NBGRADER_CELL_SECONDS)
        self.confined = bwrap_works() if use_bwrap is None else (use_bwrap and bwrap_works())
        self._mounts = _mounts()
        import matplotlib

        self._mpl_cache = str(Path(matplotlib.get_cachedir()).resolve())
        # Python's own check of the font cache (imported here so the cache exists before any child)
        import matplotlib.font_manager

    def environment(self, tmp: str) -> dict[str, str]:
        import cnnlib

        env = {
            # the folder that holds the cnnlib being graded against, first: whatever finder the
            # install uses (an editable install's maps to the checkout), this cnnlib is imported
            "PYTHONPATH": str(Path(cnnlib.__file__).resolve().parent.parent),
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "HOME": f"{tmp}/home",
            "IPYTHONDIR": f"{tmp}/ipython",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": self._mpl_cache,
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "LANG": "C.UTF-8",
        }
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # this machine's BLAS needs them
            if name in os.environ:
                env[name] = os.environ[name]
        return env

    def command(self, workdir: str, tmp: str) -> tuple[list[str], str]:
        """The command line of the child and the folder it works in (as the child sees it)."""
        python = sys.executable
        if not self.confined:
            return [python, "-X", "utf8", str(Path(tmp) / "grading" / "child.py")], workdir
        inside_work = f"{HOME}/{Path(workdir).name}"
        args = [
            bwrap_path() or "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            # a user namespace with an ordinary uid: no capabilities inside, even when the
            # grader runs as root (without it bwrap leaves root's capabilities to the child)
            "--unshare-user",
            "--uid",
            "1000",
            "--gid",
            "1000",
            "--clearenv",
            "--hostname",
            "sandbox",
            "--ro-bind",
            "/usr",
            "/usr",
            "--symlink",
            "usr/lib",
            "/lib",
            "--symlink",
            "usr/lib64",
            "/lib64",
            "--symlink",
            "usr/bin",
            "/bin",
            "--symlink",
            "usr/sbin",
            "/sbin",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",
            "--dir",
            HOME,
            "--bind",
            workdir,
            inside_work,
            "--dir",
            INSIDE,
        ]
        for name in CHILD_FILES:
            args += ["--ro-bind", str(HERE / name), f"{INSIDE}/{name}"]
        for folder in self._mounts:
            args += ["--ro-bind", str(folder), str(folder)]
        for key, value in self.environment("/tmp").items():
            args += ["--setenv", key, value]
        args += ["--chdir", inside_work, "--", python, "-X", "utf8", f"{INSIDE}/child.py"]
        return args, inside_work

    def start(self, workdir: str, tmp: str) -> tuple[subprocess.Popen, str]:
        """Start the child on ``workdir`` (a private copy of the student's folder).

        ``tmp`` is a private scratch folder of the grader's; without bwrap it holds the child's
        home and its two program files.
        """
        if not self.confined:
            (Path(tmp) / "grading").mkdir(exist_ok=True)
            for name in CHILD_FILES:
                shutil.copy(HERE / name, Path(tmp) / "grading" / name)
            for sub in ("home", "ipython"):
                (Path(tmp) / sub).mkdir(exist_ok=True)
        args, inside = self.command(workdir, tmp)
        env = self.environment("/tmp" if self.confined else tmp)
        process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=workdir,
            preexec_fn=_set_limits(self.limits),
            close_fds=True,
        )
        return process, inside


def scratch() -> str:
    """A private scratch folder (mode 700) for one submission."""
    return tempfile.mkdtemp(prefix="grade-")
