"""Learner feedback: one module of checks per lesson, on top of the shared machinery in ``core``.

A check runs the learner's function on cases, compares with cnnlib's reference and, when the
answer is wrong, raises ``CheckFailure`` with a message that names the likely mistake and shows
the first wrong value.
"""

from .core import CheckFailure, compare, side_by_side

__all__ = ["CheckFailure", "compare", "side_by_side"]
