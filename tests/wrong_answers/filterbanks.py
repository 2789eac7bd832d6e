"""Lesson 07 (filterbanks): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

_LAYER = '''def conv_layer(image, filters, biases):
    """Apply every filter to the image; return the maps stacked as (H', W', F)."""
'''

# The loops a learner writes first; {value} is what goes into out[r, c, f].
_LOOPS = (
    _LAYER
    + """    n_filters, kh, kw, _ = filters.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((out_h, out_w, n_filters))
    for r in range(out_h):
        for c in range(out_w):
            window = image[r:r + kh, c:c + kw, :]
            for f in range(n_filters):
                out[r, c, f] = {value}
    return out
"""
)

# One map per filter, built channel by channel with lesson 04's single-kernel conv2d.
_PER_CHANNEL = (
    _LAYER
    + """    from cnnlib.ops import conv2d
    n_filters, kh, kw, channels = filters.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters))
    for f in range(n_filters):
        for ch in range(channels):
{body}
    return out
"""
)

_COUNT = "def parameter_count(n_filters, size, channels):\n    return {}\n"

_WHICH = '''def which_filter(image, filters, feature_map):
    """Return the index of the filter whose map is closest to feature_map."""
    n_filters, kh, kw, _ = filters.shape
    out_h, out_w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    image = image.astype(float)
    distances = []
    for f in range(n_filters):
        kernel = {kernel}
        fmap = np.zeros((out_h, out_w))
        for r in range(out_h):
            for c in range(out_w):
                fmap[r, c] = np.sum(image[r:r + kh, c:c + kw{channels}] * kernel)
        distances.append({distance})
    return {pick}
'''


def _which(
    kernel="filters[f]",
    channels=", :",
    distance="np.sum((fmap - feature_map) ** 2)",
    pick="int(np.argmin(distances))",
):
    return _WHICH.format(kernel=kernel, channels=channels, distance=distance, pick=pick)


WRONG = {
    "conv_layer": [
        WrongAnswer(
            "kw, kh read the other way round",
            _LOOPS.replace("n_filters, kh, kw, _ = filters.shape", "n_filters, kw, kh, _ = filters.shape")
            .replace(
                "image.shape[0] - kh + 1, image.shape[1] - kw + 1",
                "image.shape[0] - kw + 1, image.shape[1] - kh + 1",
            )
            .format(value="np.sum(window * filters[f]) + biases[f]"),
            mistake="kernel_axes_swapped",
        ),
        WrongAnswer(
            "maps first, (F, H', W')",
            _LAYER
            + """    n_filters, kh, kw, _ = filters.shape
    out = np.zeros((n_filters, image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for f in range(n_filters):
        for r in range(out.shape[1]):
            for c in range(out.shape[2]):
                out[f, r, c] = np.sum(image[r:r + kh, c:c + kw] * filters[f]) + biases[f]
    return out
""",
            mistake="filters_first",
        ),
        WrongAnswer(
            "one value per channel kept, (H', W', F, C)",
            _LAYER
            + """    n_filters, kh, kw, channels = filters.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters, channels))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            for f in range(n_filters):
                out[r, c, f] = np.sum(image[r:r + kh, c:c + kw] * filters[f], axis=(0, 1)) + biases[f]
    return out
""",
            mistake="channels_not_summed",
        ),
        WrongAnswer(
            "sum over rows and columns only",
            _LOOPS.format(value="np.sum(window * filters[f], axis=(0, 1)) + biases[f]"),
            mistake="channel_sums_left_apart",
        ),
        WrongAnswer(
            "each channel overwrites the last",
            _PER_CHANNEL.format(
                body="            out[:, :, f] = conv2d(image[:, :, ch], filters[f, :, :, ch]) + biases[f]"
            ),
            mistake="last_channel_only",
        ),
        WrongAnswer(
            "channel 0 only",
            _LOOPS.format(value="np.sum(window[:, :, 0] * filters[f, :, :, 0]) + biases[f]"),
            mistake="one_channel_only",
        ),
        WrongAnswer(
            "channels averaged",
            _LAYER
            + """    from cnnlib.ops import conv2d
    maps = []
    for f in range(filters.shape[0]):
        per_channel = [conv2d(image[:, :, ch], filters[f, :, :, ch]) for ch in range(image.shape[2])]
        maps.append(np.mean(per_channel, axis=0) + biases[f])
    return np.stack(maps, axis=-1)
