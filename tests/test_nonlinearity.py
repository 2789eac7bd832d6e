"""Tests of cnnlib.nonlinearity: lesson 05's reference answers.

relu and leaky_relu are cnnlib.ops' own (tested in test_ops.py); here they are checked to be the
very same functions. combined_kernel is checked by hand, against scipy.signal.convolve2d (the full
convolution) and against its defining property with conv2d_loops; relu_gap by hand and against a
loop oracle.
"""

import numpy as np
import pytest
import scipy.signal

from cnnlib import data, nonlinearity, ops
from cnnlib.nonlinearity import combined_kernel, relu_gap


def test_relu_and_leaky_relu_are_the_ops_answers_themselves():
    assert nonlinearity.relu is ops.relu
    assert nonlinearity.leaky_relu is ops.leaky_relu
    assert getattr(nonlinearity.combined_kernel, "is_answer", False)
    assert getattr(nonlinearity.relu_gap, "is_answer", False)


# ------------------------------------------------------------------ combined_kernel


def test_combined_kernel_in_one_row_by_hand():
    # y0 = x0 + 2*x1, y1 = x1 + 2*x2; then 3*y0 + y1 = 3*x0 + 7*x1 + 2*x2
    np.testing.assert_array_equal(combined_kernel([[1, 2]], [[3, 1]]), [[3, 7, 2]])


def test_combined_kernel_of_the_seed_filter_and_a_diagonal_difference_by_hand():
    # one copy of b per weight of a: 1 at (0, 0), 2 at (0, 1), 3 at (1, 0), -1 at (1, 1)
    c = combined_kernel([[1, 2], [3, -1]], [[1, 0], [0, -1]])
    np.testing.assert_array_equal(c, [[1, 2, 0], [3, -2, -2], [0, -3, 1]])
    assert c.dtype == np.float64


def test_combined_kernel_is_the_full_convolution_not_the_correlation():
    a, b = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0]])
    c = combined_kernel(a, b)
    np.testing.assert_allclose(c, scipy.signal.convolve2d(a, b, mode="full"))
    assert not np.allclose(c, scipy.signal.correlate2d(a, b, mode="full"))


@pytest.mark.parametrize("seed", range(5))
def test_two_filters_in_a_row_equal_one_filter_with_the_combined_kernel(seed):
    rng = np.random.default_rng(seed)
    kh, kw, lh, lw = (int(v) for v in rng.integers(1, 5, size=4))
    a, b = rng.normal(size=(kh, kw)), rng.normal(size=(lh, lw))
    image = rng.normal(size=(kh + lh + int(rng.integers(0, 4)), kw + lw + int(rng.integers(0, 4))))
    two_filters = ops.conv2d_loops(ops.conv2d_loops(image, a), b)
    one_filter = ops.conv2d_loops(image, combined_kernel(a, b))
    np.testing.assert_allclose(one_filter, two_filters, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(combined_kernel(a, b), scipy.signal.convolve2d(a, b), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(combined_kernel(a, b), combined_kernel(b, a), rtol=1e-12, atol=1e-14)


def test_combined_kernel_keeps_float32_and_leaves_its_inputs_alone():
    a = np.array([[1.0, -2.0]], dtype=np.float32)
    b = np.array([[0.5], [2.0]], dtype=np.float32)
    before = a.copy(), b.copy()
    c = combined_kernel(a, b)
    assert c.dtype == np.float32
    np.testing.assert_array_equal(c, [[0.5, -1.0], [2.0, -4.0]])
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(b, before[1])


@pytest.mark.parametrize(
    "a,b,error,message",
    [
        (np.ones(3), np.ones((2, 2)), ValueError, r"a must be the first kernel \(kh, kw\), a 2-D array; got an array of shape \(3,\)"),
        (np.ones((2, 2)), np.ones((2, 2, 1)), ValueError, r"b must be the second kernel \(lh, lw\), a 2-D array"),
        (np.ones((0, 2)), np.ones((2, 2)), ValueError, r"a must not be empty; got shape \(0, 2\)"),
        (np.array([["x"]]), np.ones((2, 2)), TypeError, "a must hold real numbers"),
        ([[1, 2], [3]], np.ones((2, 2)), ValueError, "a must be a rectangular 2-D array of numbers"),
    ],
)
def test_combined_kernel_explains_bad_input(a, b, error, message):
    with pytest.raises(error, match=message):
        combined_kernel(a, b)


# ------------------------------------------------------------------ relu_gap


def _gap_by_loops(image, a, b) -> float:
    """The definition spelled out with cnnlib's loop twins: a test oracle."""
    two = ops.conv2d_loops(ops.relu_loops(ops.conv2d_loops(image, a)), b)
    one = ops.conv2d_loops(image, scipy.signal.convolve2d(np.asarray(a, float), np.asarray(b, float)))
    return float(np.abs(two - one).max())


def test_relu_gap_by_hand():
    # first map [9, -9, 0, 0], ReLU [9, 0, 0, 0], then b: [-18, 0, 0];
    # combined kernel [2, -3, 1]: [-27, 18, 0]; differences [9, -18, 0]
    assert relu_gap([[0, 9, 0, 0, 0]], [[-1, 1]], [[-2, 1]]) == 18.0


def test_relu_gap_is_zero_when_the_first_map_has_nothing_negative():
    assert relu_gap([[1, 2, 3, 4]], [[1, 1]], [[2, 1]]) == 0.0
    # a sum first: the smiley's values are >= 0, so its 2x2 sums are too, whatever b is
    assert relu_gap(data.smiley(), np.ones((2, 2)), [[-1, 1]]) == pytest.approx(0.0, abs=1e-12)


def test_relu_gap_depends_on_the_order_of_the_filters_although_the_combined_kernel_does_not():
    edge, total = np.array([[-1, 1]]), np.ones((2, 2))
    assert relu_gap(data.smiley(), edge, total) == 16.0
    assert relu_gap(data.smiley(), total, edge) == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_relu_gap_matches_the_loop_oracle(seed):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, size=(9, 8))
    a, b = rng.integers(-3, 4, size=(2, 3)), rng.normal(size=(3, 2))
    gap = relu_gap(image, a, b)
    assert isinstance(gap, float)
    assert gap == pytest.approx(_gap_by_loops(image, a, b), rel=1e-12, abs=1e-9)


def test_relu_gap_explains_an_image_too_small_for_both_kernels():
    with pytest.raises(ValueError, match=r"image \(2, 5\) is too small for kernels \(2, 2\) and \(2, 1\).*at least 3 rows"):
        relu_gap(np.ones((2, 5)), np.ones((2, 2)), np.ones((2, 1)))


def test_relu_gap_explains_a_colour_image():
    with pytest.raises(ValueError, match=r"image must be a single-channel image \(H, W\)"):
        relu_gap(np.ones((5, 5, 3)), np.ones((2, 2)), np.ones((2, 2)))
