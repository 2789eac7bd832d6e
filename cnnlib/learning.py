"""Lesson 09 (learning): the reference answers to its exercises, and the one-filter experiment.

A network learns by changing its numbers a little at a time so that a loss goes down. Lesson 09
does it first for one 3x3 filter, where every piece fits on a page:

- the loss is the mean squared error between the filter's feature map and a target map,
  ``mse(conv2d(image, kernel), target)``;
- its gradient with respect to the kernel is a correlation of the input with the error:
  ``filter_gradient(image, error)``, the same sliding window as lesson 04;
- a numerical gradient (``numerical_gradient``, central differences) checks it without calculus;
- one gradient-descent step is ``sgd_step(w, grad, lr) = w - lr * grad``;
- repeated, the steps turn a random filter into the hidden one (``learn_filter``; ``filter_path``
  keeps every step for the figures).

Then the digit CNN is trained with ``cnnlib.train.fit``, and ``accuracy`` scores it.

Shapes: image ``(H, W)``, kernel ``(kh, kw)``, error and target ``(H - kh + 1, W - kw + 1)``; a
batch of images ``(N, H, W)`` and of targets ``(N, H', W')``; scores ``(N, K)``, labels ``(N,)``.
Learners write ``numerical_gradient``, ``filter_gradient``, ``sgd_step``, ``learn_filter`` and
``accuracy`` themselves in lesson 09; from lesson 10 on, lessons call these.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from . import ops
from .guard import answer

__all__ = [
    "mse",
    "numerical_gradient",
    "filter_gradient",
    "sgd_step",
    "learn_filter",
    "filter_path",
    "accuracy",
    "edge_pairs",
]


def _floats(value: ArrayLike, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float64 array, or a ValueError/TypeError in the learner's words."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    wanted = (ndim,) if isinstance(ndim, int) else ndim
    if wanted is not None and array.ndim not in wanted:
        raise ValueError(f"{name} must have {' or '.join(map(str, wanted))} axes; got shape {array.shape}")
    return array.astype(np.float64)


def mse(prediction: ArrayLike, target: ArrayLike) -> float:
    """Mean squared error: the mean over all values of (prediction - target) ** 2.

    Examples
    --------
    >>> mse(np.array([1.0, 2.0]), np.array([1.0, 4.0]))   # (0 + 4) / 2
    2.0
    """
    prediction, target = _floats(prediction, "prediction"), _floats(target, "target")
    if prediction.shape != target.shape:
        raise ValueError(f"prediction {prediction.shape} and target {target.shape} must have the same shape")
    # an exploding descent's loss is inf: said by the number, without a warning quoting this line
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.mean((prediction - target) ** 2))


@answer
def numerical_gradient(f: Callable[[np.ndarray], float], w: ArrayLike, eps: float = 1e-5) -> np.ndarray:
    """The gradient of ``f`` at ``w`` by central differences, one entry at a time.

    ``grad[i] = (f(w + eps at i) - f(w - eps at i)) / (2 * eps)``, for every index i of w (all
    axes). ``w`` itself is never changed: each nudge is made on a copy.

    Parameters
    ----------
    f : callable, array -> float
        The function (a loss) of an array shaped like w.
    w : array_like, any shape
    eps : float > 0
        The nudge.

    Returns
    -------
    grad : ndarray of float64, the shape of w

    Examples
    --------
    >>> numerical_gradient(lambda w: float((w ** 2).sum()), np.array([1.0, -3.0]))   # 2w
    array([ 2., -6.])

    Taught in lesson 09.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of an array that returns a number, got {type(f).__name__}")
    w = _floats(w, "w")
    if not np.ndim(eps) == 0 or not eps > 0:
        raise ValueError(f"eps must be a small positive number, got {eps!r}")
    grad = np.zeros(w.shape)
    for index in np.ndindex(w.shape):
        plus, minus = w.copy(), w.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (float(f(plus)) - float(f(minus))) / (2 * eps)
    return grad


