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


# --------------------------------------------------------------------------
# Digits and faces: fixed splits
# --------------------------------------------------------------------------


def test_digits_split_is_the_documented_stratified_one():
    from sklearn.datasets import load_digits as sklearn_digits
    from sklearn.model_selection import train_test_split

    digits = data.load_digits()
    assert digits.x_train.shape == (1437, 8, 8, 1) and digits.x_test.shape == (360, 8, 8, 1)
    assert digits.x_train.dtype == np.float32 and digits.y_train.dtype == np.int64
    assert digits.x_train.min() == 0 and digits.x_train.max() == 1  # 0..16 ink divided by 16
    # the same images in the same order as scikit-learn's own split with these settings
    bunch = sklearn_digits()
    _, x_test, _, y_test = train_test_split(
        bunch.images, bunch.target, test_size=0.2, stratify=bunch.target, random_state=0
    )
    np.testing.assert_array_equal(digits.x_test[..., 0] * 16, x_test)
    np.testing.assert_array_equal(digits.y_test, y_test)
    # stratified: each digit is about a tenth of the test set
    assert np.bincount(digits.y_test, minlength=10).tolist() == np.bincount(y_test, minlength=10).tolist()
    assert np.bincount(digits.y_test).min() >= 35 and np.bincount(digits.y_test).max() <= 37


def test_digits_train_and_test_together_are_the_whole_set_without_overlap():
    digits = data.load_digits()
    every = np.concatenate([digits.x_train, digits.x_test]).reshape(1797, 64)
    from sklearn.datasets import load_digits as sklearn_digits

    whole = sklearn_digits().data / 16
    # sort both sets of rows the same way and compare: same images, each exactly once
    np.testing.assert_array_equal(np.unique(every, axis=0), np.unique(whole.astype(np.float32), axis=0))
    assert len(every) == len(whole)
    again = data.load_digits()
    np.testing.assert_array_equal(again.x_train, digits.x_train)  # fixed, not reshuffled per call


def test_faces_split_holds_25_faces_and_25_non_faces_out():
    from skimage.data import lfw_subset

    faces = data.load_faces()
    assert faces.x_train.shape == (150, 25, 25, 1) and faces.x_test.shape == (50, 25, 25, 1)
    assert faces.x_train.dtype == np.float32 and faces.y_test.dtype == np.int64
    assert 0 <= faces.x_train.min() and faces.x_train.max() <= 1
    assert faces.y_test.sum() == 25 and faces.y_train.sum() == 75  # 1 = face
    originals = lfw_subset().astype(np.float32)
    # every labelled face is one of the first 100 images of lfw_subset, every non-face one of the rest
    for x, y in ((faces.x_train, faces.y_train), (faces.x_test, faces.y_test)):
        for image, label in zip(x[..., 0], y):
            index = int(np.argmin(np.abs(originals - image).sum(axis=(1, 2))))
            assert np.array_equal(originals[index], image)
            assert (index < 100) == (label == data.FACE)


def test_faces_are_more_alike_than_background_crops():
    # the faces are aligned crops (eyes, nose and mouth in about the same place), so pixel by pixel
    # they vary less than crops of whatever was behind the people, and their mean has more structure
    faces = data.load_faces()
    x = np.concatenate([faces.x_train, faces.x_test])[..., 0]
    y = np.concatenate([faces.y_train, faces.y_test])
    assert x[y == data.FACE].std(axis=0).mean() < 0.75 * x[y == data.NOT_FACE].std(axis=0).mean()
    assert x[y == data.FACE].mean(axis=0).std() > 1.2 * x[y == data.NOT_FACE].mean(axis=0).std()
