"""Tests of cnnlib.convolution: lesson 04's answers window_sum, conv2d_valid, conv2d, which_edges.

Values a person can check by hand first, then random cases against independent oracles: plain
loops written here, scipy.signal.correlate2d, and cnnlib.ops.conv2d_loops.
"""

import numpy as np
import pytest
from scipy.signal import convolve2d, correlate2d

from cnnlib import convolution, data, ops

FILTER = np.array([[1, 2], [3, -1]])


def _loops(image, kernel, stride=1, padding=0):
    """The definition, one product at a time, on an explicitly padded copy."""
    image = np.asarray(image, dtype=np.float64)
    padded = np.zeros((image.shape[0] + 2 * padding, image.shape[1] + 2 * padding))
    padded[padding : padding + image.shape[0], padding : padding + image.shape[1]] = image
    kh, kw = kernel.shape
    rows = (padded.shape[0] - kh) // stride + 1
    cols = (padded.shape[1] - kw) // stride + 1
    out = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            for i in range(kh):
                for j in range(kw):
                    out[r, c] += padded[r * stride + i, c * stride + j] * kernel[i, j]
    return out


# ------------------------------------------------------------------ window_sum


def test_window_sum_on_the_smiley_by_hand():
    smiley = data.smiley()
    assert convolution.window_sum(smiley, FILTER, 0, 0) == 0 * 1 + 0 * 2 + 0 * 3 + 2 * -1 == -2
    assert convolution.window_sum(smiley, FILTER, 1, 1) == 2 * 1 + 2 * 2 + 2 * 3 + 9 * -1 == 3
    assert convolution.window_sum(smiley, FILTER, 2, 4) == 2 * 1 + 9 * 2 + 2 * 3 + 9 * -1 == 17


def test_window_sum_uses_row_for_the_first_index_and_the_top_left_corner():
    image = np.arange(20).reshape(4, 5)  # value = 5 * row + column
    assert convolution.window_sum(image, np.array([[1]]), 3, 1) == 16
    assert convolution.window_sum(image, np.array([[1, 0, 0]]), 2, 2) == 12


def test_window_sum_of_uint8_does_not_wrap_and_returns_a_float():
    image = np.full((2, 2), 200, dtype=np.uint8)
    value = convolution.window_sum(image, np.array([[3, 3], [3, 3]], dtype=np.uint8), 0, 0)
    assert value == 2400.0 and isinstance(value, float)


def test_window_sum_is_each_cell_of_a_valid_convolution():
    rng = np.random.default_rng(4)
    image, kernel = rng.normal(size=(7, 9)), rng.normal(size=(3, 4))
    expected = correlate2d(image, kernel, mode="valid")
    for (r, c), value in np.ndenumerate(expected):
        assert convolution.window_sum(image, kernel, r, c) == pytest.approx(value)


@pytest.mark.parametrize(
    "args,error,message",
    [
        (
            (np.zeros((4, 4)), FILTER, 3, 0),
            ValueError,
            r"a 2x2 window at row 3, column 0 does not fit .* last window starts at row 2, column 2",
        ),
        ((np.zeros((4, 4)), FILTER, -1, 0), ValueError, "row must be >= 0; got -1"),
        ((np.zeros((4, 4)), FILTER, 1.0, 0), TypeError, r"row must be a whole number \(an int\); got 1.0"),
        (
            (np.zeros((4, 4, 3)), FILTER, 0, 0),
            ValueError,
            "image must be 2-D .* colour images and filter banks come in lesson 07",
        ),
        ((np.zeros((1, 4)), FILTER, 0, 0), ValueError, r"kernel \(2, 2\) is larger than the image \(1, 4\)"),
        ((np.array([["a", "b"]]), FILTER, 0, 0), TypeError, "image must hold real numbers"),
    ],
)
def test_window_sum_explains_bad_input(args, error, message):
    with pytest.raises(error, match=message):
        convolution.window_sum(*args)


# ------------------------------------------------------------------ conv2d_valid


def test_conv2d_valid_by_hand():
    out = convolution.conv2d_valid(np.arange(1, 10).reshape(3, 3), FILTER)
    # 1*1 + 2*2 + 4*3 + 5*(-1) = 12, and each step right adds 5, each step down adds 15
    np.testing.assert_array_equal(out, [[12, 17], [27, 32]])
    assert out.dtype == np.float64


def test_conv2d_valid_on_the_smiley_is_7x7_and_keeps_negative_values():
    out = convolution.conv2d_valid(data.smiley(), FILTER)
    assert out.shape == (7, 7)
    assert out[0, 0] == -2 and out[1, 1] == 3 and out[2, 4] == 17
    assert out.min() == -2 and out.max() == 45


def test_conv2d_valid_is_cross_correlation_not_the_flipped_convolution():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(6, 8)), rng.normal(size=(3, 2))
    out = convolution.conv2d_valid(image, kernel)
    np.testing.assert_allclose(out, correlate2d(image, kernel, mode="valid"))
    np.testing.assert_allclose(out, convolve2d(image, kernel[::-1, ::-1], mode="valid"))
    assert not np.allclose(out, convolve2d(image, kernel, mode="valid"))


@pytest.mark.parametrize("seed", range(5))
def test_conv2d_valid_matches_loops_on_random_cases(seed):
    rng = np.random.default_rng(seed)
    h, w = rng.integers(1, 12, size=2)
    kh, kw = rng.integers(1, h + 1), rng.integers(1, w + 1)
    image = rng.integers(0, 256, size=(h, w), dtype=np.uint8)
    kernel = rng.integers(-4, 5, size=(kh, kw))
    np.testing.assert_array_equal(convolution.conv2d_valid(image, kernel), _loops(image, kernel))


