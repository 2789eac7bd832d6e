"""Lesson 05 (nonlinearity): the exercises relu, leaky_relu, combined_kernel and relu_gap, as data.

The references are cnnlib's answers (``cnnlib.ops.relu`` and ``leaky_relu``, and
``cnnlib.nonlinearity.combined_kernel`` and ``relu_gap``); each mistake is a wrong answer learners
give in practice, computed from the same inputs so that the message can name it.
"""

from __future__ import annotations

import numpy as np

from .. import data, nonlinearity, ops
from .exercise import LIBRARY_CONVOLUTIONS, Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = ["check_relu", "check_leaky_relu", "check_combined_kernel", "check_relu_gap", "EXERCISES"]

LESSON = "05_nonlinearity"


def _floats(values) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def _float64(x) -> np.ndarray:
    """A float64 copy: sums and products that cannot wrap around as uint8 or int16 would."""
    return np.array(x, dtype=np.float64)


# The seed's example: the smiley's top-left 4x4 corner and the filter (1, 2, 3, -1).
SEED_FILTER = np.array([[1, 2], [3, -1]])
SEED_MAP = ops.conv2d(data.smiley()[:4, :4], SEED_FILTER).astype(np.int64)  # [[-2, 8, 10], ...]
# The smiley with a left-to-right step filter: +7 where the code rises (yellow to black), -7 where
# it falls.
EDGE_MAP = ops.conv2d(data.smiley(), np.array([[-1.0, 1.0]]))


# ------------------------------------------------------------------ relu


def _relu_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case((rng.normal(size=(6, 9)),)),
        Case((rng.normal(size=(5, 4, 3)),), note="three feature maps, (H, W, F)"),
        Case((rng.integers(-9, 10, size=(7, 7)),), note="whole numbers"),
        Case((rng.normal(size=12).astype(np.float32),), note="a float32 vector"),
        Case((-np.abs(rng.normal(size=(3, 5))),), note="every value negative"),
        Case((np.abs(rng.normal(size=(4, 2))) + 0.1,), note="every value positive: a copy, unchanged"),
    ]


RELU = Exercise(
    name="relu",
    lesson=LESSON,
    reference=ops.relu,
    params=("x",),
    visible=(
        Case((SEED_MAP,), note="the smiley corner with the filter (1, 2, 3, -1): only -2 is negative"),
        Case((_floats([[-1.5, 0.0, 2.5]]),), note="zero stays zero"),
        Case((EDGE_MAP,), note="the smiley's edge map: +7 and -7"),
        Case((_floats([[3.0, 0.5], [1.0, 2.0]]),), note="nothing negative: the same values, in a new array"),
    ),
    hidden=_relu_hidden,
    mistakes=(
        Mistake(
            "wrong_side",
            "the threshold is on the wrong side: you kept the negative values and set the positive "
            "ones to 0. ReLU keeps what is above 0: np.maximum(x, 0).",
            lambda x: np.minimum(_float64(x), 0),
        ),
        Mistake(
            "absolute_value",
            "negative values became positive (the absolute value); ReLU sets them to 0 instead: "
            "np.maximum(x, 0).",
            lambda x: np.abs(_float64(x)),
        ),
        Mistake(
            "step",
            "you returned whether each value is positive (1 or 0), not the value itself. ReLU keeps "
            "a positive value as it is: 2.5 stays 2.5.",
            lambda x: (_float64(x) > 0).astype(np.float64),
        ),
    ),
    answer=Answer(dtype=None, copy=True),
    shortcuts={ops.relu: None, ops.relu_loops: None, ops.leaky_relu: None},
    in_place="build a new array, e.g. np.maximum(x, 0), or copy first (out = x.copy()) and change the copy.",
)


# ------------------------------------------------------------------ leaky_relu


def _leaky_truncated(x, slope=0.01):
    """Leaky ReLU written into an int array: fractions cut off (None for float input)."""
    x = np.asarray(x)
    if x.dtype.kind not in "iu":
        return None
    return np.where(x > 0, x, (slope * x).astype(x.dtype))


