"""Tests of cnnlib.filterbanks: lesson 07's reference answers conv_layer, parameter_count, which_filter."""

import numpy as np
import pytest

from cnnlib import data, filterbanks, ops


def _loops(image, filters, biases):
    """An independent oracle: the definition, one product at a time, in Python floats."""
    n_filters, kh, kw, channels = filters.shape
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


# ------------------------------------------------------------------ conv_layer


def test_conv_layer_by_hand_on_the_smiley_with_our_first_filter():
    image = data.smiley()[0:3, 1:5, None]  # [[0, 2, 2, 2], [2, 2, 2, 2], [2, 9, 2, 2]]
    filters = np.array([[[1, 2], [3, -1]], [[1, 1], [1, 1]]])[..., None]
    out = filterbanks.conv_layer(image, filters, np.array([0, -10]))
    assert out.shape == (2, 3, 2)
    # 1*0 + 2*2 + 3*2 + (-1)*2 = 8, and the window with the eye: 1*2 + 2*2 + 3*2 + (-1)*9 = 3
    np.testing.assert_array_equal(out[:, :, 0], [[8, 10, 10], [3, 31, 10]])
    np.testing.assert_array_equal(out[:, :, 1], [[-4, -2, -2], [5, 5, -2]])  # window sums - 10


def test_conv_layer_adds_the_channels_up_and_the_bias_once():
    image = np.stack([[[1, 2], [3, 4]], [[10, 20], [30, 40]]], axis=-1)  # (2, 2, 2)
    filters = np.stack([np.ones((2, 2)), -np.ones((2, 2))], axis=-1)[None]  # channel 0 minus channel 1
    out = filterbanks.conv_layer(image, filters, np.array([0.5]))
    np.testing.assert_array_equal(out, [[[10 - 100 + 0.5]]])


def test_conv_layer_one_by_one_filters_mix_each_pixels_channels():
    image = np.array([[[1, 2, 3], [4, 5, 6]]])
    filters = np.array([[[[1, 0, 0]]], [[[0, 0, 1]]], [[[1, 1, 1]]]])
    out = filterbanks.conv_layer(image, filters, np.array([0, 0, 1]))
    np.testing.assert_array_equal(out, [[[1, 3, 7], [4, 6, 16]]])


@pytest.mark.parametrize(
    "image_shape,filters_shape,dtype",
    [
        ((6, 7, 3), (4, 3, 3, 3), np.float64),
        ((5, 9, 2), (3, 2, 4, 2), np.float64),
        ((8, 8, 1), (5, 8, 8, 1), np.float32),
    ],
)
def test_conv_layer_agrees_with_plain_loops(image_shape, filters_shape, dtype):
    rng = np.random.default_rng(sum(image_shape))
    image = rng.normal(size=image_shape).astype(dtype)
    filters = rng.normal(size=filters_shape).astype(dtype)
    biases = rng.normal(size=filters_shape[0]).astype(dtype)
    out = filterbanks.conv_layer(image, filters, biases)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, _loops(image, filters, biases), rtol=1e-5, atol=1e-5)


def test_conv_layer_on_uint8_photos_does_not_overflow_and_leaves_its_inputs_alone():
    image = np.full((3, 3, 3), 255, dtype=np.uint8)
    filters = np.full((1, 2, 2, 3), 2, dtype=np.uint8)
    before = image.copy()
    np.testing.assert_array_equal(
        filterbanks.conv_layer(image, filters, np.zeros(1)), np.full((2, 2, 1), 6120.0)
    )
    np.testing.assert_array_equal(image, before)


