"""The grading command (coursetools.grading) against a catalogue of hostile and clumsy submissions.

One temporary course per run: the first lesson, the catalogue of ``tests/grading_attacks`` (every
class: cheats in the kernel, reads and writes outside the folder, cross-student attacks, process
deaths, loops, memory, output floods, invalid files, edited, deleted, duplicated and re-tagged
cells, honest slips) plus honest submissions, graded once by ``grade`` with short time limits.
Each is scored as it deserves, the others are untouched, the gradebook and cnnlib are intact.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from cnnlib.checks import exercises
from coursetools import pipeline
from coursetools.grading import command, gradebook
from coursetools.grading import record as records
from coursetools.grading.limits import Limits
from coursetools.grading.normalise import graded_cells, released_test_source
from coursetools.grading.sandbox import bwrap_works
from tests.grading_attacks import ATTACKS
from tests.submissions import right, source_notebook, submit, untouched

REPO = Path(__file__).resolve().parent.parent
LESSONS = pipeline.lessons(REPO)
LESSON = LESSONS[0]
# short limits; no figures (test_course.py checks them in every lesson's feedback)
LIMITS = Limits(cell_seconds=4, call_seconds=3, grace=3, figures=False)
NO_BWRAP = "bubblewrap is not installed or cannot run here (apt-get install bubblewrap)"


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _course(tmp: Path, lesson: str) -> Path:
    root = tmp / f"course-{lesson}"
    shutil.copytree(REPO / "solutions" / lesson, root / "solutions" / lesson)
    shutil.copy(REPO / "nbgrader_config.py", root)
    pipeline.release(root, [lesson])
    return root


def _lesson_rows(course: Path) -> list:
    """The gradebook's record of the lesson itself: its cells, their sources, points, checksums."""
    import sqlite3

    with sqlite3.connect(course / "gradebook.db") as db:
        return [
            list(db.execute(f"SELECT * FROM {table} ORDER BY id"))
            for table in (
                "assignment",
                "notebook",
                "base_cell",
                "grade_cells",
                "solution_cells",
                "source_cell",
            )
        ]


def _exercise_points(record: dict, name: str) -> tuple[float, float]:
    cells = [v for g, v in record.tests.items() if g in (f"test_{name}", f"test_{name}_hidden")]
    return sum(s for s, _ in cells), sum(m for _, m in cells)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    course = _course(tmp_path_factory.mktemp("grading"), LESSON)
    first = next(
        gid
        for gid, (_, kind, _) in graded_cells(nbformat.read(source_notebook(LESSON), as_version=4)).items()
        if kind == "solution"
    )
    reference = exercises(LESSON)[first].reference
    ctx = {
        "REFMODULE": reference.__module__,
        "REFNAME": reference.__name__,
        "FIRST": first,
        "COURSE": str(course),
        "LESSON": LESSON,
        "NOTEBOOK": source_notebook(LESSON).name,
        "OTHER": "honest_right",
        "CNNLIB": str(REPO / "cnnlib"),
    }
    submit(course, "honest_right", LESSON, right(LESSON, course))
    submit(course, "honest_untouched", LESSON, untouched(LESSON, course))
    for attack in ATTACKS:
        if attack.needs_bwrap and not bwrap_works():
            continue  # unconfined, it would really overwrite the course and cnnlib: never run it
        submit(course, attack.student, LESSON, attack.edit(right(LESSON, course, lean=True), ctx))
    # a manual score written into the gradebook before grading (as a submission once could)
    submit(
        course,
        "seeded_manual",
        LESSON,
        nbformat.read(course / "notebooks" / LESSON / source_notebook(LESSON).name, as_version=4),
    )
    gradebook.write_scores(
        course, LESSON, source_notebook(LESSON).stem, "seeded_manual", {f"test_{first}": 0.0}
    )
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as book:
        book.find_grade(
            f"test_{first}", source_notebook(LESSON).stem, LESSON, "seeded_manual"
        ).manual_score = 1.0
        book.db.commit()
    before = {
        "submitted": _tree_digest(course / "submitted"),
        "cnnlib": _tree_digest(REPO / "cnnlib"),
        "solutions": _tree_digest(course / "solutions"),
        "lesson in gradebook": _lesson_rows(course),
    }
    summary = command.grade(course, LESSON, workers=2, limits=LIMITS, progress=False)
    after = {
        "submitted": _tree_digest(course / "submitted"),
        "cnnlib": _tree_digest(REPO / "cnnlib"),
        "solutions": _tree_digest(course / "solutions"),
        "lesson in gradebook": _lesson_rows(course),
    }
    records = {r.student: r for r in summary.records}
    return {
        "course": course,
        "summary": summary,
        "records": records,
        "first": first,
        "before": before,
        "after": after,
    }


