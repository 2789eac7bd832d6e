"""What calling a learner's function gave, as plain data: the values that cross from the learner's
process (a notebook's kernel, a grading sandbox) to the judge.

- ``Outcome``: the call returned (``value``) or raised (``error``, a ``Raised``); which arguments it
  changed in place, which its result shares memory with, how long it took;
- ``NotCalled``: there is no outcome to judge, and why (the name is not a function, it ran out of
  time, its process died, ...);
- ``plain(value)``: a returned value as arrays, numbers, strings, lists and tuples only; anything
  else becomes an ``Opaque`` (its type and a short repr), never the learner's object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Opaque", "Raised", "Outcome", "NotCalled", "NOT_CALLED", "plain"]


@dataclass(frozen=True)
class Opaque:
    """A returned object that is not plain data (a generator, a custom class): its type and repr."""

    type: str
    text: str


@dataclass(frozen=True)
class Raised:
    """An exception from the learner's call: its type, message and the learner's line."""

    type: str
    message: str
    where: str = ""  # "line 4 of the cell, in invert: return 256 - image"


@dataclass(frozen=True)
class Outcome:
    """What a call of the learner's function gave, as plain data.

    ``changed`` names the arguments the call changed in place; ``shares`` those whose memory
    the returned array shares (a view rather than a copy); ``failing`` the learner's functions for
    earlier exercises that this one calls and that fail their own checks.
    """

    value: Any = None
    error: Raised | None = None
    changed: tuple[str, ...] = ()
    shares: tuple[str, ...] = ()
    seconds: float = 0.0
    failing: tuple[str, ...] = ()


# Why a case got no outcome, each with what ``NotCalled.detail`` holds. The judge words them
# (``runner.not_called_verdict``); every caller, in a notebook or in a grader, only says which.
NOT_CALLED = {
    "not_callable": "the name is bound to something else: that value, as plain data",
    "not_defined": "no function of that name was defined: nothing",
    "timeout": "the call ran out of time: the limit in seconds",
    "process_died": "the learner's process died during the call: why, in words",
    "lost": "the learner's process was gone before the check: nothing",
    "unreadable": "what came back could not be read: why, in words",
}


@dataclass(frozen=True)
class NotCalled:
    """A case that gave no outcome to judge; ``reason`` is a key of ``NOT_CALLED``."""

    reason: str
    detail: Any = None

    def __post_init__(self) -> None:
        if self.reason not in NOT_CALLED:
            raise ValueError(f"reason must be one of {sorted(NOT_CALLED)}, got {self.reason!r}")

    @property
    def final(self) -> bool:
        """Whether the other cases of the check are not worth calling after this one (all but an
        unreadable reply, which is about one value)."""
        return self.reason != "unreadable"


_MAX_DEPTH = 3


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain data: arrays, numbers, strings, None, and lists or tuples of them.

    Examples
    --------
    >>> plain([1, (2.5, "a")])
    [1, (2.5, 'a')]
    >>> plain(x for x in [])  # doctest: +ELLIPSIS
    Opaque(type='generator', text='<generator object <genexpr> at ...>')
    """
    if value is None or isinstance(value, (bool, int, float, str, np.generic)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            return np.array(value, copy=True, subok=False)
        return Opaque("ndarray", f"array of dtype {value.dtype}")
    if isinstance(value, (list, tuple)) and depth < _MAX_DEPTH and len(value) <= 100_000:
        items = [plain(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    try:
        text = repr(value)
    except Exception:
        text = "?"
    return Opaque(type(value).__name__, text[:80])
