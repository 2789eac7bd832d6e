"""Lesson 09 (learning): the exercises numerical_gradient, filter_gradient, sgd_step, learn_filter
and accuracy, as data.

The references are cnnlib's answers in ``cnnlib.learning``. ``numerical_gradient`` takes a
function, which a case cannot carry as plain data (a grader sends cases to a sandbox): its cases
name the function by its formula (``"f(w) = sum(w ** 2)"``) and ``prepare`` turns the formula into
the function, in whichever process calls. Each mistake computes, from the same inputs, the wrong
answer a learner gives in practice, so the message can name it. ``cnnlib.ops.conv2d`` stays free
throughout: it is lesson 04's, and the filter's gradient is a correlation it computes.
"""

from __future__ import annotations

import numpy as np

from .. import gradcheck, learning, ops
from .exercise import Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = [
    "check_numerical_gradient",
    "check_filter_gradient",
    "check_sgd_step",
    "check_learn_filter",
    "check_accuracy",
    "FUNCTIONS",
    "EXERCISES",
]

LESSON = "09_learning"


# ------------------------------------------------------------------ numerical_gradient

_LOSS_IMAGE = np.random.default_rng(9).integers(0, 10, size=(6, 6)).astype(np.float64) / 10
_LOSS_TARGET = ops.conv2d(_LOSS_IMAGE, np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]) / 4)

FUNCTIONS = {
    "f(w) = sum(w ** 2)": lambda w: float(np.sum(w**2)),
    "f(w) = sum(w ** 3)": lambda w: float(np.sum(w**3)),
    "f(w) = sum(w ** 3) + sum(w) ** 2": lambda w: float(np.sum(w**3) + np.sum(w) ** 2),
    "f(w) = sum(sin(w) * w)": lambda w: float(np.sum(np.sin(w) * w)),
    "f(w) = mse(conv2d(image, w), target), a 3 x 3 filter's loss on a 6 x 6 image": lambda w: learning.mse(
        ops.conv2d(_LOSS_IMAGE, w), _LOSS_TARGET
    ),
}


def _prepare(f, w, eps=1e-5):
    """The case names f by its formula; the call gets the function itself."""
    return (FUNCTIONS[f], w, eps), {}


def _one_sided(f, w, eps=1e-5):
    w = np.asarray(w, np.float64)
    grad = np.zeros(w.shape)
    for index in np.ndindex(w.shape):
        plus = w.copy()
        plus[index] += eps
        grad[index] = (f(plus) - f(w)) / eps
    return grad


def _not_halved(f, w, eps=1e-5):
    return 2 * learning.numerical_gradient(f, w, eps)


def _tiny_step(f, w, eps=1e-5):
    """What a fixed small step gives, whatever eps was asked for."""
    return learning.numerical_gradient(f, w, 1e-6) if eps >= 1e-3 else None


def _fixed_step(step):
    """A nudge of the learner's own, ``step``, whatever eps was asked for."""

    def wrong(f, w, eps=1e-5):
        return learning.numerical_gradient(f, w, step) if not np.isclose(eps, step) else None

    return wrong


def _all_at_once(f, w, eps=1e-5):
    """w + eps and w - eps: every entry nudged together, so every index gets the same number."""
    w = np.asarray(w, np.float64)
    return np.full(w.shape, (f(w + eps) - f(w - eps)) / (2 * eps))


def _whole_numbers(f, w, eps=1e-5):
    """Each slope stored in an integer array: cut towards 0 (1.9999999999 becomes 1)."""
    return np.trunc(learning.numerical_gradient(f, w, eps)).astype(np.int64)


def _shared_copy(f, w, eps=1e-5):
    """w_plus = w and w_minus = w (no copies): both names are w itself, nudged up then back."""
    w = np.array(w, np.float64)
    grad = np.zeros(w.shape)
    for index in np.ndindex(w.shape):
        w_plus = w
        w_plus[index] += eps
        up = f(w_plus)
        w_minus = w
        w_minus[index] -= eps
        grad[index] = (up - f(w_minus)) / (2 * eps)
    return grad


