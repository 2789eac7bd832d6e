"""Lesson 03 (outputs): the exercises one_hot, multi_hot, softmax and top_k, as data.

The references are cnnlib's answers in ``cnnlib.outputs`` (``softmax`` there is the learner's
signature over ``cnnlib.ops.softmax``; both are switched off while the learner's runs). Each
mistake is the wrong answer a learner gives in practice, computed from the same inputs.
"""

from __future__ import annotations

import numpy as np

from .. import ops, outputs
from .exercise import Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = ["check_one_hot", "check_multi_hot", "check_softmax", "check_top_k", "EXERCISES"]

LESSON = "03_outputs"

# Labels and indices are whole numbers: any integer dtype is accepted, floats and booleans are not.
WHOLE = ("int64", "int32", "int16", "int8", "uint64", "uint32", "uint16", "uint8")


def _ints(values) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _floats(values, dtype=np.float64) -> np.ndarray:
    return np.array(values, dtype=dtype)


# ------------------------------------------------------------------ one_hot


def _shifted_one_hot(labels, num_classes: int, by: int):
    """Each 1 moved ``by`` columns; None where a shifted label leaves the row (the learner's code
    raises there instead)."""
    labels = np.asarray(labels)
    moved = labels + by
    if by > 0 and (moved >= num_classes).any():
        return None
    # by < 0: label 0 - 1 = -1 indexes the last column in numpy, so it wraps
    return outputs.one_hot(moved % num_classes, num_classes)


def _one_hot_all_rows(labels, num_classes: int):
    rows = np.zeros((len(labels), num_classes), dtype=np.int64)
    rows[:, np.asarray(labels)] = 1
    return rows


def _one_hot_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [Case((_ints([0]), 1), note="a single class: every label is 0")]
    for n, k in [(6, 3), (10, 7), (1, 12), (25, 10)]:
        some = "one random label" if n == 1 else f"{n} random labels"
        cases.append(Case((rng.integers(0, k, size=n), k), note=f"{some}, {k} classes"))
    cases.append(
        Case((rng.integers(0, 3, size=8), 9), note="only classes 0..2 occur, but there are 9 columns")
    )
    cases.append(Case((_ints([4, 4, 4]), 5), note="the last class, three times"))
    return cases


ONE_HOT = Exercise(
    name="one_hot",
    lesson=LESSON,
    reference=outputs.one_hot,
    params=("labels", "num_classes"),
    visible=(
        Case((_ints([1]), 4), note="one picture of class 1 out of 4: [0, 1, 0, 0]"),
        Case((_ints([0, 3, 1]), 4), note="three pictures; class 3 is the last of 4 classes"),
        Case((_ints([2, 2, 0]), 5), note="classes 3 and 4 never occur, yet each row has 5 columns"),
        Case(([1, 0], 2), note="labels given as a plain Python list"),
    ),
    hidden=_one_hot_hidden,
    mistakes=(
        Mistake(
            "transposed",
            "rows and columns are swapped: the result must have one row per label (N rows) and "
            "one column per class (num_classes columns), shape (N, num_classes).",
            lambda labels, num_classes: outputs.one_hot(labels, num_classes).T,
        ),
        Mistake(
            "width_from_labels",
            "the width came from the labels (largest label + 1), not from num_classes: a class that "
            "does not occur in this batch still needs its column. Make the array "
            "np.zeros((len(labels), num_classes), dtype=int).",
            lambda labels, num_classes: outputs.one_hot(labels, int(np.max(labels)) + 1),
        ),
        Mistake(
            "all_rows",
            "every row got a 1 at every label: rows[:, labels] = 1 sets those columns in all rows. "
            "Pair each row with its own label: rows[np.arange(len(labels)), labels] = 1 (or a loop "
            "over i, setting rows[i, labels[i]] = 1).",
            _one_hot_all_rows,
        ),
        Mistake(
            "off_by_one_right",
            "off by one: each 1 sits one column to the right. Class indices start at 0, so label c "
            "goes in column c itself, not c + 1.",
            lambda labels, num_classes: _shifted_one_hot(labels, num_classes, +1),
        ),
        Mistake(
            "off_by_one_left",
            "off by one: each 1 sits one column to the left (and label 0 wrapped round to the last "
            "column, since index -1 means the last one). Class indices already start at 0: label c "
            "goes in column c, not c - 1.",
            lambda labels, num_classes: _shifted_one_hot(labels, num_classes, -1),
        ),
        Mistake(
            "list_has_no_shape",
            "labels may be a plain Python list, which has no .shape or other array attributes. "
            "Use len(labels), or turn it into an array first: labels = np.asarray(labels).",
            error=("AttributeError", "'list' object has no attribute"),
        ),
    ),
    answer=Answer(dtype=WHOLE, axes=("row", "column")),
    in_place="build a new array with np.zeros((len(labels), num_classes), dtype=int) and fill that.",
)


