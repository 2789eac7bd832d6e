"""Figures of lesson 09 (learning): one filter learned step by step, learning rates compared, and
the first-layer filters of the digit CNN (with one digit's feature maps) as training goes on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..notebook import InputError
from .base import DIVERGING, SEQUENTIAL
from .grids import show_grid

__all__ = ["show_filter_learning", "show_learning_rates", "mosaic", "snapshot_maps", "show_snapshots"]


def _steps_to_show(last: int, count: int = 6) -> list[int]:
    """0, a few early steps (where most happens) and the last one."""
    picks = [0, 1, 3, 10, 30, 100, 300, 1000]
    shown = [*[s for s in picks if s < last][: count - 1], last]
    return sorted(set(shown))


def show_filter_learning(
    kernels,
    losses,
    *,
    hidden=None,
    steps: Sequence[int] | None = None,
    fmt: str = ".2f",
) -> Figure:
    """A filter at a few steps of gradient descent (top) and the loss at every step (bottom).

    Parameters
    ----------
    kernels : array_like (S + 1, kh, kw)
        The filter before any step and after each of S steps (``cnnlib.learning.filter_path``).
    losses : array_like (S + 1,)
        The loss of each of those filters.
    hidden : array_like (kh, kw), optional
        The filter to find, drawn last for comparison.
    steps : sequence of int, optional
        Which steps to draw (default: 0, a few early ones, the last).
    """
    kernels, losses = np.asarray(kernels, float), np.asarray(losses, float)
    if kernels.ndim != 3 or losses.shape != kernels.shape[:1]:
        raise InputError(
            f"need kernels (S + 1, kh, kw) and one loss per kernel (S + 1,); got {kernels.shape} and "
            f"{losses.shape}"
        )
    last = len(kernels) - 1
    steps = list(steps) if steps is not None else _steps_to_show(last)
    panels = len(steps) + (hidden is not None)
    fig = plt.figure(figsize=(2.3 * panels, 5.6), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1])
    axes = np.atleast_1d(top.subplots(1, panels))
    shown = [kernels[s] for s in steps] + ([np.asarray(hidden, float)] if hidden is not None else [])
    limit = max(float(np.abs(k).max()) for k in shown) or 1.0
    for ax, step in zip(axes, steps):
        show_grid(kernels[step], ax=ax, cmap=DIVERGING, vmin=-limit, vmax=limit, fmt=fmt)
        ax.set_title(f"step {step}\nloss {losses[step]:.2g}", fontsize=10)
    if hidden is not None:
        show_grid(np.asarray(hidden, float), ax=axes[-1], cmap=DIVERGING, vmin=-limit, vmax=limit, fmt=fmt)
        axes[-1].set_title("the hidden filter\n(the target)", fontsize=10)
    ax = bottom.subplots()
    ax.semilogy(np.arange(len(losses)), losses, "-", color="C0")
    ax.semilogy(steps, losses[steps], "o", color="C1", label="the steps drawn above")
    ax.set(xlabel="step", ylabel="loss (log scale)", title="loss after each step")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    return fig


def show_learning_rates(runs: Mapping[float, Sequence[float]], *, ax: Axes | None = None) -> Axes:
    """Loss against step for several learning rates, on a log scale, each labelled with its first
    and last loss (as a printout of ``losses[0]`` and ``losses[-1]`` with ``:.2g`` gives them).

    A run whose loss ends more than ten times above where it started is labelled "explodes"; one
    that overflows (inf or nan) is drawn up to its last finite loss and marked there with a
    triangle.

    Parameters
    ----------
    runs : mapping of learning rate -> losses (one per step, the first before any step)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    for (lr, losses), colour in zip(runs.items(), ("C0", "C2", "C3", "C1", "C4", "C5")):
        losses = np.asarray(losses, float)
        finite = np.flatnonzero(~np.isfinite(losses))
        end = int(finite[0]) if len(finite) else len(losses)
        label = f"lr = {lr:g}: loss {losses[0]:.2g} -> {losses[-1]:.2g} at step {len(losses) - 1}"
        if len(finite) or losses[-1] > 10 * losses[0]:
            label += ", explodes"
        ax.semilogy(np.arange(end), losses[:end], "-", color=colour, label=label)
        if len(finite) and end:
            ax.semilogy([end - 1], [losses[end - 1]], "^", color=colour, markersize=9)
    ax.set(xlabel="step", ylabel="loss (log scale)", title="the same descent with different learning rates")
    ax.grid(alpha=0.3, which="major")
    ax.legend(loc="best", fontsize=9)
    return ax


