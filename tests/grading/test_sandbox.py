"""coursetools.grading.sandbox: bubblewrap's confinement and the limits of every child."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursetools.grading.limits import GIB, Limits
from coursetools.grading.sandbox import INSIDE, Sandbox, _set_limits, bwrap_works, scratch

REPO = Path(__file__).resolve().parents[2]
NO_BWRAP = "bubblewrap is not installed or cannot run here (apt-get install bubblewrap)"


def _limits_seen(limits: Limits) -> dict[str, str]:
    """/proc/self/limits of a process started with the child's limits: name -> soft limit."""
    out = subprocess.run(
        ["cat", "/proc/self/limits"],
        capture_output=True,
        text=True,
        preexec_fn=_set_limits(limits),
        check=True,
    ).stdout
    seen = {}
    for line in out.splitlines()[1:]:
        name, soft = line[:26].strip(), line[26:47].strip()
        seen[name] = soft
    return seen


def test_every_child_gets_the_limits_declared_in_limits():
    seen = _limits_seen(Limits(memory=3 * GIB, cpu_seconds=77, file_size=1234 * 1024))
    assert seen["Max address space"] == str(3 * GIB)
    assert seen["Max cpu time"] == "77"
    assert seen["Max file size"] == str(1234 * 1024)
    assert seen["Max core file size"] == "0"


def test_the_child_gets_a_clean_environment_with_cnnlib_first_on_its_path():
    env = Sandbox(use_bwrap=False).environment("/scratch")
    assert env["PYTHONPATH"] == str(REPO)  # the folder that holds the cnnlib being graded against
    assert (env["HOME"], env["IPYTHONDIR"], env["MPLBACKEND"]) == ("/scratch/home", "/scratch/ipython", "Agg")
    assert env["OPENBLAS_NUM_THREADS"] == "1" and "PATH" in env
    assert not {"SSH_AUTH_SOCK", "VIRTUAL_ENV", "PYTEST_CURRENT_TEST"} & set(env)


def test_without_bwrap_the_child_runs_its_own_copy_of_the_two_program_files(tmp_path):
    sandbox = Sandbox(use_bwrap=False)
    assert not sandbox.confined
    args, inside = sandbox.command(str(tmp_path / "work"), str(tmp_path))
    assert args[-1] == str(tmp_path / "grading" / "child.py") and inside == str(tmp_path / "work")


def test_with_bwrap_only_the_two_program_files_cnnlib_and_the_libraries_are_bound():
    if not bwrap_works():
        pytest.skip(NO_BWRAP)
    args, inside = Sandbox().command("/tmp/grade-x/01_pixels", "/tmp/grade-x")
    assert inside == "/home/learner/01_pixels" and args[-1] == f"{INSIDE}/child.py"
    for flag in ("--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in args
    assert args[args.index("--uid") + 1] == "1000"
    bound = [args[i + 1] for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    assert "/tmp/grade-x/01_pixels" in bound  # the private copy, the only writable folder
    assert [a for a in args if a.endswith((".py",)) and a.startswith(str(REPO))] == [
        str(REPO / "coursetools" / "grading" / "child.py"),
        str(REPO / "coursetools" / "grading" / "protocol.py"),
    ]
    assert str(REPO) not in bound and str(REPO / "cnnlib") in bound  # the checkout stays out


def test_the_sandbox_hides_the_course_and_the_network_and_drops_root():
    if not bwrap_works():
        pytest.skip(NO_BWRAP)
    args, _ = Sandbox().command("/tmp", "/tmp")
    script = (
        "import os\n"
        "print(os.path.exists('{}'), os.path.exists('{}'), os.path.exists('{}'))\n"
        "print(sorted(l.split(':')[0].strip() for l in open('/proc/net/dev').readlines()[2:]))\n"
        "print(os.getuid(), [l.split()[1] for l in open('/proc/self/status') if l.startswith('CapEff')][0])\n"
        "try:\n    open('{}', 'a')\nexcept OSError as e:\n    print(type(e).__name__)\n"
    ).format(
        REPO / "solutions", REPO / "gradebook.db", REPO / "cnnlib" / "pixels.py", REPO / "cnnlib" / "ops.py"
    )
    command_line = [*args[: args.index("--") + 1], sys.executable, "-c", script]
    out = subprocess.run(command_line, capture_output=True, text=True, timeout=60)
    # the course is invisible, cnnlib visible; only a loopback interface; uid 1000 without
    # capabilities; cnnlib read-only
    assert out.stdout.splitlines() == ["False False True", "['lo']", "1000 0000000000000000", "OSError"], (
        out.stdout + out.stderr
    )


def test_each_submission_gets_a_private_scratch_folder():
    first, second = scratch(), scratch()
    try:
        assert first != second and os.stat(first).st_mode & 0o777 == 0o700
    finally:
        os.rmdir(first)
        os.rmdir(second)
