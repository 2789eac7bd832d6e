"""Lesson 04 (convolution): a wrong answer for every catalogued mistake, and other right answers.

The wrong answers are written as a learner would write them (loops, slices, np.zeros_like), not
as the checks compute the mistakes, so that the tests show the checks recognise real code.
"""

from . import RightAnswer, WrongAnswer

# ------------------------------------------------------------------ window_sum

_WS = "def window_sum(image, kernel, row, col):\n"


def _ws(body: str) -> str:
    return _WS + body


# ------------------------------------------------------------------ conv2d_valid

_VALID = "def conv2d_valid(image, kernel):\n"


def _valid_loops(
    out="np.zeros((H - kh + 1, W - kw + 1))",
    rows="range(H - kh + 1)",
    cols="range(W - kw + 1)",
    window="image[r:r + kh, c:c + kw]",
    combine="np.sum(window * kernel)",
    before="",
) -> str:
    return (
        _VALID
        + "    H, W = image.shape\n"
        + "    kh, kw = kernel.shape\n"
        + before
        + f"    out = {out}\n"
        + f"    for r in {rows}:\n"
        + f"        for c in {cols}:\n"
        + f"            window = {window}\n"
        + f"            out[r, c] = {combine}\n"
        + "    return out\n"
    )


_VALID_INDEX_LOOPS = (
    _VALID
    + """    H, W = image.shape
    kh, kw = kernel.shape
    out = {out}
    for r in range({rows}):
        for c in range({cols}):
            total = 0
            for i in range(kh):
                for j in range(kw):
                    total += {product}
            out[r, c] = total
    return out
"""
)


def _valid_index(
    out="np.zeros((H - kh + 1, W - kw + 1))",
    rows="H - kh + 1",
    cols="W - kw + 1",
    product="image[r + i, c + j] * kernel[i, j]",
) -> str:
    return _VALID_INDEX_LOOPS.format(out=out, rows=rows, cols=cols, product=product)


# ------------------------------------------------------------------ output_size

_SIZE = "def output_size(n, k, stride=1, padding=0):\n    return {}\n"

# ------------------------------------------------------------------ conv2d

_CONV = "def conv2d(image, kernel, stride=1, padding=0):\n"


def _conv_loops(
    pad="np.pad(image, padding)",
    out_h="(H + 2 * padding - kh) // stride + 1",
    out_w="(W + 2 * padding - kw) // stride + 1",
    out="np.zeros((out_h, out_w))",
    window="padded[r * stride:r * stride + kh, c * stride:c * stride + kw]",
    combine="np.sum(window * kernel)",
    source="",
    rows="range(out_h)",
    cols="range(out_w)",
) -> str:
    return (
        _CONV
        + "    H, W = image.shape\n"
        + "    kh, kw = kernel.shape\n"
        + (source or f"    padded = {pad}\n")
        + f"    out_h = {out_h}\n"
        + f"    out_w = {out_w}\n"
        + f"    out = {out}\n"
        + f"    for r in {rows}:\n"
        + f"        for c in {cols}:\n"
        + f"            window = {window}\n"
        + f"            out[r, c] = {combine}\n"
        + "    return out\n"
    )


_CONV_INDEX = (
    _CONV
    + """    H, W = image.shape
    kh, kw = kernel.shape
    padded = np.pad(image, padding)
    out_h = (H + 2 * padding - kh) // stride + 1
    out_w = (W + 2 * padding - kw) // stride + 1
    out = {out}
    for r in range(out_h):
        for c in range(out_w):
            total = 0
            for i in range(kh):
                for j in range(kw):
                    total += {product}
            out[r, c] = total
    return out
"""
)

# ------------------------------------------------------------------ which_edges

_PROBE = """def which_edges(kernel):
    kernel = np.asarray(kernel, dtype=float)
    size = 2 * max(kernel.shape) + 2
    vertical = np.zeros((size, size))
    vertical[:, size // 2:] = 1
    horizontal = vertical.T
    responses = []
    for probe in (vertical, horizontal):
        kh, kw = kernel.shape
        out = np.zeros((size - kh + 1, size - kw + 1))
        for r in range(out.shape[0]):
            for c in range(out.shape[1]):
                out[r, c] = np.sum(probe[r:r + kh, c:c + kw] * kernel)
        responses.append({measure})
    return {decide}
"""


def _probe(
    measure="np.abs(out).max()", decide='"vertical" if responses[0] > responses[1] else "horizontal"'
) -> str:
    return _PROBE.format(measure=measure, decide=decide)


