"""Lesson 07 (filterbanks): the exercises conv_layer, parameter_count and which_filter, as data.

The references are cnnlib's answers in ``cnnlib.filterbanks``. Each mistake computes, from the
same inputs, the wrong answer a learner gives in practice, so the message can name it. While
``conv_layer`` is checked, ``cnnlib.ops.conv2d`` is switched off for filter banks only: with a
single 2-D kernel on a 2-D image it is lesson 04's answer, the learner's to use now.
"""

from __future__ import annotations

import numpy as np

from .. import data, filterbanks, ops
from .exercise import LIBRARY_CONVOLUTIONS, Answer, Case, Exercise, Mistake, Window
from .explain import broadcast_shapes
from .runner import make_check

__all__ = ["check_conv_layer", "check_parameter_count", "check_which_filter", "EXERCISES"]

LESSON = "07_filterbanks"


# ------------------------------------------------------------------ conv_layer


def _per_channel(image, filters) -> np.ndarray:
    """Every filter's every channel on its own: (H', W', F, C), nothing summed, no bias."""
    image = np.asarray(image, dtype=np.float64)
    filters = np.asarray(filters, dtype=np.float64)
    return np.stack(
        [
            np.stack([ops.conv2d(image[:, :, ch], f[:, :, ch]) for ch in range(image.shape[2])], axis=-1)
            for f in filters
        ],
        axis=2,
    )


def _sum(image, filters) -> np.ndarray:
    return _per_channel(image, filters).sum(axis=3)


def _bias(biases) -> np.ndarray:
    return np.asarray(biases, dtype=np.float64)


def _times(image, filters) -> tuple[int, int]:
    """How often a bias added in the wrong loop counts: once per channel, once per product."""
    _, kh, kw, channels = np.shape(filters)
    return channels, kh * kw * channels


def _flipped(image, filters, biases) -> np.ndarray:
    return filterbanks.conv_layer(image, np.asarray(filters)[:, ::-1, ::-1, :], biases)


def _in_image_dtype(image, filters, biases) -> np.ndarray | None:
    """The right values stored in an output array of the image's integer dtype (wrapped, cut)."""
    dtype = np.asarray(image).dtype
    if dtype.kind not in "iu":
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        return filterbanks.conv_layer(image, filters, biases).astype(dtype)


def _axes_swapped(image, filters, biases) -> np.ndarray | None:
    """Windows cut kw rows by kh columns (kw, kh from the filter's shape), times each filter: numpy
    broadcasts a one-column window with a one-row filter, so a 1x3 filter gives numbers."""
    image, filters = np.asarray(image, dtype=np.float64), np.asarray(filters, dtype=np.float64)
    n_filters, kh, kw, _ = filters.shape
    if kh == kw:
        return None
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1, n_filters))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            window = image[r : r + kw, c : c + kh, :]
            for f in range(n_filters):
                try:
                    out[r, c, f] = np.sum(window * filters[f])
                except ValueError:  # it raises instead: the error is named by its shapes
                    return None
    return out + _bias(biases)


def _swapped_shapes(message, image, filters, *args, **kwargs) -> bool:
    """numpy's broadcasting error names a window of shape (kw, kh, C) beside a (kh, kw, C) filter."""
    _, kh, kw, channels = np.shape(filters)
    return kh != kw and (kw, kh, channels) in broadcast_shapes(message)


_AXES_SWAPPED = (
    "your windows are the filters' shape the other way round, kw rows by kh columns: kw, kh from "
    "filters.shape in the wrong order (F, kw, kh, C = filters.shape), or col before row, swaps them. "
    "The shape is (F, kh, kw, C), rows first; the window is image[r:r + kh, c:c + kw, :]."
)

