"""coursetools.grading.plan: what the source's test cells check, judged by the one judge."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest

from cnnlib.checks import NotCalled, in_process
from coursetools.grading.plan import Check, checks_in, judge_cell, plans_of
from coursetools.grading.plan import TestPlan as Plan

REPO = Path(__file__).resolve().parents[2]
SOURCE = nbformat.read(REPO / "solutions" / "01_pixels" / "01_pixels.ipynb", as_version=4)


def test_a_test_cell_names_its_checks_functions_and_seeds():
    source = (
        "from cnnlib.checks.pixels import check_invert, check_crop\n"
        "check_invert(invert)\n"
        "### BEGIN HIDDEN TESTS\n"
        "check_invert(invert, seed=11)\n"
        "check_crop(my_crop, 12)\n"
        "### END HIDDEN TESTS\n"
    )
    assert checks_in(source) == (
        Check("invert", "invert", None),
        Check("invert", "invert", 11),
        Check("crop", "my_crop", 12),
    )


def test_the_plan_of_a_lesson_comes_from_its_source_with_points_and_hidden_seeds():
    plans = plans_of(SOURCE.cells, "01_pixels")
    assert list(plans)[:2] == ["test_make_smiley", "test_make_smiley_hidden"]
    visible, hidden = plans["test_invert"], plans["test_invert_hidden"]
    assert (visible.points, visible.hidden, visible.checks) == (1.0, False, (Check("invert", "invert"),))
    assert hidden.hidden and hidden.points == 2.0
    assert hidden.checks == (Check("invert", "invert", 2024),)  # the seed of the source, never a submission's


def test_a_test_cell_that_checks_no_known_exercise_is_refused():
    cell = nbformat.v4.new_code_cell("check_teleport(teleport)")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "test_teleport", "points": 1, "solution": False}
    with pytest.raises(ValueError, match="test cell test_teleport of 01_pixels checks no known exercise"):
        plans_of([cell], "01_pixels")


def _plan(*checks: Check, points: float = 2.0) -> Plan:
    return Plan("test_invert_hidden", points, checks, True, "01_pixels")


def _in_process(functions: dict):
    """What a session's caller does, here: the learner's function called in this process."""

    def caller_for(check: Check):
        function = functions.get(check.function)
        return (
            (lambda case: NotCalled("not_defined"))
            if function is None
            else in_process(_ex(check.exercise), function)
        )

    return caller_for


def _ex(name: str):
    from cnnlib.checks import exercises

    return exercises("01_pixels")[name]


def test_a_cell_earns_its_points_only_when_every_check_in_it_passes():
    right = lambda image: (255 - image.astype(np.int16)).astype(np.uint8)  # noqa: E731
    plan = _plan(Check("invert", "invert"), Check("invert", "invert", 5))
    cell = judge_cell(plan, _in_process({"invert": right}))
    assert (cell.points, cell.max_points, cell.mistakes, cell.shortcut) == (2.0, 2.0, [], "")
    assert cell.message == "invert: all 4 checks passed.\ninvert: all 4 hidden checks passed."

    wrong = lambda image: 256 - image  # noqa: E731
    cell = judge_cell(plan, _in_process({"invert": wrong}))
    assert cell.points == 0.0 and cell.max_points == 2.0
    assert [key for _, key in cell.mistakes] == ["uint8_out_of_bounds"] * 2  # numpy 2 refuses 256 for uint8
    assert cell.message.count("CheckFailure: invert(") == 2


def test_a_function_the_notebook_lacks_is_said_once_per_check():
    cell = judge_cell(_plan(Check("invert", "invert")), _in_process({}))
    assert cell.message == (
        "CheckFailure: invert is not defined: run the cell that defines it (and keep its name)."
    )
    assert cell.mistakes == [("invert", "not_defined")] and cell.points == 0.0
