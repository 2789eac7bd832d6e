"""The grading round trip of every lesson, through nbgrader's Python API in a temporary course.

For each lesson folder in solutions/: the student version is generated (and must equal the
committed notebooks/), then submissions are autograded: the instructor's solution (full marks),
the untouched student version (0, without crashing), rounds of known-wrong answers (points lost,
the catalogued mistake named in the feedback), other right answers (full marks), the library's own
answer called through an alias (no points, a kind message), a check name redefined by the learner
(no effect), and a correct but noisy submission (a warning on stderr and a deleted test cell: full
marks). Feedback must never contain hidden tests.

Each lesson is graded in its own temporary course by its own test class (``TestLesson01``, ...),
so pytest-xdist's ``loadscope`` grades different lessons on different workers.

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

from cnnlib.checks import exercises
from cnnlib.guard import qualified_name
from coursetools import pipeline
from tests.wrong_answers import for_lesson, right_for_lesson

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
def courses(tmp_path_factory):
    """lesson -> a temporary course holding only that lesson, its student version generated."""
    made: dict[str, Path] = {}

    def course(lesson: str) -> Path:
        if lesson not in made:
            root = tmp_path_factory.mktemp(f"course-{lesson}")
            shutil.copytree(REPO / "solutions" / lesson, root / "solutions" / lesson)
            config = (REPO / "nbgrader_config.py").read_text()
            # the course's settings, with a shorter cell timeout so the endless-loop submission is quick
            (root / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
            assert pipeline.release(root) == [lesson]
            made[lesson] = root
        return made[lesson]

    return course


def test_there_are_lessons_and_each_is_a_numbered_folder_with_one_notebook():
    assert LESSONS, "no lesson folders under solutions/"
    for lesson in LESSONS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+", lesson), lesson
        assert len(_notebook_paths(REPO / "solutions" / lesson)) == 1


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
    assert set(solutions) == set(exercises(lesson)), (
        "one declared exercise in cnnlib.checks per solution cell"
    )
    for name in solutions:
        assert f"test_{name}" in tests and f"test_{name}_hidden" in tests, name
        assert "BEGIN HIDDEN TESTS" in tests[f"test_{name}_hidden"].source
        # test cells import their check, so a learner's cell that redefines the name cannot intercept it
        for test in (tests[f"test_{name}"], tests[f"test_{name}_hidden"]):
            imported = test.source.find(f"import check_{name}\n")
            assert 0 <= imported < test.source.find(f"\ncheck_{name}({name}"), test.source
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


def _shortcut(lesson: str, name: str) -> str:
    """An answer that hands the work to cnnlib's own answer, through an alias and a wrapper."""
    library = exercises(lesson)[name].reference
    return (
        f"from {library.__module__} import {library.__name__} as _library_version\n\n"
        f"def {name}(*args, **kwargs):\n    return _library_version(*args, **kwargs)\n"
    )


def _disarm(name: str) -> str:
    """Appended to a wrong answer: the learner's own check_NAME that accepts everything."""
    return f"\n\ndef check_{name}(function, seed=None):\n    print('{name}: all checks passed.')\n"


def _rounds(lesson: str) -> list[dict[str, tuple[str, object]]]:
    """Submissions that give every exercise one answer each: (kind, answer) per exercise.

    Every known-wrong answer, the library shortcut and every other right answer of each exercise
    appear in some round; in round 0 each wrong answer also redefines its check's name.
    """
    wrong, right = for_lesson(lesson), right_for_lesson(lesson)
    plans = {
        name: [("wrong", a) for a in wrong[name]]
        + [("shortcut", name)]
        + [("right", a) for a in right.get(name, [])]
        for name in exercises(lesson)
    }
    count = max(len(plan) for plan in plans.values())
    return [{name: plan[k % len(plan)] for name, plan in plans.items()} for k in range(count)]


def _round_source(lesson: str, name: str, kind: str, answer, k: int) -> str:
    if kind == "shortcut":
        return _shortcut(lesson, name)
    return answer.source + (_disarm(name) if kind == "wrong" and k == 0 else "")