def mosaic(tiles, ncols: int = 8, scale: int = 1, gap: int = 1) -> np.ndarray:
    """Tiles (T, h, w) laid out in rows of `ncols`, each enlarged `scale` times, NaN between them.

    Returns a 2-D float array: ``imshow`` draws NaN cells blank, so the gaps stay white.
    """
    tiles = np.asarray(tiles, float)
    if tiles.ndim != 3:
        raise InputError(f"tiles must be (T, h, w); got shape {tiles.shape}")
    count, h, w = tiles.shape
    rows = -(-count // ncols)
    big_h, big_w = h * scale, w * scale
    out = np.full((rows * (big_h + gap) - gap, ncols * (big_w + gap) - gap), np.nan)
    for t, tile in enumerate(tiles):
        r, c = divmod(t, ncols)
        big = np.kron(tile, np.ones((scale, scale)))
        out[r * (big_h + gap) : r * (big_h + gap) + big_h, c * (big_w + gap) : c * (big_w + gap) + big_w] = (
            big
        )
    return out


def snapshot_maps(filters, digit) -> np.ndarray:
    """What first-layer filters (F, 3, 3, 1) make of one digit (8, 8) or (8, 8, 1): (F, 8, 8).

    The convolution of ``cnnlib.layers.digits_cnn``'s first layer (padding 1, so 8 x 8 maps),
    then ReLU; without the biases, which the snapshots do not keep.
    """
    from .. import ops

    filters = np.asarray(filters, float)
    digit = np.asarray(digit, float)
    if digit.ndim == 2:
        digit = digit[:, :, None]
    if filters.ndim != 4 or digit.ndim != 3 or filters.shape[3] != digit.shape[2]:
        raise InputError(
            f"need filters (F, kh, kw, C) and an image (H, W, C); got {filters.shape}, {digit.shape}"
        )
    pad = filters.shape[1] // 2
    maps = ops.relu(ops.conv2d(digit, filters, padding=pad))  # (H, W, F)
    return np.moveaxis(maps, -1, 0)


def show_snapshots(
    snapshots: Mapping[int, np.ndarray],
    steps: Sequence[int] | None = None,
    *,
    digit=None,
    accuracy: Mapping[int, float] | None = None,
    captions: Mapping[int, str] | None = None,
    ncols: int = 8,
) -> Figure:
    """First-layer filters at a few training steps, one row each; with a digit, its maps beside.

    Parameters
    ----------
    snapshots : mapping of step -> filters (F, kh, kw, 1) (``History.snapshots`` of ``cnnlib.train.fit``)
    steps : the steps to draw (default: the first, the last, and two early ones, at about a tenth
        and a third of the way, where most of the change happens)
    digit : array_like (8, 8) or (8, 8, 1), optional
        Draw what each snapshot's filters make of it (``snapshot_maps``).
    accuracy : mapping of step -> test accuracy, optional, for the row titles.
    captions : mapping of step -> str, optional
        What each row's step means ("after 28 training steps (during epoch 2; ...)"), in place of
        "step 28" in its titles (``widgets.FilterSnapshots.caption`` writes them).
    """
    taken = sorted(snapshots)
    if not taken:
        raise InputError("no snapshots: train with fit(..., snapshot_steps=[...]) first")
    if steps is None:
        last = taken[-1]
        steps = sorted({taken[0], *(min(taken, key=lambda s: abs(s - f * last)) for f in (0.1, 0.35)), last})
    missing = [s for s in steps if s not in snapshots]
    if missing:
        raise InputError(f"no snapshot at steps {missing}; the snapshots are at {taken}")
    limit = max(float(np.abs(snapshots[s]).max()) for s in steps) or 1.0
    columns = 2 if digit is not None else 1
    fig, axes = plt.subplots(
        len(steps),
        columns,
        figsize=(6.5 * columns, 1.9 * len(steps) + 0.6),
        layout="constrained",
        squeeze=False,
    )
    maps = {s: snapshot_maps(snapshots[s], digit) for s in steps} if digit is not None else {}
    top = max((float(m.max()) for m in maps.values()), default=1.0) or 1.0
    for row, step in zip(axes, steps):
        filters = snapshots[step][..., 0]
        image = row[0].imshow(mosaic(filters, ncols, scale=1), cmap=DIVERGING, vmin=-limit, vmax=limit)
        title = f"step {step}: first-layer filters"
        if accuracy and step in accuracy:
            title += f" (test accuracy {accuracy[step]:.0%})"
        if captions and step in captions:
            title = f"{captions[step]}\nfirst-layer filters"
        row[0].set_title(title, fontsize=10)
        if digit is not None:
            maps_image = row[1].imshow(mosaic(maps[step], ncols), cmap=SEQUENTIAL, vmin=0, vmax=top)
            named = f"step {step}: t" if not (captions and step in captions) else "\nt"
            row[1].set_title(f"{named}heir maps of the digit (after ReLU)", fontsize=10)
        for ax in row:
            ax.axis("off")
    fig.colorbar(image, ax=axes[:, 0], shrink=0.6, label="weight")
    if digit is not None:
        fig.colorbar(maps_image, ax=axes[:, 1], shrink=0.6, label="map value")
    return fig
