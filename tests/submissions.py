"""Submissions made for the grading tests: a lesson's student version with answers pasted in.

Shared by ``test_course.py`` (every lesson through the course's command), ``test_nbgrader.py``
(nbgrader's autograde) and ``test_grading.py`` (the attack catalogue).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from cnnlib.checks import exercises

REPO = Path(__file__).resolve().parent.parent


def source_notebook(lesson: str) -> Path:
    """The lesson's one source notebook in solutions/."""
    (path,) = sorted((REPO / "solutions" / lesson).glob("*.ipynb"))
    return path


def graded_code(notebook, kind: str) -> dict[str, nbformat.NotebookNode]:
    """Code cells of a notebook (or a path to one) by grade id: kind "solution" or "test"."""
    if isinstance(notebook, Path):
        notebook = nbformat.read(notebook, as_version=4)
    flag = "solution" if kind == "solution" else "grade"
    return {
        c.metadata.nbgrader["grade_id"]: c
        for c in notebook.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get(flag)
    }


def with_answers(notebook, answers: dict[str, str], lean: bool = False):
    """``notebook`` with these solution cells replaced; ``lean`` drops the ungraded code cells
    (figures, demos), which only cost time where the exercises are what is tested."""
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in answers:
            cell.source = answers[cell.metadata.nbgrader["grade_id"]]
    if lean:
        notebook.cells = [c for c in notebook.cells if c.cell_type != "code" or c.metadata.get("nbgrader")]
    return notebook


def untouched(lesson: str, course: Path):
    """The student version as released into ``course``."""
    return nbformat.read(course / "notebooks" / lesson / source_notebook(lesson).name, as_version=4)


def right(lesson: str, course: Path, lean: bool = False):
    """The student version with the source's answers pasted into the solution cells."""
    answers = {gid: cell.source for gid, cell in graded_code(source_notebook(lesson), "solution").items()}
    return with_answers(untouched(lesson, course), answers, lean)


def shortcut(lesson: str, name: str) -> str:
    """An answer that hands the work to cnnlib's own answer, through an alias and a wrapper."""
    library = exercises(lesson)[name].reference
    return (
        f"from {library.__module__} import {library.__name__} as _library_version\n\n"
        f"def {name}(*args, **kwargs):\n    return _library_version(*args, **kwargs)\n"
    )


def submit(course: Path, student: str, lesson: str, notebook) -> None:
    """Put a notebook (or raw text) where nbgrader and the command look: submitted/STUDENT/LESSON/."""
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / source_notebook(lesson).name
    if isinstance(notebook, str):
        path.write_text(notebook)
    else:
        nbformat.write(notebook, path)
