"""Lesson 02 (colour): the reference answers to its exercises.

Learners write ``split_channels``, ``stack_channels``, ``to_chw``, ``to_hwc``, ``grayscale`` and
``red_mask`` themselves in lesson 02; from lesson 03 on, lessons call these. A colour image is
``(H, W, 3)``, channels last, in the order red, green, blue; 8-bit images are ``uint8``.
"""

from __future__ import annotations

import numpy as np

from .guard import answer

__all__ = [
    "LUMINANCE",
    "RED_MIN",
    "RED_MARGIN",
    "split_channels",
    "stack_channels",
    "to_chw",
    "to_hwc",
    "grayscale",
    "red_mask",
]

# How much red, green and blue light each add to the brightness a person sees (ITU-R BT.601).
LUMINANCE: tuple[float, float, float] = (0.299, 0.587, 0.114)

# A pixel is "strongly red" when R > RED_MIN, R - G > RED_MARGIN and R - B > RED_MARGIN.
RED_MIN = 120
RED_MARGIN = 100


def _numbers(image, what: str) -> np.ndarray:
    array = np.asarray(image)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{what} must hold numbers (integers or floats), got dtype {array.dtype}")
    return array


def _rgb_image(image, what: str = "image") -> np.ndarray:
    """``image`` as an array of shape (H, W, 3), or a clear error saying what was expected."""
    array = _numbers(image, what)
    if array.ndim != 3 or array.shape[2] != 3:
        hint = ""
        if array.ndim == 3 and array.shape[0] == 3:
            hint = "; it looks channels-first (3, H, W): convert it with to_hwc first"
        raise ValueError(
            f"{what} must be a colour image of shape (H, W, 3), channels R, G, B last, "
            f"got shape {array.shape}{hint}"
        )
    return array


