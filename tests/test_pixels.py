"""Tests of cnnlib.pixels: lesson 01's reference answers make_smiley, invert, crop and brighten."""

import numpy as np
import pytest

from cnnlib import data, pixels


def test_make_smiley_with_the_course_codes_is_the_smiley():
    np.testing.assert_array_equal(pixels.make_smiley(), data.smiley())


def test_make_smiley_puts_each_code_where_the_smiley_has_its_cell():
    grid = pixels.make_smiley(background=255, face=170, features=0)
    assert grid.dtype == np.uint8
    assert grid[0, 0] == 255 and grid[0, 2] == 170 and grid[2, 2] == 0 and grid[6].tolist()[2:6] == [0] * 4


def test_make_smiley_refuses_codes_outside_0_255():
    with pytest.raises(ValueError, match=r"features must be a whole number in 0\.\.255, got 300"):
        pixels.make_smiley(features=300)


def test_invert_by_hand():
    image = np.array([[0, 100], [200, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(pixels.invert(image), [[255, 155], [55, 0]])
    assert pixels.invert(image).dtype == np.uint8


def test_invert_twice_is_the_identity_and_leaves_the_input_alone():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    before = image.copy()
    np.testing.assert_array_equal(pixels.invert(pixels.invert(image)), image)
    np.testing.assert_array_equal(image, before)


def test_crop_by_hand_rows_first():
    grid = np.arange(30).reshape(5, 6)  # value = 6 * row + column
    np.testing.assert_array_equal(
        pixels.crop(grid, top=1, left=2, height=2, width=3), [[8, 9, 10], [14, 15, 16]]
    )


def test_crop_returns_a_copy_and_keeps_channels():
    image = np.zeros((4, 4, 3), dtype=np.uint8)
    patch = pixels.crop(image, 1, 1, 2, 2)
    patch[:] = 9
    assert patch.shape == (2, 2, 3) and image.max() == 0


@pytest.mark.parametrize(
    "args,message",
    [
        ((3, 0, 3, 1), r"rows 3..5 and columns 0..0 do not fit in an image of 5 rows and 6 columns"),
        ((0, 0, 0, 1), "height >= 1"),
        ((-1, 0, 1, 1), "top >= 0"),
        ((0.5, 0, 1, 1), "top must be a whole number"),
    ],
)
def test_crop_explains_bad_arguments(args, message):
    with pytest.raises((ValueError, TypeError), match=message):
        pixels.crop(np.zeros((5, 6)), *args)


def test_brighten_clips_instead_of_wrapping():
    image = np.array([[10, 200, 250]], dtype=np.uint8)
    np.testing.assert_array_equal(pixels.brighten(image, 50), [[60, 250, 255]])
    np.testing.assert_array_equal(pixels.brighten(image, -50), [[0, 150, 200]])
    assert pixels.brighten(image, 100).dtype == np.uint8


def test_brighten_matches_a_pixel_by_pixel_loop_on_random_images():
    rng = np.random.default_rng(2)
    for _ in range(25):
        image = rng.integers(0, 256, size=(int(rng.integers(1, 6)), int(rng.integers(1, 6))), dtype=np.uint8)
        amount = int(rng.integers(-400, 401))
        expected = [[min(255, max(0, int(v) + amount)) for v in row] for row in image]
        np.testing.assert_array_equal(pixels.brighten(image, amount), expected)


@pytest.mark.parametrize("function", [pixels.invert, lambda x: pixels.brighten(x, 1)])
def test_pixel_operations_refuse_non_uint8_images_with_a_clear_message(function):
    with pytest.raises(
        TypeError, match=r"must be an 8-bit image \(dtype uint8, values 0..255\), got dtype float64"
    ):
        function(np.zeros((2, 2)))
