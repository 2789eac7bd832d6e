"""Lesson 10's exercise data: networks and prediction functions named in words, hidden cases without
near-ties, and labels judged by how many are right (``Answer.agree``)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlib.checks import Answer, Case, Exercise, Mistake, exercises, judge
from cnnlib.checks.outcome import Outcome
from cnnlib.checks.seeing import _clear, network, predictor


def test_cases_name_their_networks_and_functions_in_words():
    assert network("digits_cnn(seed=3)").input_shape == (8, 8, 1)
    assert list(network("strided(seed=1)").layers)[:3] == ["conv1", "relu1", "pool1"]
    np.testing.assert_array_equal(network("tiny").params["conv1.b"], [-1, 0])
    assert predictor("sum of rows 1-2, columns 1-2")(np.ones((4, 4))) == 4.0
    p = predictor("digits_cnn(seed=2), probability of class 3")(np.zeros((8, 8)))
    assert 0 < p < 1
    with pytest.raises(ValueError, match=r"no network called 'digits\(seed=1\)'"):
        network("digits(seed=1)")
    with pytest.raises(ValueError, match="no prediction function"):
        predictor("the sum")


@pytest.mark.parametrize("seed", range(6))
def test_hidden_top_patches_cases_have_no_near_ties_and_repeat_with_their_seed(seed):
    exercise = exercises("10_seeing")["top_patches"]
    cases = exercise.hidden(np.random.default_rng(seed))
    again = exercise.hidden(np.random.default_rng(seed))
    for case, twin in zip(cases, again):
        assert case.args[0] == twin.args[0] and np.array_equal(case.args[1], twin.args[1])
        args, _ = exercise.call_arguments(case)
        assert _clear(*args)


def _labels_exercise() -> Exercise:
    truth = np.array([1, 0] * 10)
    return Exercise(
        name="classify",
        lesson="10_seeing",
        reference=lambda: truth,
        params=(),
        visible=(Case(),),
        hidden=lambda rng: [],
        mistakes=(Mistake("all_ones", "everything is a 1.", lambda: np.ones(20, int)),),
        answer=Answer(dtype=None, agree=0.9),
    )


def test_labels_pass_with_enough_of_them_right_and_fail_with_the_count_below():
    exercise, truth = _labels_exercise(), np.array([1, 0] * 10)
    two_wrong = truth.copy()
    two_wrong[[0, 1]] = 1 - two_wrong[[0, 1]]
    assert judge(exercise, Case(), Outcome(two_wrong)).passed  # 18 of 20: 90 %
    three_wrong = two_wrong.copy()
    three_wrong[2] = 1 - three_wrong[2]
    verdict = judge(exercise, Case(), Outcome(three_wrong))
    assert not verdict.passed and verdict.mistake == "too_few_right"
    assert "17 of 20 right (85%); at least 18 (90%) must be." in verdict.message
    verdict = judge(exercise, Case(), Outcome(np.ones(20, int)))
    assert verdict.mistake == "all_ones" and "Likely mistake: everything is a 1." in verdict.message