def _leaky_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case((rng.normal(size=(5, 7)),), dict(slope=float(rng.uniform(0.05, 0.5)))),
        Case((rng.normal(size=(4, 4, 2)),), dict(slope=0.2), note="two feature maps, (H, W, F)"),
        Case((rng.integers(-9, 10, size=(6, 3)),), dict(slope=0.25), note="whole numbers"),
        Case((rng.normal(size=(3, 8)),), note="slope not given: the default 0.01"),
        Case((rng.normal(size=(2, 6)),), dict(slope=0.0), note="slope 0 is plain ReLU"),
        Case((rng.normal(size=(3, 3)),), dict(slope=1.0), note="slope 1 changes nothing"),
    ]


LEAKY_RELU = Exercise(
    name="leaky_relu",
    lesson=LESSON,
    reference=ops.leaky_relu,
    params=("x", "slope"),
    visible=(
        Case((_floats([[-2.0, 0.0, 3.0]]),), dict(slope=0.1), note="-2 becomes -0.2, 3 stays 3"),
        Case((_floats([[-10.0, -1.0, 1.0, 10.0]]),), note="slope not given: the default 0.01"),
        Case(
            (SEED_MAP,),
            dict(slope=0.25),
            note="whole numbers: the smiley corner with the filter (1, 2, 3, -1); -2 becomes -0.5",
        ),
        Case((EDGE_MAP,), dict(slope=0.0), note="slope 0 is plain ReLU"),
    ),
    hidden=_leaky_hidden,
    mistakes=(
        Mistake(
            "slope_on_positive_side",
            "the slope went to the wrong side: you scaled the positive values and kept the negative "
            "ones. Leaky ReLU keeps x where x > 0 and multiplies the negative values by the slope: "
            "np.where(x > 0, x, slope * x).",
            lambda x, slope=0.01: np.where(_float64(x) > 0, slope * _float64(x), _float64(x)),
        ),
        Mistake(
            "slope_ignored",
            "the slope argument is ignored: the negative values were multiplied by 0.01 whatever "
            "slope was given. Use the parameter `slope`, not the number 0.01.",
            lambda x, slope=0.01: np.where(_float64(x) > 0, _float64(x), 0.01 * _float64(x)),
        ),
        Mistake(
            "int_cannot_hold_fractions",
            "the input holds whole numbers (an int array), and slope times a negative whole number "
            "is a fraction, which an int array cannot store. Make the result a float array: "
            "np.where(x > 0, x, slope * x) does, or start from x.astype(float).",
            error=("UFuncTypeError", "Cannot cast ufunc 'multiply' output"),
        ),
        Mistake(
            "int_truncated",
            "the negative values lost their fractions (-2 * 0.25 became 0, not -0.5): the result "
            "was written into an int array, a copy of the whole-number input, which cuts off "
            "everything after the point. Make the result a float array: np.where(x > 0, x, slope * "
            "x) does, or start from x.astype(float).",
            _leaky_truncated,
        ),
        Mistake(
            "plain_relu",
            "negative values became 0, as in plain ReLU; leaky ReLU lets a little through: a "
            "negative x becomes slope * x.",
            lambda x, slope=0.01: np.maximum(_float64(x), 0),
        ),
        Mistake(
            "slope_everywhere",
            "every value was multiplied by the slope; only the negative ones should be. Positive "
            "values stay as they are.",
            lambda x, slope=0.01: slope * _float64(x),
        ),
    ),
    answer=Answer(dtype=None, rtol=1e-12, atol=1e-15, copy=True),
    shortcuts={ops.leaky_relu: None},
    in_place="build a new array, e.g. np.where(x > 0, x, slope * x), and return it.",
)


# ------------------------------------------------------------------ combined_kernel


