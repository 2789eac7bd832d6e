"""Known-wrong answers to every graded exercise, one module per lesson folder.

Each module defines ``WRONG``: solution cell grade id -> list of ``WrongAnswer``. The source is a
whole replacement for that solution cell, the mistakes a learner makes in practice; ``message``
is a fragment of the feedback the learner must see for it (the name of the mistake). The tests
call the checks with them directly and also submit them through nbgrader's autograder.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class WrongAnswer:
    label: str
    source: str
    message: str


def for_lesson(lesson: str) -> dict[str, list[WrongAnswer]]:
    """The wrong answers of lesson folder ``lesson`` (e.g. ``"01_pixels"``)."""
    module = importlib.import_module(f"tests.wrong_answers.lesson{lesson.split('_')[0]}")
    return module.WRONG
