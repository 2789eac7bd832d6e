"""Lesson 06 (pooling): the exercises max_pool2d, avg_pool2d and conv_relu_pool, as data.

The references are cnnlib's answers in ``cnnlib.pooling`` (thin wrappers around
``cnnlib.ops.max_pool2d`` and ``avg_pool2d``). Each mistake is a wrong answer learners give in
practice, computed from the same inputs so that the message can name it. The runner explains a
wrong pooled cell by its window and that window's max or mean, also when the mistake is a known
one, and an extra row or column by the window that runs past the edge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import data, ops, pooling
from .exercise import LIBRARY_CONVOLUTIONS, Answer, Case, Exercise, Mistake, Window
from .runner import make_check

__all__ = ["check_max_pool2d", "check_avg_pool2d", "check_conv_relu_pool", "EXERCISES"]

LESSON = "06_pooling"

# floats: a float32 map pooled in float64 (or the other way round) is still right
_FLOATS = Answer(dtype=None, rtol=1e-5, atol=1e-6)


def _ints(values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


# ------------------------------------------------------------------ what wrong pooling gives


def _windows_from_every_start(feature_map, size: int, stride: int, combine) -> np.ndarray:
    """Pooling with a window at every start 0, stride, 2*stride, ... < H: the last ones are cut
    short by the edge (partial windows kept), as a loop over ``range(0, H, stride)`` gives."""
    array = np.asarray(feature_map, dtype=np.float64)
    rows, cols = range(0, array.shape[0], stride), range(0, array.shape[1], stride)
    out = np.empty((len(rows), len(cols), *array.shape[2:]))
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            out[i, j] = combine(array[r : r + size, c : c + size], axis=(0, 1))
    return out


def _windows_by_division(feature_map, size: int, stride: int, combine) -> np.ndarray | None:
    """Pooling whose output has H // stride rows (and W // stride columns), cut windows kept."""
    array = np.asarray(feature_map, dtype=np.float64)
    n_rows, n_cols = array.shape[0] // stride, array.shape[1] // stride
    if n_rows == 0 or n_cols == 0:
        return None
    out = np.empty((n_rows, n_cols, *array.shape[2:]))
    for i in range(n_rows):
        for j in range(n_cols):
            out[i, j] = combine(
                array[i * stride : i * stride + size, j * stride : j * stride + size], axis=(0, 1)
            )
    return out


def _swapped(pool: Callable) -> Callable:
    def wrong(feature_map, size, stride):
        return np.swapaxes(pool(feature_map, size, stride), 0, 1)

    return wrong


def _channels_together(pool: Callable, combine) -> Callable:
    """A stack of maps pooled as one: each window's max (or mean) over all its maps, in every map."""

    def wrong(feature_map, size, stride):
        array = np.asarray(feature_map)
        if array.ndim != 3 or array.shape[2] < 2:
            return None
        pooled = pool(array, size, stride)
        across = np.stack(
            [
                [
                    combine(array[r * stride : r * stride + size, c * stride : c * stride + size])
                    for c in range(pooled.shape[1])
                ]
                for r in range(pooled.shape[0])
            ]
        )
        return np.repeat(across[:, :, None], array.shape[2], axis=2)

    return wrong


def _stepped_by_size(combine) -> Callable:
    """The windows start at r * size and c * size instead of r * stride and c * stride, with the
    right number of output cells: windows cut short by the edge (an empty one gives NaN)."""

    def wrong(feature_map, size, stride):
        array = np.asarray(feature_map, dtype=np.float64)
        if size == stride:
            return None
        rows = (array.shape[0] - size) // stride + 1
        cols = (array.shape[1] - size) // stride + 1
        out = np.empty((rows, cols, *array.shape[2:]))
        for r in range(rows):
            for c in range(cols):
                window = array[r * size : r * size + size, c * size : c * size + size]
                if window.size == 0:
                    out[r, c] = np.nan  # the mean of nothing (the max of nothing raises)
                else:
                    out[r, c] = combine(window, axis=(0, 1))
        return out

    return wrong


def _one_map_from_a_stack(combine) -> Callable:
    """A stack (H, W, C) pooled into one (H', W') map: each window combined over all its maps."""

    def wrong(feature_map, size, stride):
        array = np.asarray(feature_map)
        if array.ndim != 3:
            return None
        rows = (array.shape[0] - size) // stride + 1
        cols = (array.shape[1] - size) // stride + 1
        return np.array(
            [
                [
                    combine(array[r * stride : r * stride + size, c * stride : c * stride + size])
                    for c in range(cols)
                ]
                for r in range(rows)
            ]
        )

    return wrong


