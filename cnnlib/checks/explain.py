"""Text for learners: arrays printed side by side, windows marked, sums written out.

Everything here turns numbers into short plain text for a check's message. Small arrays are
printed whole; large ones as a few cells around the place that matters, with a note saying which
rows and columns are shown. The first half writes numbers, grids and sums; the second lays out a
failed check's message (the call, the arrays side by side, the window behind a wrong cell) for
``runner.judge``, which decides what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from ..ops import WindowGeometry, window_geometry
from ..writing import number, pooled, weighted_sum
from .exercise import Case, Exercise, axis_names
from .outcome import Opaque

__all__ = [
    "short",
    "number",
    "grid_lines",
    "side_by_side",
    "plane",
    "around",
    "weighted_sum",
    "pooled",
    "call_text",
    "describe",
    "is_scalar",
    "scalar_text",
    "shape_hint",
    "arrays",
    "window_story",
    "window_of",
]

PRINT_WHOLE = 12  # arrays up to this many rows and columns are printed whole
RADIUS = 2  # cells either side of the cell of interest when an array is too big to print whole


def short(value: Any) -> str:
    """A short description of an argument or a return value, for the line naming the call."""
    if isinstance(value, np.ndarray):
        return f"<array {value.shape} {value.dtype}>"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def brief(value: Any, names: Sequence[str] = ()) -> str:
    """A returned value in one line, its numbers when they are few: ``[[0, 0, 3, 3, 6]]``, ``an array
    of shape (3, 5, 5, 1)``, ``values [2., 1.] and boxes [[0, 0, 2, 2, 4], [2, 2, 3, 4, 5]]``."""
    if isinstance(value, (tuple, list)) and not isinstance(value, str) and names and len(names) == len(value):
        parts = [f"{name} {brief(item)}" for name, item in zip(names, value)]
        return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    if isinstance(value, np.ndarray):
        if value.size <= 30 and value.dtype.kind in "biuf":
            return " ".join(np.array2string(value, separator=", ", precision=4).split())
        return f"an array of shape {value.shape}"
    return short(value)


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


# ------------------------------------------------------------------ a check's message, laid out
# Everything below lays out a failed check's message from the exercise, the case and the two
# values; ``runner.judge`` decides what is wrong and calls these to show it.


def call_text(exercise: Exercise, case: Case) -> str:
    """How the learner's function was called: ``crop(<array (5, 6) uint8>, top=1, ...)``."""
    parts = [short(a) for a in case.args] + [f"{k}={short(v)}" for k, v in case.kwargs.items()]
    return f"{exercise.name}({', '.join(parts)})"


def describe(value: Any) -> str:
    """A returned value in words: ``an array of shape (2, 3), dtype int64``, ``5 (an int)``."""
    if isinstance(value, Opaque):
        return f"a {value.type} ({value.text})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}, dtype {value.dtype}"
    name = type(value).__name__
    return f"{short(value)} ({'an' if name[:1] in 'aeiou' else 'a'} {name})"


def is_scalar(value: Any) -> bool:
    """A single value (a number, a word, a 0-d array), as opposed to an array or a sequence."""
    return isinstance(value, (bool, int, float, str, np.generic)) or (
        isinstance(value, np.ndarray) and value.ndim == 0
    )


def scalar_text(value: Any) -> str:
    """A single value as the learner wrote it: words quoted, numbers as ``number`` writes them."""
    if isinstance(value, np.ndarray):
        value = value.item()
    return repr(value) if isinstance(value, str) else number(value)


SWAPPED = "\nRows and columns look swapped"


def broadcast_shapes(message: str) -> list[tuple[int, ...]]:
    """The shapes numpy names in "could not be broadcast together with shapes (2,0) (2,2)": the
    learner's own numbers, which mistakes' ``when`` conditions read."""
    tail = message.split("shapes", 1)[-1]
    return [
        tuple(int(n) for n in group.split(",") if n.strip()) for group in re.findall(r"\(([\d,\s]*)\)", tail)
    ]