def test_conv2d_valid_keeps_float32():
    out = convolution.conv2d_valid(np.ones((4, 4), np.float32), np.ones((2, 2), np.float32))
    assert out.dtype == np.float32 and out.shape == (3, 3)


def test_conv2d_valid_refuses_a_kernel_larger_than_the_image():
    with pytest.raises(ValueError, match=r"kernel \(3, 3\) is larger than the image \(2, 5\)"):
        convolution.conv2d_valid(np.zeros((2, 5)), np.ones((3, 3)))


# ------------------------------------------------------------------ output_size and conv2d


def test_output_size_is_cnnlib_ops_output_size():
    assert convolution.output_size is ops.output_size
    assert convolution.output_size(8, 2) == 7
    assert convolution.output_size(8, 3, stride=2) == 3  # windows at 0, 2, 4; 6 would stick out
    assert convolution.output_size(28, 3, stride=2, padding=1) == 14


def test_conv2d_with_padding_by_hand():
    out = convolution.conv2d(np.array([[1, 2], [3, 4]]), np.ones((2, 2)), padding=1)
    np.testing.assert_array_equal(out, [[1, 3, 2], [4, 10, 6], [3, 7, 4]])


def test_conv2d_with_stride_takes_every_other_window():
    image = np.arange(25).reshape(5, 5)
    full = convolution.conv2d_valid(image, FILTER)
    np.testing.assert_array_equal(convolution.conv2d(image, FILTER, stride=2), full[::2, ::2])
    assert convolution.conv2d(image, FILTER, stride=2).shape == (2, 2)  # row 4 is never reached


def test_conv2d_without_stride_and_padding_is_conv2d_valid():
    image = data.smiley()
    np.testing.assert_array_equal(convolution.conv2d(image, FILTER), convolution.conv2d_valid(image, FILTER))


@pytest.mark.parametrize("seed", range(6))
def test_conv2d_matches_loops_and_the_output_size_formula(seed):
    rng = np.random.default_rng(100 + seed)
    h, w = rng.integers(1, 12, size=2)
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    kh = int(rng.integers(1, h + 2 * padding + 1))
    kw = int(rng.integers(1, w + 2 * padding + 1))
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    out = convolution.conv2d(image, kernel, stride=stride, padding=padding)
    np.testing.assert_allclose(out, _loops(image, kernel, stride, padding), atol=1e-12)
    np.testing.assert_allclose(
        out, ops.conv2d_loops(image, kernel, stride=stride, padding=padding), atol=1e-12
    )
    assert out.shape == (
        convolution.output_size(h, kh, stride, padding),
        convolution.output_size(w, kw, stride, padding),
    )


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        (dict(stride=0), ValueError, "stride must be >= 1; got 0"),
        (dict(padding=-1), ValueError, "padding must be >= 0; got -1"),
        (dict(stride=1.5), TypeError, r"stride must be a whole number \(an int\); got 1.5"),
    ],
)
def test_conv2d_explains_bad_stride_and_padding(kwargs, error, message):
    with pytest.raises(error, match=message):
        convolution.conv2d(np.zeros((4, 4)), FILTER, **kwargs)


def test_conv2d_says_when_the_kernel_only_fits_with_padding():
    assert convolution.conv2d(np.zeros((3, 3)), np.ones((4, 4)), padding=1).shape == (2, 2)
    with pytest.raises(ValueError, match=r"larger than the image padded by 1 \(4, 4\)"):
        convolution.conv2d(np.zeros((2, 2)), np.ones((5, 5)), padding=1)


# ------------------------------------------------------------------ which_edges


SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])


@pytest.mark.parametrize(
    "kernel,direction",
    [
        ([[-1, 1]], "vertical"),
        ([[1, -1]], "vertical"),
        ([[-1], [1]], "horizontal"),
        (SOBEL_X, "vertical"),
        (SOBEL_X.T, "horizontal"),
        (-0.01 * SOBEL_X, "vertical"),
        ([[1, 2], [-2, -1]], "horizontal"),  # its largest response (-3) is negative
    ],
)
def test_which_edges_by_hand(kernel, direction):
    assert convolution.which_edges(np.array(kernel)) == direction


def test_which_edges_agrees_with_the_filter_on_a_photo_patch():
    """On a patch with one strong vertical edge, the 'vertical' filter responds more."""
    patch = np.zeros((20, 20))
    patch[:, 10:] = 200
    rng = np.random.default_rng(3)
    patch += rng.normal(scale=5, size=patch.shape)
    for kernel in (SOBEL_X, SOBEL_X.T):
        strength = np.abs(convolution.conv2d_valid(patch, kernel)).max()
        other = np.abs(convolution.conv2d_valid(patch.T, kernel)).max()
        assert (strength > other) == (convolution.which_edges(kernel) == "vertical")


def test_edge_probes_are_a_vertical_and_a_horizontal_step():
    vertical, horizontal = convolution.edge_probes((3, 3))
    assert vertical.shape == (8, 8)
    np.testing.assert_array_equal(vertical[0], [0, 0, 0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(horizontal, vertical.T)


@pytest.mark.parametrize(
    "kernel,message",
    [
        (np.full((3, 3), 1 / 9), "adds up to 1, not 0"),
        (np.zeros((2, 2)), "all zeros"),
        (np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), "about equally"),
        (np.array([[1, 0], [0, -1]]), "about equally"),
    ],
)
def test_which_edges_refuses_filters_that_are_not_edge_filters_of_one_direction(kernel, message):
    with pytest.raises(ValueError, match=message):
        convolution.which_edges(kernel)
