"""Lesson 06 (pooling): pooling windows drawn on a grid."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from ..notebook import InputError
from .base import _as_2d
from .grids import show_grid

__all__ = ["WINDOW_COLOURS", "show_pool_windows"]


# Outline colours of successive pooling windows: Okabe-Ito's colour-blind-safe palette without its
# yellow (which vanishes on viridis' top end), then purple and gray, so that a 3x3 output has nine
# different colours. Each outline gets a thin white halo so that it shows on any cell colour.
WINDOW_COLOURS = (
    "#E69F00",
    "#0072B2",
    "#CC79A7",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#000000",
    "#7B3294",
    "#999999",
)


def show_pool_windows(
    grid,
    size: int = 2,
    stride: int = 2,
    *,
    ax: Axes | None = None,
    windows: Sequence[tuple[int, int]] | None = None,
    title: str | None = None,
    **grid_options,
) -> Axes:
    """Draw a grid (``show_grid``) with its pooling windows outlined, each in its own colour.

    Window (r, c), the one that gives output cell (r, c), covers rows ``r * stride`` to
    ``r * stride + size - 1`` and the same for columns. Windows are coloured in reading order
    with ``WINDOW_COLOURS``, so the pooled grid drawn with ``show_pool_windows(pooled, 1, 1)``
    outlines each output cell in the colour of the window it came from. Cells that no whole
    window covers (the leftover rows and columns pooling drops) are hatched in gray.

    Parameters
    ----------
    grid : array_like, shape (H, W)
    size, stride : int
        The pooling window's side and the step between windows (a window must fit: size <= H, W).
    ax : matplotlib Axes, optional
    windows : list of (r, c), optional
        Only these windows (output positions) are outlined, e.g. two neighbours when windows
        overlap; by default all of them. Their colours stay those of reading order.
    title : str, optional
    **grid_options
        Passed to ``show_grid`` (``colors``, ``cmap``, ``vmin``, ``vmax``, ``fmt``, ...).

    Returns
    -------
    ax : matplotlib Axes
    """
    array = _as_2d(grid)
    for name, value in (("size", size), ("stride", stride)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise InputError(f"{name} must be a whole number >= 1, got {value!r}")
    rows, cols = array.shape
    if size > rows or size > cols:
        raise InputError(f"a {size}x{size} window does not fit in a grid of shape {array.shape}")
    out_rows, out_cols = (rows - size) // stride + 1, (cols - size) // stride + 1
    chosen = [(r, c) for r in range(out_rows) for c in range(out_cols)] if windows is None else list(windows)
    for r, c in chosen:
        if not (0 <= r < out_rows and 0 <= c < out_cols):
            raise InputError(f"window {(r, c)} does not exist; the windows are {out_rows} x {out_cols}")
    ax = show_grid(array, ax=ax, title=title, **grid_options)
    halo = [patheffects.withStroke(linewidth=5, foreground="white")]
    for r, c in chosen:
        colour = WINDOW_COLOURS[(r * out_cols + c) % len(WINDOW_COLOURS)]
        # outlines sit inside their cells, so neighbours' edges never coincide; overlapping
        # windows alternate between two insets
        inset = 0.08 if stride >= size or (r + c) % 2 == 0 else 0.2
        outline = Rectangle(
            (c * stride - 0.5 + inset, r * stride - 0.5 + inset),
            size - 2 * inset,
            size - 2 * inset,
            fill=False,
            edgecolor=colour,
            linewidth=3,
        )
        outline.set_path_effects(halo)
        ax.add_patch(outline)
    covered = np.zeros(array.shape, dtype=bool)
    for r in range(out_rows):
        for c in range(out_cols):
            covered[r * stride : r * stride + size, c * stride : c * stride + size] = True
    for r, c in np.argwhere(~covered):
        ax.add_patch(
            Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.45", linewidth=0)
        )
    return ax