def shape_hint(got: tuple[int, ...], expected: tuple[int, ...], axes: tuple[str, ...]) -> str:
    """What a wrong shape says: rows and columns swapped, how many rows too many, an extra axis.

    Examples
    --------
    >>> shape_hint((3, 5), (3, 4), ("row", "column"))
    '\\nThat is 1 column too many.'
    """
    if len(got) == len(expected) >= 2 and got[:2] == expected[1::-1][:2] and got[:2] != expected[:2]:
        return SWAPPED + ": the first index is the row (y), the second the column (x)."
    if len(got) == len(expected):
        diffs = [(name, g - e) for name, g, e in zip(axes, got, expected) if g != e]
        words = []
        for name, d in diffs:
            plural = name + ("es" if name.endswith(("x", "s", "ch", "sh")) else "s")
            words.append(f"{abs(d)} {name if abs(d) == 1 else plural} too {'many' if d > 0 else 'few'}")
        return f"\nThat is {' and '.join(words)}."
    if len(got) == len(expected) + 1:
        extra = [i for i in range(len(got)) if got[:i] + got[i + 1 :] == expected]
        if not extra:
            return "\nIt has one axis more than expected."
        i = extra[-1]
        where = "last" if i == len(got) - 1 else ("first" if i == 0 else f"number {i}, counted from 0")
        return (
            f"\nIt has an extra axis of size {got[i]} ({where}): shape {got}, where {expected} is expected."
        )
    if len(got) + 1 == len(expected):
        return "\nAn axis is missing."
    return ""


def _inputs(exercise: Exercise, case: Case) -> dict[str, np.ndarray]:
    return {n: v for n, v in exercise.arguments(case).items() if isinstance(v, np.ndarray) and v.ndim >= 1}


def arrays(
    exercise: Exercise, case: Case, got: Any, expected: Any, where: tuple[int, ...] | None = None
) -> str:
    """The inputs, the expected array and the learner's, side by side (near ``where`` if large)."""
    if not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray) or expected.ndim == 0:
        return ""
    axes = exercise.output_axes(expected)
    blocks: dict[str, list[str]] = {}
    shown = dict(_inputs(exercise, case))
    shown["expected"], shown["yours"] = expected, got
    if where is None and got.shape == expected.shape and got.dtype.kind in "biuf":
        differ = np.argwhere(~exercise.answer.matches(got, expected))
        if len(differ):
            where = tuple(int(i) for i in differ[0])
    if where is None:  # no wrong cell to centre on (the shapes differ): small flat arrays only
        if any(a.ndim > 2 or max(a.shape[:2]) > PRINT_WHOLE for a in shown.values()):
            return ""
        where = (0,) * expected.ndim
    notes = set()
    for label, array in shown.items():
        if array.shape[:2] != expected.shape[:2] and label not in ("expected", "yours"):
            if max(array.shape[:2]) <= PRINT_WHOLE and array.ndim <= 2:
                blocks[label] = grid_lines(array)
            continue
        if label == "yours" and array.shape != expected.shape:
            if max(array.shape[:2]) <= PRINT_WHOLE and array.ndim <= 2:
                blocks[label] = grid_lines(array)
            continue
        if label not in ("expected", "yours") and array.ndim == expected.ndim + 1:
            # an input with one more axis than the output (a colour image made gray or a mask):
            # its channels at the same place, up to four
            if array.shape[: expected.ndim] == expected.shape and expected.ndim in (1, 2):
                for ch in range(min(array.shape[-1], 4)):
                    plane_, cell_, _ = plane(array[..., ch], where, axes)
                    lines, part = around(plane_, cell_)
                    blocks[f"{label}, channel {ch}"] = lines
                    if part:
                        notes.add(part)
            continue
        role = exercise.roles.get(label)
        array_axes = axes if label in ("expected", "yours") else axis_names(role, array.ndim)
        try:
            flat, cell, fixed = plane(array, where[: array.ndim], array_axes)
        except IndexError:
            continue
        lines, part = around(flat, cell)
        if fixed:
            notes.add(fixed)
        if part:
            notes.add(part)
        blocks[label] = lines
    if not blocks:
        return ""
    note = f"\n({'; '.join(sorted(notes))})" if notes else ""
    return "\n\n" + side_by_side(blocks) + note


# ------------------------------------------------------------------ sliding windows


def _setting(value: str | int | None, arguments: dict[str, Any], default: Any) -> Any:
    """A window setting: the case's argument of that name, a fixed value, or the default."""
    if isinstance(value, str):
        return arguments.get(value, default)
    return default if value is None else value


class _Window(NamedTuple):
    """The window behind one output cell, with what it is computed from."""

    padded: np.ndarray  # (Hp, Wp, C): the input with its zero padding
    kernel: np.ndarray | None  # (kh, kw, C) for a convolution
    bias: Any
    geometry: WindowGeometry
    channels: int  # of the unpadded input


