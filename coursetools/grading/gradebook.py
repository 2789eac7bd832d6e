"""The one writer of scores into nbgrader's gradebook (``gradebook.db`` of the course).

Only the grader's main process writes, one submission at a time, so parallel workers never
contend for SQLite's lock, and formgrader, ``nbgrader export`` and feedback keep working on the
same rows. An autograded test cell gets its ``auto_score``; a ``manual_score`` already on such a
row is cleared and reported: no learner or earlier run should decide an autograded cell.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import pipeline

__all__ = ["ensure_lesson", "opened", "write_scores", "seconds_late", "read_scores"]


def _url(root: Path) -> str:
    pipeline.nbgrader_ready()
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def ensure_lesson(root: Path, lesson: str, notebook: str) -> None:
    """Make sure the gradebook knows the lesson and its graded cells (nbgrader generate_assignment)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(_url(root)) as gradebook:
        try:
            gradebook.find_notebook(notebook, lesson)
            return
        except MissingEntry:
            pass
    pipeline.release(root, [lesson])


@contextmanager
def opened(root: Path) -> Iterator:
    """The course's gradebook, open for a whole run: one connection, and SQLAlchemy's compiled
    statements reused from one student to the next (opening it per student cost 100 ms each)."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings(), Gradebook(_url(root)) as gradebook:
        warnings.simplefilter("ignore")  # SQLAlchemy's autoflush notes inside nbgrader's own code
        yield gradebook


def write_scores(
    root: Path,
    lesson: str,
    notebook: str,
    student: str,
    points: dict[str, float],
    timestamp: str = "",
    book=None,
) -> list[str]:
    """Store ``points`` (test cell grade id -> points) as the submission's autograde scores, and
    ``timestamp`` (nbgrader's ``timestamp.txt``, when the submission came through the exchange) as
    its time of submission; in ``book`` (``opened``) when given.

    Returns the grade ids whose ``manual_score`` was cleared.
    """
    from nbgrader.api import MissingEntry
    from nbgrader.utils import parse_utc

    if book is None:
        with opened(root) as book:
            return write_scores(root, lesson, notebook, student, points, timestamp, book)
    cleared = []
    gradebook = book
    try:
        gradebook.update_or_create_student(student)
        try:
            submission = gradebook.find_submission(lesson, student)
        except MissingEntry:
            submission = gradebook.add_submission(lesson, student)
        if timestamp:
            submission.timestamp = parse_utc(timestamp)
        grades = {g.name: g for g in gradebook.find_submission_notebook(notebook, lesson, student).grades}
        for grade_id, score in points.items():
            if grade_id not in grades:  # a grade cell the gradebook does not know: nbgrader's error
                gradebook.find_grade(grade_id, notebook, lesson, student)
            grade = grades[grade_id]
            if grade.manual_score is not None:
                cleared.append(f"{grade_id} (was {grade.manual_score:g})")
            grade.manual_score = None
            grade.auto_score = float(score)
            grade.needs_manual_grade = False
        gradebook.db.commit()
    except BaseException:
        gradebook.db.rollback()  # the open gradebook stays usable for the next student
        raise
    return cleared


def seconds_late(root: Path, lesson: str, student: str, book=None) -> float:
    """How long after the lesson's due date the student submitted (0 when on time, or when the
    gradebook has no due date or no time of submission). A due date is set with ``nbgrader db
    assignment add LESSON --duedate=...`` or in formgrader."""
    if book is None:
        with opened(root) as book:
            return seconds_late(root, lesson, student, book)
    return float(book.find_submission(lesson, student).total_seconds_late or 0.0)


def read_scores(root: Path, lesson: str, student: str) -> dict[str, tuple[float, float]]:
    """grade id -> (score, max score) as the gradebook has them (for tests and reports)."""
    from nbgrader.api import Gradebook

    with Gradebook(_url(root)) as gradebook:
        submission = gradebook.find_submission(lesson, student)
        return {g.name: (g.score, g.max_score) for nb in submission.notebooks for g in nb.grades}