def _integer_output(feature_map, size, stride):
    """Max pooling of a map with decimals, stored into an integer array (decimals cut off)."""
    array = np.asarray(feature_map)
    if array.dtype.kind != "f":
        return None
    return np.trunc(ops.max_pool2d(array, size, stride))


def _other_size(pool: Callable) -> Callable:
    """The window's size ignored: always 2x2 (the lesson's first example)."""

    def wrong(feature_map, size, stride):
        array = np.asarray(feature_map)
        if size == 2 or min(array.shape[:2]) < 2:
            return None
        return pool(array, 2, stride)

    return wrong


def _one_short(pooled: np.ndarray):
    """The pooled map without its last row and column of windows (None when that leaves nothing)."""
    return pooled[:-1, :-1] if min(pooled.shape[:2]) > 1 else None


def _common_mistakes(pool: Callable, combine, word: str, method: str) -> tuple[Mistake, ...]:
    """Mistakes of both pooling exercises: stride, partial windows, crashes, rows and columns."""
    return (
        Mistake(
            "overlapping_windows",
            "the windows overlap: each step moved one cell instead of `stride` cells. The window of "
            "output cell (r, c) starts at row r * stride and column c * stride.",
            lambda feature_map, size, stride: None if stride == 1 else pool(feature_map, size, 1),
        ),
        Mistake(
            "size_ignored",
            "the window is always 2x2, whatever `size` says: take `size` rows and `size` columns, "
            "feature_map[r * stride : r * stride + size, c * stride : c * stride + size].",
            _other_size(pool),
        ),
        Mistake(
            "size_by_division",
            "the output does not have H // stride rows: count the whole windows that fit, "
            "(H - size) // stride + 1 (likewise for columns). H // stride is right only by luck: "
            "it keeps windows that run past the edge when the windows overlap, and it can miss the "
            "last whole window when the window is smaller than the stride.",
            lambda feature_map, size, stride: _windows_by_division(feature_map, size, stride, combine),
        ),
        Mistake(
            "one_window_short",
            "the last row and the last column of windows are missing: (H - size) // stride counts the "
            "steps between the first window and the last; the number of windows is one more, "
            "(H - size) // stride + 1 (likewise for the columns).",
            lambda feature_map, size, stride: _one_short(pool(feature_map, size, stride)),
        ),
        Mistake(
            "partial_windows_kept",
            "windows that stick out past the bottom or the right edge were kept (cut short by the "
            "edge). Pooling drops them: only whole windows count, so the output has "
            "(H - size) // stride + 1 rows and (W - size) // stride + 1 columns.",
            lambda feature_map, size, stride: _windows_from_every_start(feature_map, size, stride, combine),
        ),
        Mistake(
            "window_past_the_edge",
            "an index ran past the end of an array. The usual causes: a window that does not fit "
            "whole was still visited (only (H - size) // stride + 1 windows fit down and "
            "(W - size) // stride + 1 across); the output was indexed with the input's row and "
            "column (output cell [r, c] is the window that starts at input row r * stride, column "
            "c * stride); the window moved by `size` instead of `stride`; or rows (first index) "
            "and columns (second index) are mixed up.",
            error=("IndexError", "out of bounds"),
        ),
        Mistake(
            "rows_columns_swapped",
            "rows and columns are swapped: output cell [r, c] comes from the window at rows "
            "r * stride ..., columns c * stride ... (the first index is the row).",
            _swapped(pool),
        ),
        Mistake(
            "channels_pooled_together",
            f"the maps of the stack were pooled together: each window's {word} was taken over all "
            f"C maps at once. Pool each map on its own: for a window of shape (size, size, C), "
            f"window.{method}(axis=(0, 1)) gives one value per map.",
            _channels_together(pool, combine),
        ),
        Mistake(
            "one_map_from_a_stack",
            f"a stack of C maps came back as one map of shape (H', W'): each window's {word} was "
            f"taken over all C maps at once. Pool each map on its own and keep the last axis: make "
            f"the output np.zeros((rows, cols) + feature_map.shape[2:]) and fill each cell with "
            f"window.{method}(axis=(0, 1)), one value per map.",
            _one_map_from_a_stack(combine),
        ),
        Mistake(
            "no_room_for_the_maps",
            "the output has no room for the maps of a stack: a window of a stack (H, W, C) gives C "
            "values, one per map, and a cell of a (rows, cols) array holds one number. Make the "
            "output np.zeros((rows, cols) + feature_map.shape[2:]): shape (rows, cols) for one map, "
            "(rows, cols, C) for a stack.",
            error=("ValueError", "setting an array element with a sequence"),
        ),
    )


