"""Tests of cnnlib.guard: lesson answers switched off while a learner's version is checked."""

import inspect

import numpy as np
import pytest

from cnnlib import ops, pixels
from cnnlib.guard import ShortcutError, answer, blocked


def test_a_marked_function_works_as_before_outside_a_block():
    assert pixels.invert(np.array([[0, 100]], dtype=np.uint8)).tolist() == [[255, 155]]
    assert ops.output_size(28, 3) == 26


def test_inside_a_block_it_refuses_through_any_alias_with_a_friendly_message():
    alias = pixels.invert
    wrapper = lambda image: alias(image)  # noqa: E731
    with blocked({pixels.invert: None}, "invert", "lesson 02"):
        with pytest.raises(ShortcutError) as info:
            wrapper(np.zeros((1, 1), dtype=np.uint8))
        assert pixels.crop(np.eye(3), 0, 0, 1, 1).tolist() == [[1.0]]  # other answers still work
    assert str(info.value) == (
        "cnnlib.pixels.invert is cnnlib's own answer to this exercise, so it is switched off while your "
        "invert is checked: this one is yours to write. Outside this check (in the exercises after it, and "
        "from lesson 02 on), cnnlib's version is yours to use."
    )
    assert pixels.invert(np.zeros((1, 1), dtype=np.uint8)).tolist() == [[255]]  # on again after the block


def test_a_condition_blocks_only_the_calls_that_answer_the_exercise():
    bank = np.ones((2, 2, 2, 1))
    with blocked({ops.conv2d: lambda x, w, *args, **kwargs: np.ndim(w) == 4}, "conv_layer", "lesson 08"):
        assert ops.conv2d(np.eye(3), np.ones((2, 2))).tolist() == [[2.0, 1.0], [1.0, 2.0]]
        with pytest.raises(ShortcutError):
            ops.conv2d(np.eye(3), bank)


def test_blocks_nest_and_unwind_even_after_an_error():
    with pytest.raises(KeyError):
        with blocked({pixels.invert: None}, "invert", "lesson 02"):
            with blocked({pixels.crop: None}, "crop", "lesson 02"):
                raise KeyError("learner bug")
    assert pixels.crop(np.eye(2), 0, 0, 1, 1).tolist() == [[1.0]]
    assert pixels.invert(np.zeros((1, 1), dtype=np.uint8)).tolist() == [[255]]


def test_the_guard_keeps_the_signature_and_hides_the_unguarded_original():
    assert str(inspect.signature(pixels.crop)) == str(inspect.signature(pixels.crop)).replace("\n", "")
    assert list(inspect.signature(pixels.crop).parameters) == ["image", "top", "left", "height", "width"]
    assert not hasattr(pixels.crop, "__wrapped__")
    assert "Cut out the rectangle" in pixels.crop.__doc__


def test_only_marked_functions_can_be_blocked():
    def plain(x):
        return x

    with pytest.raises(TypeError, match=r"is not marked with @answer"):
        with blocked({plain: None}, "plain", "lesson 02"):
            pass
    assert answer(plain)(3) == 3


def test_another_librarys_function_is_switched_off_by_its_dotted_path_whatever_its_alias():
    import scipy.signal
    from scipy.signal import correlate2d as early_alias

    image, kernel = np.eye(3), np.ones((2, 2))
    with blocked({"scipy.signal.correlate2d": None, "no.such.module.f": None}, "conv2d", "lesson 05"):
        for call in (lambda: scipy.signal.correlate2d(image, kernel), lambda: early_alias(image, kernel, "valid")):
            with pytest.raises(ShortcutError) as info:
                call()
        assert scipy.signal.convolve2d(image, kernel).shape == (4, 4)  # not listed: still works
    assert str(info.value) == (
        "scipy.signal.correlate2d computes this exercise's answer, so it is switched off while your conv2d "
        "is checked: this one is yours to write."
    )
    np.testing.assert_array_equal(early_alias(image, kernel, "valid"), [[2.0, 1.0], [1.0, 2.0]])  # back on


def test_a_classs_method_is_switched_off_by_its_dotted_path_on_every_instance():
    from cnnlib.layers import Dense, Sequential

    net = Sequential([Dense(2, 3, seed=0)], input_shape=(2,))
    x = np.ones((1, 2), dtype=np.float32)
    expected = net.forward(x)
    with blocked({"cnnlib.layers.Sequential.forward": None}, "forward", "lesson 09"):
        with pytest.raises(ShortcutError, match=r"^cnnlib.layers.Sequential.forward computes this exercise's"):
            net.forward(x)
    np.testing.assert_array_equal(net.forward(x), expected)  # back on after the check
