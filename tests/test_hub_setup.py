"""The hub's set-up without starting it (coursetools/hub.py): names, folders and their modes,
passwords kept across restarts, and how a learner's server reaches a Python in a closed folder.
The hub itself, end to end, is tests/test_hub.py."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from coursetools import hub


def _settings(tmp_path, **env):
    return hub.Settings.from_env({"HUB_STATE": str(tmp_path / "state"), **env})


@pytest.fixture
def open_folder():
    """A scratch folder every user may pass (pytest's own are under a folder private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="course-hub-setup-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def test_settings_default_to_one_instructor_two_learners_and_folders_under_the_state(tmp_path):
    settings = _settings(tmp_path)
    assert settings.instructor == "instructor" and settings.learners == ("learner1", "learner2")
    assert settings.course == tmp_path / "state" / "course"
    assert settings.exchange == tmp_path / "state" / "exchange"
    assert settings.system_users == (os.geteuid() == 0)
    assert _settings(tmp_path, HUB_LEARNERS="ada, bo  cy").learners == ("ada", "bo", "cy")


@pytest.mark.parametrize(
    "env, words",
    [
        ({"HUB_LEARNERS": "Ada"}, "user name 'Ada': expected lowercase letters"),
        ({"HUB_LEARNERS": "ada ../x"}, "user name '../x'"),
        ({"HUB_INSTRUCTOR": "a" * 32}, "at most 31 characters"),
        ({"HUB_LEARNERS": "instructor bo"}, "'instructor' is both the instructor and a learner"),
    ],
)
def test_user_names_that_cannot_be_system_users_are_refused_with_what_was_expected(tmp_path, env, words):
    with pytest.raises(hub.HubSetupError, match="") as error:
        _settings(tmp_path, **env)
    assert words in str(error.value)


def test_prepare_makes_the_folders_with_their_modes_copies_the_course_and_keeps_passwords(open_folder):
    settings = _settings(open_folder)
    if not hub.PROXY.exists():
        pytest.skip("needs JupyterHub's proxy (make test installs it when npm is there)")
    first = hub.prepare(settings)
    mode = {p: stat.S_IMODE(p.stat().st_mode) for p in (settings.state, settings.exchange, settings.course)}
    assert mode == {settings.state: 0o755, settings.exchange: 0o777, settings.course: 0o700}
    assert stat.S_IMODE(settings.private.stat().st_mode) == 0o700
    assert stat.S_IMODE((settings.private / "passwords").stat().st_mode) == 0o600
    assert (settings.course / "solutions" / "01_pixels" / "01_pixels.ipynb").is_file()
    assert settings.course_id == "how-computers-see"
    assert set(first) == {"learners", "instructor"} and len(first["instructor"]) >= 32
    # a restart keeps the passwords and the instructor's changes to the course directory
    (settings.course / "notes.txt").write_text("mine")
    assert hub.prepare(settings) == first
    assert (settings.course / "notes.txt").read_text() == "mine"


def test_without_the_proxy_the_hub_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(hub, "PROXY", tmp_path / "missing")
    with pytest.raises(hub.HubSetupError, match=r"Node.js 20 or newer and npm \(apt-get install nodejs npm\)"):
        hub.prepare(_settings(tmp_path))


def test_what_a_learner_needs_in_closed_folders_is_shown_to_them_alone(open_folder, monkeypatch):
    closed = open_folder / "root"
    prefix = closed / ".pyenv" / "versions" / "3.11.7"
    prefix.mkdir(parents=True)
    closed.chmod(0o700)
    monkeypatch.setattr(sys, "base_prefix", str(prefix))
    monkeypatch.setattr(hub, "REPO_ROOT", open_folder / "repo")  # (wherever this clone is, an open one)
    (open_folder / "repo").mkdir()
    settings = _settings(open_folder)
    settings.exchange.mkdir(parents=True)
    command = hub.learner_wrapper("ada", settings)
    assert command[:2] == ["bwrap", "--dev-bind"]
    assert command[command.index("--tmpfs") + 1] == str(closed)  # the closed folder is emptied ...
    dirs = [command[i + 1] for i, arg in enumerate(command) if arg == "--dir"]
    assert dirs == [str(closed / ".pyenv"), str(closed / ".pyenv" / "versions")]  # ... passable ...
    binds = [command[i : i + 3] for i, arg in enumerate(command) if arg in ("--ro-bind", "--bind")]
    assert binds == [["--ro-bind", str(prefix), str(prefix)]]  # ... showing the Python alone, read-only
    assert command[-4:] == ["setpriv", "--reuid=ada", "--regid=ada", "--init-groups"]
    # the exchange in a closed folder too: shown writable, under its own empty folder
    private = open_folder / "private"
    settings = hub.Settings.from_env({"HUB_STATE": str(open_folder / "state"), "HUB_EXCHANGE": str(private / "state" / "exchange")})
    settings.exchange.mkdir(parents=True)
    private.chmod(0o700)
    command = hub.learner_wrapper("ada", settings)
    assert [command[i + 1] for i, arg in enumerate(command) if arg == "--tmpfs"] == [str(closed), str(private)]
    assert ["--bind", str(settings.exchange), str(settings.exchange)] == command[command.index("--bind") : command.index("--bind") + 3]
    assert str(private / "state") in [command[i + 1] for i, arg in enumerate(command) if arg == "--dir"]
    closed.chmod(0o755)
    private.chmod(0o755)
    assert hub.learner_wrapper("ada", settings) == []  # all within reach: nothing to wrap


def test_as_root_without_bubblewrap_an_exchange_the_learners_cannot_reach_is_refused(tmp_path, monkeypatch):
    if os.geteuid() != 0 or not hub.PROXY.exists():
        pytest.skip("learners are system users only when the hub runs as root (and the proxy is installed)")
    monkeypatch.setattr(hub.shutil, "which", lambda name: None)
    with pytest.raises(hub.HubSetupError) as error:
        hub.prepare(_settings(tmp_path))  # pytest's tmp folders sit in a folder private to root
    assert "must reach" in str(error.value) and "install bubblewrap (apt-get install bubblewrap)" in str(error.value)


def test_the_repository_itself_cannot_be_the_private_course_directory(tmp_path):
    with pytest.raises(hub.HubSetupError, match="choose another HUB_COURSE_DIR"):
        hub.prepare(_settings(tmp_path, HUB_COURSE_DIR=str(hub.REPO_ROOT)))


def test_a_repository_closed_itself_is_shown_to_learners_by_its_entries(open_folder, monkeypatch):
    repo = open_folder / "clone"  # as `git clone . "$(mktemp -d)"` leaves it: mode 700
    (repo / ".venv").mkdir(parents=True)
    (repo / "cnnlib").mkdir()
    (repo / "README.md").write_text("course")
    repo.chmod(0o700)
    monkeypatch.setattr(hub, "REPO_ROOT", repo)
    monkeypatch.setattr(sys, "base_prefix", str(open_folder))  # a Python everyone can reach
    settings = _settings(open_folder)
    settings.exchange.mkdir(parents=True)
    command = hub.learner_wrapper("ada", settings)
    assert command[command.index("--tmpfs") + 1] == str(repo)
    binds = [command[i : i + 3] for i, arg in enumerate(command) if arg in ("--ro-bind", "--bind")]
    assert binds == [["--ro-bind", str(repo / n), str(repo / n)] for n in (".venv", "README.md", "cnnlib")]