def _rows_only(f, w, eps=1e-5):
    """for i in range(len(w)): w[i] is a whole row of a 2-D w, nudged all at once."""
    w = np.asarray(w, np.float64)
    if w.ndim < 2:
        return None
    grad = np.zeros(w.shape)
    for i in range(len(w)):
        plus, minus = w.copy(), w.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus) - f(minus)) / (2 * eps)
    return grad


NUMERICAL_MISTAKES = (
    Mistake(
        "one_sided",
        "these are one-sided differences, (f(w + eps) - f(w)) / eps: they measure the slope a little "
        "to the right of w and are off by about eps times the curvature. Nudge both ways and divide "
        "by the distance between the two points: (f(w_plus) - f(w_minus)) / (2 * eps).",
        _one_sided,
    ),
    Mistake(
        "not_halved",
        "every value is twice too big: w_plus and w_minus are 2 * eps apart, so divide their "
        "difference by 2 * eps, not by eps.",
        _not_halved,
    ),
    Mistake(
        "sign_flipped",
        "the sign is flipped: the slope is f(w_plus) - f(w_minus), the value on the plus side minus "
        "the value on the minus side, divided by 2 * eps.",
        lambda f, w, eps=1e-5: -learning.numerical_gradient(f, w, eps),
    ),
    Mistake(
        "eps_ignored",
        "your numbers are what a much smaller nudge than the eps given gives (0.001 or less): "
        "nudge by the eps argument, not by a number of your own (here eps is large on purpose, so "
        "the difference shows: with eps = 0.1, central differences of w ** 3 give "
        "3 * w ** 2 + eps ** 2).",
        _tiny_step,
    ),
    Mistake(
        "eps_fixed",
        "your numbers are what a nudge of 0.01 gives, not the eps you were given: a nudge of your "
        "own (eps = 0.01 in the function's body, or a default that is never replaced) changes the "
        "result when eps is large. Nudge by the eps argument: with eps = 0.1, central differences "
        "of w ** 3 give 3 * w ** 2 + eps ** 2, 3.01 at w = 1, where a nudge of 0.01 gives 3.0001.",
        _fixed_step(0.01),
    ),
    Mistake(
        "all_at_once",
        "every entry of your gradient is the same number: w + eps adds eps to EVERY entry of w at "
        "once, so each f(w + eps) measures the slope along all of them together. Nudge one entry "
        "at a time: w_plus = w.copy(); w_plus[index] += eps.",
        _all_at_once,
    ),
    Mistake(
        "whole_numbers",
        "your gradient is an array of whole numbers (an integer dtype), so each slope was cut "
        "towards 0 when it was stored: 1.9999999999 became 1. Make grad a float array: "
        "np.zeros(w.shape) is float; np.zeros(w.shape, dtype=int), or np.zeros_like of an integer "
        "array, is not.",
        _whole_numbers,
        kinds="biu",
    ),
    Mistake(
        "shared_copy",
        "w_plus and w_minus are not copies: `w_plus = w` gives the same array a second name, so "
        "the nudge up changes w itself and the nudge down only brings it back; f(w_minus) then "
        "sees w, not w - eps, and every value is about half the slope. Make real copies: "
        "w_plus = w.copy(), w_minus = w.copy().",
        _shared_copy,
    ),
    Mistake(
        "rows_only",
        "a 2-D w got one number per row: `w[i] += eps` with one index nudges a whole row at once. "
        "Nudge one entry at a time, over every axis: `for index in np.ndindex(w.shape):` gives "
        "every (row, column) pair.",
        _rows_only,
    ),
)

_SQUARE, _CUBE, _MIXED, _SINE, _LOSS = FUNCTIONS


def _numerical_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [
        Case((_CUBE, np.round(rng.uniform(-2, 2, size=5), 2), 0.1), note="eps = 0.1, a large step"),
        Case((_MIXED, rng.normal(size=(3, 4)), 0.01), note="a 3 x 4 w: every entry, both axes"),
        Case((_SINE, rng.uniform(-3, 3, size=(2, 2, 2)), 0.05), note="a w with three axes"),
        Case((_LOSS, rng.normal(0, 0.5, size=(3, 3)), 1e-4), note="a filter's loss"),
        Case((_SQUARE, rng.uniform(-5, 5, size=7), 0.5), note="central differences are exact here"),
    ]
    return cases