WRONG = {
    "window_sum": [
        WrongAnswer(
            "window one row late",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row + 1:row + 1 + kh, col:col + kw] * kernel)\n"
            ),
            mistake="row_late",
        ),
        WrongAnswer(
            "window one column late",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh, col + 1:col + 1 + kw] * kernel)\n"
            ),
            mistake="col_late",
        ),
        WrongAnswer(
            "int() of the sum",
            _ws(
                "    kh, kw = kernel.shape\n    return int(np.sum(image[row:row + kh, col:col + kw] * kernel))\n"
            ),
            mistake="whole_number",
        ),
        WrongAnswer(
            "a square kernel assumed (k = len(kernel))",
            _ws("    k = len(kernel)\n    return np.sum(image[row:row + k, col:col + k] * kernel)\n"),
            mistake="square_kernel",
        ),
        WrongAnswer(
            "window one too big",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh + 1, col:col + kw + 1] * kernel)\n"
            ),
            mistake="window_wrong_size",
        ),
        WrongAnswer(
            "slice one short",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh - 1, col:col + kw - 1] * kernel)\n"
            ),
            mistake="window_one_short",
        ),
        WrongAnswer(
            "window and kernel both cut one short",
            _ws(
                "    kh, kw = kernel.shape\n"
                "    return np.sum(image[row:row + kh - 1, col:col + kw - 1] * kernel[:kh - 1, :kw - 1])\n"
            ),
            mistake="window_and_kernel_short",
        ),
        WrongAnswer(
            "slice ends at the kernel's size",
            _ws("    kh, kw = kernel.shape\n    return np.sum(image[row:kh, col:kw] * kernel)\n"),
            mistake="slice_end_not_offset",
        ),
        WrongAnswer(
            "Python's built-in sum",
            _ws("    kh, kw = kernel.shape\n    return sum(image[row:row + kh, col:col + kw] * kernel)\n"),
            message="Python's built-in sum() adds up the rows",
        ),
        WrongAnswer(
            "kernel converted to the image's type",
            _ws(
                "    kh, kw = kernel.shape\n"
                "    return np.sum(image[row:row + kh, col:col + kw] * kernel.astype(image.dtype))\n"
            ),
            mistake="uint8_products",
        ),
        WrongAnswer(
            "kernel flipped",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh, col:col + kw] * kernel[::-1, ::-1])\n"
            ),
            mistake="flipped",
        ),
        WrongAnswer(
            "kernel indices swapped",
            _ws(
                "    kh, kw = kernel.shape\n    total = 0.0\n    for i in range(kh):\n        for j in range(kw):\n"
                "            total += image[row + i, col + j] * kernel[j, i]\n    return total\n"
            ),
            mistake="transposed",
        ),
        WrongAnswer(
            "row and col swapped",
            _ws("    kh, kw = kernel.shape\n    return np.sum(image[col:col + kh, row:row + kw] * kernel)\n"),
            mistake="row_col_swapped",
        ),
        WrongAnswer(
            "window centred on (row, col)",
            _ws(
                "    kh, kw = kernel.shape\n    top, left = row - kh // 2, col - kw // 2\n"
                "    return np.sum(image[top:top + kh, left:left + kw] * kernel)\n"
            ),
            mistake="centred",
        ),
        WrongAnswer(
            "counts from 1",
            _ws(
                "    kh, kw = kernel.shape\n    return np.sum(image[row + 1:row + 1 + kh, col + 1:col + 1 + kw] * kernel)\n"
            ),
            mistake="off_by_one",
        ),
        WrongAnswer(
            "matrix product",
            _ws("    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh, col:col + kw] @ kernel)\n"),
            mistake="matrix_product",
        ),
        WrongAnswer(
            "sum of the window",
            _ws("    kh, kw = kernel.shape\n    return np.sum(image[row:row + kh, col:col + kw])\n"),
            mistake="window_sum_only",
        ),
        WrongAnswer(
            "products not added",
            _ws("    kh, kw = kernel.shape\n    return image[row:row + kh, col:col + kw] * kernel\n"),
            message="expected a number",
        ),
    ],
    "conv2d_valid": [
        WrongAnswer(
            "total set to 0 once, before the loops",
            _VALID
            + """    H, W = image.shape
    kh, kw = kernel.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    total = 0
    for r in range(H - kh + 1):
        for c in range(W - kw + 1):
            for i in range(kh):
                for j in range(kw):
                    total += image[r + i, c + j] * kernel[i, j]
            out[r, c] = total
    return out
""",
            message="a running total. That suggests the total is set to 0 once, before the loops",
        ),
        WrongAnswer(
            "total set to 0 once per row",
            _VALID
            + """    H, W = image.shape
    kh, kw = kernel.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for r in range(H - kh + 1):
        total = 0.0
        for c in range(W - kw + 1):
            total += np.sum(image[r:r + kh, c:c + kw] * kernel)
            out[r, c] = total
    return out
""",
            message="before the loop over columns",
        ),
        WrongAnswer(
            "return inside the loop over rows",
            _VALID
            + """    H, W = image.shape
    kh, kw = kernel.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for r in range(H - kh + 1):
        for c in range(W - kw + 1):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
        return out
""",
            mistake="first_row_only",
        ),
        WrongAnswer("last row never filled", _valid_loops(rows="range(H - kh)"), mistake="last_row_unfilled"),
        WrongAnswer(
            "last column never filled", _valid_loops(cols="range(W - kw)"), mistake="last_column_unfilled"
        ),
        WrongAnswer(
            "output like the image, Python int sums",
            _valid_index(
                out="np.zeros((H - kh + 1, W - kw + 1), dtype=image.dtype)",
                product="int(image[r + i, c + j]) * int(kernel[i, j])",
            ),
            mistake="uint8_out_of_bounds",
        ),
        WrongAnswer(
            "one window too many, slices",
            _valid_loops(
                rows="range(H - kh + 2)", cols="range(W - kw + 2)", out="np.zeros((H - kh + 2, W - kw + 2))"
            ),
            mistake="window_wrong_size",
        ),
        WrongAnswer(
            "one window too many, indices",
            _valid_index(out="np.zeros((H - kh + 2, W - kw + 2))", rows="H - kh + 2", cols="W - kw + 2"),
            mistake="index_past_the_edge",
        ),
        WrongAnswer(
            "kernel flipped", _valid_loops(combine="np.sum(window * kernel[::-1, ::-1])"), mistake="flipped"
        ),
        WrongAnswer(
            "kernel indices swapped",
            _valid_index(product="image[r + i, c + j] * kernel[j, i]"),
            mistake="transposed",
        ),
        WrongAnswer(
            "window's rows and columns from kw, kh",
            _valid_loops(window="image[r:r + kw, c:c + kh]"),
            mistake="kernel_axes_swapped",
        ),
        WrongAnswer(
            "np.zeros_like(image)",
            _valid_loops(out="np.zeros_like(image)[:H - kh + 1, :W - kw + 1]"),
            mistake="uint8_wrapped",
        ),
        WrongAnswer(
            "kernel converted to the image's type",
            _valid_loops(before="    kernel = kernel.astype(image.dtype)\n"),
            mistake="uint8_products",
        ),
        WrongAnswer(
            "range(H - kh)",
            _valid_loops(out="np.zeros((H - kh, W - kw))", rows="range(H - kh)", cols="range(W - kw)"),
            mistake="one_too_small",
        ),
        WrongAnswer(
            "right size, loops stop one short",
            _valid_loops(rows="range(H - kh)", cols="range(W - kw)"),
            mistake="loops_one_short",
        ),
        WrongAnswer(
            "H - kh + 2 rows, zeros at the end",
            _valid_loops(out="np.zeros((H - kh + 2, W - kw + 2))"),
            mistake="one_too_large",
        ),
        WrongAnswer(
            "output the image's size",
            _valid_loops(out="np.zeros(image.shape)"),
            mistake="same_size",
        ),
        WrongAnswer(
            "padded to keep the size",
            _VALID
            + """    kh, kw = kernel.shape
    padded = np.pad(image.astype(float), ((kh // 2, kh // 2), (kw // 2, kw // 2)))
    H, W = padded.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for r in range(H - kh + 1):
        for c in range(W - kw + 1):
            out[r, c] = np.sum(padded[r:r + kh, c:c + kw] * kernel)
    return out
""",
            mistake="same_padded",
        ),
        WrongAnswer(
            "matrix product", _valid_loops(combine="np.sum(window @ kernel)"), mistake="matrix_product"
        ),
        WrongAnswer(
            "integer output",
            _valid_loops(out="np.zeros((H - kh + 1, W - kw + 1), dtype=np.int64)"),
            mistake="integer_output",
        ),
        WrongAnswer(
            "changes the image",
            _VALID
            + """    H, W = image.shape
    kh, kw = kernel.shape
    image -= image.min()
    out = np.zeros((H - kh + 1, W - kw + 1))
    for r in range(H - kh + 1):
        for c in range(W - kw + 1):
            out[r, c] = np.sum(image[r:r + kh, c:c + kw] * kernel)
    return out + image.min() * kernel.sum()
""",
            message="changed its argument `image` in place",
        ),
    ],
    "output_size": [
        WrongAnswer(
            "(n + 2p - k + 1) // s",
            _SIZE.format("(n + 2 * padding - k + 1) // stride"),
            mistake="plus_one_divided",
        ),
        WrongAnswer("padding once", _SIZE.format("(n + padding - k) // stride + 1"), mistake="padding_once"),
        WrongAnswer("no brackets", _SIZE.format("n + 2 * padding - k // stride + 1"), mistake="no_brackets"),
        WrongAnswer("padding ignored", _SIZE.format("(n - k) // stride + 1"), mistake="padding_ignored"),
        WrongAnswer("stride ignored", _SIZE.format("n + 2 * padding - k + 1"), mistake="stride_ignored"),
        WrongAnswer(
            "rounded up",
            "import math\n\n" + _SIZE.format("math.ceil((n + 2 * padding - k) / stride) + 1"),
            mistake="rounded_up",
        ),
        WrongAnswer("no + 1", _SIZE.format("(n + 2 * padding - k) // stride"), mistake="no_plus_one"),
        WrongAnswer("n // stride", _SIZE.format("n // stride"), mistake="kernel_left_out"),
        WrongAnswer(
            "true division",
            _SIZE.format("(n + 2 * padding - k) / stride + 1"),
            message="a float; output_size should be a whole number",
        ),
    ],
    "conv2d": [
        WrongAnswer(
            "return inside the loop over rows",
            _CONV
            + """    padded = np.pad(image.astype(float), padding)
    kh, kw = kernel.shape
    out_h = (padded.shape[0] - kh) // stride + 1
    out_w = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            top, left = r * stride, c * stride
            out[r, c] = np.sum(padded[top:top + kh, left:left + kw] * kernel)
        return out
""",
            mistake="first_row_only",
        ),
        WrongAnswer(
            "loops step through the output by the stride",
            _conv_loops(
                rows="range(0, out_h, stride)",
                cols="range(0, out_w, stride)",
                window="padded[r:r + kh, c:c + kw]",
            ),
            mistake="output_stepped_by_stride",
        ),
        WrongAnswer(
            "padded with the edge pixels",
            _conv_loops(pad="np.pad(image, padding, mode='edge')"),
            mistake="pad_edge",
        ),
        WrongAnswer(
            "padded by reflection",
            _conv_loops(pad="np.pad(image, padding, mode='reflect')"),
            mistake="pad_reflect",
        ),
        WrongAnswer(
            "padded by symmetric reflection",
            _conv_loops(pad="np.pad(image, padding, mode='symmetric')"),
            mistake="pad_edge",  # the same as 'edge' for padding 1
        ),
        WrongAnswer(
            "last row never filled", _conv_loops(rows="range(out_h - 1)"), mistake="last_row_unfilled"
        ),
        WrongAnswer(
            "last column never filled", _conv_loops(cols="range(out_w - 1)"), mistake="last_column_unfilled"
        ),
        WrongAnswer(
            "loops one short both ways",
            _conv_loops(rows="range(out_h - 1)", cols="range(out_w - 1)"),
            mistake="loops_one_short",
        ),
        WrongAnswer(
            "output of a whole-number type",
            _conv_loops(out="np.zeros((out_h, out_w), dtype=np.int64)"),
            mistake="integer_output",
        ),
        WrongAnswer(
            "output as the image's type, Python int sums",
            _CONV_INDEX.format(
                out="np.zeros((out_h, out_w), dtype=image.dtype)",
                product="int(padded[r * stride + i, c * stride + j]) * int(kernel[i, j])",
            ),
            mistake="uint8_out_of_bounds",
        ),
        WrongAnswer(
            "windows cut from the unpadded image",
            _conv_loops(window="image[r * stride:r * stride + kh, c * stride:c * stride + kw]"),
            mistake="windows_from_unpadded",
        ),
        WrongAnswer(
            "reads the unpadded image",
            _CONV_INDEX.format(
                out="np.zeros((out_h, out_w))", product="image[r * stride + i, c * stride + j] * kernel[i, j]"
            ),
            mistake="read_from_unpadded",
        ),
        WrongAnswer(
            "the stride left out of the slice's end",
            _conv_loops(window="padded[r * stride:r + kh, c * stride:c + kw]"),
            mistake="stride_left_out_of_end",
        ),
        WrongAnswer(
            "window slices one longer than the kernel",
            _conv_loops(window="padded[r * stride:r * stride + kh + 1, c * stride:c * stride + kw + 1]"),
            mistake="window_wrong_size",
        ),
        WrongAnswer(
            "window starts one row late",
            _CONV_INDEX.format(
                out="np.zeros((out_h, out_w))",
                product="padded[r * stride + i + 1, c * stride + j] * kernel[i, j]",
            ),
            mistake="index_past_the_edge",
        ),
        WrongAnswer(
            "window's rows and columns from kw, kh",
            _conv_loops(window="padded[r * stride:r * stride + kw, c * stride:c * stride + kh]"),
            mistake="kernel_axes_swapped",
        ),
        WrongAnswer(
            "kernel flipped", _conv_loops(combine="np.sum(window * np.flip(kernel))"), mistake="flipped"
        ),
        WrongAnswer(
            "kernel indices swapped",
            _CONV_INDEX.format(
                out="np.zeros((out_h, out_w))",
                product="padded[r * stride + i, c * stride + j] * kernel[j, i]",
            ),
            mistake="transposed",
        ),
        WrongAnswer(
            "output as the image's type",
            _conv_loops(out="np.zeros((out_h, out_w), dtype=image.dtype)"),
            mistake="uint8_wrapped",
        ),
        WrongAnswer(
            "kernel converted to the image's type",
            _conv_loops(
                source="    kernel = np.asarray(kernel, dtype=image.dtype)\n    padded = np.pad(image, padding)\n"
            ),
            mistake="uint8_products",
        ),
        WrongAnswer(
            "stride ignored",
            _conv_loops(
                out_h="H + 2 * padding - kh + 1",
                out_w="W + 2 * padding - kw + 1",
                window="padded[r:r + kh, c:c + kw]",
            ),
            mistake="stride_ignored",
        ),
        WrongAnswer(
            "windows not strided",
            _conv_loops(window="padded[r:r + kh, c:c + kw]"),
            mistake="window_not_strided",
        ),
        WrongAnswer(
            "padding ignored",
            _conv_loops(pad="image", out_h="(H - kh) // stride + 1", out_w="(W - kw) // stride + 1"),
            mistake="padding_ignored",
        ),
        WrongAnswer(
            "size without padding",
            _conv_loops(out_h="(H - kh) // stride + 1", out_w="(W - kw) // stride + 1"),
            mistake="size_without_padding",
        ),
        WrongAnswer(
            "zeros on top and left only",
            _conv_loops(
                source="    padded = np.zeros((H + padding, W + padding))\n    padded[padding:, padding:] = image\n",
                out_h="(H + padding - kh) // stride + 1",
                out_w="(W + padding - kw) // stride + 1",
            ),
            mistake="pad_one_side",
        ),
        WrongAnswer(
            "image in the corner of the padded array",
            _conv_loops(
                source="    padded = np.zeros((H + 2 * padding, W + 2 * padding))\n    padded[:H, :W] = image\n"
            ),
            mistake="pad_not_centred",
        ),
        WrongAnswer(
            "no + 1",
            _conv_loops(out_h="(H + 2 * padding - kh) // stride", out_w="(W + 2 * padding - kw) // stride"),
            mistake="no_plus_one",
        ),
        WrongAnswer(
            "matrix product", _conv_loops(combine="np.sum(window @ kernel)"), mistake="matrix_product"
        ),
    ],
    "which_edges": [
        WrongAnswer(
            "probe responses swapped",
            _probe(decide='"horizontal" if responses[0] > responses[1] else "vertical"'),
            mistake="swapped",
        ),
        WrongAnswer("highest signed response, no np.abs", _probe(measure="out.max()"), mistake="no_abs"),
        WrongAnswer("total signed response, no np.abs", _probe(measure="out.sum()"), mistake="no_abs_total"),
        WrongAnswer(
            "lowest signed response, no np.abs", _probe(measure="out.min()"), mistake="no_abs_lowest"
        ),
        WrongAnswer(
            "a sentence",
            _probe(decide='"vertical edges" if responses[0] > responses[1] else "horizontal edges"'),
            message="which is not one of ['vertical', 'horizontal']",
        ),
    ],
}

