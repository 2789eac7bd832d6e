"""Tests of cnnlib.images: the smiley, sample photos, invert, crop and brighten."""

import numpy as np
import pytest

from cnnlib import images


def test_smiley_holds_the_three_codes_where_a_person_would_draw_them():
    face = images.smiley()
    assert face.shape == (8, 8) and face.dtype == np.uint8
    assert set(np.unique(face).tolist()) == {0, 2, 9}
    assert face[0, 0] == 0 and face[7, 7] == 0  # white corners
    assert face[2, 2] == face[3, 2] == face[2, 5] == face[3, 5] == 9  # two eyes, two pixels tall
    assert face[6].tolist() == [0, 2, 9, 9, 9, 9, 2, 0]  # the bottom of the smile
    assert face[5, 1] == face[5, 6] == 9  # corners of the mouth
    assert (face == 9).sum() == 10
    np.testing.assert_array_equal(face, face[:, ::-1])  # symmetric left-right


def test_smiley_returns_a_fresh_copy():
    first = images.smiley()
    first[:] = 7
    assert images.smiley()[0, 2] == 2


@pytest.mark.parametrize(
    "name,shape", [("camera", (512, 512)), ("coins", (303, 384)), ("chelsea", (300, 451, 3))]
)
def test_load_image_gives_uint8_photos_of_the_documented_shape(name, shape):
    image = images.load_image(name)
    assert image.shape == shape and image.dtype == np.uint8
    assert image.min() < 30 and image.max() > 220  # a real photo spans dark to light
    assert image.flags.writeable


def test_every_listed_sample_image_loads_without_a_download():
    for name in images.SAMPLE_IMAGES:
        assert images.load_image(name).dtype == np.uint8


def test_load_image_names_the_choices_for_an_unknown_name():
    with pytest.raises(ValueError, match="unknown sample image 'cat'; choose one of: astronaut, camera"):
        images.load_image("cat")


def test_invert_by_hand():
    image = np.array([[0, 100], [200, 255]], dtype=np.uint8)
    np.testing.assert_array_equal(images.invert(image), [[255, 155], [55, 0]])
    assert images.invert(image).dtype == np.uint8


def test_invert_twice_is_the_identity_and_leaves_the_input_alone():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    before = image.copy()
    np.testing.assert_array_equal(images.invert(images.invert(image)), image)
    np.testing.assert_array_equal(image, before)


def test_crop_by_hand_rows_first():
    grid = np.arange(30).reshape(5, 6)  # value = 6 * row + column
    np.testing.assert_array_equal(
        images.crop(grid, top=1, left=2, height=2, width=3), [[8, 9, 10], [14, 15, 16]]
    )


def test_crop_returns_a_copy_and_keeps_channels():
    image = np.zeros((4, 4, 3), dtype=np.uint8)
    patch = images.crop(image, 1, 1, 2, 2)
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
        images.crop(np.zeros((5, 6)), *args)


def test_brighten_clips_instead_of_wrapping():
    image = np.array([[10, 200, 250]], dtype=np.uint8)
    np.testing.assert_array_equal(images.brighten(image, 50), [[60, 250, 255]])
    np.testing.assert_array_equal(images.brighten(image, -50), [[0, 150, 200]])
    assert images.brighten(image, 100).dtype == np.uint8


def test_brighten_matches_a_pixel_by_pixel_loop_on_random_images():
    rng = np.random.default_rng(2)
    for _ in range(25):
        image = rng.integers(0, 256, size=(int(rng.integers(1, 6)), int(rng.integers(1, 6))), dtype=np.uint8)
        amount = int(rng.integers(-400, 401))
        expected = [[min(255, max(0, int(v) + amount)) for v in row] for row in image]
        np.testing.assert_array_equal(images.brighten(image, amount), expected)


@pytest.mark.parametrize("function", [images.invert, lambda x: images.brighten(x, 1)])
def test_pixel_operations_refuse_non_uint8_images_with_a_clear_message(function):
    with pytest.raises(
        TypeError, match=r"must be an 8-bit image \(dtype uint8, values 0..255\), got dtype float64"
    ):
        function(np.zeros((2, 2)))