CONV_MISTAKES = (
    Mistake(
        "filters_first",
        "the axes are in the wrong order: you returned (F, H', W'), one map per first index. The "
        "course keeps channels last, so the maps go on the last axis: (H', W', F). Build the "
        "output as np.zeros((H', W', F)) and fill out[:, :, f], or use np.stack(maps, axis=-1).",
        lambda image, filters, biases: np.moveaxis(filterbanks.conv_layer(image, filters, biases), -1, 0),
    ),
    Mistake(
        "channels_not_summed",
        "the channels are not summed: you kept one map per filter and channel, (H', W', F, C). A "
        "filter on a colour image is one k x k x C block: multiply the window through all C "
        "channels and add up everything into one number per position.",
        lambda image, filters, biases: _per_channel(image, filters) + _bias(biases)[:, None],
    ),
    Mistake(
        "channel_sums_left_apart",
        "each window gave C numbers, one per channel, and numpy cannot put C numbers into one "
        "cell. Add over the channels too: (window * filters[f]).sum() with no axis, or "
        "sum(axis=(0, 1, 2)).",
        error=("ValueError", "setting an array element with a sequence"),
    ),
    Mistake(
        "last_channel_only",
        "only the last channel counts: each channel's map replaced the one before it (out[..., f] = "
        "... inside the channel loop). Add the channels' maps together (+=), then add the bias once.",
        lambda image, filters, biases: _per_channel(image, filters)[..., -1] + _bias(biases),
    ),
    Mistake(
        "one_channel_only",
        "the filters were applied to channel 0 only. A filter on a C-channel image has C slices, "
        "filters[f, :, :, ch], one for each channel; use every channel and add the results.",
        lambda image, filters, biases: _per_channel(image, filters)[..., 0] + _bias(biases),
    ),
    Mistake(
        "channels_averaged",
        "the channels were averaged (divided by C). A layer adds the channels' products up; "
        "there is no division.",
        lambda image, filters, biases: _sum(image, filters) / np.shape(filters)[3] + _bias(biases),
    ),
    Mistake(
        "bias_forgotten",
        "the bias is missing: add biases[f] once to every value of map f.",
        lambda image, filters, biases: _sum(image, filters),
    ),
    Mistake(
        "bias_per_channel",
        "the bias was added once per channel (C times), e.g. by passing it to every channel's "
        "convolution. Each map gets its filter's bias exactly once: add it after summing the channels.",
        lambda image, filters, biases: _sum(image, filters) + _times(image, filters)[0] * _bias(biases),
    ),
    Mistake(
        "bias_per_product",
        "the bias was added once per product, inside the innermost loop (kh * kw * C times). Add it "
        "once per output value, after the whole window is summed.",
        lambda image, filters, biases: _sum(image, filters) + _times(image, filters)[1] * _bias(biases),
    ),
    Mistake(
        "kernel_axes_swapped",
        _AXES_SWAPPED,
        _axes_swapped,
        error=("ValueError", "could not be broadcast"),
        when=_swapped_shapes,
    ),
    Mistake(
        "flipped",
        "the filters were flipped (a mathematician's convolution, as scipy.signal.convolve2d "
        "does). CNN layers slide each filter as it is: filters[f, i, j] meets the pixel i rows "
        "down and j columns right of the window's corner.",
        _flipped,
    ),
    Mistake(
        "output_in_image_dtype",
        "the output array has the image's dtype (uint8, from np.zeros_like(image) or "
        "dtype=image.dtype), which holds only whole numbers 0..255: negative sums wrap around to "
        "large ones and fractions are cut off. Make the output a float array, np.zeros((H', W', F)).",
        _in_image_dtype,
    ),
)


def _array(rows, dtype=np.int64) -> np.ndarray:
    return np.array(rows, dtype=dtype)


def _bank(*filters) -> np.ndarray:
    """A bank from per-filter (kh, kw) grids of a one-channel input: (F, kh, kw, 1)."""
    return np.array(filters, dtype=np.int64)[..., None]


_SMILEY_TOP = data.smiley()[0:3, 1:5, None]  # [[0, 2, 2, 2], [2, 2, 2, 2], [2, 9, 2, 2]], one channel

_TWO_CHANNELS = np.stack(
    [_array([[1, 2, 0], [0, 1, 3], [2, 0, 1]]), _array([[0, 1, 1], [4, 0, 0], [1, 1, 2]])], -1
)
_TWO_CHANNEL_FILTER = np.stack([_array([[1, 0], [0, 1]]), _array([[2, 0], [0, -1]])], -1)[None]

_COLOUR = np.stack(
    [
        _array([[9, 9, 0, 0], [9, 9, 0, 0], [9, 9, 0, 0]]),  # red: bright on the left
        _array([[0, 0, 0, 0], [0, 5, 5, 0], [0, 0, 0, 0]]),  # green: a short bar in the middle
        _array([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]),  # blue: flat
    ],
    axis=-1,
)
_COLOUR_FILTERS = np.array(
    [
        np.stack([_array([[1, -1], [1, -1]]), np.zeros((2, 2), np.int64), np.zeros((2, 2), np.int64)], -1),
        np.stack([np.zeros((2, 2), np.int64), _array([[1, 1], [0, 0]]), _array([[1, 0], [0, 0]])], -1),
    ]
)

