"""One submission's grading as a task that runs wherever the sandboxed child runs: in a thread of
the local pool, or on a Dask worker of another machine (``cluster``).

A ``Job`` is everything needed to grade any submission of a lesson, as plain data (the source
and released notebooks, the test plans, the lesson's own files, the limits). ``grade_files(job,
student, files)`` takes the submission as bytes, writes it into a private scratch folder,
normalises the notebook, runs it in the sandboxed child, judges it, and returns plain data: the
normalised notebook and what the grader learned (scores, verdicts, messages, figures). The local
pool and the cluster call this one function; only the process that started the run writes the
gradebook, the feedback and the reports.

A worker grades with its own installed course (cnnlib's checks are the judge), so a job carries
the course's fingerprint (``course_fingerprint``) and a worker whose course differs refuses it.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import socket
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .limits import Limits
from .normalise import InvalidSubmission, normalise
from .plan import TestPlan
from .sandbox import Sandbox
from .session import grade_submission

__all__ = [
    "Job", "WrongCourse", "folder_files", "grade_files", "course_fingerprint", "identity", "preload_for"
]

LARGEST_FILE = 50 * 1024**2  # a submitted file larger than this is left out


@dataclass(frozen=True)
class Job:
    """What grading any submission of one lesson needs (sent once to each worker)."""

    lesson: str
    name: str  # the lesson's notebook file name
    source: Any  # the source notebook (nbformat), the one the test plans come from
    released: Any  # the student version learners started from
    plans: dict[str, TestPlan]
    extra_files: dict[str, bytes]  # the lesson's own files besides the notebook (relative path)
    limits: Limits  # with the per-cell limit filled in (Limits.for_course)
    use_bwrap: bool | None = None
    course: str = ""  # the fingerprint the grading process has; "" skips the check
    preload: tuple[str, ...] = ()  # data libraries the child imports first (child.PRELOADED)


def preload_for(source) -> tuple[str, ...]:
    """The data libraries a lesson's children import before learner code runs: scikit-learn's
    modules when the source notebook loads the digits or the faces (``child.PRELOADED``), else
    none (a second less per child)."""
    from .child import DATA_LOADERS, PRELOADED

    code = "\n".join(cell.source for cell in source.cells if cell.cell_type == "code")
    return PRELOADED if any(loader in code for loader in DATA_LOADERS) else ()


class WrongCourse(RuntimeError):
    """This process's course is not the one the job was made with."""


def folder_files(folder: Path) -> dict[str, bytes]:
    """A submission folder as relative path -> bytes: its regular files, without links that point
    elsewhere and without files over 50 MiB."""
    files = {}
    for directory, _, names in os.walk(folder, followlinks=False):
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size > LARGEST_FILE:
                continue
            files[str(path.relative_to(folder))] = path.read_bytes()
    return files


@cache
def course_fingerprint() -> str:
    """A hash of the course's code that decides a grade: every Python file of ``cnnlib`` (the
    exercises, checks and references) and ``coursetools`` (normalising, sandbox, judging), names
    and bytes. Two machines with the same checkout give the same fingerprint."""
    import cnnlib
    import coursetools

    digest = hashlib.sha256()
    for package in (cnnlib, coursetools):
        folder = Path(package.__file__).resolve().parent
        for path in sorted(folder.rglob("*.py")):
            name = f"{package.__name__}/{path.relative_to(folder)}".encode()
            data = path.read_bytes()
            digest.update(len(name).to_bytes(4, "big") + name + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:16]


def identity() -> dict[str, Any]:
    """What a grading process has: the course (fingerprint and version), Python, numpy, whether
    bubblewrap confines learner code there, and the machine's name."""
    import numpy

    import cnnlib

    from .sandbox import bwrap_works

    return {
        "course": course_fingerprint(),
        "version": cnnlib.__version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "bwrap": bwrap_works(),
        "host": socket.gethostname(),
    }


def grade_files(job: Job, student: str, files: dict[str, bytes]) -> dict[str, Any]:
    """Grade one submission given as ``folder_files`` gave it; see the module's docstring.

    Returns ``{"student", "file", "notebook", "graded", "confined"}``, or ``{"student", "error"}``
    (with ``"file"`` when there was one) when the submission cannot be graded: no notebook, or
    one that is not a notebook. ``file`` is the notebook's name in the submission folder.
    """
    if job.course and course_fingerprint() != job.course:
        raise WrongCourse(
            f"{socket.gethostname()} has the course at fingerprint {course_fingerprint()}, "
            f"the grading command at {job.course}"
        )
    name = job.name
    if name not in files:
        found = [n for n in files if n.endswith(".ipynb") and "/" not in n]
        if len(found) != 1:
            return {"student": student, "error": f"no {name} in the submission"}
        name = found[0]
    tmp = Path(tempfile.mkdtemp(prefix="submission-"))
    try:
        folder = tmp / job.lesson
        for relative, data in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            notebook = normalise(folder / name, job.source, job.released)
        except InvalidSubmission as error:
            return {"student": student, "error": str(error), "file": name}
        sandbox = Sandbox(job.limits, job.use_bwrap)
        graded = grade_submission(
            student, folder, notebook, job.plans, job.lesson, sandbox, job.extra_files, job.preload
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    confined = sandbox.confined
    return {"student": student, "file": name, "notebook": notebook, "graded": graded, "confined": confined}
