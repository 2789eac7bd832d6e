"""Losses: how wrong a network's scores are, and the gradient that says how to make them less so.

Taught in lesson 09.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SoftmaxCrossEntropy", "softmax_cross_entropy", "softmax_cross_entropy_loops"]


class SoftmaxCrossEntropy:
    """Softmax over the scores, then the mean of -log(probability of the true class).

    A network that puts probability 1 on every right answer has loss 0; one that
    guesses uniformly among K classes has loss log(K) (2.30 for the 10 digits).

    Examples
    --------
    >>> loss = SoftmaxCrossEntropy()
    >>> round(loss.forward(np.zeros((2, 10)), np.array([3, 7])), 4)   # uniform guess: log(10)
    2.3026
    >>> loss.backward()[0, :5]   # push the true class (3) up, the others down
    array([ 0.05,  0.05,  0.05, -0.45,  0.05])
    """

    def __init__(self) -> None:
        self._cache: tuple[np.ndarray, np.ndarray] | None = None

    def forward(self, scores: np.ndarray, labels: np.ndarray) -> float:
        """scores: (N, K) float, labels: (N,) int in [0, K) -> loss: float, the mean over the batch."""
        scores = np.asarray(scores)
        labels = np.asarray(labels)
        if scores.ndim != 2 or labels.shape != scores.shape[:1]:
            raise ValueError(
                f"softmax cross-entropy needs scores (N, K) and labels (N,); got scores {scores.shape} "
                f"and labels {labels.shape}"
            )
        if labels.size and (labels.min() < 0 or labels.max() >= scores.shape[1]):
            raise ValueError(
                f"labels must be class numbers in [0, {scores.shape[1]}); got {np.unique(labels)}"
            )
        # Subtracting each row's maximum changes no probability but keeps exp from overflowing.
        shifted = scores - scores.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        rows = np.arange(len(labels))
        log_p_true = shifted[rows, labels] - np.log(sums[:, 0])
        exps /= sums  # now the probabilities
        self._cache = (exps, labels)
        return float(-log_p_true.mean())

    def backward(self) -> np.ndarray:
        """-> dscores: (N, K), (probabilities - one-hot of the labels) / N."""
        if self._cache is None:
            raise RuntimeError("call forward(scores, labels) before backward")
        probs, labels = self._cache
        dscores = probs.copy()
        dscores[np.arange(len(labels)), labels] -= 1
        dscores /= len(labels)
        return dscores


def softmax_cross_entropy(scores: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Loss and gradient in one call: scores (N, K), labels (N,) -> (loss, dscores (N, K)).

    Examples
    --------
    >>> loss, dscores = softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))
    >>> round(loss, 4), dscores
    (0.6931, array([[ 0.5, -0.5]]))
    """
    loss = SoftmaxCrossEntropy()
    value = loss.forward(scores, labels)
    return value, loss.backward()


def softmax_cross_entropy_loops(scores, labels) -> float:
    """The loss one sample and one class at a time, with plain Python numbers (test oracle)."""
    total = 0.0
    for row, label in zip(np.asarray(scores, float).tolist(), np.asarray(labels).tolist()):
        top = max(row)
        normaliser = sum(math.exp(s - top) for s in row)
        total += -(row[label] - top - math.log(normaliser))
    return total / len(row and labels)
