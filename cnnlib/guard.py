"""Lesson answers that are switched off while a learner's own version of them is checked.

cnnlib holds the reference answer to every exercise of the course (``cnnlib.pixels.invert`` for
lesson 01's ``invert``, ``cnnlib.ops.conv2d`` for lesson 04's ``conv2d``, ...). A learner who calls
it from their answer would pass without writing anything. So each such function is marked with
``@answer``, and while a check calls the learner's function (``blocked(...)``), the marked
functions of that exercise refuse to run: through any name, alias or wrapper, since the refusal
lives in the function object itself. Outside a check they work as usual, and from the next lesson
on they are the learner's to use.

Other libraries' functions that compute an exercise's answer (``scipy.signal.correlate2d`` for a
convolution, ``scipy.special.softmax``) can be switched off too, named by their dotted path: while
blocked, their code is swapped for a refusal, so every reference to them refuses, however it was
imported. Python functions without closures can be switched off this way; others are left alone.

This module is at the bottom of cnnlib: it imports nothing of the package.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["ShortcutError", "answer", "blocked", "qualified_name", "refusal", "Seal"]

F = TypeVar("F", bound=Callable[..., Any])

# function -> (condition or None, message) while a check runs; empty otherwise (the fast path).
_blocked: dict[Callable, tuple[Callable[..., bool] | None, str]] = {}
# key -> message of another library's function whose code is swapped for a refusal
_refusals: dict[str, str] = {}


class ShortcutError(RuntimeError):
    """A learner's answer called cnnlib's own answer to the exercise being checked."""


def qualified_name(function: Callable) -> str:
    """``cnnlib.pixels.invert`` for cnnlib's ``invert``: how the learner would find it."""
    return f"{function.__module__}.{function.__name__}"


