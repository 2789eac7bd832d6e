"""coursetools.grading.command: collecting, grading a class side by side, progress and the summary."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest

from cnnlib.checks import CheckResult, Verdict
from coursetools.grading import command, job
from coursetools.grading.cluster import ClusterRefused, LocalPool, SchedulerLost
from coursetools.grading.command import UNCONFINED_WARNING, Summary, _Progress, collect_zip, grade
from coursetools.grading.plan import CellResult
from coursetools.grading.record import Record
from coursetools.grading.session import CellRun, Graded

REPO = Path(__file__).resolve().parents[2]
LESSON = "01_pixels"
NAME = f"{LESSON}.ipynb"
# the test cells of lesson 01 (solutions/01_pixels/01_pixels.ipynb) with their points
POINTS = {
    "test_make_smiley": 1.0,
    "test_make_smiley_hidden": 2.0,
    "test_invert": 1.0,
    "test_invert_hidden": 2.0,
    "test_crop": 1.0,
    "test_crop_hidden": 2.0,
    "test_brighten": 1.0,
    "test_brighten_hidden": 2.0,
}
WRAPS = "invert(<array (1, 2) uint8>) wraps around: 0 became 0 <not 255>"


@pytest.fixture
def course(tmp_path) -> Path:
    """A course with lesson 01: its source and released notebooks and a data file beside the source."""
    for folder in ("solutions", "notebooks"):
        (tmp_path / folder / LESSON).mkdir(parents=True)
        shutil.copyfile(REPO / folder / LESSON / NAME, tmp_path / folder / LESSON / NAME)
    (tmp_path / "solutions" / LESSON / "data").mkdir()
    (tmp_path / "solutions" / LESSON / "data" / "face.txt").write_text("0 1\n")
    return tmp_path


# ------------------------------------------------------------------ collect_zip


def _zip(path: Path, entries: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            bundle.writestr(info, "/etc/passwd")
    return path


def _submitted(course: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(course / "submitted")): path.read_bytes()
        for path in sorted((course / "submitted").rglob("*"))
        if path.is_file()
    }


def test_a_zip_of_folders_or_of_prefixed_files_becomes_one_notebook_per_student(course, tmp_path):
    archive = _zip(
        tmp_path / "download.zip",
        {
            "ann/pixels.ipynb": b"ann's",
            "bob_123_assignsubmission_file_01_pixels.ipynb": b"bob's",
            "cat_456_assignsubmission_file_/01_pixels.ipynb": b"cat's",  # Moodle's folder layout
        },
    )
    assert collect_zip(course, LESSON, archive) == ["ann", "bob", "cat"]
    assert _submitted(course) == {
        f"ann/{LESSON}/{NAME}": b"ann's",
        f"bob/{LESSON}/{NAME}": b"bob's",
        f"cat/{LESSON}/{NAME}": b"cat's",
    }


def test_one_folder_wrapping_the_whole_download_is_looked_through(course, tmp_path):
    archive = _zip(
        tmp_path / "download.zip",
        {"Pixels (group A)/dan/anything.ipynb": b"dan's", "Pixels (group A)/eve_1_file.ipynb": b"eve's"},
    )
    assert collect_zip(course, LESSON, archive) == ["dan", "eve"]


def test_notebooks_that_name_no_student_are_skipped_and_the_newest_of_two_is_taken(course, tmp_path):
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("dee.ipynb", b"no student prefix")
        bundle.writestr(NAME, b"the lesson's own notebook")
        bundle.writestr("ben/data/extra.ipynb", b"a folder too deep")
        bundle.writestr(zipfile.ZipInfo("ann_attempt2.ipynb", (2026, 12, 2, 9, 0, 0)), b"second")
        bundle.writestr(zipfile.ZipInfo("ann_attempt1.ipynb", (2026, 12, 1, 9, 0, 0)), b"first")
    assert collect_zip(course, LESSON, path) == ["ann"]
    assert _submitted(course) == {f"ann/{LESSON}/{NAME}": b"second"}


def test_entries_that_could_escape_or_are_not_notebooks_are_skipped(course, tmp_path):
    archive = _zip(
        tmp_path / "download.zip",
        {
            "../eve/pixels.ipynb": b"up",
            "ann/../../eve.ipynb": b"up again",
            "/eve/pixels.ipynb": b"absolute",
            "__MACOSX/ann/._pixels.ipynb": b"resource fork",
            "big/pixels.ipynb": bytes(21 * 1024**2),  # zeros: a small zip, a 21 MiB notebook
            "-rf/pixels.ipynb": b"not a student name",
            "ann smith/pixels.ipynb": b"a space",
            f"{'x' * 101}/pixels.ipynb": b"a name too long",
            "ann/notes.txt": b"not a notebook",
            "ann/folder.ipynb/": b"",
            "ok/pixels.ipynb": b"kept",
        },
        links=("link/pixels.ipynb",),
    )
    assert collect_zip(course, LESSON, archive) == ["ok"]
    assert _submitted(course) == {f"ok/{LESSON}/{NAME}": b"kept"}
    assert not (course / "eve.ipynb").exists() and not (course.parent / "eve").exists()


def test_a_name_of_a_hundred_characters_and_dots_dashes_and_at_signs_are_students(course, tmp_path):
    names = ["x" * 100, "ann.lee@uni.edu", "bob-2"]
    archive = _zip(tmp_path / "download.zip", {f"{name}/pixels.ipynb": name.encode() for name in names})
    assert collect_zip(course, LESSON, archive) == sorted(names)


# ------------------------------------------------------------------ summary and progress


def test_the_summary_counts_and_lists_failed_and_suspicious_students():
    summary = Summary(
        LESSON,
        graded=["cat", "ann"],
        failed={"dee": "no 01_pixels.ipynb in the submission", "bob": "grader error: RuntimeError('boom')"},
        suspicious={"cat": 2},
        reports={"grades.csv": Path("/course/reports/01_pixels/grades.csv")},
        seconds=12.34,
    )
    assert summary.text() == (
        "01_pixels: 2 graded, 2 failed, 1 suspicious, in 12.3 s\n"
        "  failed bob: grader error: RuntimeError('boom')\n"
        "  failed dee: no 01_pixels.ipynb in the submission\n"
        "  suspicious cat: 2 finding(s), see suspicion.txt\n"
        "  reports in /course/reports/01_pixels"
    )


def test_the_summary_warns_when_learner_code_ran_unconfined():
    summary = Summary(LESSON, graded=["ann"], confined=False, seconds=1.0)
    assert summary.text() == f"01_pixels: 1 graded, 0 failed, 0 suspicious, in 1.0 s\n{UNCONFINED_WARNING}"
    assert "UNCONFINED" in UNCONFINED_WARNING and "apt-get install bubblewrap" in UNCONFINED_WARNING


def test_progress_to_a_file_writes_one_line_per_submission_and_per_change_of_workers():
    stream, workers = io.StringIO(), [2]
    bar = _Progress(3, stream, workers=lambda: workers[0])
    bar.start -= 7.2  # as if grading began 7 s ago
    bar.step(False)
    bar.show()  # nothing new: no line
    workers[0] = 1  # a worker left
    bar.show()
    bar.step(True)
    bar.step(False)
    assert stream.getvalue() == (
        "[##########....................] 1 graded, 0 failed, 2 remaining, 2 workers, 7 s\n"
        "[##########....................] 1 graded, 0 failed, 2 remaining, 1 worker, 7 s\n"
        "[####################..........] 1 graded, 1 failed, 1 remaining, 1 worker, 7 s\n"
        "[##############################] 2 graded, 1 failed, 0 remaining, 1 worker, 7 s\n"
    )
    assert (bar.done, bar.failed) == (3, 1)


def test_progress_to_a_terminal_rewrites_one_line_and_ends_it_at_the_last():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream, workers = Terminal(), [12]
    bar = _Progress(2, stream, workers=lambda: workers[0])
    bar.step(True)
    workers[0] = 2
    bar.show()  # a shorter line is padded over the longer one
    bar.step(True)
    assert stream.getvalue() == (
        "\r[###############...............] 0 graded, 1 failed, 1 remaining, 12 workers, 0 s"
        "\r[###############...............] 0 graded, 1 failed, 1 remaining, 2 workers, 0 s "
        "\r[##############################] 0 graded, 2 failed, 0 remaining, 2 workers, 0 s\n"
    )


def test_progress_switched_off_writes_nothing_but_still_counts():
    stream = io.StringIO()
    bar = _Progress(2, stream, enabled=False)
    bar.step(True)
    assert (stream.getvalue(), bar.done, bar.failed) == ("", 1, 1)


# ------------------------------------------------------------------ grade, without sandboxes


def _passed(grade_id: str) -> CellResult:
    exercise = grade_id.removeprefix("test_").removesuffix("_hidden")
    return CellResult(grade_id, POINTS[grade_id], (CheckResult(exercise, 4, grade_id.endswith("_hidden")),))


class FakeGrader:
    """Stands in for ``grade_submission`` (no child): every check passes, but bob's invert wraps
    around, and a student named in ``raises`` makes the grader raise."""

    def __init__(self, raises: tuple[str, ...] = ()) -> None:
        self.raises, self.calls = raises, []

    def __call__(self, student, folder, notebook, plans, lesson, sandbox, extra_files, preload=()) -> Graded:
        files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
        self.calls.append((student, files, lesson, list(plans), sandbox.confined, extra_files))
        if student in self.raises:
            raise RuntimeError("boom")
        tests = {grade_id: _passed(grade_id) for grade_id in plans}
        if student == "bob":
            wraps = CheckResult("invert", 4, False, Verdict(False, WRAPS, "wraps_around"))
            tests["test_invert"] = CellResult("test_invert", 1.0, (wraps,))
        invert = next(cell.index for cell in notebook.cells if cell.grade_id == "invert")
        return Graded(
            student, runs={invert: CellRun(invert, stdout=f"{student} ran\n")}, tests=tests, seconds=0.5
        )


@pytest.fixture
def fakes(monkeypatch):
    """The grader without a child and without nbgrader: what the gradebook was told is kept."""
    grader, written, ensured = FakeGrader(), [], []
    monkeypatch.setattr(job, "grade_submission", grader)
    monkeypatch.setattr(command.gradebook, "ensure_lesson", lambda *args: ensured.append(args))

    def write_scores(root, lesson, notebook, student, points, timestamp="", book=None):
        written.append((lesson, notebook, student, points))
        grader.timestamps[student] = timestamp
        return ["test_invert (was 1)"] if student == "bob" else []

    monkeypatch.setattr(command.gradebook, "write_scores", write_scores)
    monkeypatch.setattr(
        command.gradebook, "seconds_late", lambda root, lesson, student, book=None: grader.late.get(student, 0.0)
    )
    monkeypatch.setattr(command.gradebook, "opened", lambda root: contextlib.nullcontext())
    grader.timestamps, grader.late = {}, {}
    return grader, written, ensured


def _submit(course: Path, student: str, files: dict[str, bytes | Path]) -> None:
    folder = course / "submitted" / student / LESSON
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data.read_bytes() if isinstance(data, Path) else data)


RELEASED = REPO / "notebooks" / LESSON / NAME


def _grade(course: Path, **options) -> Summary:
    return grade(course, LESSON, use_bwrap=False, progress=False, workers=3, **options)


def _csv(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_each_student_is_graded_or_fails_alone_with_the_reason(course, fakes):
    grader, written, ensured = fakes
    _submit(course, "ann", {NAME: RELEASED})
    _submit(course, "bob", {NAME: RELEASED})
    _submit(course, "cat", {NAME: b"{not json"})
    _submit(course, "dee", {"notes.txt": b"I forgot"})
    _submit(course, "eve", {"my_pixels.ipynb": RELEASED})  # the only notebook: graded under another name
    _submit(course, "gus", {"a.ipynb": RELEASED, "b.ipynb": RELEASED})
    (course / "submitted" / "ann" / "02_colour").mkdir()  # another lesson: not this run's

    summary = _grade(course)
    assert sorted(summary.graded) == ["ann", "bob", "eve"]
    assert summary.failed == {
        "cat": "not a notebook: the file is not valid JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        "dee": "no 01_pixels.ipynb in the submission",
        "gus": "no 01_pixels.ipynb in the submission",
    }
    assert summary.suspicious == {"bob": 1}  # the manual score the gradebook cleared
    assert summary.confined is False and summary.text().endswith(UNCONFINED_WARNING)

    assert ensured == [(course, LESSON, LESSON)]
    # every submitted student has a gradebook row, so exports list them all: zeros for the failed
    assert sorted(student for *_, student, _ in written) == ["ann", "bob", "cat", "dee", "eve", "gus"]
    assert {stem for _, stem, *_ in written} == {LESSON}
    bob_points = next(points for *_, student, points in written if student == "bob")
    assert bob_points == {**POINTS, "test_invert": 0.0}
    for student in ("cat", "dee", "gus"):
        assert next(points for *_, who, points in written if who == student) == dict.fromkeys(POINTS, 0.0)
    (call,) = [c for c in grader.calls if c[0] == "ann"]
    # a private copy of ann's folder, the lesson's own files beside it (as bytes, as a worker gets them)
    assert call[1:] == (
        {NAME: RELEASED.read_bytes()},
        LESSON,
        list(POINTS),
        False,
        {"data/face.txt": b"0 1\n"},
    )


def test_a_grader_error_fails_that_student_and_the_others_are_still_graded(course, fakes, monkeypatch):
    monkeypatch.setattr(job, "grade_submission", FakeGrader(raises=("bob",)))
    for student in ("ann", "bob", "cat"):
        _submit(course, student, {NAME: RELEASED})
    summary = _grade(course)
    assert sorted(summary.graded) == ["ann", "cat"]
    assert summary.failed == {"bob": "grader error: RuntimeError('boom')"}
    assert "  failed bob: grader error: RuntimeError('boom')" in summary.text().splitlines()


def test_a_gradebook_that_refuses_one_student_fails_that_student_and_the_reports_are_written(
    course, fakes, monkeypatch
):
    def write_scores(root, lesson, notebook, student, points, timestamp="", book=None):
        if student == "bob":
            raise LookupError("No such grade cell: test_new")  # a source changed after release
        return []

    monkeypatch.setattr(command.gradebook, "write_scores", write_scores)
    for student in ("ann", "bob"):
        _submit(course, student, {NAME: RELEASED})
    summary = _grade(course)
    assert summary.graded == ["ann"]
    assert summary.failed == {"bob": "grader error: LookupError('No such grade cell: test_new')"}
    assert (course / "reports" / LESSON / "grades.csv").exists()


def test_the_records_feedback_and_reports_of_a_run_are_written(course, fakes):
    _submit(course, "ann", {NAME: RELEASED})
    _submit(course, "bob", {NAME: RELEASED})
    _submit(course, "cat", {NAME: b"[]"})
    summary = _grade(course)

    reports = course / "reports" / LESSON
    assert summary.reports["grades.csv"] == reports / "grades.csv"
    assert _csv(reports / "grades.csv") == [
        ["student", "score", "max_score", "status", *POINTS],
        ["ann", "12", "12", "graded", "1", "2", "1", "2", "1", "2", "1", "2"],
        ["bob", "11", "12", "graded", "1", "2", "0", "2", "1", "2", "1", "2"],
        ["cat", "0", "12", "failed: not a notebook: the file holds no JSON object", *["0"] * 8],
    ]
    assert _csv(reports / "mistakes.csv") == [
        ["exercise", "diagnosis", "students"],
        ["invert", "wraps_around", "1"],
    ]
    assert _csv(reports / "suspicion.csv") == [
        ["student", "kind", "detail"],
        ["bob", "manual score cleared", "test_invert (was 1)"],
    ]
    assert (reports / "mistakes.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    bob = Record.from_json(
        next(r for r in json.loads((reports / "records.json").read_text()) if r["student"] == "bob")
    )
    assert (bob.score, bob.max_score, bob.seconds, bob.notes) == (11.0, 12.0, 0.5, ())
    assert (
        bob.mistakes == (("invert", "wraps_around"),)
        and bob.messages["test_invert"] == f"CheckFailure: {WRAPS}"
    )

    page = (course / "feedback" / "bob" / LESSON / f"{LESSON}.html").read_text()
    assert "<h1>01_pixels: 11 / 12 points</h1>" in page and '<pre class="out">bob ran</pre>' in page
    autograded = nbformat.read(course / "autograded" / "bob" / LESSON / NAME, as_version=4)
    assert len(autograded.cells) == len(nbformat.read(RELEASED, as_version=4).cells)
    # cat is told why nothing was graded, on a page of its own; nothing autograded exists for cat
    failure = (course / "feedback" / "cat" / LESSON / f"{LESSON}.html").read_text()
    assert "<h1>01_pixels: not graded</h1>" in failure
    assert "could not be graded: not a notebook: the file holds no JSON object." in failure
    assert not (course / "autograded" / "cat").exists()


def test_a_submission_from_nbgraders_exchange_keeps_its_time_and_its_feedback_finds_the_way_back(course, fakes):
    """nbgrader collect leaves timestamp.txt and submission_secret.txt beside the notebook;
    release_feedback needs both beside the feedback page, named after the learner's notebook."""
    grader = fakes[0]
    stamp, secret = b"2026-12-04 11:05:00.123456 UTC", b"f00d" * 32
    _submit(course, "eve", {"my_pixels.ipynb": RELEASED, "timestamp.txt": stamp, "submission_secret.txt": secret})
    _submit(course, "ann", {NAME: RELEASED})
    grader.late["eve"] = 2 * 3600 + 5 * 60
    _grade(course)
    assert grader.timestamps == {"eve": stamp.decode(), "ann": ""}
    feedback = course / "feedback" / "eve" / LESSON
    assert sorted(p.name for p in feedback.iterdir()) == ["my_pixels.html", "submission_secret.txt", "timestamp.txt"]
    assert (feedback / "timestamp.txt").read_bytes() == stamp and (feedback / "submission_secret.txt").read_bytes() == secret
    assert "Submitted 2 h 5 min after the due date" in (feedback / "my_pixels.html").read_text()
    assert "after the due date" not in (course / "feedback" / "ann" / LESSON / f"{LESSON}.html").read_text()
    rows = {row[0]: row[3] for row in _csv(course / "reports" / LESSON / "grades.csv")}
    assert (rows["eve"], rows["ann"]) == ("graded, 2 h 5 min late", "graded")


