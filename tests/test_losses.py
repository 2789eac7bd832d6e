"""Tests of cnnlib.losses: values a person can check, a plain-loop oracle, and numerical gradients."""

import math

import numpy as np
import pytest

from cnnlib.gradcheck import numerical_gradient, rel_error
from cnnlib.losses import SoftmaxCrossEntropy, softmax_cross_entropy, softmax_cross_entropy_loops


def test_a_uniform_guess_costs_log_k_and_a_confident_right_answer_almost_nothing():
    loss = SoftmaxCrossEntropy()
    assert loss.forward(np.zeros((4, 10)), np.array([0, 3, 9, 5])) == pytest.approx(math.log(10))
    assert loss.forward(np.array([[20.0, 0.0]]), np.array([0])) == pytest.approx(math.exp(-20), rel=1e-3)
    assert loss.forward(np.array([[20.0, 0.0]]), np.array([1])) == pytest.approx(20.0, rel=1e-6)


def test_two_classes_by_hand():
    # scores (0, ln 3): probabilities 1/4 and 3/4
    loss, dscores = softmax_cross_entropy(np.array([[0.0, math.log(3)]]), np.array([1]))
    assert loss == pytest.approx(-math.log(0.75))
    np.testing.assert_allclose(dscores, [[0.25, -0.25]])


@pytest.mark.parametrize("seed", range(5))
def test_matches_the_loops_and_the_numerical_gradient(seed):
    rng = np.random.default_rng(seed)
    scores = rng.standard_normal((6, 4)) * 3
    labels = rng.integers(0, 4, 6)
    loss = SoftmaxCrossEntropy()
    assert loss.forward(scores, labels) == pytest.approx(
        softmax_cross_entropy_loops(scores, labels), rel=1e-12
    )
    analytic = loss.backward()
    numeric = numerical_gradient(lambda: SoftmaxCrossEntropy().forward(scores, labels), scores)
    # entries as small as 1e-4 carry finite-difference rounding of ~1e-9: 1e-5 relative is agreement
    assert rel_error(analytic, numeric) < 1e-5


def test_huge_scores_neither_overflow_nor_give_nan():
    scores = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]], np.float32)
    loss, dscores = softmax_cross_entropy(scores, np.array([0, 1]))
    assert loss == pytest.approx(math.log(2) / 2, rel=1e-5)  # second sample: two classes tie
    assert np.isfinite(dscores).all() and dscores.dtype == np.float32


def test_gradient_rows_sum_to_zero_and_inputs_are_left_alone():
    scores = np.random.default_rng(0).standard_normal((5, 3))
    kept = scores.copy()
    _, dscores = softmax_cross_entropy(scores, np.array([0, 1, 2, 0, 1]))
    np.testing.assert_allclose(dscores.sum(axis=1), 0, atol=1e-15)
    np.testing.assert_array_equal(scores, kept)


@pytest.mark.parametrize(
    ("scores", "labels", "message"),
    [
        (np.zeros((2, 3)), np.array([0, 3]), r"class numbers in \[0, 3\)"),
        (np.zeros((2, 3)), np.array([0]), r"scores \(N, K\) and labels \(N,\); got scores \(2, 3\)"),
        (np.zeros(3), np.array([0]), r"scores \(N, K\)"),
    ],
)
def test_bad_shapes_and_labels_are_explained(scores, labels, message):
    with pytest.raises(ValueError, match=message):
        SoftmaxCrossEntropy().forward(scores, labels)
