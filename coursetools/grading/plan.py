"""What each test cell of a lesson's SOURCE notebook checks, and judging it in the grader.

A test cell of the course holds ``check_NAME(FUNCTION)`` (visible cases) or, between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, ``check_NAME(FUNCTION, seed=N)``. The
plan is read from the source notebook (never from a submission, whose test cells are the
learner's to edit). Each check is judged by ``cnnlib.checks.run_check``, the judge a notebook's
check cell uses: the cases are made and judged in the grader, a caller has the learner's function
called wherever it runs. A cell earns its points when every case of every check in it passes
(nbgrader's all-or-nothing per test cell).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from cnnlib.checks import Caller, CheckResult, Exercise, exercises, run_check

__all__ = ["Check", "TestPlan", "CellResult", "checks_in", "plans_of", "judge_cell", "lesson_exercises"]


@dataclass(frozen=True)
class Check:
    exercise: str
    function: str
    seed: int | None = None


@dataclass(frozen=True)
class TestPlan:
    grade_id: str
    points: float
    checks: tuple[Check, ...]
    hidden: bool
    lesson: str


@dataclass(frozen=True)
class CellResult:
    """The judgement of one test cell: every check's result; the points when all passed (as
    nbgrader's all-or-nothing per test cell)."""

    grade_id: str
    max_points: float
    checks: tuple[CheckResult, ...]

    @property
    def points(self) -> float:
        return self.max_points if all(r.passed for r in self.checks) else 0.0

    @property
    def message(self) -> str:
        """What the test cell shows, one line (or message) per check."""
        return "\n".join(r.text for r in self.checks)

    @property
    def mistakes(self) -> list[tuple[str, str]]:
        """(exercise, diagnosis key) of every failed check, for the tally."""
        return [(r.exercise, r.failure.mistake) for r in self.checks if r.failure is not None]

    @property
    def shortcut(self) -> str:
        """What a switched-off answer said when the learner's code called it (the first)."""
        return next((r.failure.shortcut for r in self.checks if r.failure and r.failure.shortcut), "")


def checks_in(source: str) -> tuple[Check, ...]:
    """The ``check_NAME(function[, seed=N])`` calls of a test cell's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if not node.func.id.startswith("check_") or not node.args:
            continue
        function = node.args[0].id if isinstance(node.args[0], ast.Name) else node.func.id[6:]
        seed = None
        for keyword in node.keywords:
            if keyword.arg == "seed" and isinstance(keyword.value, ast.Constant):
                seed = int(keyword.value.value)
        if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
            seed = int(node.args[1].value)
        found.append(Check(node.func.id[6:], function, seed))
    return tuple(found)


def plans_of(source_cells, lesson: str) -> dict[str, TestPlan]:
    """grade id -> plan, for every graded test cell of the source notebook."""
    known = lesson_exercises(lesson)
    plans = {}
    for cell in source_cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        checks = checks_in(cell.source)
        unknown = [c.exercise for c in checks if c.exercise not in known]
        if unknown or not checks:
            raise ValueError(f"test cell {meta['grade_id']} of {lesson} checks no known exercise: {unknown}")
        plans[meta["grade_id"]] = TestPlan(
            meta["grade_id"],
            float(meta.get("points", 0)),
            checks,
            "BEGIN HIDDEN TESTS" in cell.source,
            lesson,
        )
    return plans


def judge_cell(plan: TestPlan, caller_for: Callable[[Check], Caller]) -> CellResult:
    """Judge every check of a test cell with the one judge (``cnnlib.checks.run_check``);
    ``caller_for(check)`` gives the caller that calls the learner's function (the
    session's asks its sandboxed child)."""
    results = []
    for check in plan.checks:
        exercise = lesson_exercises(plan.lesson)[check.exercise]
        results.append(run_check(exercise, caller_for(check), check.seed, function=check.function))
    return CellResult(plan.grade_id, plan.points, tuple(results))


@cache
def lesson_exercises(lesson: str) -> dict[str, Exercise]:
    """The lesson's exercises by name (declared once, in ``cnnlib.checks``)."""
    return exercises(lesson)