""",
            mistake="channels_averaged",
        ),
        WrongAnswer(
            "no bias, einsum",
            _LAYER
            + """    windows = np.lib.stride_tricks.sliding_window_view(image, filters.shape[1:3], axis=(0, 1))
    return np.einsum("rcdij,fijd->rcf", windows, filters)
""",
            mistake="bias_forgotten",
        ),
        WrongAnswer(
            "bias passed to every channel's convolution",
            _PER_CHANNEL.format(
                body="            out[:, :, f] += conv2d(image[:, :, ch], filters[f, :, :, ch], biases[f])"
            ),
            mistake="bias_per_channel",
        ),
        WrongAnswer(
            "bias inside the innermost loop",
            _LAYER
            + """    n_filters, kh, kw, channels = filters.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            for f in range(n_filters):
                total = 0.0
                for i in range(kh):
                    for j in range(kw):
                        for ch in range(channels):
                            total += image[r + i, c + j, ch] * filters[f, i, j, ch] + biases[f]
                out[r, c, f] = total
    return out
""",
            mistake="bias_per_product",
        ),
        WrongAnswer(
            "filters flipped",
            _LOOPS.format(value="np.sum(window * filters[f, ::-1, ::-1, :]) + biases[f]"),
            mistake="flipped",
        ),
        WrongAnswer(
            "output like the image (uint8)",
            _LAYER
            + """    n_filters, kh, kw, _ = filters.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters), dtype=image.dtype)
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = (image[r:r + kh, c:c + kw] * filters).sum(axis=(1, 2, 3)) + biases
    return out
""",
            mistake="output_in_image_dtype",
        ),
        WrongAnswer(
            "a nested list",
            _LAYER
            + """    n_filters, kh, kw, _ = filters.shape
    return [[[float(np.sum(image[r:r + kh, c:c + kw] * filters[f]) + biases[f]) for f in range(n_filters)]
             for c in range(image.shape[1] - kw + 1)] for r in range(image.shape[0] - kh + 1)]
""",
            message="return a numpy array",
        ),
    ],
    "parameter_count": [
        WrongAnswer(
            "size * 2 for size squared",
            _COUNT.format("n_filters * (size * 2 * channels + 1)"),
            mistake="size_doubled",
        ),
        WrongAnswer(
            "no biases", _COUNT.format("n_filters * size * size * channels"), mistake="bias_forgotten"
        ),
        WrongAnswer(
            "one bias for the layer",
            _COUNT.format("n_filters * size * size * channels + 1"),
            mistake="one_bias_for_the_layer",
        ),
        WrongAnswer("one filter", _COUNT.format("size * size * channels + 1"), mistake="one_filter_only"),
        WrongAnswer(
            "no channels", _COUNT.format("n_filters * (size * size + 1)"), mistake="channels_forgotten"
        ),
        WrongAnswer(
            "size not squared", _COUNT.format("n_filters * (size * channels + 1)"), mistake="size_not_squared"
        ),
        WrongAnswer(
            "a bias per channel",
            _COUNT.format("n_filters * channels * (size * size + 1)"),
            mistake="bias_per_channel",
        ),
        WrongAnswer(
            "a float from **2.0", _COUNT.format("n_filters * (size ** 2.0 * channels + 1)"), message="a float"
        ),
    ],
    "which_filter": [
        WrongAnswer(
            "counts from one", _which(pick="int(np.argmin(distances)) + 1"), mistake="counts_from_one"
        ),
        WrongAnswer("flipped filters", _which(kernel="filters[f, ::-1, ::-1, :]"), mistake="flipped"),
        WrongAnswer(
            "largest overlap",
            _which(distance="np.sum(fmap * feature_map)", pick="int(np.argmax(distances))"),
            mistake="biggest_overlap",
        ),
        WrongAnswer(
            "channel 0 only", _which(kernel="filters[f, :, :, 0]", channels=", 0"), mistake="one_channel_only"
        ),
        WrongAnswer("largest difference", _which(pick="int(np.argmax(distances))"), mistake="farthest"),
        WrongAnswer(
            "signed differences, smallest",
            _which(distance="np.sum(fmap - feature_map)"),
            mistake="signed_total",
        ),
        WrongAnswer(
            "argmin over every cell, nothing summed",
            """def which_filter(image, filters, feature_map):
    from cnnlib.filterbanks import conv_layer
    maps = conv_layer(image, filters, np.zeros(len(filters)))
    return int(np.argmin((maps - feature_map[:, :, None]) ** 2))
