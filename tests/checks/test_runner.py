"""Tests of cnnlib.checks.runner: the one runner, on small exercises declared here.

Each failure is asserted with the exact message a learner reads.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from cnnlib import ops
from cnnlib.checks import (
    Answer,
    Case,
    CheckFailure,
    Exercise,
    Mistake,
    NotCalled,
    Opaque,
    Outcome,
    Raised,
    Window,
    call,
    check,
    in_process,
    judge,
    make_cases,
    plain,
    run_check,
)
from cnnlib.checks.runner import show_failures_briefly
from cnnlib.guard import answer


def _none(rng):
    return []


@answer
def _size(n, k, stride=1, padding=0):
    return (n + 2 * padding - k) // stride + 1


SIZE = Exercise(
    "output_size", "04_convolution", _size, ("n", "k", "stride", "padding"),
    (Case((5, 3)), Case((7, 3), dict(stride=2, padding=1))), _none, answer=Answer(kind="int"),
    mistakes=(Mistake("no_plus_one", "the + 1 is missing.", lambda n, k, stride=1, padding=0: (n + 2 * padding - k) // stride),),
)  # fmt: skip


@answer
def _shape_after(height, width, k):
    return (height - k + 1, width - k + 1)


SHAPE = Exercise(
    "shape_after", "04_convolution", _shape_after, ("height", "width", "k"), (Case((4, 5, 2)),), _none,
    answer=Answer(kind="tuple", items=(Answer(kind="int"), Answer(kind="int")), names=("height", "width")),
)  # fmt: skip


@answer
def _mean(x):
    return float(np.mean(x))


MEAN = Exercise(
    "mean", "03_outputs", _mean, ("x",), (Case((np.array([1.0, np.nan]),)), Case((np.array([0.1, 0.2]),))), _none,
    answer=Answer(kind="float", rtol=1e-9),
)  # fmt: skip


@answer
def _scale(x, factor=2.0):
    return x * factor


SCALE = Exercise(
    "scale", "02_colour", _scale, ("x", "factor"), (Case(kwargs=dict(x=np.array([1.0, np.nan]), factor=2.0)),), _none,
    answer=Answer(dtype=None),
)  # fmt: skip

_SMILEY_PART = np.array([[0, 0, 2, 2], [0, 2, 2, 2], [2, 2, 9, 2]])
_KERNEL = np.array([[1, 2], [3, -1]])


@answer
def _conv(image, kernel, stride=1, padding=0):
    return ops.conv2d(image, kernel, stride=stride, padding=padding)


CONV = Exercise(
    "conv2d", "04_convolution", _conv, ("image", "kernel", "stride", "padding"),
    (Case((_SMILEY_PART, _KERNEL)), Case((_SMILEY_PART, _KERNEL), dict(stride=2, padding=1))),
    lambda rng: [Case((rng.integers(0, 10, (40, 50)), _KERNEL))],
    answer=Answer(dtype=None), window=Window("conv", "image", "kernel", stride="stride", padding="padding"),
)  # fmt: skip


@answer
def _layer(image, filters, biases):
    return ops.conv2d(image, filters, biases)


LAYER = Exercise(
    "conv_layer", "07_layers", _layer, ("image", "filters", "biases"),
    (Case((np.arange(27.0).reshape(3, 3, 3), np.ones((2, 2, 2, 3)), np.array([0.5, -1.0]))),), _none,
    answer=Answer(dtype=None, rtol=1e-6, axes=("row", "column", "map")),
    window=Window("conv", "image", "filters", bias="biases"),
)  # fmt: skip


@answer
def _pool(x, size=2, stride=None):
    return ops.max_pool2d(x, size, stride)


POOL = Exercise(
    "max_pool2d", "06_pooling", _pool, ("x", "size", "stride"),
    (Case((np.array([[1, 2, 0, 0], [3, 4, 0, 5], [7, 0, 1, 1], [0, 0, 2, 9.0]]),)),), _none,
    answer=Answer(dtype=None), window=Window("max", "x", size="size", stride="stride"),
)  # fmt: skip


def message(exercise, function, seed=None) -> str:
    with pytest.raises(CheckFailure) as info:
        check(exercise, function, seed)
    return str(info.value)


# ------------------------------------------------------------------ scalars and tuples


def test_an_int_answer_given_as_a_float_is_told_to_use_whole_number_division():
    assert message(SIZE, lambda n, k, stride=1, padding=0: (n + 2 * padding - k) / stride + 1) == (
        "output_size(5, 3) returned 3.0, a float; output_size should be a whole number (an int). "
        "A `/` anywhere makes a float: divide with `//`, or convert the result with int(...)."
    )


def test_a_scalar_mistake_is_named_and_a_plain_wrong_scalar_shows_both_numbers():
    assert message(SIZE, lambda n, k, stride=1, padding=0: (n + 2 * padding - k) // stride) == (
        "output_size(5, 3) is not right yet.\nLikely mistake: the + 1 is missing.\nIt returned 2, expected 3."
    )
    assert message(SIZE, lambda n, k, stride=1, padding=0: n - k + 1) == (
        "output_size(7, 3, stride=2, padding=1) returned 5, expected 4."
    )


def test_a_tuple_is_compared_item_by_item_by_name():
    assert message(SHAPE, lambda height, width, k: (height - k + 1, width - k + 2)) == (
        "shape_after(4, 5, 2) is not right yet: in the returned tuple, width is 5, expected 4."
    )
    assert message(SHAPE, lambda height, width, k: [height - k + 1]) == (
        "shape_after(4, 5, 2) returned 1 values, expected 2: (3, 4)."
    )
    check(SHAPE, lambda height, width, k: [height - k + 1, width - k + 1])  # a list is a fine tuple


def test_nan_equals_nan_and_a_number_is_not_nan():
    check(MEAN, lambda x: float(np.mean(x)))
    check(SCALE, lambda x, factor=2.0: x * factor)
    assert (
        message(MEAN, lambda x: float(np.nanmean(x)))
        == "mean(<array (2,) float64>) returned 1, expected nan."
    )


# ------------------------------------------------------------------ arrays


def test_an_argument_changed_in_place_is_named_also_when_passed_by_keyword():
    def scale_in_place(x, factor=2.0):
        x *= factor
        return x

    assert message(SCALE, scale_in_place) == (
        "scale(x=<array (2,) float64>, factor=2.0) changed its argument `x` in place. Leave the caller's "
        "data as it was: work on a copy (`image.copy()`) or build a new array, and return that."
    )


def test_a_wrong_convolution_cell_is_explained_by_its_window_and_the_sum():
    def off(image, kernel, stride=1, padding=0):
        out = ops.conv2d(image, kernel, stride=stride, padding=padding)
        out[1, 2] = 27
        return out

    assert message(CONV, off) == (
        "conv2d(<array (3, 4) int64>, <array (2, 2) int64>) is not right yet: 1 of 6 values differ.\n"
        "First wrong value at row 1, column 2: expected 31, yours 27.\n"
        "It comes from the window in [ ] at rows 1..2, columns 2..3:\n"
        "  2*1 + 2*2 + 9*3 + 2*(-1) = 31, yours: 27\n"
        "\n"
        "image            kernel\n"
        "  0  0  2  2        1   2\n"
        "  0  2 [2  2]       3  -1\n"
        "  2  2 [9  2]"
    )


def test_a_padded_strided_convolution_marks_the_window_in_the_padded_image():
    def off(image, kernel, stride=1, padding=0):
        out = ops.conv2d(image, kernel, stride=stride, padding=padding)
        if stride == 2:
            out[0, 1] -= 2
        return out

    text = message(CONV, off)
    assert "stride=2, padding=1) is not right yet: 1 of 6 values differ." in text
    assert "It comes from the window in [ ] at rows 0..1, columns 2..3 of the padded input:" in text
    assert "  0*1 + 0*2 + 0*3 + 2*(-1) = -2, yours: -4" in text
    assert "image with padding 1" in text and "  0  0 [0  2] 2  0" in text


def test_a_huge_input_is_shown_as_a_window_around_the_wrong_cell():
    def off(image, kernel):
        out = ops.conv2d(image, kernel)
        out[30, 40] += 1
        return out

    text = message(CONV, off, seed=3)
    assert "First wrong value at row 30, column 40" in text
    assert "image (rows 28..33, columns 38..43)" in text
    assert len(text.splitlines()) < 16  # a window, not 40 rows


def test_a_filter_bank_cell_names_its_map_and_sums_channel_by_channel_with_the_bias():
    def off(image, filters, biases):
        out = ops.conv2d(image, filters, biases)
        out[0, 1, 1] += 1
        return out

    assert message(LAYER, off) == (
        "conv_layer(<array (3, 3, 3) float64>, <array (2, 2, 2, 3) float64>, <array (2,) float64>) is not "
        "right yet: 1 of 8 values differ.\n"
        "First wrong value at row 0, column 1, map 1: expected 119, yours 120.\n"
        "It comes from the window in [ ] at rows 0..1, columns 1..2:\n"
        "  (3*1 + 6*1 + 12*1 + 15*1) + (4*1 + 7*1 + 13*1 + 16*1) + (5*1 + 8*1 + 14*1 + 17*1) + bias (-1) = 119,"
        " yours: 120\n"
        "\n"
        "image, channel 0    image, channel 1    image, channel 2\n"
        "   0. [ 3.   6.]       1. [ 4.   7.]       2. [ 5.   8.]\n"
        "   9. [12.  15.]      10. [13.  16.]      11. [14.  17.]\n"
        "  18.  21.  24.       19.  22.  25.       20.  23.  26."
    )


def test_an_answer_with_extra_maps_or_channels_gets_a_shape_message_not_a_crash():
    twice = lambda image, filters, biases: np.concatenate([ops.conv2d(image, filters, biases)] * 2, axis=-1)  # noqa: E731
    assert message(LAYER, twice) == (
        "conv_layer(<array (3, 3, 3) float64>, <array (2, 2, 2, 3) float64>, <array (2,) float64>) returned "
        "an array of shape (2, 2, 4), expected shape (2, 2, 2).\nThat is 2 maps too many."
    )
    stacked = lambda image, kernel: np.stack([ops.conv2d(image, kernel)] * 3, axis=-1)  # noqa: E731
    assert "expected shape (2, 3).\nIt has an extra axis of size 3 (last): shape (2, 3, 3)" in message(CONV, stacked)
    wrapped = lambda image, kernel: np.array([ops.conv2d(image, kernel)])  # noqa: E731
    assert "It has an extra axis of size 1 (first): shape (1, 2, 3), where (2, 3) is expected." in message(
        CONV, wrapped
    )


def test_a_wrong_pooled_cell_shows_its_window_and_max():
    def off(x, size=2, stride=None):
        out = ops.max_pool2d(x, size, stride)
        out[1, 0] = 0
        return out

    assert message(POOL, off) == (
        "max_pool2d(<array (4, 4) float64>) is not right yet: 1 of 4 values differ.\n"
        "First wrong value at row 1, column 0: expected 7, yours 0.\n"
        "It comes from the window in [ ] at rows 2..3, columns 0..1:\n"
        "  max(7, 0, 0, 0) = 7, yours: 0\n"
        "\n"
        "x\n"
        "  1.  2.  0.  0.\n"
        "  3.  4.  0.  5.\n"
        " [7.  0.] 1.  1.\n"
        " [0.  0.] 2.  9."
    )


def test_a_view_is_refused_where_a_copy_is_required_and_accepted_where_not():
    @answer
    def top_rows(image):
        return image[:1].copy()

    def view(image):
        return image[:1]

    copying = Exercise(
        "top_rows", "01_pixels", top_rows, ("image",), (Case((np.eye(3),)),), _none, answer=Answer(copy=True)
    )
    assert message(copying, view) == (
        "top_rows(<array (3, 3) float64>) returned a view into `image`, not a copy: changing the result "
        "would change `image` too. Return a copy, e.g. with `.copy()` at the end."
    )
    check(Exercise("top_rows", "01_pixels", top_rows, ("image",), (Case((np.eye(3),)),), _none), view)


def test_values_are_judged_before_the_dtype_across_all_cases():
    @answer
    def double(x):
        return x * 2

    cases = (Case((np.array([1, 2], dtype=np.uint8),)), Case((np.array([100, 200], dtype=np.uint8),)))
    exercise = Exercise("double", "01_pixels", double, ("x",), cases, _none)
    # int64 in the first case is a dtype slip only, but the second case's values are wrong: that comes first
    assert message(exercise, lambda x: x.astype(np.int64) * 2) == (
        "double(<array (2,) uint8>) is not right yet: 1 of 2 values differ.\n"
        "First wrong value at index 1: expected 144, yours 400.\n"
        "\n"
        "x             expected      yours\n"
        "  100  200      200  144      200  400"
    )
    assert message(exercise, lambda x: (x * 2).astype(np.int64)) == (
        "double(<array (2,) uint8>) has the right values but dtype int64; expected uint8. Convert the "
        "result with .astype(np.uint8)."
    )


def test_an_answer_whose_dtype_follows_the_input_is_told_to_keep_it():
    @answer
    def stack(x):
        return np.stack([x, x], axis=-1)

    cases = (Case((np.array([1, 2], dtype=np.uint8),)), Case((np.array([0.5, 1.0], dtype=np.float32),)))
    exercise = Exercise("stack", "01_pixels", stack, ("x",), cases, _none)
    # .astype(np.uint8) would break the float32 case: keep the input's dtype instead
    assert message(exercise, lambda x: np.stack([x, x], axis=-1).astype(np.float64)) == (
        "stack(<array (2,) uint8>) has the right values but dtype float64; expected uint8. The answer "
        "keeps the dtype of `x` (uint8): build the result with dtype=x.dtype, or convert it with "
        ".astype(x.dtype)."
    )


def test_a_dtype_no_input_has_is_reached_by_converting():
    @answer
    def halve(x):
        return (x / 2).astype(np.float32)

    exercise = Exercise("halve", "01_pixels", halve, ("x",), (Case((np.array([2, 4], dtype=np.int64),)),), _none)
    assert message(exercise, lambda x: x / 2) == (
        "halve(<array (2,) int64>) has the right values but dtype float64; expected float32. Convert the "
        "result with .astype(np.float32)."
    )


def test_a_list_with_the_right_numbers_is_told_to_become_an_array():
    assert message(SCALE, lambda x, factor=2.0: list(x * factor)) == (
        "scale(x=<array (2,) float64>, factor=2.0) returned a list with the right numbers; return a numpy "
        "array: wrap it with np.array(...)."
    )


def test_an_error_in_the_learners_code_shows_the_learners_line():
    source = "def scale(x, factor=2.0):\n    y = x * factor\n    return y + undefined_name\n"
    namespace = {}
    exec(compile(source, "<learner cell>", "exec"), namespace)
    import linecache

    linecache.cache["<learner cell>"] = (len(source), None, source.splitlines(True), "<learner cell>")
    assert message(SCALE, namespace["scale"]) == (
        "scale(x=<array (2,) float64>, factor=2.0) raised NameError: name 'undefined_name' is not defined\n"
        "  at line 3 of the cell, in scale: return y + undefined_name"
    )


def test_something_that_is_not_a_function_is_named():
    with pytest.raises(CheckFailure, match=r"^scale should be a function, but it is 3 \(an int\)\.$"):
        check(SCALE, 3)


# ------------------------------------------------------------------ the three steps


def test_cases_outcomes_and_verdicts_are_plain_picklable_data():
    cases = make_cases(CONV, seed=1)
    assert all(np.array_equal(a.args[0], b.args[0]) for a, b in zip(cases, make_cases(CONV, seed=1)))
    outcome = call(CONV, lambda image, kernel: np.zeros((2, 2)), make_cases(CONV)[0])
    verdict = judge(CONV, make_cases(CONV)[0], outcome)
    for thing in (cases, outcome, verdict):
        assert pickle.loads(pickle.dumps(thing)) is not None
    assert verdict.mistake == "wrong_shape" and not verdict.passed


def test_a_returned_object_that_is_not_plain_data_becomes_its_type_and_repr():
    class Thing:
        def __repr__(self):
            return "<thing>"

    assert plain(Thing()) == Opaque("Thing", "<thing>")
    assert plain((np.int64(3), [1.5])) == (np.int64(3), [1.5])
    text = judge(SCALE, SCALE.visible[0], Outcome(value=plain(Thing()))).message
    assert text == (
        "scale(x=<array (2,) float64>, factor=2.0) returned a Thing (<thing>); expected an array of shape (2,)."
    )


def test_outside_ipython_nothing_is_installed():
    assert show_failures_briefly() is False


# ------------------------------------------------------------------ in a live notebook kernel


def test_in_a_notebook_a_failed_check_shows_its_message_and_nothing_of_cnnlib():
    """In a kernel started like JupyterLab's (verbose tracebacks), the learner sees the message only."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "import numpy as np\ndef invert(image):\n    darker = image\n    return 256 - darker",
        "from cnnlib.checks.pixels import check_invert\ncheck_invert(invert)",
        # a learner's cell that redefines the check cannot disarm the next test cell
        "def check_invert(function, seed=None):\n    print('all good!')\ndef invert(image):\n    return image.copy()",
        "from cnnlib.checks.pixels import check_invert\ncheck_invert(invert)",
        # a demo cell given a learner's wrong array: cnnlib's figure says what it needs, briefly
        "from cnnlib.plots import show_image\nshow_image(np.zeros((3, 4, 1)))",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    errors = [[o for o in c.outputs if o.output_type == "error"] for c in notebook.cells]
    assert [len(e) for e in errors] == [0, 1, 0, 1, 1]
    (figure,) = errors[4]
    assert figure.ename == "InputError" and len(figure.traceback) == 1
    assert "show_image: image must be (H, W) or (H, W, 3), got shape (3, 4, 1)" in figure.traceback[0]
    assert "image[..., 0] is the grid" in figure.traceback[0] and "plots" not in figure.traceback[0]
    first, second = errors[1][0], errors[3][0]
    assert first.ename == "CheckFailure"
    shown = "\n".join(first.traceback)
    assert "raised OverflowError: Python integer 256 out of bounds for uint8" in shown
    assert "  at line 4 of the cell, in invert: return 256 - darker" in shown  # as Jupyter numbers it
    assert "Likely mistake: 256 does not fit in uint8" in shown
    assert "cnnlib" not in shown and "runner.py" not in shown and "Traceback" not in shown
    assert len(first.traceback) == 1
    assert "Likely mistake: the image came back unchanged." in "\n".join(second.traceback)