def _expect_full_except(record: dict, zero: set[str]) -> None:
    for name in exercises(LESSON):
        earned, possible = _exercise_points(record, name)
        if name in zero:
            assert earned == 0, f"{record.student}: {name} earned {earned} of {possible}"
        else:
            assert earned == possible > 0, f"{record.student}: {name} earned {earned} of {possible}: " + str(
                record.messages
            )


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.student for a in ATTACKS])
def test_each_bad_submission_is_scored_as_it_deserves(catalogue, attack):
    if attack.needs_bwrap and not catalogue["summary"].confined:
        pytest.skip(f"only the OS sandbox stops this; {NO_BWRAP}")
    if attack.invalid:
        assert attack.student in catalogue["summary"].failed
        return
    record = catalogue["records"][attack.student]
    zero = {catalogue["first"] if z == "FIRST" else z for z in attack.zero}
    _expect_full_except(record, zero)
    kinds = " | ".join(kind for kind, _ in record.suspicious)
    for word in attack.suspicious:
        assert word in kinds, f"{attack.student}: suspicion report lacks {word!r}: {record.suspicious}"


def test_honest_submissions_get_what_they_earned_and_no_suspicion(catalogue):
    records = catalogue["records"]
    _expect_full_except(records["honest_right"], set())
    assert records["honest_untouched"].score == 0
    for student in (
        "honest_right",
        "honest_untouched",
        "slip_schema",
        "slip_pasted_twice",
        "slip_deleted_test",
        "slip_duplicated_test",
        "slip_renamed",
        "death_exit",
        "flood",
        "memory",
    ):
        assert records[student].suspicious == (), (student, records[student].suspicious)


def test_slips_are_repaired_and_said(catalogue):
    notes = {s: " ".join(r.notes) for s, r in catalogue["records"].items() if not r.failed}
    assert "appears twice" in notes["slip_pasted_twice"]
    assert "put back" in notes["slip_deleted_test"]
    assert "schema_version 4" in notes["slip_schema"]
    assert "unknown grade id 'my_answer'" in notes["slip_renamed"]


def test_invalid_files_fail_alone_with_a_reason(catalogue):
    failed = catalogue["summary"].failed
    assert set(failed) == {"invalid_json", "invalid_format"}, failed
    assert "not valid JSON" in failed["invalid_json"]
    assert "unknown notebook format 9" in failed["invalid_format"]


def test_a_loop_costs_its_exercise_once_and_a_dead_process_only_its_cell(catalogue):
    records = catalogue["records"]
    first = catalogue["first"]
    assert "ran for more than 3 s" in records["loop_in_function"].messages[f"test_{first}"]
    # the hidden cell was not called again: it carries the same message
    assert "ran for more than 3 s" in records["loop_in_function"].messages[f"test_{first}_hidden"]
    assert records["death_os_exit"].restarts >= 1 and records["death_kill"].restarts >= 1


def test_nothing_outside_the_scratch_course_changed_and_submissions_are_untouched(catalogue):
    before, after = catalogue["before"], catalogue["after"]
    assert after["cnnlib"] == before["cnnlib"]
    assert after["lesson in gradebook"] == before["lesson in gradebook"]
    if catalogue["summary"].confined:
        assert after["submitted"] == before["submitted"]
        assert after["solutions"] == before["solutions"]


def test_gradebook_holds_the_scores_and_a_planted_manual_score_is_cleared(catalogue):
    course, first = catalogue["course"], catalogue["first"]
    for student in ("honest_right", "cheat_patch_checks", "seeded_manual"):
        stored = gradebook.read_scores(course, LESSON, student)
        record = catalogue["records"][student]
        assert {g: s for g, (s, _) in stored.items()} == {g: s for g, (s, _) in record.tests.items()}
    assert gradebook.read_scores(course, LESSON, "seeded_manual")[f"test_{first}"][0] == 0
    kinds = [k for k, _ in catalogue["records"]["seeded_manual"].suspicious]
    assert "manual score cleared" in kinds


