"""Lesson 02 (colour): swatches and the red, green and blue grids of a colour image."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..notebook import InputError
from .base import _MAX_LABELLED
from .grids import show_grid

__all__ = ["show_swatches", "show_rgb_grids"]


_CHANNEL_NAMES = ("red", "green", "blue")


def _channel_cmap(channel: int) -> Colormap:
    """Black (none of this light) to the pure colour of ``channel`` (all of it)."""
    pure = [0.0, 0.0, 0.0]
    pure[channel] = 1.0
    return LinearSegmentedColormap.from_list(_CHANNEL_NAMES[channel], [(0.0, 0.0, 0.0), tuple(pure)])


def _as_rgb8(image, what: str) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim < 1 or array.shape[-1] != 3:
        raise InputError(f"{what} must have 3 values (R, G, B) on its last axis, got shape {array.shape}")
    if array.dtype.kind not in "iu" or array.min() < 0 or array.max() > 255:
        raise InputError(f"{what} must hold whole numbers 0..255 (8-bit colour), got dtype {array.dtype}")
    return array.astype(np.uint8)


def show_swatches(
    colours, *, names: Sequence[str] | None = None, ax: Axes | None = None, title: str | None = None
) -> Axes:
    """Draw colours as a row of squares, each with its (R, G, B) numbers below it.

    Parameters
    ----------
    colours : array_like, shape (N, 3)
        Whole numbers 0..255, one (R, G, B) triple per swatch.
    names : list of str, optional
        A name above each swatch ("yellow").
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    array = _as_rgb8(colours, "colours")
    if array.ndim != 2:
        raise InputError(f"colours must be (N, 3), one (R, G, B) per swatch, got shape {array.shape}")
    count = array.shape[0]
    if names is not None and len(names) != count:
        raise InputError(f"got {len(names)} names for {count} colours")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 * count + 0.4, 2.3))
    step = 1.35  # a gap between swatches, wide enough for "(255, 255, 255)"
    for index, rgb in enumerate(array):
        left = index * step
        ax.add_patch(Rectangle((left, 0), 1, 1, facecolor=rgb / 255, edgecolor="0.6", linewidth=1))
        ax.text(left + 0.5, -0.12, "({}, {}, {})".format(*rgb.tolist()), ha="center", va="top", fontsize=8.5)
        if names is not None:
            ax.text(left + 0.5, 1.1, names[index], ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.2, (count - 1) * step + 1.2)
    ax.set_ylim(-0.45, 1.45)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def show_rgb_grids(image, *, title: str | None = None) -> Figure:
    """Show a small colour image next to its red, green and blue grids, numbers printed.

    Parameters
    ----------
    image : array_like, shape (H, W, 3)
        Whole numbers 0..255, channels R, G, B last; at most 24 rows and columns, so the
        numbers stay readable.
    title : str, optional
        Title of the colour panel.

    Returns
    -------
    fig : matplotlib Figure with four axes: the image, then R, G, B, each in its own colour.
    """
    array = _as_rgb8(image, "image")
    if array.ndim != 3:
        raise InputError(f"image must be (H, W, 3) with channels R, G, B last, got shape {array.shape}")
    rows, cols = array.shape[:2]
    if max(rows, cols) > _MAX_LABELLED:
        raise InputError(
            f"image is {rows} x {cols}; show_rgb_grids prints every number, so it takes at most "
            f"{_MAX_LABELLED} x {_MAX_LABELLED} (use show_channels for photos)"
        )
    cell = 0.5 if max(rows, cols) <= 8 else 0.3
    fig, axes = plt.subplots(1, 4, figsize=(4 * (cell * cols + 0.6), cell * rows + 1.2))
    ax = axes[0]
    ax.imshow(array, interpolation="nearest")
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(np.arange(cols), labels=[str(c) for c in range(cols)])
    ax.set_yticks(np.arange(rows), labels=[str(r) for r in range(rows)])
    ax.tick_params(which="major", length=0, labelsize=8)
    ax.xaxis.tick_top()
    ax.set_title(title or "colour image", pad=16)
    for channel, ax in enumerate(axes[1:]):
        show_grid(
            array[:, :, channel],
            ax=ax,
            cmap=_channel_cmap(channel),
            vmin=0,
            vmax=255,
            title=f"{_CHANNEL_NAMES[channel]}  [:, :, {channel}]",
        )
    fig.tight_layout()
    return fig