def test_a_rerun_grades_only_what_is_new_or_changed_and_regrade_grades_everything(course, fakes):
    grader = fakes[0]
    for student in ("ann", "bob"):
        _submit(course, student, {NAME: RELEASED})
    _submit(course, "cat", {NAME: b"{not json"})
    _grade(course)
    assert sorted(c[0] for c in grader.calls) == ["ann", "bob"]

    grader.calls.clear()
    again = _grade(course)  # nothing changed: nothing graded, every row kept
    assert (grader.calls, again.graded, again.failed) == ([], [], {})
    assert again.unchanged == ["ann", "bob", "cat"]
    assert "3 unchanged since they were last graded, kept as they were (--regrade" in again.text()
    assert [row[0] for row in _csv(course / "reports" / LESSON / "grades.csv")][1:] == ["ann", "bob", "cat"]

    (course / "submitted" / "bob" / LESSON / "notes.txt").write_text("a file added")  # bob changed
    _submit(course, "dee", {NAME: RELEASED})  # dee is new
    changed = _grade(course)
    assert sorted(c[0] for c in grader.calls) == ["bob", "dee"] and changed.unchanged == ["ann", "cat"]

    grader.calls.clear()
    forced = _grade(course, regrade=True)
    assert sorted(c[0] for c in grader.calls) == ["ann", "bob", "dee"] and forced.unchanged == []
    assert forced.failed == {"cat": "not a notebook: the file is not valid JSON "
                             "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"}