CONV_VISIBLE = (
    Case(
        (_SMILEY_TOP, _bank([[1, 2], [3, -1]], [[1, 1], [1, 1]]), _array([0, -10])),
        note="one channel (H, W, 1), two filters: our first filter (1, 2, 3, -1) and an all-ones filter "
        "with bias -10; the first window gives 1*0 + 2*2 + 3*2 + (-1)*2 = 8",
    ),
    Case(
        (_TWO_CHANNELS, _TWO_CHANNEL_FILTER, _array([1])),
        note="two channels and one 2 x 2 x 2 filter with bias 1: the top-left value is "
        "(1*1 + 2*0 + 0*0 + 1*1) + (0*2 + 1*0 + 4*0 + 0*(-1)) + 1 = 3",
    ),
    Case(
        (_COLOUR, _COLOUR_FILTERS, _array([0, 2])),
        note="a 3 x 4 colour image: filter 0 looks at red only (a left-to-right edge), filter 1 at "
        "green and blue, with bias 2",
    ),
    Case(
        (
            _array([[[1, 2, 3], [4, 5, 6]]]),
            _array([[[[1, 0, 0]]], [[[0, 0, 1]]], [[[1, 1, 1]]]]),
            _array([0, 0, 1]),
        ),
        note="1 x 1 filters mix the channels of each pixel: keep red, keep blue, sum + 1",
    ),
    Case(
        (_array([[1, 4, 2], [0, 3, 3]])[:, :, None], _bank([[1, -1]], [[1, 1]]), _array([0, 0])),
        note="1 x 2 filters (kh = 1, kw = 2): left minus right, and the sum of the pair",
    ),
)


def _conv_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    image = rng.integers(0, 256, size=(6, 7, 3), dtype=np.uint8)
    filters = rng.integers(-3, 4, size=(4, 3, 3, 3))
    cases.append(Case((image, filters, rng.integers(-5, 6, size=4)), note="a uint8 colour image"))
    image = rng.normal(size=(9, 8, 2)).astype(np.float32)
    filters = rng.normal(size=(5, 2, 2, 2)).astype(np.float32)
    biases = rng.uniform(0.5, 2.0, size=5).astype(np.float32) * rng.choice([-1, 1], size=5)
    cases.append(Case((image, filters, biases), note="float32 inputs"))
    image = rng.integers(0, 10, size=(5, 5, 1))
    filters = rng.integers(-2, 3, size=(3, 5, 5, 1))
    cases.append(Case((image, filters, _array([1, -2, 3])), note="filters as large as the image: 1 x 1 maps"))
    image = rng.integers(0, 10, size=(4, 6, 3))
    filters = rng.integers(-2, 3, size=(2, 1, 3, 3))
    cases.append(Case((image, filters, _array([4, -1])), note="1 x 3 filters (kh and kw differ)"))
    image = rng.integers(0, 5, size=(3, 3, 4))
    filters = rng.integers(-3, 4, size=(2, 1, 1, 4))
    cases.append(Case((image, filters, _array([2, 0])), note="1 x 1 filters on 4 channels"))
    image = rng.uniform(0, 1, size=(12, 10, 3))
    filters = rng.normal(size=(8, 3, 3, 3))
    biases = rng.uniform(0.5, 1.5, size=8) * rng.choice([-1, 1], size=8)
    cases.append(Case((image, filters, biases), note="eight 3 x 3 x 3 filters on a float colour image"))
    return cases


CONV_LAYER = Exercise(
    name="conv_layer",
    lesson=LESSON,
    reference=filterbanks.conv_layer,
    params=("image", "filters", "biases"),
    visible=CONV_VISIBLE,
    hidden=_conv_hidden,
    mistakes=CONV_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-4, atol=1e-4, axes=("row", "column", "map")),
    window=Window(op="conv", input="image", kernel="filters", bias="biases"),
    roles={"image": "image", "filters": "filters"},
    shortcuts={
        filterbanks.conv_layer: None,
        # a filter bank makes conv2d this exercise's answer; a single kernel is lesson 04's, free to use
        ops.conv2d: lambda x, w, *args, **kwargs: np.ndim(w) == 4,
        ops.conv2d_loops: None,
        **dict.fromkeys(LIBRARY_CONVOLUTIONS),
    },
    in_place="make a new output array, np.zeros((H', W', F)), fill it and return it.",
)


# ------------------------------------------------------------------ parameter_count


