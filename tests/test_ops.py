"""Tests for cnnlib.ops: worked examples first, then comparisons and properties.

Oracles: numbers worked out by hand, scipy.signal.correlate2d, and the module's
own plain-loop versions (conv2d_loops, ...), which spell the definitions out.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import scipy.signal
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlib import ops
from cnnlib.ops import (
    avg_pool2d,
    avg_pool2d_loops,
    conv2d,
    conv2d_loops,
    leaky_relu,
    max_pool2d,
    max_pool2d_loops,
    output_size,
    relu,
    relu_loops,
    sigmoid,
    softmax,
)

# Randomized tests: few enough examples to keep this file fast on 2 cores, no
# deadline (the machine is shared and timing is noisy), and no example database
# written into the work tree.
SETTINGS = settings(max_examples=100, deadline=None, database=None)

# 0 = white, 2 = yellow, 9 = black
SMILEY = np.array(
    [
        [0, 0, 2, 2, 2, 2, 0, 0],
        [0, 2, 2, 2, 2, 2, 2, 0],
        [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 2, 2, 2, 2, 2, 2],
        [2, 9, 2, 2, 2, 2, 9, 2],
        [0, 2, 9, 9, 9, 9, 2, 0],
        [0, 0, 2, 2, 2, 2, 0, 0],
    ]
)

DTYPES = [np.uint8, np.int64, np.bool_, np.float32, np.float64]


def random_array(rng, shape, dtype):
    """Random test data of `dtype`: small integers, booleans or normal floats."""
    dtype = np.dtype(dtype)
    if dtype == np.uint8:
        return rng.integers(0, 256, shape).astype(dtype)
    if dtype.kind == "i":
        return rng.integers(-20, 21, shape).astype(dtype)
    if dtype == np.bool_:
        return rng.random(shape) < 0.5
    return rng.standard_normal(shape).astype(dtype)


def assert_close(actual, expected):
    """Compare with a tolerance suited to the result's precision."""
    if actual.dtype == np.float32:
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-3)
    else:
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-9)


