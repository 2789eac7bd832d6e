"""Lesson 06 (pooling): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

# A loop over the output cells, as most learners write it; {rows}/{cols} are the output size,
# {window} the window of output cell (r, c), {value} what is kept of it, {out} the output array.
_POOL = '''def {name}(feature_map, size=2, stride=2):
    """Pool feature_map (H, W) or (H, W, C) with size x size windows, stride apart."""
    rows = {rows}
    cols = {cols}
    out = {out}
    for r in range(rows):
        for c in range({loop_cols}):
            window = {window}
            out[{cell}] = {value}
    return out
'''

_RIGHT_ROWS = "(feature_map.shape[0] - size) // stride + 1"
_RIGHT_COLS = "(feature_map.shape[1] - size) // stride + 1"
_RIGHT_OUT = "np.zeros((rows, cols) + feature_map.shape[2:])"
_RIGHT_WINDOW = "feature_map[r * stride:r * stride + size, c * stride:c * stride + size]"


def _pool(name: str, value: str, **changes: str) -> str:
    parts = dict(
        name=name,
        rows=_RIGHT_ROWS,
        cols=_RIGHT_COLS,
        out=_RIGHT_OUT,
        loop_cols="cols",
        window=_RIGHT_WINDOW,
        cell="r, c",
        value=value,
    )
    parts.update(changes)
    return _POOL.format(**parts)


_MAX = "window.max(axis=(0, 1))"
_MEAN = "window.mean(axis=(0, 1))"

# An element-by-element loop (no slicing) with a running maximum or sum.
_ELEMENTS = '''def {name}(feature_map, size=2, stride=2):
    """Pool feature_map (H, W) or (H, W, C) with size x size windows, stride apart."""
    rows = {rows}
    cols = {cols}
    out = np.zeros((rows, cols) + feature_map.shape[2:])
    for r in range(rows):
        for c in range(cols):
            best = {start}
            for i in range(size):
                for j in range(size):
                    best = {combine}
            out[r, c] = best{finish}
    return out
'''


def _elements(
    name: str, start: str, combine: str, finish: str = "", rows=_RIGHT_ROWS, cols=_RIGHT_COLS
) -> str:
    return _ELEMENTS.format(name=name, rows=rows, cols=cols, start=start, combine=combine, finish=finish)


_CELL = "feature_map[r * stride + i, c * stride + j]"
# one running value per map: a 0-d array for (H, W), shape (C,) for a stack (H, W, C)
_ZEROS = "np.zeros(feature_map.shape[2:])"
_MINUS_INF = "np.full(feature_map.shape[2:], -np.inf)"
_CEIL_ROWS = "-(-feature_map.shape[0] // stride)"
_CEIL_COLS = "-(-feature_map.shape[1] // stride)"


def _common_wrong(name: str, keep: str) -> list[WrongAnswer]:
    """Wrong answers both pooling exercises share: stride, size, partial windows, axes."""
    return [
        WrongAnswer(
            "stride ignored: the window moves one cell",
            _pool(
                name,
                keep,
                rows="feature_map.shape[0] - size + 1",
                cols="feature_map.shape[1] - size + 1",
                window="feature_map[r:r + size, c:c + size]",
            ),
            mistake="overlapping_windows",
        ),
        WrongAnswer(
            "a hard-coded 2x2 window",
            _pool(
                name,
                keep,
                rows="(feature_map.shape[0] - 2) // stride + 1",
                cols="(feature_map.shape[1] - 2) // stride + 1",
                window="feature_map[r * stride:r * stride + 2, c * stride:c * stride + 2]",
            ),
            mistake="size_ignored",
        ),
        WrongAnswer(
            "no + 1 in the output size",
            _pool(
                name,
                keep,
                rows="(feature_map.shape[0] - size) // stride",
                cols="(feature_map.shape[1] - size) // stride",
            ),
            mistake="one_window_short",
        ),
        WrongAnswer(
            "H // stride outputs",
            _pool(name, keep, rows="feature_map.shape[0] // stride", cols="feature_map.shape[1] // stride"),
            mistake="size_by_division",
        ),
        WrongAnswer(
            "a window at every start in range(0, H, stride)",
            _pool(name, keep, rows=_CEIL_ROWS, cols=_CEIL_COLS),
            mistake="partial_windows_kept",
        ),
        WrongAnswer(
            "element loops over windows that stick out",
            _elements(
                name,
                _ZEROS if keep == _MEAN else _MINUS_INF,
                f"best + {_CELL}" if keep == _MEAN else f"np.maximum(best, {_CELL})",
                " / (size * size)" if keep == _MEAN else "",
                rows=_CEIL_ROWS,
                cols=_CEIL_COLS,
            ),
            mistake="window_past_the_edge",
        ),
        WrongAnswer(
            "output cell [c, r]",
            _pool(name, keep, out="np.zeros((cols, rows) + feature_map.shape[2:])", cell="c, r"),
            mistake="rows_columns_swapped",
        ),
        WrongAnswer(
            "a window's max or mean over every map at once",
            _pool(name, keep.replace("(axis=(0, 1))", "()")),
            mistake="channels_pooled_together",
        ),
        WrongAnswer(
            "a stack pooled into one (rows, cols) map: no axis given",
            _pool(name, keep.replace("(axis=(0, 1))", "()"), out="np.zeros((rows, cols))"),
            mistake="one_map_from_a_stack",
        ),
        WrongAnswer(
            "a (rows, cols) output for a stack too",
            _pool(name, keep, out="np.zeros((rows, cols))"),
            mistake="no_room_for_the_maps",
        ),
        WrongAnswer(
            "returns a list of lists",
            _pool(name, keep).replace("    return out\n", "    return out.tolist()\n"),
            message="return a numpy array",
        ),
    ]


_BY_SIZE = "feature_map[r * size:r * size + size, c * size:c * size + size]"
_MAX_POOL = "max_pool2d"
_AVG_POOL = "avg_pool2d"

_CHAIN = '''def conv_relu_pool(image, kernel):
    """conv2d (valid, stride 1) -> ReLU -> 2x2 max pooling with stride 2."""
    from cnnlib.ops import avg_pool2d, conv2d, max_pool2d, relu
    return {body}
'''

WRONG = {
    "max_pool2d": [
        WrongAnswer("average instead of max", _pool(_MAX_POOL, _MEAN), mistake="mean_not_max"),
        WrongAnswer(
            "windows one row and one column too big (size + 1)",
            _pool(
                _MAX_POOL,
                _MAX,
                window="feature_map[r * stride : r * stride + size + 1, c * stride : c * stride + size + 1]",
            ),
            message="your windows are 3x3 where the pooling's are 2x2",
        ),
        WrongAnswer(
            "a running maximum that starts at 0",
            _elements(_MAX_POOL, _ZEROS, f"np.maximum(best, {_CELL})"),
            mistake="max_starts_at_zero",
        ),
        WrongAnswer(
            "an integer output array",
            _pool(_MAX_POOL, _MAX, out="np.zeros((rows, cols) + feature_map.shape[2:], dtype=int)"),
            mistake="integer_output",
        ),
        *_common_wrong(_MAX_POOL, _MAX),
        WrongAnswer(
            "one window too many",
            _pool(
                _MAX_POOL,
                _MAX,
                rows="feature_map.shape[0] // stride + 1",
                cols="feature_map.shape[1] // stride + 1",
            ),
            mistake="empty_window",
        ),
        WrongAnswer(
            "the window steps by size, not stride (an empty window on the overlapping case)",
            _pool(_MAX_POOL, _MAX, window=_BY_SIZE),
            mistake="empty_window",
        ),
    ],
    "avg_pool2d": [
        WrongAnswer("max instead of average", _pool(_AVG_POOL, _MAX), mistake="max_not_mean"),
        WrongAnswer(
            "output with the map's integer dtype",
            _pool(
                _AVG_POOL,
                _MEAN,
                out="np.zeros((rows, cols) + feature_map.shape[2:], dtype=feature_map.dtype)",
            ),
            mistake="mean_truncated",
        ),
        WrongAnswer(
            "the sum divided by 4, whatever the size",
            _pool(_AVG_POOL, "window.sum(axis=(0, 1)) / 4"),
            message="you divide by 4, but a 3x3 window holds 9 values",
        ),
        WrongAnswer(
            "the sum divided with // (a float output)",
            _pool(_AVG_POOL, "window.sum(axis=(0, 1)) // (size * size)"),
            mistake="floor_division",
        ),
        WrongAnswer(
            "a running total that starts at the int 0",
            _elements(_AVG_POOL, "0", f"best + {_CELL}", " / (size * size)"),
            mistake="uint8_sum_wrapped",
        ),
        WrongAnswer("sum, not mean", _pool(_AVG_POOL, "window.sum(axis=(0, 1))"), mistake="sum_not_mean"),
        WrongAnswer(
            "sum divided by size",
            _pool(_AVG_POOL, "window.sum(axis=(0, 1)) / size"),
            mistake="divided_by_size",
        ),
        WrongAnswer(
            "the window steps by size, not stride",
            _pool(_AVG_POOL, _MEAN, window=_BY_SIZE),
            mistake="stepped_by_size",
        ),
        *_common_wrong(_AVG_POOL, _MEAN),
    ],
    "conv_relu_pool": [
        WrongAnswer(
            "np.abs for ReLU",
            """def conv_relu_pool(image, kernel):
    from cnnlib.ops import conv2d, max_pool2d
    return max_pool2d(np.abs(conv2d(image, kernel)), 2, 2)