# ------------------------------------------------------------------ cases

_HAND = _ints([[1, 3, 2, 0], [5, 4, 1, 1], [0, 2, 7, 8], [6, 1, 3, 2]])
# the smiley's top-left feature map (filter 1, 2, 3, -1) before ReLU: -2 in the corner
_SMILEY_MAP = _ints([[-2, 8, 10, 10], [8, 3, 31, 10], [10, 17, 38, 10], [10, 24, 17, 10]])
_SIGNED = _ints([[-3, -1, 4, 0], [-2, -5, 2, 6], [1, 0, -4, -4], [3, 2, -1, -6]])
_FIVE = _ints(np.arange(25).reshape(5, 5) % 7)
_WIDE = _ints([[1, 5, 2, 0, 3], [4, 2, 8, 1, 0], [0, 6, 3, 9, 2]])
_SIX_BY_SEVEN = _ints((np.arange(42).reshape(6, 7) * 5) % 11)
_STACK = np.stack([_HAND, _SIGNED], axis=2)
# decimals, mostly negative: a window's maximum is 0.9, 2.75, -0.05 or 3.5
_DECIMALS = np.array(
    [[0.5, -1.25, 2.75, 0.1], [-0.3, 0.9, -2.5, 1.6], [-0.7, -1.5, 0.25, -0.4], [-2.2, -0.05, 3.5, -1.0]]
)
_BRIGHT = np.array([[200, 100, 255, 255], [250, 150, 255, 255]], dtype=np.uint8)


def _pool_case(feature_map, size: int, stride: int, note: str = "") -> Case:
    return Case((feature_map,), dict(size=size, stride=stride), note)


def _pool_visible(signed_note: str) -> tuple[Case, ...]:
    return (
        _pool_case(_HAND, 2, 2, "four 2x2 windows side by side, one output value each"),
        _pool_case(_SIGNED, 2, 2, signed_note),
        _pool_case(_FIVE, 2, 2, "5 rows and 5 columns: the last row and column fit no whole window"),
        _pool_case(_WIDE, 2, 1, "stride 1: the windows overlap, each step moves one cell"),
        _pool_case(_SIX_BY_SEVEN, 3, 2, "3x3 windows, 2 apart, on 6 rows and 7 columns"),
        _pool_case(_STACK, 2, 2, "a stack of two maps (H, W, C): each map is pooled on its own"),
        _pool_case(_BRIGHT, 2, 2, "a uint8 map: 200 + 100 + 250 + 150 = 700 does not fit in uint8"),
        _pool_case(_DECIMALS, 2, 2, "decimal values: 0.9 and 2.75 stay 0.9 and 2.75, not 0 and 2"),
    )


def _pool_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [_pool_case(_SMILEY_MAP, 2, 2, "the smiley's feature map")]
    for _ in range(4):
        rows, cols = (int(v) for v in rng.integers(2, 10, size=2))
        size = int(rng.integers(1, min(rows, cols, 4) + 1))
        stride = int(rng.integers(1, 4))
        note = f"a random {rows}x{cols} map of whole numbers, {size}x{size} windows, stride {stride}"
        cases.append(_pool_case(rng.integers(-9, 10, size=(rows, cols)), size, stride, note))
    cases += [
        _pool_case(rng.normal(size=(7, 9)), 2, 2, "decimals, many of them negative, between -3 and 3"),
        _pool_case(rng.normal(size=(6, 5)).astype(np.float32), 3, 1, "float32 values, 3x3 windows"),
        _pool_case(rng.integers(0, 256, size=(9, 8), dtype=np.uint8), 2, 2, "a uint8 map"),
        _pool_case(rng.integers(-5, 6, size=(5, 7, 3)), 2, 2, "a stack of three maps"),
        _pool_case(rng.normal(size=(4, 6)), 4, 1, "the window is as tall as the map: one row out"),
        _pool_case(rng.integers(-9, 10, size=(3, 4)), 1, 1, "1x1 windows: the map comes back as it was"),
    ]
    return cases


