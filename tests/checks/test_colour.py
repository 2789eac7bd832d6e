"""Lesson 02's cases: truncation in grayscale is named whichever way the floats were added.

In float64, 0.299 + 0.587 + 0.114 is 0.9999999999999999, so where the exact luminance is a
whole number, `.astype(np.uint8)` gives v or v - 1 depending on the order of the additions. The
cases avoid such pixels (except the gray case, which comes last), so every formula truncates
alike and the message can name the mistake.
"""

import re

import numpy as np
import pytest

from cnnlib.checks import CheckFailure, check, make_cases
from cnnlib.checks.colour import GRAYSCALE


def _thousandths(image: np.ndarray) -> np.ndarray:
    wide = image.astype(np.int64)
    return 299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]


@pytest.mark.parametrize("seed", [None, *range(30)])
def test_the_cases_before_the_gray_one_have_no_whole_or_half_luminance(seed):
    cases = make_cases(GRAYSCALE, seed)
    assert "gray" not in cases[0].note
    for case in cases:
        if "gray" in case.note or "white stays 255" in case.note:
            continue
        thousandths = _thousandths(case.args[0])
        assert not ((thousandths % 500 == 0) & (thousandths > 0)).any(), case.note


FORMULAS = {
    "three products": lambda x: 0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2],
    "blue first": lambda x: 0.114 * x[..., 2] + 0.587 * x[..., 1] + 0.299 * x[..., 0],
    "matrix product": lambda x: x @ np.array([0.299, 0.587, 0.114]),
    "sum over the channel axis": lambda x: (x * np.array([0.299, 0.587, 0.114])).sum(axis=2),
    "float32": lambda x: x.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32),
}


@pytest.mark.parametrize("formula", FORMULAS.values(), ids=FORMULAS.keys())
def test_truncation_is_named_for_every_float_formula(formula):
    (truncated,) = [m for m in GRAYSCALE.mistakes if m.key == "truncated"]
    for seed in (None, *range(10)):
        with pytest.raises(CheckFailure, match=re.escape(f"Likely mistake: {truncated.says}")):
            check(GRAYSCALE, lambda image, f=formula: f(image).astype(np.uint8), seed)