def _correlate_full(a, b) -> np.ndarray:
    """The full cross-correlation: b slid (unflipped) over a padded with zeros all round."""
    a, b = _float64(a), _float64(b)
    (lh, lw) = b.shape
    return ops.conv2d(np.pad(a, ((lh - 1, lh - 1), (lw - 1, lw - 1))), b)


def _elementwise(a, b):
    a, b = _float64(a), _float64(b)
    return a * b if a.shape == b.shape else None


def _valid(a, b):
    a, b = _float64(a), _float64(b)
    if b.shape[0] > a.shape[0] or b.shape[1] > a.shape[1]:
        return None
    return ops.conv2d(a, b)


def _int_accumulated(a, b):
    """The four loops adding a[i, j] * b[p, q] into an int array: each sum cut to a whole number.

    None when a and b both hold whole numbers (then nothing is cut off).
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "biu" and b.dtype.kind in "biu":
        return None
    (kh, kw), (lh, lw) = a.shape, b.shape
    c = np.zeros((kh + lh - 1, kw + lw - 1), dtype=np.int64)
    for i in range(kh):
        for j in range(kw):
            for p in range(lh):
                for q in range(lw):
                    c[i + p, j + q] = np.trunc(c[i + p, j + q] + float(a[i, j]) * float(b[p, q]))
    return c


def _combined_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape_a, shape_b in [((3, 3), (3, 3)), ((2, 4), (3, 2)), ((1, 3), (4, 1)), ((4, 4), (2, 2))]:
        cases.append(Case((rng.integers(-4, 5, size=shape_a), rng.integers(-4, 5, size=shape_b))))
    cases.append(Case((rng.normal(size=(3, 2)), rng.normal(size=(2, 3))), note="real-valued kernels"))
    cases.append(Case((rng.normal(size=(5, 5)), _floats([[1.0]])), note="b is 1x1: c is a itself"))
    return cases


COMBINED_KERNEL = Exercise(
    name="combined_kernel",
    lesson=LESSON,
    reference=nonlinearity.combined_kernel,
    shortcuts={nonlinearity.combined_kernel: None, **dict.fromkeys(LIBRARY_CONVOLUTIONS)},
    params=("a", "b"),
    visible=(
        Case(
            (np.array([[1, 2]]), np.array([[3, 1]])),
            note="3*y0 + y1 with y0 = x0 + 2*x1, y1 = x1 + 2*x2 gives 3*x0 + 7*x1 + 2*x2",
        ),
        Case(
            (SEED_FILTER, np.array([[1, 0], [0, -1]])),
            note="the filter (1, 2, 3, -1), then a diagonal difference",
        ),
        Case(
            (np.array([[1, 2], [3, -1]]), np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
            note="2x2 then 3x3: c is 4x4",
        ),
        Case((np.array([[2]]), np.array([[1, -1], [0, 3]])), note="a is 1x1: c is b times 2"),
        Case(
            (_floats([[0.5, 1.5]]), _floats([[2.0, -0.5]])),
            note="weights with decimals: c is [[1, 2.75, -0.75]], which needs fractions",
        ),
    ),
    hidden=_combined_hidden,
    mistakes=(
        Mistake(
            "elementwise",
            "you multiplied the two kernels cell by cell. Stacking two filters mixes every weight "
            "of a with every weight of b: c is (kh + lh - 1) x (kw + lw - 1), and each a[i, j] adds "
            "a copy of b, times a[i, j], at rows i.., columns j.. of c.",
            _elementwise,
        ),
        Mistake(
            "not_full",
            "you slid b over a without padding (a valid convolution), so c came out too small. "
            "The combined kernel covers every offset where the two kernels overlap: "
            "(kh + lh - 1) x (kw + lw - 1).",
            _valid,
        ),
        Mistake(
            "correlated",
            "you slid b over the padded a as it is, without flipping it (the full "
            "cross-correlation). Each layer, conv2d, never flips its filter; but the kernel of two "
            "layers in a row is the full *convolution* of a and b, in which b is flipped: slide "
            "b[::-1, ::-1] over the padded a, or add a[i, j] * b into c at rows i.., columns j...",
            _correlate_full,
        ),
        Mistake(
            "correlated_swapped",
            "you slid a over the padded b as it is, without flipping it (the full "
            "cross-correlation of b and a). Each layer, conv2d, never flips its filter; but the "
            "kernel of two layers in a row is the full *convolution* of a and b, in which the "
            "kernel you slide is flipped: slide a[::-1, ::-1] over the padded b, or add a[i, j] * b "
            "into c at rows i.., columns j...",
            lambda a, b: _correlate_full(b, a),
        ),
        Mistake(
            "int_cannot_hold_fractions",
            "c is an int array (np.zeros(..., dtype=int), say), and a[i, j] * b has fractions when "
            "the weights have decimals, which an int array cannot take in. Start from a float "
            "array: c = np.zeros((kh + lh - 1, kw + lw - 1)) is one.",
            error=("UFuncTypeError", "Cannot cast ufunc 'add' output"),
        ),
        Mistake(
            "int_truncated",
            "the fractions were cut off: c is an int array (np.zeros(..., dtype=int), say), so each "
            "a[i, j] * b[p, q] added into it lost everything after the point (-0.75 became 0). "
            "Start from a float array: c = np.zeros((kh + lh - 1, kw + lw - 1)) is one.",
            _int_accumulated,
        ),
    ),
    answer=Answer(dtype=None, rtol=1e-9, atol=1e-12, axes=("row", "column")),
    roles={"a": "kernel", "b": "kernel"},
    in_place="start from a new array, c = np.zeros((kh + lh - 1, kw + lw - 1)), and add into it.",
)


# ------------------------------------------------------------------ relu_gap


def _one_filter(image, a, b) -> np.ndarray:
    return ops.conv2d(_float64(image), nonlinearity.combined_kernel(a, b))


def _gap_swapped(image, a, b) -> float:
    two = ops.conv2d(ops.relu(ops.conv2d(_float64(image), b)), a)
    return float(np.abs(two - _one_filter(image, b, a)).max())


def _gap_no_relu(image, a, b) -> float:
    return 0.0


def _gap_relu_at_end(image, a, b) -> float:
    two = ops.relu(ops.conv2d(ops.conv2d(_float64(image), a), b))
    return float(np.abs(two - _one_filter(image, a, b)).max())


def _gap_signed(image, a, b) -> float:
    two = ops.conv2d(ops.relu(ops.conv2d(_float64(image), a)), b)
    return float((two - _one_filter(image, a, b)).max())


def _gap_mean(image, a, b) -> float:
    two = ops.conv2d(ops.relu(ops.conv2d(_float64(image), a)), b)
    return float(np.abs(two - _one_filter(image, a, b)).mean())


def _gap_correlated(image, a, b) -> float:
    two = ops.conv2d(ops.relu(ops.conv2d(_float64(image), a)), b)
    return float(np.abs(two - ops.conv2d(_float64(image), _correlate_full(a, b))).max())


def _signed_kernel(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Small whole numbers with at least one negative and one positive weight."""
    kernel = rng.integers(-3, 4, size=shape)
    kernel.flat[0], kernel.flat[-1] = -int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return rng.permuted(kernel.ravel()).reshape(shape)


