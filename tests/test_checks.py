"""Tests of cnnlib.checks: the machinery (core) and lesson 01's checks (pixels)."""

import numpy as np
import pytest

from cnnlib import data
from cnnlib import pixels as images
from cnnlib.checks import CheckFailure, compare, pixels, side_by_side
from cnnlib.checks.core import call_learner
from tests.wrong_answers import for_lesson

# ---------------------------------------------------------------- core


def test_compare_accepts_the_right_answer():
    compare(np.array([[1, 2]], dtype=np.uint8), np.array([[1, 2]], dtype=np.uint8), call="f()")


def test_compare_says_none_means_a_missing_return():
    with pytest.raises(CheckFailure, match=r"returned None\. Did you forget the `return`"):
        compare(None, np.zeros((2, 2)), call="f()")


def test_compare_asks_for_an_array_not_a_list():
    with pytest.raises(CheckFailure, match="should return a numpy array, but returned a list"):
        compare([[1, 2]], np.array([[1, 2]]), call="f()")


def test_compare_names_the_first_wrong_cell_with_expected_and_got():
    expected = np.array([[1, 2, 3], [4, 5, 6]])
    got = np.array([[1, 2, 3], [4, 0, 7]])
    with pytest.raises(CheckFailure) as info:
        compare(got, expected, call="f(x)", inputs={"x": np.zeros((2, 3), dtype=int)})
    message = str(info.value)
    assert "2 of 6 values differ" in message
    assert "row 1, column 1: expected 5, got 0" in message
    # the arrays are printed side by side under their labels
    assert "expected" in message and "yours" in message and "[4 0 7]" in message


def test_compare_hints_at_swapped_rows_and_columns_for_a_transposed_shape():
    with pytest.raises(CheckFailure, match=r"shape \(3, 2\), expected shape \(2, 3\)[\s\S]*swapped"):
        compare(np.zeros((3, 2)), np.zeros((2, 3)), call="f()")


def test_compare_checks_dtype_after_values():
    with pytest.raises(CheckFailure, match="right values but dtype float64; expected uint8"):
        compare(np.array([1.0, 2.0]), np.array([1, 2], dtype=np.uint8), call="f()")


def test_compare_names_a_known_mistake_before_anything_else():
    expected = np.array([[255, 155]], dtype=np.uint8)
    wrong = np.array([[100, 0]], dtype=np.uint8)
    with pytest.raises(CheckFailure, match="Likely mistake: used the maximum"):
        compare(wrong, expected, call="invert()", mistakes=[("used the maximum", wrong)])


def test_compare_skips_a_mistake_that_gives_the_right_answer_on_this_input():
    right = np.array([1, 2])
    compare(right, right, call="f()", mistakes=[("never mind", right.copy())])


def test_compare_prints_a_window_around_the_first_wrong_cell_of_a_large_array():
    expected = np.zeros((40, 40), dtype=int)
    got = expected.copy()
    got[20, 30] = 7
    with pytest.raises(CheckFailure) as info:
        compare(got, expected, call="f()")
    message = str(info.value)
    assert "row 20, column 30: expected 0, got 7" in message
    assert "rows 18..22, columns 28..32" in message
    assert message.count("\n") < 20  # a window, not 40 rows


def test_compare_with_tolerance_accepts_rounding_but_not_errors():
    compare(np.array([0.1 + 0.2]), np.array([0.3]), call="f()", atol=1e-9)
    with pytest.raises(CheckFailure):
        compare(np.array([0.31]), np.array([0.3]), call="f()", atol=1e-9)


def test_side_by_side_lines_up_columns():
    text = side_by_side({"a": np.array([[1, 2]]), "b": np.array([[3, 4], [5, 6]])})
    assert text.splitlines() == ["a          b", "[[1 2]]    [[3 4]", "            [5 6]]"]


