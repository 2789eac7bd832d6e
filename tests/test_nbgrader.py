"""nbgrader's own autograde on the course, with the course's configuration: one lesson end to end.

Lesson 01 in a temporary course: the student version is generated, then submissions are
autograded by nbgrader (``pipeline.autograde_all``) and given feedback: the instructor's solution
(full marks), the untouched student version (0, without crashing), a round of known-wrong answers
that also redefine their check's name (points lost, the mistake named, the fake check no help),
another round of wrong answers, cnnlib's own answer called through an alias (no points, a kind
message), other right answers (full marks), a correct but noisy submission (a warning on stderr
and a deleted test cell: full marks), an endless loop (only its exercise lost) and a file that is
not a notebook (reported, the others graded). Feedback never shows hidden tests or cnnlib's source.

The checks' messages are the one judge's (``cnnlib.checks.run_check``), the same for every
lesson and for the course's own grading command: ``tests/test_course.py`` runs every lesson's
every known answer through that command's sandbox, ``tests/checks/test_lessons.py`` in process.
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
from tests.submissions import graded_code, shortcut, source_notebook, with_answers
from tests.wrong_answers import for_lesson, right_for_lesson

REPO = Path(__file__).resolve().parent.parent
LESSON = "01_pixels"
CELL_TIMEOUT = 6  # seconds; every cell of the lesson runs in well under this
NOISY = "import warnings\nwarnings.warn('a harmless warning from the learner', UserWarning)\n"


def _html_text(path: Path) -> str:
    """Feedback HTML as the reader sees it: tags removed (code is split into spans), entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def _disarm(name: str) -> str:
    """Appended to a wrong answer: the learner's own check_NAME that accepts everything."""
    return f"\n\ndef check_{name}(function, seed=None):\n    print('{name}: all checks passed.')\n"


WRONG, RIGHT = for_lesson(LESSON), right_for_lesson(LESSON)
# the rounds of answers: (kind, answer) per exercise
ROUNDS = {
    "wrong_disarmed": {name: ("wrong", answers[0]) for name, answers in WRONG.items()},
    "wrong_again": {name: ("wrong", answers[-1]) for name, answers in WRONG.items()},
    "shortcut": {name: ("shortcut", None) for name in WRONG},
    "right": {name: ("right", RIGHT[name][0]) for name in WRONG if RIGHT.get(name)},
}


def _round_source(name: str, kind: str, answer, disarm: bool) -> str:
    if kind == "shortcut":
        return shortcut(LESSON, name)
    return answer.source + (_disarm(name) if disarm else "")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("nbgrader-course")
    shutil.copytree(REPO / "solutions" / LESSON, root / "solutions" / LESSON)
    config = (REPO / "nbgrader_config.py").read_text()
    (root / "nbgrader_config.py").write_text(config + f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    assert pipeline.release(root) == [LESSON]
    return root


@pytest.fixture(scope="module")
def results(course) -> dict:
    """student -> nbgrader's scores and the feedback text, for every kind of submission."""
    source = nbformat.read(source_notebook(LESSON), as_version=4)
    student_nb = course / "notebooks" / LESSON / source_notebook(LESSON).name
    first = next(iter(graded_code(source, "solution")))
    submissions = {
        "solution": source,
        "untouched": nbformat.read(student_nb, as_version=4),
    }
    for round_name, plan in ROUNDS.items():
        answers = {
            name: _round_source(name, kind, answer, round_name == "wrong_disarmed")
            for name, (kind, answer) in plan.items()
        }
        submissions[round_name] = with_answers(nbformat.read(student_nb, as_version=4), answers, lean=True)
    # correct answers that warn on stderr when called, with one test cell deleted
    noisy = nbformat.read(source_notebook(LESSON), as_version=4)
    for cell in noisy.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == first:
            head, body = cell.source.split(":\n", 1)
            indent = re.match(r"\s*", body).group(0)
            cell.source = head + ":\n" + "".join(indent + line + "\n" for line in NOISY.splitlines()) + body
    noisy.cells = [
        c for c in noisy.cells if c.metadata.get("nbgrader", {}).get("grade_id") != f"test_{first}"
    ]
    submissions["noisy"] = noisy
    submissions["hang"] = with_answers(
        nbformat.read(source_notebook(LESSON), as_version=4), {first: "while True:\n    pass\n"}
    )
    for student, notebook in submissions.items():
        folder = course / "submitted" / student / LESSON
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / source_notebook(LESSON).name)
    broken = course / "submitted" / "broken" / LESSON
    broken.mkdir(parents=True)
    (broken / source_notebook(LESSON).name).write_text('{"cells": [ this is not JSON')

    graded = {}
    for student, outcome in pipeline.autograde_all(course, LESSON).items():
        if "error" not in outcome:
            (page,) = pipeline.feedback(course, LESSON, student)
            outcome = {**outcome, "feedback": _html_text(page), "html": page.read_text()}
        graded[student] = outcome
    return {"graded": graded, "first": first}