POOL_WITH_MISTAKES = Exercise(
    "max_pool2d", "06_pooling", _pool, ("x", "size", "stride"),
    (Case((np.array([[1, 2, 0, 0, 6], [3, 4, 0, 5, 6], [7, 0, 1, 1, 6], [0, 0, 2, 9, 6], [6, 6, 6, 6, 6.0]]),)),),
    _none, answer=Answer(dtype=None), window=Window("max", "x", size="size", stride="stride"),
    mistakes=(Mistake("mean_not_max", "you took the mean, not the max.", lambda x, size=2, stride=None: ops.avg_pool2d(x, size, stride)),),
)  # fmt: skip


def test_a_named_mistake_of_a_window_exercise_shows_its_first_wrong_window():
    assert message(POOL_WITH_MISTAKES, lambda x, size=2, stride=None: ops.avg_pool2d(x, size, stride)) == (
        "max_pool2d(<array (5, 5) float64>) is not right yet.\n"
        "Likely mistake: you took the mean, not the max.\n"
        "First wrong value at row 0, column 0: expected 4, yours 2.5.\n"
        "It comes from the window in [ ] at rows 0..1, columns 0..1:\n"
        "  max(1, 2, 3, 4) = 4, yours: 2.5\n"
        "\n"
        "x\n"
        " [1.  2.] 0.  0.  6.\n"
        " [3.  4.] 0.  5.  6.\n"
        "  7.  0.  1.  1.  6.\n"
        "  0.  0.  2.  9.  6.\n"
        "  6.  6.  6.  6.  6."
    )


