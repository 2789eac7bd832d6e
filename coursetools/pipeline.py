"""nbgrader's steps for this course through its Python API, with the course's own configuration.

Every function takes the course root (the folder with ``nbgrader_config.py``, ``solutions/`` and
``notebooks/``) so the tests can run the same steps in a temporary copy of the course.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = REPO_ROOT / "nbgrader_config.py"


class PipelineError(RuntimeError):
    """An nbgrader step failed; the message carries nbgrader's log."""


def course_config(root: Path | str) -> Config:
    """The nbgrader configuration of the course at ``root``, with ``root`` as the course directory.

    ``root/nbgrader_config.py`` is used when it exists (a copy of the course, as in the tests),
    otherwise the repository's.
    """
    config_file = Path(root) / "nbgrader_config.py"
    if not config_file.exists():
        config_file = CONFIG_FILE
    config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    config.CourseDirectory.root = str(Path(root).resolve())
    return config


def lessons(root: Path | str) -> list[str]:
    """Lesson folders under ``solutions/``, in teaching order (their names start with the number)."""
    source = Path(root) / "solutions"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))


def nbgrader_ready() -> None:
    """Ready nbgrader's gradebook code to run from this process.

    nbgrader runs ``alembic`` by name whenever it creates a gradebook, even when nobody activated
    the venv: the running Python's ``bin`` goes on PATH. And it starts that program as a new
    process each time, only to read the head of its own migrations (1.4 s here per gradebook): the
    head is read once per process instead, with alembic's own API, and nbgrader is handed it.
    """
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    import nbgrader.api

    nbgrader.api.get_alembic_version = _alembic_head


@functools.cache
def _alembic_head() -> str:
    """nbgrader's latest gradebook migration, as ``alembic heads`` prints it."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def _api(root: Path | str):
    nbgrader_ready()
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=course_config(root))


def _checked(result: dict, step: str) -> dict:
    if not result.get("success"):
        raise PipelineError(f"nbgrader {step} failed:\n{result.get('error', '')}\n{result.get('log', '')}")
    return result


def release(root: Path | str, names: list[str] | None = None) -> list[str]:
    """Generate the student version of each lesson into ``notebooks/`` (nbgrader generate_assignment)."""
    api = _api(root)
    done = []
    for name in names or lessons(root):
        _checked(api.generate_assignment(name, force=True, create=True), f"generate_assignment {name}")
        done.append(name)
    return done


def autograde(root: Path | str, lesson: str, student: str) -> dict:
    """Autograde ``submitted/<student>/<lesson>/`` into ``autograded/``; return its score."""
    api = _api(root)
    _checked(api.autograde(lesson, student, force=True, create=True), f"autograde {lesson} {student}")
    return score(root, lesson, student)


def autograde_all(root: Path | str, lesson: str) -> dict[str, dict]:
    """Autograde every student who submitted ``lesson``; one bad submission never stops the rest.

    Returns
    -------
    dict: student id -> the ``score`` dict, or ``{"error": nbgrader's log}`` for a submission
    nbgrader could not grade (a corrupt file, a kernel that could not be interrupted).
    """
    results = {}
    for folder in sorted((Path(root) / "submitted").glob(f"*/{lesson}")):
        student = folder.parent.name
        try:
            results[student] = autograde(root, lesson, student)
        except PipelineError as error:
            results[student] = {"error": str(error)}
    return results


def score(root: Path | str, lesson: str, student: str) -> dict:
    """Total and per-cell scores of one autograded submission.

    Returns
    -------
    dict with ``score``, ``max_score`` and ``cells``: grade id -> (points earned, points possible).
    """
    from nbgrader.api import Gradebook

    db_url = f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        submission = gradebook.find_submission(lesson, student)
        cells = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                cells[grade.name] = (grade.score, grade.max_score)
        return {"score": submission.score, "max_score": submission.max_score, "cells": cells}


def feedback(root: Path | str, lesson: str, student: str) -> list[Path]:
    """Generate the HTML feedback of one autograded submission; return the files written."""
    api = _api(root)
    _checked(api.generate_feedback(lesson, student, force=True), f"generate_feedback {lesson} {student}")
    return sorted((Path(root) / "feedback" / student / lesson).glob("*.html"))