def test_a_changed_lesson_source_or_a_grader_error_is_graded_again(course, fakes):
    grader = fakes[0]
    grader.raises = ("bob",)
    for student in ("ann", "bob"):
        _submit(course, student, {NAME: RELEASED})
    first = _grade(course)
    assert first.failed["bob"].startswith("grader error: ")
    grader.raises, grader.calls = (), []
    _grade(course)
    assert [c[0] for c in grader.calls] == ["bob"]  # a bug of ours is no reason to keep a result
    source = course / "solutions" / LESSON / NAME
    source.write_bytes(source.read_bytes().replace(b"Pixels", b"Pixels!", 1))  # an exercise fixed
    grader.calls = []
    _grade(course)
    assert sorted(c[0] for c in grader.calls) == ["ann", "bob"]


def test_no_feedback_is_written_when_it_is_not_asked_for(course, fakes):
    _submit(course, "ann", {NAME: RELEASED})
    summary = _grade(course, write_feedback=False)
    assert summary.graded == ["ann"]
    assert not (course / "feedback").exists() and not (course / "autograded").exists()


def test_grading_some_students_again_keeps_the_others_records_in_the_reports(course, fakes, monkeypatch):
    for student in ("ann", "bob", "cat"):
        _submit(course, student, {NAME: RELEASED})
    _grade(course)
    # bob hands in again, now without the notebook; ann's file breaks but she is not regraded
    (course / "submitted" / "bob" / LESSON / NAME).unlink()
    (course / "submitted" / "ann" / LESSON / NAME).write_text("broken")

    summary = _grade(course, students=["bob"])
    assert (summary.graded, summary.failed) == ([], {"bob": "no 01_pixels.ipynb in the submission"})
    records = json.loads((course / "reports" / LESSON / "records.json").read_text())
    assert [(r["student"], r["error"], r["score"]) for r in records] == [
        ("ann", "", 12.0),
        ("bob", "no 01_pixels.ipynb in the submission", 0.0),
        ("cat", "", 12.0),
    ]
    assert [row[:4] for row in _csv(course / "reports" / LESSON / "grades.csv")] == [
        ["student", "score", "max_score", "status"],
        ["ann", "12", "12", "graded"],
        ["bob", "0", "12", "failed: no 01_pixels.ipynb in the submission"],
        ["cat", "12", "12", "graded"],
    ]