@pytest.mark.parametrize(
    "image,filters,biases,message",
    [
        (
            np.zeros((4, 4)),
            np.zeros((1, 2, 2, 1)),
            np.zeros(1),
            r"image must be \(H, W, C\).*use image\[:, :, None\]",
        ),
        (np.zeros((4, 4, 3)), np.zeros((2, 2, 3)), np.zeros(2), r"filters must be a bank \(F, kh, kw, C\)"),
        (np.zeros((4, 4, 3)), np.zeros((2, 2, 2, 1)), np.zeros(2), r"all 3 channels of the image.*C = 1"),
        (np.zeros((4, 4, 3)), np.zeros((2, 2, 2, 3)), np.zeros(3), r"biases must have shape \(F,\) = \(2,\)"),
        (np.zeros((4, 4, 3)), np.zeros((2, 2, 2, 3)), 0.0, r"biases must have shape \(F,\)"),
        (
            np.zeros((2, 5, 1)),
            np.zeros((1, 3, 3, 1)),
            np.zeros(1),
            r"filters of 3 x 3 do not fit in an image of 2 x 5",
        ),
    ],
)
def test_conv_layer_says_what_it_expected(image, filters, biases, message):
    with pytest.raises(ValueError, match=message):
        filterbanks.conv_layer(image, filters, biases)


def test_conv_layer_refuses_text():
    with pytest.raises(TypeError, match="image must hold real numbers"):
        filterbanks.conv_layer(np.array([[["a"]]]), np.zeros((1, 1, 1, 1)), np.zeros(1))


# ------------------------------------------------------------------ parameter_count


@pytest.mark.parametrize(
    "args,count",
    [((32, 2, 1), 160), ((32, 2, 3), 416), ((96, 11, 3), 34_944), ((1, 3, 3), 28), ((1, 1, 1), 2)],
)
def test_parameter_count_by_hand(args, count):
    result = filterbanks.parameter_count(*args)
    assert result == count and type(result) is int


def test_parameter_count_is_the_size_of_a_bank_plus_its_biases():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n_filters, size, channels = (int(v) for v in rng.integers(1, 40, size=3))
        bank, biases = np.zeros((n_filters, size, size, channels)), np.zeros(n_filters)
        assert filterbanks.parameter_count(n_filters, size, channels) == bank.size + biases.size


@pytest.mark.parametrize(
    "args,error,message",
    [
        ((0, 3, 3), ValueError, "n_filters must be at least 1, got 0"),
        ((8, 2.5, 3), TypeError, "size must be a whole number, got 2.5"),
        ((8, 3, True), TypeError, "channels must be a whole number, got True"),
    ],
)
def test_parameter_count_refuses_what_is_not_a_layer(args, error, message):
    with pytest.raises(error, match=message):
        filterbanks.parameter_count(*args)


# ------------------------------------------------------------------ which_filter


def test_which_filter_by_hand():
    image = np.array([[1, 2, 0], [3, 1, 4], [0, 2, 5]])[:, :, None]
    filters = np.array([[[1, 1], [1, 1]], [[0, 0], [0, 1]], [[1, 0], [0, 0]]])[..., None]
    assert filterbanks.which_filter(image, filters, np.array([[1, 4], [2, 5]])) == 1  # bottom-right pixels
    assert filterbanks.which_filter(image, filters, np.array([[1, 2], [3, 1]])) == 2  # top-left pixels


def test_which_filter_finds_the_closest_map_among_look_alikes_even_when_noisy():
    rng = np.random.default_rng(5)
    image = rng.integers(0, 256, size=(9, 8, 3)).astype(np.uint8)
    filters = rng.normal(size=(6, 3, 3, 3))
    filters[1] = 1.5 * filters[4]  # a stronger twin
    filters[2] = filters[4][::-1, ::-1]  # a flipped twin
    filters[3, :, :, 0] = filters[4, :, :, 0]  # the same red slice
    target = ops.conv2d_loops(image, filters)[:, :, 4]
    for noisy in (target, np.round(target, -1), target + rng.normal(scale=1.0, size=target.shape)):
        result = filterbanks.which_filter(image, filters, noisy)
        assert result == 4 and type(result) is int


def test_which_filter_says_what_shape_the_map_should_have():
    with pytest.raises(
        ValueError, match=r"feature_map must have the shape of one map, .* = \(2, 2\); got shape \(3, 3\)"
    ):
        filterbanks.which_filter(np.zeros((3, 3, 1)), np.zeros((2, 2, 2, 1)), np.zeros((3, 3)))