def _window_behind(exercise: Exercise, case: Case, where: tuple[int, ...], axes: tuple[str, ...]) -> _Window:
    """The padded input, kernel and window geometry behind output cell ``where``."""
    spec = exercise.window
    assert spec is not None
    arguments = exercise.arguments(case)
    image = np.asarray(arguments[spec.input])
    if image.ndim == 2:
        image = image[:, :, None]
    kernel, bias, size = None, None, _setting(spec.size, arguments, 2)
    if spec.op == "conv":
        kernel = np.asarray(arguments[spec.kernel])
        bias = arguments.get(spec.bias) if spec.bias else None
        if kernel.ndim in (3, 4) and "map" in axes:  # a filter bank (F, kh, kw[, C]): the map's filter
            f = min(where[axes.index("map")], kernel.shape[0] - 1)
            kernel = kernel[f]
            bias = None if bias is None else np.asarray(bias).reshape(-1)[f]
        if kernel.ndim == 2:
            kernel = kernel[:, :, None]
        size = kernel.shape[:2]
    geometry = window_geometry(
        spec.op, size, _setting(spec.stride, arguments, None), _setting(spec.padding, arguments, 0)
    )
    return _Window(geometry.pad(image), kernel, bias, geometry, image.shape[2])


def _input_blocks(exercise: Exercise, w: _Window, mark: tuple[int, int, int, int], channel) -> dict:
    """The input around a window, the window in brackets: the pooled channel, or for a
    convolution every channel (up to four) and the kernel of a one-channel image."""
    spec = exercise.window
    channels = [channel] if channel is not None else list(range(min(w.channels, 4)))
    pr, pc = w.geometry.padding
    blocks = {}
    for ch in channels:
        lines, part = around(w.padded[:, :, ch], (mark[0], mark[2]), mark)
        label = spec.input
        if pr or pc:
            label += f" with padding {pr if pr == pc else (pr, pc)}"
        if w.channels > 1:
            label += f", channel {ch}"
        if part:
            label += f" ({part})"
        blocks[label] = lines
    if spec.op == "conv" and w.kernel.shape[-1] == 1:
        blocks["kernel"] = grid_lines(w.kernel[:, :, 0])
    return blocks


def window_story(exercise: Exercise, case: Case, where: tuple[int, ...], got: Any, expected: Any) -> str:
    """Explain a wrong output cell of a convolution or pooling by its window and arithmetic."""
    spec = exercise.window
    axes = exercise.output_axes(np.zeros((1,) * len(where)))
    r, c = where[axes.index("row")], where[axes.index("column")]
    w = _window_behind(exercise, case, where, axes)
    top, bottom, left, right = w.geometry.bounds(r, c)
    channel = None
    if spec.op == "conv":
        window = w.padded[top:bottom, left:right]
        if window.shape != w.kernel.shape:
            return ""
        one = window.shape[-1] == 1
        story, _ = weighted_sum(
            window[..., 0] if one else window, w.kernel[..., 0] if one else w.kernel, w.bias
        )
    else:
        channel = where[axes.index("channel")] if "channel" in axes else 0
        story, _ = pooled(w.padded[top:bottom, left:right, channel], spec.op)
    padded = " of the padded input" if any(w.geometry.padding) else ""
    return (
        f"\nIt comes from the window in [ ] at rows {top}..{bottom - 1}, "
        f"columns {left}..{right - 1}{padded}:\n"
        f"  {story} = {number(expected)}, yours: {number(got)}\n\n"
        + side_by_side(_input_blocks(exercise, w, (top, bottom, left, right), channel))
    )


