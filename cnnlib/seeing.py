"""Lesson 10 (seeing): what a trained network sees, and the reference answers to its exercises.

- ``feature_maps(net, x, k)``: the output of layer ``k`` of a `cnnlib.layers.Sequential`, counted
  from 0 as ``list(net.layers)`` lists them (for the digit CNN: 0 conv1, 1 relu1, 2 pool1, ...);
- ``top_patches(net, images, unit, n)``: the n images whose best position excites one map of one
  layer most, largest first, each with the box of input pixels that position sees (lesson 08's
  ``field_box``): the idea behind the deep visualization toolbox;
- ``occlusion_map(predict, image, patch, stride)``: how much a score drops when a gray square
  hides each part of the image, scaled so the largest drop is 1;
- ``classify_faces(x_train, y_train, x_test, seed)``: a small CNN told faces from non-faces
  (scikit-image's ``lfw_subset``), trained and asked about held-out images.

Helpers the lesson and later code use: ``stack_of`` (a network's conv and pool layers as lesson
08's descriptions), ``cut_patches``, ``probabilities``, ``face_cnn``, ``oriented_filters``.

Shapes, as everywhere in the course: a batch ``(N, H, W, C)``, one gray image ``(H, W)``, a filter
bank ``(F, kh, kw, C)``. Learners write ``feature_maps``, ``top_patches``, ``occlusion_map`` and
their own face classifier in lesson 10.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral

import numpy as np
from numpy.typing import ArrayLike

from . import data, deep_stacks, ops, train
from .guard import answer
from .layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential

__all__ = [
    "GRAY",
    "feature_maps",
    "stack_of",
    "top_patches",
    "cut_patches",
    "occlusion_map",
    "probabilities",
    "face_cnn",
    "classify_faces",
    "face_truth",
    "oriented_filters",
]

GRAY = 0.5  # what the occluder paints: halfway between black (0) and white (1)


def _network(net: object) -> Sequential:
    if not isinstance(net, Sequential):
        raise TypeError(f"net must be a cnnlib.layers.Sequential network; got {type(net).__name__}")
    return net


def _layer_index(net: Sequential, k: object, call: str = "") -> int:
    """``k`` checked as an index into ``list(net.layers)``; ``call`` ("stack_of(net, k)") starts
    the message, so that a learner sees which call asked for a layer that is not there."""
    where = f"{call}: " if call else ""
    if not isinstance(k, Integral) or isinstance(k, bool):
        raise TypeError(f"{where}k must be a whole number (an int), the layer's index; got {k!r}")
    names = list(net.layers)
    if not 0 <= k < len(names):
        raise ValueError(
            f"{where}k must be 0 to {len(names) - 1}, an index into the network's layers {names}; got {k}"
        )
    return int(k)


def _batch(net: Sequential, x: ArrayLike, name: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers; got an array of dtype {x.dtype}")
    if x.shape[1:] != net.input_shape or x.ndim != len(net.input_shape) + 1:
        wanted = ", ".join(map(str, net.input_shape))
        hint = " (one image? add the batch axis: x[None])" if x.shape == net.input_shape else ""
        raise ValueError(f"{name} must be a batch (N, {wanted}) for this network; got shape {x.shape}{hint}")
    return x


@answer
def feature_maps(net: Sequential, x: ArrayLike, k: int) -> np.ndarray:
    """The output of layer ``k`` of ``net`` for a batch ``x``: every layer up to k, in order.

    Parameters
    ----------
    net : Sequential
    x : array_like, shape (N, *net.input_shape)
    k : int
        The layer's index in ``list(net.layers)``, from 0: for the digit CNN 0 is conv1 (before its
        ReLU), 1 is relu1, 2 is pool1.

    Returns
    -------
    numpy.ndarray, shape (N, *net.shapes[name of layer k]), the network's dtype.

    Examples
    --------
    >>> from cnnlib.layers import digits_cnn
    >>> feature_maps(digits_cnn(0), np.zeros((2, 8, 8, 1)), 2).shape
    (2, 4, 4, 16)

    Taught in lesson 10.
    """
    net = _network(net)
    k = _layer_index(net, k, "feature_maps(net, x, k)")
    out = _batch(net, x).astype(net.dtype)
    for layer in list(net.layers.values())[: k + 1]:
        out = layer.forward(out)
    return out


def stack_of(net: Sequential, k: int) -> list[tuple]:
    """Layers 0..k of ``net`` as lesson 08's descriptions, conv and pool only (ReLU has no window).

    ``deep_stacks.field_box(stack_of(net, k), row, col)`` is then the box of input pixels that unit
    (row, col) of layer k sees.

    Examples
    --------
    >>> from cnnlib.layers import digits_cnn
    >>> stack_of(digits_cnn(0), 3)
    [('conv', 16, 3, 1, 1), ('pool', 2, 2), ('conv', 32, 3, 1, 1)]
    """
    net = _network(net)
    k = _layer_index(net, k, "stack_of(net, k)")
    stack = []
    for name, layer in list(net.layers.items())[: k + 1]:
        if isinstance(layer, Conv2D):
            stack.append(("conv", layer.filters, layer.kernel[0], layer.stride[0], layer.padding[0]))
        elif isinstance(layer, (MaxPool2D, AvgPool2D)):
            stack.append(("pool", layer.size[0], layer.stride[0]))
        elif not isinstance(layer, ReLU):
            raise ValueError(
                f"layer {k} comes after {name}, which has no window: its units see the whole input"
            )
    return stack


def _unit(net: Sequential, unit: object) -> tuple[int, int]:
    if not isinstance(unit, (tuple, list)) or len(unit) != 2:
        raise ValueError(f"unit must be (k, f): a layer's index and one of its maps; got {unit!r}")
    k = _layer_index(net, unit[0])
    shape = list(net.shapes.values())[k]
    f = unit[1]
    if len(shape) != 3:
        raise ValueError(f"layer {k} gives vectors {shape}, not maps: pick a conv, ReLU or pool layer")
    if not isinstance(f, Integral) or isinstance(f, bool) or not 0 <= f < shape[2]:
        raise ValueError(f"the map f must be 0 to {shape[2] - 1} (layer {k} has {shape[2]} maps); got {f!r}")
    return k, int(f)


@answer
def top_patches(
    net: Sequential, images: ArrayLike, unit: tuple[int, int], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """The n images that excite one map of one layer most, and where: largest first.

    Each image counts once, at its best position (the first in reading order if several tie); the
    images are sorted by that activation, largest first (equal ones in image order).

    Parameters
    ----------
    net : Sequential
    images : array_like, shape (N, *net.input_shape)
    unit : (k, f)
        Layer index (as in `feature_maps`) and map number.
    n : int
        How many, 1 to N.

    Returns
    -------
    values : (n,) float64
        The activations, largest first.
    boxes : (n, 5) int64
        One row per patch: image index, then ``(top, left, bottom, right)`` of the input pixels
        its position sees (``deep_stacks.field_box``; bottom and right excluded, and it can stick
        out past the edges, into the padding's zeros).

    Taught in lesson 10.
    """
    net = _network(net)
    images = _batch(net, images, "images")
    k, f = _unit(net, unit)
    if not isinstance(n, Integral) or isinstance(n, bool) or not 1 <= n <= len(images):
        raise ValueError(f"n must be a whole number from 1 to the number of images, {len(images)}; got {n!r}")
    maps = feature_maps(net, images, k)[..., f].astype(np.float64)  # (N, H', W')
    flat = maps.reshape(len(maps), -1)
    best = flat.argmax(axis=1)
    values = flat[np.arange(len(flat)), best]
    order = np.argsort(-values, kind="stable")[:n]
    width = maps.shape[2]
    stack = stack_of(net, k)
    boxes = np.array(
        [(i, *deep_stacks.field_box(stack, *divmod(int(best[i]), width))) for i in order], dtype=np.int64
    )
    return values[order], boxes


def cut_patches(images: ArrayLike, boxes: ArrayLike) -> np.ndarray:
    """The patches that boxes from `top_patches` frame: (n, h, w, C), zeros where a box sticks out.

    Zeros are what a padded convolution put there, so each patch is what the unit saw.
    """
    images = np.asarray(images)
    boxes = np.asarray(boxes, dtype=np.int64)
    if images.ndim != 4 or boxes.ndim != 2 or boxes.shape[1] != 5:
        raise ValueError(
            f"images must be (N, H, W, C) and boxes (n, 5); got {images.shape} and {boxes.shape}"
        )
    sides = boxes[:, 3:5] - boxes[:, 1:3]
    h, w = (int(s) for s in sides.max(axis=0))
    out = np.zeros((len(boxes), h, w, images.shape[3]), dtype=images.dtype)
    height, width = images.shape[1:3]
    for j, (i, top, left, bottom, right) in enumerate(boxes):
        t, b = max(top, 0), min(bottom, height)
        lo, hi = max(left, 0), min(right, width)
        if t < b and lo < hi:
            out[j, t - top : b - top, lo - left : hi - left] = images[i, t:b, lo:hi]
    return out


def _gray_image(image: ArrayLike) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype.kind not in "biuf":
        raise TypeError(f"image must hold numbers; got an array of dtype {image.dtype}")
    if image.ndim != 2:
        raise ValueError(f"image must be one gray image (H, W); got shape {image.shape}")
    return image


@answer
def occlusion_map(
    predict: Callable[[np.ndarray], float], image: ArrayLike, patch: int, stride: int
) -> np.ndarray:
    """Where a prediction looks: the score's drop when a gray square hides each part of the image.

    The square, ``patch`` x ``patch`` pixels of ``GRAY`` (0.5), is put at every ``stride``-th
    position where it fits (top-left corners 0, stride, 2 * stride, ...), on a copy of the image.
    ``drop[r, c] = predict(image) - predict(image with the square at row r * stride, column c *
    stride)``; the map is the drops divided by the largest size of a drop, so the most important
    place is 1 and a place that helped when hidden is negative (all zeros when nothing changes).

    Parameters
    ----------
    predict : callable
        ``predict(image) -> float``, the score of one class for one (H, W) image.
    image : array_like, shape (H, W)
        Values in [0, 1]; never changed.
    patch, stride : int

    Returns
    -------
    numpy.ndarray, shape ((H - patch) // stride + 1, (W - patch) // stride + 1), float64, in [-1, 1].

    Taught in lesson 10.
    """
    image = _gray_image(image)
    for name, value in (("patch", patch), ("stride", stride)):
        if not isinstance(value, Integral) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")
    height, width = image.shape
    if patch > min(height, width):
        raise ValueError(f"a {patch} x {patch} patch does not fit in an image of {height} x {width}")
    base = float(predict(image.astype(np.float64)))
    rows, cols = (height - patch) // stride + 1, (width - patch) // stride + 1
    drops = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            hidden = image.astype(np.float64)  # a new array every time: the image is never touched
            hidden[r * stride : r * stride + patch, c * stride : c * stride + patch] = GRAY
            drops[r, c] = base - float(predict(hidden))
    largest = np.abs(drops).max()
    return drops / largest if largest > 0 else drops


def probabilities(net: Sequential, x: ArrayLike) -> np.ndarray:
    """The softmax of the network's scores for a batch: (N, classes), each row adding up to 1."""
    net = _network(net)
    return ops.softmax(net.forward(_batch(net, x)).astype(np.float64), axis=1)


@answer
def face_cnn(seed: int = 0) -> Sequential:
    """A small CNN for 25 x 25 faces: conv 5x5 (8 filters), ReLU, 3x3 max pool, flatten, dense 392 -> 2.

    The network of `classify_faces`, so switched off while a learner's is checked: the exercise
    is to choose and build one's own layers.
    """
    return Sequential(
        [Conv2D(1, 8, 5), ReLU(), MaxPool2D(3), Flatten(), Dense(7 * 7 * 8, 2)],
        input_shape=(25, 25, 1),
        seed=seed,
    )


def _face_split(x_train: ArrayLike, y_train: ArrayLike, x_test: ArrayLike) -> tuple[np.ndarray, ...]:
    x_train, x_test = np.asarray(x_train, np.float32), np.asarray(x_test, np.float32)
    y_train = np.asarray(y_train)
    for name, x in (("x_train", x_train), ("x_test", x_test)):
        if x.ndim != 4 or x.shape[1:] != (25, 25, 1):
            raise ValueError(f"{name} must be a batch of faces (N, 25, 25, 1); got shape {x.shape}")
    if y_train.shape != (len(x_train),):
        raise ValueError(
            f"y_train must hold one label per training image, ({len(x_train)},); got {y_train.shape}"
        )
    return x_train, y_train.astype(np.int64), x_test


@answer
def classify_faces(x_train: ArrayLike, y_train: ArrayLike, x_test: ArrayLike, seed: int = 0) -> np.ndarray:
    """Train `face_cnn` (seed ``seed``) on the faces and say which test images are faces: (N_test,) int.

    15 epochs of Adam (learning rate 0.003, batches of 16), well under a second; 1 = face
    (``data.FACE``), 0 = not a face. Taught in lesson 10.
    """
    x_train, y_train, x_test = _face_split(x_train, y_train, x_test)
    net = face_cnn(seed)
    train.fit(net, x_train, y_train, epochs=15, batch_size=16, lr=3e-3, seed=seed, progress=False)
    return net.predict(x_test).astype(np.int64)


_FACES: dict[bytes, int] = {}


@answer
def face_truth(x_train: ArrayLike, y_train: ArrayLike, x_test: ArrayLike, seed: int = 0) -> np.ndarray:
    """The true labels of the test images, looked up in ``lfw_subset``: what a perfect classifier says.

    The face exercise's expected answer (a classifier passes with 90 % of them right); switched
    off while it is checked, with `classify_faces`.
    """
    _, _, x_test = _face_split(x_train, y_train, x_test)
    if not _FACES:
        from skimage.data import lfw_subset

        for index, image in enumerate(np.asarray(lfw_subset(), np.float32)):
            _FACES[image.tobytes()] = data.FACE if index < 100 else data.NOT_FACE
    try:
        return np.array([_FACES[image[:, :, 0].tobytes()] for image in x_test], dtype=np.int64)
    except KeyError:
        raise ValueError("x_test must hold images of scikit-image's lfw_subset, unchanged") from None


def oriented_filters(n: int = 8, size: int = 9, wavelength: float = 6.0) -> np.ndarray:
    """n oriented stripe detectors (Gabor filters), like a trained first layer's: (n, size, size, 1).

    Filter i looks for stripes at ``180 * i / n`` degrees: a cosine wave of ``wavelength`` pixels
    across them, under a round Gaussian window, with its mean taken out (flat areas give 0).
    """
    half = size // 2
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    window = np.exp(-(x**2 + y**2) / (2 * (size / 4) ** 2))
    bank = []
    for i in range(n):
        angle = np.pi * i / n
        across = x * np.cos(angle) + y * np.sin(angle)
        wave = np.cos(2 * np.pi * across / wavelength) * window
        wave -= window * (wave.sum() / window.sum())
        bank.append(wave / np.abs(wave).sum())
    return np.array(bank)[..., None]
