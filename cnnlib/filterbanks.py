"""Lesson 07 (filterbanks): the reference answers to its exercises.

A convolutional layer applies a bank of F filters, all of the same size, to one image. On an image
with C channels each filter is ``(kh, kw, C)``: it multiplies a window through all C channels and
adds everything up, then adds its own bias. Each filter gives one feature map; the F maps are
stacked on the last axis, channels-last like the image.

Shapes, as everywhere in the course: image ``(H, W, C)``, filter bank ``(F, kh, kw, C)``, biases
``(F,)``, feature maps ``(H', W', F)`` with ``H' = H - kh + 1`` and ``W' = W - kw + 1``.

Learners write ``conv_layer``, ``parameter_count`` and ``which_filter`` themselves in lesson 07;
from lesson 08 on, lessons call these (and ``cnnlib.ops.conv2d``, which ``conv_layer`` wraps).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from . import ops
from .guard import answer

__all__ = ["conv_layer", "parameter_count", "which_filter"]


def _numbers(value: ArrayLike, name: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    return array


def _image_and_bank(image: ArrayLike, filters: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check an image (H, W, C) and a filter bank (F, kh, kw, C) that fits it."""
    image = _numbers(image, "image")
    filters = _numbers(filters, "filters")
    if image.ndim != 3:
        hint = " (a grayscale image is (H, W, 1): use image[:, :, None])" if image.ndim == 2 else ""
        raise ValueError(f"image must be (H, W, C), channels last; got shape {image.shape}{hint}")
    if filters.ndim != 4:
        raise ValueError(
            f"filters must be a bank (F, kh, kw, C), one filter per row; got shape {filters.shape}"
        )
    if 0 in image.shape or 0 in filters.shape:
        raise ValueError(f"image {image.shape} and filters {filters.shape} must not have an empty axis")
    if filters.shape[3] != image.shape[2]:
        raise ValueError(
            f"each filter must reach through all {image.shape[2]} channels of the image: filters "
            f"(F, kh, kw, C) = {filters.shape} has C = {filters.shape[3]}, the image {image.shape} "
            f"has {image.shape[2]}"
        )
    (height, width), (kh, kw) = image.shape[:2], filters.shape[1:3]
    if kh > height or kw > width:
        raise ValueError(
            f"filters of {kh} x {kw} do not fit in an image of {height} x {width}; a valid "
            "convolution needs kh <= H and kw <= W"
        )
    return image, filters


@answer
def conv_layer(image: ArrayLike, filters: ArrayLike, biases: ArrayLike) -> np.ndarray:
    """Apply a bank of filters to an image: one feature map per filter, stacked last.

    ``out[r, c, f] = biases[f] + sum over i, j, ch of image[r + i, c + j, ch] * filters[f, i, j, ch]``
    (cross-correlation, no flip, no padding, stride 1).

    Parameters
    ----------
    image : array_like, shape (H, W, C)
        Any real dtype (uint8 photos included).
    filters : array_like, shape (F, kh, kw, C)
        F filters, each reaching through all C channels of the image.
    biases : array_like, shape (F,)
        One number per filter, added once to every value of its map.

    Returns
    -------
    maps : ndarray, shape (H - kh + 1, W - kw + 1, F)
        float32 when the floating inputs are float32, else float64.

    Examples
    --------
    >>> image = np.arange(8).reshape(2, 2, 2)          # 2 x 2, two channels
    >>> filters = np.ones((3, 2, 2, 2)) * [[[[1]]], [[[0]]], [[[-1]]]]
    >>> conv_layer(image, filters, np.array([0.0, 5.0, 0.0]))
    array([[[ 28.,   5., -28.]]])

    Taught in lesson 07.
    """
    image, filters = _image_and_bank(image, filters)
    biases = _numbers(biases, "biases")
    if biases.shape != (filters.shape[0],):
        raise ValueError(
            f"biases must have shape (F,) = ({filters.shape[0]},), one number per filter; "
            f"got shape {biases.shape}"
        )
    return ops.conv2d(image, filters, biases)


@answer
def parameter_count(n_filters: int, size: int, channels: int) -> int:
    """Number of numbers a layer learns: ``n_filters * (size * size * channels + 1)``.

    Each filter holds ``size * size * channels`` weights (a square window through every channel
    of its input) and one bias.

    Parameters
    ----------
    n_filters : int
        F, the number of filters (>= 1).
    size : int
        k, the side of each square filter (>= 1).
    channels : int
        C, the number of channels of the layer's input (3 for a colour photo, >= 1).

    Returns
    -------
    int

    Examples
    --------
    >>> parameter_count(32, 2, 1)    # 32 filters of 2 x 2 on a grayscale image
    160

    Taught in lesson 07.
    """
    for name, value in (("n_filters", n_filters), ("size", size), ("channels", channels)):
        if not isinstance(value, Integral) or isinstance(value, bool):
            raise TypeError(f"{name} must be a whole number, got {value!r}")
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    return int(n_filters) * (int(size) * int(size) * int(channels) + 1)


@answer
def which_filter(image: ArrayLike, filters: ArrayLike, feature_map: ArrayLike) -> int:
    """Index of the filter whose feature map (no bias) is closest to ``feature_map``.

    Each filter's map is ``conv_layer(image, filters, zeros)[:, :, f]``; the distance is the sum
    of squared differences, so a map rounded or slightly noisy still finds its filter. On a tie
    the first filter wins.

    Parameters
    ----------
    image : array_like, shape (H, W, C)
    filters : array_like, shape (F, kh, kw, C)
    feature_map : array_like, shape (H - kh + 1, W - kw + 1)

    Returns
    -------
    int
        f in 0..F-1.

    Examples
    --------
    >>> image = np.array([[[1], [2]], [[3], [4]]])
    >>> filters = np.array([[[[1], [0]], [[0], [0]]], [[[0], [0]], [[0], [1]]]])  # top-left, bottom-right
    >>> which_filter(image, filters, np.array([[4.0]]))
    1

    Taught in lesson 07.
    """
    image, filters = _image_and_bank(image, filters)
    feature_map = _numbers(feature_map, "feature_map")
    maps = ops.conv2d(image, filters).astype(np.float64)
    if feature_map.shape != maps.shape[:2]:
        raise ValueError(
            f"feature_map must have the shape of one map, (H - kh + 1, W - kw + 1) = {maps.shape[:2]}; "
            f"got shape {feature_map.shape}"
        )
    distances = ((maps - feature_map.astype(np.float64)[:, :, None]) ** 2).sum(axis=(0, 1))
    return int(np.argmin(distances))
