"""Every lesson, released and graded as a class meets it, in a temporary course per lesson.

For each lesson folder in solutions/: the student version is generated with nbgrader (and must
equal the committed notebooks/) and holds no solution or hidden test; the instructor's solution and
the untouched student version are graded by the course's command (``coursetools grade``, in the
sandbox): full marks with every cell run in the learner's own folder and the figures in the
feedback, and 0. Then every known answer of the lesson (``tests/wrong_answers``: each wrong one, each
other right one, and cnnlib's own answer called through an alias) is run in one sandboxed child and
judged by the grader, test cell by test cell, as in grading: a wrong answer loses points and the
message names its mistake, a right one earns them all, the shortcut earns nothing and is told
kindly. The judge is the one a notebook's check cell uses (``cnnlib.checks.run_check``), so these
are the messages learners read in Jupyter too (``tests/checks/test_lessons.py`` checks them in
process; ``tests/test_nbgrader.py`` grades one lesson through nbgrader's own autograde).

Each lesson is its own test class (``TestLesson01``, ...), so pytest-xdist's ``loadscope`` grades
different lessons on different workers.

Conventions the tests rely on: an exercise's solution cell has grade id ``NAME``; its test cells
are ``test_NAME`` (visible) and ``test_NAME_hidden``.
"""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from cnnlib.checks import exercises
from cnnlib.guard import qualified_name
from coursetools import pipeline
from coursetools.grading import command
from coursetools.grading.job import preload_for
from coursetools.grading.limits import Limits
from coursetools.grading.normalise import Cell
from coursetools.grading.plan import plans_of
from coursetools.grading.sandbox import Sandbox
from coursetools.grading.session import Child, Graded, Session
from tests.submissions import graded_code, right, shortcut, source_notebook, submit, untouched
from tests.wrong_answers import for_lesson, right_for_lesson

REPO = Path(__file__).resolve().parent.parent
LESSONS = pipeline.lessons(REPO)
LIMITS = Limits(cell_seconds=30, call_seconds=10)


def _notebook_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ipynb"))


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


def test_there_are_lessons_and_each_is_a_numbered_folder_with_one_notebook():
    assert LESSONS, "no lesson folders under solutions/"
    for lesson in LESSONS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+", lesson), lesson
        assert len(_notebook_paths(REPO / "solutions" / lesson)) == 1


def test_the_last_lesson_frees_its_answers_for_work_after_the_course():
    from cnnlib.checks.exercise import LAST_LESSON

    assert LAST_LESSON == int(LESSONS[-1][:2])
    last, before = exercises(LESSONS[-1]), exercises(LESSONS[-2])
    assert next(iter(last.values())).free_from == ""
    assert next(iter(before.values())).free_from == f"lesson {LAST_LESSON:02d}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_exercise_has_points_visible_and_hidden_checks_and_known_wrong_answers(lesson):
    source = source_notebook(lesson)
    solutions = graded_code(source, "solution")
    tests = graded_code(source, "test")
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


# ------------------------------------------------------------------ submissions


def _answers(lesson: str) -> list[tuple[str, str, str, object]]:
    """(exercise, kind, label, answer) for every known answer of the lesson: wrong, right, shortcut."""
    found = []
    wrong, right = for_lesson(lesson), right_for_lesson(lesson)
    for name in exercises(lesson):
        found += [(name, "wrong", a.label, a) for a in wrong[name]]
        found += [(name, "right", a.label, a) for a in right.get(name, [])]
        found.append((name, "shortcut", "cnnlib's own answer through an alias", shortcut(lesson, name)))
    return found


def _in_one_child(course: Path, lesson: str) -> dict[tuple[str, str], tuple[float, float, str]]:
    """Every known answer run in one sandboxed child, each judged by the grader as its test cells
    would be: (exercise, label) -> (points earned, points possible, the cells' messages)."""
    source = nbformat.read(source_notebook(lesson), as_version=4)
    plans = plans_of(source.cells, lesson)
    sandbox = Sandbox(LIMITS.for_course(course))
    tmp = Path(tempfile.mkdtemp(prefix="answers-"))
    workdir = tmp / lesson
    shutil.copytree(course / "solutions" / lesson, workdir)
    preload = preload_for(source)
    session = Session(
        Graded("answers"), sandbox.limits, lambda: Child(sandbox, str(workdir), str(tmp), lesson, preload)
    )
    results = {}
    try:
        session.begin()
        session.run_cell(Cell(0, "code", "import numpy as np\n"))
        for index, (name, kind, label, answer) in enumerate(_answers(lesson), 1):
            session.run_cell(Cell(index, "code", answer if kind == "shortcut" else answer.source))
            cells = [
                session.judge_test(plans[grade_id]) for grade_id in (f"test_{name}", f"test_{name}_hidden")
            ]
            earned = sum(c.points for c in cells)
            results[(name, label)] = (
                earned,
                sum(c.max_points for c in cells),
                "\n".join(c.message for c in cells),
            )
        assert not session.broken and session.graded.restarts == 0, session.graded.notes
    finally:
        session.end()
        shutil.rmtree(tmp, ignore_errors=True)
    return results


