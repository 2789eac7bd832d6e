"""Answers to every graded exercise that are known to be wrong, and other answers that are right.

One module per lesson topic (``pixels`` for ``01_pixels``), each defining

- ``WRONG``: exercise name -> list of ``WrongAnswer``: the mistakes learners make in practice.
  Each names the catalogued mistake it makes (``mistake``, a key of the exercise's ``Mistake``)
  or, for slips the runner explains itself (a float result, an input changed in place), the words
  the feedback must contain (``message``);
- ``RIGHT``: exercise name -> list of ``RightAnswer``: other correct ways to write it (loops,
  vectorized, other valid dtypes), which must earn full marks.

A source is a whole replacement for the exercise's solution cell. The tests call the checks with
them directly and also submit them through nbgrader's autograder.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class WrongAnswer:
    label: str
    source: str
    mistake: str = ""  # key of the exercise's catalogued Mistake it makes
    message: str = ""  # else: words the feedback must contain


@dataclass(frozen=True)
class RightAnswer:
    label: str
    source: str


def _module(lesson: str):
    topic = lesson.split("_", 1)[1] if lesson[:2].isdigit() else lesson
    return importlib.import_module(f"tests.wrong_answers.{topic}")


def for_lesson(lesson: str) -> dict[str, list[WrongAnswer]]:
    """The wrong answers of a lesson folder (``"01_pixels"``) or topic (``"pixels"``)."""
    return _module(lesson).WRONG


def right_for_lesson(lesson: str) -> dict[str, list[RightAnswer]]:
    """Other correct answers of a lesson, which must earn full marks."""
    return getattr(_module(lesson), "RIGHT", {})
