"""Gradient checks: compare a backward pass with gradients measured by finite differences.

The numerical gradient nudges one number at a time by +h and -h and watches the
loss: ``(f(x + h) - f(x - h)) / (2h)``. It is slow (two evaluations per number)
but needs no calculus, so it is the oracle every layer's backward is tested
against. Use float64 and small inputs: in float32 the differences drown in
rounding. Taught in lesson 09.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .guard import answer

__all__ = ["numerical_gradient", "rel_error", "layer_gradient_errors"]


@answer  # lesson 09's numerical_gradient computes the same: switched off while it is checked
def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the number ``f()`` with respect to every entry of `x`.

    `f` takes no arguments: it reads `x`, which this function changes in place one entry at a
    time and restores afterwards.

    Parameters
    ----------
    f : callable () -> float
        The function, reading `x` (and whatever else it closes over).
    x : ndarray, float64 preferred
        The array to differentiate with respect to; left unchanged on return.
    h : float
        Step size.

    Returns
    -------
    grad : ndarray, same shape as x

    Examples
    --------
    >>> x = np.array([1.0, 2.0])
    >>> numerical_gradient(lambda: float((x ** 2).sum()), x).round(6)   # d/dx of x^2 is 2x
    array([2., 4.])
    """
    grad = np.zeros(x.shape, np.float64)
    flat = x.reshape(-1)  # a view: x is contiguous in every use here
    if not np.shares_memory(flat, x):
        raise ValueError("x must be a contiguous array (it is changed in place)")
    for index in range(flat.size):
        original = flat[index]
        flat[index] = original + h
        plus = f()
        flat[index] = original - h
        minus = f()
        flat[index] = original
        grad.reshape(-1)[index] = (plus - minus) / (2 * h)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """Largest relative difference ``|a - b| / max(1e-8, |a| + |b|)`` over all entries.

    Around 1e-7 or less in float64 means the gradients agree; 1e-2 or more means a bug.

    Examples
    --------
    >>> rel_error(np.array([1.0, 3.0]), np.array([1.0, 1.0]))   # |3 - 1| / (3 + 1)
    0.5
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)), initial=0.0))


def layer_gradient_errors(layer, x: np.ndarray, seed: int = 0, h: float = 1e-5) -> dict[str, float]:
    """Check a layer's backward: relative error of dx and of each parameter's gradient.

    Uses the loss ``sum(forward(x) * dout)`` for a random `dout`, whose gradient with respect
    to the output is exactly `dout`: so ``backward(dout)`` must return its gradient with respect to
    x and fill ``layer.grads``.

    Parameters
    ----------
    layer : cnnlib.layers.Layer
        Built with dtype float64.
    x : ndarray, float64
        A small input batch.

    Returns
    -------
    dict of name -> float
        ``"x"`` and every parameter name (``"w"``, ``"b"``), each `rel_error` of analytic vs numerical.
    """
    x = np.array(x, np.float64)
    dout = np.random.default_rng(seed).standard_normal(layer.forward(x).shape)
    layer.forward(x, training=True)
    errors = {"x": layer.backward(dout.copy())}
    analytic = {name: grad.copy() for name, grad in layer.grads.items()}

    def loss() -> float:
        return float((layer.forward(x) * dout).sum())

    errors["x"] = rel_error(errors["x"], numerical_gradient(loss, x, h))
    for name, value in layer.params.items():
        errors[name] = rel_error(analytic[name], numerical_gradient(loss, value, h))
    return errors