def test_an_extra_row_shows_the_window_that_runs_past_the_edge():
    def partial_windows_kept(x, size=2, stride=None):
        padded = np.pad(x, ((0, 1), (0, 1)), constant_values=-np.inf)
        return ops.max_pool2d(padded, 2)

    assert message(POOL_WITH_MISTAKES, partial_windows_kept) == (
        "max_pool2d(<array (5, 5) float64>) returned an array of shape (3, 3), expected shape (2, 2).\n"
        "That is 1 row too many and 1 column too many.\n"
        "Your extra value at row 2, column 0 needs a window that runs past the bottom edge: rows 4..5 and "
        "columns 0..1, but the input has rows 0..4 and columns 0..4. What is left of it, in [ ]:\n"
        "\n"
        "x\n"
        "  1.  2.  0.  0.  6.\n"
        "  3.  4.  0.  5.  6.\n"
        "  7.  0.  1.  1.  6.\n"
        "  0.  0.  2.  9.  6.\n"
        " [6.  6.] 6.  6.  6."
    )


def test_a_mistake_may_match_several_errors():
    def raises(kind):
        def answer_(x, size=2, stride=None):
            raise kind("index 5 is out of bounds" if kind is IndexError else "zero-size array to reduction")

        return answer_

    exercise = Exercise(
        "max_pool2d", "06_pooling", _pool, ("x", "size", "stride"), POOL.visible, _none,
        mistakes=(Mistake("past_edge", "a window ran past the edge.", error=(("IndexError", "out of bounds"), ("ValueError", "zero-size"))),),
    )  # fmt: skip
    for kind in (IndexError, ValueError):
        assert "Likely mistake: a window ran past the edge." in message(exercise, raises(kind))


