"""Lesson 04 (convolution): the window sliding over an image, one step at a time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from ..notebook import InputError
from ..writing import weighted_sum
from .base import _MAX_LABELLED, DIVERGING, _as_2d, _format, _text_colour
from .grids import show_grid

__all__ = ["KERNEL_TEXT", "TIMES", "show_conv_steps"]


KERNEL_TEXT = "#1f4e9c"  # the kernel's numbers, written small in the window's cells
TIMES = "\u00d7"


def _conv_step_sum(window: np.ndarray, kernel: np.ndarray) -> tuple[str, float]:
    """``0·1 + 0·2 + 0·3 + 2·(-1)`` and its value, for a panel's label (``cnnlib.writing``'s sum,
    the one a check's message shows, with a middle dot)."""
    text, total = weighted_sum(window, kernel, times="·")
    terms = text.split(" + ")
    if len(terms) > 4:  # two lines keep a 3x3 sum readable under a small panel
        half = -(-len(terms) // 2)
        return " + ".join(terms[:half]) + " +\n" + " + ".join(terms[half:]), total
    return text, total


def show_conv_steps(
    image,
    kernel,
    positions: Sequence[tuple[int, int]],
    *,
    colors: Mapping[int, str] | None = None,
    axes=None,
) -> Figure:
    """Show a kernel sliding over an image: one column per step, the output filling in below.

    Top row: the image with the kernel-sized window at each position outlined, the kernel's
    numbers written small in the window's cells (a times sign and the number) and the sum
    written out underneath.
    Bottom row: the valid output, ``(H - kh + 1, W - kw + 1)``, with the cells computed so far
    (every cell up to this one in reading order) filled in and this step's cell outlined; cells
    still to come are gray. The output uses the diverging map centred at zero.

    Parameters
    ----------
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw), kh <= H and kw <= W
    positions : sequence of (row, column)
        The output cells to show, each the top-left cell of its window.
    colors : dict of int to colour, optional
        Colours for the image's values, as in ``show_grid`` (``SMILEY_COLORS`` for the smiley).
    axes : array of Axes, shape (2, len(positions)), optional
        Where to draw; a new figure is made when omitted.

    Returns
    -------
    fig : matplotlib Figure
    """
    array = _as_2d(image, "image")
    weights = _as_2d(kernel, "kernel")
    (h, w), (kh, kw) = array.shape, weights.shape
    if kh > h or kw > w:
        raise InputError(f"kernel {weights.shape} is larger than the image {array.shape}")
    out_h, out_w = h - kh + 1, w - kw + 1
    positions = [(int(r), int(c)) for r, c in positions]
    if not positions:
        raise InputError("positions is empty: give at least one (row, column)")
    for r, c in positions:
        if not (0 <= r < out_h and 0 <= c < out_w):
            raise InputError(
                f"position ({r}, {c}) is outside the output: a {kh}x{kw} window fits at rows 0..{out_h - 1} "
                f"and columns 0..{out_w - 1} of a {h}x{w} image"
            )
    count = len(positions)
    if axes is None:
        cell = 2.9 / max(w, out_w)  # inches per cell: panels about 3 inches wide
        fig, axes = plt.subplots(
            2,
            count,
            figsize=(3.3 * count, cell * (h + out_h) + 2.6),
            squeeze=False,
            height_ratios=[cell * h + 1.3, cell * out_h + 0.5],
            layout="constrained",  # laid out while drawing: no extra draw as tight_layout needs
        )
    else:
        axes = np.asarray(axes, dtype=object).reshape(2, -1)
        if axes.shape[1] != count:
            raise InputError(f"axes has {axes.shape[1]} columns for {count} positions")
        fig = axes[0, 0].figure

    full = np.array(
        [
            [float((array[r : r + kh, c : c + kw].astype(np.float64) * weights).sum()) for c in range(out_w)]
            for r in range(out_h)
        ]
    )
    limit = float(np.abs(full).max()) or 1.0
    diverging = plt.get_cmap(DIVERGING).with_extremes(bad="0.88")
    for step, (r, c) in enumerate(positions):
        ax_in, ax_out = axes[0, step], axes[1, step]
        show_grid(array, ax=ax_in, colors=colors, highlight=(r, c, kh, kw))
        for i in range(kh):
            for j in range(kw):
                ax_in.text(
                    c + j + 0.42,
                    r + i + 0.4,
                    TIMES + _format(weights[i, j], None),
                    ha="right",
                    va="bottom",
                    fontsize=7,
                    color=KERNEL_TEXT,
                    fontweight="bold",
                    bbox=dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.85),
                )
        story, total = _conv_step_sum(array[r : r + kh, c : c + kw], weights)
        ax_in.set_title(f"step {step + 1}: window at ({r}, {c})", pad=16 if max(h, w) <= _MAX_LABELLED else 6)
        ax_in.set_xlabel(f"{story} = {_format(total, None)}", fontsize=10)

        done = np.arange(out_h * out_w).reshape(out_h, out_w) <= r * out_w + c
        partial = np.where(done, full, np.nan)
        show_grid(
            partial, ax=ax_out, cmap=diverging, vmin=-limit, vmax=limit, numbers=False, highlight=(r, c, 1, 1)
        )
        size = 10 if max(out_h, out_w) <= 10 else 8
        for (rr, cc), value in np.ndenumerate(full):
            if done[rr, cc]:
                colour = _text_colour(diverging(Normalize(-limit, limit)(value)))
                ax_out.text(
                    cc, rr, _format(value, None), ha="center", va="center", color=colour, fontsize=size
                )
        ax_out.set_title(
            f"output so far: [{r}, {c}] = {_format(total, None)}",
            fontsize=10,
            pad=16 if max(out_h, out_w) <= _MAX_LABELLED else 6,
        )
    return fig
