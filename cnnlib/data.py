"""The course's data: the smiley, sample photos (and, as lessons need them, digits and faces).

Every image in the course is a numpy array, channels last: grayscale ``(H, W)``, colour
``(H, W, 3)``. 8-bit images have dtype ``uint8`` (whole numbers 0..255). Everything comes from
installed packages (scikit-image ships its photos inside its wheel), so nothing is downloaded.
"""

from __future__ import annotations

import numpy as np

from .guard import answer

__all__ = ["SMILEY_COLORS", "SAMPLE_IMAGES", "smiley", "load_image"]

# The codes of the smiley grid and the colour each one stands for.
SMILEY_COLORS: dict[int, str] = {0: "white", 2: "gold", 9: "black"}

_SMILEY = np.array(
    [
        [0, 0, 2, 2, 2, 2, 0, 0],
        [0, 2, 2, 2, 2, 2, 2, 0],
        [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 2, 2, 2, 2, 2, 2],
        [2, 9, 2, 2, 2, 2, 9, 2],
        [0, 2, 9, 9, 9, 9, 2, 0],
        [0, 0, 2, 2, 2, 2, 0, 0],
    ],
    dtype=np.uint8,
)
_SMILEY.flags.writeable = False


@answer  # lesson 01's make_smiley draws it
def smiley() -> np.ndarray:
    """Return the 8x8 smiley: 0 = white background, 2 = yellow face, 9 = black eyes and mouth.

    Returns
    -------
    grid : ndarray, shape (8, 8), dtype uint8
        A fresh copy each call, so changing it never changes the next one.

    Examples
    --------
    >>> smiley()[2]          # the row through the eyes
    array([2, 2, 9, 2, 2, 9, 2, 2], dtype=uint8)
    """
    return _SMILEY.copy()


# name -> (scikit-image loader name, what it shows)
SAMPLE_IMAGES: dict[str, str] = {
    "camera": "a photographer with a camera on a tripod, grayscale, 512 x 512",
    "coins": "Greek coins on a dark background, grayscale, 303 x 384",
    "text": "handwritten and printed text, grayscale, 172 x 448",
    "moon": "the surface of the moon, grayscale, 512 x 512",
    "chelsea": "Chelsea the cat, colour, 300 x 451 x 3",
    "astronaut": "astronaut Eileen Collins, colour, 512 x 512 x 3",
    "coffee": "a cup of coffee, colour, 400 x 600 x 3",
}


def load_image(name: str) -> np.ndarray:
    """Load one of scikit-image's sample photos (shipped with it; nothing is downloaded).

    Parameters
    ----------
    name : str
        One of the keys of ``SAMPLE_IMAGES``: ``"camera"``, ``"coins"``, ``"text"``, ``"moon"``
        (grayscale) or ``"chelsea"``, ``"astronaut"``, ``"coffee"`` (colour).

    Returns
    -------
    image : ndarray, shape (H, W) or (H, W, 3), dtype uint8
        A writable array the caller owns.
    """
    if name not in SAMPLE_IMAGES:
        known = ", ".join(sorted(SAMPLE_IMAGES))
        raise ValueError(f"unknown sample image {name!r}; choose one of: {known}")
    from skimage import data  # imported here: scikit-image takes a moment to import

    image = getattr(data, name)()
    return np.array(image, dtype=np.uint8, copy=True)


# --------------------------------------------------------------------------
# Labelled data sets for training (lessons 09 and 10): digits and faces
# --------------------------------------------------------------------------
# Both come with fixed train / test splits, so every learner, test and benchmark
# sees the same images in the same roles. Images are float32, channels-last
# (N, H, W, 1), ready for cnnlib.layers; labels are int64 class numbers.

from typing import NamedTuple  # noqa: E402  (kept with the section it serves)

__all__ += ["Split", "load_digits", "load_faces", "FACE", "NOT_FACE"]


class Split(NamedTuple):
    """A data set cut into training and held-out test images.

    x_train : (N_train, H, W, 1) float32; y_train : (N_train,) int64;
    x_test : (N_test, H, W, 1) float32; y_test : (N_test,) int64.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def load_digits() -> Split:
    """scikit-learn's 8x8 handwritten digits (1797 images, classes 0-9), split 1437 / 360.

    The split is ``train_test_split(test_size=0.2, stratify=y, random_state=0)``: every digit
    is in the test set in the same proportion as in the whole set.

    Returns
    -------
    Split
        x_train (1437, 8, 8, 1) and x_test (360, 8, 8, 1), float32 in [0, 1] (the original 0..16
        ink levels divided by 16, 1 = darkest ink); y_train (1437,) and y_test (360,), int64 in 0..9.

    Examples
    --------
    >>> digits = load_digits()
    >>> digits.x_train.shape, digits.x_test.shape, int(digits.y_test.max())
    ((1437, 8, 8, 1), (360, 8, 8, 1), 9)
    """
    from sklearn.datasets import load_digits as sklearn_digits  # imported here: slow to import
    from sklearn.model_selection import train_test_split

    bunch = sklearn_digits()
    images = (bunch.images / 16.0).astype(np.float32)[..., None]
    labels = bunch.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, stratify=labels, random_state=0
    )
    return Split(x_train, y_train, x_test, y_test)


FACE, NOT_FACE = 1, 0


def load_faces() -> Split:
    """scikit-image's ``lfw_subset``: 100 faces and 100 non-faces, 25x25 grayscale, split 150 / 50.

    The faces are crops of the Labeled Faces in the Wild photos; the non-faces are crops of the
    backgrounds of the same photos. Label 1 (``FACE``) is a face, 0 (``NOT_FACE``) is not. The
    split is ``train_test_split(test_size=0.25, stratify=y, random_state=0)``: 25 faces and 25
    non-faces are held out.

    Returns
    -------
    Split
        x_train (150, 25, 25, 1) and x_test (50, 25, 25, 1), float32 in [0, 1] (0 = black);
        y_train (150,) and y_test (50,), int64, 1 = face.

    Examples
    --------
    >>> faces = load_faces()
    >>> faces.x_train.shape, int(faces.y_test.sum())
    ((150, 25, 25, 1), 25)
    """
    from skimage.data import lfw_subset
    from sklearn.model_selection import train_test_split

    images = np.asarray(lfw_subset(), np.float32)[..., None]  # (200, 25, 25, 1), in [0, 1]
    labels = np.array([FACE] * 100 + [NOT_FACE] * 100, np.int64)  # the first 100 are faces
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.25, stratify=labels, random_state=0
    )
    return Split(x_train, y_train, x_test, y_test)
