"""Tests of cnnlib.checks.pooling: messages of lesson 06's checks, as a learner reads them.

(What every lesson's checks must do, wrong and right answers included, is tested for all lessons in
``tests/checks/test_lessons.py``.)
"""

import numpy as np
import pytest

from cnnlib import ops
from cnnlib.checks import pooling
from cnnlib.checks.runner import CheckFailure


def _message(check, function, seed=None) -> str:
    with pytest.raises(CheckFailure) as failure:
        check(function, seed)
    return str(failure.value)


def _pool(feature_map, size, stride, keep):
    rows = (feature_map.shape[0] - size) // stride + 1
    cols = (feature_map.shape[1] - size) // stride + 1
    out = np.zeros((rows, cols, *feature_map.shape[2:]))
    for r in range(rows):
        for c in range(cols):
            out[r, c] = keep(feature_map[r * stride : r * stride + size, c * stride : c * stride + size])
    return out


def _mean_pool(feature_map, size=2, stride=2):
    return _pool(feature_map, size, stride, lambda window: window.mean(axis=(0, 1)))


def _max_pool(feature_map, size=2, stride=2):
    return _pool(feature_map, size, stride, lambda window: window.max(axis=(0, 1)))


def test_a_named_mistake_also_shows_the_window_of_the_first_wrong_value():
    message = _message(pooling.check_max_pool2d, _mean_pool)
    assert "Likely mistake: this is average pooling" in message
    assert "First wrong value at row 0, column 0: expected 5, yours 3.25." in message
    assert "max(1, 3, 5, 4) = 5, yours: 3.25" in message
    assert " [1  3] 2  0\n [5  4] 1  1" in message  # the window marked in the printed map


def test_overlapping_windows_show_the_window_the_first_differing_shared_cell_should_come_from():
    def overlapping(feature_map, size=2, stride=2):
        return _max_pool(feature_map, size, 1)

    message = _message(pooling.check_max_pool2d, overlapping)
    assert "Likely mistake: the windows overlap" in message
    assert "at rows 0..1, columns 2..3:\n  max(2, 0, 1, 1) = 2, yours: 4" in message


def test_the_window_is_shown_once_and_only_where_there_is_one():
    def off_by_one_in_one_cell(feature_map, size=2, stride=2):
        out = _max_pool(feature_map, size, stride)
        out[0, 0] += 1
        return out

    message = _message(pooling.check_max_pool2d, off_by_one_in_one_cell)
    assert "Likely mistake" not in message and message.count("It comes from the window") == 1

    def no_relu(image, kernel):
        return ops.max_pool2d(ops.conv2d(image, kernel), 2, 2)

    message = _message(pooling.check_conv_relu_pool, no_relu)
    assert "Likely mistake: ReLU is missing" in message and "It comes from the window" not in message


def test_a_right_answer_passes_and_says_how_many_checks_ran(capsys):
    pooling.check_avg_pool2d(_mean_pool)
    pooling.check_avg_pool2d(_mean_pool, seed=3)
    assert (
        capsys.readouterr().out
        == "avg_pool2d: all 8 checks passed.\navg_pool2d: all 11 hidden checks passed.\n"
    )


def test_something_that_is_not_a_function_is_told_so():
    assert "max_pool2d should be a function, but it is" in _message(pooling.check_max_pool2d, 42)


def test_an_extra_row_from_partial_windows_shows_what_is_left_of_its_window():
    def every_start(feature_map, size=2, stride=2):
        rows, cols = range(0, feature_map.shape[0], stride), range(0, feature_map.shape[1], stride)
        out = np.zeros((len(rows), len(cols), *feature_map.shape[2:]))
        for i, r in enumerate(rows):
            for j, c in enumerate(cols):
                out[i, j] = feature_map[r : r + size, c : c + size].max(axis=(0, 1))
        return out

    message = _message(pooling.check_max_pool2d, every_start)
    assert "Likely mistake: windows that stick out past the bottom or the right edge were kept" in message
    assert (
        "Your extra value at row 2, column 0 needs a window that runs past the bottom edge: rows 4..5 "
        "and columns 0..1, but the input has rows 0..4 and columns 0..4." in message
    )
    assert message.endswith("  1  2  3  4  5\n [6  0] 1  2  3")


def test_an_integer_output_array_is_named_on_the_visible_decimal_map():
    def integer_output(feature_map, size=2, stride=2):
        return _max_pool(feature_map, size, stride).astype(int)

    message = _message(pooling.check_max_pool2d, integer_output)
    assert "(This case: decimal values" in message
    assert "Likely mistake: the maxima lost their decimals" in message
    assert "expected 0.9, yours 0" in message


def test_hidden_random_cases_say_what_they_try():
    def transposed(image, kernel):
        return ops.max_pool2d(ops.relu(ops.conv2d(image, kernel))).T

    def off_by_one(feature_map, size=2, stride=2):
        out = _max_pool(feature_map, size, stride)
        return out + (out.size > 9)

    assert "(This case: a random" in _message(pooling.check_max_pool2d, off_by_one, seed=606)
    message = _message(pooling.check_conv_relu_pool, transposed, seed=660)
    assert "Likely mistake: rows and columns are swapped" in message


def test_a_wrong_max_pool2d_called_by_conv_relu_pool_is_named_as_the_cause():
    namespace = {"np": np, "ops": ops}
    exec(
        "def max_pool2d(feature_map, size=2, stride=2):\n"
        "    rows, cols = (feature_map.shape[0] - size) // stride + 1, (feature_map.shape[1] - size) // stride + 1\n"
        "    return np.array([[feature_map[r:r + size, c:c + size].max() for c in range(cols)] for r in range(rows)])\n"
        "\n"
        "def conv_relu_pool(image, kernel):\n"
        "    return max_pool2d(ops.relu(ops.conv2d(image, kernel)), 2, 2)\n",
        namespace,
    )
    text = _message(pooling.check_conv_relu_pool, namespace["conv_relu_pool"])
    assert text.endswith(
        "Your max_pool2d, which your conv_relu_pool calls, does not pass its own checks yet: fix max_pool2d "
        "first, as it may be the cause, then check conv_relu_pool again."
    )
    # a right max_pool2d beside it, or one it does not call, says nothing of the kind
    exec("def conv_relu_pool(image, kernel):\n    return ops.max_pool2d(ops.conv2d(image, kernel), 2, 2)\n", namespace)
    assert "does not pass its own checks" not in _message(pooling.check_conv_relu_pool, namespace["conv_relu_pool"])


def test_an_error_from_a_wrong_earlier_function_still_names_it():
    from cnnlib.checks import filterbanks

    namespace = {"np": np, "ops": ops}
    exec(
        "def conv_layer(image, filters, biases):\n"
        "    return np.moveaxis(ops.conv2d(image, filters, biases), -1, 0)  # maps first: (F, H', W')\n"
        "\n"
        "def which_filter(image, filters, feature_map):\n"
        "    maps = conv_layer(image, filters, np.zeros(len(filters)))\n"
        "    return int(np.argmin([((maps[:, :, f] - feature_map) ** 2).sum() for f in range(len(filters))]))\n",
        namespace,
    )
    text = _message(filterbanks.check_which_filter, namespace["which_filter"])
    assert "Your conv_layer, which your which_filter calls, does not pass its own checks yet" in text