# ------------------------------------------------------------------ max_pool2d

MAX_POOL2D = Exercise(
    name="max_pool2d",
    lesson=LESSON,
    reference=pooling.max_pool2d,
    params=("feature_map", "size", "stride"),
    visible=_pool_visible("negative values: the window (-3, -1, -2, -5) keeps -1, not 0"),
    hidden=_pool_hidden,
    mistakes=(
        Mistake(
            "mean_not_max",
            "this is average pooling: each window's mean. Max pooling keeps each window's largest "
            "value (window.max()).",
            lambda feature_map, size, stride: ops.avg_pool2d(feature_map, size, stride),
        ),
        Mistake(
            "max_starts_at_zero",
            "a window of negative numbers gave 0: your running maximum starts at 0, which is larger "
            "than all of them. Start from the window's first value (or -np.inf), or use window.max().",
            lambda feature_map, size, stride: ops.relu(ops.max_pool2d(feature_map, size, stride)),
        ),
        Mistake(
            "integer_output",
            "the maxima lost their decimals (0.9 became 0, 2.75 became 2): the output array holds "
            "integers (np.zeros(..., dtype=int), or zeros_like of an integer array), so each value "
            "was cut to a whole number when stored. feature_map may hold decimals: make the output "
            "np.zeros((rows, cols) + feature_map.shape[2:]), which holds floats, or give it the "
            "map's own dtype (dtype=feature_map.dtype).",
            _integer_output,
        ),
        *_common_mistakes(ops.max_pool2d, np.max, "maximum", "max"),
        Mistake(
            "empty_window",
            "a window past the edge of the map was empty, and the maximum of nothing is undefined. "
            "Either there is one window too many (only (H - size) // stride + 1 windows fit down "
            "and (W - size) // stride + 1 across), or the window moved by `size` instead of "
            "`stride` (the window of output cell (r, c) starts at row r * stride, column c * stride).",
            error=("ValueError", "zero-size array"),
        ),
    ),
    answer=_FLOATS,
    shortcuts={
        pooling.max_pool2d: None,
        ops.max_pool2d: None,
        ops.max_pool2d_loops: None,
        "scipy.ndimage.maximum_filter": None,
        "skimage.measure.block_reduce": None,
    },
    window=Window(op="max", input="feature_map", size="size", stride="stride"),
    in_place="build a new array for the output (np.zeros(...)) and fill it; leave feature_map alone.",
)


# ------------------------------------------------------------------ avg_pool2d


def _sum_wrapped(feature_map, size, stride):
    """The mean of a uint8 map whose window sums wrapped around past 255 (uint8 addition)."""
    array = np.asarray(feature_map)
    if array.dtype != np.uint8:
        return None
    wide = array.astype(np.int64)
    sums = np.zeros_like(ops.avg_pool2d(wide, size, stride))
    for i in range(size):
        for j in range(size):
            sums += ops.avg_pool2d(wide[i:, j:], 1, stride)[: sums.shape[0], : sums.shape[1]]
    return (sums % 256) / (size * size)


def _truncated(feature_map, size, stride):
    array = np.asarray(feature_map)
    if array.dtype.kind not in "biu":
        return None
    return np.trunc(ops.avg_pool2d(array, size, stride))