RIGHT = {
    "window_sum": [
        RightAnswer(
            "loops, float total",
            _ws(
                "    total = 0.0\n    for i in range(kernel.shape[0]):\n        for j in range(kernel.shape[1]):\n"
                "            total += float(image[row + i, col + j]) * float(kernel[i, j])\n    return total\n"
            ),
        ),
        RightAnswer(
            "float32 arithmetic",
            _ws(
                "    kh, kw = kernel.shape\n    window = image[row:row + kh, col:col + kw].astype(np.float32)\n"
                "    return (window * kernel.astype(np.float32)).sum()\n"
            ),
        ),
        RightAnswer(
            "np.vdot of the flattened arrays",
            _ws(
                "    kh, kw = kernel.shape\n    return np.vdot(image[row:row + kh, col:col + kw].astype(float), kernel)\n"
            ),
        ),
    ],
    "conv2d_valid": [
        RightAnswer("loops and slices", _valid_loops()),
        RightAnswer(
            "four loops, float total",
            _valid_index(product="float(image[r + i, c + j]) * float(kernel[i, j])"),
        ),
        RightAnswer(
            "vectorized: one shifted image per kernel cell",
            _VALID
            + """    H, W = image.shape
    kh, kw = kernel.shape
    out = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(kh):
        for j in range(kw):
            out += kernel[i, j] * image[i:i + H - kh + 1, j:j + W - kw + 1]
    return out
""",
        ),
        RightAnswer(
            "float32 throughout",
            _valid_loops(
                out="np.zeros((H - kh + 1, W - kw + 1), dtype=np.float32)",
                combine="np.sum(window.astype(np.float32) * kernel.astype(np.float32))",
            ),
        ),
        RightAnswer(
            "sliding_window_view",
            _VALID
            + """    windows = np.lib.stride_tricks.sliding_window_view(image.astype(float), kernel.shape)
    return np.einsum("rcij,ij->rc", windows, kernel)
""",
        ),
    ],
    "output_size": [
        RightAnswer("int() of a true division", _SIZE.format("int((n + 2 * padding - k) / stride) + 1")),
        RightAnswer(
            "count the window positions",
            "def output_size(n, k, stride=1, padding=0):\n    count = 0\n    start = 0\n"
            "    while start + k <= n + 2 * padding:\n        count += 1\n        start += stride\n    return count\n",
        ),
    ],
    "conv2d": [
        RightAnswer("np.pad and slices", _conv_loops()),
        RightAnswer(
            "zeros and a centred copy, four loops",
            _CONV
            + """    H, W = image.shape
    kh, kw = kernel.shape
    padded = np.zeros((H + 2 * padding, W + 2 * padding))
    padded[padding:padding + H, padding:padding + W] = image
    out_h = (H + 2 * padding - kh) // stride + 1
    out_w = (W + 2 * padding - kw) // stride + 1
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            for i in range(kh):
                for j in range(kw):
                    out[r, c] += padded[r * stride + i, c * stride + j] * kernel[i, j]
    return out
""",
        ),
        RightAnswer(
            "stride 1 everywhere, then every stride-th cell",
            _CONV
            + """    padded = np.pad(image.astype(np.float32), padding)
    kh, kw = kernel.shape
    H, W = padded.shape
    full = np.zeros((H - kh + 1, W - kw + 1), dtype=np.float32)
    for i in range(kh):
        for j in range(kw):
            full += np.float32(kernel[i, j]) * padded[i:i + H - kh + 1, j:j + W - kw + 1]
    return full[::stride, ::stride]
""",
        ),
    ],
    "which_edges": [
        RightAnswer("probe with two step images", _probe()),
        RightAnswer(
            "capitalised words", _probe(decide='"Vertical" if responses[0] > responses[1] else "Horizontal"')
        ),
        RightAnswer(
            "column sums against row sums",
            """def which_edges(kernel):
    across = np.abs(np.cumsum(kernel.sum(axis=0))).max()
    down = np.abs(np.cumsum(kernel.sum(axis=1))).max()
    return "vertical" if across > down else "horizontal"
""",
        ),
        RightAnswer(
            "probe with cnnlib's conv2d",
            """from cnnlib.ops import conv2d as library_conv2d

def which_edges(kernel):
    vertical = np.zeros((12, 12))
    vertical[:, 6:] = 1
    v = np.abs(library_conv2d(vertical, kernel)).max()
    h = np.abs(library_conv2d(vertical.T, kernel)).max()
    return "vertical" if v > h else "horizontal"
""",
        ),
    ],
}
