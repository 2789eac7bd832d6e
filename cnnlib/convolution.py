"""Lesson 04 (convolution): the reference answers to its exercises.

Learners write ``window_sum``, ``conv2d_valid``, ``output_size``, ``conv2d`` and ``which_edges``
themselves in lesson 04. The convolutions here are thin wrappers with the learner's signature
around ``cnnlib.ops.conv2d`` (one grayscale image, one kernel); ``output_size`` is
``cnnlib.ops.output_size`` itself. From lesson 05 on, lessons call ``cnnlib.ops.conv2d`` and
``cnnlib.ops.output_size``.

Images are ``(H, W)``, kernels ``(kh, kw)``. "Convolution" is cross-correlation, as in every CNN
library: the kernel slides over the image without being flipped.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from . import ops
from .guard import answer
from .ops import output_size

__all__ = ["window_sum", "conv2d_valid", "output_size", "conv2d", "which_edges"]


def _grayscale(array: ArrayLike, name: str) -> np.ndarray:
    """``array`` as a 2-D array of real numbers, or a readable error."""
    try:
        values = np.asarray(array)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a rectangular 2-D array of numbers ({error})") from None
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (bool, int or float); got dtype {values.dtype}")
    if values.ndim != 2:
        extra = (
            " In this lesson an image is one grayscale plane (H, W); colour images and filter banks "
            "come in lesson 07 (cnnlib.ops.conv2d takes them)."
            if values.ndim == 3
            else ""
        )
        raise ValueError(f"{name} must be 2-D (rows, columns); got an array of shape {values.shape}.{extra}")
    if 0 in values.shape:
        raise ValueError(f"{name} must not be empty; got shape {values.shape}")
    return values


def _whole(value: object, name: str, minimum: int) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number (an int); got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")
    return int(value)


def _fits(image: np.ndarray, kernel: np.ndarray, padding: int = 0) -> None:
    (h, w), (kh, kw) = image.shape, kernel.shape
    if kh > h + 2 * padding or kw > w + 2 * padding:
        what = "the image" if padding == 0 else f"the image padded by {padding}"
        size = (h + 2 * padding, w + 2 * padding)
        raise ValueError(
            f"kernel {kernel.shape} is larger than {what} {size}; a valid convolution needs "
            "kernel <= image in both dimensions"
        )


@answer
def window_sum(image: ArrayLike, kernel: ArrayLike, row: int, col: int) -> float:
    """One step of a convolution: the window at (row, col) times the kernel, cell by cell, summed.

    The window is the kernel-sized block of ``image`` whose top-left cell is ``image[row, col]``;
    its sum is the value of output cell ``[row, col]`` of a valid convolution.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Numbers of any real dtype (uint8 included: the sum is computed in float64).
    kernel : array_like, shape (kh, kw)
    row, col : int
        Top-left cell of the window; 0 <= row <= H - kh and 0 <= col <= W - kw.

    Returns
    -------
    float
        ``sum(image[row:row + kh, col:col + kw] * kernel)``.

    Examples
    --------
    >>> smiley = [[0, 0, 2], [0, 2, 2], [2, 2, 9]]
    >>> window_sum(smiley, [[1, 2], [3, -1]], 1, 1)  # 2*1 + 2*2 + 2*3 + 9*(-1)
    3.0

    Taught in lesson 04.
    """
    image = _grayscale(image, "image")
    kernel = _grayscale(kernel, "kernel")
    _fits(image, kernel)
    row, col = _whole(row, "row", 0), _whole(col, "col", 0)
    (h, w), (kh, kw) = image.shape, kernel.shape
    if row > h - kh or col > w - kw:
        raise ValueError(
            f"a {kh}x{kw} window at row {row}, column {col} does not fit in an image of shape {image.shape}: "
            f"the last window starts at row {h - kh}, column {w - kw}"
        )
    window = image[row : row + kh, col : col + kw].astype(np.float64)
    return float((window * kernel).sum())


@answer
def conv2d_valid(image: ArrayLike, kernel: ArrayLike) -> np.ndarray:
    """Slide ``kernel`` over every position where it fits inside ``image`` (a valid convolution).

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw), kh <= H and kw <= W

    Returns
    -------
    numpy.ndarray, shape (H - kh + 1, W - kw + 1)
        ``out[r, c] = sum(image[r:r + kh, c:c + kw] * kernel)``; float32 when the inputs are
        float32, else float64 (a uint8 image cannot overflow).

    Examples
    --------
    >>> conv2d_valid([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2], [3, -1]])
    array([[12., 17.],
           [27., 32.]])

    Taught in lesson 04.
    """
    image = _grayscale(image, "image")
    kernel = _grayscale(kernel, "kernel")
    _fits(image, kernel)
    return ops.conv2d(image, kernel)


@answer
def conv2d(image: ArrayLike, kernel: ArrayLike, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Convolve one grayscale image with one kernel, with a stride and zero padding.

    The image gets ``padding`` rows and columns of zeros on every side, then the kernel moves
    ``stride`` cells at a time; windows that would stick out of the padded image are dropped.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    stride : int
        Step between two windows, the same along rows and columns (>= 1).
    padding : int
        Rows and columns of zeros added on each side (>= 0).

    Returns
    -------
    numpy.ndarray, shape (output_size(H, kh, stride, padding), output_size(W, kw, stride, padding))
        ``out[r, c] = sum(padded[r*stride:r*stride + kh, c*stride:c*stride + kw] * kernel)``;
        float32 when the inputs are float32, else float64.

    Examples
    --------
    >>> conv2d([[1, 2], [3, 4]], [[1, 1], [1, 1]], padding=1)
    array([[ 1.,  3.,  2.],
           [ 4., 10.,  6.],
           [ 3.,  7.,  4.]])

    Taught in lesson 04.
    """
    image = _grayscale(image, "image")
    kernel = _grayscale(kernel, "kernel")
    stride = _whole(stride, "stride", 1)
    padding = _whole(padding, "padding", 0)
    _fits(image, kernel, padding)
    return ops.conv2d(image, kernel, stride=stride, padding=padding)


