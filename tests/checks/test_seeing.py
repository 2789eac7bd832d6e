"""Lesson 10's exercise data: networks and prediction functions named in words, hidden cases without
near-ties, and labels judged by how many are right (``Answer.agree``)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlib import seeing
from cnnlib.checks import Answer, Case, CheckFailure, Exercise, Mistake, exercises, judge
from cnnlib.checks import seeing as seeing_checks
from cnnlib.checks.outcome import Outcome
from cnnlib.checks.seeing import _clear, _telling, network, predictor


def test_cases_name_their_networks_and_functions_in_words():
    assert network("digits_cnn(seed=3)").input_shape == (8, 8, 1)
    assert list(network("strided(seed=1)").layers)[:3] == ["conv1", "relu1", "pool1"]
    assert list(network("wide(seed=1)").shapes.values())[:5] == [
        (8, 14, 4),
        (8, 14, 4),
        (4, 7, 4),
        (2, 5, 6),
        (2, 5, 6),
    ]
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
        # and each tells the right answer from the mistakes a random case can miss
        assert _telling(*args, wide=case.args[0].startswith("wide"))
    assert any(case.args[0].startswith("wide") for case in cases)  # a map that is not square


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


def test_the_visible_top_patches_cases_have_no_near_ties_and_one_map_is_not_square():
    exercise = exercises("10_seeing")["top_patches"]
    shapes = []
    for case in exercise.visible[2:]:  # the tiny network's cases tie on purpose (the first of equals)
        args, _ = exercise.call_arguments(case)
        assert _clear(*args)
        net, (k, _) = args[0], args[2]
        shapes.append(net.shapes[list(net.layers)[k]][:2])
    assert (4, 7) in shapes


def test_the_notebook_face_check_fails_a_call_slower_than_grading_allows(monkeypatch, capsys):
    from coursetools.grading.limits import Limits

    assert seeing_checks.GRADING_CALL_SECONDS == Limits().call_seconds
    exercise = exercises("10_seeing")["classify_faces"]
    (case,) = exercise.visible
    args, _ = exercise.call_arguments(case)
    truth = seeing.face_truth(*args)

    def right(x_train, y_train, x_test, seed):
        return truth

    seeing_checks.check_classify_faces(right)
    assert "classify_faces: all 1 checks passed. (slowest call:" in capsys.readouterr().out
    monkeypatch.setattr(seeing_checks, "GRADING_CALL_SECONDS", 0.0)
    with pytest.raises(CheckFailure) as failed:  # all right, but too slow for grading
        seeing_checks.check_classify_faces(right)
    assert str(failed.value).startswith("classify_faces took 0 s on one call. Grading stops a call after 0 s")
    with pytest.raises(CheckFailure) as failed:  # wrong and too slow: both said
        seeing_checks.check_classify_faces(lambda x_train, y_train, x_test, seed: np.ones(len(x_test), int))
    assert "Likely mistake: every image got label 1" in str(failed.value)
    assert "Grading stops a call after 0 s and then gives this check no points" in str(failed.value)
