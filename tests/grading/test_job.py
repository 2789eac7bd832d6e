"""coursetools.grading.job: a submission as bytes, the course's fingerprint, a worker with
another course refusing a job."""

from __future__ import annotations

import os
import re

import pytest

from coursetools.grading import job
from coursetools.grading.job import Job, WrongCourse, folder_files, grade_files
from coursetools.grading.limits import Limits


def test_a_submission_folder_becomes_its_files_without_links_or_huge_files(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "01_pixels.ipynb").write_bytes(b"{}")
    (tmp_path / "data" / "face.txt").write_bytes(b"0 1\n")
    (tmp_path / "big.npy").write_bytes(b"x" * 101)
    os.symlink("/etc/passwd", tmp_path / "passwd")
    os.symlink(tmp_path / "data", tmp_path / "linked")  # a linked folder is not walked into
    monkeypatch.setattr(job, "LARGEST_FILE", 100)
    assert folder_files(tmp_path) == {"01_pixels.ipynb": b"{}", "data/face.txt": b"0 1\n"}


def test_the_fingerprint_is_a_hash_of_the_course_code_and_the_identity_says_what_a_worker_has():
    found = job.identity()
    assert re.fullmatch(r"[0-9a-f]{16}", found["course"]) and found["course"] == job.course_fingerprint()
    assert set(found) == {"course", "version", "python", "numpy", "bwrap", "host"}


def test_a_worker_with_another_course_refuses_the_job_before_grading():
    other = Job("01_pixels", "01_pixels.ipynb", None, None, {}, {}, Limits(cell_seconds=1), False, "ffffffffffffffff")
    with pytest.raises(WrongCourse, match=f"has the course at fingerprint {job.course_fingerprint()}, "
                       "the grading command at ffffffffffffffff"):
        grade_files(other, "ann", {"01_pixels.ipynb": b"{}"})


def test_a_submission_without_the_notebook_is_refused_with_the_name_expected():
    lesson = Job("01_pixels", "01_pixels.ipynb", None, None, {}, {}, Limits(cell_seconds=1), False)
    for files in ({}, {"a.ipynb": b"{}", "b.ipynb": b"{}"}, {"sub/01_pixels.ipynb": b"{}"}):
        assert grade_files(lesson, "ann", files) == {"student": "ann", "error": "no 01_pixels.ipynb in the submission"}
    assert grade_files(lesson, "ann", {"mine.ipynb": b"[]"}) == {
        "student": "ann",
        "error": "not a notebook: the file holds no JSON object",
        "file": "mine.ipynb",
    }


def test_only_a_lesson_that_loads_the_digits_or_faces_preloads_scikit_learn():
    import nbformat

    from coursetools.grading.child import PRELOADED

    def source(code: str):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("load_digits"), nbformat.v4.new_code_cell(code)])

    assert job.preload_for(source("x_train, y_train = data.load_digits()")) == PRELOADED
    assert job.preload_for(source("faces = load_faces()")) == PRELOADED
    assert job.preload_for(source("image = data.load_image('camera')")) == ()  # prose does not count