@answer
def split_channels(image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split a colour image into its red, green and blue grids.

    Parameters
    ----------
    image : array_like, shape (H, W, 3)
        Channels last, in the order R, G, B; any number dtype.

    Returns
    -------
    red, green, blue : tuple of three ndarrays, each shape (H, W), dtype of ``image``
        Views into ``image`` (no copy): ``image[:, :, 0]``, ``image[:, :, 1]``, ``image[:, :, 2]``.

    Examples
    --------
    >>> red, green, blue = split_channels(np.array([[[255, 128, 0]]], dtype=np.uint8))
    >>> red, green, blue
    (array([[255]], dtype=uint8), array([[128]], dtype=uint8), array([[0]], dtype=uint8))

    Taught in lesson 02.
    """
    array = _rgb_image(image)
    return array[:, :, 0], array[:, :, 1], array[:, :, 2]


@answer
def stack_channels(red, green, blue) -> np.ndarray:
    """Stack three grids of the same shape into one colour image, channels last.

    Parameters
    ----------
    red, green, blue : array_like, shape (H, W) each
        The three channels; the same shape and, for a predictable result, the same dtype.

    Returns
    -------
    image : ndarray, shape (H, W, 3)
        ``image[:, :, 0]`` is ``red``, ``image[:, :, 1]`` is ``green``, ``image[:, :, 2]`` is
        ``blue``; a new array, with the common dtype of the three (numpy's promotion rules).

    Examples
    --------
    >>> stack_channels(np.array([[255]]), np.array([[128]]), np.array([[0]]))
    array([[[255, 128,   0]]])

    Taught in lesson 02.
    """
    grids = [_numbers(g, name) for g, name in ((red, "red"), (green, "green"), (blue, "blue"))]
    for grid, name in zip(grids, ("red", "green", "blue")):
        if grid.ndim != 2:
            raise ValueError(f"{name} must be a 2-D grid (H, W), got shape {grid.shape}")
    shapes = [g.shape for g in grids]
    if len(set(shapes)) != 1:
        raise ValueError(
            f"the three channels must have the same shape, got red {shapes[0]}, green {shapes[1]}, "
            f"blue {shapes[2]}"
        )
    return np.stack(grids, axis=-1)


def _three_axes(image, layout: str) -> np.ndarray:
    array = _numbers(image, "image")
    if array.ndim != 3:
        raise ValueError(f"image must be 3-D, {layout}, got an array with shape {array.shape}")
    return array


@answer
def to_chw(image) -> np.ndarray:
    """Convert a channels-last image (H, W, C) to channels-first (C, H, W).

    The numbers do not change, only the order of the axes: ``to_chw(image)[c, r, k]`` is
    ``image[r, k, c]``. This is the layout PyTorch expects; this course works channels last.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
        Any number of channels C.

    Returns
    -------
    chw : ndarray, shape (C, H, W), dtype of ``image``
        A view of ``image`` with its axes moved (no copy).

    Examples
    --------
    >>> to_chw(np.zeros((4, 5, 3))).shape
    (3, 4, 5)

    Taught in lesson 02.
    """
    return np.moveaxis(_three_axes(image, "channels-last (H, W, C)"), -1, 0)


@answer
def to_hwc(image) -> np.ndarray:
    """Convert a channels-first image (C, H, W) to channels-last (H, W, C), the course's layout.

    ``to_hwc(chw)[r, k, c]`` is ``chw[c, r, k]``; ``to_hwc(to_chw(image))`` equals ``image``.

    Parameters
    ----------
    image : array_like, shape (C, H, W)
        Any number of channels C.

    Returns
    -------
    hwc : ndarray, shape (H, W, C), dtype of ``image``
        A view of ``image`` with its axes moved (no copy).

    Examples
    --------
    >>> to_hwc(np.zeros((3, 4, 5))).shape
    (4, 5, 3)

    Taught in lesson 02.
    """
    return np.moveaxis(_three_axes(image, "channels-first (C, H, W)"), 0, -1)


@answer
def grayscale(image) -> np.ndarray:
    """Turn a colour image into gray by luminance: 0.299 R + 0.587 G + 0.114 B per pixel.

    The weights follow how bright each colour looks to people (green most, blue least). They add
    up to 1, so a gray pixel keeps its value and white (255, 255, 255) gives 255 (up to float
    rounding: in float64 the weights sum to 0.9999999999999999).

    Parameters
    ----------
    image : array_like, shape (H, W, 3)
        Channels last, R, G, B; any number dtype (``uint8`` photos give values in 0..255).

    Returns
    -------
    gray : ndarray, shape (H, W), dtype float64
        The weighted sum with its fractions kept: not rounded, not converted to ``uint8``.

    Examples
    --------
    >>> grayscale(np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], dtype=np.uint8))
    array([[ 76.245, 149.685,  29.07 ]])

    Taught in lesson 02.
    """
    array = _rgb_image(image).astype(np.float64)  # floats: no wrap-around, no truncation
    red, green, blue = LUMINANCE
    return red * array[:, :, 0] + green * array[:, :, 1] + blue * array[:, :, 2]


@answer
def red_mask(image) -> np.ndarray:
    """Mark the strongly red pixels of an 8-bit colour image.

    A pixel (R, G, B) is strongly red when all three hold: ``R > 120``, ``R - G > 100`` and
    ``R - B > 100``, with the differences taken as ordinary whole numbers (not wrapped around in
    ``uint8``). The numbers are ``RED_MIN`` and ``RED_MARGIN``.

    Parameters
    ----------
    image : array_like, shape (H, W, 3), dtype uint8
        Channels last, R, G, B.

    Returns
    -------
    mask : ndarray, shape (H, W), dtype bool
        True where the pixel is strongly red.

    Examples
    --------
    >>> red_mask(np.array([[[200, 40, 40], [255, 255, 255], [110, 5, 5]]], dtype=np.uint8))
    array([[ True, False, False]])

    Taught in lesson 02.
    """
    array = _rgb_image(image)
    if array.dtype != np.uint8:
        raise TypeError(
            f"image must be an 8-bit colour image (dtype uint8, values 0..255), got dtype {array.dtype}; "
            "the thresholds 120 and 100 are on that scale"
        )
    # int16 holds -255..510 with room to spare: R - G cannot wrap around as it would in uint8.
    red, green, blue = (array[:, :, c].astype(np.int16) for c in range(3))
    return (red > RED_MIN) & (red - green > RED_MARGIN) & (red - blue > RED_MARGIN)
