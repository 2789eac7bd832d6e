"""Images as arrays: the smiley, sample photos, and pixel-level operations.

Every image in the course is a numpy array, channels last: grayscale ``(H, W)``, colour
``(H, W, 3)``. 8-bit images have dtype ``uint8`` (whole numbers 0..255). Photos come from
scikit-image, which ships them inside its wheel, so nothing is downloaded.

The operations here (``invert``, ``crop``, ``brighten``) are the reference answers to lesson 01's
exercises: learners write them once in that lesson, later lessons call these.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SMILEY_COLORS",
    "SAMPLE_IMAGES",
    "smiley",
    "load_image",
    "invert",
    "crop",
    "brighten",
]

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


def _as_uint8_image(image, what: str = "image") -> np.ndarray:
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise TypeError(
            f"{what} must be an 8-bit image (dtype uint8, values 0..255), got dtype {array.dtype}; "
            "convert with np.asarray(x, dtype=np.uint8) if its values are whole numbers in 0..255"
        )
    if array.ndim not in (2, 3):
        raise ValueError(f"{what} must be (H, W) or (H, W, C), got an array with shape {array.shape}")
    return array


def invert(image) -> np.ndarray:
    """Return the photographic negative of an 8-bit image: every value v becomes 255 - v.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C), dtype uint8

    Returns
    -------
    inverted : ndarray, same shape, dtype uint8
        A new array; the input is not changed.

    Examples
    --------
    >>> invert(np.array([[0, 100, 255]], dtype=np.uint8))
    array([[255, 155,   0]], dtype=uint8)
    """
    array = _as_uint8_image(image)
    # 255 - v never leaves 0..255 for v in 0..255, so uint8 arithmetic is exact here.
    return np.uint8(255) - array


def crop(image, top: int, left: int, height: int, width: int) -> np.ndarray:
    """Cut out the rectangle whose top-left pixel is at row ``top``, column ``left``.

    Rows are the first index (y, counted downwards from 0 at the top), columns the second
    (x, counted rightwards from 0 at the left).

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C)
    top, left : int
        Row and column of the rectangle's top-left pixel.
    height, width : int
        Number of rows and of columns to keep.

    Returns
    -------
    patch : ndarray, shape (height, width) or (height, width, C), same dtype as ``image``
        A copy, so changing it leaves the image alone.

    Examples
    --------
    >>> crop(np.arange(16).reshape(4, 4), top=1, left=2, height=2, width=2)
    array([[ 6,  7],
           [10, 11]])
    """
    array = np.asarray(image)
    if array.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, C), got shape {array.shape}")
    for label, value in (("top", top), ("left", left), ("height", height), ("width", width)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(f"{label} must be a whole number, got {value!r}")
    if top < 0 or left < 0 or height < 1 or width < 1:
        raise ValueError(
            f"need top >= 0, left >= 0, height >= 1, width >= 1; "
            f"got top={top}, left={left}, height={height}, width={width}"
        )
    rows, cols = array.shape[:2]
    if top + height > rows or left + width > cols:
        raise ValueError(
            f"the crop rows {top}..{top + height - 1} and columns {left}..{left + width - 1} "
            f"do not fit in an image of {rows} rows and {cols} columns"
        )
    return array[top : top + height, left : left + width].copy()


def brighten(image, amount: int) -> np.ndarray:
    """Add ``amount`` to every pixel of an 8-bit image, clipping the result to 0..255.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, C), dtype uint8
    amount : int
        How much to add; negative values darken.

    Returns
    -------
    brighter : ndarray, same shape, dtype uint8
        A new array; values that would pass 255 stay at 255 and values below 0 stay at 0.

    Examples
    --------
    >>> brighten(np.array([[10, 200, 250]], dtype=np.uint8), 50)
    array([[ 60, 250, 255]], dtype=uint8)
    """
    array = _as_uint8_image(image)
    if not isinstance(amount, (int, np.integer)) or isinstance(amount, bool):
        raise TypeError(f"amount must be a whole number, got {amount!r}")
    # uint8 arithmetic wraps around (200 + 100 == 44), so add in a wider integer type first.
    wide = array.astype(np.int64) + int(amount)
    return np.clip(wide, 0, 255).astype(np.uint8)
