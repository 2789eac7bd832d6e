"""Lesson 09's exercises beyond the catalogue tests (tests/checks/test_lessons.py): functions named
in cases by their formula, hidden filters that are really learned, bounded grading time."""

from __future__ import annotations

import time

import numpy as np
import pytest

from cnnlib import learning, ops
from cnnlib.checks import CheckFailure, Outcome, check, exercises, judge, make_cases
from cnnlib.checks.learning import FUNCTIONS, LEARN_FILTER, NUMERICAL_GRADIENT

EXERCISES = exercises("09_learning")


def test_every_formula_a_case_names_is_the_function_it_names():
    w = np.array([[0.5, -1.0], [2.0, 0.25]])
    assert FUNCTIONS["f(w) = sum(w ** 2)"](w) == pytest.approx(np.sum(w * w))
    assert FUNCTIONS["f(w) = sum(w ** 3)"](w) == pytest.approx(np.sum(w * w * w))
    assert FUNCTIONS["f(w) = sum(w ** 3) + sum(w) ** 2"](w) == pytest.approx(np.sum(w**3) + 1.75**2)
    assert FUNCTIONS["f(w) = sum(sin(w) * w)"](w) == pytest.approx(np.sum(np.sin(w) * w))
    for case in (*NUMERICAL_GRADIENT.visible, *NUMERICAL_GRADIENT.hidden(np.random.default_rng(0))):
        assert case.args[0] in FUNCTIONS  # plain words travel to a sandbox; the function does not


def test_prepare_gives_the_learner_the_function_and_the_judge_compares_with_its_gradient():
    case = NUMERICAL_GRADIENT.visible[0]  # sum(w ** 2) at [1, -2, 0.5]: the slope is 2w
    args, _ = NUMERICAL_GRADIENT.call_arguments(case)
    assert callable(args[0]) and args[0](np.array([3.0])) == 9.0
    assert judge(NUMERICAL_GRADIENT, case, Outcome(value=np.array([2.0, -4.0, 1.0]))).passed
    verdict = judge(NUMERICAL_GRADIENT, case, Outcome(value=np.array([2.0, -4.0, 1.5])))
    assert not verdict.passed and "expected 1, yours 1.5" in verdict.message
    assert "numerical_gradient('f(w) = sum(w ** 2)', " in verdict.message


def test_the_hidden_filters_are_really_learned_to_a_tolerance():
    for seed in range(4):
        for case in make_cases(LEARN_FILTER, seed):
            inputs, targets, start, lr, steps = case.args
            learned = learning.learn_filter(inputs, targets, start, lr, steps)
            # the targets were made by a hidden kernel: least squares finds it exactly
            patches = np.lib.stride_tricks.sliding_window_view(inputs, start.shape, axis=(1, 2))
            hidden = np.linalg.lstsq(patches.reshape(-1, start.size), targets.ravel(), rcond=None)[0]
            assert np.abs(learned - hidden.reshape(start.shape)).max() < 0.01, (seed, case.note)
            assert abs(hidden.sum()) < 1e-6  # an edge filter: flat areas give 0


def test_a_diverging_descent_is_named_and_shows_the_learner_s_huge_numbers():
    def uphill(inputs, targets, start, lr, steps):
        kernel = start.copy()
        for _ in range(steps):
            grads = [2 / 36 * ops.conv2d(x, ops.conv2d(x, kernel) - t) for x, t in zip(inputs, targets)]
            kernel = kernel + lr * np.mean(grads, axis=0)
        return kernel

    with pytest.raises(CheckFailure) as failure:
        check(LEARN_FILTER, uphill)
    message = str(failure.value)
    assert "each step goes uphill" in message and "grows past 1e100" in message
    assert "e+" in message.rsplit("yours", 1)[1]  # the learner's exploded kernel, in powers of ten


def test_a_hidden_check_of_learn_filter_written_with_loops_takes_well_under_the_call_limit(capsys):
    def learn_filter(inputs, targets, start, lr, steps):  # the slowest honest answer: loops only
        kernel = start.copy()
        kh, kw = kernel.shape
        for _ in range(steps):
            grad = np.zeros_like(kernel)
            for x, t in zip(inputs, targets):
                oh, ow = t.shape
                error = np.zeros((oh, ow))
                for r in range(oh):
                    for c in range(ow):
                        error[r, c] = np.sum(x[r : r + kh, c : c + kw] * kernel) - t[r, c]
                for i in range(kh):
                    for j in range(kw):
                        grad[i, j] += 2 * np.mean(error * x[i : i + oh, j : j + ow])
            kernel = kernel - lr * grad / len(inputs)
        return kernel

    started = time.process_time()
    check(LEARN_FILTER, learn_filter, seed=939)
    seconds = time.process_time() - started
    assert "all 3 hidden checks passed" in capsys.readouterr().out
    assert seconds < 8, f"{seconds:.1f} s of CPU: a grader calls each case within 10 s"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_each_exercise_has_three_to_six_visible_cases_a_person_can_read(name):
    exercise = EXERCISES[name]
    assert 3 <= len(exercise.visible) <= 6
    assert all(case.note for case in exercise.visible)
