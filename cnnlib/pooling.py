"""Lesson 06 (pooling): the reference answers to its exercises.

Learners write ``max_pool2d``, ``avg_pool2d`` and ``conv_relu_pool`` themselves in lesson 06; from
lesson 07 on, lessons call ``cnnlib.ops.max_pool2d`` and ``cnnlib.ops.avg_pool2d`` (which also
take batches and rectangular windows). The pooling answers here are thin wrappers with the
learner's signature, ``(feature_map, size=2, stride=2)``, around those operations.

A feature map is ``(H, W)``, or ``(H, W, C)`` for a stack of C maps pooled one by one. Windows
that would stick out past the bottom or the right edge are dropped, so the output has
``(H - size) // stride + 1`` rows and likewise columns.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from . import ops
from .guard import answer

__all__ = ["max_pool2d", "avg_pool2d", "conv_relu_pool"]


def _whole(value: object, name: str, minimum: int = 1) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number (an int); got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}")
    return int(value)


def _feature_map(feature_map: ArrayLike, size: int, stride: int) -> np.ndarray:
    """Check a pooling call's arguments; return the map as an array of numbers."""
    array = np.asarray(feature_map)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"feature_map must hold real numbers; got an array of dtype {array.dtype}")
    if array.ndim not in (2, 3):
        raise ValueError(
            f"feature_map must be one map (H, W) or a stack of maps (H, W, C); got shape {array.shape}"
        )
    _whole(size, "size")
    _whole(stride, "stride")
    if size > array.shape[0] or size > array.shape[1]:
        raise ValueError(
            f"a {size}x{size} window does not fit in a feature map of {array.shape[0]} rows and "
            f"{array.shape[1]} columns; size must be at most both"
        )
    return array


@answer
def max_pool2d(feature_map: ArrayLike, size: int = 2, stride: int = 2) -> np.ndarray:
    """Keep the largest value of each ``size`` x ``size`` window, windows ``stride`` apart.

    Parameters
    ----------
    feature_map : array_like, shape (H, W) or (H, W, C)
        Real numbers; a stack of C maps is pooled map by map.
    size : int
        Side of the square window (1 <= size <= H and W).
    stride : int
        Step between two windows, down and across (>= 1); ``stride == size`` puts the windows
        side by side, a smaller stride makes them overlap.

    Returns
    -------
    pooled : ndarray, shape (H', W') or (H', W', C)
        ``H' = (H - size) // stride + 1`` and likewise ``W'`` (windows that would stick out are
        dropped); float64 for integer input, else the input's float dtype.

    Examples
    --------
    >>> max_pool2d(np.array([[1, 2, 0, 0], [3, 4, 0, 5]]))
    array([[4., 5.]])

    Taught in lesson 06.
    """
    array = _feature_map(feature_map, size, stride)
    return ops.max_pool2d(array, size, stride)


@answer
def avg_pool2d(feature_map: ArrayLike, size: int = 2, stride: int = 2) -> np.ndarray:
    """Average each ``size`` x ``size`` window, windows ``stride`` apart.

    Parameters
    ----------
    feature_map : array_like, shape (H, W) or (H, W, C)
        Real numbers; a stack of C maps is pooled map by map.
    size : int
        Side of the square window (1 <= size <= H and W).
    stride : int
        Step between two windows (>= 1).

    Returns
    -------
    pooled : ndarray, shape (H', W') or (H', W', C)
        The mean of each window, ``H' = (H - size) // stride + 1`` and likewise ``W'``; float64
        for integer input (a mean is rarely whole), else the input's float dtype.

    Examples
    --------
    >>> avg_pool2d(np.array([[1, 2, 0, 0], [3, 4, 0, 5]]))
    array([[2.5 , 1.25]])

    Taught in lesson 06.
    """
    array = _feature_map(feature_map, size, stride)
    return ops.avg_pool2d(array, size, stride)


@answer
def conv_relu_pool(image: ArrayLike, kernel: ArrayLike) -> np.ndarray:
    """One CNN layer with one filter: convolve, apply ReLU, max-pool 2x2 with stride 2.

    Parameters
    ----------
    image : array_like, shape (H, W)
        A grayscale image (any real dtype).
    kernel : array_like, shape (kh, kw)
        The filter, at most ``(H - 1, W - 1)`` so that the feature map is at least 2x2.

    Returns
    -------
    pooled : ndarray, shape ((H - kh + 1) // 2, (W - kw + 1) // 2), float64
        ``max_pool2d(relu(conv2d(image, kernel)), 2, 2)``: the valid convolution (no padding,
        stride 1, no kernel flip) gives an ``(H - kh + 1, W - kw + 1)`` map, ReLU sets its
        negatives to 0 and max pooling keeps the largest value of each 2x2 block.

    Examples
    --------
    A 5x5 corner of the smiley and the filter (1, 2, 3, -1) give a 4x4 map, then 2x2:

    >>> from cnnlib.data import smiley
    >>> conv_relu_pool(smiley()[:5, :5], np.array([[1, 2], [3, -1]]))
    array([[ 8., 31.],
           [24., 38.]])

    Taught in lesson 06.
    """
    pixels, weights = np.asarray(image), np.asarray(kernel)
    for name, array in (("image", pixels), ("kernel", weights)):
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers; got an array of dtype {array.dtype}")
        if array.ndim != 2:
            raise ValueError(f"{name} must be 2-D (rows, columns); got shape {array.shape}")
    if weights.shape[0] >= pixels.shape[0] or weights.shape[1] >= pixels.shape[1]:
        raise ValueError(
            f"kernel {weights.shape} on image {pixels.shape} leaves a feature map smaller than 2x2, "
            f"too small for 2x2 pooling; the image needs at least one more row and column than the kernel"
        )
    return ops.max_pool2d(ops.relu(ops.conv2d(pixels, weights)), 2, 2)