EDGE_WORDS = ("vertical", "horizontal")


def edge_probes(kernel_shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Two test images for a filter of ``kernel_shape``: one vertical edge and one horizontal edge.

    Each is square, a little more than twice the kernel's larger side, 0 on one side of the
    middle and 1 on the other: ``vertical`` is dark on the left and light on the right,
    ``horizontal`` dark on top and light below.

    Examples
    --------
    >>> vertical, horizontal = edge_probes((1, 2))
    >>> vertical
    array([[0., 0., 0., 1., 1., 1.],
           [0., 0., 0., 1., 1., 1.],
           [0., 0., 0., 1., 1., 1.],
           [0., 0., 0., 1., 1., 1.],
           [0., 0., 0., 1., 1., 1.],
           [0., 0., 0., 1., 1., 1.]])
    """
    size = 2 * max(kernel_shape) + 2
    vertical = np.zeros((size, size))
    vertical[:, size // 2 :] = 1.0
    return vertical, vertical.T.copy()


@answer
def which_edges(kernel: ArrayLike) -> str:
    """Which edges an edge filter finds: "vertical" or "horizontal".

    The filter is tried on two test images (``edge_probes``), one with a vertical edge (a boundary
    running top to bottom) and one with a horizontal edge. Whichever gives the larger response,
    positive or negative, is the direction the filter finds.

    Parameters
    ----------
    kernel : array_like, shape (kh, kw)
        An edge filter: its numbers add up to about 0, and it responds to edges of one direction
        clearly more (1.5 times or more) than to the other.

    Returns
    -------
    str
        ``"vertical"`` or ``"horizontal"``.

    Raises
    ------
    ValueError
        For a filter that is not an edge filter of one direction: one that responds to flat
        areas (a blur, a sharpen), or to both directions alike (a corner or diagonal filter).

    Examples
    --------
    >>> which_edges([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    'vertical'
    >>> which_edges([[1, 1], [-1, -1]])
    'horizontal'

    Taught in lesson 04.
    """
    kernel = _grayscale(kernel, "kernel").astype(np.float64)
    scale = float(np.abs(kernel).sum())
    if scale == 0:
        raise ValueError("kernel is all zeros: it finds no edges at all")
    if abs(float(kernel.sum())) > 1e-9 * scale:
        raise ValueError(
            f"kernel adds up to {kernel.sum():g}, not 0, so it responds to flat areas too: it is not "
            "an edge filter (a blur or a sharpen keeps the picture)"
        )
    vertical, horizontal = (float(np.abs(ops.conv2d(p, kernel)).max()) for p in edge_probes(kernel.shape))
    if max(vertical, horizontal) < 1.5 * min(vertical, horizontal):
        raise ValueError(
            f"kernel responds to vertical edges ({vertical:g}) and horizontal edges ({horizontal:g}) "
            "about equally; it is not an edge filter of one direction"
        )
    return "vertical" if vertical > horizontal else "horizontal"
