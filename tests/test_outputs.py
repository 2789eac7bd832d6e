"""Tests of cnnlib.outputs: values checked by hand, random cases against plain-loop oracles, errors."""

import math

import numpy as np
import pytest

from cnnlib import ops, outputs

ANIMALS = ["cat", "dog", "bird", "horse", "fish"]


# ------------------------------------------------------------------ oracles (plain Python)


def one_hot_loops(labels, k):
    return [[1 if c == label else 0 for c in range(k)] for label in labels]


def softmax_loops(row):
    top = max(row)
    exps = [math.exp(s - top) for s in row]
    return [e / sum(exps) for e in exps]


def top_k_loops(scores, k):
    # highest first; among equal scores the lower index first
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]


# ------------------------------------------------------------------ one_hot


def test_one_hot_by_hand():
    rows = outputs.one_hot([1, 0, 3], num_classes=4)
    assert rows.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]
    assert rows.dtype == np.int64


def test_one_hot_keeps_columns_of_classes_that_do_not_occur():
    assert outputs.one_hot(np.array([0, 0]), 3).tolist() == [[1, 0, 0], [1, 0, 0]]
    assert outputs.one_hot(np.array([], dtype=int), 3).shape == (0, 3)


def test_one_hot_matches_loops_on_random_labels():
    rng = np.random.default_rng(3)
    for n, k in [(1, 1), (7, 3), (50, 10)]:
        labels = rng.integers(0, k, size=n)
        rows = outputs.one_hot(labels, k)
        assert rows.tolist() == one_hot_loops(labels.tolist(), k)
        assert (rows.sum(axis=1) == 1).all() and (rows.argmax(axis=1) == labels).all()


def test_one_hot_errors_say_what_was_expected():
    with pytest.raises(
        ValueError, match="label 4 is not a class index for 4 classes: indices run from 0 to 3"
    ):
        outputs.one_hot([1, 4], 4)
    with pytest.raises(ValueError, match="label -1 is not a class index"):
        outputs.one_hot([-1], 4)
    with pytest.raises(ValueError, match=r"1-D sequence of class indices, shape \(N,\), got shape \(\)"):
        outputs.one_hot(2, 4)
    with pytest.raises(TypeError, match="whole numbers"):
        outputs.one_hot([0.5, 1.0], 4)
    with pytest.raises(ValueError, match="num_classes must be a whole number >= 1, got 0"):
        outputs.one_hot([0], 0)


# ------------------------------------------------------------------ multi_hot


def test_multi_hot_by_hand():
    assert outputs.multi_hot(["bird", "cat"], ANIMALS).tolist() == [1, 0, 1, 0, 0]
    assert outputs.multi_hot(["dog", "cat", "dog"], ANIMALS).tolist() == [
        1,
        1,
        0,
        0,
        0,
    ]  # presence, not count
    assert outputs.multi_hot([], ANIMALS).tolist() == [0, 0, 0, 0, 0]
    assert outputs.multi_hot(("effusion",), ("pneumonia", "effusion", "nodule")).dtype == np.int64


def test_multi_hot_matches_a_loop_over_the_classes():
    rng = np.random.default_rng(5)
    for _ in range(20):
        present = [str(name) for name in rng.choice(ANIMALS, size=int(rng.integers(0, 8)))]
        assert outputs.multi_hot(present, ANIMALS).tolist() == [int(c in present) for c in ANIMALS]


def test_multi_hot_errors_say_what_was_expected():
    with pytest.raises(ValueError, match=r"'zebra' is not one of the classes \['cat', 'dog'"):
        outputs.multi_hot(["zebra"], ANIMALS)
    with pytest.raises(ValueError, match="class 'cat' appears twice"):
        outputs.multi_hot(["cat"], ["cat", "dog", "cat"])
    with pytest.raises(TypeError, match="not a single string"):
        outputs.multi_hot("cat", ANIMALS)
    with pytest.raises(ValueError, match="classes is empty"):
        outputs.multi_hot([], [])


# ------------------------------------------------------------------ softmax


def test_softmax_by_hand():
    assert outputs.softmax([0.0, 0.0]).tolist() == [0.5, 0.5]
    assert outputs.softmax([0.0, math.log(3.0)]) == pytest.approx([0.25, 0.75])
    # exp(2), exp(1), exp(0) = 7.389, 2.718, 1; their sum 11.107
    assert outputs.softmax([2.0, 1.0, 0.0]) == pytest.approx([0.6652, 0.2447, 0.0900], abs=1e-4)
    assert outputs.softmax([7.5]).tolist() == [1.0]


def test_softmax_does_not_overflow_and_ignores_a_common_shift():
    big = outputs.softmax([1000.0, 1001.0, 1002.0])
    assert np.isfinite(big).all()
    assert big == pytest.approx(outputs.softmax([0.0, 1.0, 2.0]))
    assert outputs.softmax(np.array([-1000.0, -1000.0])).tolist() == [0.5, 0.5]