def test_feedback_shows_messages_and_never_hidden_tests(catalogue):
    course = catalogue["course"]
    source = nbformat.read(source_notebook(LESSON), as_version=4)
    hidden = []
    for _, kind, cell in graded_cells(source).values():
        if kind == "test":
            kept = released_test_source(cell.source)
            hidden += [
                line.strip()
                for line in cell.source.splitlines()
                if line.strip() and line.strip() not in kept and "HIDDEN TESTS" not in line
            ]
    assert hidden
    pages = sorted((course / "feedback").glob(f"*/{LESSON}/*.html"))
    summary = catalogue["summary"]
    # a page for every submission: its grades, or why it could not be graded
    assert len(pages) == len(summary.graded) + len([s for s in summary.failed if (course / "submitted" / s).is_dir()])
    for page in pages:
        text = page.read_text()
        leaked = [line for line in hidden if line in text]
        assert not leaked and "BEGIN HIDDEN" not in text, (page, leaked)
    honest = (
        course / "feedback" / "honest_untouched" / LESSON / f"{source_notebook(LESSON).stem}.html"
    ).read_text()
    assert "NotImplementedError" in honest and "0 / " in honest


def test_reports_grades_tally_and_suspicion(catalogue):
    reports = catalogue["summary"].reports
    grades = reports["grades.csv"].read_text().splitlines()
    assert grades[0].startswith("student,score,max_score,status,test_")
    assert len(grades) == 1 + len(catalogue["records"])
    tally = reports["mistakes.csv"].read_text()
    first = catalogue["first"]
    # the broken answer (returns None) of the cheats that the checks caught, counted per student
    assert f"{first},returned_none," in tally
    assert reports["mistakes.png"].read_bytes()[:4] == b"\x89PNG"
    suspicion = reports["suspicion.txt"].read_text()
    assert "cheat_patch_checks:" in suspicion and "honest_right:" not in suspicion


# ------------------------------------------------------------------ every lesson, the sandbox, parts


def test_without_bwrap_grading_still_works_and_says_it_is_unconfined(tmp_path):
    course = _course(tmp_path, LESSON)
    submit(course, "right", LESSON, right(LESSON, course))
    summary = command.grade(course, LESSON, workers=1, limits=LIMITS, progress=False, use_bwrap=False)
    assert not summary.confined
    assert summary.records[0].score == summary.records[0].max_score
    assert "UNCONFINED" in summary.text() and "apt-get install bubblewrap" in summary.text()


def test_lms_zip_is_collected_safely(tmp_path):
    course = tmp_path
    (course / "solutions" / LESSON).mkdir(parents=True)
    shutil.copy(source_notebook(LESSON), course / "solutions" / LESSON)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("ann_12_assignsubmission_file_lesson.ipynb", "{}")
        bundle.writestr("ben/whatever.ipynb", "{}")
        bundle.writestr("../../evil/x.ipynb", "{}")
        bundle.writestr("notes.txt", "hello")
    archive = tmp_path / "lms.zip"
    archive.write_bytes(buffer.getvalue())
    assert command.collect_zip(course, LESSON, archive) == ["ann", "ben"]
    assert (course / "submitted" / "ann" / LESSON / source_notebook(LESSON).name).exists()
    assert not (tmp_path.parent / "evil").exists()


def test_cli_names_an_unknown_lesson():
    out = subprocess.run(
        [sys.executable, "-m", "coursetools", "grade", "99_nothing", "--root", str(REPO)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert out.returncode == 2 and "99_nothing" in out.stderr


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (
            "from scipy.signal import correlate2d\n    return correlate2d(image, kernel, mode='valid')",
            "scipy.signal.correlate2d computes this exercise's answer",
        ),
        (
            "from cnnlib import ops\n    return ops.conv2d(image, kernel)",
            "is cnnlib's own answer to this exercise",
        ),
    ],
)
def test_the_suspicion_report_names_the_shortcut_that_was_called(body, named):
    from cnnlib.checks import runner

    exercise = exercises("04_convolution")["conv2d_valid"]
    namespace: dict = {}
    exec(f"def conv2d_valid(image, kernel):\n    {body}\n", namespace)
    verdicts = [
        runner.judge(exercise, case, runner.call(exercise, namespace["conv2d_valid"], case))
        for case in runner.make_cases(exercise)
    ]
    failure = runner.first_failure(verdicts)
    assert failure.mistake == "shortcut"
    assert named in failure.shortcut and "\n" not in failure.shortcut, failure.shortcut


