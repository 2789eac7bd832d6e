"""The grading round trip of every lesson, through nbgrader's Python API in a temporary course.

For each lesson folder in solutions/: the student version is generated (and must equal the
committed notebooks/), then submissions are autograded: the instructor's solution (full marks),
the untouched student version (0, without crashing), rounds of known-wrong answers (points lost,
with a message naming the mistake in the feedback), and a correct but noisy submission (a warning
on stderr and a deleted test cell: full marks). Feedback must never contain hidden tests.

Conventions the tests rely on: an exercise's solution cell has grade id ``NAME``; its test cells
are ``test_NAME`` (visible) and ``test_NAME_hidden``.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from coursetools import pipeline
from tests.wrong_answers import for_lesson

REPO = Path(__file__).resolve().parent.parent
LESSONS = pipeline.lessons(REPO)
CELL_TIMEOUT = 15  # seconds; every cell of a lesson runs in well under this


def _notebook_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb"))


def _source(lesson: str) -> Path:
    """The lesson's one source notebook in solutions/."""
    (path,) = _notebook_paths(REPO / "solutions" / lesson)
    return path


def _first_exercise(lesson: str) -> str:
    """Grade id of the lesson's first solution cell (the noisy and endless-loop submissions use it)."""
    return next(iter(_cells(_source(lesson), "solution")))


def _cells(path: Path, kind: str) -> dict[str, nbformat.NotebookNode]:
    """Cells of a notebook by grade id: kind 'solution' or 'test'."""
    notebook = nbformat.read(path, as_version=4)
    flag = "solution" if kind == "solution" else "grade"
    return {
        c.metadata.nbgrader["grade_id"]: c
        for c in notebook.cells
        if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get(flag)
    }


def _between(source: str, begin: str, end: str) -> list[str]:
    lines, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside and len(line.strip()) > 8:
            lines.append(line.strip())
    return lines