NUMERICAL_GRADIENT = Exercise(
    name="numerical_gradient",
    lesson=LESSON,
    reference=learning.numerical_gradient,
    params=("f", "w", "eps"),
    visible=(
        Case((_SQUARE, np.array([1.0, -2.0, 0.5]), 0.1), note="the slope of w ** 2 is 2 * w: [2, -4, 1]"),
        Case(
            (_CUBE, np.array([1.0, 2.0]), 0.1),
            note="the slope of w ** 3 is 3 * w ** 2 = [3, 12]; central differences with eps = 0.1 "
            "give 3 * w ** 2 + eps ** 2 = [3.01, 12.01]",
        ),
        Case((_MIXED, np.array([[1.0, 0.0], [-1.0, 2.0]]), 0.01), note="a 2 x 2 w: nudge every entry"),
        Case(
            (_LOSS, np.zeros((3, 3)), 1e-3),
            note="the lesson's loss of a 3 x 3 filter, at the all-zero filter",
        ),
    ),
    hidden=_numerical_hidden,
    mistakes=NUMERICAL_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-6, atol=1e-8),
    shortcuts={
        learning.numerical_gradient: None,
        gradcheck.numerical_gradient: None,
        "scipy.optimize.approx_fprime": None,
    },
    roles={"w": "vector"},
    in_place=(
        "nudge copies, never w itself: w_plus = w.copy(); w_plus[index] += eps, and the same for "
        "w_minus. (Adding eps and taking it away again can leave w a rounding error away from where "
        "it was, and f sees a moving w.)"
    ),
    prepare=_prepare,
)


# ------------------------------------------------------------------ filter_gradient


def _grad(image, error) -> np.ndarray:
    return learning.filter_gradient(image, error)


FILTER_MISTAKES = (
    Mistake(
        "sign_flipped",
        "the sign is flipped: the error is prediction - target, and the gradient is "
        "+2 * mean(error * the pixels under each weight). With the sign flipped a step goes uphill "
        "and the loss grows.",
        lambda image, error: -_grad(image, error),
    ),
    Mistake(
        "summed",
        "the products are summed, not averaged: the loss is the MEAN of the squared errors, so "
        "divide by the number of error values (error.size), as well as multiplying by 2.",
        lambda image, error: _grad(image, error) * np.size(error),
    ),
    Mistake(
        "two_forgotten",
        "the factor 2 is missing: the derivative of error ** 2 is 2 * error.",
        lambda image, error: _grad(image, error) / 2,
    ),
    Mistake(
        "divided_by_image_size",
        "you divided by the number of pixels in the image (H * W); the mean is over the error's "
        "values, one per position of the window: divide by error.size.",
        lambda image, error: _grad(image, error) * np.size(error) / np.size(image),
    ),
    Mistake(
        "flipped",
        "the gradient is upside down and left to right: the kernel was flipped (a convolution in "
        "the mathematician's sense, or the sums read from the far corner). grad[i, j] pairs "
        "error[r, c] with image[r + i, c + j], the pixel under weight (i, j): correlate, as in "
        "lesson 04, without flipping.",
        lambda image, error: _grad(image, error)[::-1, ::-1],
    ),
    Mistake(
        "convolved",
        "that is a true convolution: the error was flipped (scipy.signal.convolve2d, np.convolve, "
        "or the error read from its far corner), so each weight is paired with the wrong pixels. "
        "grad[i, j] pairs error[r, c] with image[r + i, c + j]: correlate, as lesson 04's conv2d "
        "does (scipy.signal.correlate2d(image, error, mode='valid') is the same thing).",
        lambda image, error: 2.0 / np.size(error) * ops.conv2d(image, np.asarray(error)[::-1, ::-1]),
    ),
    Mistake(
        "image_dtype",
        "your gradient has the image's dtype (uint8 here), so every value was cut to a whole number "
        "and the negative ones wrapped round to large positive ones (-3.5 becomes 253 in uint8): "
        "np.zeros_like(image) copies the image's dtype. Make a float array: np.zeros((kh, kw)), "
        "or np.zeros_like(image, dtype=float).",
        lambda image, error: _grad(image, error).astype(image.dtype) if image.dtype.kind in "biu" else None,
        kinds="biu",
    ),
)


def _small(rows) -> np.ndarray:
    return np.array(rows, dtype=np.float64)


