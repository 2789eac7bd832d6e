"""Lesson 05 (nonlinearity): one feature map of any size, and an activation function's curve."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..notebook import InputError
from .base import DIVERGING, HIGHLIGHT, SEQUENTIAL, _as_2d

__all__ = ["show_map", "show_activation"]


def show_map(
    values,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    limit: float | None = None,
    colorbar: bool = True,
) -> Axes:
    """Show one feature map of any size: signed maps centred at zero, non-negative ones from 0.

    A map with negative values (a filter's output before ReLU) is drawn with the diverging map,
    white at zero, red positive, blue negative, on a scale symmetric about zero; a map without
    negative values (after ReLU) with ``viridis`` from 0 up.

    Parameters
    ----------
    values : array_like, shape (H, W)
        Real numbers.
    ax : matplotlib Axes, optional
    title : str, optional
    limit : float, optional
        The value drawn at full colour (values beyond it are clipped to it). By default the map's
        largest absolute value; a percentile such as ``np.percentile(np.abs(m), 99)`` keeps a
        few very strong edges from washing out everything else.
    colorbar : bool
        Add a colour bar beside the map.

    Returns
    -------
    ax : matplotlib Axes
    """
    array = _as_2d(values, "values").astype(np.float64)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5 * array.shape[0] / array.shape[1]))
    if limit is not None and not (np.isfinite(limit) and limit > 0):
        raise InputError(f"limit must be a positive number, got {limit!r}")
    top = float(limit) if limit is not None else float(np.abs(array).max()) or 1.0
    if array.min() < 0:
        image = ax.imshow(array, cmap=DIVERGING, vmin=-top, vmax=top, interpolation="nearest")
    else:
        image = ax.imshow(array, cmap=SEQUENTIAL, vmin=0.0, vmax=top, interpolation="nearest")
    ax.set_axis_off()
    if colorbar:
        ax.figure.colorbar(image, ax=ax, shrink=0.8)
    if title:
        ax.set_title(title)
    return ax


def show_activation(x, y, *, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw an activation function's curve y(x), with the axes through 0 and y = x dashed.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Inputs in increasing order and the function's values at them.
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    xs, ys = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if xs.ndim != 1 or xs.shape != ys.shape:
        raise InputError(f"x and y must be 1-D and of the same length, got shapes {xs.shape} and {ys.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.6, 3.2))
    ax.axhline(0, color="0.6", linewidth=0.8)
    ax.axvline(0, color="0.6", linewidth=0.8)
    ax.plot(xs, xs, linestyle="--", color="0.75", linewidth=1, label="y = x")
    ax.plot(xs, ys, color=HIGHLIGHT, linewidth=2.5, label=title or "f(x)")
    low, high = min(ys.min(), -1.0), max(ys.max(), 1.0)
    margin = 0.08 * (high - low)
    ax.set_ylim(low - margin, high + margin)
    ax.set_xlim(xs.min(), xs.max())
    ax.grid(alpha=0.3)
    ax.set_xlabel("x")
    if title:
        ax.set_title(title)
    return ax
