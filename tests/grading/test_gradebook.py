"""coursetools.grading.gradebook: the one writer of scores into nbgrader's gradebook."""

from __future__ import annotations

import os
import subprocess
import warnings

import pytest
from nbgrader import api as nbgrader_api

from coursetools import pipeline
from coursetools.grading import gradebook

LESSON = NOTEBOOK = "01_pixels"


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A course whose gradebook knows lesson 01_pixels: one notebook, two autograded test cells."""
    monkeypatch.setenv("PATH", os.environ.get("PATH", ""))  # gradebook puts .venv/bin on it: undone after
    pipeline.nbgrader_ready()  # (a new gradebook without asking the alembic program: 1.4 s less)
    with _opened(tmp_path) as book:
        book.add_assignment(LESSON)
        book.add_notebook(NOTEBOOK, LESSON)
        book.add_grade_cell("test_invert", NOTEBOOK, LESSON, max_score=1, cell_type="code")
        book.add_grade_cell("test_invert_hidden", NOTEBOOK, LESSON, max_score=2, cell_type="code")
    return tmp_path


def _opened(root):
    return nbgrader_api.Gradebook(f"sqlite:///{root / 'gradebook.db'}")


def _grade(root, grade_id: str, student: str = "ann") -> tuple:
    with warnings.catch_warnings(), _opened(root) as book:
        warnings.simplefilter("ignore")
        grade = book.find_grade(grade_id, NOTEBOOK, LESSON, student)
        return grade.auto_score, grade.manual_score, grade.needs_manual_grade


def _set_manual_score(root, grade_id: str, score: float, student: str = "ann") -> None:
    with warnings.catch_warnings(), _opened(root) as book:
        warnings.simplefilter("ignore")
        book.find_grade(grade_id, NOTEBOOK, LESSON, student).manual_score = score
        book.db.commit()


def test_scores_of_a_new_student_create_the_student_and_submission(root):
    cleared = gradebook.write_scores(
        root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 0}
    )
    assert cleared == []
    assert gradebook.read_scores(root, LESSON, "ann") == {
        "test_invert": (1.0, 1.0),
        "test_invert_hidden": (0.0, 2.0),
    }
    assert _grade(root, "test_invert") == (1.0, None, False)
    with _opened(root) as book:
        assert [student.id for student in book.students] == ["ann"]
        assert [s.student.id for s in book.find_assignment(LESSON).submissions] == ["ann"]


def test_each_student_gets_their_own_scores(root):
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 2.0})
    gradebook.write_scores(root, LESSON, NOTEBOOK, "bob", {"test_invert": 0.0, "test_invert_hidden": 2.0})
    assert gradebook.read_scores(root, LESSON, "ann") == {
        "test_invert": (1.0, 1.0),
        "test_invert_hidden": (2.0, 2.0),
    }
    assert gradebook.read_scores(root, LESSON, "bob") == {
        "test_invert": (0.0, 1.0),
        "test_invert_hidden": (2.0, 2.0),
    }


def test_a_manual_score_on_an_autograded_cell_is_cleared_and_reported(root):
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 0.0})
    _set_manual_score(root, "test_invert_hidden", 1.5)
    assert gradebook.read_scores(root, LESSON, "ann")["test_invert_hidden"] == (
        1.5,
        2.0,
    )  # the manual one counts

    cleared = gradebook.write_scores(
        root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 0.0}
    )
    assert cleared == ["test_invert_hidden (was 1.5)"]
    assert _grade(root, "test_invert_hidden") == (0.0, None, False)
    assert gradebook.read_scores(root, LESSON, "ann")["test_invert_hidden"] == (0.0, 2.0)


def test_writing_again_overwrites_the_scores_of_the_same_submission(root):
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 0.0})
    again = gradebook.write_scores(
        root, LESSON, NOTEBOOK, "ann", {"test_invert": 0.0, "test_invert_hidden": 2.0}
    )
    assert again == []
    assert gradebook.read_scores(root, LESSON, "ann") == {
        "test_invert": (0.0, 1.0),
        "test_invert_hidden": (2.0, 2.0),
    }
    with _opened(root) as book:
        assert len(book.find_assignment(LESSON).submissions) == 1


def test_only_the_scores_given_are_written(root):
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0, "test_invert_hidden": 2.0})
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 0.0})
    assert gradebook.read_scores(root, LESSON, "ann") == {
        "test_invert": (0.0, 1.0),
        "test_invert_hidden": (2.0, 2.0),
    }


def test_a_lesson_the_gradebook_knows_is_not_released_again(root, monkeypatch):
    released = []
    monkeypatch.setattr(pipeline, "release", lambda course, names: released.append((course, names)))
    gradebook.ensure_lesson(root, LESSON, NOTEBOOK)
    assert released == []
    gradebook.ensure_lesson(root, "02_colour", "02_colour")
    assert released == [(root, ["02_colour"])]


def test_a_new_gradebook_gets_the_schema_version_the_alembic_program_gives_without_starting_it(tmp_path):
    """nbgrader would start `alembic heads` for every new gradebook; the head read in process is
    the one that program prints."""
    from nbgrader.dbutil import _temp_alembic_ini

    pipeline.nbgrader_ready()
    with _temp_alembic_ini("sqlite://") as ini:
        printed = subprocess.run(["alembic", "-c", ini, "heads"], capture_output=True, text=True, check=True)
    assert printed.stdout.split()[0] == nbgrader_api.get_alembic_version()
    with nbgrader_api.Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as book:
        (version,) = book.db.execute(nbgrader_api.text("SELECT version_num FROM alembic_version")).one()
    assert version == printed.stdout.split()[0]


def test_the_gradebook_is_the_courses_and_venv_bin_is_put_on_path(root, monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin")
    gradebook.write_scores(root, LESSON, NOTEBOOK, "ann", {"test_invert": 1.0})
    assert os.environ["PATH"].split(os.pathsep)[1:] == ["/usr/bin"]
    assert os.path.isfile(os.path.join(os.environ["PATH"].split(os.pathsep)[0], "alembic"))
    assert sorted(path.name for path in root.iterdir()) == ["gradebook.db"]
