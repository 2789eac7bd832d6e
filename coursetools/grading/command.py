"""``python -m coursetools grade LESSON``: grade every submission of a lesson, in parallel.

Each submission is normalised against the lesson's source, run in its own sandboxed child and
judged (``job.grade_files``) by workers side by side: threads of this process, each driving one
child, or with ``--scheduler`` the workers of a Dask cluster (``cluster``). This process alone
writes the gradebook, the feedback and the reports, one result at a time as results arrive; each
record is also appended to ``records.jsonl`` at once, so an interrupted run loses nothing graded
and the next run grades only what is missing or changed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from . import gradebook, record, report
from .cluster import Cluster, ClusterRefused, LocalPool, SchedulerLost
from .job import Job, course_fingerprint, preload_for
from .limits import Limits
from .plan import plans_of
from .record import GRADER_ERROR, Record

__all__ = ["Summary", "grade", "collect_zip", "submission_digest", "UNCONFINED_WARNING", "ClusterRefused"]

UNCONFINED_WARNING = (
    "WARNING: bubblewrap (bwrap) is not available here, so learner code runs UNCONFINED: with "
    "resource limits and in a private copy of each folder, but able to read the course's files "
    "(solutions/, gradebook.db) and use the network. Install it with `apt-get install bubblewrap`."
)
_STUDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")


@dataclass
class Summary:
    lesson: str
    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # student -> why
    unchanged: list[str] = field(default_factory=list)  # same submission and source as last time
    suspicious: dict[str, int] = field(default_factory=dict)  # student -> how many findings
    records: list[Record] = field(default_factory=list)
    reports: dict[str, Path] = field(default_factory=dict)
    confined: bool = True
    seconds: float = 0.0
    stopped: str = ""  # why the run ended before every submission was graded
    not_graded: list[str] = field(default_factory=list)  # students the stopped run did not reach
    notes: list[str] = field(default_factory=list)  # what happened to the cluster on the way
    serial_seconds: float = 0.0  # this process's own work, which more workers do not shorten:
    # reading and sending submissions to a cluster, writing gradebook, feedback and records

    def text(self) -> str:
        lines = [
            f"{self.lesson}: {len(self.graded)} graded, {len(self.failed)} failed, "
            f"{len(self.suspicious)} suspicious, in {self.seconds:.1f} s"
        ]
        if self.stopped:
            lines.append(
                f"  STOPPED: {self.stopped}; {len(self.not_graded)} not graded yet: run the same command "
                "again to grade them (what was graded is kept and not graded again)"
            )
        lines += [f"  {note}" for note in self.notes]
        if self.unchanged:
            lines.append(
                f"  {len(self.unchanged)} unchanged since they were last graded, kept as they were "
                "(--regrade grades them again)"
            )
        lines += [f"  failed {s}: {why}" for s, why in sorted(self.failed.items())]
        lines += [
            f"  suspicious {s}: {n} finding(s), see suspicion.txt" for s, n in sorted(self.suspicious.items())
        ]
        if self.reports:
            lines.append(f"  reports in {self.reports['grades.csv'].parent}")
        if not self.confined:
            lines.append(UNCONFINED_WARNING)
        return "\n".join(lines)


def submission_digest(folder: Path, source: Path) -> str:
    """A submission's content hash: every file of its folder (names and bytes) and the lesson's
    source notebook, so a changed submission or a changed exercise is graded again."""
    digest = hashlib.sha256(source.read_bytes())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = str(path.relative_to(folder)).encode()
        digest.update(len(name).to_bytes(4, "big") + name + path.stat().st_size.to_bytes(8, "big"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _source_notebook(root: Path, lesson: str) -> Path:
    (path,) = sorted((root / "solutions" / lesson).glob("*.ipynb"))
    return path


def collect_zip(root: Path, lesson: str, archive: Path) -> list[str]:
    """Put the notebooks of an LMS zip download into ``submitted/<student>/<lesson>/``.

    Accepted layouts: ``<student>/<anything>.ipynb`` or ``<student>_<anything>.ipynb`` (most LMS
    downloads; Moodle's ``Name_123_assignsubmission_file_...``, as a file or as a folder, gives
    ``Name``), also inside one folder that wraps the whole download. Anything else is skipped: a
    loose notebook without a student prefix (the lesson's own ``01_pixels.ipynb`` included), deeper
    folders, entries with absolute paths or ``..``,
    links, files over 20 MiB. A student with several notebooks gets the newest (by the zip's
    date). Returns the students.
    """
    name = _source_notebook(root, lesson).name
    chosen: dict[str, zipfile.ZipInfo] = {}
    with zipfile.ZipFile(archive) as bundle:
        notebooks = [Path(i.filename).parts for i in bundle.infolist() if i.filename.endswith(".ipynb")]
        tops = {parts[0] for parts in notebooks}
        wrapper = 1 if len(tops) == 1 and all(len(parts) > 1 for parts in notebooks) else 0
        for info in bundle.infolist():
            student = _zip_student(info, name, wrapper)
            if student and (student not in chosen or info.date_time > chosen[student].date_time):
                chosen[student] = info
        for student, info in chosen.items():
            target = root / "submitted" / student / lesson / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
    return sorted(chosen)


def _zip_student(info: zipfile.ZipInfo, notebook: str, wrapper: int) -> str:
    """The student a zip entry belongs to, or "" when it is not a submission to take; ``wrapper``
    is 1 when one folder wraps the whole download."""
    parts = Path(info.filename).parts[wrapper:]
    if info.is_dir() or not info.filename.endswith(".ipynb") or info.filename.startswith("/"):
        return ""
    if ".." in Path(info.filename).parts or "__MACOSX" in parts or info.file_size > 20 * 1024**2:
        return ""
    if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symlink
        return ""
    if len(parts) == 2:
        student = parts[0].split("_", 1)[0]
    elif len(parts) == 1 and "_" in parts[0] and parts[0] != notebook:
        student = parts[0].split("_", 1)[0]
    else:
        return ""
    return student if _STUDENT.match(student) else ""


class _Progress:
    """One line: graded, failed, remaining, the workers in use and the time so far; rewritten in
    place on a terminal, one line per submission (and per change of workers) in a file."""

    def __init__(self, total: int, stream=None, enabled: bool = True, workers=lambda: 1) -> None:
        stream = sys.stderr if stream is None else stream  # the stderr of now, not of import time
        self.total, self.done, self.failed, self.stream, self.enabled = total, 0, 0, stream, enabled
        self.workers, self.shown_workers, self.length = workers, None, 0
        self.start = time.perf_counter()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def step(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        self._write()

    def show(self) -> None:
        """Refresh the line without a new result (on a file: only when the workers changed)."""
        if self.tty or self.workers() != self.shown_workers:
            self._write()

    def line(self) -> str:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        workers = self.shown_workers = self.workers()
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done - self.failed} graded, {self.failed} failed, "
            f"{self.total - self.done} remaining, {workers} worker{'s' * (workers != 1)}, "
            f"{time.perf_counter() - self.start:.0f} s"
        )

    def _write(self) -> None:
        if not self.enabled:
            return
        line = self.line()
        if self.tty:
            padded, self.length = line.ljust(self.length), len(line)
            self.stream.write("\r" + padded + ("\n" if self.done == self.total else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def grade(
    root: Path | str,
    lesson: str,
    *,
    workers: int | None = None,
    limits: Limits | None = None,
    use_bwrap: bool | None = None,
    students: list[str] | None = None,
    progress: bool = True,
    write_feedback: bool = True,
    regrade: bool = False,
    scheduler: str | None = None,
) -> Summary:
    """Grade ``submitted/*/<lesson>/`` of the course at ``root``; see the module's docstring.

    ``scheduler`` (``tcp://HOST:PORT``) grades on that Dask cluster's workers instead of this
    machine's cores; ``ClusterRefused`` when it cannot (nothing is graded then).
    """
    started = time.perf_counter()
    root = Path(root).resolve()
    source_path = _source_notebook(root, lesson)
    name = source_path.name
    source = nbformat.read(source_path, as_version=4)
    released_path = root / "notebooks" / lesson / name
    released = nbformat.read(released_path, as_version=4) if released_path.exists() else source
    plans = plans_of(source.cells, lesson)
    lesson_folder = root / "solutions" / lesson
    extra_files = {
        str(p.relative_to(lesson_folder)): p.read_bytes()
        for p in sorted(lesson_folder.rglob("*"))
        if p.is_file() and p.suffix != ".ipynb" and ".ipynb_checkpoints" not in p.parts
    }
    limits = (limits or Limits()).for_course(root)
    fingerprint, preload = course_fingerprint(), preload_for(source)
    job = Job(lesson, name, source, released, plans, extra_files, limits, use_bwrap, fingerprint, preload)
    folders = sorted(p for p in (root / "submitted").glob(f"*/{lesson}") if p.is_dir())
    if students is not None:
        folders = [f for f in folders if f.parent.name in students]
    report_folder = root / "reports" / lesson
    records_path = report_folder / "records.json"
    earlier = record.load(records_path)
    digests = {f.parent.name: submission_digest(f, source_path) for f in folders}
    unchanged = []
    if not regrade:  # a submission graded before, unchanged, against the same source: kept
        unchanged = sorted(s for s, d in digests.items() if s in earlier and earlier[s].settled(d))
        folders = [f for f in folders if f.parent.name not in unchanged]
    runner = Cluster(scheduler) if scheduler else LocalPool(max(1, workers or os.cpu_count() or 1))
    with runner, contextlib.ExitStack() as stack:
        runner.check(job)  # a cluster that cannot grade this course refuses before anything is written
        gradebook.ensure_lesson(root, lesson, source_path.stem)
        book = stack.enter_context(gradebook.opened(root))
        writer = _Writer(root, lesson, source, source_path.stem, plans, write_feedback, book)
        summary = Summary(lesson, unchanged=unchanged, confined=runner.confined(use_bwrap))
        bar = _Progress(len(folders), enabled=progress, workers=runner.in_use)
        submissions = {f.parent.name: f for f in folders}
        try:
            for student, outcome in runner.grade(job, submissions):
                if student is None:  # no result this second: the bar shows the workers in use
                    bar.show()
                    continue
                writing = time.perf_counter()
                done = writer.record(submissions[student], outcome)
                done = dataclasses.replace(done, digest=digests[student])
                record.append(records_path, done)  # kept at once: an interrupted run loses nothing graded
                summary.serial_seconds += time.perf_counter() - writing
                summary.records.append(done)
                summary.confined &= not isinstance(outcome, dict) or outcome.get("confined", True)
                bar.step(done.failed)
        except SchedulerLost as lost:
            graded = {r.student for r in summary.records}
            summary.stopped = f"{lost}; {len(graded)} graded and kept"
            summary.not_graded = sorted(set(submissions) - graded)
        finally:  # also on Ctrl+C: the records and reports of what was graded
            everyone = {**earlier, **{r.student: r for r in summary.records}}
            record.save(records_path, everyone)  # earlier runs' students not graded now stay
            summary.reports = report.write_reports(
                report_folder, lesson, list(everyone.values()), list(plans)
            )
    summary.notes += runner.notes
    summary.serial_seconds += runner.serial_seconds
    for done in summary.records:
        if done.failed:
            summary.failed[done.student] = done.error
        else:
            summary.graded.append(done.student)
            if done.suspicious:
                summary.suspicious[done.student] = len(done.suspicious)
    summary.seconds = time.perf_counter() - started
    return summary


def _why(error: BaseException) -> str:
    if type(error).__name__ == "KilledWorker":
        return "every Dask worker that graded it died (3 tries); the next run tries again"
    return repr(error)


def _feedback(root: Path, lesson: str, student: str, submitted: Path, file: Path, page: str) -> None:
    """Write the feedback page as nbgrader's generate_feedback would: named after the learner's
    notebook, with the submission's timestamp and secret beside it, so that `nbgrader
    release_feedback` finds it and the learner's Assignments tab matches it to their submission."""
    folder = root / "feedback" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{file.stem}.html").write_text(page)
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (submitted / name).is_file():
            shutil.copy2(submitted / name, folder / name)


@dataclass
class _Writer:
    """In the grading process only, one student at a time: the gradebook (open for the run), the
    feedback and the student's record for the reports."""

    root: Path
    lesson: str
    source: Any  # the source notebook
    stem: str  # its name without .ipynb, the gradebook's notebook
    plans: dict
    write_feedback: bool
    book: Any  # gradebook.opened

    def record(self, folder: Path, outcome) -> Record:
        """The record of one student from what grading gave (a result, or an exception of ours)."""
        student = folder.parent.name
        if isinstance(outcome, BaseException):  # a bug of ours (or lost workers) must not stop the class
            return Record(student, error=f"{GRADER_ERROR}{_why(outcome)}")
        try:
            return self._finish(folder, outcome)
        except Exception as error:  # a gradebook out of step, a full disk: this student only
            return Record(student, error=f"{GRADER_ERROR}{error!r}")

    def _finish(self, submitted: Path, result: dict) -> Record:
        root, lesson, stem, plans, book = self.root, self.lesson, self.stem, self.plans, self.book
        student = result["student"]
        stamp = submitted / "timestamp.txt"
        timestamp = stamp.read_text().strip() if stamp.is_file() else ""
        if "error" in result:  # a row of zeros in the gradebook, so exports list the student, and a page
            zeros = dict.fromkeys(plans, 0.0)
            gradebook.write_scores(root, lesson, stem, student, zeros, timestamp, book=book)
            if self.write_feedback:
                page = report.failure_html(lesson, student, result["error"])
                _feedback(root, lesson, student, submitted, Path(result.get("file") or stem), page)
            return Record(student, error=result["error"], max_score=sum(p.points for p in plans.values()))
        notebook, graded = result["notebook"], result["graded"]
        points = {gid: cell.points for gid, cell in graded.tests.items()}
        cleared = gradebook.write_scores(root, lesson, stem, student, points, timestamp, book=book)
        late = gradebook.seconds_late(root, lesson, student, book=book) if timestamp else 0.0
        if self.write_feedback:
            page = report.feedback_html(lesson, student, notebook, graded, late=late)
            _feedback(root, lesson, student, submitted, Path(result["file"]), page)
            auto = root / "autograded" / student / lesson
            auto.mkdir(parents=True, exist_ok=True)
            nbformat.write(report.autograded_notebook(self.source, notebook, graded), auto / f"{stem}.ipynb")
        return Record(
            student,
            score=sum(cell.points for cell in graded.tests.values()),
            max_score=sum(cell.max_points for cell in graded.tests.values()),
            tests={gid: (cell.points, cell.max_points) for gid, cell in graded.tests.items()},
            messages={gid: cell.message for gid, cell in graded.tests.items()},
            mistakes=tuple(m for cell in graded.tests.values() for m in cell.mistakes),
            suspicious=tuple(report.suspicions(notebook, graded, cleared)),
            notes=(*notebook.notes, *graded.notes),
            late=late,
            seconds=graded.seconds,
            restarts=graded.restarts,
        )