def answer(function: F) -> F:
    """Mark ``function`` as the answer to an exercise: a check can switch it off.

    The marked function behaves exactly as before except while it is blocked. Its signature and
    docstring stay visible to ``help()``; the unmarked original is not exposed.
    """
    signature = inspect.signature(function)

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if _blocked and guarded in _blocked:
            condition, message = _blocked[guarded]
            if condition is None or condition(*args, **kwargs):
                raise ShortcutError(message)
        return function(*args, **kwargs)

    del guarded.__wrapped__  # no way round the guard through the attribute functools adds
    guarded.__signature__ = signature  # type: ignore[attr-defined]
    guarded.is_answer = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def resolve(path: str) -> Callable | None:
    """The function at a dotted path (``"scipy.signal.convolve2d"``, or a class's method,
    ``"cnnlib.layers.Sequential.feature_maps"``), or None if not installed."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):  # the longest importable module, then attributes
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                found = getattr(found, attribute)
        except AttributeError:
            return None
        return found
    return None


def _refuse(*args: Any, **kwargs: Any) -> Any:
    import cnnlib.guard

    raise cnnlib.guard.ShortcutError(cnnlib.guard._refusals["KEY"])


def _swap_in_refusal(function: types.FunctionType, key: str) -> types.CodeType:
    """Make ``function`` refuse (message ``_refusals[key]``); return its code to put back."""
    original = function.__code__
    consts = tuple(key if c == "KEY" else c for c in _refuse.__code__.co_consts)
    function.__code__ = _refuse.__code__.replace(co_consts=consts, co_name=original.co_name)
    return original


def refusal(function: Callable, exercise: str, free_from: str) -> str:
    """What cnnlib's answer ``function`` says when a learner's ``exercise`` calls it while checked
    (``free_from`` "" after the course's last lesson)."""
    later = f"and from {free_from} on" if free_from else "and in your own work after the course"
    return (
        f"{qualified_name(function)} is cnnlib's own answer to this exercise, so it is switched off "
        f"while your {exercise} is checked: this one is yours to write. Outside this check (in the "
        f"exercises after it, {later}), cnnlib's version is yours to use."
    )


@contextmanager
def blocked(
    functions: Mapping[Callable, Callable[..., bool] | None], exercise: str, free_from: str
) -> Iterator[None]:
    """Switch off cnnlib's answers to ``exercise`` for the duration of the ``with`` block.

    Parameters
    ----------
    functions : mapping of marked function (or dotted path) -> condition or None
        The library functions that compute the exercise's answer. A condition, called with the
        function's arguments, limits the block to some calls (``conv2d`` with a filter bank is the
        answer to lesson 07's ``conv_layer``; with a single kernel it is lesson 04's, free to use).
        A dotted path names another library's function (``"scipy.signal.correlate2d"``), switched
        off for every call; one that is not installed is skipped.
    exercise : str
        The exercise's name as the learner knows it, e.g. ``"invert"``.
    free_from : str
        Where the library version becomes the learner's, e.g. ``"lesson 02"``.
    """
    others = {path: resolve(path) for path in functions if isinstance(path, str)}
    for function in functions:
        if not isinstance(function, str) and not getattr(function, "is_answer", False):
            raise TypeError(f"{qualified_name(function)} is not marked with @answer, so it cannot be blocked")
    saved = dict(_blocked)
    for function, condition in functions.items():
        if isinstance(function, str):
            continue
        _blocked[function] = (condition, refusal(function, exercise, free_from))
    swapped: list[tuple[types.FunctionType, types.CodeType]] = []
    for path, function in others.items():
        if isinstance(function, types.FunctionType) and function.__closure__ is None:
            if any(f is function for f, _ in swapped):
                continue
            _refusals[path] = (
                f"{path} computes this exercise's answer, so it is switched off while your {exercise} "
                "is checked: this one is yours to write."
            )
            swapped.append((function, _swap_in_refusal(function, path)))
    try:
        yield
    finally:
        for function, code in swapped:
            function.__code__ = code
        _blocked.clear()
        _blocked.update(saved)


class Seal:
    """cnnlib's answers to one exercise switched off below the guard, for a grader's sandbox.

    ``blocked`` lives in the learner's process, where a notebook cell can patch it. A grader that
    runs learner code makes a ``Seal`` per exercise before any learner code runs, and turns it
    ``on()`` around each call of the learner's function: every answer's own function (the one
    ``@answer`` wraps) then has its code swapped for one that refuses with ``refusal``'s message,
    so any reference the learner saved, under any name, refuses too. An answer blocked under a
    condition instead gets, inside its wrapper, a stand-in that checks the condition (its own code
    stays: the calls the condition allows must work). ``off()`` puts everything back, so the
    lesson's cells use cnnlib between checks as they do in Jupyter.

    ``protected`` lists the functions whose code a seal swaps: a grader should refuse anyone
    else's attempt to set their ``__code__`` (see coursetools' sandboxed child).
    """

    def __init__(
        self, functions: Mapping[Callable | str, Callable[..., bool] | None], exercise: str, free_from: str
    ) -> None:
        self._swaps: list[tuple[Any, str, Any, Any]] = []  # (object, attribute, original, refusal)
        self.protected: list[Callable] = []
        for wrapper, condition in functions.items():
            if isinstance(wrapper, str):  # another library's function: ``blocked`` swaps it itself
                continue
            code = wrapper.__code__
            if "function" not in code.co_freevars:
                continue
            cell = wrapper.__closure__[code.co_freevars.index("function")]
            original = cell.cell_contents
            message = refusal(wrapper, exercise, free_from)
            if condition is None and original.__code__.co_freevars == ():
                self._swaps.append((original, "__code__", original.__code__, _refusing_code(message)))
                self.protected.append(original)
            else:
                self._swaps.append((cell, "cell_contents", original, _refusing(original, condition, message)))

    def on(self) -> None:
        for target, attribute, _, refusing in self._swaps:
            setattr(target, attribute, refusing)

    def off(self) -> None:
        for target, attribute, original, _ in self._swaps:
            setattr(target, attribute, original)


def _refusing_code(message: str) -> types.CodeType:
    """The code of a function with no free variables that refuses with ``message``."""
    namespace: dict = {}
    exec(
        "def refused(*args, **kwargs):\n"
        "    from cnnlib.guard import ShortcutError\n"
        f"    raise ShortcutError({message!r})\n",
        namespace,
    )
    return namespace["refused"].__code__


def _refusing(original: Callable, condition: Callable[..., bool] | None, message: str) -> Callable:
    if condition is None:

        def refused(*args: Any, **kwargs: Any) -> Any:
            raise ShortcutError(message)

        return refused

    def refused_when(*args: Any, **kwargs: Any) -> Any:
        if condition(*args, **kwargs):
            raise ShortcutError(message)
        return original(*args, **kwargs)

    return refused_when