def _exercise_points(result: dict, name: str) -> tuple[float, float]:
    cells = [s for g, s in result["cells"].items() if g in (f"test_{name}", f"test_{name}_hidden")]
    return sum(s for s, _ in cells), sum(m for _, m in cells)


def test_the_course_configuration_is_what_the_readme_says():
    config = pipeline.course_config(REPO)
    assert config.Execute.timeout == 120 and config.Execute.interrupt_on_timeout
    assert "--InteractiveShell.xmode=Minimal" in config.Execute.extra_arguments
    assert config.IgnorePattern.enabled and config.IgnorePattern.pattern == r"\w*Warning: "
    assert config.OverwriteCells.add_missing_cells
    assert (config.LimitOutput.max_lines, config.LimitOutput.max_traceback) == (300, 40)
    assert "nbgrader.preprocessors.ClearHiddenTests" in config.GenerateFeedback.preprocessors
    assert "nbgrader.preprocessors.ClearMarkScheme" in config.GenerateFeedback.preprocessors


def test_the_solution_earns_full_marks(results):
    result = results["graded"]["solution"]
    assert result["score"] == result["max_score"] > 0, result["cells"]


def test_the_untouched_student_version_earns_nothing(results):
    result = results["graded"]["untouched"]
    assert result["score"] == 0, result["cells"]
    assert "NotImplementedError" in result["feedback"]


@pytest.mark.parametrize("round_name", ["wrong_disarmed", "wrong_again"])
def test_known_wrong_answers_lose_points_and_the_feedback_names_the_mistake(results, round_name):
    result = results["graded"][round_name]
    for name, (_, answer) in ROUNDS[round_name].items():
        earned, possible = _exercise_points(result, name)
        assert earned == 0 < possible, f"{name}: '{answer.label}' earned {earned}"  # also past its fake check
        exercise = exercises(LESSON)[name]
        words = [m.says for m in exercise.mistakes if m.key == answer.mistake] or [answer.message]
        assert words[0] in result["feedback"], f"{name}: the feedback for '{answer.label}' lacks: {words[0]}"


def test_other_right_answers_earn_full_marks(results):
    result = results["graded"]["right"]
    for name in ROUNDS["right"]:
        earned, possible = _exercise_points(result, name)
        assert earned == possible > 0, f"{name}: {earned}/{possible}"


def test_calling_the_library_answer_earns_nothing_and_is_told_kindly(results):
    result = results["graded"]["shortcut"]
    assert result["score"] == 0
    for name in ROUNDS["shortcut"]:
        library = qualified_name(exercises(LESSON)[name].reference)
        assert f"{library} is cnnlib's own answer to this exercise" in result["feedback"]


def test_a_warning_on_stderr_costs_nothing_and_a_deleted_test_cell_is_put_back(results):
    result = results["graded"]["noisy"]
    assert result["score"] == result["max_score"], result["cells"]
    assert f"test_{results['first']}" in result["cells"]  # restored and graded
    assert "a harmless warning" in result["html"]  # the warning really reached stderr


def test_feedback_never_shows_hidden_tests_or_cnnlib_source(results):
    source = nbformat.read(source_notebook(LESSON), as_version=4)
    hidden, visible = [], []
    for cell in graded_code(source, "grade").values():
        inside = False
        for line in cell.source.splitlines():
            inside = ("BEGIN HIDDEN TESTS" in line) or (inside and "END HIDDEN TESTS" not in line)
            if inside and "HIDDEN TESTS" not in line and len(line.strip()) > 8:
                hidden.append(line.strip())
        visible += [line.strip() for line in cell.source.splitlines()[:3] if line.startswith("check_")]
    assert hidden and visible
    for student in ("solution", "untouched", "wrong_disarmed", "wrong_again", "noisy"):
        text = results["graded"][student]["feedback"]
        assert all(line in text for line in visible), "feedback text extraction lost visible tests"
        assert "HIDDEN TESTS" not in text
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"feedback for {student} shows hidden test lines: {leaked}"
        assert "cnnlib/checks" not in text and "Traceback (most recent call last)" not in text


def test_an_endless_loop_costs_only_that_exercise(results):
    result = results["graded"]["hang"]
    lost = {g: s for g, s in result["cells"].items() if s[0] < s[1]}
    first = results["first"]
    assert set(lost) == {f"test_{first}", f"test_{first}_hidden"}, result["cells"]
    assert "Timeout" in result["feedback"] or "timed out" in result["feedback"].lower()


def test_a_corrupt_submission_is_reported_and_the_others_are_still_graded(results):
    graded = results["graded"]
    assert "error" in graded["broken"]
    students = list(graded)
    # autograde_all goes in alphabetical order: "broken" comes before most, and they were graded
    assert students.index("broken") < students.index("solution")
    assert graded["solution"]["score"] == graded["solution"]["max_score"]
