"""The course on a JupyterHub: one instructor, learners, nbgrader's exchange (``make hub``).

``hub/jupyterhub_config.py`` reads its settings from here. Where things live (``HUB_STATE``,
default ``.hub/`` in the repository):

- ``exchange/``: nbgrader's exchange. Releases, submissions and feedback go through it, with the
  permissions nbgrader gives them (learners may write into ``inbound/`` but not list it).
- ``course/``: the instructor's course directory (``nbgrader_config.py``, ``solutions/``,
  ``notebooks/``, the gradebook, ``submitted/``, ``reports/``), copied from the repository at
  the first start and private to the instructor (mode 700). The repository itself stays readable:
  learners' servers run its ``.venv`` and import its ``cnnlib``.
- ``hub/``: the hub's own state (``jupyterhub.sqlite``, ``cookie_secret``, ``passwords``), mode
  700; a restart keeps users, and everything submitted lives on disk in the exchange.

Who runs as whom: the instructor's server runs as the Unix user that started the hub, in the course
directory, with nbgrader's instructor panels. When the hub runs as root, each learner's server
runs as a system user of the same name (created at the first start, home mode 700): Unix
permissions then keep learners out of each other's homes, of the exchange's inbound and of the
course directory. When the hub runs as an ordinary user it cannot switch users, so every server
runs as that user with a home under ``HUB_STATE/home/``: the same flow, with no separation between
learners (the hub says so when it starts); for trying the course, not for a class.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid

from .pipeline import REPO_ROOT, course_config

__all__ = [
    "Settings",
    "CourseSpawner",
    "HubSetupError",
    "prepare",
    "server_environment",
    "learner_wrapper",
    "PROXY",
]

PROXY = REPO_ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
LEARNER_SETTINGS = REPO_ROOT / "assets" / "lab" / "hub-learner"
USERNAME = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
# What the instructor's course directory is made of, copied from the repository at the first start.
COURSE_FILES = ("nbgrader_config.py", "solutions", "notebooks")


class HubSetupError(RuntimeError):
    """The hub cannot start as configured; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """Where the hub keeps things and who may log in (from ``HUB_*`` environment variables)."""

    state: Path
    course: Path
    exchange: Path
    instructor: str
    learners: tuple[str, ...]
    system_users: bool

    @classmethod
    def from_env(cls, env=None) -> Settings:
        env = os.environ if env is None else env
        state = Path(env.get("HUB_STATE") or REPO_ROOT / ".hub").resolve()
        learners = tuple(env.get("HUB_LEARNERS", "learner1 learner2").replace(",", " ").split())
        instructor = env.get("HUB_INSTRUCTOR", "instructor")
        for name in (instructor, *learners):
            if not USERNAME.match(name):
                raise HubSetupError(
                    f"user name {name!r}: expected lowercase letters, digits and '-', starting with a "
                    "letter, at most 31 characters (it becomes a system user's name)"
                )
        if instructor in learners:
            raise HubSetupError(f"{instructor!r} is both the instructor and a learner")
        return cls(
            state=state,
            course=Path(env.get("HUB_COURSE_DIR") or state / "course").resolve(),
            exchange=Path(env.get("HUB_EXCHANGE") or state / "exchange").resolve(),
            instructor=instructor,
            learners=learners,
            system_users=os.geteuid() == 0,
        )

    @property
    def private(self) -> Path:
        """The hub's own files (database, cookie secret, passwords), readable by the hub alone."""
        return self.state / "hub"

    @property
    def course_id(self) -> str:
        return course_config(self.course).CourseDirectory.course_id

    def home(self, name: str) -> Path:
        """A user's home: a learner's system home when the hub runs as root, else under the state."""
        if self.system_users and name != self.instructor:
            return Path(pwd.getpwnam(name).pw_dir)
        return self.state / "home" / name

    def root_dir(self, name: str) -> Path:
        """Where a user's JupyterLab opens: the course directory for the instructor, else the home."""
        return self.course if name == self.instructor else self.home(name)