def _count_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [Case((1, 1, 1), note="one 1 x 1 filter on one channel: 1 weight and 1 bias")]
    for _ in range(4):
        size = int(rng.integers(1, 12))
        n_filters, channels = (int(v) for v in rng.integers(2, 513, size=2))
        cases.append(Case((n_filters, size, channels)))
    cases.append(Case((128, 1, 64), note="1 x 1 filters"))
    return cases


PARAMETER_COUNT = Exercise(
    name="parameter_count",
    lesson=LESSON,
    reference=filterbanks.parameter_count,
    params=("n_filters", "size", "channels"),
    visible=(
        Case((32, 2, 1), note="a first layer: 32 filters of 2 x 2 on a grayscale image"),
        Case((32, 2, 3), note="the same 32 filters of 2 x 2, now on a colour image"),
        Case((96, 11, 3), note="AlexNet's first layer: 96 filters of 11 x 11 on colour photos"),
        Case((1, 3, 3), note="one 3 x 3 filter on a colour image: 27 weights and 1 bias"),
        Case((64, 3, 32), note="a second layer: 64 filters of 3 x 3 on the 32 maps of a first layer"),
    ),
    hidden=_count_hidden,
    mistakes=(
        Mistake(
            "bias_forgotten",
            "the biases are missing: every filter has one bias besides its k * k * C weights.",
            lambda n_filters, size, channels: n_filters * size * size * channels,
        ),
        Mistake(
            "one_bias_for_the_layer",
            "you counted one bias for the whole layer; there is one per filter, so F of them.",
            lambda n_filters, size, channels: n_filters * size * size * channels + 1,
        ),
        Mistake(
            "one_filter_only",
            "you counted one filter; the layer has n_filters of them, each with its own weights and bias.",
            lambda n_filters, size, channels: size * size * channels + 1,
        ),
        Mistake(
            "channels_forgotten",
            "the channels are missing: a filter on a C-channel input is k x k x C, so it holds "
            "k * k * C weights, not k * k.",
            lambda n_filters, size, channels: n_filters * (size * size + 1),
        ),
        Mistake(
            "size_not_squared",
            "a k x k filter has k * k positions (per channel), not k.",
            lambda n_filters, size, channels: n_filters * (size * channels + 1),
        ),
        Mistake(
            "size_doubled",
            "size * 2 is not size squared: a k x k filter holds k * k = k ** 2 weights per channel "
            "(for k = 2 both give 4, which hides the slip).",
            lambda n_filters, size, channels: n_filters * (size * 2 * channels + 1),
        ),
        Mistake(
            "bias_per_channel",
            "you counted one bias per channel (C per filter); a filter has a single bias, shared "
            "by all its channels.",
            lambda n_filters, size, channels: n_filters * channels * (size * size + 1),
        ),
    ),
    answer=Answer(kind="int"),
)


# ------------------------------------------------------------------ which_filter


def _maps(image, filters) -> np.ndarray:
    """Every filter's map (no bias) as (F, H', W') in float64."""
    return np.moveaxis(_sum(image, filters), -1, 0)


def _distances(image, filters, feature_map) -> np.ndarray:
    return ((_maps(image, filters) - np.asarray(feature_map, dtype=np.float64)) ** 2).sum(axis=(1, 2))


def _channel_zero_pick(image, filters, feature_map) -> int:
    image, filters = np.asarray(image), np.asarray(filters)
    maps = _per_channel(image, filters)[..., 0]  # (H', W', F)
    return int(
        np.argmin(((maps - np.asarray(feature_map, dtype=np.float64)[..., None]) ** 2).sum(axis=(0, 1)))
    )


def _signed_totals(image, filters, feature_map) -> np.ndarray:
    """sum(map - feature_map) for every filter: positive and negative differences cancel."""
    return (_maps(image, filters) - np.asarray(feature_map, dtype=np.float64)).sum(axis=(1, 2))


def _signed_pick(image, filters, feature_map) -> int:
    return int(np.argmin(_signed_totals(image, filters, feature_map)))


def _total_pick(image, filters, feature_map) -> int:
    return int(np.argmin(np.abs(_signed_totals(image, filters, feature_map))))