def _filter_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, k in [((6, 6), 3), ((7, 5), 3), ((5, 8), 2), ((9, 9), 3)]:
        image = rng.uniform(0, 1, size=shape)
        error = rng.normal(size=(shape[0] - k + 1, shape[1] - k + 1))
        cases.append(Case((image, error), note=f"a {shape[0]} x {shape[1]} image and a {k} x {k} kernel"))
    image = rng.integers(0, 256, size=(6, 7)).astype(np.uint8)
    cases.append(Case((image, rng.normal(size=(4, 4))), note="a uint8 image, a 3 x 4 kernel"))
    return cases


FILTER_GRADIENT = Exercise(
    name="filter_gradient",
    lesson=LESSON,
    reference=learning.filter_gradient,
    params=("image", "error"),
    visible=(
        Case(
            (_small([[1, 2, 0], [0, 1, 3], [2, 0, 1]]), _small([[1.0]])),
            note="one position: the gradient is 2 * error * the window, 2 * the whole image",
        ),
        Case(
            (_small([[1, 2, 0], [0, 1, 3], [2, 0, 1]]), _small([[1, 0], [0, 0]])),
            note="a 2 x 2 kernel; only the top-left position has an error (1), so the gradient is "
            "2 / 4 * the top-left window [[1, 2], [0, 1]]",
        ),
        Case(
            (_small([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]), _small([[1, -1], [1, -1]])),
            note="a vertical edge and an error that alternates in sign",
        ),
        Case(
            (
                _small([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3], [5, 8, 9, 7, 9], [3, 2, 3, 8, 4]]),
                _small([[0.5, -1, 2]]),
            ),
            note="a 4 x 5 image and a 4 x 3 kernel: kh and kw differ",
        ),
        Case(
            (
                np.array([[10, 200, 30, 0], [0, 250, 90, 5], [60, 0, 255, 120]], dtype=np.uint8),
                _small([[0.5, -1.0], [-0.25, 0.1]]),
            ),
            note="a uint8 image: the gradient is still a float array, negative values included",
        ),
    ),
    hidden=_filter_hidden,
    mistakes=FILTER_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-6, atol=1e-9, axes=("kernel row", "kernel column")),
    roles={"image": "image", "error": "kernel"},
    in_place="compute with the arrays as they are and return a new array.",
)


# ------------------------------------------------------------------ sgd_step


SGD_STEP = Exercise(
    name="sgd_step",
    lesson=LESSON,
    reference=learning.sgd_step,
    params=("w", "grad", "lr"),
    visible=(
        Case((_small([1.0, -2.0]), _small([0.5, -4.0]), 0.1), note="[1 - 0.05, -2 + 0.4] = [0.95, -1.6]"),
        Case((_small([[0, 1], [2, 3]]), _small([[1, 1], [-1, 0]]), 0.5), note="a 2 x 2 filter"),
        Case((_small([3.0]), _small([2.0]), 2.0), note="a step so large it overshoots: 3 - 4 = -1"),
    ),
    hidden=lambda rng: [
        Case((rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), float(rng.uniform(0.01, 0.5)))),
        Case((rng.normal(size=10), rng.normal(size=10), 1e-3), note="a small learning rate"),
        Case((rng.normal(size=(16, 3, 3, 1)), rng.normal(size=(16, 3, 3, 1)), 0.05), note="a filter bank"),
    ],
    mistakes=(
        Mistake(
            "sign_flipped",
            "the step goes the wrong way: the gradient points uphill, where the loss grows, so "
            "subtract it: w - lr * grad.",
            lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad),
        ),
        Mistake(
            "lr_ignored",
            "the learning rate is missing: the step is lr * grad, not grad.",
            lambda w, grad, lr: np.asarray(w) - np.asarray(grad),
        ),
        Mistake(
            "divided_by_lr",
            "the gradient is divided by the learning rate; multiply: w - lr * grad.",
            lambda w, grad, lr: np.asarray(w) - np.asarray(grad) / lr,
        ),
        Mistake(
            "step_only",
            "you returned the step, -lr * grad, without the weights it moves: the new weights are "
            "w - lr * grad.",
            lambda w, grad, lr: -lr * np.asarray(grad),
        ),
        Mistake(
            "whole_numbers",
            "your new weights are whole numbers (an integer array), each cut towards 0 (0.95 became "
            "0): weights are floats. Return w - lr * grad as it comes, without int(...), "
            ".astype(int) or an array made with dtype=int.",
            lambda w, grad, lr: np.trunc(np.asarray(w) - lr * np.asarray(grad)).astype(np.int64),
            kinds="biu",
        ),
    ),
    answer=Answer(dtype=None, rtol=1e-9, atol=1e-12),
    shortcuts={learning.sgd_step: None, "cnnlib.optim.SGD.step": None},
    in_place=(
        "return a new array, w - lr * grad, and leave w as it was (`w -= ...` changes the caller's w: "
        "in the lesson, that would change `start` itself, and every later cell would start from "
        "somewhere else)."
    ),
)