class LessonGraded:
    """One lesson released and graded; a subclass per lesson folder is made below."""

    lesson = ""

    @pytest.fixture(scope="class")
    def course(self, tmp_path_factory) -> Path:
        root = tmp_path_factory.mktemp(f"course-{self.lesson}")
        shutil.copytree(REPO / "solutions" / self.lesson, root / "solutions" / self.lesson)
        shutil.copy(REPO / "nbgrader_config.py", root)
        assert pipeline.release(root, [self.lesson]) == [self.lesson]
        return root

    @pytest.fixture(scope="class")
    def graded(self, course) -> dict:
        """The solution and the untouched student version, graded by the course's command."""
        lesson = self.lesson
        submit(course, "right", lesson, right(lesson, course))
        submit(course, "untouched", lesson, untouched(lesson, course))
        summary = command.grade(course, lesson, workers=2, limits=LIMITS, progress=False)
        assert not summary.failed, summary.failed
        return {r.student: r for r in summary.records}

    @pytest.fixture(scope="class")
    def answered(self, course) -> dict:
        return _in_one_child(course, self.lesson)

    def test_committed_student_notebooks_are_exactly_what_generation_gives(self, course):
        generated = course / "notebooks" / self.lesson
        committed = REPO / "notebooks" / self.lesson
        names = sorted(p.name for p in generated.iterdir())
        assert sorted(p.name for p in committed.iterdir()) == names, "run `make release`"
        for name in names:
            assert (generated / name).read_bytes() == (committed / name).read_bytes(), (
                f"notebooks/{self.lesson}/{name} differs from what solutions/{self.lesson} generates: "
                "run `make release`"
            )

    def test_student_version_holds_no_solution_code_or_hidden_tests(self, course):
        source = source_notebook(self.lesson)
        student_text = (course / "notebooks" / self.lesson / source.name).read_text()
        secrets = []
        for cell in graded_code(source, "solution").values():
            secrets += _between(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")
        for cell in graded_code(source, "test").values():
            secrets += _between(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
        assert secrets, "the lesson has neither solutions nor hidden tests?"
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in student_text
        student_sources = [
            c.source for c in nbformat.reads(student_text, as_version=4).cells if c.cell_type == "code"
        ]
        leaked = [line for line in secrets if any(line in s for s in student_sources)]
        assert not leaked, f"student notebook shows: {leaked}"

    def test_the_solution_earns_full_marks_with_every_cell_run_in_its_own_folder(self, graded, course):
        right = graded["right"]
        assert right.score == right.max_score > 0, right.messages
        assert right.suspicious == () and right.restarts == 0
        # the sandbox sees the learner's folder alone (with bwrap): a lesson that read a file from
        # elsewhere, or a cell that fails, would show an error output here
        (notebook,) = (course / "autograded" / "right" / self.lesson).glob("*.ipynb")
        errors = [o for c in nbformat.read(notebook, as_version=4).cells for o in c.get("outputs", [])
                  if o.output_type == "error"]  # fmt: skip
        assert errors == [], errors

    def test_the_untouched_student_version_earns_nothing(self, graded):
        untouched = graded["untouched"]
        assert untouched.score == 0 and untouched.suspicious == ()
        assert all("replace `raise NotImplementedError()`" in m for m in untouched.messages.values())

    def test_the_feedback_shows_the_figures_each_cell_drew(self, graded, course):
        (page,) = (course / "feedback" / "right" / self.lesson).glob("*.html")
        chunks = page.read_text().split('<pre class="code">')[1:]
        drawing = [c for c in chunks if re.search(r"plt\.show\(\)|Stepper\(", c.split("</pre>")[0])]
        assert drawing, "no cell of the lesson draws a figure"
        for chunk in drawing:
            source, _, after = chunk.partition("</pre>")
            image = after.split('<pre class="code">')[0]
            assert '<img class="figure"' in image, f"no figure after: {source[:200]}"
            assert base64.b64decode(image.split("base64,")[1].split('"')[0]).startswith(b"\x89PNG")

    def test_each_known_wrong_answer_loses_points_and_the_feedback_names_its_mistake(self, answered):
        for name, answers in for_lesson(self.lesson).items():
            exercise = exercises(self.lesson)[name]
            for answer in answers:
                earned, possible, message = answered[(name, answer.label)]
                assert earned < possible, f"{name}: '{answer.label}' kept all {possible} points"
                words = [m.says for m in exercise.mistakes if m.key == answer.mistake] or [answer.message]
                assert words[0] in message, f"{name}: the feedback for '{answer.label}' lacks: {words[0]}"

    def test_other_right_answers_earn_full_marks(self, answered):
        right = right_for_lesson(self.lesson)
        assert sum(len(a) for a in right.values()) >= len(exercises(self.lesson)), "one per exercise at least"
        for name, answers in right.items():
            for answer in answers:
                earned, possible, message = answered[(name, answer.label)]
                assert earned == possible, (
                    f"{name}: the right answer '{answer.label}' got {earned}: {message}"
                )

    def test_calling_the_library_answer_earns_nothing_and_is_told_kindly(self, answered):
        for name, exercise in exercises(self.lesson).items():
            earned, _, message = answered[(name, "cnnlib's own answer through an alias")]
            assert earned == 0, f"{name}: the library shortcut earned points"
            assert f"{qualified_name(exercise.reference)} is cnnlib's own answer to this exercise" in message
            assert "this one is yours to write" in message


for _lesson in LESSONS:
    _name = f"TestLesson{_lesson.split('_', 1)[0]}"
    globals()[_name] = type(_name, (LessonGraded,), {"lesson": _lesson, "__doc__": f"{_lesson}, graded."})