def _lean(notebook):
    """The notebook without its ungraded code cells (figures, demos): the rounds of answers test the
    exercises, and a lesson's figures would cost seconds in each of its many rounds. The solution,
    untouched and noisy submissions keep every cell."""
    notebook.cells = [c for c in notebook.cells if c.cell_type != "code" or c.metadata.get("nbgrader")]
    return notebook


NOISY = "import warnings\nwarnings.warn('a harmless warning from the learner', UserWarning)\n"

_graded: dict[str, dict] = {}


@pytest.fixture
def graded(courses):
    """lesson -> every kind of submission autograded: scores, cells and feedback text by student."""

    def grade(lesson: str) -> dict:
        if lesson in _graded:
            return _graded[lesson]
        course = courses(lesson)
        source = _source(lesson)
        student_nb = course / "notebooks" / lesson / source.name
        submissions = {
            "solution": nbformat.read(source, as_version=4),
            "untouched": nbformat.read(student_nb, as_version=4),
        }
        for k, plan in enumerate(_rounds(lesson)):
            answers = {
                name: _round_source(lesson, name, kind, answer, k) for name, (kind, answer) in plan.items()
            }
            student = nbformat.read(student_nb, as_version=4)
            submissions[f"round{k:02d}"] = _lean(_replace_solutions(student, answers))
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

        results = {}
        for student, outcome in pipeline.autograde_all(course, lesson).items():
            if "error" not in outcome:
                (page,) = pipeline.feedback(course, lesson, student)
                outcome = {**outcome, "feedback": _html_text(page), "html": page.read_text()}
            results[student] = outcome
        _graded[lesson] = results
        return results

    return grade


def _exercise_points(result: dict, name: str) -> tuple[float, float]:
    cells = [s for g, s in result["cells"].items() if g in (f"test_{name}", f"test_{name}_hidden")]
    return sum(s for s, _ in cells), sum(m for _, m in cells)


