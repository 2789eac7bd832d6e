"""Tests of cnnlib.gradcheck: numerical gradients of functions whose derivative is known, the
relative error on numbers a person can check, and that a wrong backward is caught."""

import numpy as np
import pytest

from cnnlib.gradcheck import layer_gradient_errors, numerical_gradient, rel_error
from cnnlib.layers import ReLU


def test_numerical_gradient_of_known_functions():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(numerical_gradient(lambda: float((x**2).sum()), x), 2 * x, rtol=1e-8)
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    # d/dx of sum(A @ x) is the column sums of A
    np.testing.assert_allclose(numerical_gradient(lambda: float((a @ x).sum()), x), [5, 7, 9], rtol=1e-8)
    m = np.array([[0.5, -1.0], [2.0, 0.0]])
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sin(m).sum()), m), np.cos(m), rtol=1e-8)


def test_numerical_gradient_leaves_x_as_it_found_it():
    x = np.random.default_rng(0).standard_normal((3, 4))
    kept = x.copy()
    numerical_gradient(lambda: float(np.exp(x).sum()), x)
    np.testing.assert_array_equal(x, kept)


def test_rel_error_by_hand():
    assert rel_error(np.array([1.0]), np.array([1.0])) == 0
    assert rel_error(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)  # |3-1| / (3+1)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0
    assert rel_error(np.array([1.0]), np.array([-1.0])) == pytest.approx(1.0)  # opposite signs: worst
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\)"):
        rel_error(np.zeros(2), np.zeros(3))


class ReLUWithTheSignFlipped(ReLU):
    """A classic mistake (lesson 09): the gradient pushed the wrong way."""

    def backward(self, dout, input_grad=True):
        return -super().backward(dout)


class ReLUThatForgetsTheMask(ReLU):
    def backward(self, dout, input_grad=True):
        return dout


@pytest.mark.parametrize("layer", [ReLUWithTheSignFlipped(), ReLUThatForgetsTheMask()])
def test_a_wrong_backward_is_caught(layer):
    x = np.random.default_rng(1).standard_normal((2, 3, 3, 2))
    assert layer_gradient_errors(layer, x)["x"] > 0.1
    assert layer_gradient_errors(ReLU(), x)["x"] < 1e-8