def _gap_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape, ka, kb in [((8, 9), (2, 2), (2, 2)), ((10, 7), (3, 3), (2, 3)), ((6, 12), (1, 3), (3, 1))]:
        image = rng.integers(0, 256, size=shape)
        cases.append(Case((image, _signed_kernel(rng, ka), _signed_kernel(rng, kb))))
    cases.append(
        Case(
            (
                rng.integers(0, 10, size=(7, 7)),
                rng.integers(0, 4, size=(3, 3)),
                rng.integers(0, 4, size=(2, 2)),
            ),
            note="image and kernels with no negative number: the ReLU has nothing to remove",
        )
    )
    cases.append(
        Case(
            (rng.uniform(0, 1, size=(9, 9)), rng.normal(size=(2, 2)), rng.normal(size=(3, 3))),
            note="real-valued image and kernels",
        )
    )
    cases.append(
        Case(
            (rng.integers(0, 256, size=(6, 6)), _floats([[1.0, 1.0]]) / 2, _floats([[-1.0], [1.0]])),
            note="a blur first: nothing negative for the ReLU to remove",
        )
    )
    return cases


RELU_GAP = Exercise(
    name="relu_gap",
    uses=(RELU, COMBINED_KERNEL),
    lesson=LESSON,
    reference=nonlinearity.relu_gap,
    shortcuts={nonlinearity.relu_gap: None, **dict.fromkeys(LIBRARY_CONVOLUTIONS)},
    params=("image", "a", "b"),
    visible=(
        Case(
            (np.array([[0, 9, 0, 0, 0, 0]]), np.array([[-1, 1]]), np.array([[-2, 1]])),
            note="with ReLU [-18, 0, 0, 0]; one filter [2, -3, 1] gives [-27, 18, 0, 0]; largest gap 18",
        ),
        Case(
            (np.array([[1, 2, 3, 4]]), np.array([[1, 1]]), np.array([[2, 1]])),
            note="nothing negative anywhere, so ReLU changes nothing and the gap is 0",
        ),
        Case(
            (data.smiley(), np.array([[-1, 1]]), np.array([[1, 1], [1, 1]])),
            note="the smiley's edge map, then a 2x2 sum",
        ),
        Case(
            (data.smiley(), np.array([[1, 1], [1, 1]]), np.array([[-1, 1]])),
            note="the same two filters the other way round: the sum has nothing negative",
        ),
    ),
    hidden=_gap_hidden,
    mistakes=(
        Mistake(
            "swapped_filters",
            "your gap is the one for the filters the other way round: b first, then ReLU, then a. "
            "The order matters once a ReLU sits between them, because the ReLU only removes what "
            "the first filter made negative. Apply a first: conv2d(relu(conv2d(image, a)), b).",
            _gap_swapped,
        ),
        Mistake(
            "no_relu",
            "the two results agree, so your ReLU removed nothing. It must sit between the filters, "
            "on the first feature map: conv2d(relu(conv2d(image, a)), b). (ReLU on the image "
            "does nothing: pixels are never negative.)",
            _gap_no_relu,
        ),
        Mistake(
            "relu_at_end",
            "the ReLU came after both filters; it belongs between them, on the first feature map: "
            "conv2d(relu(conv2d(image, a)), b).",
            _gap_relu_at_end,
        ),
        Mistake(
            "signed_difference",
            "you took the largest difference with its sign, so a big negative difference was "
            "missed. Take the absolute value first: np.abs(two_layer - one_filter).max().",
            _gap_signed,
        ),
        Mistake(
            "mean_not_max",
            "you averaged the differences; the gap is the largest one: np.abs(two_layer - one_filter).max().",
            _gap_mean,
        ),
        Mistake(
            "correlated_kernel",
            "your one filter used the full cross-correlation of a and b (b not flipped) as the "
            "combined kernel; it must be their full convolution, the combined_kernel of "
            "exercise 3.",
            _gap_correlated,
        ),
    ),
    answer=Answer(kind="float", rtol=1e-7, atol=1e-7),
    roles={"image": "image", "a": "kernel", "b": "kernel"},
    in_place="compute both results into new arrays and leave image, a and b as they are.",
)


EXERCISES = (RELU, LEAKY_RELU, COMBINED_KERNEL, RELU_GAP)

check_relu = make_check(RELU)
check_leaky_relu = make_check(LEAKY_RELU)
check_combined_kernel = make_check(COMBINED_KERNEL)
check_relu_gap = make_check(RELU_GAP)