AVG_POOL2D = Exercise(
    name="avg_pool2d",
    lesson=LESSON,
    reference=pooling.avg_pool2d,
    params=("feature_map", "size", "stride"),
    visible=_pool_visible("negative values: the mean of (-3, -1, -2, -5) is -2.75"),
    hidden=_pool_hidden,
    mistakes=(
        Mistake(
            "max_not_mean",
            "this is max pooling: each window's largest value. Average pooling takes each window's "
            "mean (window.mean()).",
            lambda feature_map, size, stride: ops.max_pool2d(feature_map, size, stride),
        ),
        Mistake(
            "mean_truncated",
            "the means lost their decimals (3.25 became 3): the output array has the integer dtype "
            "of the map, so each mean was cut to a whole number when stored. Make the output "
            "float, e.g. np.zeros((rows, cols)) rather than np.zeros_like(feature_map).",
            _truncated,
            kinds="biu",
        ),
        Mistake(
            "floor_division",
            "the means are whole numbers in a float array: `//` is floor division, it drops the "
            "decimals (13 // 4 is 3, 13 / 4 is 3.25). Divide the window's sum with `/`, or use "
            "window.mean().",
            lambda feature_map, size, stride: np.floor(ops.avg_pool2d(feature_map, size, stride)),
            kinds="fc",
        ),
        Mistake(
            "uint8_sum_wrapped",
            "the sum of a window wrapped around: adding uint8 values keeps the result in uint8, so "
            "200 + 100 + 250 + 150 = 700 became 700 - 512 = 188. Add in floats: start the total "
            "at 0.0 (a float, not a value of the map), convert with .astype(float), or use "
            "window.mean().",
            _sum_wrapped,
        ),
        Mistake(
            "sum_not_mean",
            "each window was added up but not divided: the mean is the sum divided by the number "
            "of cells, size * size. (If you wrote `/ size * size`: that is (sum / size) * size, the "
            "sum again; write `/ (size * size)`.)",
            lambda feature_map, size, stride: ops.avg_pool2d(feature_map, size, stride) * size * size,
        ),
        Mistake(
            "divided_by_size",
            "each window's sum was divided by `size`; a size x size window holds size * size "
            "numbers, so divide by size * size (or use window.mean()).",
            lambda feature_map, size, stride: (
                None if size == 1 else ops.avg_pool2d(feature_map, size, stride) * size
            ),
        ),
        Mistake(
            "stepped_by_size",
            "the window moved by `size` cells instead of `stride` cells: where the two differ, the "
            "windows start in the wrong places and the last ones run past the edge. The window of "
            "output cell (r, c) starts at row r * stride and column c * stride.",
            _stepped_by_size(np.mean),
        ),
        *_common_mistakes(ops.avg_pool2d, np.mean, "mean", "mean"),
    ),
    answer=_FLOATS,
    shortcuts={
        pooling.avg_pool2d: None,
        ops.avg_pool2d: None,
        ops.avg_pool2d_loops: None,
        "scipy.ndimage.uniform_filter": None,
        "skimage.measure.block_reduce": None,
    },
    window=Window(op="mean", input="feature_map", size="size", stride="stride"),
    in_place="build a new float array for the output (np.zeros(...)) and fill it; leave feature_map alone.",
)


# ------------------------------------------------------------------ conv_relu_pool

_SMILEY = data.smiley()
_ARTICLE_FILTER = _ints([[1, 2], [3, -1]])


