"""Tests of cnnlib.data: the smiley and the sample photos."""

import numpy as np
import pytest

from cnnlib import data


def test_smiley_holds_the_three_codes_where_a_person_would_draw_them():
    face = data.smiley()
    assert face.shape == (8, 8) and face.dtype == np.uint8
    assert set(np.unique(face).tolist()) == {0, 2, 9}
    assert face[0, 0] == 0 and face[7, 7] == 0  # white corners
    assert face[2, 2] == face[3, 2] == face[2, 5] == face[3, 5] == 9  # two eyes, two pixels tall
    assert face[6].tolist() == [0, 2, 9, 9, 9, 9, 2, 0]  # the bottom of the smile
    assert face[5, 1] == face[5, 6] == 9  # corners of the mouth
    assert (face == 9).sum() == 10
    np.testing.assert_array_equal(face, face[:, ::-1])  # symmetric left-right


def test_smiley_returns_a_fresh_copy():
    first = data.smiley()
    first[:] = 7
    assert data.smiley()[0, 2] == 2


@pytest.mark.parametrize(
    "name,shape", [("camera", (512, 512)), ("coins", (303, 384)), ("chelsea", (300, 451, 3))]
)
def test_load_image_gives_uint8_photos_of_the_documented_shape(name, shape):
    image = data.load_image(name)
    assert image.shape == shape and image.dtype == np.uint8
    assert image.min() < 30 and image.max() > 220  # a real photo spans dark to light
    assert image.flags.writeable


def test_every_listed_sample_image_loads_without_a_download():
    for name in data.SAMPLE_IMAGES:
        assert data.load_image(name).dtype == np.uint8


def test_load_image_names_the_choices_for_an_unknown_name():
    with pytest.raises(ValueError, match="unknown sample image 'cat'; choose one of: astronaut, camera"):
        data.load_image("cat")
