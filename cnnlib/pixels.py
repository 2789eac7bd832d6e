"""Lesson 01 (pixels): the reference answers to its exercises.

Learners write ``make_smiley``, ``invert``, ``crop`` and ``brighten`` themselves in lesson 01; from
lesson 02 on, lessons call these. Images are ``(H, W)`` or ``(H, W, C)``, 8-bit ones ``uint8``.
"""

from __future__ import annotations

import numpy as np

from .data import smiley
from .guard import answer

__all__ = ["make_smiley", "invert", "crop", "brighten"]


@answer
def make_smiley(background: int = 0, face: int = 2, features: int = 9) -> np.ndarray:
    """Draw the 8x8 smiley with the given codes for the background, the face and its features.

    Parameters
    ----------
    background, face, features : int
        Values in 0..255 for the white, yellow and black cells of ``data.smiley()``.

    Returns
    -------
    grid : ndarray, shape (8, 8), dtype uint8

    Examples
    --------
    >>> make_smiley(255, 170, 0)[2]
    array([170, 170,   0, 170, 170,   0, 170, 170], dtype=uint8)

    Taught in lesson 01.
    """
    for label, value in (("background", background), ("face", face), ("features", features)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not 0 <= value <= 255:
            raise ValueError(f"{label} must be a whole number in 0..255, got {value!r}")
    codes = smiley()
    grid = np.empty(codes.shape, dtype=np.uint8)
    grid[codes == 0], grid[codes == 2], grid[codes == 9] = background, face, features
    return grid


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


@answer
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


@answer
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


@answer
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