@answer
def _gray(image):
    return image.mean(axis=-1)


def test_a_colour_input_of_a_gray_answer_is_shown_channel_by_channel():
    image = np.array([[[3.0, 0, 0], [0, 6, 0]]])
    exercise = Exercise(
        "gray", "02_colour", _gray, ("image",), (Case((image,)),), _none, answer=Answer(dtype=None)
    )
    assert message(exercise, lambda image: image.sum(axis=-1)) == (
        "gray(<array (1, 2, 3) float64>) is not right yet: 2 of 2 values differ.\n"
        "First wrong value at row 0, column 0: expected 1, yours 3.\n"
        "\n"
        "image, channel 0    image, channel 1    image, channel 2    expected    yours\n"
        "  3.  0.              0.  6.              0.  0.              1.  2.      3.  6."
    )


@answer
def _sign_word(x):
    return "positive" if x > 0 else "negative"


# Two mistakes that give the same wrong word for x = 2; x = -3 and x = 5 tell them apart.
SIGN = Exercise(
    "sign_word", "04_convolution", _sign_word, ("x",), (Case((2,)), Case((-3,)), Case((5,))), _none,
    answer=Answer(kind="choice", choices=("positive", "negative")),
    mistakes=(
        Mistake("always_negative", "it always says negative.", lambda x: "negative"),
        Mistake("swapped", "the words are swapped.", lambda x: "negative" if x > 0 else "positive"),
    ),
)  # fmt: skip


