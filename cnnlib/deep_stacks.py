"""Lesson 08 (deep_stacks): the reference answers to its exercises, and the geometry of a stack.

A network is a stack of layers, each working on the previous one's output. The lesson describes a
layer as a short tuple, so that a stack is plain data a learner can read and write:

- ``("conv", filters, size, stride, padding)``: ``filters`` square filters of ``size`` x ``size``
  through all channels, ``padding`` zeros on every side, windows ``stride`` apart;
- ``("pool", size, stride)``: max (or average) pooling, ``size`` x ``size`` windows;
- ``("flatten",)``: the (H, W, C) stack laid out as one vector of H * W * C numbers, row by row,
  and within each position channel by channel (numpy's ``reshape``, channels last);
- ``("dense", units)``: a fully connected layer with ``units`` outputs.

Shapes, as everywhere in the course: one sample ``(H, W, C)``, a batch ``(N, H, W, C)``, filter
banks ``(F, kh, kw, C)``, dense weights ``(D_in, D_out)``, biases ``(F,)`` or ``(D_out,)``.

Learners write ``has_corner``, ``shape_after``, ``receptive_field``, ``dense`` and ``forward`` themselves in
lesson 08; from lesson 09 on, lessons use these and ``cnnlib.layers`` (which trains them).
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from . import ops
from .guard import answer

__all__ = [
    "shape_after",
    "receptive_field",
    "field_box",
    "dense",
    "forward",
    "has_corner",
    "corner_filters",
    "describe",
]

Layer = tuple
_SIZES = {"conv": 5, "pool": 3, "flatten": 1, "dense": 2}
_FORMS = {
    "conv": '("conv", filters, size, stride, padding)',
    "pool": '("pool", size, stride)',
    "flatten": '("flatten",)',
    "dense": '("dense", units)',
}


def _whole(value: object, name: str, minimum: int) -> int:
    if not isinstance(value, Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number (an int); got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}")
    return int(value)


def _layer(layer: Sequence) -> tuple:
    """Check one layer description; return it as a tuple of its kind and whole numbers."""
    if not isinstance(layer, (tuple, list)) or not layer or layer[0] not in _SIZES:
        raise ValueError(
            f"a layer is described by a tuple starting with 'conv', 'pool', 'flatten' or 'dense', "
            f"such as {_FORMS['conv']}; got {layer!r}"
        )
    kind = layer[0]
    if len(layer) != _SIZES[kind]:
        raise ValueError(f"a {kind} layer is described as {_FORMS[kind]}; got {layer!r}")
    names = {
        "conv": ("filters", "size", "stride", "padding"),
        "pool": ("size", "stride"),
        "dense": ("units",),
    }
    numbers = [
        _whole(value, f"{kind}'s {name}", 0 if name == "padding" else 1)
        for name, value in zip(names.get(kind, ()), layer[1:])
    ]
    return (kind, *numbers)


def describe(layer: Sequence) -> str:
    """A layer description in words: ``conv 3x3, 16 filters, stride 1, padding 1``."""
    kind, *numbers = _layer(layer)
    if kind == "conv":
        filters, size, stride, padding = numbers
        return f"conv {size}x{size}, {filters} filters, stride {stride}, padding {padding}"
    if kind == "pool":
        size, stride = numbers
        return f"pool {size}x{size}, stride {stride}"
    return "flatten" if kind == "flatten" else f"dense, {numbers[0]} units"


@answer
def shape_after(shape: Sequence[int], layer: Sequence) -> tuple[int, ...]:
    """The shape of one sample after ``layer``, given its shape before.

    Conv and pool keep the (H, W, C) form: each side becomes ``(n + 2 * padding - size) // stride
    + 1`` (pooling has no padding); a conv layer gives one channel per filter, pooling keeps the
    channels. Flatten gives ``(H * W * C,)``; a dense layer of ``units`` outputs gives ``(units,)``.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W, C)`` before a conv, pool or flatten layer; ``(D,)`` before a dense layer.
    layer : tuple
        A layer description (see the module's docstring).

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> shape_after((8, 8, 1), ("conv", 16, 3, 1, 1))
    (8, 8, 16)
    >>> shape_after((8, 8, 16), ("pool", 2, 2))
    (4, 4, 16)
    >>> shape_after((2, 2, 32), ("flatten",))
    (128,)

    Taught in lesson 08.
    """
    kind, *numbers = _layer(layer)
    shape = tuple(shape)
    if kind == "dense":
        if len(shape) != 1:
            raise ValueError(f"a dense layer takes a vector (D,); got shape {shape}: flatten first")
        return (numbers[0],)
    if len(shape) != 3:
        raise ValueError(f"a {kind} layer takes a stack of maps (H, W, C); got shape {shape}")
    height, width, channels = (_whole(n, "each side of the shape", 1) for n in shape)
    if kind == "flatten":
        return (height * width * channels,)
    if kind == "conv":
        filters, size, stride, padding = numbers
    else:
        (size, stride), filters, padding = numbers, channels, 0
    sides = tuple(ops.output_size(n, size, stride, padding) for n in (height, width))
    return (*sides, filters)


def _geometry(layers: Sequence[Sequence]) -> list[tuple[int, int, int]]:
    """(size, stride, padding) of each layer; flatten and dense have no window and are refused."""
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence) or not layers:
        raise ValueError(f"layers must be a non-empty list of layer descriptions; got {layers!r}")
    found = []
    for layer in layers:
        kind, *numbers = _layer(layer)
        if kind in ("flatten", "dense"):
            raise ValueError(
                f"a {kind} layer has no window: every unit after it sees the whole input, so receptive "
                "fields are counted through conv and pool layers only"
            )
        found.append((numbers[1], numbers[2], numbers[3]) if kind == "conv" else (*numbers, 0))
    return found


@answer
def receptive_field(layers: Sequence[Sequence]) -> int:
    """The side of the square of input pixels that one unit after ``layers`` depends on.

    Each layer's window of ``size`` units spans ``(size - 1) * jump`` more input pixels, where
    ``jump``, the distance in input pixels between two neighbouring units of that layer's input, is
    the product of the strides of all the layers before it: ``r = 1 + sum (size_i - 1) * (s_1 * ...
    * s_(i-1))``. Padding moves the field but does not change its size.

    Parameters
    ----------
    layers : list of tuple
        Conv and pool layer descriptions, first layer first.

    Returns
    -------
    int

    Examples
    --------
    >>> receptive_field([("conv", 16, 3, 1, 1), ("conv", 16, 3, 1, 1)])
    5
    >>> receptive_field([("conv", 16, 3, 1, 1), ("pool", 2, 2), ("conv", 32, 3, 1, 1)])
    8

    Taught in lesson 08.
    """
    field, jump = 1, 1
    for size, stride, _ in _geometry(layers):
        field += (size - 1) * jump
        jump *= stride
    return field


@answer
def field_box(layers: Sequence[Sequence], row: int, col: int) -> tuple[int, int, int, int]:
    """The input pixels one unit sees: ``(top, left, bottom, right)``, bottom and right excluded.

    The unit is at ``row``, ``col`` of the output of the last of ``layers``. The box is in the
    coordinates of the first layer's input without padding, so it can stick out past the edges
    (into the zeros padding adds); clip it to the image to draw it.

    Examples
    --------
    >>> field_box([("conv", 1, 3, 1, 1), ("pool", 2, 2)], 0, 1)
    (-1, 1, 3, 5)
    """
    size = receptive_field(layers)
    jump, offset = 1, 0
    for _size, stride, padding in _geometry(layers):
        offset += padding * jump
        jump *= stride
    top, left = row * jump - offset, col * jump - offset
    return top, left, top + size, left + size


def _numbers(value: ArrayLike, name: str, ndim: int, shape: str) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {shape}; got shape {array.shape}")
    return array


@answer
def dense(x: ArrayLike, weights: ArrayLike, biases: ArrayLike) -> np.ndarray:
    """A fully connected layer on a batch: ``out[n, j] = sum over i of x[n, i] * weights[i, j] + biases[j]``.

    Parameters
    ----------
    x : array_like, shape (N, D_in)
        One row per sample (a flattened stack of maps, for instance).
    weights : array_like, shape (D_in, D_out)
        One column per output: column j holds the weights of output j.
    biases : array_like, shape (D_out,)

    Returns
    -------
    ndarray, shape (N, D_out), float64 (float32 when every input is float32; int64 when every
    input holds whole numbers)

    Examples
    --------
    >>> weights = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    >>> dense(np.array([[1.0, 2.0]]), weights, np.array([0.0, 0.0, 10.0]))
    array([[ 1.,  2., 13.]])

    Taught in lesson 08.
    """
    x = _numbers(x, "x", 2, "(N, D_in), one row per sample")
    weights = _numbers(weights, "weights", 2, "(D_in, D_out)")
    biases = _numbers(biases, "biases", 1, "(D_out,)")
    if weights.shape[0] != x.shape[1]:
        raise ValueError(
            f"weights must have one row per input feature: x is {x.shape}, so weights must be "
            f"({x.shape[1]}, D_out); got {weights.shape}"
        )
    if biases.shape != (weights.shape[1],):
        raise ValueError(f"biases must have shape (D_out,) = ({weights.shape[1]},); got {biases.shape}")
    dtype = np.result_type(x, weights, biases)
    # whole numbers in, whole numbers out (as x @ weights + biases gives them); else float32 or 64
    dtype = np.dtype(np.int64) if dtype.kind in "biu" else np.result_type(dtype, np.float32)
    return x.astype(dtype) @ weights.astype(dtype) + biases.astype(dtype)


@answer
def forward(
    images: ArrayLike,
    conv1_w: ArrayLike,
    conv1_b: ArrayLike,
    conv2_w: ArrayLike,
    conv2_b: ArrayLike,
    dense_w: ArrayLike,
    dense_b: ArrayLike,
) -> np.ndarray:
    """Scores of a two-layer CNN with a dense head, the course's digit network, on a batch.

    conv 3x3 (padding 1) -> ReLU -> 2x2 max pool -> conv 3x3 (padding 1) -> ReLU -> 2x2 max pool
    -> flatten (channels last, ``reshape(N, -1)``) -> dense. No softmax: the scores themselves.

    Parameters
    ----------
    images : array_like, shape (N, H, W, C)
        H and W multiples of 4 (8 x 8 x 1 for the digits).
    conv1_w, conv1_b : array_like, shapes (F1, 3, 3, C) and (F1,)
    conv2_w, conv2_b : array_like, shapes (F2, 3, 3, F1) and (F2,)
    dense_w, dense_b : array_like, shapes (H/4 * W/4 * F2, K) and (K,)
        ``cnnlib.layers.digits_cnn()``'s ``params["conv1.w"]``, ... hold the same six arrays.

    Returns
    -------
    scores : ndarray, shape (N, K)

    Taught in lesson 08.
    """
    images = _numbers(images, "images", 4, "(N, H, W, C), a batch")
    x = ops.max_pool2d(ops.relu(ops.conv2d(images, conv1_w, conv1_b, padding=1)), 2)
    x = ops.max_pool2d(ops.relu(ops.conv2d(x, conv2_w, conv2_b, padding=1)), 2)
    x = x.reshape(len(x), -1)
    dense_w = np.asarray(dense_w)
    if dense_w.ndim != 2 or x.shape[1] != dense_w.shape[0]:
        raise ValueError(
            f"dense_w must have one row per flattened feature: after two conv-ReLU-pool layers one "
            f"image is {x.shape[1]} numbers, dense_w is {dense_w.shape}"
        )
    return x @ dense_w + np.asarray(dense_b)


def _top_left() -> np.ndarray:
    """Lesson 08's top-left corner filter on four edge maps (left, right, top, bottom edges)."""
    weights = np.zeros((3, 3, 4))
    weights[1:, 1, 0], weights[0, 1, 0] = 1, -1  # left edges: down from the corner, none above it
    weights[1, 1:, 2], weights[1, 0, 2] = 1, -1  # top edges: right of the corner, none left of it
    return weights


@answer
def corner_filters() -> tuple[np.ndarray, np.ndarray]:
    """Lesson 08's four corner detectors as one bank on the four edge maps, and their biases.

    Top-left, top-right, bottom-left and bottom-right corners of bright shapes, in that order: the
    top-left filter (``has_corner``'s), mirrored left to right (the left-edges and right-edges
    slices swap) and upside down (the top-edges and bottom-edges slices swap). Each bias is -1.

    Returns
    -------
    filters : ndarray, shape (4, 3, 3, 4)
    biases : ndarray, shape (4,)

    Examples
    --------
    >>> filters, biases = corner_filters()
    >>> filters.shape, biases.tolist()
    ((4, 3, 3, 4), [-1.0, -1.0, -1.0, -1.0])

    Taught in lesson 08 (its top-left filter is the exercise ``has_corner``).
    """
    top_left = _top_left()
    top_right = top_left[:, ::-1][:, :, [1, 0, 2, 3]]
    bottom_left = top_left[::-1][:, :, [0, 1, 3, 2]]
    bottom_right = top_left[::-1, ::-1][:, :, [1, 0, 3, 2]]
    return np.array([top_left, top_right, bottom_left, bottom_right]), np.full(4, -1.0)


@answer
def has_corner(image: ArrayLike, edges: ArrayLike) -> bool:
    """Whether a two-layer network finds the top-left corner of a bright shape anywhere in ``image``.

    Layer 1 is the bank ``edges`` (left, right, top and bottom edges, in that order), then ReLU;
    layer 2 is one 3 x 3 x 4 filter that adds a left edge going down and a top edge going right
    from the same place (and subtracts them where they go on past it), with bias -1, then ReLU.
    Both convolutions are valid (no padding: the zeros around a bright border would make edges
    that are not in the picture). True when any unit of layer 2 is above 0.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Brightness, 0 (dark) to 1 (bright).
    edges : array_like, shape (4, 3, 3, 1)
        Lesson 08's edge filters: right minus left, left minus right, and the same turned, each / 3.

    Returns
    -------
    bool

    Taught in lesson 08.
    """
    image = _numbers(image, "image", 2, "(H, W), one gray image")
    edge_maps = ops.relu(
        ops.conv2d(image.astype(np.float64)[:, :, None], np.asarray(edges, dtype=np.float64))
    )
    corners = ops.relu(ops.conv2d(edge_maps, _top_left()[None], np.array([-1.0])))
    return bool((corners > 0).any())
