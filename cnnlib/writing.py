"""How cnnlib writes numbers and arithmetic for people: ``0.25``, ``1*0 + 2*2 + 3*9 + (-1)*2``.

The written-out sum of a convolution step appears in a failed check's message
(``cnnlib.checks.explain``), in the stepper widget and in the lesson's step-by-step figure
(``cnnlib.plots``): written here once, so all three show the same arithmetic.

This module is at the bottom of cnnlib: it imports nothing of the package.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["number", "weighted_sum", "pooled", "MAX_TERMS"]

MAX_TERMS = 12  # a written-out sum longer than this is summarised per channel


def number(value: Any, digits: int = 4) -> str:
    """A number as a person writes it: ``3``, ``-1``, ``0.25``, ``1.333``; booleans as words."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    if np.isnan(value) or np.isinf(value):
        return str(value)
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{digits}g}"


def _factor(value: Any) -> str:
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def weighted_sum(
    window: np.ndarray, kernel: np.ndarray, bias: Any = None, times: str = "*"
) -> tuple[str, float]:
    """Write out a convolution step: ``1*0 + 2*2 + 3*9 + (-1)*2 = 29``.

    ``window`` and ``kernel`` have the same shape, (kh, kw) or (kh, kw, C). With more than
    ``MAX_TERMS`` products the sum is given per channel. ``times`` is the multiplication sign
    (figures use ``"·"``). Returns the text (without the result) and the exact total.

    Examples
    --------
    >>> weighted_sum(np.array([[1, 2], [3, -1]]), np.array([[0, 2], [9, 2]]))
    ('1*0 + 2*2 + 3*9 + (-1)*2', 29.0)
    """
    window, kernel = np.asarray(window), np.asarray(kernel)
    total = float((window.astype(np.float64) * kernel).sum()) + (0.0 if bias is None else float(bias))
    if window.ndim < 3:
        terms = [f"{_factor(x)}{times}{_factor(k)}" for x, k in zip(window.ravel(), kernel.ravel())]
        if len(terms) > MAX_TERMS * 3:
            terms = [*terms[:MAX_TERMS], f"... ({len(terms) - MAX_TERMS} more products)"]
    elif window.size <= MAX_TERMS:  # one bracket per channel
        terms = [
            "("
            + " + ".join(
                f"{_factor(x)}{times}{_factor(k)}"
                for x, k in zip(window[..., ch].ravel(), kernel[..., ch].ravel())
            )
            + ")"
            for ch in range(window.shape[-1])
        ]
    else:
        terms = [
            f"(channel {ch}: {number((window[..., ch].astype(np.float64) * kernel[..., ch]).sum())})"
            for ch in range(window.shape[-1])
        ]
    if bias is not None:
        terms.append(f"bias {_factor(bias)}")
    return " + ".join(terms), total


def pooled(window: np.ndarray, op: str) -> tuple[str, float]:
    """Write out a pooling step: ``max(0, 2, 9, 2)`` or ``mean(1, 2, 3, 4)``, and its value."""
    values = np.asarray(window, dtype=np.float64).ravel()
    value = float(values.max() if op == "max" else values.mean())
    return f"{op}({', '.join(number(v) for v in values)})", value
