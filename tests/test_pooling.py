"""Tests of cnnlib.pooling: lesson 06's reference answers max_pool2d, avg_pool2d and conv_relu_pool."""

import numpy as np
import pytest

from cnnlib import data, ops, pooling


def _pool_by_hand(feature_map, size, stride, combine):
    """An oracle independent of cnnlib: plain Python over whole windows only."""
    array = np.asarray(feature_map, dtype=np.float64)
    if array.ndim == 2:
        array = array[:, :, None]
    rows = [r for r in range(array.shape[0]) if r + size <= array.shape[0]][::stride]
    cols = [c for c in range(array.shape[1]) if c + size <= array.shape[1]][::stride]
    out = np.empty((len(rows), len(cols), array.shape[2]))
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            for ch in range(array.shape[2]):
                values = [array[r + a, c + b, ch] for a in range(size) for b in range(size)]
                out[i, j, ch] = combine(values)
    return out[:, :, 0] if np.ndim(feature_map) == 2 else out


def _mean(values):
    return sum(values) / len(values)


HAND = np.array([[1, 3, 2, 0], [5, 4, 1, 1], [0, 2, 7, 8], [6, 1, 3, 2]])


def test_max_pool_by_hand_keeps_the_largest_of_each_2x2_block():
    np.testing.assert_array_equal(pooling.max_pool2d(HAND), [[5, 2], [6, 8]])


def test_avg_pool_by_hand_averages_each_2x2_block():
    np.testing.assert_array_equal(pooling.avg_pool2d(HAND), [[3.25, 1.0], [2.25, 5.0]])
    assert pooling.avg_pool2d(HAND).dtype == np.float64


def test_a_negative_window_keeps_its_largest_negative_value():
    signed = np.array([[-3, -1], [-2, -5]])
    assert pooling.max_pool2d(signed)[0, 0] == -1
    assert pooling.avg_pool2d(signed)[0, 0] == -2.75


def test_the_leftover_row_and_column_of_a_5x5_map_are_dropped():
    five = np.arange(25).reshape(5, 5)  # value = 5 * row + column
    np.testing.assert_array_equal(pooling.max_pool2d(five), [[6, 8], [16, 18]])
    # the 24 in the corner is in no whole window, so it appears nowhere
    assert pooling.max_pool2d(five).max() == 18


def test_stride_1_makes_the_windows_overlap():
    wide = np.array([[1, 5, 2, 0], [4, 2, 8, 1]])
    np.testing.assert_array_equal(pooling.max_pool2d(wide, size=2, stride=1), [[5, 8, 8]])
    np.testing.assert_array_equal(pooling.avg_pool2d(wide, size=2, stride=1), [[3, 4.25, 2.75]])


def test_a_stack_of_maps_is_pooled_map_by_map():
    stack = np.stack([HAND, -HAND], axis=2)
    pooled = pooling.max_pool2d(stack)
    assert pooled.shape == (2, 2, 2)
    np.testing.assert_array_equal(pooled[:, :, 0], [[5, 2], [6, 8]])
    np.testing.assert_array_equal(pooled[:, :, 1], [[-1, 0], [0, -2]])


@pytest.mark.parametrize("function,combine", [(pooling.max_pool2d, max), (pooling.avg_pool2d, _mean)])
def test_pooling_matches_plain_python_on_random_maps(function, combine):
    rng = np.random.default_rng(6)
    for _ in range(40):
        shape = tuple(int(v) for v in rng.integers(1, 9, size=2)) + (
            (int(rng.integers(1, 4)),) if rng.random() < 0.3 else ()
        )
        size = int(rng.integers(1, min(shape[:2]) + 1))
        stride = int(rng.integers(1, 4))
        feature_map = rng.normal(size=shape)
        expected = _pool_by_hand(feature_map, size, stride, combine)
        np.testing.assert_allclose(function(feature_map, size, stride), expected, rtol=1e-12, atol=1e-12)


def test_the_answers_agree_with_the_loop_twins_of_ops():
    rng = np.random.default_rng(7)
    feature_map = rng.integers(-9, 10, size=(9, 7, 2))
    np.testing.assert_array_equal(
        pooling.max_pool2d(feature_map, 3, 2), ops.max_pool2d_loops(feature_map, 3, 2)
    )
    np.testing.assert_allclose(pooling.avg_pool2d(feature_map, 3, 2), ops.avg_pool2d_loops(feature_map, 3, 2))