def _readable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` (or ``path`` itself) that other users cannot pass."""
    path = path.resolve()
    for step in [*reversed(path.parents), path]:
        mode = step.stat().st_mode
        if not mode & stat.S_IXOTH or (step == path and not mode & stat.S_IROTH):
            return step
    return None


def prepare(settings: Settings) -> dict[str, str]:
    """Create the state, exchange and course folders with their permissions; return the passwords.

    Idempotent: a restart keeps the course directory, the exchange and the passwords as they are.
    """
    if REPO_ROOT.is_relative_to(settings.course):
        raise HubSetupError(
            f"the course directory ({settings.course}) holds the repository, whose .venv and cnnlib every "
            "learner's server runs, but it is made private to the instructor: choose another HUB_COURSE_DIR"
        )
    if not PROXY.exists():
        raise HubSetupError(
            f"JupyterHub's proxy is not installed ({PROXY}): it needs Node.js 20 or newer and npm "
            "(apt-get install nodejs npm); `make hub` then installs it with npm."
        )
    settings.state.mkdir(parents=True, exist_ok=True)
    settings.state.chmod(0o755)  # learners pass through it to the exchange
    settings.private.mkdir(mode=0o700, exist_ok=True)
    settings.exchange.mkdir(parents=True, exist_ok=True)
    settings.exchange.chmod(0o777)  # as nbgrader wants it; it makes the course's folders below it
    if not settings.course.exists():
        settings.course.mkdir(parents=True)
        for name in COURSE_FILES:
            source = REPO_ROOT / name
            if source.is_dir():
                skip = shutil.ignore_patterns(".ipynb_checkpoints")
                shutil.copytree(source, settings.course / name, ignore=skip)
            else:
                shutil.copy2(source, settings.course / name)
    settings.course.chmod(0o700)  # solutions, submissions, the gradebook: the instructor's alone
    hidden = _hidden_from_learners(settings) if settings.system_users else {}
    if hidden and not shutil.which("bwrap"):
        (closed, paths), *_ = hidden.items()
        raise HubSetupError(
            f"learners' servers run as their own system users and must reach {', '.join(map(str, paths))}, "
            f"but {closed} is closed to other users: install bubblewrap (apt-get install bubblewrap), "
            f"which shows them those folders alone, or `chmod o+rx {closed}`"
        )
    return _passwords(settings.private / "passwords")


def _passwords(path: Path) -> dict[str, str]:
    """The learners' shared password and the instructor's, made once and kept in ``path`` (mode 600)."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(f"learners {secrets.token_urlsafe(9)}\ninstructor {secrets.token_urlsafe(32)}\n")
    return dict(line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)


def server_environment(settings: Settings, name: str) -> dict[str, str]:
    """Environment of a user's server: nbgrader's exchange and course for ``hub/nbgrader_config.py``."""
    return {
        "COURSE_EXCHANGE": str(settings.exchange),
        "COURSE_ID": settings.course_id,
        "COURSE_ROLE": "instructor" if name == settings.instructor else "learner",
        "JUPYTER_CONFIG_PATH": str(REPO_ROOT / "hub"),
    }


def _hidden_from_learners(settings: Settings) -> dict[Path, list[Path]]:
    """Folders closed to other users (pyenv's Python under /root, say, or a clone in a private
    folder) -> what a learner's server needs below them: the course's Python, the repository
    (its .venv and cnnlib) and the exchange."""
    hidden: dict[Path, list[Path]] = {}
    for path in (Path(sys.base_prefix).resolve(), REPO_ROOT, settings.exchange):
        closed = _readable_by_others(path)
        if closed is not None:
            hidden.setdefault(closed, []).append(path)
    return hidden


def learner_wrapper(name: str, settings: Settings) -> list[str]:
    """The command that starts a learner's server as system user ``name`` when something it needs
    lies in a folder other users cannot pass; [] when nothing does.

    bubblewrap, started as root, puts an empty folder over each closed one and shows inside it only
    what the server needs, at the same paths: the Python and the repository read-only, the
    exchange writable. A needed folder that is closed itself (a clone made in ``mktemp -d``) is
    shown by its entries, since a folder's own mode shows through a mount. Then ``setpriv``
    becomes the learner, so every file is checked against the learner's own uid, as for any
    system user. The server and its kernels share one process namespace that ends with it.
    """
    hidden = _hidden_from_learners(settings)
    if not hidden:
        return []
    command = ["bwrap", "--dev-bind", "/", "/", "--proc", "/proc"]
    for closed in hidden:
        command += ["--perms", "0755", "--tmpfs", str(closed)]
    for closed, paths in hidden.items():
        # bubblewrap would make the folders on the way from the empty one private (700)
        between = {p for path in paths for p in path.parents if p.is_relative_to(closed) and p != closed}
        for folder in sorted(between):  # (a folder sorts before what is in it)
            command += ["--perms", "0755", "--dir", str(folder)]
        for path in paths:
            bind = "--bind" if path == settings.exchange else "--ro-bind"
            for shown in sorted(path.iterdir()) if path == closed else [path]:
                command += [bind, str(shown), str(shown)]
    return [
        *command, "--unshare-pid", "--die-with-parent",
        "--", "setpriv", f"--reuid={name}", f"--regid={name}", "--init-groups",
    ]  # fmt: skip


def add_system_user(name: str) -> None:
    """Create the system user a learner's server runs as (the hub runs as root), home mode 700."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        command = ["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", "--comment", "learner"]
        subprocess.run([*command, name], check=True, capture_output=True)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


class CourseSpawner(LocalProcessSpawner):
    """Starts the instructor's server in the course directory as the hub's own user, and each
    learner's in their home: as their system user when the hub runs as root, otherwise as the
    hub's user with a home under ``HUB_STATE/home/``."""

    @cached_property
    def course(self) -> Settings:
        return Settings.from_env()

    def _runs_as_hub_user(self) -> bool:
        return self.user.name == self.course.instructor or not self.course.system_users

    def make_preexec_fn(self, name):
        root = self.course.root_dir(name)
        if not self._runs_as_hub_user() and not learner_wrapper(name, self.course):
            return set_user_setuid(name)  # (with the wrapper, setpriv switches user, after bubblewrap)

        def preexec():
            os.chdir(root)

        return preexec

    def user_env(self, env):
        if not self._runs_as_hub_user():
            return super().user_env(env)
        env.update(USER=self.user.name, HOME=str(self.course.home(self.user.name)), SHELL="/bin/bash")
        return env

    def get_env(self):
        env = super().get_env()
        env.update(server_environment(self.course, self.user.name))
        return env

    def get_args(self):
        args = super().get_args()
        args.append(f"--ServerApp.root_dir={self.course.root_dir(self.user.name)}")
        if self.user.name != self.course.instructor:  # the Assignments tab and Validate, no instructor panels
            args.append(f"--LabApp.app_settings_dir={LEARNER_SETTINGS}")
        if self._runs_as_hub_user() and os.geteuid() == 0:
            args.append("--allow-root")
        return args

    async def start(self):
        course = self.course
        if self._runs_as_hub_user():
            course.home(self.user.name).mkdir(mode=0o700, parents=True, exist_ok=True)
            return await super().start()
        add_system_user(self.user.name)
        command = list(self.cmd)
        self.cmd = [*learner_wrapper(self.user.name, course), *command]
        try:
            return await super().start()
        finally:
            self.cmd = command
