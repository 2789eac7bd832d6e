"""Tests of cnnlib.colour: lesson 02's reference answers, by hand and against plain loops."""

import numpy as np
import pytest

from cnnlib import colour

# Two rows of two pixels: red and green on top, blue and white below.
FLAG = np.array([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]], dtype=np.uint8)


def _random_images(seed: int, count: int = 20, channels=(3,)):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        shape = (int(rng.integers(1, 7)), int(rng.integers(1, 7)), int(rng.choice(channels)))
        yield rng.integers(0, 256, size=shape, dtype=np.uint8)


# ------------------------------------------------------------------ split and stack


def test_split_channels_by_hand():
    red, green, blue = colour.split_channels(FLAG)
    np.testing.assert_array_equal(red, [[255, 0], [0, 255]])
    np.testing.assert_array_equal(green, [[0, 255], [0, 255]])
    np.testing.assert_array_equal(blue, [[0, 0], [255, 255]])
    assert red.dtype == np.uint8


def test_split_channels_returns_views_into_the_image():
    image = FLAG.copy()
    red, _, _ = colour.split_channels(image)
    assert np.shares_memory(red, image)


def test_split_channels_matches_a_loop_over_every_pixel():
    for image in _random_images(0):
        height, width, _ = image.shape
        grids = colour.split_channels(image)
        assert isinstance(grids, tuple) and len(grids) == 3
        for k, grid in enumerate(grids):
            expected = [[int(image[r, c, k]) for c in range(width)] for r in range(height)]
            assert grid.tolist() == expected


@pytest.mark.parametrize(
    "shape,message",
    [
        ((3, 4, 5), r"got shape \(3, 4, 5\); it looks channels-first \(3, H, W\): convert it with to_hwc"),
        ((4, 5), r"must be a colour image of shape \(H, W, 3\), channels R, G, B last, got shape \(4, 5\)"),
        ((4, 5, 4), r"got shape \(4, 5, 4\)$"),
    ],
)
def test_split_channels_explains_a_wrong_shape(shape, message):
    with pytest.raises(ValueError, match=message):
        colour.split_channels(np.zeros(shape))


def test_split_channels_refuses_text():
    with pytest.raises(TypeError, match="image must hold numbers"):
        colour.split_channels(np.full((1, 1, 3), "a"))


def test_stack_channels_by_hand_puts_red_first_and_keeps_the_dtype():
    image = colour.stack_channels(
        np.array([[255]], dtype=np.uint8), np.array([[128]], dtype=np.uint8), np.array([[0]], dtype=np.uint8)
    )
    assert image.shape == (1, 1, 3) and image.dtype == np.uint8
    assert image[0, 0].tolist() == [255, 128, 0]


def test_stack_channels_undoes_split_channels_and_returns_a_new_array():
    for image in _random_images(1):
        grids = colour.split_channels(image)
        stacked = colour.stack_channels(*grids)
        np.testing.assert_array_equal(stacked, image)
        assert not np.shares_memory(stacked, image)


def test_stack_channels_explains_mismatched_or_wrong_grids():
    with pytest.raises(ValueError, match=r"same shape, got red \(2, 2\), green \(2, 3\), blue \(2, 2\)"):
        colour.stack_channels(np.zeros((2, 2)), np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"green must be a 2-D grid \(H, W\), got shape \(2, 2, 1\)"):
        colour.stack_channels(np.zeros((2, 2)), np.zeros((2, 2, 1)), np.zeros((2, 2)))


# ------------------------------------------------------------------ channels first and last


