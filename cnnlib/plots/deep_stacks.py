"""Lesson 08 (deep stacks): a stack of maps at every step, receptive fields, and flatten's order."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..notebook import InputError
from .base import DIVERGING, HIGHLIGHT, SEQUENTIAL, _text_colour, colour_scale
from .grids import show_grid

__all__ = ["show_stack", "show_fields", "show_flatten_order"]

_BY = "\u00d7"


def _shape_text(shape: Sequence[int]) -> str:
    return f" {_BY} ".join(str(n) for n in shape)


def show_stack(stages: Sequence[tuple[str, np.ndarray]], *, deck: int = 4, height: float = 3.2) -> Figure:
    """Each step of a network as a deck of its maps, front map first, titled with its shape.

    Parameters
    ----------
    stages : list of (name, array)
        ``array`` is one sample's output: ``(H, W)``, ``(H, W, C)`` (drawn as a deck of up to
        ``deck`` maps, the others hinted at by the count in the title) or ``(D,)`` (a column of
        numbers, as after flatten or a dense layer).
    deck : int
        How many maps of each stack to draw, one behind the other.
    height : float
        Figure height in inches.

    Returns
    -------
    fig : matplotlib Figure, one axes per stage.
    """
    if not stages:
        raise InputError("show_stack needs at least one (name, array) stage")
    fig, axes = plt.subplots(1, len(stages), figsize=(2.6 * len(stages), height))
    for ax, (name, array) in zip(np.atleast_1d(axes), stages):
        array = np.asarray(array, dtype=np.float64)
        if array.ndim == 2:
            array = array[:, :, None]
        if array.ndim == 1:
            _draw_vector(ax, array)
        elif array.ndim == 3:
            _draw_deck(ax, array, deck)
        else:
            raise InputError(f"stage {name!r}: expected (H, W), (H, W, C) or (D,), got shape {array.shape}")
        ax.set_title(f"{name}\n{_shape_text(array.shape)}", fontsize=10)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.tight_layout()
    return fig


def _draw_deck(ax: Axes, stack: np.ndarray, deck: int) -> None:
    """Up to ``deck`` maps of an (H, W, C) stack, each in its own square, back ones up and right."""
    height, width, count = stack.shape
    cmap, norm = colour_scale(stack)
    shown = min(count, deck)
    step = 0.18  # offset between cards, as a fraction of the card
    for index in reversed(range(shown)):
        x0, y0 = index * step, index * step
        ax.imshow(
            stack[:, :, index],
            cmap=cmap,
            norm=norm,
            extent=(x0, x0 + 1, y0, y0 + height / width),
            interpolation="nearest",
            zorder=shown - index,
        )
        ax.add_patch(
            Rectangle((x0, y0), 1, height / width, fill=False, edgecolor="0.3", lw=0.8, zorder=shown - index)
        )
    if count > shown:
        ax.text(1 + shown * step, 0, f"+{count - shown} more", fontsize=8, va="bottom", color="0.35")
    ax.set_xlim(-0.05, 1.05 + shown * step + (0.5 if count > shown else 0))
    ax.set_ylim(-0.05, height / width + shown * step + 0.05)


def _draw_vector(ax: Axes, vector: np.ndarray) -> None:
    """A vector as a thin column of coloured cells (the first 24 at most)."""
    shown = vector[:24]
    cmap, norm = colour_scale(shown)
    ax.imshow(shown[:, None], cmap=cmap, norm=norm, extent=(0.4, 0.6, 0, 1), interpolation="nearest")
    if len(vector) > len(shown):
        ax.text(0.5, -0.06, f"... {len(vector)} numbers", ha="center", va="top", fontsize=8, color="0.35")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.15, 1.05)


def show_fields(
    panels: Sequence[tuple[str, np.ndarray, tuple[int, int, int, int] | None]],
    *,
    title: str | None = None,
    size: float = 3.0,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Maps side by side, each with a box outlined: where one deep unit looks, layer by layer.

    Parameters
    ----------
    panels : list of (name, map, box)
        ``map`` is ``(H, W)`` (a photo, or one map of a layer); ``box`` is ``(top, left, bottom,
        right)`` in that map's cells, bottom and right excluded, and may reach past the edges (into
        padding): it is drawn dashed where it does. ``None`` draws no box. A panel named "input"
        is drawn in gray.
    title : str, optional
        Above the panels.
    size : float
        Width of each panel in inches.
    axes : list of Axes, optional
        Where to draw, one per panel; a new figure is made when omitted. Axes of a subfigure (one
        row of a larger figure, ``fig.subfigures``) get the title above their row.

    Returns
    -------
    fig : matplotlib Figure
    """
    if not panels:
        raise InputError("show_fields needs at least one (name, map, box) panel")
    if axes is None:
        _, made = plt.subplots(
            1, len(panels), figsize=(size * len(panels), size + 0.8), layout="constrained", squeeze=False
        )
        axes = list(made[0])
    if len(axes) != len(panels):
        raise InputError(f"got {len(axes)} axes for {len(panels)} panels")
    for ax, (name, grid, box) in zip(axes, panels):
        _draw_field(ax, name, np.asarray(grid, dtype=np.float64), box)
    if title:
        axes[0].figure.suptitle(title)  # the axes' own (sub)figure: a row of a larger figure keeps its title
    return axes[0].get_figure(root=True)


