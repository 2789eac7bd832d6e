"""The machinery behind every exercise check: call the learner's function, compare, explain.

A check never just says "wrong". It names the likely mistake when the answer matches a known
wrong answer, and otherwise shows the first wrong cell (expected against got) with the input,
the expected array and the learner's array side by side. Failures raise ``CheckFailure``, an
``AssertionError``, so nbgrader takes the test's points and shows the message in the feedback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

__all__ = ["CheckFailure", "call_learner", "compare", "passed", "side_by_side"]

# Arrays up to this many rows and columns are printed whole; larger ones as a window.
_PRINT_WHOLE = 12
_WINDOW = 2  # cells either side of the first wrong cell when printing a window


class CheckFailure(AssertionError):
    """An exercise check failed; the message says why in the learner's terms."""


def _fmt_args(args: tuple, kwargs: Mapping[str, Any]) -> str:
    def short(value: Any) -> str:
        if isinstance(value, np.ndarray):
            return f"<array {value.shape} {value.dtype}>"
        return repr(value)

    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def call_learner(fn: Callable, name: str, *args: Any, **kwargs: Any) -> tuple[Any, str]:
    """Call the learner's ``fn`` and return ``(result, call_text)``.

    Array arguments are copied first so the call cannot damage the check's data, and a call that
    changes its input in place fails with a message saying so. An exception inside the learner's
    code becomes a ``CheckFailure`` that names the call and the error.
    """
    call_text = f"{name}({_fmt_args(args, kwargs)})"
    if not callable(fn):
        raise CheckFailure(f"{name} should be a function, but it is a {type(fn).__name__}.")
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    kw_copies = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    try:
        result = fn(*copies, **kw_copies)
    except NotImplementedError:
        raise CheckFailure(
            f"{call_text} raised NotImplementedError: replace `raise NotImplementedError()` "
            "in the exercise cell with your code, run that cell, then run this one."
        ) from None
    except Exception as error:  # the learner's bug: report it in their terms
        raise CheckFailure(f"{call_text} raised {type(error).__name__}: {error}") from None
    for position, (original, used) in enumerate(zip(args, copies)):
        if isinstance(original, np.ndarray) and not _same(original, used):
            raise CheckFailure(
                f"{call_text} changed its input (argument {position + 1}) in place. Return a new "
                "array and leave the caller's array as it was (for example compute "
                "`255 - image` or work on `image.copy()`)."
            )
    return result, call_text


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))


def _label_lines(label: str, array: np.ndarray) -> list[str]:
    text = np.array2string(array, max_line_width=10_000, threshold=10_000)
    return [label, *text.splitlines()]


def side_by_side(arrays: Mapping[str, np.ndarray], gap: int = 4) -> str:
    """Print arrays next to each other, each under its label.

    Examples
    --------
    >>> print(side_by_side({"expected": np.array([[1, 2]]), "yours": np.array([[1, 3]])}))
    expected    yours
    [[1 2]]     [[1 3]]
    """
    columns = [_label_lines(label, np.asarray(a)) for label, a in arrays.items()]
    height = max(len(c) for c in columns)
    widths = [max(len(line) for line in c) for c in columns]
    rows = []
    for i in range(height):
        cells = [(c[i] if i < len(c) else "").ljust(w) for c, w in zip(columns, widths)]
        rows.append((" " * gap).join(cells).rstrip())
    return "\n".join(rows)


# What each index of an array means, by number of dimensions (channels-last).
_AXIS_NAMES = {
    1: ("index",),
    2: ("row", "column"),
    3: ("row", "column", "channel"),
    4: ("sample", "row", "column", "channel"),
}


def _plane(array: np.ndarray, where: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, int], str]:
    """The (rows, columns) slice of ``array`` through ``where``, ``where`` in it, and its label."""
    if array.ndim == 4:
        return array[where[0], :, :, where[3]], (where[1], where[2]), f"sample {where[0]}, channel {where[3]}"
    if array.ndim == 3:
        return array[:, :, where[2]], (where[0], where[1]), f"channel {where[2]}"
    return array, (where[0], where[1]), ""


def _window(array: np.ndarray, where: tuple[int, ...]) -> tuple[np.ndarray, str]:
    """The cells around ``where`` in its (rows, columns) plane, with a note on where they sit."""
    if array.ndim < 2:
        return array, ""
    plane, (r, c), fixed = _plane(array, where)
    if max(plane.shape) <= _PRINT_WHOLE:
        return plane, f" ({fixed})" if fixed else ""
    r0, c0 = max(r - _WINDOW, 0), max(c - _WINDOW, 0)
    r1, c1 = min(r + _WINDOW + 1, plane.shape[0]), min(c + _WINDOW + 1, plane.shape[1])
    note = f" rows {r0}..{r1 - 1}, columns {c0}..{c1 - 1}" + (f", {fixed}" if fixed else "")
    return plane[r0:r1, c0:c1], note