# ------------------------------------------------------------------ on a Dask cluster, on loopback
# A scheduler and two workers started as the README's recipe starts them (`dask scheduler`,
# `dask worker`), each worker under Dask's nanny with two threads. The class is the catalogue's
# submissions that take about 2 s each (no loops): right, wrong, slips, cheats, deaths, and files
# that are not notebooks; the local pool's records of them above are the reference. Graded again
# in other processes, they also show that grading is deterministic: the same scores, messages,
# mistakes, suspicions and notes.

# left out: the loops (5-20 s each), two process deaths of three (3 s each: death_exit stays), the
# planted manual score (local only) and three more, to keep the class at 21 and make test fast
SLOW = ("loop_", "seeded_manual", "death_kill", "death_os_exit", "cheat_saved_code", "slip_schema", "leak_")


def _start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, stdout=out, stderr=out, start_new_session=True, env=env, cwd=log.parent
        )


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the nanny and its worker
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from distributed import Client

    folder = tmp_path_factory.mktemp("cluster")
    dask = str(Path(sys.executable).parent / "dask")
    started = [
        _start(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(folder / "scheduler.json")],
            folder / "scheduler.log",
        )
    ]
    deadline = time.monotonic() + 60
    while not (folder / "scheduler.json").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    address = json.loads((folder / "scheduler.json").read_text())["address"]
    worker = [dask, "worker", address, "--nthreads", "2", "--no-dashboard"]
    started += [_start([*worker, "--name", f"w{i}"], folder / f"w{i}.log") for i in (1, 2)]
    watcher = Client(address, timeout=30, set_as_default=False)
    watcher.wait_for_workers(2, timeout=60)
    yield {"address": address, "client": watcher, "started": started, "folder": folder}
    watcher.close(timeout=5)
    for process in started:
        _stop(process)


def _cluster_course(tmp: Path, catalogue: dict) -> tuple[Path, list[str]]:
    course = _course(tmp, LESSON)
    students = sorted(s for s in catalogue["records"] if not s.startswith(SLOW))
    for student in students:
        shutil.copytree(catalogue["course"] / "submitted" / student, course / "submitted" / student)
    return course, students


def _same(record) -> tuple:
    """What a record says of the submission (not how long it took)."""
    return (record.error, record.score, record.max_score, record.tests, record.messages,
            record.mistakes, record.suspicious, record.notes, record.late)