def _draw_field(ax: Axes, name: str, grid: np.ndarray, box) -> None:
    if grid.ndim != 2:
        raise InputError(f"panel {name!r}: each map must be (H, W), got shape {grid.shape}")
    low, high = float(grid.min()), float(grid.max())
    if name == "input":
        cmap, lo, hi = "gray", low, high if high > low else low + 1
    elif low < 0:
        limit = max(-low, high)
        cmap, lo, hi = DIVERGING, -limit, limit
    else:
        cmap, lo, hi = SEQUENTIAL, 0.0, high or 1.0
    ax.imshow(grid, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
    heading = f"{name}, {grid.shape[0]} {_BY} {grid.shape[1]}"
    extra = (0, 0, 0, 0)
    if box is not None:
        top, left, bottom, right = box
        extra = (max(0, -top), max(0, -left), max(0, bottom - grid.shape[0]), max(0, right - grid.shape[1]))
        ax.add_patch(
            Rectangle(
                (left - 0.5, top - 0.5),
                right - left,
                bottom - top,
                fill=False,
                edgecolor=HIGHLIGHT,
                lw=2.5,
                ls="--" if any(extra) else "-",
            )
        )
        unit = "pixels" if name == "input" else "units"
        heading += f"\nbox: {bottom - top} {_BY} {right - left} {unit}"
    ax.set_title(heading, fontsize=10)
    ax.set_xlim(-0.5 - extra[1] - 0.3, grid.shape[1] - 0.5 + extra[3] + 0.3)
    ax.set_ylim(grid.shape[0] - 0.5 + extra[2] + 0.3, -0.5 - extra[0] - 0.3)
    ax.set_xticks([])
    ax.set_yticks([])


def show_flatten_order(stack, *, fmt: str | None = None) -> Figure:
    """An (H, W, C) stack, one grid per channel, and the vector flatten makes of it in two orders.

    The course flattens channels last (``stack.reshape(-1)``): position (0, 0) channel 0, then
    position (0, 0) channel 1, ... A library that keeps channels first (PyTorch) flattens channel 0
    entirely, then channel 1. Weights learned for one order read the wrong numbers in the other.

    Parameters
    ----------
    stack : array_like, shape (H, W, C), C <= 4, H * W * C <= 32

    Returns
    -------
    fig : matplotlib Figure
    """
    array = np.asarray(stack)
    if array.ndim != 3 or array.shape[2] > 4 or array.size > 32:
        raise InputError(
            f"stack must be a small (H, W, C) stack (C <= 4, at most 32 numbers); got {array.shape}"
        )
    channels = array.shape[2]
    fig = plt.figure(figsize=(max(8.0, 0.45 * array.size + 1.5), 4.2))
    grid = fig.add_gridspec(3, max(channels, 1) * 2, height_ratios=[2.2, 0.8, 0.8])
    cmap, norm = colour_scale(array)
    for ch in range(channels):
        ax = fig.add_subplot(grid[0, 2 * ch : 2 * ch + 2])
        show_grid(
            array[:, :, ch], ax=ax, cmap=cmap, vmin=norm.vmin, vmax=norm.vmax, fmt=fmt, title=f"channel {ch}"
        )
    for row, (name, vector) in enumerate(
        (
            ("channels last, stack.reshape(-1): the course's order", array.reshape(-1)),
            ("channels first, stack.transpose(2, 0, 1).reshape(-1)", array.transpose(2, 0, 1).reshape(-1)),
        ),
        start=1,
    ):
        ax = fig.add_subplot(grid[row, :])
        ax.imshow(vector[None, :], cmap=cmap, norm=norm, aspect="auto")
        for i, value in enumerate(vector):
            text = format(value, fmt) if fmt else str(value)
            ax.text(i, 0, text, ha="center", va="center", fontsize=9, color=_text_colour(cmap(norm(value))))
        ax.set_yticks([])
        ax.set_xticks(range(len(vector)))
        ax.tick_params(labelsize=7)
        ax.set_title(name, fontsize=10, loc="left")
    fig.tight_layout()
    return fig