# ------------------------------------------------------------------ runs that stop, clusters that refuse


class LosesItsScheduler(LocalPool):
    """A cluster whose scheduler goes away after ``keep`` results (one worker, in order)."""

    keep = 2

    def __init__(self, address: str) -> None:
        super().__init__(1)

    def grade(self, job, submissions):
        for count, outcome in enumerate(super().grade(job, submissions)):
            if count == self.keep:
                raise SchedulerLost("lost the Dask scheduler at tcp://10.0.0.9:8786")
            yield outcome


def test_a_lost_scheduler_stops_the_run_and_keeps_what_was_graded_for_the_next_run(course, fakes, monkeypatch):
    grader = fakes[0]
    monkeypatch.setattr(command, "Cluster", LosesItsScheduler)
    for student in ("ann", "bob", "cat", "dee"):
        _submit(course, student, {NAME: RELEASED})
    summary = _grade(course, scheduler="tcp://10.0.0.9:8786")
    assert summary.graded == ["ann", "bob"] and summary.not_graded == ["cat", "dee"]
    assert summary.text().splitlines()[1] == (
        "  STOPPED: lost the Dask scheduler at tcp://10.0.0.9:8786; 2 graded and kept; 2 not graded yet: "
        "run the same command again to grade them (what was graded is kept and not graded again)"
    )
    assert [row[0] for row in _csv(course / "reports" / LESSON / "grades.csv")][1:] == ["ann", "bob"]
    monkeypatch.setattr(command, "Cluster", lambda address: LocalPool(2))  # the scheduler is back
    grader.calls.clear()
    again = _grade(course, scheduler="tcp://10.0.0.9:8786")
    assert sorted(c[0] for c in grader.calls) == ["cat", "dee"] and again.unchanged == ["ann", "bob"]


