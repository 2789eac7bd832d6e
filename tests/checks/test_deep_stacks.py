"""Lesson 08's exercises beyond the catalogue tests: every mistake shows on the visible cases, the
learner's wrong tuple is shown, and a wrong dense is named as the cause of a wrong forward."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlib import ops
from cnnlib.checks import CheckFailure, deep_stacks, exercises
from cnnlib.checks.runner import _equal, make_cases
from tests.checks.test_lessons import define

EXERCISES = exercises("08_deep_stacks")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_mistake_differs_from_the_answer_on_a_visible_case_and_on_the_notebooks_hidden_ones(name):
    exercise = EXERCISES[name]
    seeds = {"has_corner": 8, "shape_after": 808, "receptive_field": 88, "dense": 8080, "forward": 8008}
    for mistake in exercise.mistakes:
        for cases in (exercise.visible, make_cases(exercise, seeds[name])):
            differs = []
            for case in cases:
                wrong = mistake.answer(*case.args)
                differs.append(
                    wrong is not None and not _equal(wrong, exercise.reference(*case.args), exercise.answer)
                )
            assert any(differs), f"{name}: {mistake.key} gives the right answer on every case"


def test_a_wrong_shape_is_shown_next_to_the_expected_one():
    def shape_after(shape, layer):
        return _shape_after(shape, layer, pad=4)

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_shape_after(shape_after)
    message = str(failed.value)
    assert message.startswith("shape_after((8, 8, 1), ('conv', 16, 3, 1, 1)) is not right yet.")
    assert "Likely mistake: the padding is counted twice" in message
    assert "It returned (10, 10, 16), expected (8, 8, 16)." in message


def test_a_forward_that_calls_a_wrong_dense_is_told_to_fix_dense_first():
    source = """
def dense(x, weights, biases):
    return x @ weights

def forward(images, conv1_w, conv1_b, conv2_w, conv2_b, dense_w, dense_b):
    from cnnlib.ops import conv2d, max_pool2d, relu
    x = max_pool2d(relu(conv2d(images, conv1_w, conv1_b, padding=1)), 2)
    x = max_pool2d(relu(conv2d(x, conv2_w, conv2_b, padding=1)), 2)
    return dense(x.reshape(len(x), -1), dense_w, dense_b)