def test_softmax_normalises_each_row_of_a_batch_and_matches_loops():
    rng = np.random.default_rng(11)
    scores = rng.normal(0, 3, size=(6, 4)) + rng.choice([-2000.0, 0.0, 2000.0], size=(6, 1))
    probabilities = outputs.softmax(scores)
    assert probabilities.shape == (6, 4)
    assert probabilities.sum(axis=1) == pytest.approx(np.ones(6))
    for row, got in zip(scores.tolist(), probabilities):
        assert got == pytest.approx(softmax_loops(row))
    np.testing.assert_array_equal(probabilities, ops.softmax(scores, axis=-1))


def test_softmax_dtypes():
    assert outputs.softmax(np.array([1, 2], dtype=np.int64)).dtype == np.float64
    assert outputs.softmax(np.array([1, 2], dtype=np.float32)).dtype == np.float32


def test_softmax_errors_say_what_was_expected():
    with pytest.raises(
        ValueError, match=r"one score vector \(K,\) or a batch \(N, K\), got shape \(2, 2, 2\)"
    ):
        outputs.softmax(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        outputs.softmax(3.0)
    with pytest.raises(TypeError, match="real numbers"):
        outputs.softmax(np.array(["a", "b"]))


# ------------------------------------------------------------------ top_k


def test_top_k_by_hand():
    assert outputs.top_k([0.1, 0.6, 0.3], 1).tolist() == [1]
    assert outputs.top_k([0.1, 0.6, 0.3], 2).tolist() == [1, 2]
    assert outputs.top_k(np.array([2, -1, 5, 0, 3]), 3).tolist() == [2, 4, 0]
    assert outputs.top_k([3.0, 1.0, 2.0], 3).dtype == np.int64


def test_top_k_ties_go_to_the_lower_index():
    assert outputs.top_k([0.2, 0.4, 0.1, 0.4], 2).tolist() == [1, 3]
    assert outputs.top_k([3, 1, 4, 1, 5, 9, 2, 6], 8).tolist() == [5, 7, 4, 2, 0, 6, 1, 3]
    assert outputs.top_k(np.zeros(40), 40).tolist() == list(range(40))


def test_top_k_does_not_wrap_unsigned_scores():
    assert outputs.top_k(np.array([0, 200, 255, 1], dtype=np.uint8), 2).tolist() == [2, 1]


def test_top_k_matches_a_sorted_oracle_on_random_scores_with_ties():
    rng = np.random.default_rng(2)
    for size in (1, 5, 33, 100):
        scores = rng.integers(0, 6, size=size).astype(np.float64)  # many ties
        k = int(rng.integers(1, size + 1))
        assert outputs.top_k(scores, k).tolist() == top_k_loops(scores.tolist(), k)


def test_top_k_errors_say_what_was_expected():
    with pytest.raises(ValueError, match="k must be a whole number from 1 to 3"):
        outputs.top_k([1, 2, 3], 4)
    with pytest.raises(ValueError, match="k must be a whole number from 1 to 3"):
        outputs.top_k([1, 2, 3], 0)
    with pytest.raises(ValueError, match=r"shape \(K,\), got shape \(2, 2\)"):
        outputs.top_k(np.zeros((2, 2)), 1)
    with pytest.raises(ValueError, match="NaN"):
        outputs.top_k([1.0, np.nan], 1)


# ------------------------------------------------------------------ the checks' messages


def test_an_overflowing_softmax_is_named_and_its_nan_values_are_printed():
    from cnnlib.checks import CheckFailure, check
    from cnnlib.checks.outputs import SOFTMAX

    def naive(scores):
        with np.errstate(all="ignore"):
            exps = np.exp(scores)
            return exps / exps.sum(axis=-1, keepdims=True)

    with pytest.raises(CheckFailure) as failure:
        check(SOFTMAX, naive)
    message = str(failure.value)
    assert "Likely mistake: overflow on large scores" in message
    assert "subtract the maximum first" in message.lower()
    assert "1000.  1001.  1002." in message and "nan  nan  nan" in message


def _notebook_seed(grade_id: str) -> int:
    """The seed the solution notebook's hidden test cell ``grade_id`` passes to its check."""
    import json
    import re
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "solutions" / "03_outputs" / "03_outputs.ipynb"
    for cell in json.loads(path.read_text())["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id:
            return int(re.search(r"seed=(\d+)", "".join(cell["source"])).group(1))
    raise AssertionError(f"no cell {grade_id}")


TIE_BREAKERS = {
    "ties reversed, default sort": lambda scores, k: np.argsort(scores)[-k:][::-1],
    "ties reversed, stable sort": lambda scores, k: np.argsort(scores, kind="stable")[::-1][:k],
    "not stable": lambda scores, k: np.argsort(-scores)[:k],
}


@pytest.mark.parametrize("wrong", TIE_BREAKERS.values(), ids=TIE_BREAKERS.keys())
def test_top_k_hidden_checks_catch_wrong_tie_breaking_for_every_seed(wrong, capsys):
    from cnnlib.checks import CheckFailure, check
    from cnnlib.checks.outputs import TOP_K

    for seed in (*range(51), _notebook_seed("test_top_k_hidden")):
        with pytest.raises(CheckFailure):
            check(TOP_K, wrong, seed)
    # the right answer passes the same cases
    for seed in (*range(51), _notebook_seed("test_top_k_hidden")):
        check(TOP_K, lambda scores, k: np.argsort(-scores, kind="stable")[:k], seed)