def _html_text(path: Path) -> str:
    """Feedback HTML as the reader sees it: tags removed (code is split into spans), entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "solutions", root / "solutions")
    config = (REPO / "nbgrader_config.py").read_text()
    # the course's settings, with a shorter cell timeout so the endless-loop submission is quick
    (root / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    assert pipeline.release(root) == LESSONS
    return root


def test_there_are_lessons_and_each_is_a_numbered_folder_with_one_notebook():
    assert LESSONS, "no lesson folders under solutions/"
    for lesson in LESSONS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+", lesson), lesson
        assert len(_notebook_paths(REPO / "solutions" / lesson)) == 1


@pytest.mark.parametrize("lesson", LESSONS)
def test_committed_student_notebooks_are_exactly_what_generation_gives(course, lesson):
    generated = course / "notebooks" / lesson
    committed = REPO / "notebooks" / lesson
    names = sorted(p.name for p in generated.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == names, "run `make release`"
    for name in names:
        assert (generated / name).read_bytes() == (committed / name).read_bytes(), (
            f"notebooks/{lesson}/{name} differs from what solutions/{lesson} generates: run `make release`"
        )


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_holds_no_solution_code_or_hidden_tests(course, lesson):
    source = _source(lesson)
    student_text = (course / "notebooks" / lesson / source.name).read_text()
    secrets = []
    for cell in _cells(source, "solution").values():
        secrets += _between(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
    for cell in _cells(source, "test").values():
        secrets += _between(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
    assert secrets, "the lesson has neither solutions nor hidden tests?"
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in student_text
    student_sources = [
        c.source for c in nbformat.reads(student_text, as_version=4).cells if c.cell_type == "code"
    ]
    leaked = [line for line in secrets if any(line in s for s in student_sources)]
    assert not leaked, f"student notebook shows: {leaked}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_exercise_has_points_visible_and_hidden_checks_and_known_wrong_answers(lesson):
    source = _source(lesson)
    solutions = _cells(source, "solution")
    tests = _cells(source, "test")
    assert 3 <= len(solutions) <= 6, "every lesson has between 3 and 6 graded exercises"
    for grade_id, cell in tests.items():
        assert cell.metadata.nbgrader["points"] > 0, f"{grade_id} has no points"
        assert cell.metadata.nbgrader["locked"], f"{grade_id} must be read-only"
    wrong = for_lesson(lesson)
    for name in solutions:
        assert f"test_{name}" in tests and f"test_{name}_hidden" in tests, name
        assert "BEGIN HIDDEN TESTS" in tests[f"test_{name}_hidden"].source
        assert wrong.get(name), f"no known-wrong answer for exercise {name} in tests/wrong_answers"


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_folder_reads_nothing_outside_itself(lesson):
    for path in (REPO / "solutions" / lesson).rglob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            assert "../" not in cell.source and "/work/" not in cell.source, (path.name, cell.source[:80])


# ------------------------------------------------------------------ autograding


def _submit(course: Path, student: str, lesson: str, notebook: nbformat.NotebookNode, name: str) -> None:
    folder = course / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)


def _replace_solutions(notebook, answers: dict[str, str]):
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def _wrong_rounds(lesson: str) -> list[dict[str, object]]:
    wrong = for_lesson(lesson)
    rounds = max(len(v) for v in wrong.values())
    return [{name: answers[k % len(answers)] for name, answers in wrong.items()} for k in range(rounds)]


NOISY = "import warnings\nwarnings.warn('a harmless warning from the learner', UserWarning)\n"


@pytest.fixture(scope="module")
def graded(course: Path) -> dict:
    """Autograde every kind of submission for every lesson; return scores and feedback text."""
    results = {}
    for lesson in LESSONS:
        source = _source(lesson)
        student_nb = course / "notebooks" / lesson / source.name
        submissions = {
            "solution": nbformat.read(source, as_version=4),
            "untouched": nbformat.read(student_nb, as_version=4),
        }
        for k, answers in enumerate(_wrong_rounds(lesson)):
            submissions[f"wrong{k}"] = _replace_solutions(
                nbformat.read(student_nb, as_version=4), {n: a.source for n, a in answers.items()}
            )
        # correct answers that warn on stderr when called, with one test cell deleted
        noisy = nbformat.read(source, as_version=4)
        first = _first_exercise(lesson)
        for cell in noisy.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == first:
                head, body = cell.source.split(":\n", 1)
                indent = re.match(r"\s*", body).group(0)
                cell.source = (
                    head + ":\n" + "".join(indent + line + "\n" for line in NOISY.splitlines()) + body
                )
        noisy.cells = [
            c for c in noisy.cells if c.metadata.get("nbgrader", {}).get("grade_id") != f"test_{first}"
        ]
        submissions["noisy"] = noisy

        # an endless loop in an answer, and a file that is not a notebook at all
        submissions["hang"] = _replace_solutions(
            nbformat.read(source, as_version=4), {first: "while True:\n    pass\n"}
        )
        for student, notebook in submissions.items():
            _submit(course, student, lesson, notebook, source.name)
        broken = course / "submitted" / "broken" / lesson
        broken.mkdir(parents=True)
        (broken / source.name).write_text('{"cells": [ this is not JSON')

        for student, outcome in pipeline.autograde_all(course, lesson).items():
            if "error" not in outcome:
                (page,) = pipeline.feedback(course, lesson, student)
                outcome = {**outcome, "feedback": _html_text(page), "html": page.read_text()}
            results[lesson, student] = outcome
    return results


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_solution_earns_full_marks(graded, lesson):
    result = graded[lesson, "solution"]
    assert result["max_score"] > 0
    assert result["score"] == result["max_score"], result["cells"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_untouched_student_version_earns_nothing(graded, lesson):
    result = graded[lesson, "untouched"]
    assert result["score"] == 0, result["cells"]
    assert "NotImplementedError" in result["feedback"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_known_wrong_answer_loses_points_and_the_learner_is_told_why(graded, lesson):
    for k, answers in enumerate(_wrong_rounds(lesson)):
        result = graded[lesson, f"wrong{k}"]
        for name, answer in answers.items():
            cells = {g: s for g, s in result["cells"].items() if g in (f"test_{name}", f"test_{name}_hidden")}
            earned = sum(s for s, _ in cells.values())
            possible = sum(m for _, m in cells.values())
            assert earned < possible, f"{name}: '{answer.label}' kept all {possible} points"
            assert answer.message in result["feedback"], (
                f"{name}: the feedback for '{answer.label}' does not say '{answer.message}'"
            )


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_warning_on_stderr_costs_nothing_and_a_deleted_test_cell_is_put_back(graded, lesson):
    result = graded[lesson, "noisy"]
    first = _first_exercise(lesson)
    assert result["score"] == result["max_score"], result["cells"]
    assert f"test_{first}" in result["cells"]  # restored and graded
    assert "a harmless warning" in result["html"]  # the warning really reached stderr


@pytest.mark.parametrize("lesson", LESSONS)
def test_feedback_never_shows_hidden_tests(graded, lesson):
    source = _source(lesson)
    hidden = []
    visible = []
    for cell in _cells(source, "test").values():
        hidden += _between(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        visible += [line.strip() for line in cell.source.splitlines()[:2] if line.startswith("check_")]
    assert hidden and visible
    for student in ("solution", "untouched", "wrong0", "noisy"):
        text = graded[lesson, student]["feedback"]
        assert all(line in text for line in visible), "feedback text extraction lost visible tests"
        assert "HIDDEN TESTS" not in text
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"feedback for {student} shows hidden test lines: {leaked}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lesson_folder_copied_on_its_own_still_runs(tmp_path, lesson):
    """A released folder on a JupyterHub has only itself and the installed cnnlib."""
    from nbclient import NotebookClient

    folder = tmp_path / "elsewhere" / lesson
    shutil.copytree(REPO / "solutions" / lesson, folder)
    for path in _notebook_paths(folder):
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute()
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        # the figures really show (an inherited MPLBACKEND=Agg, for one, would hide them all)
        figures = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(figures) >= sum("plt.show()" in c.source for c in notebook.cells), "figures missing"


@pytest.mark.parametrize("lesson", LESSONS)
def test_an_endless_loop_costs_only_that_exercise(graded, lesson):
    first = _first_exercise(lesson)
    result = graded[lesson, "hang"]
    lost = {g: s for g, s in result["cells"].items() if s[0] < s[1]}
    assert set(lost) == {f"test_{first}", f"test_{first}_hidden"}, result["cells"]
    assert "Timeout" in result["feedback"] or "timed out" in result["feedback"].lower()


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_corrupt_submission_is_reported_and_the_others_are_still_graded(graded, lesson):
    assert "error" in graded[lesson, "broken"]
    students = [student for (name, student) in graded if name == lesson]
    # autograde_all goes in alphabetical order: "broken" comes before most, and they were graded
    assert students.index("broken") < students.index("solution")
    assert graded[lesson, "solution"]["score"] == graded[lesson, "solution"]["max_score"]
