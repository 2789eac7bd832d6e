"""Lesson 03 (outputs): one bar per class, for scores, probabilities and label vectors."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..notebook import InputError
from .base import DIVERGING, HIGHLIGHT, SEQUENTIAL, _format

__all__ = ["POSITIVE", "NEGATIVE", "UNSIGNED", "show_bars"]


POSITIVE = plt.get_cmap(DIVERGING)(0.85)  # the diverging map's red and blue, as in signed grids
NEGATIVE = plt.get_cmap(DIVERGING)(0.15)
UNSIGNED = plt.get_cmap(SEQUENTIAL)(0.35)


def show_bars(
    values,
    labels: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: str | None = None,
    ylim: tuple[float, float] | None = None,
    highlight: Sequence[int] = (),
) -> Axes:
    """Draw one bar per class with its value printed on the bar: scores, probabilities, labels.

    Values that are all >= 0 (probabilities, a one-hot row) share one colour; signed values
    (scores) are red above zero and blue below, as on the course's diverging colour maps.

    Parameters
    ----------
    values : array_like, shape (K,)
        One number per class.
    labels : sequence of str, length K, optional
        The class names under the bars; their indices 0..K-1 when omitted.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
    fmt : str, optional
        Format of the printed values, e.g. ``".3f"``; whole numbers print without decimals and
        others with two decimals by default.
    ylim : (low, high), optional
        The value axis, e.g. ``(0, 1)`` for probabilities so that two charts compare by eye.
    highlight : sequence of int
        Indices of bars to outline (e.g. the top-k classes).

    Returns
    -------
    ax : matplotlib Axes
    """
    array = np.asarray(values)
    if array.ndim != 1 or array.size == 0:
        raise InputError(f"values must be one number per class, shape (K,), got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise InputError(f"values must be numbers, got dtype {array.dtype}")
    array = array.astype(np.float64)
    names = [str(i) for i in range(array.size)] if labels is None else [str(name) for name in labels]
    if len(names) != array.size:
        raise InputError(f"got {len(names)} labels for {array.size} values: give one label per value")
    bad = [i for i in highlight if not 0 <= int(i) < array.size]
    if bad:
        raise InputError(f"highlight indices {bad} are outside 0..{array.size - 1}")
    if ax is None:
        _, ax = plt.subplots(figsize=(min(0.8 * array.size + 1.5, 12), 3.2))
    signed = bool((array < 0).any())
    colours = [(POSITIVE if v >= 0 else NEGATIVE) if signed else UNSIGNED for v in array]
    positions = np.arange(array.size)
    bars = ax.bar(positions, array, color=colours, width=0.7)
    for index in highlight:
        bars[int(index)].set_edgecolor(HIGHLIGHT)
        bars[int(index)].set_linewidth(3)
    ax.axhline(0, color="0.3", linewidth=0.8)
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:
        low, high = min(array.min(), 0.0), max(array.max(), 0.0)
        room = 0.15 * ((high - low) or 1.0)
        ax.set_ylim(low - (room if signed else 0), high + room)
    for x, value in zip(positions, array):
        text = _format(value, fmt)
        ax.annotate(
            text,
            (x, value),
            xytext=(0, 3 if value >= 0 else -3),
            textcoords="offset points",
            ha="center",
            va="bottom" if value >= 0 else "top",
            fontsize=9,
        )
    rotate = max(len(n) for n in names) * array.size > 60
    ax.set_xticks(positions, labels=names, rotation=30 if rotate else 0, ha="right" if rotate else "center")
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax
