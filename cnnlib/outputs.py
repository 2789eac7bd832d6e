"""Lesson 03 (outputs): labels as vectors, scores as probabilities, and the top guesses.

A classifier's last layer gives one score per class: a vector of K numbers for one picture, an
array ``(N, K)`` for a batch. Labels are written in the same shape so the two can be compared:
one class as a *one-hot* row, several classes at once as a *multi-hot* vector. Learners write
``one_hot``, ``multi_hot``, ``softmax`` and ``top_k`` in lesson 03; from lesson 04 on, lessons
call these. ``softmax`` here is the learner's signature over ``cnnlib.ops.softmax``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral

import numpy as np

from . import ops
from .guard import answer

__all__ = ["one_hot", "multi_hot", "softmax", "top_k"]


def _is_whole(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


@answer
def one_hot(labels, num_classes: int) -> np.ndarray:
    """Write class indices as one-hot rows: row i has a 1 in column ``labels[i]``, 0 elsewhere.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class indices, each in 0..num_classes - 1.
    num_classes : int
        K, the number of classes: the width of every row, whether or not every class occurs.

    Returns
    -------
    rows : ndarray, shape (N, K), dtype int64
        Zeros and ones, exactly one 1 per row.

    Examples
    --------
    >>> one_hot([1, 0], num_classes=3)
    array([[0, 1, 0],
           [1, 0, 0]])

    Taught in lesson 03.
    """
    if not _is_whole(num_classes) or num_classes < 1:
        raise ValueError(f"num_classes must be a whole number >= 1, got {num_classes!r}")
    array = np.asarray(labels)
    if array.ndim != 1:
        raise ValueError(
            f"labels must be a 1-D sequence of class indices, shape (N,), got shape {array.shape}; "
            "for a single label write [label]"
        )
    if array.size and array.dtype.kind not in "iu":
        raise TypeError(f"labels must be whole numbers (class indices 0, 1, 2, ...), got dtype {array.dtype}")
    bad = array[(array < 0) | (array >= num_classes)] if array.size else array
    if bad.size:
        raise ValueError(
            f"label {bad[0]} is not a class index for {num_classes} classes: "
            f"indices run from 0 to {num_classes - 1}"
        )
    rows = np.zeros((array.shape[0], int(num_classes)), dtype=np.int64)
    rows[np.arange(array.shape[0]), array.astype(np.intp)] = 1
    return rows


@answer
def multi_hot(present: Iterable[str], classes: Sequence[str]) -> np.ndarray:
    """Mark which of ``classes`` are present: 1 at the position of each present name, else 0.

    Parameters
    ----------
    present : iterable of str
        The names present in one picture, in any order; a name given twice still counts once.
    classes : sequence of str, length K
        Every class name, each once; their order is the order of the vector.

    Returns
    -------
    vector : ndarray, shape (K,), dtype int64
        Zeros and ones; any number of ones (none for an empty ``present``).

    Examples
    --------
    >>> multi_hot(["bird", "cat"], ["cat", "dog", "bird"])
    array([1, 0, 1])

    Taught in lesson 03.
    """
    if isinstance(classes, str) or isinstance(present, str):
        raise TypeError(
            "present and classes must be lists of names, e.g. multi_hot(['cat'], ['cat', 'dog']), "
            "not a single string"
        )
    names = list(classes)
    if not names:
        raise ValueError("classes is empty: give every class name, e.g. ['cat', 'dog', 'bird']")
    position = {}
    for k, name in enumerate(names):
        if name in position:
            raise ValueError(f"class {name!r} appears twice in classes; each class must appear once")
        position[name] = k
    vector = np.zeros(len(names), dtype=np.int64)
    for name in present:
        if name not in position:
            raise ValueError(f"{name!r} is not one of the classes {names}")
        vector[position[name]] = 1
    return vector


@answer
def softmax(scores) -> np.ndarray:
    """Turn scores into probabilities: exp of each score divided by the sum of the exps.

    Works on one score vector ``(K,)`` or a batch ``(N, K)``, one row per picture; each row is
    normalised on its own. The row's largest score is subtracted before ``exp``, which leaves
    the result unchanged and keeps ``exp`` from overflowing (``np.exp(1000.0)`` is inf). This is
    ``cnnlib.ops.softmax(scores, axis=-1)`` for these two shapes.

    Parameters
    ----------
    scores : array_like, shape (K,) or (N, K)
        Real numbers of any size, K >= 1.

    Returns
    -------
    probabilities : ndarray, same shape as ``scores``
        Values in [0, 1], each row summing to 1; float64 for integer input, else the dtype of
        ``scores``.

    Examples
    --------
    >>> softmax([0.0, np.log(3.0)])
    array([0.25, 0.75])
    >>> softmax([1000.0, 1000.0])
    array([0.5, 0.5])

    Taught in lesson 03.
    """
    array = np.asarray(scores)
    if array.ndim not in (1, 2):
        raise ValueError(f"scores must be one score vector (K,) or a batch (N, K), got shape {array.shape}")
    return ops.softmax(array, axis=-1)


@answer
def top_k(scores, k: int) -> np.ndarray:
    """The indices of the ``k`` highest scores, highest first; equal scores: lower index first.

    Parameters
    ----------
    scores : array_like, shape (K,)
        One score (or probability) per class, real numbers, no NaN.
    k : int
        How many classes to return, 1 <= k <= K.

    Returns
    -------
    indices : ndarray, shape (k,), dtype int64
        Class indices in order of decreasing score; ties keep their order in ``scores`` (a
        stable sort).

    Examples
    --------
    >>> top_k([0.1, 0.6, 0.3], k=2)
    array([1, 2])
    >>> top_k([0.2, 0.4, 0.1, 0.4], k=2)
    array([1, 3])

    Taught in lesson 03.
    """
    array = np.asarray(scores)
    if array.ndim != 1:
        raise ValueError(f"scores must be one score per class, shape (K,), got shape {array.shape}")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"scores must be real numbers, got dtype {array.dtype}")
    if array.dtype.kind == "f" and np.isnan(array).any():
        raise ValueError("scores contain NaN, which has no place in an order from highest to lowest")
    if not _is_whole(k) or not 1 <= k <= array.shape[0]:
        raise ValueError(
            f"k must be a whole number from 1 to {array.shape[0]} (the number of scores), got {k!r}"
        )
    # Negating keeps the sort stable for ties; unsigned and small ints are widened first so that
    # the negation cannot wrap around.
    wide = array.astype(np.float64) if array.dtype.kind == "f" else array.astype(np.int64)
    return np.argsort(-wide, kind="stable")[: int(k)].astype(np.int64)