def window_of(exercise: Exercise, case: Case, got: Any, expected: Any) -> str:
    """For a window exercise: the first wrong value both arrays have, with its window; or, when
    the learner's output has an extra row or column, the window that value needs past the edge."""
    if not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray):
        return ""
    if got.ndim != expected.ndim or got.dtype.kind not in "biuf" or expected.ndim < 2:
        return ""
    axes = exercise.output_axes(expected)
    if "row" not in axes or "column" not in axes:
        return ""
    common = tuple(slice(0, min(a, b)) for a, b in zip(got.shape, expected.shape))
    wrong = ~exercise.answer.matches(got[common], expected[common])
    if wrong.any():
        where = tuple(int(i) for i in np.argwhere(wrong)[0])
        cell = ", ".join(f"{n} {i}" for n, i in zip(axes, where))
        return (
            f"\nFirst wrong value at {cell}: expected {number(expected[where])}, "
            f"yours {number(got[where])}." + window_story(exercise, case, where, got[where], expected[where])
        )
    r_axis, c_axis = axes.index("row"), axes.index("column")
    if got.shape[r_axis] > expected.shape[r_axis]:
        r, c, edge = expected.shape[r_axis], 0, "bottom"
    elif got.shape[c_axis] > expected.shape[c_axis]:
        r, c, edge = 0, expected.shape[c_axis], "right"
    else:
        return ""
    where = tuple(r if a == r_axis else c if a == c_axis else 0 for a in range(len(axes)))
    w = _window_behind(exercise, case, where, axes)
    top, bottom, left, right = w.geometry.bounds(r, c)
    rows, cols = w.padded.shape[:2]
    needs = f"rows {top}..{bottom - 1} and columns {left}..{right - 1}"
    if top >= rows or left >= cols:
        return f"\nYour extra value at row {r}, column {c} would need the window at {needs}: off the input."
    mark = (top, min(bottom, rows), left, min(right, cols))
    channel = 0 if exercise.window.op != "conv" else None
    return (
        f"\nYour extra value at row {r}, column {c} needs a window that runs past the {edge} edge: "
        f"{needs}, but the input has rows 0..{rows - 1} and columns 0..{cols - 1}. "
        f"What is left of it, in [ ]:\n\n" + side_by_side(_input_blocks(exercise, w, mark, channel))
    )


# ------------------------------------------------------------------ explained from the learner's numbers

_MAX_POSITIONS = 20_000  # windows tried per input; more than any case of the course needs


class _Way(NamedTuple):
    """A way of computing an output cell other than the right one.

    ``kind``: "arith" (the right window, an arithmetic slip named by ``label``), "size" (a pooling
    window ``param`` = (rows, columns) bigger at the right place), "step" (windows moving by
    ``param[0]`` cells), "unpadded" (windows of the input without its padding), "swapped" (rows and
    columns swapped) or "shift" (every window ``param`` = (rows, columns) off).
    """

    kind: str
    label: str = ""
    param: tuple = ()


_ARITH_SAYS = {
    "floor division": "`//` is floor division: it drops the decimals (13 // 4 is 3, 13 / 4 is 3.25). "
    "Divide with `/`.",
    "the kernel flipped": "the kernel is flipped. CNNs slide the kernel as it is (cross-correlation).",
    "the kernel transposed": "the kernel is transposed: kernel[i, j] goes with the window's row i, column j.",
    "no bias": "the bias was not added to these values.",
    "the bias added twice": "the bias was added twice to these values.",
}


def _output_cell(exercise: Exercise, where: tuple[int, ...]) -> tuple[tuple[str, ...], int, int]:
    axes = exercise.output_axes(np.zeros((1,) * len(where)))
    return axes, where[axes.index("row")], where[axes.index("column")]


def _behind(exercise: Exercise, case: Case, where: tuple[int, ...], axes, memo: dict) -> _Window:
    """``_window_behind``, kept per filter (the padded input is made once per explanation)."""
    key = where[axes.index("map")] if "map" in axes else None
    if key not in memo:
        memo[key] = _window_behind(exercise, case, where, axes)
    return memo[key]


