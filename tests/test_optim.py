"""Tests of cnnlib.optim: steps worked out by hand, and Adam against its formula one number at a time."""

import math

import numpy as np
import pytest

from cnnlib.layers import Dense, Sequential
from cnnlib.optim import SGD, Adam


def test_sgd_takes_a_step_against_the_gradient():
    w, g = np.array([1.0, -2.0, 0.5]), np.array([2.0, -1.0, 0.0])
    SGD(w, g, lr=0.1).step()
    np.testing.assert_allclose(w, [0.8, -1.9, 0.5])


def test_sgd_momentum_carries_the_previous_step_on():
    w, g = np.array([0.0]), np.array([1.0])
    opt = SGD(w, g, lr=0.1, momentum=0.9)
    opt.step()  # velocity 1
    np.testing.assert_allclose(w, [-0.1])
    opt.step()  # velocity 0.9 * 1 + 1 = 1.9
    np.testing.assert_allclose(w, [-0.29])
    g[0] = 0.0
    opt.step()  # velocity 0.9 * 1.9 = 1.71: it keeps rolling with no gradient
    np.testing.assert_allclose(w, [-0.461])


def adam_one_number_at_a_time(w, grads_per_step, lr, b1=0.9, b2=0.999, eps=1e-8):
    """Adam as written in the paper (with PyTorch's placement of eps), plain Python floats."""
    w = [float(v) for v in w]
    m, v = [0.0] * len(w), [0.0] * len(w)
    for t, grads in enumerate(grads_per_step, start=1):
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            m_hat = m[i] / (1 - b1**t)
            denominator = math.sqrt(v[i]) / math.sqrt(1 - b2**t) + eps
            w[i] -= lr * m_hat / denominator  # lr * m_hat / (sqrt(v_hat) + eps), v_hat = v / (1 - b2**t)
    return w


def test_adam_first_step_moves_each_parameter_by_about_lr_whatever_its_gradient_size():
    w, g = np.array([1.0, 1.0, 1.0]), np.array([1e-3, -5.0, 0.0])
    Adam(w, g, lr=0.01).step()
    np.testing.assert_allclose(w, [0.99, 1.01, 1.0], rtol=1e-6)


@pytest.mark.parametrize("seed", range(3))
def test_adam_matches_its_formula_over_several_steps(seed):
    rng = np.random.default_rng(seed)
    w0 = rng.standard_normal(5)
    steps = rng.standard_normal((7, 5))
    w, g = w0.copy(), np.zeros(5)
    opt = Adam(w, g, lr=0.05)
    for grads in steps:
        g[...] = grads
        opt.step()
    np.testing.assert_allclose(w, adam_one_number_at_a_time(w0, steps, lr=0.05), rtol=1e-12)


def test_optimizers_update_a_network_through_its_flat_buffers():
    net = Sequential([Dense(3, 2)], input_shape=(3,), seed=0)
    before = net.params["dense1.w"].copy()
    net.grads["dense1.w"][...] = 1.0
    net.grads["dense1.b"][...] = -1.0
    SGD(net, lr=0.5).step()
    np.testing.assert_allclose(net.params["dense1.w"], before - 0.5)
    np.testing.assert_allclose(net.params["dense1.b"], [0.5, 0.5])
    assert net.flat_params.dtype == np.float32
    Adam(net, lr=0.1).step()
    np.testing.assert_allclose(net.params["dense1.b"], [0.6, 0.6], rtol=1e-6)


def test_bad_settings_are_refused():
    w = np.zeros(2)
    with pytest.raises(ValueError, match="lr > 0"):
        SGD(w, np.zeros(2), lr=0)
    with pytest.raises(ValueError, match="same shape"):
        Adam(w, np.zeros(3))
    with pytest.raises(ValueError, match="0 <= betas < 1"):
        Adam(w, np.zeros(2), betas=(0.9, 1.0))