def _kill_a_busy_worker(client, records: Path, killed: list) -> None:
    """Once three results are in, SIGKILL a worker that is grading, with its nanny: the machine
    is gone, and the other worker grades the rest."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        busy = {w: keys for w, keys in client.processing().items() if keys}
        done = len(records.read_text().splitlines()) if records.exists() else 0
        if done >= 3 and busy:
            worker, keys = next(iter(busy.items()))
            pid = client.run(os.getpid, workers=[worker])[worker]
            os.killpg(os.getpgid(pid), signal.SIGKILL)  # the worker and its nanny: gone for good
            killed.append((worker, list(keys)))
            return
        time.sleep(0.2)


def test_a_class_graded_on_the_cluster_gets_the_local_pools_results_though_a_worker_is_killed(
    catalogue, cluster, tmp_path
):
    course, students = _cluster_course(tmp_path, catalogue)
    assert len(students) >= 20 and {"invalid_json", "death_exit", "honest_right", "honest_untouched"} <= set(students)
    killed: list = []
    killer = threading.Thread(
        target=_kill_a_busy_worker,
        args=(cluster["client"], course / "reports" / LESSON / "records.jsonl", killed),
    )
    killer.start()
    summary = command.grade(course, LESSON, limits=LIMITS, progress=False, scheduler=cluster["address"])
    killer.join()
    (worker, keys), = killed  # a worker died mid-run, with submissions in hand
    assert keys and worker not in cluster["client"].nthreads()
    graded = [r.student for r in summary.records]
    assert sorted(graded) == students  # each once: nothing was written twice
    for done in summary.records:
        assert _same(done) == _same(catalogue["records"][done.student]), done.student
    assert summary.failed == {s: catalogue["records"][s].error for s in ("invalid_format", "invalid_json")}
    assert summary.confined == bwrap_works()
    # every student has a gradebook row, those whose file is not a notebook too (zeros)
    for student in students:
        scores = gradebook.read_scores(course, LESSON, student)
        assert sum(s for s, _ in scores.values()) == catalogue["records"][student].score
    # the same reports as the local pool's records of these students give
    local = tmp_path / "local-reports"
    from coursetools.grading import report

    plans = list(catalogue["records"]["honest_right"].tests)
    report.write_reports(local, LESSON, [catalogue["records"][s] for s in students], plans)
    for name in ("grades.csv", "mistakes.csv", "suspicion.csv", "suspicion.txt"):
        assert (course / "reports" / LESSON / name).read_text() == (local / name).read_text(), name
    assert not (course / "reports" / LESSON / "records.jsonl").exists()  # folded into records.json
    cluster["course"], cluster["students"] = course, students


def test_a_rerun_on_the_cluster_grades_nothing_and_keeps_every_row(cluster):
    course = cluster["course"]
    grades = (course / "reports" / LESSON / "grades.csv").read_text()
    again = command.grade(course, LESSON, limits=LIMITS, progress=False, scheduler=cluster["address"])
    assert again.records == [] and again.unchanged == cluster["students"]
    assert (course / "reports" / LESSON / "grades.csv").read_text() == grades


def test_a_worker_without_the_course_is_named_and_nothing_is_graded(cluster, capsys):
    """A Python that has Dask (the venv's packages on PYTHONPATH) but not the course: the
    editable install's finder is only set up by the venv's own site-packages, and the worker
    starts in a folder of its own, not in the repository."""
    import sysconfig

    from coursetools.__main__ import main

    course, client = cluster["course"], cluster["client"]
    before = set(client.nthreads())
    env = dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"])
    python = getattr(sys, "_base_executable", sys.executable)
    stranger = _start(
        [python, "-m", "distributed.cli.dask_worker", cluster["address"], "--nthreads", "1",
         "--no-dashboard", "--name", "stranger"],
        cluster["folder"] / "stranger.log",
        env=dict(env, PYTHONNOUSERSITE="1"),
    )
    cluster["started"].append(stranger)
    client.wait_for_workers(len(before) + 1, timeout=60)
    (joined,) = set(client.nthreads()) - before
    code = main(["grade", LESSON, "--root", str(course), "--scheduler", cluster["address"], "--regrade", "--quiet"])
    error = capsys.readouterr().err
    assert code == 2 and error.startswith("not graded: these workers cannot grade this course")
    assert f"{joined} cannot run the course's code: ModuleNotFoundError" in error, error
    assert "No module named 'coursetools'" in error
    assert "requirements.txt" in error
    _stop(stranger)


def test_a_lost_scheduler_stops_the_run_and_keeps_what_was_graded(cluster):
    course = cluster["course"]
    journal = course / "reports" / LESSON / "records.jsonl"
    again = ["invalid_json", "cheat_guard", "honest_right", "slip_renamed"]  # the first fails at once

    def kill_the_scheduler_after_a_result():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if journal.exists() and journal.read_text().count("\n") >= 1:
                _stop(cluster["started"][0])
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_the_scheduler_after_a_result)
    killer.start()
    started = time.monotonic()
    summary = command.grade(
        course, LESSON, limits=LIMITS, progress=False, scheduler=cluster["address"], regrade=True, students=again
    )
    killer.join()
    assert summary.stopped.startswith(f"lost the Dask scheduler at {cluster['address']}; ")
    assert summary.records and summary.not_graded and time.monotonic() - started < 30
    assert sorted(summary.not_graded + [r.student for r in summary.records]) == sorted(again)
    kept = records.load(course / "reports" / LESSON / "records.json")
    assert sorted(kept) == cluster["students"]  # the regraded ones and the earlier run's others