# ------------------------------------------------------------------ learn_filter


def _with(change, lr_times=None, lr=None):
    """A descent whose every step uses ``change(mean gradient)`` (and a learning rate ``lr_times(N)``
    times the one given, or a fixed ``lr`` of the learner's own), to name what a learner did."""

    fixed = lr

    def wrong(inputs, targets, start, lr=0.1, steps=100):
        inputs, targets = np.asarray(inputs, np.float64), np.asarray(targets, np.float64)
        kernel = np.array(start, np.float64)
        step = lr if lr_times is None else lr * lr_times(len(inputs))
        step = step if fixed is None else fixed
        for _ in range(int(steps)):
            kernel = kernel - step * change(learning._batch_gradient(inputs, targets, kernel)[1])
        return kernel

    return wrong


def _per_image(inputs, targets, start, lr=0.1, steps=100):
    """A step after every image, with that image's gradient: N steps per step."""
    inputs, targets = np.asarray(inputs, np.float64), np.asarray(targets, np.float64)
    kernel = np.array(start, np.float64)
    for _ in range(int(steps)):
        for n in range(len(inputs)):
            kernel = kernel - lr * learning._batch_gradient(inputs[n : n + 1], targets[n : n + 1], kernel)[1]
    return kernel


def _exact(inputs, targets, start, lr=0.1, steps=100):
    """The kernel that fits the pairs best, solved in one go (least squares): no descent at all."""
    inputs, targets = np.asarray(inputs, np.float64), np.asarray(targets, np.float64)
    shape = np.shape(start)
    windows = np.lib.stride_tricks.sliding_window_view(inputs, shape, axis=(1, 2))
    solved = np.linalg.lstsq(windows.reshape(-1, windows[0, 0, 0].size), targets.ravel(), rcond=None)[0]
    return solved.reshape(shape)


# The learning rate and number of images of the first visible case: a descent summed over its N
# images steps as far as one with a fixed learning rate of N * lr; the second case tells them apart.
_V_LR, _V_IMAGES = 0.3, 4

LEARN_MISTAKES = (
    Mistake(
        "sign_flipped",
        "each step goes uphill: the kernel moves along the gradient instead of against it, so the "
        "loss grows with every step and the numbers blow up. Either the error's sign is flipped "
        "(it is map - target, the prediction minus the target, not target - map), or the step adds "
        "the gradient (it is kernel - lr * grad); both give these numbers.",
        _with(lambda grad: -grad),
    ),
    Mistake(
        "summed_over_batch",
        "the images' gradients are added up, not averaged: with N images every step is N times "
        "too long, as if the learning rate were N times larger (with 4 images and lr 0.3, the "
        "first check's steps are 1.2 long, and its loss explodes). Divide the sum by N, or take "
        "np.mean over the images.",
        _with(lambda grad: grad, lr_times=lambda n: n),
    ),
    Mistake(
        "lr_fixed",
        "your steps do not follow the lr argument: they are as long as with a learning rate of "
        f"{_V_LR * _V_IMAGES:g} whatever lr is given. Use the lr passed to learn_filter (and pass it "
        "on to sgd_step), not a number of your own.",
        _with(lambda grad: grad, lr=_V_LR * _V_IMAGES),
    ),
    Mistake(
        "flipped_gradient",
        "the gradient was flipped (upside down and left to right): each weight was pushed by "
        "the pixels under the opposite weight, so the filter drifts away from the right one. "
        "Check filter_gradient: it must pass its own checks.",
        _with(lambda grad: grad[::-1, ::-1]),
    ),
    Mistake(
        "one_image_only",
        "only one image's gradient is used at each step (the last one in the loop): a gradient "
        "assigned inside the loop (grad = ...) replaces the one before. Add them up (+=) and divide "
        "by N, or take np.mean over the images.",
        lambda inputs, targets, start, lr=0.1, steps=100: learning.learn_filter(
            np.asarray(inputs)[-1:], np.asarray(targets)[-1:], start, lr, steps
        ),
    ),
    Mistake(
        "per_image_steps",
        "you take a step after every image, each with that one image's gradient: N steps per "
        "step, and they end somewhere else. One step of this exercise uses the mean of all N "
        "images' gradients: compute them all with the same kernel, average, then step once.",
        _per_image,
    ),
    Mistake(
        "exact_filter",
        "your kernel is the best-fitting filter itself, exactly (a closed-form solve such as "
        "np.linalg.lstsq, or a descent run until it stops moving). The check wants what exactly "
        "`steps` steps of gradient descent from `start` reach: close to that filter after many "
        "steps, but not equal to it (after 150 steps the first check's kernel has 0.2473 where "
        "the filter has 0.25), and far from it after one step.",
        _exact,
    ),
)