def _by(
    exercise: Exercise, case: Case, where: tuple[int, ...], way: _Way, memo: dict, text: bool = False
) -> tuple[str, str, float] | None:
    """(what, story, value) of output cell ``where`` computed the ``way`` given; None where it
    cannot be computed (no such window). The words are written only with ``text``: the search
    computes thousands of values and tells one."""
    spec = exercise.window
    axes, r, c = _output_cell(exercise, where)
    w = _behind(exercise, case, where, axes, memo)
    channel = (where[axes.index("channel")] if "channel" in axes else 0) if spec.op != "conv" else None
    top, bottom, left, right = w.geometry.bounds(r, c)
    (kh, kw), (pr, pc) = w.geometry.size, w.geometry.padding
    kernel, bias, source = w.kernel, w.bias, w.padded
    if way.kind == "arith":
        window = source[top:bottom, left:right]
        if window.shape[:2] != (kh, kw):
            return None
        what = f"the right window (rows {top}..{bottom - 1}, columns {left}..{right - 1}) with {way.label}"
        if way.label == "floor division" or way.label.startswith("the sum divided by "):
            values = window[:, :, channel].astype(np.float64).ravel()
            floor = way.label == "floor division"
            count = values.size if floor else int(way.label.rsplit(" ", 1)[1])
            sign = "//" if floor else "/"
            story = f"({' + '.join(number(v) for v in values)}) {sign} {count}" if text else ""
            return what, story, float(values.sum() // count if floor else values.sum() / count)
        if way.label == "the kernel flipped":
            kernel = kernel[::-1, ::-1]
        elif way.label == "the kernel transposed":
            kernel = kernel.transpose(1, 0, 2)
        elif way.label == "no bias":
            bias = None
        elif way.label == "the bias added twice":
            bias = 2 * float(bias)
        story, value = _window_value(spec.op, window, kernel, bias, channel, text)
        return what, story, value
    if way.kind == "unpadded":
        source = source[pr : source.shape[0] - pr, pc : source.shape[1] - pc]
        a, b = top, left
    elif way.kind == "step":
        a, b = r * way.param[0], c * way.param[0]
    elif way.kind == "swapped":
        a, b = left, top
    elif way.kind == "size":  # the right place, a window of another size (pooling only)
        a, b = top, left
        kh, kw = kh + way.param[0], kw + way.param[1]
        if kh < 1 or kw < 1:
            return None
    else:
        a, b = top + way.param[0], left + way.param[1]
    if a < 0 or b < 0:
        return None
    patch = source[a : a + kh, b : b + kw]
    if patch.size == 0 or (spec.op == "conv" and patch.shape[:2] != (kh, kw)):
        return None
    story, value = _window_value(spec.op, patch, kernel, bias, channel, text)
    if not text:
        return "", "", value
    what = f"the window at rows {a}..{a + patch.shape[0] - 1}, columns {b}..{b + patch.shape[1] - 1}"
    if way.kind == "unpadded":
        what += " of the input without its padding"
    if patch.shape[:2] != (kh, kw):
        what += f", cut short by the edge (a {kh}x{kw} window starting there runs past it)"
    return what, story, value


def _window_value(spec_op: str, window: np.ndarray, kernel, bias, channel, text: bool) -> tuple[str, float]:
    """The window's value (and, with ``text``, its arithmetic written out)."""
    if text and spec_op == "conv":
        one = window.shape[-1] == 1
        return weighted_sum(window[..., 0] if one else window, kernel[..., 0] if one else kernel, bias)
    if text:
        return pooled(window[:, :, channel], spec_op)
    if spec_op == "conv":
        return "", float((window.astype(np.float64) * kernel).sum()) + (0.0 if bias is None else float(bias))
    values = window[:, :, channel].astype(np.float64)
    return "", float(values.max() if spec_op == "max" else values.mean())


def _ways(exercise: Exercise, case: Case, where: tuple[int, ...], same, memo: dict) -> list[_Way]:
    """Every way (``_Way``) that gives the learner's value at output cell ``where``."""
    spec = exercise.window
    axes, r, c = _output_cell(exercise, where)
    w = _behind(exercise, case, where, axes, memo)
    top, _, left, _ = w.geometry.bounds(r, c)
    (kh, kw), (pr, pc), stride = w.geometry.size, w.geometry.padding, w.geometry.stride
    found = []
    labels = {"mean": ["floor division"], "max": []}.get(spec.op, ["the kernel flipped"])
    if spec.op == "conv":
        labels += ["the kernel transposed"] if kh == kw else []
        labels += ["no bias", "the bias added twice"] if w.bias is not None and float(w.bias) != 0 else []
    if spec.op == "mean":  # divided by a count other than the window's
        window = w.padded[
            top : top + kh, left : left + kw, where[axes.index("channel")] if "channel" in axes else 0
        ]
        total = float(window.astype(np.float64).sum())
        for count in range(1, 4 * kh * kw + 1):
            if count != window.size and same(total / count):
                labels = [*labels, f"the sum divided by {count}"]
                break
    fixed = [_Way("arith", label) for label in labels]
    if spec.op != "conv":  # a pooling window one row or column too big or too small
        fixed += [_Way("size", param=d) for d in ((1, 1), (-1, -1), (1, 0), (0, 1), (-1, 0), (0, -1))]
    if pr or pc:  # the right window of the input without its padding
        fixed.append(_Way("unpadded"))
    found = [way for way in fixed if _gives(exercise, case, where, way, memo, same)]
    # every other window of the padded input, named by how it lies from the right one
    rows = w.padded.shape[0] - (kh - 1 if spec.op == "conv" else 0)
    cols = w.padded.shape[1] - (kw - 1 if spec.op == "conv" else 0)
    if rows * cols > _MAX_POSITIONS:
        return found
    for a in range(rows):
        for b in range(cols):
            if (a, b) == (top, left):
                continue
            way = _way_of(a, b, r, c, top, left, stride)
            if way not in found and _gives(exercise, case, where, way, memo, same):
                found.append(way)
    return found


def _way_of(a, b, r, c, top, left, stride) -> _Way:
    """The way a window at (a, b) of the padded input would be taken for output cell (r, c) whose
    right window is at (top, left): moving by some step, rows and columns swapped, or shifted."""
    steps = {a // r for _ in [0] if r and a % r == 0} | {b // c for _ in [0] if c and b % c == 0}
    if len(steps) == 1 and (r or c):
        (step,) = steps
        if (step * r, step * c) == (a, b) and step not in stride:
            return _Way("step", param=(step,))
    if (a, b) == (left, top):
        return _Way("swapped")
    return _Way("shift", param=(a - top, b - left))


def _gives(exercise: Exercise, case: Case, cell: tuple[int, ...], way: _Way, memo: dict, same) -> bool:
    done = _by(exercise, case, cell, way, memo)
    return done is not None and same(done[2])


_PRIORITY = {"arith": 0, "size": 1, "unpadded": 1, "step": 1, "swapped": 1, "shift": 2}


def _says(exercise: Exercise, case: Case, where: tuple[int, ...], way: _Way, memo: dict) -> str:
    axes, r, c = _output_cell(exercise, where)
    w = _behind(exercise, case, where, axes, memo)
    (sr, sc), size = w.geometry.stride, w.geometry.size
    top, _, left, _ = w.geometry.bounds(r, c)
    if way.kind == "arith" and way.label.startswith("the sum divided by "):
        count = way.label.rsplit(" ", 1)[1]
        area = size[0] * size[1]
        stack = next((a for a in case.args if isinstance(a, np.ndarray) and a.ndim == 3), None)
        if stack is not None and count == str(area * stack.shape[2]):
            return (
                f"you divide by {count}, the {size[0]}x{size[1]} window times the stack's "
                f"{stack.shape[2]} channels: window.size (or a mean over a window cut across all "
                f"channels) counts every channel. Each map is pooled on its own: divide by {area}, or "
                "take the mean over the window's rows and columns only, window.mean(axis=(0, 1))."
            )
        return (
            f"you divide by {count}, but a {size[0]}x{size[1]} window holds {area} values: "
            "divide by the window's own count (size * size), or use window.mean()."
        )
    if way.kind == "arith":
        return _ARITH_SAYS[way.label]
    if way.kind == "unpadded":
        return (
            "the windows are taken from the input without its padding: pad the input first, then take "
            "every window from the padded one."
        )
    if way.kind == "step":
        step = way.param[0]
        cells = "1 cell" if step == 1 else f"{step} cells"
        named = " (the window's size)" if step in size and step != 1 else ""
        return (
            f"your windows move by {cells}{named}, but they should move by the stride "
            f"({sr if sr == sc else (sr, sc)}): output cell ({r}, {c}) starts at row {r}*{sr} = {top}, "
            f"column {c}*{sc} = {left}."
        )
    if way.kind == "swapped":
        return "rows and columns look swapped: the first index is the row, the second the column."
    if way.kind == "size":
        kh, kw = size
        return (
            f"your windows are {kh + way.param[0]}x{kw + way.param[1]} where the pooling's are {kh}x{kw}: "
            f"window = feature_map[r*stride : r*stride + size, c*stride : c*stride + size]."
        )
    dr, dc = way.param
    moves = ((dr, "row", "down" if dr > 0 else "up"), (dc, "column", "right" if dc > 0 else "left"))
    parts = [f"{abs(d)} {name}{'s' if abs(d) != 1 else ''} {how}" for d, name, how in moves if d]
    return f"your windows are shifted {' and '.join(parts)} from cnnlib's."


def _running_total(exercise: Exercise, got: np.ndarray, expected: np.ndarray, first: tuple[int, ...]) -> str:
    """The learner's values are running sums of the right ones (a total set to 0 once, before the
    loops, or once per row): told when that gives every value of the output."""
    if expected.ndim not in (2, 3) or expected.dtype.kind not in "biuf" or expected.size < 3:
        return ""
    values = expected.astype(np.float64).reshape(expected.shape[0], expected.shape[1], -1)
    per_row = np.cumsum(values, axis=1)
    whole = np.cumsum(values.reshape(-1, values.shape[2]), axis=0).reshape(values.shape)
    r, c = first[0], first[1]
    for sums, where, fix in (
        (whole, "every window before it, row by row", "before the loops"),
        (per_row, "every window before it in its row", "before the loop over columns"),
    ):
        sums = sums.reshape(expected.shape)
        if bool(exercise.answer.matches(got, sums).all()):
            return (
                f"\nYour {number(got[first])} at row {r}, column {c} is the right value there plus the "
                f"values of {where}: a running total. That suggests the total is set to 0 once, {fix}, "
                "and keeps growing: start it at 0 again for every window (total = 0 right before the "
                "loops over the window's cells)."
            )
    return ""


def reproduce(exercise: Exercise, case: Case, got: np.ndarray, expected: np.ndarray) -> str:
    """Which nearby computation gives the learner's wrong values: the same operation on other
    windows (moving by 1 or by the window's size instead of the stride, without the padding,
    rows and columns swapped, shifted), or on the right windows with an arithmetic slip (floor
    division, the kernel flipped or transposed, the bias left out or added twice).

    Told only when one computation gives at least two of the learner's wrong values, and at least
    half of them (one value alone is too easy to match by chance); empty otherwise.
    """
    if exercise.window is None or got.shape != expected.shape or got.dtype.kind not in "biuf":
        return ""
    wrong = [tuple(int(i) for i in cell) for cell in np.argwhere(~exercise.answer.matches(got, expected))]
    if len(wrong) < 2:
        return ""

    running = _running_total(exercise, got, expected, wrong[0])
    if running:
        return running

    def same_as(value):
        return lambda other: bool(exercise.answer.matches(np.array([value]), np.array([other]))[0])

    memo: dict = {}
    wrong = wrong[:50]
    try:
        first = wrong[0]
        ways = _ways(exercise, case, first, same_as(got[first]), memo)
        ways = sorted(ways, key=lambda way: (_PRIORITY[way.kind], sum(abs(p) for p in way.param)))[:12]
        everywhere = [tuple(int(i) for i in cell) for cell in np.ndindex(got.shape)][:400]
        scored = []
        for way in ways:
            hits = sum(_gives(exercise, case, cell, way, memo, same_as(got[cell])) for cell in wrong)
            computable = sum(_by(exercise, case, cell, way, memo) is not None for cell in wrong)
            # the learner's whole output, right values included, tells equally good ways apart
            overall = sum(_gives(exercise, case, cell, way, memo, same_as(got[cell])) for cell in everywhere)
            distance = sum(abs(p) for p in way.param) if way.kind == "shift" else 0
            scored.append((-hits, -overall, _PRIORITY[way.kind], distance, way, hits, computable))
    except (IndexError, ValueError, TypeError):
        return ""
    scored.sort(key=lambda item: item[:4])
    if not scored:
        return ""
    hits, computable, considered = scored[0][5], scored[0][6], len(wrong)
    if hits < 2 or 2 * hits < computable:
        return ""
    if scored[0][4].kind == "shift" and hits < considered:
        return ""  # a shifted window that gives only some of the values is too easy a coincidence
    if len(scored) > 1 and scored[0][:4] == scored[1][:4]:
        return ""  # two computations explain as much as each other: nothing to tell
    way = scored[0][4]
    what, story, _ = _by(exercise, case, first, way, memo, text=True)
    shown = f": {story} = {number(got[first])}" if len(story) <= 60 else ""  # the window story follows
    checked = " (of the first 50)" if considered == 50 else ""
    if hits == considered:
        count = "both of your wrong values" if hits == 2 else f"all {hits} of your wrong values{checked}"
    else:
        count = f"{hits} of your {considered} wrong values{checked}"
    if computable < considered:
        count += f" (for {considered - computable} of them there is no such window)"
    return (
        f"\nYour {number(got[first])} is what {what} gives{shown}; the same computation gives {count}."
        f"\nThat suggests {_says(exercise, case, first, way, memo)}"
    )