@st.composite
def conv_cases(draw, max_side=7):
    """A random batch, filter bank, biases, stride, padding and input dtype."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 3))
    c = draw(st.integers(1, 3))
    f = draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h, w = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    kh = draw(st.integers(1, min(5, h + 2 * padding[0])))
    kw = draw(st.integers(1, min(5, w + 2 * padding[1])))
    dtype = draw(st.sampled_from(DTYPES))
    x = random_array(rng, (n, h, w, c), dtype)
    filters = random_array(rng, (f, kh, kw, c), dtype)
    biases = draw(st.sampled_from([None, random_array(rng, (f,), dtype)]))
    return x, filters, biases, stride, padding


# --------------------------------------------------------------------------
# output_size
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "k", "stride", "padding", "expected"),
    [
        (28, 3, 1, 0, 26),  # MNIST image, 3x3 kernel
        (5, 3, 1, 0, 3),
        (5, 3, 2, 0, 2),  # positions 0 and 2
        (6, 3, 2, 0, 2),  # positions 0 and 2; position 4 would stick out: dropped
        (5, 3, 1, 1, 5),  # "same" padding keeps the size
        (28, 3, 2, 1, 14),
        (4, 4, 1, 0, 1),  # kernel as large as the image: one position
        (1, 3, 1, 1, 1),
    ],
)
def test_output_size_examples(n, k, stride, padding, expected):
    assert output_size(n, k, stride, padding) == expected


def test_output_size_rejects_a_kernel_larger_than_the_padded_input():
    with pytest.raises(ValueError, match=r"kernel size 5 is larger than the padded input size 4"):
        output_size(2, 5, padding=1)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"n": 5, "k": 3, "stride": 0}, ValueError, r"stride must be >= 1; got 0"),
        ({"n": 5, "k": 3, "padding": -1}, ValueError, r"padding must be >= 0; got -1"),
        ({"n": 0, "k": 1}, ValueError, r"n must be >= 1; got 0"),
        ({"n": 5, "k": 0}, ValueError, r"k must be >= 1; got 0"),
        ({"n": 5.0, "k": 3}, TypeError, r"n must be an int; got 5\.0"),
        ({"n": 5, "k": True}, TypeError, r"k must be an int; got True"),
    ],
)
def test_output_size_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        output_size(**kwargs)


# --------------------------------------------------------------------------
# conv2d: worked examples
# --------------------------------------------------------------------------


def test_conv2d_small_example_by_hand():
    image = [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
    ]
    kernel = [
        [1, 2],
        [0, 1],
    ]
    # top-left: 1*1 + 2*2 + 4*0 + 5*1 = 10, then slide one step right / down
    expected = [
        [10, 14],
        [22, 26],
    ]
    np.testing.assert_array_equal(conv2d(image, kernel), expected)
    np.testing.assert_array_equal(conv2d_loops(image, kernel), expected)


def test_conv2d_is_cross_correlation_the_kernel_is_not_flipped():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 2.0], [3.0, -1.0]])
    np.testing.assert_allclose(conv2d(image, kernel), scipy.signal.correlate2d(image, kernel, mode="valid"))
    # true convolution flips the kernel and gives other numbers
    flipped = scipy.signal.convolve2d(image, kernel, mode="valid")
    assert not np.allclose(conv2d(image, kernel), flipped)


def test_conv2d_smiley_patch_worked_out_by_hand():
    # The seed article's 2x2 filter on the top-left 4x4 patch of the smiley:
    # the corner of the face and the left eye.
    kernel = [
        [1, 2],
        [3, -1],
    ]
    patch = [
        [0, 0, 2, 2],
        [0, 2, 2, 2],
        [2, 2, 9, 2],
        [2, 2, 9, 2],
    ]
    # Each output is 1*top-left + 2*top-right + 3*bottom-left - 1*bottom-right of
    # the 2x2 window under the filter. For example, at row 1, column 2 the window
    # is [[2, 2], [9, 2]]: 1*2 + 2*2 + 3*9 - 1*2 = 2 + 4 + 27 - 2 = 31.
    # At row 0, column 0 (white corner) the window is [[0, 0], [0, 2]]: -2.
    expected = [
        [-2, 8, 10],
        [8, 3, 31],
        [10, 17, 38],
    ]
    np.testing.assert_array_equal(np.asarray(patch), SMILEY[:4, :4])
    np.testing.assert_array_equal(conv2d(patch, kernel), expected)
    np.testing.assert_array_equal(conv2d_loops(patch, kernel), expected)
    # the same numbers appear in the corner of the whole smiley's feature map
    whole = conv2d(SMILEY, kernel)
    assert whole.shape == (7, 7)
    np.testing.assert_array_equal(whole[:3, :3], expected)
    np.testing.assert_array_equal(whole, scipy.signal.correlate2d(SMILEY, kernel, "valid"))
    np.testing.assert_array_equal(whole, conv2d_loops(SMILEY, kernel))


def test_conv2d_stride_skips_positions():
    image = np.arange(16).reshape(4, 4)
    ones = np.ones((2, 2))
    # stride 2: the four 2x2 blocks, side by side, summed
    expected = [
        [0 + 1 + 4 + 5, 2 + 3 + 6 + 7],
        [8 + 9 + 12 + 13, 10 + 11 + 14 + 15],
    ]
    np.testing.assert_array_equal(conv2d(image, ones, stride=2), expected)
    np.testing.assert_array_equal(conv2d(image, ones, stride=(2, 1))[:, ::2], expected)


def test_conv2d_zero_padding_counts_neighbours_inside_the_image():
    # A 3x3 box of ones on an all-ones image with one ring of zeros around it
    # counts how many of each pixel's 3x3 neighbours lie inside the image.
    counts = conv2d(np.ones((3, 3)), np.ones((3, 3)), padding=1)
    expected = [
        [4, 6, 4],
        [6, 9, 6],
        [4, 6, 4],
    ]
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(conv2d(np.ones((3, 3)), np.ones((1, 3)), padding=(0, 1)), [[2, 3, 2]] * 3)


def test_conv2d_filter_bank_with_biases_by_hand():
    # a 2x2 RGB-like image with 2 channels, two 2x2 filters -> one pixel, 2 features
    image = np.zeros((2, 2, 2))
    image[..., 0] = [[1, 2], [3, 4]]
    image[..., 1] = [[10, 20], [30, 40]]
    filters = np.zeros((2, 2, 2, 2))
    filters[0, ..., 0] = 1  # filter 0 sums channel 0
    filters[1, 0, 0, 1] = 1  # filter 1 picks channel 1's top-left
    out = conv2d(image, filters, b=[0.5, -10])
    np.testing.assert_array_equal(out, [[[1 + 2 + 3 + 4 + 0.5, 10 - 10]]])
    assert out.shape == (1, 1, 2)


def test_conv2d_single_kernel_accepts_a_scalar_bias():
    np.testing.assert_array_equal(conv2d([[1, 2], [3, 4]], [[1]], b=10), [[11, 12], [13, 14]])


def test_conv2d_gray_image_with_filter_bank_is_one_channel():
    rng = np.random.default_rng(0)
    image = rng.standard_normal((6, 7))
    filters = rng.standard_normal((4, 3, 3, 1))
    out = conv2d(image, filters)
    assert out.shape == (4, 5, 4)
    assert_close(out, conv2d(image[:, :, None], filters))
    for f in range(4):
        assert_close(out[..., f], scipy.signal.correlate2d(image, filters[f, ..., 0], "valid"))


# --------------------------------------------------------------------------
# conv2d: randomized comparisons
# --------------------------------------------------------------------------


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    height=st.integers(1, 12),
    width=st.integers(1, 12),
    dtype=st.sampled_from(DTYPES),
    data=st.data(),
)
def test_conv2d_matches_scipy_correlate2d(seed, height, width, dtype, data):
    rng = np.random.default_rng(seed)
    kh, kw = data.draw(st.integers(1, height)), data.draw(st.integers(1, width))
    image = random_array(rng, (height, width), dtype)
    kernel = random_array(rng, (kh, kw), dtype)
    expected = scipy.signal.correlate2d(image.astype(float), kernel.astype(float), "valid")
    assert_close(conv2d(image, kernel), expected)


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    dtype=st.sampled_from([np.float32, np.float64, np.int64]),
)
def test_conv2d_with_stride_and_padding_matches_scipy(seed, stride, padding, dtype):
    rng = np.random.default_rng(seed)
    image = random_array(rng, (rng.integers(3, 15), rng.integers(3, 15)), dtype)
    kernel = random_array(rng, (rng.integers(1, 4), rng.integers(1, 4)), dtype)
    padded = np.pad(image.astype(float), [(padding[0],) * 2, (padding[1],) * 2])
    expected = scipy.signal.correlate2d(padded, kernel.astype(float), "valid")
    expected = expected[:: stride[0], :: stride[1]]
    assert_close(conv2d(image, kernel, stride=stride, padding=padding), expected)


@SETTINGS
@given(conv_cases())
def test_conv2d_batch_matches_loops(case):
    x, filters, biases, stride, padding = case
    fast = conv2d(x, filters, biases, stride, padding)
    slow = conv2d_loops(x, filters, biases, stride, padding)
    assert fast.dtype == slow.dtype
    assert fast.shape == (
        x.shape[0],
        output_size(x.shape[1], filters.shape[1], stride[0], padding[0]),
        output_size(x.shape[2], filters.shape[2], stride[1], padding[1]),
        filters.shape[0],
    )
    assert_close(fast, slow)


@SETTINGS
@given(conv_cases())
def test_conv2d_one_image_with_channels_is_the_batch_of_one(case):
    x, filters, biases, stride, padding = case
    image = x[0]
    fast = conv2d(image, filters, biases, stride, padding)
    assert_close(fast, conv2d_loops(image, filters, biases, stride, padding))
    assert_close(fast, conv2d(x[:1], filters, biases, stride, padding)[0])


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("n_filters", [1, 4])
def test_conv2d_in_many_small_blocks_matches_loops(monkeypatch, channels, n_filters):
    # Tiny block budgets force the block-by-block path: blocks of a few output
    # rows of one sample, and blocks of several samples.
    rng = np.random.default_rng(channels * 10 + n_filters)
    x = rng.standard_normal((5, 9, 8, channels))
    filters = rng.standard_normal((n_filters, 3, 2, channels))
    expected = conv2d_loops(x, filters, stride=(2, 1), padding=1)
    for budget in [1, 200, 3000, 20_000]:
        monkeypatch.setattr(ops, "_BLOCK_BYTES", budget)
        monkeypatch.setattr(ops, "_BLOCK_BYTES_ONE_FILTER", budget)
        assert_close(conv2d(x, filters, stride=(2, 1), padding=1), expected)


def test_conv2d_from_several_threads_at_once():
    # conv2d keeps a per-thread work array between calls; threads must not share it
    rng = np.random.default_rng(7)
    batches = [rng.standard_normal((16, 32, 32, c)) for c in (1, 3, 1, 3, 2, 1, 3, 2)]
    filter_banks = [rng.standard_normal((8, 3, 3, b.shape[3])) for b in batches]
    expected = [conv2d(b, f) for b, f in zip(batches, filter_banks)]  # one at a time
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            for out, want in zip(pool.map(conv2d, batches, filter_banks), expected):
                assert_close(out, want)


def test_conv2d_large_inputs_match_scipy_channel_by_channel():
    # Big enough that the default block budget splits the work into several blocks.
    rng = np.random.default_rng(1)
    image = rng.standard_normal((300, 301))
    kernel = rng.standard_normal((9, 9))
    assert_close(conv2d(image, kernel), scipy.signal.correlate2d(image, kernel, "valid"))

    x = rng.standard_normal((6, 60, 60, 8)).astype(np.float32)
    filters = rng.standard_normal((16, 5, 5, 8)).astype(np.float32)
    out = conv2d(x, filters)
    for n in range(6):
        for f in (0, 15):
            expected = sum(
                scipy.signal.correlate2d(
                    x[n, ..., c].astype(float), filters[f, ..., c].astype(float), "valid"
                )
                for c in range(8)
            )
            assert_close(out[n, ..., f], expected)


# --------------------------------------------------------------------------
# conv2d: properties
# --------------------------------------------------------------------------


@SETTINGS
@given(conv_cases(), st.floats(-3, 3), st.floats(-3, 3))
def test_conv2d_is_linear_in_the_kernel(case, a, b):
    x, filters, _, stride, padding = case
    x, filters = x.astype(float), filters.astype(float)
    other = np.random.default_rng(0).standard_normal(filters.shape)
    combined = conv2d(x, a * filters + b * other, stride=stride, padding=padding)
    separate = a * conv2d(x, filters, stride=stride, padding=padding) + b * conv2d(
        x, other, stride=stride, padding=padding
    )
    # rounding errors scale with the sizes of the products summed, not of the result
    magnitude = conv2d(np.abs(x), np.abs(a * filters) + np.abs(b * other), stride=stride, padding=padding)
    np.testing.assert_allclose(combined, separate, rtol=0, atol=1e-12 * (1 + magnitude.max()))


def test_conv2d_identity_kernels_return_the_image():
    rng = np.random.default_rng(2)
    image = rng.standard_normal((7, 9))
    centre = np.zeros((3, 3))
    centre[1, 1] = 1
    np.testing.assert_array_equal(conv2d(image, centre, padding=1), image)
    np.testing.assert_array_equal(conv2d(image, [[1]]), image)
    # a bank of C filters, filter c picking channel c, gives the batch back
    batch = rng.standard_normal((2, 5, 6, 3))
    pick = np.zeros((3, 3, 3, 3))
    for c in range(3):
        pick[c, 1, 1, c] = 1
    np.testing.assert_array_equal(conv2d(batch, pick, padding=1), batch)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), shift=st.tuples(st.integers(0, 6), st.integers(0, 6)))
def test_conv2d_moving_the_object_moves_the_response(seed, shift):
    rng = np.random.default_rng(seed)
    pattern = rng.standard_normal((4, 5, 2))
    filters = rng.standard_normal((3, 3, 3, 2))

    def place(offset):  # the pattern on a blank 16x16 canvas, moved by `offset`
        canvas = np.zeros((16, 16, 2))
        canvas[2 + offset[0] : 6 + offset[0], 3 + offset[1] : 8 + offset[1]] = pattern
        return canvas

    # translation equivariance: the feature map moves by the same amount
    np.testing.assert_allclose(
        conv2d(place(shift), filters), np.roll(conv2d(place((0, 0)), filters), shift, axis=(0, 1)), atol=1e-12
    )
    # with stride 2, moving by whole strides moves the map by half as many pixels
    even = (shift[0] // 2 * 2, shift[1] // 2 * 2)
    np.testing.assert_allclose(
        conv2d(place(even), filters, stride=2),
        np.roll(conv2d(place((0, 0)), filters, stride=2), (even[0] // 2, even[1] // 2), (0, 1)),
        atol=1e-12,
    )


# --------------------------------------------------------------------------
# conv2d: dtypes and inputs
# --------------------------------------------------------------------------


def test_conv2d_float32_stays_float32_and_float64_stays_float64():
    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.float64):
        x = rng.standard_normal((2, 6, 6, 3)).astype(dtype)
        filters = rng.standard_normal((4, 3, 3, 3)).astype(dtype)
        for fn in (conv2d, conv2d_loops):
            out = fn(x, filters, np.zeros(4, dtype), stride=2, padding=1)
            assert out.dtype == dtype
        assert conv2d(x[0, ..., 0], filters[0, ..., 0]).dtype == dtype
    # an integer kernel (here a list) does not turn a float32 image into float64
    image32 = np.ones((4, 4), np.float32)
    assert conv2d(image32, [[1, 0], [0, -1]]).dtype == np.float32


def test_conv2d_integer_images_are_computed_in_float64_without_overflow():
    white = np.full((5, 5), 255, np.uint8)
    out = conv2d(white, np.ones((3, 3), np.uint8))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.full((3, 3), 9 * 255))  # 2295 > 255
    assert conv2d_loops(white, np.ones((3, 3), np.uint8))[0, 0] == 2295


def test_conv2d_accepts_boolean_images_as_zeros_and_ones():
    mask = SMILEY == 9
    kernel = [[1, -1]]
    out = conv2d(mask, kernel)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, conv2d(mask.astype(int), kernel))


def test_conv2d_accepts_lists_and_read_only_arrays_and_never_modifies_inputs():
    rng = np.random.default_rng(4)
    x = rng.integers(0, 255, (2, 6, 6, 3)).astype(np.uint8)
    filters = rng.standard_normal((2, 3, 3, 3))
    biases = rng.standard_normal(2)
    copies = [a.copy() for a in (x, filters, biases)]
    for a in (x, filters, biases):
        a.flags.writeable = False
    for fn in (conv2d, conv2d_loops):
        out = fn(x, filters, biases, stride=1, padding=1)
        from_lists = fn(x.tolist(), filters.tolist(), biases.tolist(), stride=1, padding=1)
        np.testing.assert_array_equal(out, from_lists)
    for original, a in zip(copies, (x, filters, biases)):
        np.testing.assert_array_equal(a, original)
    # a contiguous float input with no padding must not be written to either
    image = rng.standard_normal((8, 8))
    before = image.copy()
    conv2d(image, [[1.0, 2.0], [3.0, 4.0]], b=1.0)
    np.testing.assert_array_equal(image, before)


# --------------------------------------------------------------------------
# conv2d: bad input gives a clear error
# --------------------------------------------------------------------------

CONV2D_ERRORS = [
    # (x, w, keyword arguments, error, message)
    (
        np.ones((4, 4)),
        np.ones((5, 5)),
        {},
        ValueError,
        r"kernel \(5, 5\) is larger than the padded image \(4, 4\); a valid convolution needs "
        r"kernel <= image in both dimensions",
    ),
    (
        np.ones((4, 4)),
        np.ones((7, 3)),
        {"padding": 1},
        ValueError,
        r"kernel \(7, 3\) is larger than the padded image \(6, 6\)",
    ),
    (
        np.ones((5, 5, 3)),
        np.ones((4, 3, 3, 1)),
        {},
        ValueError,
        r"image has 3 channels but filters expect 1 \(filters are \(F, kh, kw, C\)",
    ),
    (np.ones((5, 5)), np.ones((4, 3, 3, 3)), {}, ValueError, r"image has 1 channels but filters expect 3"),
    (
        np.ones(5),
        np.ones((3, 3)),
        {},
        ValueError,
        r"x must be an image \(H, W\), an image with channels \(H, W, C\) or a batch "
        r"\(N, H, W, C\); got an array of shape \(5,\)",
    ),
    (
        np.ones((1, 2, 5, 5, 1)),
        np.ones((1, 3, 3, 1)),
        {},
        ValueError,
        r"got an array of shape \(1, 2, 5, 5, 1\)",
    ),
    (
        np.ones((5, 5, 1)),
        np.ones((3, 3, 1)),
        {},
        ValueError,
        r"w must be a kernel \(kh, kw\) or a filter bank \(F, kh, kw, C\); got an array of "
        r"shape \(3, 3, 1\)",
    ),
    (
        np.ones((5, 5, 1)),
        np.ones((3, 3)),
        {},
        ValueError,
        r"a single kernel w of shape \(kh, kw\) needs a single-channel image x of shape "
        r"\(H, W\); got x of shape \(5, 5, 1\)",
    ),
    (
        np.ones((5, 5, 1)),
        np.ones((0, 3, 3, 1)),
        {},
        ValueError,
        r"w must not have an empty axis; got shape \(0, 3, 3, 1\)",
    ),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"stride": 0},
        ValueError,
        r"stride must be >= 1 \(1 means every position\); got 0",
    ),
    (np.ones((5, 5)), np.ones((3, 3)), {"stride": (1, 0)}, ValueError, r"stride must be >= 1"),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"stride": 1.5},
        TypeError,
        r"stride must be an int or a pair of ints \(rows, cols\); got 1\.5",
    ),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"stride": (1, 2, 3)},
        TypeError,
        r"stride must be an int or a pair of ints",
    ),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"padding": -1},
        ValueError,
        r"padding must be >= 0 \(the number of zero rows/columns added on each side\); got -1",
    ),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"padding": True},
        TypeError,
        r"padding must be an int or a pair of ints",
    ),
    (
        np.ones((5, 5, 2)),
        np.ones((4, 3, 3, 2)),
        {"b": np.ones(3)},
        ValueError,
        r"b must have shape \(F,\) = \(4,\), one bias per filter; got shape \(3,\)",
    ),
    (
        np.ones((5, 5, 2)),
        np.ones((4, 3, 3, 2)),
        {"b": np.ones((4, 1))},
        ValueError,
        r"b must have shape \(F,\) = \(4,\), one bias per filter; got shape \(4, 1\)",
    ),
    (
        np.ones((5, 5)),
        np.ones((3, 3)),
        {"b": [1, 2]},
        ValueError,
        r"b for a single kernel \(kh, kw\) must be one number; got shape \(2,\)",
    ),
    (
        [["a", "b"], ["c", "d"]],
        np.ones((1, 1)),
        {},
        TypeError,
        r"x must contain real numbers \(bool, int or float\); got an array of dtype <U1",
    ),
    (
        np.ones((3, 3), dtype=object),
        np.ones((1, 1)),
        {},
        TypeError,
        r"x must contain real numbers .* dtype object",
    ),
    (
        np.ones((3, 3)),
        np.ones((1, 1)) * 1j,
        {},
        TypeError,
        r"w must contain real numbers .* dtype complex128",
    ),
    (
        [[1, 2], [3]],
        np.ones((1, 1)),
        {},
        ValueError,
        r"x must be a rectangular array of numbers; could not convert it",
    ),
    (np.ones((3, 3)), np.ones((1, 1)), {"b": "1"}, TypeError, r"b must contain real numbers"),
]


@pytest.mark.parametrize("fn", [conv2d, conv2d_loops])
@pytest.mark.parametrize(("x", "w", "kwargs", "error", "message"), CONV2D_ERRORS)
def test_conv2d_bad_input_gives_a_clear_error(fn, x, w, kwargs, error, message):
    with pytest.raises(error, match=message):
        fn(x, w, **kwargs)


# --------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------


def test_relu_examples():
    np.testing.assert_array_equal(relu([-2, -0.5, 0, 0.5, 3]), [0, 0, 0, 0.5, 3])
    np.testing.assert_array_equal(relu_loops([[-1, 2], [3, -4]]), [[0, 2], [3, 0]])


@SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from(DTYPES),
    shape=st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple),
)
def test_relu_matches_loops(seed, dtype, shape):
    x = random_array(np.random.default_rng(seed), shape, dtype)
    fast = relu(x)
    np.testing.assert_array_equal(fast, relu_loops(x))
    assert fast.dtype == (np.float32 if dtype == np.float32 else np.float64)
    assert (fast >= 0).all()


def test_leaky_relu_lets_a_little_of_the_negative_side_through():
    np.testing.assert_allclose(leaky_relu([-100.0, -1.0, 0.0, 2.0]), [-1.0, -0.01, 0.0, 2.0])
    np.testing.assert_allclose(leaky_relu([-2, 3], slope=0.1), [-0.2, 3.0])
    x = np.random.default_rng(5).standard_normal(50)
    np.testing.assert_array_equal(leaky_relu(x, slope=0), relu(x))


@pytest.mark.parametrize(
    ("slope", "error", "message"),
    [
        ("0.1", TypeError, r"slope must be a real number; got '0\.1'"),
        (True, TypeError, r"slope must be a real number; got True"),
        (None, TypeError, r"slope must be a real number; got None"),
        (float("nan"), ValueError, r"slope must be finite; got nan"),
        (float("-inf"), ValueError, r"slope must be finite; got -inf"),
    ],
)
def test_leaky_relu_rejects_a_bad_slope(slope, error, message):
    with pytest.raises(error, match=message):
        leaky_relu([1.0], slope=slope)


def test_sigmoid_examples_and_symmetry():
    np.testing.assert_allclose(sigmoid([0.0, np.log(3.0)]), [0.5, 0.75])
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)
    np.testing.assert_allclose(sigmoid(x), scipy.special.expit(x), rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_for_large_inputs(dtype):
    x = np.array([-1e4, -1000, -100, 0, 100, 1000, 1e4], dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # a warning would fail
        y = sigmoid(x)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y[[0, 3, -1]], [0, 0.5, 1])
    if dtype == np.float64:
        np.testing.assert_allclose(y[2], np.exp(-100.0), rtol=1e-12)  # tiny, not rounded to 0


def test_softmax_worked_example():
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax([1, 2, 3]), e / e.sum())
    # a large common offset changes nothing and does not overflow
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        np.testing.assert_allclose(softmax([1001.0, 1002.0, 1003.0]), e / e.sum())
        np.testing.assert_allclose(softmax(np.array([1000, 0], np.float32)), [1, 0])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), axis=st.integers(-2, 1), scale=st.sampled_from([1.0, 100.0, 1e4]))
def test_softmax_rows_sum_to_one_and_match_scipy(seed, axis, scale):
    x = np.random.default_rng(seed).standard_normal((4, 5)) * scale
    p = softmax(x, axis=axis)
    assert (p >= 0).all()
    np.testing.assert_allclose(p.sum(axis=axis), 1.0)
    np.testing.assert_allclose(p, scipy.special.softmax(x, axis=axis), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(softmax(x + 123.0, axis=axis), p, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize("fn", [relu, relu_loops, leaky_relu, sigmoid, softmax])
def test_activations_keep_float32_and_never_modify_the_input(fn):
    x = np.array([[-3.0, 0.5], [2.0, -0.25]], np.float32)
    before = x.copy()
    x.flags.writeable = False
    assert fn(x).dtype == np.float32
    np.testing.assert_array_equal(x, before)
    assert fn(x.astype(np.int64)).dtype == np.float64


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: softmax([1.0, 2.0], axis=1),
            ValueError,
            r"axis must be an int in \[-1, 0\] for an array of shape \(2,\); got 1",
        ),
        (lambda: softmax(3.0), ValueError, r"softmax needs an array with at least one axis"),
        (
            lambda: softmax(np.ones((2, 0))),
            ValueError,
            r"softmax needs at least one score along axis -1; got shape \(2, 0\)",
        ),
        (lambda: relu(["a"]), TypeError, r"x must contain real numbers"),
        (lambda: sigmoid([1j]), TypeError, r"x must contain real numbers .* complex128"),
        (lambda: leaky_relu([[1], [2, 3]]), ValueError, r"x must be a rectangular array"),
    ],
)
def test_activations_bad_input_gives_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --------------------------------------------------------------------------
# Pooling
# --------------------------------------------------------------------------


def test_pooling_worked_example_drops_partial_windows():
    feature_map = [
        [1, 2, 0, 7, 9],
        [3, 4, 5, 1, 9],
        [0, 0, 8, 2, 9],
        [6, 2, 0, 0, 9],
        [9, 9, 9, 9, 9],
    ]
    # 2x2 windows side by side; the last row and column only make partial
    # windows and are dropped, so 5x5 gives 2x2.
    np.testing.assert_array_equal(max_pool2d(feature_map), [[4, 7], [6, 8]])
    np.testing.assert_array_equal(avg_pool2d(feature_map), [[10 / 4, 13 / 4], [8 / 4, 10 / 4]])
    np.testing.assert_array_equal(max_pool2d_loops(feature_map), [[4, 7], [6, 8]])
    np.testing.assert_array_equal(avg_pool2d_loops(feature_map), [[10 / 4, 13 / 4], [8 / 4, 10 / 4]])
    # overlapping 3x3 windows, stride 1
    np.testing.assert_array_equal(
        max_pool2d(feature_map, size=3, stride=1), [[8, 8, 9], [8, 8, 9], [9, 9, 9]]
    )


@st.composite
def pool_cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ndim = draw(st.sampled_from([2, 3, 4]))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    shape = {
        2: (h, w),
        3: (h, w, draw(st.integers(1, 3))),
        4: (draw(st.integers(1, 3)), h, w, draw(st.integers(1, 3))),
    }[ndim]
    size = (draw(st.integers(1, h)), draw(st.integers(1, w)))
    size = draw(st.sampled_from([size, size[0]])) if size[0] == size[1] else size
    stride = draw(st.sampled_from([None, (draw(st.integers(1, 3)), draw(st.integers(1, 3)))]))
    x = random_array(rng, shape, draw(st.sampled_from(DTYPES)))
    return x, size, stride


@SETTINGS
@given(pool_cases())
def test_pooling_matches_loops(case):
    x, size, stride = case
    for fast, slow in ((max_pool2d, max_pool2d_loops), (avg_pool2d, avg_pool2d_loops)):
        out = fast(x, size, stride)
        expected = slow(x, size, stride)
        assert out.ndim == x.ndim
        assert out.dtype == expected.dtype
        assert_close(out, expected)


@SETTINGS
@given(pool_cases())
def test_max_pool_is_at_least_avg_pool(case):
    x, size, stride = case
    assert (max_pool2d(x, size, stride) >= avg_pool2d(x, size, stride) - 1e-6).all()


@SETTINGS
@given(
    value=st.floats(-1e6, 1e6),
    size=st.integers(1, 4),
    stride=st.integers(1, 3),
    dtype=st.sampled_from([np.float32, np.float64]),
)
def test_pooling_a_constant_map_gives_the_constant(value, size, stride, dtype):
    constant = np.full((2, 8, 7, 3), value, dtype)
    for pool in (max_pool2d, avg_pool2d):
        out = pool(constant, size, stride)
        assert out.shape == (2, output_size(8, size, stride), output_size(7, size, stride), 3)
        np.testing.assert_allclose(out, dtype(value), rtol=1e-5)


def test_pooling_dtypes_and_inputs_are_left_alone():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 6, 6, 4)).astype(np.float32)
    before = x.copy()
    x.flags.writeable = False
    for pool in (max_pool2d, avg_pool2d, max_pool2d_loops, avg_pool2d_loops):
        assert pool(x).dtype == np.float32
        assert pool(x.tolist()).dtype == np.float64  # Python floats are float64
    np.testing.assert_array_equal(x, before)
    # uint8: an average of 255s is 255, no overflow in the sum
    white = np.full((4, 4), 255, np.uint8)
    np.testing.assert_array_equal(avg_pool2d(white), [[255.0, 255.0], [255.0, 255.0]])
    assert max_pool2d(white).dtype == np.float64


@pytest.mark.parametrize("pool", [max_pool2d, avg_pool2d, max_pool2d_loops, avg_pool2d_loops])
@pytest.mark.parametrize(
    ("x", "kwargs", "error", "message"),
    [
        (
            np.ones((3, 3)),
            {"size": 4},
            ValueError,
            r"pooling window \(4, 4\) is larger than the image \(3, 3\); the window must fit",
        ),
        (
            np.ones((2, 5, 3, 1)),
            {"size": (2, 4)},
            ValueError,
            r"pooling window \(2, 4\) is larger than the image \(5, 3\)",
        ),
        (np.ones((4, 4)), {"size": 0}, ValueError, r"size must be >= 1"),
        (np.ones((4, 4)), {"stride": 0}, ValueError, r"stride must be >= 1"),
        (np.ones((4, 4)), {"size": 2.0}, TypeError, r"size must be an int or a pair of ints"),
        (np.ones(4), {}, ValueError, r"x must be an image \(H, W\), .*got an array of shape \(4,\)"),
        ([["a"]], {}, TypeError, r"x must contain real numbers"),
    ],
)
def test_pooling_bad_input_gives_a_clear_error(pool, x, kwargs, error, message):
    with pytest.raises(error, match=message):
        pool(x, **kwargs)