def test_call_learner_reports_exceptions_in_the_learners_terms():
    def broken(x):
        return x / undefined_name  # noqa: F821

    with pytest.raises(CheckFailure, match=r"f\(<array \(2,\) int64>\) raised NameError"):
        call_learner(broken, "f", np.array([1, 2]))


def test_call_learner_explains_not_implemented():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailure, match="replace `raise NotImplementedError\\(\\)`"):
        call_learner(todo, "f", 1)


def test_call_learner_catches_in_place_changes_and_protects_the_callers_array():
    image = np.array([1, 2, 3])

    def in_place(x):
        x += 1
        return x

    with pytest.raises(CheckFailure, match="changed its input"):
        call_learner(in_place, "f", image)
    np.testing.assert_array_equal(image, [1, 2, 3])


# ---------------------------------------------------------------- pixels (lesson 01)


def _right_smiley(background=0, face=2, features=9):
    codes = data.smiley()
    out = np.empty((8, 8), dtype=np.uint8)
    out[codes == 0], out[codes == 2], out[codes == 9] = background, face, features
    return out


RIGHT = {
    "make_smiley": (pixels.check_make_smiley, _right_smiley),
    "invert": (pixels.check_invert, images.invert),
    "crop": (pixels.check_crop, images.crop),
    "brighten": (pixels.check_brighten, images.brighten),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_pixel_checks_pass_the_reference(name, capsys):
    check, reference = RIGHT[name]
    check(reference)
    assert f"{name}: all" in capsys.readouterr().out


def _wrong_cases():
    return [
        pytest.param(grade_id, answer, id=f"{grade_id}-{answer.label}")
        for grade_id, answers in for_lesson("01_pixels").items()
        for answer in answers
    ]


def _define(source: str):
    namespace = {"np": np}
    exec(source, namespace)
    return next(v for k, v in namespace.items() if callable(v) and not k.startswith("__") and k != "np")


@pytest.mark.parametrize("grade_id,answer", _wrong_cases())
def test_pixel_checks_name_each_known_mistake(grade_id, answer):
    check, _ = RIGHT[grade_id]
    function = _define(answer.source)
    cases = {"make_smiley": [(255, 170, 0)]}.get(grade_id)
    with pytest.raises(CheckFailure) as info:
        # the visible checks, then (if those pass) cases like the hidden ones
        check(function)
        if cases:
            check(function, cases=cases)
    assert answer.message in str(info.value)


def test_untouched_student_functions_fail_with_a_clear_message():
    def todo(*args, **kwargs):
        raise NotImplementedError()

    for check, _ in RIGHT.values():
        with pytest.raises(CheckFailure, match="NotImplementedError"):
            check(todo)


def test_random_images_invert_and_brighten_against_a_pixel_loop():
    rng = np.random.default_rng(0)
    for _ in range(20):
        image = rng.integers(0, 256, size=tuple(rng.integers(1, 9, size=2)), dtype=np.uint8)
        amount = int(rng.integers(-300, 301))
        pixels.check_invert(images.invert, cases=[image])
        pixels.check_brighten(images.brighten, cases=[(image, amount)])


def test_compare_names_channel_and_sample_and_prints_that_plane():
    expected = np.zeros((2, 3, 3, 4))
    got = expected.copy()
    got[1, 2, 0, 3] = 5.0
    with pytest.raises(CheckFailure) as info:
        compare(got, expected, call="f()")
    message = str(info.value)
    assert "sample 1, row 2, column 0, channel 3: expected 0.0, got 5.0" in message
    assert "yours (sample 1, channel 3)" in message
    assert "[5. 0. 0.]]" in message  # the bottom row of that plane

    colour = np.zeros((20, 20, 3), dtype=np.uint8)
    wrong = colour.copy()
    wrong[0, 19, 1] = 9
    with pytest.raises(CheckFailure, match=r"rows 0..2, columns 17..19, channel 1"):
        compare(wrong, colour, call="f()")
