"""Text for learners: arrays printed side by side, windows marked, sums written out.

Everything here turns numbers into short plain text for a check's message. Small arrays are
printed whole; large ones as a few cells around the place that matters, with a note saying which
rows and columns are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "short",
    "number",
    "grid_lines",
    "side_by_side",
    "plane",
    "around",
    "weighted_sum",
    "pooled",
]

PRINT_WHOLE = 12  # arrays up to this many rows and columns are printed whole
RADIUS = 2  # cells either side of the cell of interest when an array is too big to print whole
MAX_TERMS = 12  # a written-out sum longer than this is summarised per channel


def short(value: Any) -> str:
    """A short description of an argument or a return value, for the line naming the call."""
    if isinstance(value, np.ndarray):
        return f"<array {value.shape} {value.dtype}>"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number(value: Any, digits: int = 4) -> str:
    """A number as a person writes it: ``3``, ``-1``, ``0.25``, ``1.333``; booleans as words."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if np.isnan(value) or np.isinf(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"


def _cell(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "T" if value else "F"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if not np.isfinite(value):
        return str(value)  # nan, inf, -inf
    if value == int(value) and abs(value) < 1e6:
        return str(int(value)) + "."
    return f"{value:.5g}"


def grid_lines(array: np.ndarray, mark: tuple[int, int, int, int] | None = None) -> list[str]:
    """A 0-, 1- or 2-D array as lines of aligned numbers; ``mark`` = (r0, r1, c0, c1) in brackets.

    Examples
    --------
    >>> print("\\n".join(grid_lines(np.array([[1, 2, 3], [4, 5, 6]]), mark=(0, 2, 1, 3))))
      1 [2  3]
      4 [5  6]
    """
    array = np.asarray(array)
    if array.ndim == 0:
        return [_cell(array.item())]
    if array.ndim == 1:
        array = array[None, :]
    cells = [[_cell(v) for v in row] for row in array.tolist()]
    width = max((len(c) for row in cells for c in row), default=1)
    lines = []
    for r, row in enumerate(cells):
        seps = ["  "] * (len(row) + 1)
        if mark is not None and mark[0] <= r < mark[1]:
            seps[mark[2]] = " ["
            seps[mark[3]] = "] "
        text = "".join(sep + cell.rjust(width) for sep, cell in zip(seps, row)) + seps[-1]
        lines.append(text.rstrip())
    return lines


def side_by_side(blocks: Mapping[str, Sequence[str] | np.ndarray], gap: int = 4) -> str:
    """Put blocks of lines (or arrays) next to each other, each under its label.

    Examples
    --------
    >>> print(side_by_side({"expected": np.array([[1, 2]]), "yours": np.array([[1, 3]])}))
    expected    yours
      1  2        1  3
    """
    columns = []
    for label, block in blocks.items():
        lines = grid_lines(block) if isinstance(block, np.ndarray) else list(block)
        columns.append([label, *lines])
    height = max(len(c) for c in columns)
    widths = [max(len(line) for line in c) for c in columns]
    rows = []
    for i in range(height):
        cells = [(c[i] if i < len(c) else "").ljust(w) for c, w in zip(columns, widths)]
        rows.append((" " * gap).join(cells).rstrip())
    return "\n".join(rows)


def plane(
    array: np.ndarray, where: Sequence[int], axes: Sequence[str]
) -> tuple[np.ndarray, tuple[int, ...], str]:
    """The rows x columns slice of ``array`` through the cell ``where``.

    Returns the 2-D plane (or the 1-D array itself), the cell's position in it, and a note naming
    the fixed indices of the other axes ("channel 2").
    """
    if array.ndim <= 1:
        return array, tuple(where), ""
    if "row" in axes and "column" in axes:
        r_axis, c_axis = axes.index("row"), axes.index("column")
    else:
        r_axis, c_axis = array.ndim - 2, array.ndim - 1
    index: list[Any] = []
    fixed = []
    for axis in range(array.ndim):
        if axis in (r_axis, c_axis):
            index.append(slice(None))
        else:
            index.append(where[axis])
            fixed.append(f"{axes[axis]} {where[axis]}")
    return array[tuple(index)], (where[r_axis], where[c_axis]), ", ".join(fixed)


def around(
    array: np.ndarray, cell: Sequence[int], mark: tuple[int, int, int, int] | None = None
) -> tuple[list[str], str]:
    """Lines of a 1-D or 2-D array: whole when small, else the cells near ``cell``.

    ``mark`` (r0, r1, c0, c1) brackets a window (for sliding-window explanations). Returns the
    lines and a note saying which part is shown ("rows 4..10, columns 0..4"), empty when whole.
    """
    if array.ndim == 1:
        if array.shape[0] <= PRINT_WHOLE * 2:
            return grid_lines(array), ""
        i0 = max(cell[0] - RADIUS * 2, 0)
        i1 = min(cell[0] + RADIUS * 2 + 1, array.shape[0])
        return grid_lines(array[i0:i1]), f"indices {i0}..{i1 - 1}"
    if max(array.shape) <= PRINT_WHOLE:
        return grid_lines(array, mark), ""
    r, c = cell[0], cell[1]
    lo_r, hi_r, lo_c, hi_c = (r, r + 1, c, c + 1) if mark is None else mark
    r0, c0 = max(lo_r - RADIUS, 0), max(lo_c - RADIUS, 0)
    r1, c1 = min(hi_r + RADIUS, array.shape[0]), min(hi_c + RADIUS, array.shape[1])
    shifted = None if mark is None else (mark[0] - r0, mark[1] - r0, mark[2] - c0, mark[3] - c0)
    return grid_lines(array[r0:r1, c0:c1], shifted), f"rows {r0}..{r1 - 1}, columns {c0}..{c1 - 1}"


def _factor(value: Any) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def weighted_sum(window: np.ndarray, kernel: np.ndarray, bias: Any = None) -> tuple[str, float]:
    """Write out a convolution step: ``1*0 + 2*2 + 3*9 + (-1)*2 = 29``.

    ``window`` and ``kernel`` have the same shape, (kh, kw) or (kh, kw, C). With more than
    ``MAX_TERMS`` products the sum is given per channel. Returns the text (without the result)
    and the exact total.

    Examples
    --------
    >>> weighted_sum(np.array([[1, 2], [3, -1]]), np.array([[0, 2], [9, 2]]))
    ('1*0 + 2*2 + 3*9 + (-1)*2', 29.0)
    """
    window, kernel = np.asarray(window), np.asarray(kernel)
    total = float((window.astype(np.float64) * kernel).sum()) + (0.0 if bias is None else float(bias))
    if window.ndim < 3:
        terms = [f"{_factor(x)}*{_factor(k)}" for x, k in zip(window.ravel(), kernel.ravel())]
        if len(terms) > MAX_TERMS * 3:
            terms = [*terms[:MAX_TERMS], f"... ({len(terms) - MAX_TERMS} more products)"]
    elif window.size <= MAX_TERMS:  # one bracket per channel
        terms = [
            "("
            + " + ".join(
                f"{_factor(x)}*{_factor(k)}" for x, k in zip(window[..., ch].ravel(), kernel[..., ch].ravel())
            )
            + ")"
            for ch in range(window.shape[-1])
        ]
    else:
        terms = [
            f"(channel {ch}: {number((window[..., ch].astype(np.float64) * kernel[..., ch]).sum())})"
            for ch in range(window.shape[-1])
        ]
    if bias is not None:
        terms.append(f"bias {_factor(bias)}")
    return " + ".join(terms), total


def pooled(window: np.ndarray, op: str) -> tuple[str, float]:
    """Write out a pooling step: ``max(0, 2, 9, 2)`` or ``mean(1, 2, 3, 4)``, and its value."""
    values = np.asarray(window, dtype=np.float64).ravel()
    value = float(values.max() if op == "max" else values.mean())
    return f"{op}({', '.join(number(v) for v in values)})", value