def _same_total(
    filters: np.ndarray, image: np.ndarray, f: int, total: float, rng: np.random.Generator
) -> np.ndarray:
    """Filter f changed so that its map adds up to ``total`` with its values arranged differently: a
    map's total is the filter times the sum of all windows, so the change is mostly orthogonal to that
    sum (the arrangement) plus the part along it that moves the total."""
    size, channels = filters.shape[1], filters.shape[3]
    windows = np.lib.stride_tricks.sliding_window_view(image.astype(np.float64), (size, size), axis=(0, 1))
    window_sum = np.moveaxis(windows.sum(axis=(0, 1)), 0, -1)  # (size, size, C)
    change = rng.normal(size=(size, size, channels))
    change -= (change * window_sum).sum() / (window_sum**2).sum() * window_sum
    twin = filters[f] + change / np.abs(change).max() * np.abs(filters[f]).max()
    return twin + (total - (twin * window_sum).sum()) / (window_sum**2).sum() * window_sum


def _cell_pick(image, filters, feature_map) -> int | None:
    """np.argmin over every cell of the (H', W', F) squared differences: a flat cell index."""
    maps = np.moveaxis(_maps(image, filters), 0, -1)
    index = int(np.argmin((maps - np.asarray(feature_map, dtype=np.float64)[..., None]) ** 2))
    return index if index != filterbanks.which_filter(image, filters, feature_map) else None


def _overlap_pick(image, filters, feature_map) -> int:
    overlap = (_maps(image, filters) * np.asarray(feature_map, dtype=np.float64)).sum(axis=(1, 2))
    return int(np.argmax(overlap))


_W_IMAGE = _array([[1, 2, 0], [3, 1, 4], [0, 2, 5]])[:, :, None]
# all ones, bottom-right pixel, top-right pixel, minus all ones, top-left pixel
_W_FILTERS = _bank(
    [[1, 1], [1, 1]], [[0, 0], [0, 1]], [[0, 1], [0, 0]], [[-1, -1], [-1, -1]], [[1, 0], [0, 0]]
)

# Colour: the target (index 4) has a twin with the same red slice, a flipped copy, a doubled copy and
# its negative, so that every mistake points at a different filter.
_TARGET = np.stack([_array([[1, -1], [2, 0]]), _array([[0, 1], [1, 0]]), _array([[-1, 0], [0, 2]])], -1)
_SAME_RED = np.stack([_TARGET[..., 0], _array([[2, 0], [0, -1]]), _array([[0, 0], [1, 1]])], -1)
_W_COLOUR_FILTERS = np.array([-_TARGET, _TARGET[::-1, ::-1], _SAME_RED, 2 * _TARGET, _TARGET])
_W_COLOUR = np.stack(
    [
        _array([[3, 0, 1, 2], [1, 4, 0, 0], [2, 2, 5, 1], [0, 1, 3, 3]]),
        _array([[1, 1, 0, 0], [0, 2, 2, 0], [1, 0, 0, 3], [2, 2, 1, 0]]),
        _array([[0, 3, 1, 1], [2, 0, 0, 4], [1, 1, 2, 0], [0, 0, 1, 2]]),
    ],
    axis=-1,
)


def _map_of(image, filters, f) -> np.ndarray:
    return _maps(image, filters)[f]


def _which_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, n_filters, size in [((8, 9, 3), 6, 3), ((6, 6, 1), 4, 2), ((10, 7, 2), 8, 3)]:
        image = rng.integers(0, 256, size=shape).astype(np.uint8)
        filters = rng.normal(size=(n_filters, size, size, shape[2]))
        f = int(rng.integers(0, n_filters))
        filters[(f + 2) % n_filters] = 1.5 * filters[f]  # a stronger twin: the closest map is still f's
        target = _map_of(image, filters, f) + rng.normal(
            scale=0.5, size=(shape[0] - size + 1, shape[1] - size + 1)
        )
        cases.append(Case((image, filters, target), note=f"the map of filter {f} plus a little noise"))
    image = rng.uniform(0, 1, size=(7, 7, 3)).astype(np.float32)
    filters = rng.normal(size=(5, 3, 3, 3)).astype(np.float32)
    cases.append(
        Case((image, filters, np.round(_map_of(image, filters, 4), 2)), note="float32, the last filter")
    )
    image = rng.integers(0, 256, size=(7, 6, 2)).astype(np.uint8)
    filters = rng.normal(size=(5, 3, 3, 2))
    target = _map_of(image, filters, 3) + rng.normal(scale=0.5, size=(5, 4))
    filters[1] = _same_total(filters, image, 3, float(target.sum()), rng)
    cases.append(
        Case(
            (image, filters, target),
            note="filter 3's map plus a little noise; filter 1's map has its total, arranged differently",
        )
    )
    filters = rng.normal(size=(4, 2, 2, 3))
    filters[2] = filters[0][::-1, ::-1]
    image = rng.integers(0, 256, size=(5, 6, 3)).astype(np.uint8)
    cases.append(Case((image, filters, _map_of(image, filters, 0)), note="filter 2 is filter 0 flipped"))
    return cases


