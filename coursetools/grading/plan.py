"""What each test cell of a lesson's SOURCE notebook checks, and judging it in the grader.

A test cell of the course holds ``check_NAME(FUNCTION)`` (visible cases) or, between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, ``check_NAME(FUNCTION, seed=N)``. The
plan is read from the source notebook (never from a submission, whose test cells are the
learner's to edit); the cases are made here with ``make_cases`` and judged here with the
reference: a cell earns its points when every case of every check in it passes (nbgrader's
all-or-nothing per test cell).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from cnnlib.checks import exercises
from cnnlib.checks.runner import Outcome, Verdict, first_failure, judge, make_cases, refine

from . import protocol

__all__ = ["Check", "TestPlan", "CellResult", "plans_of", "judge_cell"]


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


@dataclass
class CellResult:
    """The judgement of one test cell: points, the learner's message and the diagnoses."""

    grade_id: str
    points: float
    max_points: float
    message: str
    mistakes: list[tuple[str, str]] = field(default_factory=list)  # (exercise, key) of failures
    shortcut: str = ""  # what a switched-off answer said when the learner's code called it


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
    known = exercises(lesson)
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


Ask = Callable[[dict, float], dict]


def judge_cell(
    plan: TestPlan,
    ask: Ask | None,
    timed_out: dict[str, str],
    call_seconds: float = 10.0,
    grace: float = 5.0,
) -> CellResult:
    """Make the cell's cases, have the child call the learner's functions, judge every outcome.

    ``ask`` sends a request to the child and returns its answer (``{"died": why}`` when the
    child had to be started again); None when there is no child any more.
    """
    lines, mistakes, passed_all, shortcut = [], [], True, ""
    for check in plan.checks:
        exercise = _exercises(plan.lesson)[check.exercise]
        cases = make_cases(exercise, check.seed)
        hidden = "hidden " if check.seed is not None else ""
        verdicts: list[Verdict] = []
        pairs: list = []  # (case, outcome or None), for naming the mistake across all cases
        if check.exercise in timed_out:
            verdicts.append(Verdict(False, timed_out[check.exercise], "timeout"))
        elif ask is None:
            verdicts.append(
                Verdict(
                    False,
                    f"{check.function} was not checked: the notebook's process was lost before this cell.",
                    "process_died",
                )
            )
        else:
            for case in cases:
                verdict, outcome = _one(exercise, check, case, ask, call_seconds, grace, timed_out)
                verdicts.append(verdict)
                pairs.append((case, outcome))
                if verdict.mistake in ("timeout", "process_died", "not_defined", "not_callable"):
                    break
        failure = first_failure(verdicts)
        if failure is not None and pairs:
            try:  # name the mistake that fits every case; the first failure stands if that fails
                failure = refine(exercise, pairs, verdicts)
            except Exception:
                pass
        if failure is None:
            lines.append(f"{check.exercise}: all {len(cases)} {hidden}checks passed.")
        else:
            passed_all = False
            lines.append(f"CheckFailure: {failure.message}")
            mistakes.append((check.exercise, failure.mistake))
            if failure.mistake == "shortcut" and not shortcut:
                shortcut = _refused(failure.message)
    return CellResult(
        plan.grade_id, plan.points if passed_all else 0.0, plan.points, "\n".join(lines), mistakes, shortcut
    )


def _refused(message: str) -> str:
    """The refusal's first clause, e.g. "scipy.signal.correlate2d computes this exercise's answer"."""
    said = message.partition("used a shortcut.\n")[2] or message
    return said.split(", so ")[0].strip()


def _unjudged(*args, **kwargs) -> tuple[Verdict, None]:
    """A failure found without judging an outcome (the call never returned one)."""
    return Verdict(*args, **kwargs), None


@cache
def _exercises(lesson: str) -> dict:
    return exercises(lesson)


def _one(
    exercise, check: Check, case, ask: Ask, call_seconds: float, grace: float, timed_out
) -> tuple[Verdict, Outcome | None]:
    """Have the child call the learner's function on ``case``; the verdict, and the outcome when
    there was one to judge."""
    reply = ask(
        {
            "op": "call",
            "exercise": check.exercise,
            "function": check.function,
            "case": protocol.case_to_plain(case),
            "timeout": call_seconds,
        },
        call_seconds + grace,
    )
    if "died" in reply:
        return _unjudged(
            False,
            f"calling {check.function} stopped the notebook's process ({reply['died']}).",
            "process_died",
        )
    if reply.get("timeout"):
        message = (
            f"{check.function} ran for more than {call_seconds:g} s on one case and was stopped: "
            "an endless loop, or far more work than the exercise needs?"
        )
        timed_out[check.exercise] = message
        return _unjudged(False, message, "timeout")
    if reply.get("missing") == "function":
        return _unjudged(
            False,
            f"{check.function} is not defined: run the cell that defines it (and keep its name).",
            "not_defined",
        )
    if "not_callable" in reply:
        return _unjudged(
            False,
            f"{check.exercise} should be a function, but it is a {reply['not_callable']}.",
            "not_callable",
        )
    try:
        outcome = protocol.outcome_from_plain(reply.get("outcome"))
        return judge(exercise, case, outcome), outcome
    except protocol.ProtocolError as error:
        return _unjudged(
            False, f"{check.function} returned something that could not be read: {error}", "unreadable"
        )
    except Exception as error:  # a value the judge cannot compare is a wrong value
        return _unjudged(
            False,
            f"{check.function} returned a value that could not be compared ({type(error).__name__}).",
            "wrong_type",
        )