# ------------------------------------------------------------------ multi_hot

ANIMALS = ("cat", "dog", "bird", "horse", "fish")
_NAMES = (
    "cat", "dog", "bird", "horse", "fish", "cow", "sheep", "goat", "duck", "owl", "fox", "bear",
    "frog", "mouse", "rabbit", "deer",
)  # fmt: skip


def _multi_hot_only_first(present, classes):
    present = list(present)
    return outputs.multi_hot(present[:1], classes)


def _multi_hot_counts(present, classes):
    vector = np.zeros(len(classes), dtype=np.int64)
    for name in present:
        vector[list(classes).index(name)] += 1
    return vector


def _multi_hot_shifted(present, classes):
    vector = outputs.multi_hot(present, classes)
    if vector[-1]:
        return None  # the learner's code raises IndexError here instead
    return np.roll(vector, 1)


def _multi_hot_rows(present, classes):
    names = list(classes)
    return outputs.one_hot(np.array([names.index(p) for p in present], dtype=np.int64), len(names))


def _multi_hot_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [Case(((), ("cat",)), note="one class, none present")]
    for k in (3, 8, 16):
        classes = tuple(str(c) for c in rng.permutation(_NAMES)[:k])
        count = int(rng.integers(1, k + 1))
        present = [str(c) for c in rng.choice(classes, size=count, replace=True)]
        cases.append(Case((tuple(present), classes), note=f"{k} classes in a random order, names may repeat"))
    cases.append(Case((("fish", "fish"), ANIMALS), note="the last class, twice"))
    cases.append(Case(((ANIMALS[3], ANIMALS[0]), ANIMALS[::-1]), note="the classes in another order"))
    return cases


MULTI_HOT = Exercise(
    name="multi_hot",
    lesson=LESSON,
    reference=outputs.multi_hot,
    params=("present", "classes"),
    visible=(
        Case((("cat",), ANIMALS), note="only a cat: [1, 0, 0, 0, 0]"),
        Case((("bird", "cat"), ANIMALS), note="a bird and a cat: the vector follows the order of classes"),
        Case((("dog", "cat", "dog"), ANIMALS), note="two dogs are still a single 1 for 'dog'"),
        Case(((), ANIMALS), note="no animal at all: all zeros"),
        Case(
            (("effusion",), ("pneumonia", "effusion", "nodule")), note="other classes: findings on an x-ray"
        ),
    ),
    hidden=_multi_hot_hidden,
    mistakes=(
        Mistake(
            "one_row_per_name",
            "you returned one one-hot row per present name, a 2-D array. A multi-hot vector is a "
            "single row of length len(classes) with a 1 for every name present.",
            _multi_hot_rows,
        ),
        Mistake(
            "only_first",
            "only the first name got its 1: a multi-hot vector marks every name in `present` "
            "(loop over all of them).",
            _multi_hot_only_first,
        ),
        Mistake(
            "counts",
            "a name given twice got a 2: the vector says which classes are present, not how many "
            "times. Set the entry to 1 (`vector[i] = 1`) instead of adding 1.",
            _multi_hot_counts,
        ),
        Mistake(
            "off_by_one",
            "off by one: each 1 sits one place to the right. Positions start at 0: the name "
            "classes[i] goes at position i, which is what classes.index(name) gives.",
            _multi_hot_shifted,
        ),
    ),
    answer=Answer(dtype=WHOLE, axes=("position",)),
    in_place="build a new vector with np.zeros(len(classes), dtype=int) and fill that.",
)


# ------------------------------------------------------------------ softmax


def _quiet(compute):
    """Run a wrong formula the way a learner's code would, without numpy's warnings on stderr."""

    def wrong(scores):
        x = np.asarray(scores)
        x = x if x.dtype.kind == "f" else x.astype(np.float64)  # exp of whole numbers is float64
        with np.errstate(all="ignore"):
            return compute(x)

    return wrong


@_quiet
def _naive(x):
    exps = np.exp(x)
    return exps / exps.sum(axis=-1, keepdims=True)


@_quiet
def _global_max(x):
    exps = np.exp(x - x.max())
    return exps / exps.sum(axis=-1, keepdims=True)


@_quiet
def _whole_batch(x):
    exps = np.exp(x - x.max())
    return exps / exps.sum()


@_quiet
def _wrong_axis(x):
    if x.ndim != 2:
        return None
    exps = np.exp(x - x.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


@_quiet
def _not_divided(x):
    return np.exp(x - x.max(axis=-1, keepdims=True))


@_quiet
def _no_exp(x):
    return x / x.sum(axis=-1, keepdims=True)


_SUBTRACT_MAX = (
    "Subtract the maximum first: exps = np.exp(scores - scores.max(axis=-1, keepdims=True)) "
    "gives the same probabilities, and the largest exp is then exactly 1."
)


def _softmax_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [
        Case((_floats([7.5]),), note="a single class gets probability 1"),
        Case((rng.normal(0, 3, size=6),), note="6 random scores"),
        Case(
            (rng.normal(0, 3, size=(4, 7)),), note="a batch of 4 rows of 7 random scores: each row sums to 1"
        ),
        Case((rng.normal(0, 2, size=(5, 3)).astype(np.float32),), note="float32 scores"),
        Case((rng.normal(0, 1, size=(1, 9)),), note="a batch of one"),
        Case((rng.normal(0, 1, size=(6, 1)),), note="one class per row: every row is [1]"),
    ]
    offsets = rng.choice([-1, 1], size=(3, 1)) * rng.uniform(800, 5000, size=(3, 1))
    cases.append(Case((rng.normal(0, 2, size=(3, 5)) + offsets,), note="rows of scores in the thousands"))
    cases.append(Case((rng.integers(-3, 4, size=(2, 4)),), note="whole-number scores"))
    return cases


SOFTMAX = Exercise(
    name="softmax",
    lesson=LESSON,
    reference=outputs.softmax,
    params=("scores",),
    visible=(
        Case((_floats([0.0, 0.0]),), note="equal scores share the probability equally: [0.5, 0.5]"),
        Case((_floats([0.0, np.log(3.0)]),), note="exp(0) = 1 and exp(ln 3) = 3, so 1/4 and 3/4"),
        Case((_floats([2.0, 1.0, 0.0]),), note="the example worked in the lesson: 0.665, 0.245, 0.090"),
        Case((_floats([-1.0, -2.0, -3.0]),), note="[2, 1, 0] minus 3: the same probabilities"),
        Case((_floats([1000.0, 1001.0, 1002.0]),), note="large scores: np.exp(1000.0) overflows to inf"),
        Case(
            (_floats([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),), note="a batch of 2 pictures: each row sums to 1"
        ),
        Case(
            (_floats([[1000.0, 1001.0], [0.0, 0.0], [-1000.0, -1000.0]]),),
            note="rows on very different scales: each row needs its own maximum",
        ),
    ),
    hidden=_softmax_hidden,
    mistakes=(
        Mistake(
            "overflow",
            "overflow on large scores: np.exp(1000.0) is inf (numpy warns 'overflow encountered in "
            "exp'), and inf / inf is nan. " + _SUBTRACT_MAX,
            _naive,
        ),
        Mistake(
            "math_overflow",
            "overflow on large scores: math.exp(1000) does not fit in a float, so Python raises "
            "OverflowError. " + _SUBTRACT_MAX,
            error=("OverflowError", "math range error"),
        ),
        Mistake(
            "global_max",
            "you subtracted the largest score of the whole batch, so a row whose scores are all "
            "far below it gets exp = 0 everywhere and 0 / 0 = nan. Subtract each row's own "
            "maximum: scores.max(axis=-1, keepdims=True).",
            _global_max,
        ),
        Mistake(
            "whole_batch",
            "normalised over the whole batch: all N x K numbers together sum to 1, but each row "
            "(one picture) should. Sum over the class axis only: exps.sum(axis=-1, keepdims=True), "
            "and take the maximum the same way.",
            _whole_batch,
        ),
        Mistake(
            "wrong_axis",
            "normalised over the wrong axis: each column sums to 1 instead of each row. In a batch "
            "(N, K) a row holds one picture's K scores, so sum over the last axis: "
            "exps.sum(axis=-1, keepdims=True) (and scores.max(axis=-1, keepdims=True)).",
            _wrong_axis,
        ),
        Mistake(
            "axis_1_on_vector",
            "axis=1 does not exist for a single score vector (K,), which has only axis 0. Use "
            "axis=-1, the last axis: the class axis for both (K,) and (N, K).",
            error=("AxisError", "out of bounds"),
        ),
        Mistake(
            "no_keepdims",
            "the row maxima or sums lost their axis: exps.sum(axis=-1) of an (N, K) batch has shape "
            "(N,), which numpy cannot line up with (N, K). Keep the axis: "
            "exps.sum(axis=-1, keepdims=True) has shape (N, 1) and divides each row by its own sum "
            "(the same for scores.max).",
            error=("ValueError", "could not be broadcast"),
        ),
        Mistake(
            "not_normalised",
            "these do not sum to 1, so they are not probabilities yet: the exps were not divided "
            "by their sum (or were divided by the largest one, which only turns the top class "
            "into 1). Divide each row by its own sum: exps / exps.sum(axis=-1, keepdims=True).",
            _not_divided,
        ),
        Mistake(
            "no_exp",
            "you divided the scores by their sum without taking exp first, which gives negative or "
            "infinite 'probabilities' for some scores. Take exps = np.exp(scores - max) first, then "
            "divide by their sum.",
            _no_exp,
        ),
    ),
    answer=Answer(dtype=("float32", "float64"), rtol=1e-5, atol=1e-12, axes=("row", "column")),
    shortcuts={outputs.softmax: None, ops.softmax: None, "scipy.special.softmax": None},
    roles={"scores": "scores"},
    in_place="compute into new arrays (scores - m makes one) rather than changing `scores`.",
)


# ------------------------------------------------------------------ top_k


def _stable_order(scores) -> np.ndarray:
    return np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")


def _ties_reversed(scores, k):
    return np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")[::-1][:k]


def _top_k_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for size in (5, 12, 30):
        scores = rng.normal(0, 2, size=size)
        k = int(rng.integers(1, size + 1))
        cases.append(Case((scores, k), note=f"{size} random scores, k = {k}"))
    distinct = rng.permutation(np.arange(1.0, 9.0) / 10)
    tie = distinct.copy()
    first, second = sorted(rng.choice(8, size=2, replace=False))
    tie[second] = tie[first]  # exactly one pair of equal scores
    cases.append(
        Case((tie, 8), note=f"the scores at indices {first} and {second} are equal: {first} comes first")
    )
    # Ties on every draw: whichever order np.argsort without kind="stable" leaves equal scores in,
    # reversing it (np.argsort(scores)[::-1]) or keeping it fails one of these two.
    size = int(rng.integers(5, 10))
    same = np.full(size, float(rng.integers(-4, 5)) / 2)
    cases.append(Case((same, size), note="all scores equal: the indices in order, 0 first"))
    many = rng.integers(0, 3, size=20) / 4  # 20 scores out of 0, 0.25 and 0.5: ties everywhere
    cases.append(
        Case((many, 20), note="20 scores, each 0, 0.25 or 0.5: among equal scores the lower index first")
    )
    cases.append(Case((rng.integers(-5, 6, size=7), 3), note="whole-number scores"))
    cases.append(Case((_floats([4.0]), 1), note="a single class"))
    cases.append(Case((rng.normal(size=6).astype(np.float32), 6), note="float32 scores, k = K"))
    return cases


TOP_K = Exercise(
    name="top_k",
    lesson=LESSON,
    reference=outputs.top_k,
    params=("scores", "k"),
    visible=(
        Case((_floats([0.1, 0.6, 0.3]), 1), note="the best class is the one with the highest score"),
        Case((_floats([0.1, 0.6, 0.3]), 2), note="the best two, best first"),
        Case((_ints([2, -1, 5, 0, 3]), 3), note="whole-number scores: 5, 3, 2 are at indices 2, 4, 0"),
        Case((_floats([0.2, 0.4, 0.1, 0.4]), 2), note="a tie for first place: the lower index comes first"),
        Case((_floats([0.5, 0.2, 0.2, 0.1]), 2), note="a tie for second place: the lower index wins"),
        Case((_floats([3.0, 1.0, 2.0]), 3), note="k = K: every class, best first"),
        Case(
            (_ints([3, 1, 4, 1, 5, 9, 2, 6]), 8),
            note="the digits of pi: the two 1s tie, so index 1 comes before index 3",
        ),
    ),
    hidden=_top_k_hidden,
    mistakes=(
        Mistake(
            "smallest_first",
            "these are the k lowest scores: np.argsort sorts from low to high. Sort the negated "
            "scores, np.argsort(-scores, kind='stable'), and take the first k.",
            lambda scores, k: np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")[:k],
        ),
        Mistake(
            "increasing_order",
            "the right classes, but lowest first: the highest score must come first. Sort the "
            "negated scores, np.argsort(-scores, kind='stable')[:k].",
            lambda scores, k: np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")[-k:],
        ),
        Mistake(
            "ties_reversed",
            "equal scores came out higher index first; the lower index must come first. "
            "np.argsort(scores)[::-1] reverses ties, and np.argsort without kind='stable' may order "
            "them either way: use np.argsort(-scores, kind='stable')[:k].",
            _ties_reversed,
        ),
        Mistake(
            "values_not_indices",
            "you returned the top scores themselves; return their indices (which class each one "
            "belongs to), e.g. from np.argsort.",
            lambda scores, k: np.asarray(scores)[_stable_order(scores)[:k]],
        ),
        Mistake(
            "off_by_one",
            "off by one: every index is 1 too large. Class indices start at 0, so the first class "
            "is index 0; do not add 1.",
            lambda scores, k: _stable_order(scores)[:k] + 1,
        ),
        Mistake(
            "ignores_k",
            "you returned every class in order; return only the first k of them ([:k]).",
            lambda scores, k: _stable_order(scores),
        ),
    ),
    answer=Answer(dtype=WHOLE, axes=("rank",)),
    roles={"scores": "scores"},
    in_place="sort a copy (np.argsort returns a new array) rather than sorting `scores` itself.",
)


EXERCISES = (ONE_HOT, MULTI_HOT, SOFTMAX, TOP_K)

check_one_hot = make_check(ONE_HOT)
check_multi_hot = make_check(MULTI_HOT)
check_softmax = make_check(SOFTMAX)
check_top_k = make_check(TOP_K)