def test_the_mistake_named_is_the_one_every_case_agrees_with():
    from cnnlib.checks import runner

    def swapped(x):
        return "negative" if x > 0 else "positive"

    def always_negative(x):
        return "negative"

    def neither(x):  # wrong on 2 only: both fit that case; always_negative misses fewer others
        return "negative" if x == 2 else ("positive" if x > 0 else "negative")

    for function, key in [
        (swapped, "swapped"),
        (always_negative, "always_negative"),
        (neither, "always_negative"),
    ]:
        pairs = [(case, runner.call(SIGN, function, case)) for case in runner.make_cases(SIGN)]
        verdict = runner.judge_all(SIGN, pairs)
        assert verdict.mistake == key, (function.__name__, verdict.message)
        # judged on the first case alone, the first catalogued mistake is named
        alone = runner.judge(SIGN, *pairs[0])
        assert alone.mistake == "always_negative"
    with pytest.raises(runner.CheckFailure, match="the words are swapped"):
        runner.check(SIGN, swapped)


# ------------------------------------------------------------------ the one judge with any caller


def _scripted(*results):
    """A caller that gives ``results`` in turn and counts the cases it was asked about."""
    asked = []

    def caller(case):
        asked.append(case)
        return results[len(asked) - 1]

    return caller, asked


