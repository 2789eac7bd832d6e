"""Lesson 04 (convolution): window_sum, conv2d_valid, output_size, conv2d and which_edges, as data.

The references are cnnlib's answers in ``cnnlib.convolution`` (thin wrappers around
``cnnlib.ops``). Each mistake computes, from the same inputs, the wrong answer a learner gives
in practice, so the message can name it; a wrong convolution cell is also explained by its
window and the written-out sum (``Window``).
"""

from __future__ import annotations

import re

import numpy as np

from .. import convolution, data, ops
from .exercise import LIBRARY_CONVOLUTIONS, Answer, Case, Exercise, Mistake, Window
from .explain import broadcast_shapes, number, weighted_sum
from .runner import make_check

__all__ = [
    "check_window_sum",
    "check_conv2d_valid",
    "check_output_size",
    "check_conv2d",
    "check_which_edges",
    "EXERCISES",
]

LESSON = "04_convolution"

# The lesson's filter (the article's 2x2 example) and the smiley it slides over.
FILTER = np.array([[1, 2], [3, -1]])
SMILEY = data.smiley()

# Every convolution cnnlib has is the answer to this lesson's convolution exercises: switched off
# while the learner's own runs. (scipy.signal.correlate2d is not cnnlib's and is not blocked.)
_CONVOLUTIONS = {
    convolution.conv2d_valid: None,
    convolution.conv2d: None,
    ops.conv2d: None,
    ops.conv2d_loops: None,
    **dict.fromkeys(LIBRARY_CONVOLUTIONS),
}


