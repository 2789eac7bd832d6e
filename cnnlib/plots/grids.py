"""Grids with their numbers, photos, zooms, channels, filters and feature maps (lesson 01 on).

``show_grid`` is the figure the whole course builds on: the topic modules draw on top of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..notebook import InputError
from .base import _MAX_LABELLED, DIVERGING, HIGHLIGHT, SEQUENTIAL, _as_2d, _format, _text_colour, colour_scale

__all__ = [
    "show_grid",
    "show_image",
    "show_zoom",
    "show_channels",
    "show_filters",
    "show_feature_maps",
    "colour_of",
]


def show_grid(
    grid,
    *,
    ax: Axes | None = None,
    colors: Mapping[int, str] | None = None,
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    numbers: bool = True,
    fmt: str | None = None,
    title: str | None = None,
    highlight: tuple[int, int, int, int] | None = None,
    origin: tuple[int, int] = (0, 0),
    highlight_color: str = HIGHLIGHT,
) -> Axes:
    """Draw a 2-D grid of numbers as coloured cells, each with its value printed inside.

    Parameters
    ----------
    grid : array_like, shape (H, W)
        Numbers of any dtype.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    colors : dict of int to colour, optional
        A colour for each value, e.g. ``{0: "white", 2: "gold", 9: "black"}`` for the smiley.
    cmap, vmin, vmax : optional
        Colormap and value range. By default the range is the grid's own smallest to largest
        value, with gray for uint8 grids, a diverging map centred at zero when there are
        negative values and ``viridis`` otherwise. Pass ``vmin=0, vmax=255`` to draw a patch of
        a photo in the photo's own shades.
    numbers : bool
        Print each cell's value (black or white, whichever reads better on that cell).
    fmt : str, optional
        Format for the printed values, e.g. ``".1f"``; whole numbers print without decimals.
    title : str, optional
    highlight : (top, left, height, width), optional
        Outline a rectangle of cells, e.g. the window a filter is looking at.
    origin : (row, column)
        Index of the top-left cell, for tick labels of a patch cut from a larger image.
    highlight_color : colour
        Of the ``highlight`` outline (orange by default).

    Returns
    -------
    ax : matplotlib Axes
    """
    array = _as_2d(grid)
    if ax is None:
        rows, cols = array.shape
        _, ax = plt.subplots(figsize=(min(0.55 * cols + 1, 12), min(0.55 * rows + 0.8, 12)))
    colormap, norm = colour_scale(array, colors, cmap, vmin, vmax)
    ax.imshow(array, cmap=colormap, norm=norm, interpolation="nearest")

    rows, cols = array.shape
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="0.6", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    if max(rows, cols) <= _MAX_LABELLED:
        ax.set_xticks(np.arange(cols), labels=[str(origin[1] + c) for c in range(cols)])
        ax.set_yticks(np.arange(rows), labels=[str(origin[0] + r) for r in range(rows)])
        ax.tick_params(which="major", length=0, labelsize=8)
        ax.xaxis.tick_top()
    else:
        ax.set_xticks([])
        ax.set_yticks([])

    if numbers:
        size = 10 if max(rows, cols) <= 10 else 8 if max(rows, cols) <= 16 else 6
        for (r, c), value in np.ndenumerate(array):
            colour = _text_colour(colormap(norm(value)))
            ax.text(c, r, _format(value, fmt), ha="center", va="center", color=colour, fontsize=size)
    if highlight is not None:
        top, left, height, width = highlight
        ax.add_patch(
            Rectangle(
                (left - 0.5, top - 0.5), width, height, fill=False, edgecolor=highlight_color, linewidth=3
            )
        )
    if title:
        labelled = max(rows, cols) <= _MAX_LABELLED
        ax.set_title(title, pad=16 if labelled else 6)
    return ax


def show_image(image, *, ax: Axes | None = None, title: str | None = None, cmap=None) -> Axes:
    """Show a photo: gray for ``(H, W)``, true colour for ``(H, W, 3)``; uint8 spans 0..255.

    Parameters
    ----------
    image : array_like, shape (H, W) or (H, W, 3)
    ax : matplotlib Axes, optional
    title : str, optional
    cmap : colormap for 2-D images, optional (default gray)

    Returns
    -------
    ax : matplotlib Axes
    """
    array = np.asarray(image)
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        one = (
            "; a (H, W, 1) array is one channel that kept its channel axis: image[..., 0] is the grid"
            if array.ndim == 3 and array.shape[-1] == 1
            else ""
        )
        raise InputError(f"show_image: image must be (H, W) or (H, W, 3), got shape {array.shape}{one}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5 * array.shape[0] / array.shape[1]))
    if array.ndim == 2:
        limits = (0, 255) if array.dtype == np.uint8 else (None, None)
        ax.imshow(array, cmap=cmap or "gray", vmin=limits[0], vmax=limits[1])
    else:
        ax.imshow(array)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def show_zoom(image, top: int, left: int, size: int = 8, *, title: str | None = None) -> Figure:
    """Show a grayscale photo with a square outlined, and that square's pixels with their numbers.

    Parameters
    ----------
    image : array_like, shape (H, W)
    top, left : int
        Row and column of the square's top-left pixel.
    size : int
        Side of the square in pixels (at most 24, so the numbers stay readable).

    Returns
    -------
    fig : matplotlib Figure with two axes: the photo and the zoomed patch.
    """
    array = _as_2d(image, "image")
    if not 1 <= size <= _MAX_LABELLED:
        raise InputError(f"size must be between 1 and {_MAX_LABELLED}, got {size}")
    if top < 0 or left < 0 or top + size > array.shape[0] or left + size > array.shape[1]:
        raise InputError(
            f"a {size}x{size} square at row {top}, column {left} does not fit in an image of "
            f"shape {array.shape}"
        )
    fig, (ax_photo, ax_patch) = plt.subplots(1, 2, figsize=(11, 5.2), width_ratios=[1, 1.1])
    show_image(array, ax=ax_photo, title=title)
    ax_photo.add_patch(
        Rectangle((left - 0.5, top - 0.5), size, size, fill=False, edgecolor=HIGHLIGHT, linewidth=2)
    )
    patch = array[top : top + size, left : left + size]
    show_grid(
        patch,
        ax=ax_patch,
        origin=(top, left),
        vmin=0 if array.dtype == np.uint8 else None,
        vmax=255 if array.dtype == np.uint8 else None,
        cmap="gray",
        title=f"rows {top}-{top + size - 1}, columns {left}-{left + size - 1}",
    )
    fig.tight_layout()
    return fig


def show_channels(image, *, title: str | None = None) -> Figure:
    """Show a colour image and its red, green and blue channels, each in its own colour.

    Parameters
    ----------
    image : array_like, shape (H, W, 3), channels in R, G, B order

    Returns
    -------
    fig : matplotlib Figure with four axes: the image, then R, G, B.
    """
    array = np.asarray(image)
    if array.ndim != 3 or array.shape[2] != 3:
        raise InputError(f"image must be (H, W, 3) with channels R, G, B last, got shape {array.shape}")
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.8))
    show_image(array, ax=axes[0], title=title or "colour image")
    limits = (0, 255) if array.dtype == np.uint8 else (float(array.min()), float(array.max()))
    for ax, channel, name in zip(axes[1:], range(3), ["red", "green", "blue"]):
        # black (none of this colour) to the pure colour (all of it): what the channel adds
        pure = [0.0, 0.0, 0.0]
        pure[channel] = 1.0
        cmap = LinearSegmentedColormap.from_list(name, [(0.0, 0.0, 0.0), tuple(pure)])
        ax.imshow(array[..., channel], cmap=cmap, vmin=limits[0], vmax=limits[1])
        ax.set_title(f"{name} channel  [..., {channel}]")
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def _panel_grid(count: int, ncols: int, size: float) -> tuple[Figure, np.ndarray]:
    ncols = max(1, min(ncols, count))
    nrows = -(-count // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, size * nrows + 0.3), squeeze=False)
    for ax in axes.flat[count:]:
        ax.set_axis_off()
    return fig, axes.flat[:count]


def show_filters(
    bank, *, ncols: int = 8, numbers: bool | None = None, titles: Sequence[str] | None = None
) -> Figure:
    """Show a filter bank, one small panel per filter, on one colour scale centred at zero.

    Parameters
    ----------
    bank : array_like, shape (F, kh, kw), (F, kh, kw, 1) or (F, kh, kw, 3)
        Single-channel filters are drawn with the diverging map (blue negative, white zero, red
        positive); 3-channel filters as colour pictures, scaled together to 0..1.
    ncols : int
        Panels per row.
    numbers : bool, optional
        Print each weight in its cell; by default when filters are at most 5x5 and 16 or fewer.
    titles : list of str, optional
        One title per filter (default "filter 0", "filter 1", ...).

    Returns
    -------
    fig : matplotlib Figure
    """
    array = np.asarray(bank, dtype=np.float64)
    if array.ndim == 4 and array.shape[3] == 1:
        array = array[..., 0]
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[3] != 3):
        raise InputError(
            "bank must be (F, kh, kw), (F, kh, kw, 1) or (F, kh, kw, 3), got shape "
            f"{np.shape(bank)}; for other channel counts show one channel: bank[..., c]"
        )
    count = array.shape[0]
    if titles is not None and len(titles) != count:
        raise InputError(f"got {len(titles)} titles for {count} filters")
    if numbers is None:
        numbers = array.ndim == 3 and max(array.shape[1:3]) <= 5 and count <= 16
    fig, axes = _panel_grid(count, ncols, 1.6 if not numbers else 2.2)
    limit = float(np.abs(array).max()) or 1.0
    for index, ax in enumerate(axes):
        label = titles[index] if titles is not None else f"filter {index}"
        if array.ndim == 3:
            show_grid(
                array[index], ax=ax, cmap=DIVERGING, vmin=-limit, vmax=limit, numbers=numbers, title=label
            )
            ax.set_xticks([])
            ax.set_yticks([])
        else:
            lo, hi = array.min(), array.max()
            ax.imshow((array[index] - lo) / ((hi - lo) or 1.0), interpolation="nearest")
            ax.set_axis_off()
            ax.set_title(label, fontsize=9)
    fig.tight_layout()
    return fig


def show_feature_maps(
    maps, *, ncols: int = 8, titles: Sequence[str] | None = None, shared: bool = True
) -> Figure:
    """Show a stack of feature maps, one panel per map, all on one colour scale.

    Parameters
    ----------
    maps : array_like, shape (H, W, F)
        F maps, channels last. Signed maps (before ReLU) use the diverging map centred at zero;
        non-negative maps (after ReLU or pooling) use ``viridis`` from 0.
    ncols : int
        Panels per row.
    titles : list of str, optional
        One title per map (default "map 0", "map 1", ...).
    shared : bool
        One colour scale for all maps, with a colour bar (default), so strengths compare across
        maps; ``False`` scales each map on its own, to see the pattern in a weak map.

    Returns
    -------
    fig : matplotlib Figure
    """
    array = np.asarray(maps, dtype=np.float64)
    if array.ndim != 3:
        raise InputError(f"maps must be (H, W, F), channels last, got shape {array.shape}")
    count = array.shape[2]
    if titles is not None and len(titles) != count:
        raise InputError(f"got {len(titles)} titles for {count} maps")

    def scale(values: np.ndarray) -> tuple[str, float, float]:
        if values.min() < 0:
            limit = float(np.abs(values).max()) or 1.0
            return DIVERGING, -limit, limit
        return SEQUENTIAL, 0.0, float(values.max()) or 1.0

    fig, axes = _panel_grid(count, ncols, 2.4)
    for index, ax in enumerate(axes):
        cmap, vmin, vmax = scale(array if shared else array[..., index])
        image = ax.imshow(array[..., index], cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        ax.set_axis_off()
        ax.set_title(titles[index] if titles is not None else f"map {index}", fontsize=9)
    if shared:
        fig.colorbar(image, ax=list(axes), shrink=0.8)
    return fig


def colour_of(ax: Axes, row: int, column: int) -> tuple[float, float, float, float]:
    """The RGBA colour a ``show_grid`` axes gives the cell at (row, column); for tests and lessons."""
    image = ax.get_images()[0]
    value = image.get_array()[row, column]
    return tuple(float(v) for v in image.cmap(image.norm(value)))
