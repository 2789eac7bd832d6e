"""Lesson 10 (seeing): filters side by side, every layer's maps, the patches that excite a unit, and
where a prediction looks (an occlusion map over its image)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..notebook import InputError
from .base import DIVERGING, HIGHLIGHT, SEQUENTIAL

__all__ = ["show_filter_rows", "show_every_layer", "show_top_patches", "show_occlusion", "occlusion_heat"]


def _tiles(stack: np.ndarray, ncols: int, gap: int = 1) -> np.ndarray:
    """Maps (H, W, F) laid out in rows of ``ncols``, NaN between them (drawn blank)."""
    h, w, count = stack.shape
    rows = -(-count // ncols)
    out = np.full((rows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan)
    for f in range(count):
        r, c = divmod(f, ncols)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = stack[:, :, f]
    return out


def _scale(values: np.ndarray) -> tuple[str, float, float]:
    """Diverging around 0 for signed values, viridis from 0 otherwise (as every lesson draws maps)."""
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if lo < 0:
        limit = max(-lo, hi) or 1.0
        return DIVERGING, -limit, limit
    return SEQUENTIAL, 0.0, hi or 1.0


def show_filter_rows(rows: Sequence[tuple[str, np.ndarray]], *, size: float = 0.75) -> Figure:
    """Filter banks one row each, a panel per filter, each row on its own scale centred at zero.

    Parameters
    ----------
    rows : list of (title, bank)
        ``bank`` is ``(F, kh, kw)`` or ``(F, kh, kw, 1)``; red positive, blue negative, white 0.
    size : float
        Width of one panel in inches.
    """
    if not rows:
        raise InputError("show_filter_rows needs at least one (title, bank) row")
    banks = [np.asarray(bank, dtype=np.float64).reshape(np.shape(bank)[:3]) for _, bank in rows]
    count = max(len(b) for b in banks)
    fig, axes = plt.subplots(
        len(rows), count, figsize=(size * count + 0.6, (size + 0.35) * len(rows)), squeeze=False
    )
    for axes_row, (title, _), bank in zip(axes, rows, banks):
        limit = float(np.abs(bank).max()) or 1.0
        for f, ax in enumerate(axes_row):
            ax.set_xticks([])
            ax.set_yticks([])
            if f >= len(bank):
                ax.axis("off")
                continue
            ax.imshow(bank[f], cmap=DIVERGING, vmin=-limit, vmax=limit)
            ax.set_xlabel(str(f), fontsize=7, labelpad=1)
        axes_row[0].set_title(title, loc="left", fontsize=10, x=0)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.08, top=0.88, hspace=0.9, wspace=0.15)
    return fig


def show_every_layer(
    image: np.ndarray,
    maps: Mapping[str, np.ndarray],
    *,
    ncols: int = 16,
    width: float = 12.0,
    title: str | None = None,
    photo: bool = False,
) -> Figure:
    """One input and what each layer makes of it: a row per layer, holding all of its maps.

    Parameters
    ----------
    image : (H, W)
        The input, drawn in gray: dark = large for values in [0, 1], as the digits' ink, unless
        ``photo``.
    maps : mapping of layer name -> (H', W', F)
        One stack per layer, drawn as tiles of ``ncols`` maps, each layer on one colour scale:
        red and blue around 0 where it has negative values (a conv layer's output), viridis from 0
        otherwise (after ReLU or pooling).
    width : float
        Width of the figure in inches.
    photo : bool
        Draw the input as a photo, bright = large (0 black, 1 white): for faces and other photos
        whose values are brightness, not ink.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise InputError(f"image must be one gray image (H, W); got shape {image.shape}")
    stacks = {name: np.asarray(m, dtype=np.float64) for name, m in maps.items()}
    for name, m in stacks.items():
        if m.ndim != 3:
            raise InputError(f"the maps of {name} must be (H, W, F); got shape {m.shape}")
    tiles = {name: _tiles(m, min(ncols, m.shape[2])) for name, m in stacks.items()}
    plot_width = width - 1.6
    heights = [min(max(plot_width * t.shape[0] / t.shape[1], 0.5), 5.0) for t in tiles.values()]
    fig, axes = plt.subplots(
        len(tiles) + 1,
        2,
        figsize=(width, 2.0 + sum(heights) + 0.35 * len(tiles)),
        height_ratios=[2.0, *heights],
        width_ratios=[1.6, plot_width],
        squeeze=False,
    )
    for ax in axes[:, 0]:
        ax.axis("off")
    if photo:
        axes[0, 1].imshow(image, cmap="gray", vmin=0, vmax=max(1.0, float(image.max())))
    else:
        axes[0, 1].imshow(image, cmap="gray_r" if image.max() <= 1 else "gray")
    axes[0, 1].set_anchor("W")
    axes[0, 0].text(1, 0.5, f"input\n{image.shape[0]} \u00d7 {image.shape[1]}", ha="right", va="center")
    for (ax_label, ax), (name, tile) in zip(axes[1:], tiles.items()):
        cmap, lo, hi = _scale(tile)
        ax.imshow(tile, cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        ax.set_anchor("W")
        h, w, f = stacks[name].shape
        ax_label.text(1, 0.5, f"{name}\n{f} maps\nof {h} \u00d7 {w}", ha="right", va="center")
    for ax in axes[:, 1]:
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.subplots_adjust(
        left=0.01, right=0.99, top=0.94 if title else 0.98, bottom=0.01, hspace=0.25, wspace=0.05
    )
    return fig


def _box(ax, box, shape) -> None:
    top, left, bottom, right = (int(v) for v in box)
    t, lo = max(top, 0), max(left, 0)
    b, r = min(bottom, shape[0]), min(right, shape[1])
    ax.add_patch(
        Rectangle((lo - 0.5, t - 0.5), r - lo, b - t, fill=False, edgecolor=HIGHLIGHT, linewidth=2.5)
    )


def show_top_patches(
    images: np.ndarray,
    boxes: np.ndarray,
    values: np.ndarray,
    patches: np.ndarray,
    *,
    title: str | None = None,
) -> Figure:
    """The images that excite a unit most, its field outlined, and below each the patch it saw.

    Parameters
    ----------
    images : (N, H, W, 1)
        The images ``boxes`` index into.
    boxes : (n, 5) int
        From ``seeing.top_patches``: image index, top, left, bottom, right.
    values : (n,)
        The activations, shown in the titles.
    patches : (n, h, w, 1)
        From ``seeing.cut_patches``: zeros where a box reaches past the image (the padding).
    """
    boxes = np.asarray(boxes)
    n = len(boxes)
    fig, axes = plt.subplots(2, n, figsize=(1.45 * n + 0.4, 4.0), squeeze=False)
    top = float(np.max(images))
    for j in range(n):
        i = int(boxes[j, 0])
        ax = axes[0, j]
        ax.imshow(images[i, :, :, 0], cmap="gray_r", vmin=0, vmax=top)
        _box(ax, boxes[j, 1:], images.shape[1:3])
        ax.set_title(f"#{j + 1}: {float(values[j]):.2f}\nimage {i}", fontsize=9)
        axes[1, j].imshow(patches[j, :, :, 0], cmap="gray_r", vmin=0, vmax=top)
        b = boxes[j, 1:]
        axes[1, j].set_title(f"rows {b[0]}..{b[2] - 1}\ncols {b[1]}..{b[3] - 1}", fontsize=8)
        for ax in axes[:, j]:
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("image, field", fontsize=9)
    axes[1, 0].set_ylabel("the patch", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def occlusion_heat(shape: tuple[int, int], omap: np.ndarray, patch: int, stride: int) -> np.ndarray:
    """An occlusion map spread back onto the image: each pixel the mean of the squares covering it.

    Pixels no square covered (past the last position) are NaN.
    """
    omap = np.asarray(omap, dtype=np.float64)
    total, count = np.zeros(shape), np.zeros(shape)
    for r in range(omap.shape[0]):
        for c in range(omap.shape[1]):
            total[r * stride : r * stride + patch, c * stride : c * stride + patch] += omap[r, c]
            count[r * stride : r * stride + patch, c * stride : c * stride + patch] += 1
    with np.errstate(invalid="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def show_occlusion(
    image: np.ndarray,
    omap: np.ndarray,
    patch: int,
    stride: int,
    *,
    title: str | None = None,
    axes: Sequence | None = None,
) -> Figure:
    """The image, its occlusion map, and the map laid over the image (red: hiding it lowers the score).

    Parameters
    ----------
    image : (H, W)
    omap : (H', W')
        From ``seeing.occlusion_map``, in [-1, 1].
    patch, stride : int
        The square's side and step, to place each value over the pixels its square hid.
    axes : three Axes, optional
    """
    image = np.asarray(image, dtype=np.float64)
    if axes is None:
        fig, axes = plt.subplots(1, 3, figsize=(9.4, 3.2), layout="constrained")
    fig = axes[0].get_figure()
    heat = occlusion_heat(image.shape, omap, patch, stride)
    axes[0].imshow(image, cmap="gray_r" if image.max() <= 1 else "gray")
    axes[0].set_title("input", fontsize=10)
    shown = axes[1].imshow(omap, cmap=DIVERGING, vmin=-1, vmax=1)
    axes[1].set_title(f"occlusion map {omap.shape[0]} \u00d7 {omap.shape[1]}", fontsize=10)
    axes[2].imshow(heat, cmap=DIVERGING, vmin=-1, vmax=1)
    # the ink's outline on top: where the strokes are, without hiding the colours
    axes[2].contour(image, levels=[0.5 * float(image.max())], colors="black", linewidths=1.5)
    axes[2].set_title("spread over the input (ink outlined)", fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(shown, ax=list(axes), fraction=0.03, pad=0.01, label="drop (1 = the largest)")
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