def test_run_check_judges_what_a_caller_gives_and_says_it_as_a_check_cell_does():
    caller, asked = _scripted(Outcome(1), Outcome(4))  # output_size(5, 3) is 3, (7, 3, 2, 1) is 4
    result = run_check(SIZE, caller)
    assert len(asked) == 2 and not result.passed and result.failure.mistake == "wrong_value"
    assert result.text == "CheckFailure: output_size(5, 3) returned 1, expected 3."
    passed = run_check(SIZE, _scripted(Outcome(3), Outcome(4))[0])
    assert passed.passed and passed.text == "output_size: all 2 checks passed."
    assert run_check(SIZE, lambda case: Outcome(0), seed=3).text == "output_size: all 0 hidden checks passed."


@pytest.mark.parametrize(
    ("not_called", "said", "calls"),
    [
        (NotCalled("not_callable", 5), "output_size should be a function, but it is 5 (an int).", 1),
        (NotCalled("not_defined"), "size_of is not defined: run the cell that defines it (and keep its name).", 1),
        (
            NotCalled("timeout", 3.0),
            "size_of ran for more than 3 s on one case and was stopped: an endless loop, or far more "
            "work than the exercise needs?",
            1,
        ),
        (NotCalled("process_died", "killed by signal 9"), "calling size_of stopped the notebook's process (killed by signal 9).", 1),
        (NotCalled("lost"), "size_of was not checked: the notebook's process was lost before this cell.", 1),
        (NotCalled("unreadable", "bad array"), "size_of returned something that could not be read: bad array", 2),
    ],
)
def test_a_case_without_an_outcome_is_worded_once_and_a_final_reason_ends_the_check(not_called, said, calls):
    caller, asked = _scripted(not_called, not_called)
    result = run_check(SIZE, caller, function="size_of")
    assert result.failure.message == said and result.failure.mistake == not_called.reason
    assert len(asked) == calls  # only an unreadable reply lets the other cases be called