class LessonRoundTrip:
    """The round trip of one lesson; a subclass per lesson folder is made below."""

    lesson = ""

    def test_committed_student_notebooks_are_exactly_what_generation_gives(self, courses):
        lesson = self.lesson
        generated = courses(lesson) / "notebooks" / lesson
        committed = REPO / "notebooks" / lesson
        names = sorted(p.name for p in generated.iterdir())
        assert sorted(p.name for p in committed.iterdir()) == names, "run `make release`"
        for name in names:
            assert (generated / name).read_bytes() == (committed / name).read_bytes(), (
                f"notebooks/{lesson}/{name} differs from what solutions/{lesson} generates: run `make release`"
            )

    def test_student_version_holds_no_solution_code_or_hidden_tests(self, courses):
        lesson = self.lesson
        source = _source(lesson)
        student_text = (courses(lesson) / "notebooks" / lesson / source.name).read_text()
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

    def test_the_solution_earns_full_marks(self, graded):
        lesson = self.lesson
        result = graded(lesson)["solution"]
        assert result["max_score"] > 0
        assert result["score"] == result["max_score"], result["cells"]

    def test_the_untouched_student_version_earns_nothing(self, graded):
        lesson = self.lesson
        result = graded(lesson)["untouched"]
        assert result["score"] == 0, result["cells"]
        assert "NotImplementedError" in result["feedback"]

    def test_each_known_wrong_answer_loses_points_and_the_feedback_names_its_mistake(self, graded):
        lesson = self.lesson
        results = graded(lesson)
        for k, plan in enumerate(_rounds(lesson)):
            result = results[f"round{k:02d}"]
            for name, (kind, answer) in plan.items():
                if kind != "wrong":
                    continue
                earned, possible = _exercise_points(result, name)
                assert earned < possible, f"{name}: '{answer.label}' kept all {possible} points"
                exercise = exercises(lesson)[name]
                words = [m.says for m in exercise.mistakes if m.key == answer.mistake] or [answer.message]
                assert words[0] in result["feedback"], (
                    f"{name}: the feedback for '{answer.label}' lacks: {words[0]}"
                )

    def test_a_redefined_check_name_does_not_disarm_the_test_cells(self, graded):
        lesson = self.lesson
        result = graded(lesson)["round00"]
        for name, (kind, answer) in _rounds(lesson)[0].items():
            assert kind == "wrong"
            assert _exercise_points(result, name)[0] == 0, (
                f"{name}: '{answer.label}' + a fake check earned points"
            )

    def test_other_right_answers_earn_full_marks(self, graded):
        lesson = self.lesson
        results = graded(lesson)
        seen = 0
        for k, plan in enumerate(_rounds(lesson)):
            for name, (kind, answer) in plan.items():
                if kind == "right":
                    earned, possible = _exercise_points(results[f"round{k:02d}"], name)
                    assert earned == possible, (
                        f"{name}: the right answer '{answer.label}' got {earned}/{possible}"
                    )
                    seen += 1
        assert seen >= len(exercises(lesson)), "at least one other right answer per exercise"

    def test_calling_the_library_answer_earns_nothing_and_is_told_kindly(self, graded):
        lesson = self.lesson
        results = graded(lesson)
        for k, plan in enumerate(_rounds(lesson)):
            for name, (kind, _) in plan.items():
                if kind == "shortcut":
                    result = results[f"round{k:02d}"]
                    assert _exercise_points(result, name)[0] == 0, (
                        f"{name}: the library shortcut earned points"
                    )
                    library = qualified_name(exercises(lesson)[name].reference)
                    assert f"{library} is cnnlib's own answer to this exercise" in result["feedback"]
                    assert "this one is yours to write" in result["feedback"]

    def test_a_warning_on_stderr_costs_nothing_and_a_deleted_test_cell_is_put_back(self, graded):
        lesson = self.lesson
        result = graded(lesson)["noisy"]
        first = _first_exercise(lesson)
        assert result["score"] == result["max_score"], result["cells"]
        assert f"test_{first}" in result["cells"]  # restored and graded
        assert "a harmless warning" in result["html"]  # the warning really reached stderr

    def test_feedback_never_shows_hidden_tests_or_cnnlib_source(self, graded):
        lesson = self.lesson
        source = _source(lesson)
        hidden = []
        visible = []
        for cell in _cells(source, "test").values():
            hidden += _between(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
            visible += [line.strip() for line in cell.source.splitlines()[:3] if line.startswith("check_")]
        assert hidden and visible
        results = graded(lesson)
        for student in ("solution", "untouched", "round00", "round01", "noisy"):
            text = results[student]["feedback"]
            assert all(line in text for line in visible), "feedback text extraction lost visible tests"
            assert "HIDDEN TESTS" not in text
            leaked = [line for line in hidden if line in text]
            assert not leaked, f"feedback for {student} shows hidden test lines: {leaked}"
            assert "cnnlib/checks" not in text and "Traceback (most recent call last)" not in text

    def test_a_lesson_folder_copied_on_its_own_still_runs(self, tmp_path):
        lesson = self.lesson
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

    def test_an_endless_loop_costs_only_that_exercise(self, graded):
        lesson = self.lesson
        first = _first_exercise(lesson)
        result = graded(lesson)["hang"]
        lost = {g: s for g, s in result["cells"].items() if s[0] < s[1]}
        assert set(lost) == {f"test_{first}", f"test_{first}_hidden"}, result["cells"]
        assert "Timeout" in result["feedback"] or "timed out" in result["feedback"].lower()

    def test_a_corrupt_submission_is_reported_and_the_others_are_still_graded(self, graded):
        lesson = self.lesson
        results = graded(lesson)
        assert "error" in results["broken"]
        students = list(results)
        # autograde_all goes in alphabetical order: "broken" comes before most, and they were graded
        assert students.index("broken") < students.index("solution")
        assert results["solution"]["score"] == results["solution"]["max_score"]


for _lesson in LESSONS:
    _name = f"TestLesson{_lesson.split('_', 1)[0]}"
    globals()[_name] = type(
        _name, (LessonRoundTrip,), {"lesson": _lesson, "__doc__": f"The round trip of {_lesson}."}
    )
