"""Tests of coursetools' command line (the pipeline itself is exercised by test_course.py)."""

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(*args, cwd=REPO):
    return subprocess.run(
        [sys.executable, "-m", "coursetools", *args], cwd=cwd, capture_output=True, text=True
    )


def test_release_regenerates_student_notebooks_in_a_course_copy(tmp_path):
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    result = _run("release", "--root", str(tmp_path), "01_pixels")
    assert result.returncode == 0, result.stderr
    assert "generated notebooks/01_pixels/ from solutions/01_pixels/" in result.stdout
    assert (tmp_path / "notebooks" / "01_pixels" / "01_pixels.ipynb").read_bytes() == (
        REPO / "notebooks" / "01_pixels" / "01_pixels.ipynb"
    ).read_bytes()


def test_release_names_an_unknown_lesson(tmp_path):
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    result = _run("release", "--root", str(tmp_path), "99_nothing")
    assert result.returncode == 2
    assert "no such lesson folder" in result.stderr and "99_nothing" in result.stderr