def test_an_outcome_the_judge_cannot_compare_is_a_wrong_value_not_a_crash():
    weird = Outcome(float("nan"))  # int(nan) raises inside the judge's int comparison
    result = run_check(SIZE, _scripted(weird, Outcome(4))[0])
    assert result.failure.mistake == "wrong_type"
    assert result.failure.message == "output_size returned a value that could not be compared (ValueError)."


def test_a_shortcut_verdict_names_what_was_called_for_the_suspicion_report():
    refusal = Raised("ShortcutError", "scipy.signal.correlate2d computes this exercise's answer, so it is off")
    result = run_check(SIZE, _scripted(Outcome(error=refusal), Outcome(4))[0])
    assert result.failure.mistake == "shortcut"
    assert result.failure.shortcut == "scipy.signal.correlate2d computes this exercise's answer"


def test_the_notebook_check_is_run_check_in_process():
    caller = in_process(SIZE, lambda n, k, stride=1, padding=0: (n + 2 * padding - k) // stride)
    in_notebook = message(SIZE, lambda n, k, stride=1, padding=0: (n + 2 * padding - k) // stride)
    assert run_check(SIZE, caller).failure.message == in_notebook
    assert "Likely mistake: the + 1 is missing." in in_notebook


# ------------------------------------------------------------------ a wrong value from the learner's own numbers


def test_windows_that_move_by_one_instead_of_the_stride_are_found_from_the_learners_value():
    def by_one(x, size=2, stride=None):
        rows, cols = (x.shape[0] - size) // 2 + 1, (x.shape[1] - size) // 2 + 1
        return np.array([[x[r : r + size, c : c + size].max() for c in range(cols)] for r in range(rows)])

    text = message(POOL, by_one)
    assert "First wrong value at row 0, column 1: expected 5, yours 4." in text
    assert (
        "\nYour 4 is what the window at rows 0..1, columns 1..2 gives: max(2, 0, 4, 0) = 4; the same "
        "computation gives both of your wrong values.\n" in text
    )
    assert "That suggests your windows move by 1 cell, but they should move by the stride (2)" in text


def test_windows_taken_from_the_unpadded_input_are_named():
    def unpadded(image, kernel, stride=1, padding=0):
        kh, kw = kernel.shape
        out = np.zeros(((image.shape[0] + 2 * padding - kh) // stride + 1, (image.shape[1] + 2 * padding - kw) // stride + 1))
        for r in range(out.shape[0]):
            for c in range(out.shape[1]):
                window = image[r * stride : r * stride + kh, c * stride : c * stride + kw]
                out[r, c] = (window * kernel).sum() if window.shape == kernel.shape else 0
        return out

    text = message(CONV, unpadded)
    assert "First wrong value at row 0, column 0: expected 0, yours -2." in text
    assert (
        "Your -2 is what the window at rows 0..1, columns 0..1 of the input without its padding gives: "
        "0*1 + 0*2 + 0*3 + 2*(-1) = -2; the same computation gives 2 of your 6 wrong values (for 4 of them "
        "there is no such window)." in text
    )
    assert "That suggests the windows are taken from the input without its padding: pad the input first" in text


def test_a_value_nothing_nearby_gives_gets_no_guess():
    def off(image, kernel, stride=1, padding=0):
        out = ops.conv2d(image, kernel, stride=stride, padding=padding)
        out[0, 0] = 1234.5
        return out

    assert "Your 1234.5" not in message(CONV, off)


def test_an_error_in_a_comprehension_is_at_its_cell_line_in_the_function_around_it():
    source = "import numpy as np\n\ndef scale(x, factor=2.0):\n    rows = [\n        v * factor + nothing\n        for v in x\n    ]\n    return np.array(rows)\n"
    namespace = {}
    exec(compile(source, "<learner cell 2>", "exec"), namespace)
    import linecache

    linecache.cache["<learner cell 2>"] = (len(source), None, source.splitlines(True), "<learner cell 2>")
    text = message(SCALE, namespace["scale"])
    assert "\n  at line 5 of the cell, in scale (a list comprehension): v * factor + nothing" in text


def test_a_row_of_sums_gets_the_sum_hint_and_a_mask_does_not():
    # a 1-D array of numbers where one number is expected: Python's sum() over a 2-D array does that
    assert message(MEAN, lambda x: np.stack([x, x]).sum(axis=0) / 2).endswith(
        "np.sum(...) or .sum() adds up every cell."
    )
    # a mask returned instead of a number has nothing to do with sum()
    assert message(MEAN, lambda x: x > 0).endswith("; expected a number.")