def _edge(rng: np.random.Generator, size: int = 3) -> np.ndarray:
    """A random edge filter: one decimal, its weights adding up to 0 (flat areas give 0)."""
    kernel = np.round(rng.normal(0, 1, size=(size, size)), 1)
    kernel[-1, -1] -= kernel.sum()
    return kernel


_SOBEL = _small([[1, 0, -1], [2, 0, -2], [1, 0, -1]]) / 4
_V_INPUTS, _V_TARGETS = learning.edge_pairs(_SOBEL, n=_V_IMAGES, size=8, seed=1)
_V_START = np.round(np.random.default_rng(0).normal(0, 0.5, size=(3, 3)), 2)


def _learn_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, size, k, steps, lr in [(4, 8, 3, 200, 0.3), (6, 7, 3, 200, 0.3), (3, 6, 2, 100, 0.6)]:
        hidden = _edge(rng, k)
        inputs, targets = learning.edge_pairs(hidden, n=n, size=size, seed=int(rng.integers(1000)))
        start = rng.normal(0, 0.5, size=(k, k))
        cases.append(
            Case(
                (inputs, targets, start, lr, steps),
                note=f"a hidden random {k} x {k} edge filter, {n} images",
            )
        )
    return cases


LEARN_FILTER = Exercise(
    name="learn_filter",
    lesson=LESSON,
    reference=learning.learn_filter,
    params=("inputs", "targets", "start", "lr", "steps"),
    visible=(
        Case(
            (_V_INPUTS, _V_TARGETS, _V_START, _V_LR, 150),
            note="150 steps: the hidden filter is lesson 07's vertical-edge filter (left minus right) "
            "divided by 4, [[0.25, 0, -0.25], [0.5, 0, -0.5], [0.25, 0, -0.25]]; after exactly 150 "
            "steps the kernel is within 0.004 of it, not equal to it (0.2473 where it has 0.25), and "
            "the check wants that kernel. The loss falls from 0.35 to 0.000003 (with steps uphill, "
            "or 4 times too long, it grows past 1e100)",
        ),
        Case(
            (_V_INPUTS, _V_TARGETS, _V_START, 0.2, 1),
            note="one step from the random start with lr 0.2: start - 0.2 * the mean of the 4 images' "
            "gradients",
        ),
        Case(
            (_V_INPUTS[:2], _V_TARGETS[:2], np.zeros((3, 3)), _V_LR, 0),
            note="0 steps: a copy of the start",
        ),
    ),
    hidden=_learn_hidden,
    mistakes=LEARN_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-5, atol=1e-7, axes=("kernel row", "kernel column")),
    shortcuts={learning.learn_filter: None, learning.filter_path: None},
    roles={"inputs": "batch", "targets": "batch", "start": "kernel"},
    in_place="start from a copy (kernel = start.copy()) or build each new kernel with kernel - lr * grad.",
    uses=(FILTER_GRADIENT, SGD_STEP),
)


# ------------------------------------------------------------------ accuracy