def _ints(values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _float64(image) -> np.ndarray:
    """A float64 copy: sums and products that cannot wrap around as uint8 or int16 would."""
    return np.array(image, dtype=np.float64)


# ------------------------------------------------------------------ shared wrong answers

# Messages shared by the three exercises that slide a kernel.
_FLIPPED = (
    "the kernel is flipped (upside down and left to right). That is the textbook convolution; CNNs "
    "use cross-correlation: kernel[i, j] multiplies the window's cell [i, j], with no flip."
)
_TRANSPOSED = (
    "the kernel is transposed (rows and columns swapped): kernel[i, j] must multiply the window's "
    "cell in row i, column j. Check the order of your indices, e.g. image[r + i, c + j] * kernel[i, j]."
)
_MATMUL = (
    "`@` (np.dot, np.matmul) is the matrix product: it combines rows with columns. A convolution "
    "multiplies matching cells, `window * kernel`, and adds them all up with `.sum()`."
)
_UINT8_WRAPPED = (
    "the output is stored as uint8, the image's type (0..255), so sums below 0 or above 255 "
    "wrapped around by 256 (a sum of -2 is stored as 254, 300 as 44). np.zeros_like(image) or "
    "dtype=image.dtype copy that type: make the output float instead, np.zeros((out_h, out_w))."
)
_UINT8_PRODUCTS = (
    "the products were computed in uint8, the image's type (0..255), so they wrapped around by "
    "256: a kernel weight of -1 becomes 255, so 2*(-1) comes out as 254. Keep the kernel as it is "
    "(do not convert it to the image's type) and compute in float, e.g. "
    "window.astype(np.float64) * kernel."
)
_UINT8_OUT_OF_BOUNDS = (
    "the output array is uint8, the image's type (0..255), and a negative sum does not fit in it. "
    "np.zeros_like(image) or dtype=image.dtype copy that type: make the output float instead, "
    "np.zeros((out_h, out_w))."
)
_PAST_THE_EDGE = (
    "an index ran past the edge of an array. Either a window was read past the edge of the input "
    "(the last window starts at row out_h - 1, times the stride, and must still fit whole), or a "
    "value was written past the edge of the output: out[r, c] takes the output cell's r and c, "
    "not the window's position in the input."
)
_AXES_SWAPPED = (
    "your windows are the kernel's shape the other way round, kw rows by kh columns: kw, kh = "
    "kernel.shape, or passing col before row, swaps the kernel's rows and columns. Rows come first: "
    "kh, kw = kernel.shape, and the window is image[r:r + kh, c:c + kw]."
)


def _axes_swapped_values(image, kernel, stride=1, padding=0):
    """Windows cut kw rows by kh columns (kw, kh = kernel.shape), multiplied by the kernel: numpy
    broadcasts a column window with a one-row kernel into a grid, so a 1x3 kernel gives numbers."""
    kernel = np.asarray(kernel, dtype=np.float64)
    kh, kw = kernel.shape
    if kh == kw:
        return None
    padded = np.pad(_float64(image), padding)
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            window = padded[r * stride : r * stride + kw, c * stride : c * stride + kh]
            try:
                out[r, c] = np.sum(window * kernel)
            except ValueError:  # raises instead: the error mistake names it
                return None
    return out


_CUT_FROM_UNPADDED = (
    "a window near the right or bottom edge came out short (numpy names your window's shape first), "
    "so it cannot be multiplied by the kernel. With padding this happens in two ways: the windows "
    "are cut from `image` instead of the padded array, or there are more windows than fit because "
    "the padding was counted twice (out_h from padded.shape plus 2 * padding: the padded image is "
    "already H + 2 * padding tall). Cut every window from the padded array, and count out_h = "
    "(H + 2 * padding - kh) // stride + 1 with H from `image`."
)
_READ_FROM_UNPADDED = (
    "an index ran past the edge of `image` itself (numpy names its size above): with padding, the "
    "windows must be read from the padded image, which is 2 * padding rows and columns bigger. "
    "Read padded[...] wherever you read image[...] after padding."
)


def _axes_swapped(message, image, kernel, *args, **kwargs) -> bool:
    """The window has the kernel's shape reversed (and the kernel is not square)."""
    shape = np.shape(kernel)
    return shape[0] != shape[1] and shape[::-1] in broadcast_shapes(message)


def _stride_left_out_of_end(message, image, kernel, stride=1, padding=0) -> bool:
    """With stride, windows sliced padded[r * stride:r + kh]: the first window whose slice comes out
    short has the shape numpy names."""
    if stride <= 1:
        return False
    kh, kw = np.shape(kernel)
    padded = np.pad(np.asarray(image), padding)
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    for r in range(out_h):
        for c in range(out_w):
            shape = padded[r * stride : r + kh, c * stride : c + kw].shape
            if shape != (kh, kw):
                return shape in broadcast_shapes(message)
    return False


def _cut_from_unpadded(message, image, kernel, stride=1, padding=0) -> bool:
    """With padding, a window shorter than the kernel: cut at the edge of the unpadded image."""
    shape = np.shape(kernel)
    windows = [s for s in broadcast_shapes(message) if len(s) == 2 and s != shape]
    return padding > 0 and any(w[0] <= shape[0] and w[1] <= shape[1] for w in windows)


def _read_from_unpadded(message, image, kernel, stride=1, padding=0) -> bool:
    """With padding, an index past an axis whose size is the unpadded image's."""
    found = re.search(r"axis (\d+) with size (\d+)", message)
    if padding <= 0 or not found:
        return False
    axis, size = int(found.group(1)), int(found.group(2))
    return axis < 2 and np.shape(image)[axis] == size


_WRONG_SIZE = (
    "a window came out a different size from the kernel, so numpy could not multiply them cell by "
    "cell. Cut windows of exactly the kernel's size, image[r:r + kh, c:c + kw] with kh, kw = "
    "kernel.shape (rows first: kw, kh = kernel.shape swaps them, and so does passing col before "
    "row), and let the last window start at row out_h - 1 (times the stride), where it still fits "
    "whole."
)


def _flipped(conv):
    def wrong(image, kernel, *args, **kwargs):
        if np.array_equal(kernel, kernel[::-1, ::-1]):
            return None
        return conv(image, kernel[::-1, ::-1], *args, **kwargs)

    return wrong


def _transposed(conv):
    def wrong(image, kernel, *args, **kwargs):
        if kernel.shape[0] != kernel.shape[1] or np.array_equal(kernel, kernel.T):
            return None
        return conv(image, kernel.T, *args, **kwargs)

    return wrong


def _uint8_wrapped(conv):
    def wrong(image, kernel, *args, **kwargs):
        if image.dtype != np.uint8 or kernel.dtype.kind not in "iu":
            return None
        return conv(image, kernel, *args, **kwargs).astype(np.int64) % 256

    return wrong


def _uint8_products(image, kernel, stride=1, padding=0):
    """Window and kernel both made uint8: each product wraps around, their sum does not."""
    if image.dtype != np.uint8 or kernel.dtype.kind not in "iu":
        return None

    def product(window, weights):
        return float((window.astype(np.uint8) * weights.astype(np.uint8)).sum())

    return _loops(image, kernel, stride, padding, product=product)


def _loops(image, kernel, stride=1, padding=0, product=None):
    """A plain valid convolution of the padded image, with ``product`` combining window and kernel."""
    padded = np.pad(_float64(image), padding)
    kh, kw = kernel.shape
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            window = padded[r * stride : r * stride + kh, c * stride : c * stride + kw]
            out[r, c] = product(window, kernel) if product else (window * kernel).sum()
    return out


def _matmul_conv(image, kernel, stride=1, padding=0):
    if kernel.shape[0] != kernel.shape[1]:
        return None
    return _loops(image, kernel, stride, padding, product=lambda w, k: (w @ k).sum())


def _integer_output(image, kernel, stride=1, padding=0):
    """The output array made with an integer dtype: each sum loses its decimals (towards 0).

    Summed window by window as a learner's loops do, so that a mean of 2 that comes out as
    1.9999999 is cut to 1 here as it is there.
    """
    out = _loops(image, kernel, stride, padding)
    whole = np.trunc(out)
    return None if np.array_equal(whole, out) else whole


_INTEGER_OUTPUT = (
    "the output array holds whole numbers (dtype=int, or np.zeros_like of an integer image), so "
    "every sum lost its decimals when it was stored: 9.67 became 9. Make the output float, "
    "np.zeros((out_h, out_w))."
)


_LAST = slice(-1, None)


def _blanked(conv, rows: slice | None, cols: slice | None):
    """The right-sized output with some rows and/or columns left at 0: loops that stop early."""

    def wrong(image, kernel, *args, **kwargs):
        out = np.array(conv(image, kernel, *args, **kwargs), dtype=np.float64)
        if (rows and out.shape[0] < 2) or (cols and out.shape[1] < 2):
            return None
        if rows:
            out[rows, :] = 0
        if cols:
            out[:, cols] = 0
        return out

    return wrong


_FIRST_ROW_ONLY = (
    "only the first row of the output was filled: is the `return` indented inside the loop over "
    "rows? It belongs after both loops, level with the `for` that starts them."
)


def _unfilled_says(what: str, loops: str, sizes: str) -> str:
    return (
        f"{what} of the output stayed 0: the output has the right size, but the loop over {loops} "
        f"stops one short. range(n) already stops before n: loop over {sizes}."
    )


def _with_settings(args: tuple, stride, padding, note: str) -> Case:
    """A case of ``args`` with ``stride`` and ``padding`` as keywords where given."""
    settings = {"stride": stride, "padding": padding}
    return Case(args, {k: v for k, v in settings.items() if v is not None}, note)


# ------------------------------------------------------------------ window_sum


def _window_case(image, kernel, row, col, note="") -> Case:
    kh, kw = kernel.shape
    story, total = weighted_sum(image[row : row + kh, col : col + kw], kernel)
    where = f"window rows {row}..{row + kh - 1}, columns {col}..{col + kw - 1}"
    told = f"{where}: {story} = {number(total)}"
    return Case((image, kernel, row, col), note=f"{note}; {told}" if note else told)


def _window_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, kshape in [((6, 7), (2, 2)), ((9, 5), (3, 3)), ((4, 8), (2, 3)), ((7, 7), (5, 5))]:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        kernel = rng.integers(-3, 4, size=kshape)
        row, col = (
            int(rng.integers(0, shape[0] - kshape[0] + 1)),
            int(rng.integers(0, shape[1] - kshape[1] + 1)),
        )
        cases.append(_window_case(image, kernel, row, col))
    image = rng.integers(0, 10, size=(5, 6)).astype(np.int64)
    kernel = rng.integers(-2, 3, size=(3, 2))
    cases.append(_window_case(image, kernel, 2, 4, "the last window of the image"))
    image = rng.random((6, 6))
    cases.append(_window_case(image, rng.normal(size=(3, 3)), 1, 2, "decimals"))
    image = rng.random((5, 5)).astype(np.float32)
    cases.append(_window_case(image, rng.normal(size=(2, 2)).astype(np.float32), 3, 0, "float32"))
    return cases


def _window_at(row_offset: int, col_offset: int):
    def wrong(image, kernel, row, col):
        r, c = row + row_offset(kernel.shape[0]), col + col_offset(kernel.shape[1])
        kh, kw = kernel.shape
        if r < 0 or c < 0 or r + kh > image.shape[0] or c + kw > image.shape[1]:
            return None
        return float((_float64(image[r : r + kh, c : c + kw]) * kernel).sum())

    return wrong


def _window_swapped(image, kernel, row, col):
    kh, kw = kernel.shape
    if col + kh > image.shape[0] or row + kw > image.shape[1]:
        return None
    return float((_float64(image[col : col + kh, row : row + kw]) * kernel).sum())


def _window_short(image, kernel, row, col):
    """The slice written row:row + kh - 1: numpy broadcasts a 1-cell window over a 2-wide kernel."""
    kh, kw = kernel.shape
    for short_r, short_c in ((1, 1), (1, 0), (0, 1)):
        window = _float64(image[row : row + kh - short_r, col : col + kw - short_c])
        try:
            return float((window * kernel).sum())
        except ValueError:
            continue
    return None


def _window_and_kernel_short(image, kernel, row, col):
    """The window sliced one short, and the kernel cut to match it."""
    kh, kw = kernel.shape
    if kh < 2 or kw < 2:
        return None
    window = _float64(image[row : row + kh - 1, col : col + kw - 1])
    return float((window * kernel[: kh - 1, : kw - 1]).sum())


def _slice_ends_not_offset(image, kernel, row, col):
    """image[row:kh, col:kw]: the slice's end is the kernel's size, not row + kh."""
    kh, kw = kernel.shape
    window = _float64(image[row:kh, col:kw])
    return float((window * kernel).sum())


def _window_uint8_products(image, kernel, row, col):
    if image.dtype != np.uint8 or kernel.dtype.kind not in "iu":
        return None
    kh, kw = kernel.shape
    window = image[row : row + kh, col : col + kw]
    return float((window * kernel.astype(np.uint8)).astype(np.int64).sum())


def _one_window(product):
    def wrong(image, kernel, row, col):
        kh, kw = kernel.shape
        return product(_float64(image[row : row + kh, col : col + kw]), kernel)

    return wrong


def _square_kernel(image, kernel, row, col):
    """The kernel's row count used for both sides (k = len(kernel))."""
    k = kernel.shape[0]
    window = _float64(image[row : row + k, col : col + k])
    try:
        return float((window * kernel).sum())
    except ValueError:
        return None


WINDOW_SUM = Exercise(
    name="window_sum",
    lesson=LESSON,
    reference=convolution.window_sum,
    params=("image", "kernel", "row", "col"),
    visible=(
        _window_case(SMILEY, FILTER, 1, 1, "the smiley and the lesson's filter"),
        _window_case(SMILEY, FILTER, 0, 0, "the top-left corner"),
        _window_case(SMILEY, FILTER, 2, 4, "row 2, column 4: the right eye"),
        _window_case(
            np.arange(20).reshape(4, 5), _ints([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), 1, 1, "a 3x3 kernel"
        ),
        _window_case(np.arange(20).reshape(4, 5), _ints([[1, 0, -1]]), 3, 2, "a kernel 1 row by 3 columns"),
        _window_case(
            np.arange(20).reshape(4, 5), np.array([[0.5, 0.25], [0.25, -0.5]]), 0, 0, "a kernel with decimals"
        ),
    ),
    hidden=_window_hidden,
    mistakes=(
        Mistake(
            "window_wrong_size",
            "the window is not the kernel's size, so numpy cannot multiply them cell by cell. The "
            "window is image[row:row + kh, col:col + kw] with kh, kw = kernel.shape: one pair of "
            "brackets, rows then columns (image[a:b][c:d] slices the rows twice), and a slice a:b "
            "stops before b.",
            error=("ValueError", "could not be broadcast"),
        ),
        Mistake("flipped", _FLIPPED, _flipped(convolution.window_sum)),
        Mistake("transposed", _TRANSPOSED, _transposed(convolution.window_sum)),
        Mistake(
            "row_col_swapped",
            "row and column are swapped: `row` picks the window's first row (the first index), `col` "
            "its first column, image[row:row + kh, col:col + kw].",
            _window_swapped,
        ),
        Mistake(
            "window_one_short",
            "the window is one row or column short of the kernel: a slice a:b stops before b, so "
            "image[row:row + kh] already holds kh rows, and row:row + kh - 1 one fewer. numpy did not "
            "complain because a window 1 cell wide is stretched over the whole kernel "
            "(broadcasting): every kernel number multiplied the same pixel.",
            _window_short,
        ),
        Mistake(
            "window_and_kernel_short",
            "the window and the kernel are both one row and one column short: a slice a:b stops "
            "before b, so image[row:row + kh] already holds kh rows. Cutting the kernel to fit the "
            "smaller window only hides that; every kernel number must be used.",
            _window_and_kernel_short,
        ),
        Mistake(
            "square_kernel",
            "the kernel is taken as square (k = len(kernel), or kernel.shape[0] for both sides): a "
            "kernel can be kh rows by kw columns, so take both, kh, kw = kernel.shape, and cut "
            "image[row:row + kh, col:col + kw].",
            _square_kernel,
        ),
        Mistake(
            "slice_end_not_offset",
            "the slice ends at the kernel's size, image[row:kh, col:kw], so only the window at (0, 0) "
            "is whole. A slice a:b takes a up to b, so the end moves with the start: "
            "image[row:row + kh, col:col + kw].",
            _slice_ends_not_offset,
        ),
        Mistake("uint8_products", _UINT8_PRODUCTS, _window_uint8_products),
        Mistake(
            "centred",
            "the window starts above and to the left of (row, col): centred on it, or counted from 1. "
            "Here (row, col), counted from 0, is the window's top-left cell, the same index as the "
            "output cell it makes: image[row:row + kh, col:col + kw].",
            _window_at(lambda k: -(k // 2), lambda k: -(k // 2)),
        ),
        Mistake(
            "off_by_one",
            "the window starts one row and one column late: indices count from 0, so the window's "
            "top-left cell is image[row, col].",
            _window_at(lambda k: 1, lambda k: 1),
        ),
        Mistake(
            "row_late",
            "the window starts one row late (at row + 1): its top-left cell is image[row, col], so "
            "the window is image[row:row + kh, col:col + kw].",
            _window_at(lambda k: 1, lambda k: 0),
        ),
        Mistake(
            "col_late",
            "the window starts one column late (at col + 1): its top-left cell is image[row, col], so "
            "the window is image[row:row + kh, col:col + kw].",
            _window_at(lambda k: 0, lambda k: 1),
        ),
        Mistake(
            "whole_number",
            "the sum lost its decimals: int(...), round(...) or a whole-number dtype cut it to a whole "
            "number. Return the sum as it is; with a kernel of decimals it is a decimal too.",
            lambda image, kernel, row, col: (
                None
                if float(convolution.window_sum(image, kernel, row, col)).is_integer()
                else float(int(convolution.window_sum(image, kernel, row, col)))
            ),
        ),
        Mistake(
            "matrix_product",
            _MATMUL,
            _one_window(lambda w, k: float((w @ k).sum()) if w.shape[1] == k.shape[0] else None),
        ),
        Mistake(
            "window_sum_only",
            "the kernel is missing: you added up the window's values. Multiply each window cell by "
            "the kernel's cell in the same place first, (window * kernel).sum().",
            _one_window(lambda w, k: float(w.sum())),
        ),
    ),
    answer=Answer(kind="float", rtol=1e-5, atol=1e-5),
    shortcuts={convolution.window_sum: None, **_CONVOLUTIONS},
    in_place="cut the window out with a slice and multiply it by the kernel into a new array.",
)


# ------------------------------------------------------------------ conv2d_valid


def _valid_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, kshape in [((9, 11), (3, 3)), ((6, 5), (2, 4)), ((12, 7), (5, 5)), ((1, 9), (1, 3))]:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        cases.append(Case((image, rng.integers(-3, 4, size=kshape)), note="a uint8 image"))
    cases.append(Case((rng.random((8, 10)), rng.normal(size=(3, 2))), note="decimals"))
    cases.append(
        Case(
            (rng.random((7, 6)).astype(np.float32), rng.normal(size=(3, 3)).astype(np.float32)),
            note="float32",
        )
    )
    cases.append(
        Case((rng.integers(-5, 6, size=(4, 4)), rng.integers(-5, 6, size=(4, 4))), note="kernel = image size")
    )
    cases.append(
        Case((rng.integers(0, 10, size=(6, 6)), np.ones((1, 1), dtype=np.int64) * 3), note="a 1x1 kernel")
    )
    return cases


def _valid_shrunk(rows: int, cols: int):
    """The valid output with ``rows``/``cols`` fewer (negative: more, zero-filled) at the end."""

    def wrong(image, kernel):
        out = convolution.conv2d_valid(image, kernel)
        h, w = out.shape
        if h - rows < 1 or w - cols < 1:
            return None
        grown = np.zeros((h - rows, w - cols))
        keep = (min(h, h - rows), min(w, w - cols))
        grown[: keep[0], : keep[1]] = out[: keep[0], : keep[1]]
        return grown

    return wrong


def _same_size_zeros(image, kernel):
    out = np.zeros(image.shape)
    valid = convolution.conv2d_valid(image, kernel)
    out[: valid.shape[0], : valid.shape[1]] = valid
    return out


def _same_padded(image, kernel):
    kh, kw = kernel.shape
    if kh == kw == 1:
        return None
    padded = np.pad(_float64(image), ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    return ops.conv2d(padded, kernel)


_ARANGE_3 = np.arange(1, 10).reshape(3, 3)
_DIGITS = _ints([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3], [5, 8, 9, 7, 9], [3, 2, 3, 8, 4]])  # of pi
_SOBEL = _ints([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


def _top_left(image, kernel) -> str:
    """The first output value written out, for a case's note."""
    kh, kw = kernel.shape
    story, total = weighted_sum(image[:kh, :kw], kernel)
    return f"the top-left value is {story} = {number(total)}"


CONV2D_VALID = Exercise(
    name="conv2d_valid",
    uses=(WINDOW_SUM,),
    lesson=LESSON,
    reference=convolution.conv2d_valid,
    params=("image", "kernel"),
    visible=(
        Case((_DIGITS, _SOBEL), note=f"a 4x5 image and a 3x3 kernel give 2x3; {_top_left(_DIGITS, _SOBEL)}"),
        Case((_ARANGE_3, FILTER), note=f"1..9 and the lesson's filter; {_top_left(_ARANGE_3, FILTER)}"),
        Case(
            (SMILEY, FILTER),
            note=f"the smiley (uint8) and the lesson's filter, 7x7 out; {_top_left(SMILEY, FILTER)}",
        ),
        Case(
            (np.arange(20).reshape(4, 5), _ints([[1, 0, -1], [1, 0, -1]])),
            note="4x5 image, 2x3 kernel: 3x3 out",
        ),
        Case(
            (_ints([[3, 1], [4, 1]]), _ints([[1, 2], [3, 4]])),
            note="kernel as big as the image: one number out",
        ),
        Case(
            (np.arange(16).reshape(4, 4), np.full((3, 3), 1 / 9)),
            note="a 3x3 blur: each output is the mean of its window, a decimal",
        ),
    ),
    hidden=_valid_hidden,
    mistakes=(
        Mistake(
            "uint8_out_of_bounds", _UINT8_OUT_OF_BOUNDS, error=("OverflowError", "out of bounds for uint8")
        ),
        Mistake(
            "kernel_axes_swapped",
            _AXES_SWAPPED,
            _axes_swapped_values,
            error=("ValueError", "could not be broadcast"),
            when=_axes_swapped,
        ),
        Mistake("window_wrong_size", _WRONG_SIZE, error=("ValueError", "could not be broadcast")),
        Mistake("index_past_the_edge", _PAST_THE_EDGE, error=("IndexError", "is out of bounds for axis")),
        Mistake("flipped", _FLIPPED, _flipped(convolution.conv2d_valid)),
        Mistake("transposed", _TRANSPOSED, _transposed(convolution.conv2d_valid)),
        Mistake("uint8_wrapped", _UINT8_WRAPPED, _uint8_wrapped(convolution.conv2d_valid)),
        Mistake("uint8_products", _UINT8_PRODUCTS, _uint8_products),
        Mistake(
            "one_too_small",
            "the output is one row and one column too small: a kernel of size k fits at H - k + 1 "
            "positions down an image of H rows (8 - 2 + 1 = 7 for the smiley), so loop over "
            "range(H - kh + 1).",
            _valid_shrunk(1, 1),
        ),
        Mistake(
            "loops_one_short",
            _unfilled_says(
                "the last row and the last column",
                "rows and columns",
                "range(H - kh + 1) and range(W - kw + 1)",
            ),
            _blanked(convolution.conv2d_valid, _LAST, _LAST),
        ),
        Mistake("first_row_only", _FIRST_ROW_ONLY, _blanked(convolution.conv2d_valid, slice(1, None), None)),
        Mistake(
            "last_row_unfilled",
            _unfilled_says("the last row", "rows", "range(H - kh + 1)"),
            _blanked(convolution.conv2d_valid, _LAST, None),
        ),
        Mistake(
            "last_column_unfilled",
            _unfilled_says("the last column", "columns", "range(W - kw + 1)"),
            _blanked(convolution.conv2d_valid, None, _LAST),
        ),
        Mistake("integer_output", _INTEGER_OUTPUT, _integer_output),
        Mistake(
            "one_too_large",
            "the output is one row and one column too large (and they are 0): a kernel of size k fits "
            "at H - k + 1 positions, not H - k + 2.",
            _valid_shrunk(-1, -1),
        ),
        Mistake(
            "same_size",
            "the output has the image's size: a valid convolution only keeps the positions where the "
            "whole kernel fits, (H - kh + 1) x (W - kw + 1), so the output is smaller than the image.",
            _same_size_zeros,
        ),
        Mistake(
            "same_padded",
            "you padded the image (kernel size // 2 zeros on each side, to keep its size: a 'same' "
            "convolution). This exercise asks for the valid convolution, no padding: "
            "(H - kh + 1) x (W - kw + 1). Padding comes in exercise 4.",
            _same_padded,
        ),
        Mistake("matrix_product", _MATMUL, _matmul_conv),
    ),
    answer=Answer(dtype=("float32", "float64"), rtol=1e-5, atol=1e-3, axes=("row", "column")),
    shortcuts=_CONVOLUTIONS,
    window=Window(op="conv", input="image", kernel="kernel"),
    roles={"image": "image", "kernel": "kernel"},
    in_place="make a new output array, np.zeros((out_h, out_w)), and fill that.",
)


# ------------------------------------------------------------------ output_size


def _size_case(n, k, stride=None, padding=None, note="") -> Case:
    return _with_settings((n, k), stride, padding, note)


def _size_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [_size_case(1, 1, note="a 1-pixel image and a 1x1 kernel")]
    while len(cases) < 10:
        n, k = int(rng.integers(1, 65)), int(rng.integers(1, 8))
        stride, padding = int(rng.integers(1, 5)), int(rng.integers(0, 4))
        if k <= n + 2 * padding:
            cases.append(_size_case(n, k, stride, padding))
    cases.append(_size_case(224, 7, 2, 3, note="the first layer of ResNet: 224 -> 112"))
    cases.append(_size_case(6, 8, 1, 1, note="the kernel only fits thanks to the padding"))
    return cases


def _size(formula):
    def wrong(n, k, stride=1, padding=0):
        value = formula(n, k, stride, padding)
        return None if value is None or value < 1 else value

    return wrong


OUTPUT_SIZE = Exercise(
    name="output_size",
    lesson=LESSON,
    reference=convolution.output_size,
    params=("n", "k", "stride", "padding"),
    visible=(
        _size_case(8, 2, note="the smiley and a 2x2 filter: 8 - 2 + 1 = 7"),
        _size_case(28, 3, note="a 28-pixel digit and a 3x3 filter"),
        _size_case(5, 5, note="the kernel as big as the input: one position"),
        _size_case(7, 3, stride=2, note="stride 2: windows start at 0, 2, 4"),
        _size_case(8, 3, stride=2, note="(8 - 3) / 2 = 2.5 rounds down: windows start at 0, 2, 4"),
        _size_case(5, 3, padding=1, note="padding 1 keeps the size of a 3x3 convolution"),
        _size_case(28, 3, stride=2, padding=1, note="(28 + 2 - 3) // 2 + 1 = 14"),
    ),
    hidden=_size_hidden,
    mistakes=(
        Mistake(
            "plus_one_divided",
            "the + 1 is divided by the stride too: only the steps (n + 2 * padding - k) are divided, "
            "then 1 is added for the first window: (n + 2 * padding - k) // stride + 1.",
            _size(lambda n, k, s, p: (n + 2 * p - k + 1) // s),
        ),
        Mistake(
            "padding_once",
            "the padding is counted once: it is added on both sides, so the padded input is "
            "n + 2 * padding wide, not n + padding.",
            _size(lambda n, k, s, p: (n + p - k) // s + 1 if k <= n + p else None),
        ),
        Mistake(
            "padding_ignored",
            "the padding is ignored: padding adds that many zeros on each side, so the padded input "
            "is n + 2 * padding wide.",
            _size(lambda n, k, s, p: (n - k) // s + 1 if k <= n else None),
        ),
        Mistake(
            "stride_ignored",
            "the stride is ignored: with stride s the window jumps s cells, so divide the steps by it, "
            "(n + 2 * padding - k) // stride + 1.",
            _size(lambda n, k, s, p: n + 2 * p - k + 1),
        ),
        Mistake(
            "rounded_up",
            "the division rounds up: a window that would stick out past the edge is dropped, so round "
            "down, with // (floor division).",
            _size(lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1),
        ),
        Mistake(
            "no_plus_one",
            "the + 1 is missing: (n - k) counts the steps between the first and the last window; "
            "the number of windows is one more. An 8-wide image has 8 - 2 + 1 = 7 positions for a 2x2 "
            "filter.",
            _size(lambda n, k, s, p: (n + 2 * p - k) // s),
        ),
        Mistake(
            "kernel_left_out",
            "the kernel's size is left out: n // stride counts steps across the whole input, but "
            "every window needs k cells, so only n + 2 * padding - k cells are left to step over: "
            "(n + 2 * padding - k) // stride + 1.",
            _size(lambda n, k, s, p: n // s),
        ),
        Mistake(
            "no_brackets",
            "// binds tighter than + and -, so n + 2 * padding - k // stride + 1 divides only k by "
            "the stride. Put the steps in brackets: (n + 2 * padding - k) // stride + 1.",
            _size(lambda n, k, s, p: n + 2 * p - k // s + 1),
        ),
    ),
    answer=Answer(kind="int"),
    shortcuts={
        convolution.output_size: None,
        **_CONVOLUTIONS,
        ops.max_pool2d: None,
        ops.avg_pool2d: None,
    },
)


# ------------------------------------------------------------------ conv2d


def _conv_case(image, kernel, stride=None, padding=None, note="") -> Case:
    return _with_settings((image, kernel), stride, padding, note)


def _conv_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, kshape, stride, padding in [
        ((9, 11), (3, 3), 2, 1),
        ((8, 7), (2, 2), 3, 0),
        ((6, 6), (5, 5), 1, 2),
        ((10, 8), (3, 2), 2, 2),
        ((5, 5), (3, 3), 4, 1),
    ]:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        cases.append(_conv_case(image, rng.integers(-3, 4, size=kshape), stride, padding, "a uint8 image"))
    cases.append(_conv_case(rng.random((9, 9)), rng.normal(size=(3, 3)), 2, 1, "decimals"))
    cases.append(
        _conv_case(
            rng.random((8, 6)).astype(np.float32), rng.normal(size=(3, 3)).astype(np.float32), 1, 1, "float32"
        )
    )
    cases.append(
        _conv_case(
            rng.integers(0, 9, size=(3, 3)),
            rng.integers(-2, 3, size=(4, 4)),
            1,
            1,
            "kernel bigger than the image",
        )
    )
    cases.append(
        _conv_case(
            rng.integers(0, 9, size=(7, 7)), rng.integers(-2, 3, size=(3, 3)), note="no stride, no padding"
        )
    )
    return cases


def _conv(image, kernel, stride=1, padding=0):
    return convolution.conv2d(image, kernel, stride, padding)


def _output_stepped(image, kernel, stride=1, padding=0):
    """range(0, out_h, stride) over the output, with unstrided windows: every stride-th cell."""
    if stride == 1:
        return None
    out = _conv(image, kernel, stride, padding)
    unstrided = _conv(image, kernel, 1, padding)
    wrong = np.zeros(out.shape)
    rows, cols = range(0, out.shape[0], stride), range(0, out.shape[1], stride)
    for r in rows:
        for c in cols:
            wrong[r, c] = unstrided[r, c]
    return wrong


_PAD_COPIES = (
    "the border is filled from the image's own pixels (np.pad with mode='edge', 'reflect' or "
    "'symmetric'). Zero padding adds zeros: np.pad(image, padding), whose default mode is "
    "'constant', with 0."
)


def _padded_by(mode: str):
    def wrong(image, kernel, stride=1, padding=0):
        if padding == 0:
            return None
        try:
            padded = np.pad(_float64(image), padding, mode=mode)
        except ValueError:
            return None
        return _conv(padded, kernel, stride, 0)

    return wrong


def _conv_shrunk(image, kernel, stride=1, padding=0):
    out = _conv(image, kernel, stride, padding)
    return None if min(out.shape) < 2 else out[:-1, :-1]


def _stride_ignored(image, kernel, stride=1, padding=0):
    return None if stride == 1 else _conv(image, kernel, 1, padding)


def _window_not_strided(image, kernel, stride=1, padding=0):
    if stride == 1:
        return None
    h, w = _conv(image, kernel, stride, padding).shape
    return _conv(image, kernel, 1, padding)[:h, :w]


def _padding_ignored(image, kernel, stride=1, padding=0):
    if padding == 0 or kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        return None
    return _conv(image, kernel, stride, 0)


def _size_without_padding(image, kernel, stride=1, padding=0):
    if padding == 0 or kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        return None
    h = (image.shape[0] - kernel.shape[0]) // stride + 1
    w = (image.shape[1] - kernel.shape[1]) // stride + 1
    return _conv(image, kernel, stride, padding)[:h, :w]


def _pad_one_side(image, kernel, stride=1, padding=0):
    padded = np.pad(_float64(image), ((padding, 0), (padding, 0)))
    if padding == 0 or kernel.shape[0] > padded.shape[0] or kernel.shape[1] > padded.shape[1]:
        return None
    return _conv(padded, kernel, stride, 0)


def _pad_not_centred(image, kernel, stride=1, padding=0):
    if padding == 0:
        return None
    h, w = image.shape
    padded = np.zeros((h + 2 * padding, w + 2 * padding))
    padded[:h, :w] = image
    return _conv(padded, kernel, stride, 0)


_SMALL = np.arange(1, 10).reshape(3, 3)
_FIVE = np.vstack([_DIGITS, _ints([[6, 2, 6, 4, 3]])])  # more digits of pi


def _padded_top_left(image, kernel, padding) -> str:
    return "padded, " + _top_left(np.pad(image, padding), kernel)


CONV2D = Exercise(
    name="conv2d",
    uses=(WINDOW_SUM, OUTPUT_SIZE, CONV2D_VALID),
    lesson=LESSON,
    reference=convolution.conv2d,
    params=("image", "kernel", "stride", "padding"),
    visible=(
        _conv_case(_SMALL, FILTER, note="no stride, no padding: the same as conv2d_valid"),
        _conv_case(
            _SMALL,
            FILTER,
            padding=1,
            note=f"padding 1: 5x5 padded, 4x4 out; {_padded_top_left(_SMALL, FILTER, 1)}",
        ),
        _conv_case(
            _FIVE,
            _SOBEL,
            stride=2,
            note="stride 2: windows at rows and columns 0 and 2",
        ),
        _conv_case(
            _FIVE,
            FILTER,
            stride=2,
            note="stride 2 with a 2x2 kernel: the last row and column are never reached",
        ),
        _conv_case(
            _SMALL,
            _ints([[1, 1], [1, 1]]),
            stride=2,
            padding=1,
            note="stride 2 and padding 1: windows at rows and columns 0 and 2 of the 5x5 padded image",
        ),
        _conv_case(
            SMILEY,
            FILTER,
            stride=2,
            padding=1,
            note=f"the smiley (uint8), stride 2, padding 1; {_padded_top_left(SMILEY, FILTER, 1)}",
        ),
        _conv_case(
            np.arange(16).reshape(4, 4),
            np.full((3, 3), 1 / 9),
            padding=1,
            note="a 3x3 blur with padding 1: each output is a mean (a decimal), the zeros included",
        ),
        _conv_case(
            _FIVE,
            _ints([[1, 0, -1]]),
            stride=2,
            note="a 1x3 kernel (1 row, 3 columns) with stride 2: 3x2 out, rows and columns differ",
        ),
    ),
    hidden=_conv_hidden,
    mistakes=(
        Mistake(
            "uint8_out_of_bounds", _UINT8_OUT_OF_BOUNDS, error=("OverflowError", "out of bounds for uint8")
        ),
        Mistake(
            "kernel_axes_swapped",
            _AXES_SWAPPED,
            _axes_swapped_values,
            error=("ValueError", "could not be broadcast"),
            when=_axes_swapped,
        ),
        Mistake(
            "stride_left_out_of_end",
            "the window's slice starts at r * stride but ends at r + kh: with a stride both ends move, so "
            "the window comes out short (numpy names its shape first). Cut padded[r * stride:r * stride "
            "+ kh, c * stride:c * stride + kw].",
            error=("ValueError", "could not be broadcast"),
            when=_stride_left_out_of_end,
        ),
        Mistake(
            "windows_from_unpadded",
            _CUT_FROM_UNPADDED,
            error=("ValueError", "could not be broadcast"),
            when=_cut_from_unpadded,
        ),
        Mistake(
            "read_from_unpadded",
            _READ_FROM_UNPADDED,
            error=("IndexError", "is out of bounds for axis"),
            when=_read_from_unpadded,
        ),
        Mistake(
            "window_wrong_size",
            _WRONG_SIZE + " If you padded, cut the windows from the padded image, not from `image`.",
            error=("ValueError", "could not be broadcast"),
        ),
        Mistake(
            "index_past_the_edge",
            _PAST_THE_EDGE + " If you padded, read from the padded image, not from `image`.",
            error=("IndexError", "is out of bounds for axis"),
        ),
        Mistake("flipped", _FLIPPED, _flipped(_conv)),
        Mistake("transposed", _TRANSPOSED, _transposed(_conv)),
        Mistake("uint8_wrapped", _UINT8_WRAPPED, _uint8_wrapped(_conv)),
        Mistake("uint8_products", _UINT8_PRODUCTS, _uint8_products),
        Mistake(
            "stride_ignored",
            "the stride is ignored: every position was computed, as for stride 1. With stride s the "
            "window jumps s cells: output cell [r, c] comes from the window starting at row r * s, "
            "column c * s, and there are (H + 2p - k) // s + 1 of them per column.",
            _stride_ignored,
        ),
        Mistake(
            "window_not_strided",
            "the output has the right size but the windows do not jump: output cell [r, c] comes from "
            "the window starting at row r * stride, column c * stride, not at row r, column c.",
            _window_not_strided,
        ),
        Mistake(
            "padding_ignored",
            "the padding is ignored: add `padding` rows and columns of zeros on every side first, e.g. "
            "np.pad(image, padding), then slide the kernel over the padded image.",
            _padding_ignored,
        ),
        Mistake(
            "size_without_padding",
            "the output size leaves out the padding: the padded image is H + 2 * padding tall, so there "
            "are (H + 2 * padding - kh) // stride + 1 rows of output.",
            _size_without_padding,
        ),
        Mistake(
            "pad_one_side",
            "the zeros are on one side only (top and left), or the output size counts the padding once "
            "(H + p - kh): padding adds `padding` rows above and below and `padding` columns left and "
            "right, so the padded image is (H + 2p) x (W + 2p).",
            _pad_one_side,
        ),
        Mistake("pad_edge", _PAD_COPIES, _padded_by("edge")),
        Mistake("pad_reflect", _PAD_COPIES, _padded_by("reflect")),
        Mistake(
            "output_stepped_by_stride",
            "the loops step through the output by the stride, range(0, out_h, stride), so only every "
            "stride-th output cell was filled, from an unstrided window. Visit every output cell, "
            "range(out_h), and step in the input instead: out[r, c] comes from the window starting "
            "at row r * stride, column c * stride.",
            _output_stepped,
        ),
        Mistake(
            "pad_not_centred",
            "the windows see the image without the zeros above and to its left: either the windows are "
            "cut from `image` instead of the padded array, or the image sits in the top-left corner of "
            "the padded array. Pad on every side, np.pad(image, p) (or padded[p:p + H, p:p + W] = "
            "image), and cut every window from the padded array.",
            _pad_not_centred,
        ),
        Mistake(
            "no_plus_one",
            "the output is one row and one column too small: there are (H + 2p - k) // s + 1 windows "
            "down the image; the + 1 counts the first one.",
            _conv_shrunk,
        ),
        Mistake(
            "loops_one_short",
            _unfilled_says(
                "the last row and the last column", "rows and columns", "range(out_h) and range(out_w)"
            ),
            _blanked(_conv, _LAST, _LAST),
        ),
        Mistake("first_row_only", _FIRST_ROW_ONLY, _blanked(_conv, slice(1, None), None)),
        Mistake(
            "last_row_unfilled",
            _unfilled_says("the last row", "rows", "range(out_h)"),
            _blanked(_conv, _LAST, None),
        ),
        Mistake(
            "last_column_unfilled",
            _unfilled_says("the last column", "columns", "range(out_w)"),
            _blanked(_conv, None, _LAST),
        ),
        Mistake("integer_output", _INTEGER_OUTPUT, _integer_output),
        Mistake("matrix_product", _MATMUL, _matmul_conv),
    ),
    answer=Answer(dtype=("float32", "float64"), rtol=1e-5, atol=1e-3, axes=("row", "column")),
    shortcuts=_CONVOLUTIONS,
    window=Window(op="conv", input="image", kernel="kernel", stride="stride", padding="padding"),
    roles={"image": "image", "kernel": "kernel"},
    in_place="pad into a new array (np.pad makes one) and fill a new output array.",
)


# ------------------------------------------------------------------ which_edges

_BASES = (
    _ints([[-1, 1]]),
    _ints([[-1, 0, 1]]),
    _ints([[-1, 1], [-1, 1]]),
    _SOBEL,
    _ints([[-1, 0, 1]] * 3),
    _ints([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]]),
    _ints([[-1, -2, 0, 2, 1]] * 5),
    _ints([[1, 1, -1, -1]] * 2),
)


def _edges_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    directions = ["vertical", "horizontal"] * 4
    rng.shuffle(directions)
    for direction in directions:
        while True:
            kernel = _BASES[int(rng.integers(len(_BASES)))] * float(rng.choice([-1, 1]) * rng.uniform(0.2, 5))
            noise = rng.normal(scale=0.05 * np.abs(kernel).max(), size=kernel.shape)
            kernel = kernel + noise - noise.mean()
            if direction == "horizontal":
                kernel = kernel.T.copy()
            try:
                if convolution.which_edges(kernel) == direction:
                    break
            except ValueError:
                continue
        cases.append(Case((kernel,), note=f"a {kernel.shape[0]}x{kernel.shape[1]} filter with decimals"))
    return cases


def _signed(measure):
    """Probe as the lesson does but compare signed responses (np.abs forgotten)."""

    def wrong(kernel):
        kernel = np.asarray(kernel, dtype=np.float64)
        found = [measure(ops.conv2d(probe, kernel)) for probe in convolution.edge_probes(kernel.shape)]
        return "vertical" if found[0] > found[1] else "horizontal"

    return wrong


_NO_ABS = (
    "the responses were compared with their signs, not by their sizes. This filter answers the edge "
    "it finds with large negative numbers, so its highest (or total) response there can be 0 or "
    "less, and the other probe wins. Compare sizes: np.abs(response).max() for each probe."
)


def _other_direction(kernel):
    return {"vertical": "horizontal", "horizontal": "vertical"}[convolution.which_edges(kernel)]


WHICH_EDGES = Exercise(
    name="which_edges",
    uses=(CONV2D_VALID, CONV2D),
    lesson=LESSON,
    reference=convolution.which_edges,
    params=("kernel",),
    visible=(
        Case((_ints([[-1, 1]]),), note="right minus left"),
        Case((_ints([[-1], [1]]),), note="below minus above"),
        Case((_SOBEL,), note="the Sobel filter from the photo"),
        Case((_SOBEL.T.copy(),), note="the Sobel filter, transposed"),
        Case((_ints([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),), note="top minus bottom"),
        Case(
            (_ints([[1, 2], [-2, -1]]),),
            note="its strongest response is negative (-3 on dark above light): compare sizes, np.abs",
        ),
        Case((_ints([[2, -2]]),), note="left minus right, doubled"),
    ),
    hidden=_edges_hidden,
    mistakes=(
        Mistake("no_abs", _NO_ABS, _signed(np.max)),
        Mistake("no_abs_total", _NO_ABS, _signed(np.sum)),
        Mistake("no_abs_lowest", _NO_ABS, _signed(np.min)),
        Mistake(
            "swapped",
            "that is the other direction. A vertical edge is a boundary running top to bottom, where "
            "the values change from left to right: a filter that compares left with right finds "
            "vertical edges. Probe it: convolve an image with one vertical edge and one with a "
            "horizontal edge, and see which gives the bigger numbers (sizes: np.abs). If your "
            "which_edges calls your own conv2d_valid, make sure that passes its checks first.",
            _other_direction,
        ),
    ),
    answer=Answer(kind="choice", choices=convolution.EDGE_WORDS),
    shortcuts={convolution.which_edges: None},
)


EXERCISES = (WINDOW_SUM, CONV2D_VALID, OUTPUT_SIZE, CONV2D, WHICH_EDGES)

check_window_sum = make_check(WINDOW_SUM)
check_conv2d_valid = make_check(CONV2D_VALID)
check_output_size = make_check(OUTPUT_SIZE)
check_conv2d = make_check(CONV2D)
check_which_edges = make_check(WHICH_EDGES)