def _describe_cell(where: tuple[int, ...]) -> str:
    names = _AXIS_NAMES.get(len(where), tuple(f"axis {i}" for i in range(len(where))))
    return ", ".join(f"{n} {i}" for n, i in zip(names, where))


def compare(
    got: Any,
    expected: np.ndarray,
    *,
    call: str,
    inputs: Mapping[str, np.ndarray] | None = None,
    mistakes: Iterable[tuple[str, np.ndarray | None]] = (),
    check_dtype: bool = True,
    atol: float = 0.0,
) -> None:
    """Raise ``CheckFailure`` unless ``got`` equals ``expected`` (shape, dtype and values).

    Parameters
    ----------
    got : object
        What the learner's function returned.
    expected : ndarray
        The right answer.
    call : str
        How the function was called, e.g. ``"invert(<array (2, 2) uint8>)"``, for the message.
    inputs : mapping of str to ndarray, optional
        Input arrays to print beside the answer when it is wrong.
    mistakes : iterable of (description, wrong answer)
        Known wrong answers for this input; when ``got`` equals one of them, the message names
        the mistake. ``None`` entries (a mistake that cannot happen on this input) are skipped.
    check_dtype : bool
        Whether the dtype must match too.
    atol : float
        Absolute tolerance for floating-point values.
    """
    expected = np.asarray(expected)
    inputs = dict(inputs or {})
    if got is None:
        raise CheckFailure(f"{call} returned None. Did you forget the `return` statement?")
    if not isinstance(got, np.ndarray):
        raise CheckFailure(
            f"{call} should return a numpy array, but returned a {type(got).__name__}. "
            "Wrap a list with np.array(...)."
        )

    def shown(extra: Mapping[str, np.ndarray] | None = None, where: tuple[int, ...] | None = None) -> str:
        arrays = {**inputs, "expected": expected, "yours": got, **(extra or {})}
        if where is None:
            if max(max(a.shape[:2], default=0) for a in arrays.values() if a.ndim) > _PRINT_WHOLE:
                return ""
            return "\n\n" + side_by_side(arrays)
        windows = {}
        for label, a in arrays.items():
            if a.shape[:2] == expected.shape[:2] and a.ndim == expected.ndim:
                plane, note = _window(a, where)
                windows[label + note] = plane
        return "\n\n" + side_by_side(windows)

    for description, wrong in mistakes:
        if wrong is None:
            continue
        wrong = np.asarray(wrong)
        if wrong.shape == expected.shape and _values_equal(wrong, expected, atol):
            continue  # this mistake makes no difference on this input
        if wrong.shape == got.shape and _values_equal(got, wrong, atol):
            raise CheckFailure(f"{call} is not right yet.\nLikely mistake: {description}" + shown())

    if got.shape != expected.shape:
        hint = ""
        if got.ndim >= 2 and got.shape[:2] == expected.shape[1::-1] and got.shape[:2] != expected.shape[:2]:
            hint = (
                "\nRows and columns look swapped: the first index is the row (y), the second the column (x)."
            )
        raise CheckFailure(
            f"{call} returned an array of shape {got.shape}, expected shape {expected.shape}.{hint}" + shown()
        )
    if not (np.issubdtype(got.dtype, np.number) or got.dtype == np.bool_):
        raise CheckFailure(
            f"{call} returned an array of dtype {got.dtype}; expected numbers ({expected.dtype})."
        )
    if not _values_equal(got, expected, atol):
        bad = _wrong_cells(got, expected, atol)
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise CheckFailure(
            f"{call} is not right yet: {int(bad.sum())} of {bad.size} values differ.\n"
            f"First wrong value at {_describe_cell(where)}: expected {expected[where].item()!r}, "
            f"got {got[where].item()!r}." + shown(where=where)
        )
    if check_dtype and got.dtype != expected.dtype:
        raise CheckFailure(
            f"{call} has the right values but dtype {got.dtype}; expected {expected.dtype}. "
            f"Convert the result with .astype(np.{expected.dtype})."
        )


def _wrong_cells(got: np.ndarray, expected: np.ndarray, atol: float) -> np.ndarray:
    if atol == 0:
        return got != expected
    return ~np.isclose(got, expected, rtol=0, atol=atol, equal_nan=True)


def _values_equal(a: np.ndarray, b: np.ndarray, atol: float) -> bool:
    if a.shape != b.shape:
        return False
    return not _wrong_cells(a.astype(np.float64), b.astype(np.float64), atol).any()


def passed(name: str, count: int) -> None:
    """Print the computed result of a check that passed, e.g. ``invert: all 5 checks passed``."""
    print(f"{name}: all {count} checks passed.")
