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