def test_an_interrupted_run_keeps_every_result_that_arrived(course, fakes, monkeypatch):
    class Interrupted(FakeGrader):
        def __call__(self, student, *args):
            if student == "cat":
                raise KeyboardInterrupt  # Ctrl+C while cat is graded
            return super().__call__(student, *args)

    monkeypatch.setattr(job, "grade_submission", Interrupted())
    for student in ("ann", "bob", "cat"):
        _submit(course, student, {NAME: RELEASED})
    with pytest.raises(KeyboardInterrupt):
        grade(course, LESSON, use_bwrap=False, progress=False, workers=1)
    kept = json.loads((course / "reports" / LESSON / "records.json").read_text())
    assert [(r["student"], r["score"]) for r in kept] == [("ann", 12.0), ("bob", 11.0)]
    assert (course / "feedback" / "bob" / LESSON / NAME.replace(".ipynb", ".html")).exists()


def test_a_cluster_that_refuses_the_course_leaves_everything_untouched(course, fakes, monkeypatch):
    class Refuses(LocalPool):
        def __init__(self, address):
            super().__init__(1)

        def check(self, job):
            raise ClusterRefused("these workers cannot grade this course")

    monkeypatch.setattr(command, "Cluster", Refuses)
    _submit(course, "ann", {NAME: RELEASED})
    with pytest.raises(ClusterRefused):
        _grade(course, scheduler="tcp://10.0.0.9:8786")
    assert fakes[0].calls == [] and fakes[1] == [] and fakes[2] == []
    assert not (course / "reports").exists() and not (course / "feedback").exists()
