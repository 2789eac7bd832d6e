"""Learner feedback: exercises declared as data, judged by one runner.

- ``exercise``: what an exercise is (``Exercise``, ``Case``, ``Mistake``, ``Answer``, ``Window``);
- ``outcome``: what calling the learner's function gave, as plain data (``Outcome``, ``NotCalled``);
- ``runner``: the one judge (``run_check``): make the cases, have a caller call the learner's
  function (in this process, or in a grader's sandbox), judge each outcome, name the mistake;
- ``explain``: the messages' layout: arrays side by side, windows marked, sums written out;
- one module of exercises per lesson topic (``pixels`` for lesson 01, ...), each with a
  ``check_NAME`` per exercise for the notebook's test cells and ``EXERCISES`` for graders.

Importing this package makes a failed check show as its message alone in IPython and Jupyter.
"""

from __future__ import annotations

import importlib

from .exercise import Answer, Case, Exercise, Mistake, Window
from .outcome import NOT_CALLED, NotCalled, Opaque, Outcome, Raised, plain
from .runner import (
    Caller,
    CheckFailure,
    CheckResult,
    Verdict,
    call,
    check,
    failing_earlier,
    in_process,
    judge,
    make_cases,
    make_check,
    run_check,
    show_failures_briefly,
)

__all__ = [
    "Answer",
    "Case",
    "Exercise",
    "Mistake",
    "Window",
    "Opaque",
    "Raised",
    "Outcome",
    "NotCalled",
    "NOT_CALLED",
    "plain",
    "Caller",
    "CheckFailure",
    "CheckResult",
    "Verdict",
    "make_cases",
    "call",
    "in_process",
    "failing_earlier",
    "judge",
    "run_check",
    "check",
    "make_check",
    "exercises",
]


def exercises(lesson: str) -> dict[str, Exercise]:
    """The exercises of a lesson folder (``"01_pixels"``) or topic (``"pixels"``), by name."""
    topic = lesson.split("_", 1)[1] if lesson[:2].isdigit() else lesson
    module = importlib.import_module(f"{__name__}.{topic}")
    return {exercise.name: exercise for exercise in module.EXERCISES}


show_failures_briefly()