def test_pooling_keeps_float32_and_leaves_its_input_alone():
    feature_map = np.arange(16, dtype=np.float32).reshape(4, 4)
    before = feature_map.copy()
    assert pooling.max_pool2d(feature_map).dtype == np.float32
    assert pooling.avg_pool2d(feature_map).dtype == np.float32
    np.testing.assert_array_equal(feature_map, before)


@pytest.mark.parametrize("function", [pooling.max_pool2d, pooling.avg_pool2d])
@pytest.mark.parametrize(
    "args,error,message",
    [
        (
            (np.zeros((3, 3)), 4, 4),
            ValueError,
            "a 4x4 window does not fit in a feature map of 3 rows and 3 columns",
        ),
        ((np.zeros((3, 3)), 2, 0), ValueError, "stride must be at least 1; got 0"),
        ((np.zeros((3, 3)), 2.0, 2), TypeError, r"size must be a whole number \(an int\); got 2.0"),
        (
            (np.zeros((2, 2, 2, 2)), 2, 2),
            ValueError,
            r"one map \(H, W\) or a stack of maps \(H, W, C\); got shape",
        ),
        ((np.array([["a", "b"]]), 1, 1), TypeError, "must hold real numbers"),
    ],
)
def test_pooling_explains_bad_arguments(function, args, error, message):
    with pytest.raises(error, match=message):
        function(*args)


# ------------------------------------------------------------------ the chain

ARTICLE_FILTER = np.array([[1, 2], [3, -1]])


def test_the_smiley_corner_goes_from_4x4_to_2x2_as_in_the_lesson():
    corner = data.smiley()[:5, :5]
    feature_map = ops.conv2d(corner, ARTICLE_FILTER)
    # worked by hand: the top-left window holds 0, 0 / 0, 2, so 1*0 + 2*0 + 3*0 + (-1)*2 = -2
    assert feature_map.shape == (4, 4) and feature_map[0, 0] == -2 and feature_map[2, 2] == 38
    np.testing.assert_array_equal(pooling.conv_relu_pool(corner, ARTICLE_FILTER), [[8, 31], [24, 38]])


def test_the_chain_equals_its_three_steps_by_hand_on_random_images():
    rng = np.random.default_rng(8)
    for _ in range(20):
        rows, cols = (int(v) for v in rng.integers(4, 10, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
        image, kernel = rng.normal(size=(rows, cols)), rng.normal(size=(kh, kw))
        # a valid convolution in plain Python, then ReLU, then 2x2 max pooling
        feature_map = np.array(
            [
                [
                    sum(image[r + i, c + j] * kernel[i, j] for i in range(kh) for j in range(kw))
                    for c in range(cols - kw + 1)
                ]
                for r in range(rows - kh + 1)
            ]
        )
        expected = _pool_by_hand(np.maximum(feature_map, 0), 2, 2, max)
        np.testing.assert_allclose(pooling.conv_relu_pool(image, kernel), expected, rtol=1e-12, atol=1e-12)


def test_relu_matters_when_a_whole_window_is_negative():
    edge = np.array([[1, -1], [1, -1]])
    pooled = pooling.conv_relu_pool(data.smiley(), edge)
    assert pooled[0, 0] == 0  # the window (-2, -2, -2, -7) would keep -2 without ReLU
    assert ops.max_pool2d(ops.conv2d(data.smiley(), edge))[0, 0] == -2


@pytest.mark.parametrize(
    "image,kernel,error,message",
    [
        (np.zeros((3, 3)), np.ones((3, 3)), ValueError, "leaves a feature map smaller than 2x2"),
        (
            np.zeros((3, 3, 3)),
            np.ones((2, 2)),
            ValueError,
            r"image must be 2-D \(rows, columns\); got shape \(3, 3, 3\)",
        ),
        (np.zeros((4, 4)), np.ones(2), ValueError, r"kernel must be 2-D"),
        (np.zeros((4, 4)), np.array([["x"]]), TypeError, "kernel must hold real numbers"),
    ],
)
def test_the_chain_explains_bad_arguments(image, kernel, error, message):
    with pytest.raises(error, match=message):
        pooling.conv_relu_pool(image, kernel)
