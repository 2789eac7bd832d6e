"""Lesson 05 (nonlinearity): the reference answers to its exercises.

Learners write ``relu``, ``leaky_relu``, ``combined_kernel`` and ``relu_gap`` in lesson 05. The
first two are ``cnnlib.ops``'s own activations, re-exported here so that one word (the topic)
finds all of the lesson's answers; the other two are the lesson's point: two filters applied one
after the other are one filter (``combined_kernel``), until a ReLU sits between them
(``relu_gap`` measures by how much the equality breaks).

Images and kernels are 2-D arrays ``(H, W)`` and ``(kh, kw)``; "convolution" of an image is
cross-correlation, as everywhere in the course (``cnnlib.ops.conv2d``, no flip).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .guard import answer
from .ops import conv2d, leaky_relu, relu, relu_loops, sigmoid

__all__ = ["relu", "relu_loops", "leaky_relu", "sigmoid", "combined_kernel", "relu_gap"]


def _as_2d(value: ArrayLike, name: str, meaning: str) -> np.ndarray:
    """``value`` as a non-empty 2-D array of real numbers, or a readable error."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular 2-D array of numbers ({error})") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers (bool, int or float); got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"{name} must be {meaning}, a 2-D array; got an array of shape {array.shape}")
    if 0 in array.shape:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    return array


@answer
def combined_kernel(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """The one kernel that does what kernel ``a`` followed by kernel ``b`` does.

    With ``conv2d`` the course's valid cross-correlation,
    ``conv2d(conv2d(x, a), b) == conv2d(x, combined_kernel(a, b))`` for every image ``x`` big
    enough for both. The combined kernel is the *full convolution* of ``a`` and ``b``:
    ``c[u, v] = sum of a[i, j] * b[p, q] over all i + p == u and j + q == v``, so each weight
    ``a[i, j]`` adds a copy of ``b`` scaled by it, shifted down ``i`` rows and right ``j`` columns.
    It does not depend on the order: ``combined_kernel(a, b) == combined_kernel(b, a)``.

    Parameters
    ----------
    a : array_like, shape (kh, kw)
        The first filter, real numbers.
    b : array_like, shape (lh, lw)
        The second filter, applied to the first one's output.

    Returns
    -------
    c : ndarray, shape (kh + lh - 1, kw + lw - 1)
        float64 for integer or boolean input, else the floating inputs' common dtype.

    Examples
    --------
    >>> combined_kernel([[1, 2]], [[1, -1]])
    array([[ 1.,  1., -2.]])

    Taught in lesson 05.
    """
    a = _as_2d(a, "a", "the first kernel (kh, kw)")
    b = _as_2d(b, "b", "the second kernel (lh, lw)")
    floats = [x.dtype for x in (a, b) if x.dtype.kind == "f"]
    dtype = np.result_type(*floats) if floats else np.dtype(np.float64)
    (kh, kw), (lh, lw) = a.shape, b.shape
    c = np.zeros((kh + lh - 1, kw + lw - 1), dtype)
    b = b.astype(dtype, copy=False)
    for i in range(kh):
        for j in range(kw):
            # b's weight (p, q) meets a's weight (i, j) at offset (i + p, j + q) from the pixel
            c[i : i + lh, j : j + lw] += a[i, j] * b
    return c


@answer
def relu_gap(image: ArrayLike, a: ArrayLike, b: ArrayLike) -> float:
    """How far filter ``a``, ReLU, filter ``b`` is from the one combined filter, at worst.

    Computes the two-layer output ``conv2d(relu(conv2d(image, a)), b)`` and the one-filter output
    ``conv2d(image, combined_kernel(a, b))`` (both valid cross-correlations, the same shape) and
    returns the largest absolute difference between them. Without the ReLU the two are equal, so
    the gap is 0 up to rounding; it is also 0 whenever ``conv2d(image, a)`` has no negative
    value (all-positive images and kernels, for example), because then ReLU changes nothing.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Real numbers, with H >= kh + lh - 1 and W >= kw + lw - 1.
    a : array_like, shape (kh, kw)
        The first filter.
    b : array_like, shape (lh, lw)
        The second filter.

    Returns
    -------
    gap : float
        ``max |two_layer - one_filter|``, >= 0.

    Examples
    --------
    >>> relu_gap([[0, 9, 0]], [[-1, 1]], [[1, 1]])
    9.0

    Taught in lesson 05.
    """
    image = _as_2d(image, "image", "a single-channel image (H, W)")
    a = _as_2d(a, "a", "the first kernel (kh, kw)")
    b = _as_2d(b, "b", "the second kernel (lh, lw)")
    c = combined_kernel(a, b)
    if c.shape[0] > image.shape[0] or c.shape[1] > image.shape[1]:
        raise ValueError(
            f"image {image.shape} is too small for kernels {a.shape} and {b.shape} one after the "
            f"other: it needs at least {c.shape[0]} rows and {c.shape[1]} columns (kh + lh - 1, kw + lw - 1)"
        )
    two_layer = conv2d(relu(conv2d(image, a)), b)
    one_filter = conv2d(image, c)
    return float(np.abs(two_layer - one_filter).max())