WHICH_FILTER = Exercise(
    name="which_filter",
    uses=(CONV_LAYER,),
    lesson=LESSON,
    reference=filterbanks.which_filter,
    params=("image", "filters", "feature_map"),
    visible=(
        Case(
            (_W_IMAGE, _W_FILTERS, _array([[1, 4], [2, 5]])),
            note="filter 1 keeps the bottom-right pixel of each window, so its map is [[1, 4], [2, 5]]",
        ),
        Case(
            (_W_IMAGE, _W_FILTERS[[0, 1, 2, 4]], _array([[1, 2], [3, 1]])),
            note="filter 3 (top-left pixel) made it; filter 2's map [[2, 0], [1, 4]] has the same "
            "total, 7, so compare the maps value by value, not their totals",
        ),
        Case(
            (_W_COLOUR, _W_COLOUR_FILTERS, _map_of(_W_COLOUR, _W_COLOUR_FILTERS, 4)),
            note="filter 4 made it; filter 0 is its negative, filter 1 it flipped, filter 2 has the "
            "same red slice, filter 3 is it doubled",
        ),
        Case(
            (_W_COLOUR, _W_COLOUR_FILTERS, np.round(_map_of(_W_COLOUR, _W_COLOUR_FILTERS, 2) / 3, 1) * 3),
            note="no filter gives this map exactly (it was rounded), so an equality test finds "
            "nothing: return the index of the closest filter, the one with the smallest sum of "
            "squared differences",
        ),
    ),
    hidden=_which_hidden,
    mistakes=(
        Mistake(
            "counts_from_one",
            "the index is one too high: filters are numbered from 0, so the first filter is 0.",
            lambda image, filters, feature_map: filterbanks.which_filter(image, filters, feature_map) + 1,
        ),
        Mistake(
            "flipped",
            "you compared with flipped filters (a mathematician's convolution). A layer slides each "
            "filter as it is, without flipping it.",
            lambda image, filters, feature_map: filterbanks.which_filter(
                image, np.asarray(filters)[:, ::-1, ::-1, :], feature_map
            ),
        ),
        Mistake(
            "cells_not_summed",
            "you took np.argmin over every cell of the squared differences, so it returned the "
            "position of one cell (counted through the whole (H', W', F) array), not a filter. Add "
            "each map's differences up first, ((maps - feature_map[..., None]) ** 2).sum(axis=(0, 1)) "
            "gives one number per filter, then take np.argmin of those.",
            _cell_pick,
        ),
        Mistake(
            "signed_total",
            "you took np.argmin of the signed differences, sum(map - feature_map): positive and "
            "negative differences cancel, and a map far below feature_map looks closest. Square each "
            "difference, ((map - feature_map) ** 2).sum(), and take np.argmin.",
            _signed_pick,
        ),
        Mistake(
            "totals_compared",
            "you compared the maps' totals (the size of sum(map - feature_map)), and two different "
            "maps can have the same total. Compare value by value: ((map - feature_map) ** 2).sum().",
            _total_pick,
        ),
        Mistake(
            "biggest_overlap",
            "you picked the map with the largest overlap (sum of map * feature_map). A filter with "
            "bigger numbers wins that contest even when its map is wrong. Pick the smallest "
            "difference instead: ((map - feature_map) ** 2).sum().",
            lambda image, filters, feature_map: _overlap_pick(image, filters, feature_map),
        ),
        Mistake(
            "one_channel_only",
            "you compared maps made from channel 0 only; a filter's map sums over all channels.",
            _channel_zero_pick,
        ),
        Mistake(
            "farthest",
            "you picked the wrong end of the distances: np.argmax of the squared differences gives the "
            "farthest map. Take np.argmin of ((map - feature_map) ** 2).sum().",
            lambda image, filters, feature_map: int(np.argmax(_distances(image, filters, feature_map))),
        ),
    ),
    answer=Answer(kind="int"),
    roles={"image": "image", "filters": "filters"},
)


EXERCISES = (CONV_LAYER, PARAMETER_COUNT, WHICH_FILTER)

check_conv_layer = make_check(CONV_LAYER)
check_parameter_count = make_check(PARAMETER_COUNT)
check_which_filter = make_check(WHICH_FILTER)