def _chain_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [Case((_SMILEY[2:, 1:], _ints([[1, 1], [-1, -1]])), note="a horizontal-edge filter")]
    for _ in range(3):
        rows, cols = (int(v) for v in rng.integers(5, 11, size=2))
        kh, kw = (int(v) for v in rng.integers(2, 4, size=2))
        note = f"a random {rows}x{cols} image of whole numbers and a random {kh}x{kw} filter"
        cases.append(
            Case((rng.integers(0, 10, size=(rows, cols)), rng.integers(-3, 4, size=(kh, kw))), note=note)
        )
    cases += [
        Case((rng.normal(size=(9, 7)), rng.normal(size=(3, 3))), note="floats, a 3x3 filter"),
        Case(
            (
                rng.integers(0, 256, size=(12, 12), dtype=np.uint8),
                _ints([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
            ),
            note="a uint8 patch and a vertical-edge filter",
        ),
        Case((rng.integers(0, 10, size=(3, 3)), _ints([[1, -1], [-1, 1]])), note="a 2x2 map: one value out"),
    ]
    return cases


def _chain(pool: Callable, relu: bool = True, stride: int = 2) -> Callable:
    def wrong(image, kernel):
        feature_map = ops.conv2d(image, kernel)
        if relu:
            feature_map = ops.relu(feature_map)
        return pool(feature_map, 2, stride)

    return wrong


CONV_RELU_POOL = Exercise(
    name="conv_relu_pool",
    uses=(MAX_POOL2D,),
    lesson=LESSON,
    reference=pooling.conv_relu_pool,
    shortcuts={pooling.conv_relu_pool: None, **dict.fromkeys(LIBRARY_CONVOLUTIONS)},
    params=("image", "kernel"),
    visible=(
        Case(
            (_SMILEY[:5, :5], _ARTICLE_FILTER),
            note="the smiley's top-left corner and the filter (1, 2, 3, -1): 4x4, then 2x2",
        ),
        Case((_SMILEY, _ARTICLE_FILTER), note="the whole smiley: a 7x7 map, its last row and column dropped"),
        Case(
            (_SMILEY, _ints([[1, -1], [1, -1]])),
            note="a vertical-edge filter: the top-left window is all negative, so ReLU matters",
        ),
        Case(
            (
                _ints([[0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [0, 0, 9, 9, 0, 0], [3, 3, 3, 3, 3, 3]]),
                _ints(np.ones((3, 3))),
            ),
            note="4 rows, 6 columns and a 3x3 filter: a 2x4 map, then 1x2",
        ),
        Case(
            (_SMILEY, _ints([[1, 2, 1]])),
            note="a 1x3 filter, 1 row and 3 columns: an 8x6 map, then 4x3 (rows and columns differ)",
        ),
    ),
    hidden=_chain_hidden,
    mistakes=(
        Mistake(
            "relu_missing",
            "ReLU is missing: a pooling window whose values are all negative kept a negative "
            "number. Apply ReLU to the feature map before pooling (cnnlib.ops.relu).",
            _chain(ops.max_pool2d, relu=False),
        ),
        Mistake(
            "average_pooling",
            "this is average pooling; the layer uses max pooling: the largest value of each 2x2 window.",
            _chain(ops.avg_pool2d),
        ),
        Mistake(
            "overlapping_windows",
            "the pooling windows overlap (stride 1): use 2x2 windows with stride 2, side by side.",
            _chain(ops.max_pool2d, stride=1),
        ),
        Mistake(
            "not_pooled",
            "this is the feature map after ReLU, not yet pooled: finish with 2x2 max pooling, stride 2.",
            lambda image, kernel: ops.relu(ops.conv2d(image, kernel)),
        ),
        Mistake(
            "kernel_flipped",
            "the kernel was flipped (that is the mathematician's convolution). CNNs slide the kernel "
            "as it is: cnnlib.ops.conv2d(image, kernel).",
            lambda image, kernel: pooling.conv_relu_pool(image, np.asarray(kernel)[::-1, ::-1]),
        ),
        Mistake(
            "kernel_wrapped_to_uint8",
            "the kernel's negative values wrapped around: converted to uint8 (the smiley's dtype), "
            "-1 becomes 255 and -2 becomes 254, so the sums are far too large. Leave the kernel as "
            "it is: ops.conv2d(image, kernel) takes a uint8 image and a kernel with negative values "
            "and computes in a wide enough type.",
            lambda image, kernel: (
                pooling.conv_relu_pool(image, np.asarray(kernel).astype(np.uint8))
                if np.asarray(image).dtype == np.uint8
                else None
            ),
        ),
        Mistake(
            "abs_not_relu",
            "negative values became positive: that is np.abs, the size of each value. ReLU keeps "
            "positive values and sets negative ones to 0, np.maximum(x, 0) (cnnlib.ops.relu).",
            lambda image, kernel: ops.max_pool2d(np.abs(ops.conv2d(image, kernel)), 2, 2),
        ),
        Mistake(
            "padded",
            "the convolution was padded (padding=1 keeps the map the image's size). This layer "
            "slides the kernel over the image alone, no padding: ops.conv2d(image, kernel), so the "
            "map is H - kh + 1 by W - kw + 1 before pooling.",
            lambda image, kernel: ops.max_pool2d(
                ops.relu(ops.conv2d(image, kernel, stride=1, padding=1)), 2, 2
            ),
        ),
        Mistake(
            "pooled_first",
            "the image was pooled before the convolution. The layer's order is convolution, then "
            "ReLU, then 2x2 max pooling of the feature map: max_pool2d(relu(conv2d(image, kernel))).",
            lambda image, kernel: ops.relu(ops.conv2d(ops.max_pool2d(image, 2, 2), kernel)),
        ),
        Mistake(
            "transposed",
            "rows and columns are swapped: the result is transposed (shape (W', H') instead of "
            "(H', W'), or each value mirrored across the diagonal). Return the pooled map as it "
            "comes out, without .T or swapped indices.",
            lambda image, kernel: pooling.conv_relu_pool(image, kernel).T,
        ),
    ),
    answer=_FLOATS,
    roles={"kernel": "kernel"},
    in_place="compute a new feature map (conv2d returns one) and leave image alone.",
)


EXERCISES = (MAX_POOL2D, AVG_POOL2D, CONV_RELU_POOL)


check_max_pool2d = make_check(MAX_POOL2D)
check_avg_pool2d = make_check(AVG_POOL2D)
check_conv_relu_pool = make_check(CONV_RELU_POOL)