def _image_and_error(image: ArrayLike, error: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    image, error = _floats(image, "image", 2), _floats(error, "error", 2)
    if error.shape[0] > image.shape[0] or error.shape[1] > image.shape[1] or 0 in error.shape:
        raise ValueError(
            f"error {error.shape} must be a feature map of the image {image.shape}: "
            "(H - kh + 1, W - kw + 1), no larger than the image"
        )
    return image, error


@answer
def filter_gradient(image: ArrayLike, error: ArrayLike) -> np.ndarray:
    """Gradient of the mean squared error with respect to the kernel: the input correlated with the error.

    With ``prediction = conv2d(image, kernel)`` (valid, stride 1) and ``error = prediction - target``,
    the loss ``mean(error ** 2)`` changes with ``kernel[i, j]`` by

    ``grad[i, j] = 2 * mean over (r, c) of error[r, c] * image[r + i, c + j]``,

    i.e. ``2 / error.size * conv2d(image, error)``: the error slid over the image like a kernel.

    Parameters
    ----------
    image : array_like, shape (H, W)
    error : array_like, shape (H', W') = (H - kh + 1, W - kw + 1)

    Returns
    -------
    grad : ndarray of float64, shape (kh, kw) = (H - H' + 1, W - W' + 1)

    Examples
    --------
    >>> filter_gradient(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5]]))   # 2 * 0.5 * image
    array([[1., 2.],
           [3., 4.]])

    Taught in lesson 09.
    """
    image, error = _image_and_error(image, error)
    return 2.0 / error.size * ops.conv2d(image, error)


@answer
def sgd_step(w: ArrayLike, grad: ArrayLike, lr: float) -> np.ndarray:
    """One step of gradient descent: ``w - lr * grad``, a new array (w is left as it was).

    Examples
    --------
    >>> sgd_step(np.array([1.0, -2.0]), np.array([0.5, -4.0]), 0.1)
    array([ 0.95, -1.6 ])

    Taught in lesson 09.
    """
    w, grad = _floats(w, "w"), _floats(grad, "grad")
    if w.shape != grad.shape:
        raise ValueError(f"w {w.shape} and grad {grad.shape} must have the same shape")
    return w - lr * grad


def _pairs(inputs: ArrayLike, targets: ArrayLike, start: ArrayLike) -> tuple[np.ndarray, ...]:
    inputs, targets = _floats(inputs, "inputs", 3), _floats(targets, "targets", 3)
    start = _floats(start, "start", 2)
    kh, kw = start.shape
    n, h, w = inputs.shape
    if targets.shape != (n, h - kh + 1, w - kw + 1):
        raise ValueError(
            f"targets must be one feature map per input, (N, H - kh + 1, W - kw + 1) = "
            f"{(n, h - kh + 1, w - kw + 1)} for inputs {inputs.shape} and a {kh} x {kw} start; "
            f"got {targets.shape}"
        )
    return inputs, targets, start


def _batch_gradient(inputs: np.ndarray, targets: np.ndarray, kernel: np.ndarray) -> tuple[float, np.ndarray]:
    """(loss, gradient) of the mean over the batch of each image's mean squared error.

    All images at once: every window of every image (a strided view, nothing copied), the maps
    as one sum over the windows' cells, the gradient as one sum over the positions: per image,
    ``filter_gradient(x, error)``, averaged over the N images.
    """
    windows = np.lib.stride_tricks.sliding_window_view(
        inputs, kernel.shape, axis=(1, 2)
    )  # (N, H', W', kh, kw)
    errors = np.einsum("nrcij,ij->nrc", windows, kernel) - targets
    with np.errstate(over="ignore"):  # an exploding descent's loss is inf, without a warning
        loss = float(np.mean(errors**2))
    grad = 2.0 / errors.size * np.einsum("nrcij,nrc->ij", windows, errors)
    return loss, grad


@answer
def filter_path(
    inputs: ArrayLike, targets: ArrayLike, start: ArrayLike, lr: float = 0.1, steps: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on one filter, every step kept: the kernels and the loss before each step.

    Returns
    -------
    kernels : ndarray (steps + 1, kh, kw)
        ``kernels[0]`` is `start`, ``kernels[s]`` the filter after s steps.
    losses : ndarray (steps + 1,)
        The loss (mean over the batch of the mean squared error) of each of those kernels.
    """
    inputs, targets, kernel = _pairs(inputs, targets, start)
    kernels, losses = [kernel], []
    for _ in range(int(steps)):
        loss, grad = _batch_gradient(inputs, targets, kernel)
        losses.append(loss)
        kernel = kernel - lr * grad
        kernels.append(kernel)
    losses.append(_batch_gradient(inputs, targets, kernel)[0])
    return np.array(kernels), np.array(losses)


@answer
def learn_filter(
    inputs: ArrayLike, targets: ArrayLike, start: ArrayLike, lr: float = 0.1, steps: int = 100
) -> np.ndarray:
    """Learn a kernel from input/target pairs: `steps` steps of gradient descent from `start`.

    Each step computes every image's feature map with the current kernel, its error against the
    target, the gradient of that image's mean squared error (``filter_gradient``), takes the mean
    of the N gradients, and steps: ``kernel = kernel - lr * mean_gradient``.

    Parameters
    ----------
    inputs : array_like (N, H, W)
    targets : array_like (N, H - kh + 1, W - kw + 1)
        ``conv2d(inputs[n], hidden_kernel)`` for a kernel to find.
    start : array_like (kh, kw)
        The first guess (random numbers, in the lesson); left unchanged.
    lr : float
        The learning rate.
    steps : int

    Returns
    -------
    kernel : ndarray of float64 (kh, kw)

    Taught in lesson 09.
    """
    inputs, targets, kernel = _pairs(inputs, targets, start)
    for _ in range(int(steps)):
        kernel = kernel - lr * _batch_gradient(inputs, targets, kernel)[1]
    return kernel


@answer
def accuracy(scores: ArrayLike, labels: ArrayLike) -> float:
    """The fraction of samples whose highest score is at their label: a float in [0, 1].

    Parameters
    ----------
    scores : array_like (N, K)
        One row of K class scores per sample (or probabilities: the largest is the same).
    labels : array_like (N,) of int in [0, K)

    Examples
    --------
    >>> accuracy(np.array([[0.1, 2.0], [3.0, 1.0], [0.0, 0.5]]), np.array([1, 1, 1]))
    0.6666666666666666

    Taught in lesson 09.
    """
    scores, labels = np.asarray(scores), np.asarray(labels)
    if scores.ndim != 2 or labels.shape != scores.shape[:1]:
        raise ValueError(f"need scores (N, K) and labels (N,); got {scores.shape} and {labels.shape}")
    return float(np.mean(scores.argmax(axis=1) == labels))


def edge_pairs(
    kernel: ArrayLike, n: int = 8, size: int = 10, seed: int = 0, images: ArrayLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Input/target pairs for a hidden kernel: images and what the kernel makes of them.

    Parameters
    ----------
    kernel : array_like (kh, kw)
        The filter to hide.
    n, size, seed : int
        Without `images`: n random images of size x size (uniform in [0, 1]) from `seed`.
    images : array_like (N, H, W), optional
        Use these instead (patches of a photo, in the lesson).

    Returns
    -------
    inputs : (N, H, W) float64;  targets : (N, H - kh + 1, W - kw + 1) float64
    """
    kernel = _floats(kernel, "kernel", 2)
    if images is None:
        inputs = np.random.default_rng(seed).uniform(0, 1, size=(n, size, size))
    else:
        inputs = _floats(images, "images", 3)
    return inputs, np.array([ops.conv2d(x, kernel) for x in inputs])