"""
    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_forward(define(source, "forward"))
    assert "Your dense, which your forward calls, does not pass its own checks yet" in str(failed.value)


def test_the_receptive_field_cases_say_how_the_jumps_multiply():
    (digit_net,) = EXERCISES["receptive_field"].visible[2].args
    assert EXERCISES["receptive_field"].reference(digit_net) == 10
    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_receptive_field(
            lambda layers: 1 + sum(d[2] - 1 if d[0] == "conv" else d[1] - 1 for d in layers)
        )
    assert "Likely mistake: the strides are not counted" in str(failed.value)
    assert "It returned 7, expected 10." in str(failed.value)


def test_the_dense_cases_catch_transposed_weights_before_any_shape_error():
    x, weights, _ = EXERCISES["dense"].visible[0].args
    assert x.shape == weights.shape == (3, 3)  # square: x @ weights.T runs, and gives other numbers
    assert not np.array_equal(x @ weights.T, x @ weights)


def _shape_after(shape, layer, pad=2):
    """A learner's shape_after whose conv counts ``pad`` times the padding (2 is right)."""
    if layer[0] == "flatten":
        return (int(np.prod(shape)),)
    if layer[0] == "dense":
        return (layer[1],)
    _, filters, size, stride, padding = layer if layer[0] == "conv" else (None, shape[2], *layer[1:], 0)
    return (*((n + pad * padding - size) // stride + 1 for n in shape[:2]), filters)


def test_a_shape_of_floats_is_told_to_be_whole_numbers():
    def shape_after(shape, layer):
        return tuple(float(n) for n in _shape_after(shape, layer))

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_shape_after(shape_after)
    assert "in the returned tuple, item 0 is 8.0, a float; item 0 should be a whole number (an int)" in str(
        failed.value
    )


# what each picture of has_corner's cases holds, by its note: is there a top-left corner of a bright shape?
_CORNER_TRUTH = {
    "a rectangle": True,
    "bright to the bottom right": True,
    "a bar, top to bottom": False,
    "a band, left to right": False,
    "bright to the top left": False,
    "bright to the top right": False,
    "bright to the bottom left": False,
    "an empty picture": False,
    "two bars": False,
    "a square in the top-left corner above a band": False,
    "a narrow block, bottom right": True,
    "a flat block": True,
}


@pytest.mark.parametrize("seed", range(40))
def test_the_lessons_corner_network_finds_exactly_the_top_left_corners_of_the_hidden_pictures(seed):
    exercise = EXERCISES["has_corner"]
    for case in make_cases(exercise, seed):
        assert exercise.reference(*case.args) is _CORNER_TRUTH[case.note], (seed, case.note)
    truths = [exercise.reference(*case.args) for case in exercise.visible]
    assert truths == [True, False, False, False, True, False, False, False, True, True, False]


@pytest.mark.parametrize("seed", [None, *range(30)])
def test_each_corner_mistake_answers_the_cases_in_its_own_way(seed):
    # a bool tells two mistakes apart only across cases: the runner names the mistake that fits the
    # learner's answers on all of them, so no two may give the same answers (nor one the reference's)
    exercise = EXERCISES["has_corner"]
    cases = exercise.visible if seed is None else make_cases(exercise, seed)
    answers = {"the reference": tuple(exercise.reference(*case.args) for case in cases)}
    for mistake in exercise.mistakes:
        answers[mistake.key] = tuple(mistake.answer(*case.args) for case in cases)
    for name, found in answers.items():
        same = [other for other, theirs in answers.items() if other != name and theirs == found]
        assert not same, (seed, name, same)


def test_a_corner_filter_with_its_top_arm_down_a_column_is_not_told_about_the_bias():
    # the learner's trial: bias -1, the top-edges arm written as a column of slice 2
    def has_corner(image, edges):
        weights = np.zeros((3, 3, 4))
        weights[1:, 1, 0], weights[0, 1, 0] = 1, -1
        weights[1:, 1, 2], weights[0, 1, 2] = 1, -1
        edge_maps = ops.relu(ops.conv2d(image[:, :, None], edges))
        return bool((ops.relu(ops.conv2d(edge_maps, weights[None], np.array([-1.0]))) > 0).any())

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_has_corner(has_corner)
    message = str(failed.value)
    assert "Likely mistake: the top-edges arm (slice 2) runs down a column" in message
    assert "bias" not in message


def test_shape_after_has_visible_cases_that_are_not_square_for_conv_and_pool():
    # a width worked out from the height passes every square case
    kinds = {
        case.args[1][0]
        for case in EXERCISES["shape_after"].visible
        if case.args[1][0] in ("conv", "pool") and case.args[0][0] != case.args[0][1]
    }
    assert kinds == {"conv", "pool"}


def test_a_pool_with_size_and_stride_swapped_is_named_on_the_visible_cases():
    def receptive_field(layers):
        field, jump = 1, 1
        for layer in layers:
            size, stride = (layer[2], layer[3]) if layer[0] == "conv" else (layer[2], layer[1])
            field += (size - 1) * jump
            jump *= stride
        return field

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_receptive_field(receptive_field)
    assert "Likely mistake: a pooling layer's size and stride were read the wrong way round" in str(
        failed.value
    )
    assert "It returned 10, expected 9." in str(failed.value)


def test_the_layers_answers_are_switched_off_while_shape_after_and_forward_are_checked():
    from cnnlib import layers

    def shape_after(shape, layer):
        return layers.Conv2D(shape[2], layer[1], layer[2], layer[3], layer[4]).output_shape(shape)

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_shape_after(shape_after)
    assert "used a shortcut" in str(failed.value) and "cnnlib.layers.Conv2D.output_shape" in str(failed.value)
    # outside the check, cnnlib.layers works as before
    assert layers.Conv2D(1, 16, 3, padding=1).output_shape((8, 8, 1)) == (8, 8, 16)
    net = layers.digits_cnn(seed=0, dtype=np.float64)

    def forward(images, *arrays):
        return net.forward(images)

    with pytest.raises(CheckFailure) as failed:
        deep_stacks.check_forward(forward)
    assert "cnnlib.layers.Sequential.forward" in str(failed.value)
    assert net.forward(np.zeros((1, 8, 8, 1))).shape == (1, 10)