def _accuracy_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, k in [(50, 10), (7, 3), (200, 10)]:
        scores = rng.normal(size=(n, k))
        labels = rng.integers(0, k, size=n)
        hits = rng.random(n) < 0.6  # about 60 % right
        labels[hits] = scores[hits].argmax(axis=1)
        cases.append(Case((scores, labels)))
    return cases


_SCORES = _small([[2.0, 0.5, -1.0], [0.1, 0.3, 0.2], [1.0, 3.0, 0.0], [0.0, -2.0, 4.0]])

ACCURACY = Exercise(
    name="accuracy",
    lesson=LESSON,
    reference=learning.accuracy,
    params=("scores", "labels"),
    visible=(
        Case(
            (_SCORES, np.array([0, 1, 2, 2])),
            note="the highest scores are at 0, 1, 1, 2; three of four labels match: 0.75",
        ),
        Case((_SCORES[:3], np.array([1, 0, 0])), note="none right: 0.0"),
        Case((_small([[0.2, 0.8], [0.9, 0.1]]), np.array([1, 0])), note="probabilities, both right: 1.0"),
    ),
    hidden=_accuracy_hidden,
    mistakes=(
        Mistake(
            "percent",
            "that is a percentage; return the fraction, between 0 and 1 (0.75, not 75).",
            lambda scores, labels: 100 * learning.accuracy(scores, labels),
        ),
        Mistake(
            "count",
            "that is the number of right answers; divide by the number of samples for the fraction.",
            lambda scores, labels: round(learning.accuracy(scores, labels) * len(labels)),
        ),
        Mistake(
            "lowest_score",
            "you took the class with the LOWEST score (argmin); the prediction is the highest: "
            "scores.argmax(axis=1).",
            lambda scores, labels: float(np.mean(np.asarray(scores).argmin(axis=1) == labels)),
        ),
        Mistake(
            "mask_not_fraction",
            "you returned the right/wrong array itself (True where the prediction is the label), "
            "not the fraction of it that is True: take its mean, float(np.mean(...)).",
            lambda scores, labels: np.asarray(scores).argmax(axis=1) == np.asarray(labels),
        ),
        Mistake(
            "floor_division",
            "the count of right answers was divided with //, which rounds down to a whole number "
            "(3 // 4 is 0): divide with /, or take np.mean of the right/wrong array.",
            lambda scores, labels: int(np.sum(np.asarray(scores).argmax(axis=1) == labels)) // len(labels),
        ),
        Mistake(
            "argmax_no_axis",
            "scores.argmax() without an axis gives ONE index, of the largest value in the whole "
            "flattened array, not one prediction per sample: use scores.argmax(axis=1), the largest "
            "value in each row.",
            lambda scores, labels: float(np.mean(np.asarray(scores).argmax() == np.asarray(labels))),
        ),
        Mistake(
            "threshold",
            "you counted a sample as right when its label's score is above 0.5; it is right when its "
            "label's score is the HIGHEST in its row (scores can be any numbers, and even "
            "probabilities of 10 classes rarely pass 0.5): compare scores.argmax(axis=1) with labels.",
            lambda scores, labels: float(
                np.mean(np.asarray(scores)[np.arange(len(labels)), np.asarray(labels)] > 0.5)
            ),
        ),
        Mistake(
            "wrong_axis",
            "argmax ran down the columns (axis=0), giving one index per class; the prediction of a "
            "sample is the largest value in its row: scores.argmax(axis=1).",
            error=("ValueError", "operands could not be broadcast together"),
        ),
    ),
    answer=Answer(kind="float", rtol=1e-9, atol=1e-12),
    # scikit-learn's accuracy_score is wrapped by its parameter check: the function inside is switched off
    shortcuts={learning.accuracy: None, "sklearn.metrics.accuracy_score.__wrapped__": None},
)


EXERCISES = (NUMERICAL_GRADIENT, FILTER_GRADIENT, SGD_STEP, LEARN_FILTER, ACCURACY)

check_numerical_gradient = make_check(NUMERICAL_GRADIENT)
check_filter_gradient = make_check(FILTER_GRADIENT)
check_sgd_step = make_check(SGD_STEP)
check_learn_filter = make_check(LEARN_FILTER)
check_accuracy = make_check(ACCURACY)