""",
            mistake="cells_not_summed",
        ),
        WrongAnswer(
            "size of the summed difference",
            _which(distance="abs(np.sum(fmap - feature_map))"),
            mistake="totals_compared",
        ),
        WrongAnswer(
            "exact comparison, nothing found",
            _which(
                distance="np.array_equal(fmap, feature_map)",
                pick="distances.index(True) if True in distances else None",
            ),
            message="no filter gives this map exactly",
        ),
        WrongAnswer("a float index", _which(pick="float(np.argmin(distances))"), message="a float"),
    ],
}

RIGHT = {
    "conv_layer": [
        RightAnswer(
            "loops over positions and filters", _LOOPS.format(value="np.sum(window * filters[f]) + biases[f]")
        ),
        RightAnswer(
            "lesson 04's conv2d per channel, summed",
            _PER_CHANNEL.format(
                body="            out[:, :, f] += conv2d(image[:, :, ch], filters[f, :, :, ch])\n"
                "        out[:, :, f] += biases[f]"
            ),
        ),
        RightAnswer(
            "einsum over sliding windows (keeps float32)",
            _LAYER
            + """    windows = np.lib.stride_tricks.sliding_window_view(image, filters.shape[1:3], axis=(0, 1))
    return np.einsum("rcdij,fijd->rcf", windows, filters) + biases
""",
        ),
        RightAnswer(
            "tensordot over each window, float32 kept",
            _LAYER
            + """    n_filters, kh, kw, _ = filters.shape
    dtype = np.result_type(image, filters, biases, np.float32)
    out = np.empty((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters), dtype=dtype)
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = np.tensordot(filters, image[r:r + kh, c:c + kw], axes=3) + biases
    return out
""",
        ),
        RightAnswer(
            "six plain loops",
            _LAYER
            + """    n_filters, kh, kw, channels = filters.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            for f in range(n_filters):
                total = float(biases[f])
                for i in range(kh):
                    for j in range(kw):
                        for ch in range(channels):
                            total += float(image[r + i, c + j, ch]) * float(filters[f, i, j, ch])
                out[r, c, f] = total
    return out
""",
        ),
    ],
    "parameter_count": [
        RightAnswer("the formula", _COUNT.format("n_filters * (size * size * channels + 1)")),
        RightAnswer(
            "weights plus biases, as a numpy integer",
            _COUNT.format("np.prod((n_filters, size, size, channels), dtype=np.int64) + n_filters"),
        ),
    ],
    "which_filter": [
        RightAnswer("loops, squared differences", _which()),
        RightAnswer(
            "vectorized, with a norm",
            """def which_filter(image, filters, feature_map):
    windows = np.lib.stride_tricks.sliding_window_view(image, filters.shape[1:3], axis=(0, 1))
    maps = np.einsum("rcdij,fijd->frc", windows.astype(float), filters)
    return int(np.argmin([np.linalg.norm(m - feature_map) for m in maps]))
""",
        ),
        RightAnswer(
            "track the best so far",
            """def which_filter(image, filters, feature_map):
    from cnnlib.ops import conv2d
    best, best_distance = 0, np.inf
    for f in range(filters.shape[0]):
        fmap = sum(conv2d(image[:, :, ch], filters[f, :, :, ch]) for ch in range(image.shape[2]))
        distance = np.abs(fmap - feature_map).sum()
        if distance < best_distance:
            best, best_distance = f, distance
    return best
""",
        ),
    ],
}