def test_to_chw_by_hand():
    # red holds the pixel's number, green 100 more, blue 200 more
    number = np.arange(6).reshape(2, 3)
    image = np.stack([number, number + 100, number + 200], axis=-1)
    chw = colour.to_chw(image)
    assert chw.shape == (3, 2, 3)
    np.testing.assert_array_equal(chw[0], [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(chw[2], [[200, 201, 202], [203, 204, 205]])


def test_to_chw_and_to_hwc_match_loops_for_any_number_of_channels():
    for image in _random_images(2, channels=(1, 3, 4)):
        height, width, channels = image.shape
        chw = colour.to_chw(image)
        assert chw.shape == (channels, height, width) and chw.dtype == image.dtype
        for r in range(height):
            for c in range(width):
                for k in range(channels):
                    assert chw[k, r, c] == image[r, c, k]
        np.testing.assert_array_equal(colour.to_hwc(chw), image)


def test_to_hwc_by_hand_is_not_a_reshape():
    chw = np.arange(12).reshape(3, 2, 2)  # channel k holds 4k .. 4k + 3
    hwc = colour.to_hwc(chw)
    assert hwc[0, 0].tolist() == [0, 4, 8] and hwc[1, 1].tolist() == [3, 7, 11]
    assert not np.array_equal(hwc, chw.reshape(2, 2, 3))


@pytest.mark.parametrize("function", [colour.to_chw, colour.to_hwc])
def test_layout_changes_want_three_axes(function):
    with pytest.raises(ValueError, match=r"image must be 3-D, .* got an array with shape \(4, 5\)"):
        function(np.zeros((4, 5)))


# ------------------------------------------------------------------ grayscale


def test_grayscale_by_hand():
    pure = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], dtype=np.uint8)
    np.testing.assert_allclose(colour.grayscale(pure), [[76.245, 149.685, 29.07]], rtol=0, atol=1e-12)
    one_unit = np.eye(3, dtype=np.uint8)[np.newaxis]
    np.testing.assert_allclose(colour.grayscale(one_unit), [colour.LUMINANCE], rtol=0, atol=1e-15)


def test_grayscale_keeps_fractions_in_float64_and_gray_pixels_keep_their_value():
    levels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    gray = colour.grayscale(np.stack([levels] * 3, axis=-1))
    assert gray.dtype == np.float64 and gray.shape == (16, 16)
    np.testing.assert_allclose(gray, levels, rtol=0, atol=1e-9)


def test_grayscale_matches_a_loop_in_exact_thousandths():
    for image in _random_images(3):
        expected = [
            [(299 * int(p[0]) + 587 * int(p[1]) + 114 * int(p[2])) / 1000 for p in row] for row in image
        ]
        np.testing.assert_allclose(colour.grayscale(image), expected, rtol=0, atol=1e-9)


def test_grayscale_leaves_the_image_alone():
    image = FLAG.copy()
    colour.grayscale(image)
    np.testing.assert_array_equal(image, FLAG)


def test_grayscale_explains_a_gray_input():
    with pytest.raises(ValueError, match=r"shape \(H, W, 3\).*got shape \(2, 2\)"):
        colour.grayscale(np.zeros((2, 2), dtype=np.uint8))


# ------------------------------------------------------------------ red_mask

# One pixel per part of the rule R > 120, R - G > 100, R - B > 100, and whether it is strongly red.
NINE = [
    ((200, 40, 40), True),
    ((255, 255, 255), False),  # white: no margin at all
    ((130, 200, 20), False),  # green larger: R - G would wrap to 186 in uint8
    ((40, 40, 200), False),  # blue
    ((220, 20, 200), False),  # magenta: R - B is only 20
    ((120, 0, 0), False),  # R is not above 120
    ((121, 20, 20), True),  # just above every edge
    ((200, 100, 0), False),  # R - G is 100, not more
    ((110, 5, 5), False),  # dark red
]


def test_red_mask_by_hand_on_the_edges_of_the_rule():
    image = np.array([[pixel for pixel, _ in NINE]], dtype=np.uint8)
    mask = colour.red_mask(image)
    assert mask.dtype == np.bool_ and mask.shape == (1, 9)
    assert mask[0].tolist() == [red for _, red in NINE]


def test_red_mask_matches_a_loop_with_python_ints():
    rng = np.random.default_rng(4)
    for _ in range(20):
        # many pixels near the edges: R from 100 up, G and B within 150 of R
        shape = (int(rng.integers(1, 8)), int(rng.integers(1, 8)))
        red = rng.integers(100, 256, size=shape)
        green = np.clip(red - rng.integers(-150, 151, size=shape), 0, 255)
        blue = np.clip(red - rng.integers(-150, 151, size=shape), 0, 255)
        image = np.stack([red, green, blue], axis=-1).astype(np.uint8)
        expected = [[r > 120 and r - g > 100 and r - b > 100 for r, g, b in row.tolist()] for row in image]
        assert colour.red_mask(image).tolist() == expected


def test_red_mask_wants_an_8_bit_colour_image():
    with pytest.raises(TypeError, match=r"8-bit colour image \(dtype uint8, values 0..255\), got dtype float64"):
        colour.red_mask(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=r"got shape \(2, 2\)"):
        colour.red_mask(np.zeros((2, 2), dtype=np.uint8))