""",
            mistake="abs_not_relu",
        ),
        WrongAnswer(
            "padding=1 in the convolution",
            """def conv_relu_pool(image, kernel):
    from cnnlib.ops import conv2d, max_pool2d, relu
    return max_pool2d(relu(conv2d(image, kernel, stride=1, padding=1)), 2, 2)
""",
            mistake="padded",
        ),
        WrongAnswer(
            "the kernel's width used for the rows too",
            """def conv_relu_pool(image, kernel):
    from cnnlib.ops import max_pool2d
    k = kernel.shape[1]
    rows, cols = image.shape[0] - k + 1, image.shape[1] - k + 1
    fm = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            fm[r, c] = (image[r : r + kernel.shape[0], c : c + k] * kernel).sum()
    return max_pool2d(np.maximum(fm, 0), 2, 2)
""",
            message="returned an array of shape (3, 3), expected shape (4, 3)",
        ),
        WrongAnswer(
            "no ReLU",
            _CHAIN.format(body="max_pool2d(conv2d(image, kernel), size=2, stride=2)"),
            mistake="relu_missing",
        ),
        WrongAnswer(
            "average pooling",
            _CHAIN.format(body="avg_pool2d(relu(conv2d(image, kernel)), size=2, stride=2)"),
            mistake="average_pooling",
        ),
        WrongAnswer(
            "pooling with stride 1",
            _CHAIN.format(body="max_pool2d(relu(conv2d(image, kernel)), size=2, stride=1)"),
            mistake="overlapping_windows",
        ),
        WrongAnswer(
            "stops after ReLU", _CHAIN.format(body="relu(conv2d(image, kernel))"), mistake="not_pooled"
        ),
        WrongAnswer(
            "a flipped kernel",
            _CHAIN.format(body="max_pool2d(relu(conv2d(image, np.flip(kernel))), size=2, stride=2)"),
            mistake="kernel_flipped",
        ),
        WrongAnswer(
            "the kernel converted to the image's dtype (uint8)",
            _CHAIN.format(
                body="max_pool2d(relu(conv2d(image, kernel.astype(image.dtype))), size=2, stride=2)"
            ),
            mistake="kernel_wrapped_to_uint8",
        ),
        WrongAnswer(
            "pooling before the convolution",
            _CHAIN.format(body="relu(conv2d(max_pool2d(image, size=2, stride=2), kernel))"),
            mistake="pooled_first",
        ),
        WrongAnswer(
            "a transposed result",
            _CHAIN.format(body="max_pool2d(relu(conv2d(image, kernel)), size=2, stride=2).T"),
            mistake="transposed",
        ),
    ],
}

_SLIDING = '''def {name}(feature_map, size=2, stride=2):
    """Pool feature_map (H, W) or (H, W, C) with size x size windows, stride apart."""
    windows = np.lib.stride_tricks.sliding_window_view(feature_map, (size, size), axis=(0, 1))
    return windows[::stride, ::stride].{method}(axis=(-2, -1))
'''

RIGHT = {
    "max_pool2d": [
        RightAnswer(
            "element loops from -inf", _elements(_MAX_POOL, _MINUS_INF, f"np.maximum(best, {_CELL})")
        ),
        RightAnswer("sliding_window_view", _SLIDING.format(name=_MAX_POOL, method="max")),
        RightAnswer(
            "the map's own dtype (ints stay ints)",
            _pool(
                _MAX_POOL, _MAX, out="np.zeros((rows, cols) + feature_map.shape[2:], dtype=feature_map.dtype)"
            ),
        ),
    ],
    "avg_pool2d": [
        RightAnswer(
            "element loops, sum / (size * size)",
            _elements(_AVG_POOL, _ZEROS, f"best + {_CELL}", " / (size * size)"),
        ),
        RightAnswer("sliding_window_view", _SLIDING.format(name=_AVG_POOL, method="mean")),
        RightAnswer(
            "float32 output",
            _pool(_AVG_POOL, _MEAN, out="np.zeros((rows, cols) + feature_map.shape[2:], dtype=np.float32)"),
        ),
    ],
    "conv_relu_pool": [
        RightAnswer(
            "pool first, then ReLU (they commute)",
            _CHAIN.format(body="relu(max_pool2d(conv2d(image, kernel), size=2, stride=2))"),
        ),
        RightAnswer(
            "np.maximum and a reshape into 2x2 blocks",
            '''def conv_relu_pool(image, kernel):
    """conv2d (valid, stride 1) -> ReLU -> 2x2 max pooling with stride 2."""
    from cnnlib.ops import conv2d
    fmap = np.maximum(conv2d(image, kernel), 0)
    rows, cols = fmap.shape[0] // 2, fmap.shape[1] // 2
    blocks = fmap[:2 * rows, :2 * cols].reshape(rows, 2, cols, 2)
    return blocks.max(axis=(1, 3))
''',
        ),
    ],
}
