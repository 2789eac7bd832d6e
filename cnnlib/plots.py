"""Figures for the lessons: grids with their numbers, photos, channels, filters, feature maps.

Colour choices are colour-blind safe: sequential values use ``viridis`` (or gray for photos),
signed values (filters, feature maps before ReLU) use the diverging ``RdBu_r`` centred at zero,
so zero is white, positive red and negative blue at the same strength for the same size.

Every function draws on the ``ax`` it is given (or a new figure) and returns what it drew on, so
tests and lessons can add to it. Shapes follow the course: images ``(H, W)`` or ``(H, W, 3)``,
filter banks ``(F, kh, kw)`` or ``(F, kh, kw, C)``, feature maps ``(H, W, F)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, Colormap, LinearSegmentedColormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .notebook import in_notebook

__all__ = [
    "show_grid",
    "colour_scale",
    "show_image",
    "show_zoom",
    "show_channels",
    "show_filters",
    "show_feature_maps",
    "colour_of",
    "show_pool_windows",
    "WINDOW_COLOURS",
    "show_bars",
    "show_map",
    "show_activation",
    "show_filter_channels",
    "show_swatches",
    "show_rgb_grids",
]

SEQUENTIAL = "viridis"
DIVERGING = "RdBu_r"
HIGHLIGHT = "#ff7f0e"  # orange: stands out on gray, viridis and RdBu alike
_MAX_LABELLED = 24  # grids up to this size get a tick label on every row and column


def _as_2d(grid, what: str = "grid") -> np.ndarray:
    array = np.asarray(grid)
    if array.ndim != 2:
        raise ValueError(f"{what} must be 2-D (rows, columns), got shape {array.shape}")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise TypeError(f"{what} must hold numbers, got dtype {array.dtype}")
    return array


def colour_scale(
    array: np.ndarray,
    colors: Mapping[int, str] | None = None,
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
) -> tuple[Colormap, Normalize]:
    """Pick a colormap and norm: given colours, diverging for signed data, else sequential."""
    if colors is not None:
        codes = sorted(colors)
        missing = set(np.unique(array).tolist()) - set(codes)
        if missing:
            raise ValueError(f"values {sorted(missing)} have no colour; colors covers {codes}")
        bounds = [codes[0] - 0.5] + [(a + b) / 2 for a, b in zip(codes, codes[1:])] + [codes[-1] + 0.5]
        return ListedColormap([colors[c] for c in codes]), BoundaryNorm(bounds, len(codes))
    finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
    lo = float(finite.min()) if finite.size else 0.0
    hi = float(finite.max()) if finite.size else 1.0
    if cmap is None and vmin is None and vmax is None and lo < 0:
        limit = max(abs(lo), abs(hi)) or 1.0
        return plt.get_cmap(DIVERGING), Normalize(-limit, limit)
    if cmap is None:
        cmap = "gray" if array.dtype == np.uint8 else SEQUENTIAL
    vmin = lo if vmin is None else vmin
    vmax = hi if vmax is None else vmax
    if vmin == vmax:
        vmax = vmin + 1
    return plt.get_cmap(cmap) if isinstance(cmap, str) else cmap, Normalize(vmin, vmax)


def _text_colour(rgba: Sequence[float]) -> str:
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _format(value, fmt: str | None) -> str:
    if fmt is not None:
        return format(value, fmt)
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


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
        raise ValueError(f"image must be (H, W) or (H, W, 3), got shape {array.shape}")
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
        raise ValueError(f"size must be between 1 and {_MAX_LABELLED}, got {size}")
    if top < 0 or left < 0 or top + size > array.shape[0] or left + size > array.shape[1]:
        raise ValueError(
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
        raise ValueError(f"image must be (H, W, 3) with channels R, G, B last, got shape {array.shape}")
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
        raise ValueError(
            "bank must be (F, kh, kw), (F, kh, kw, 1) or (F, kh, kw, 3), got shape "
            f"{np.shape(bank)}; for other channel counts show one channel: bank[..., c]"
        )
    count = array.shape[0]
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} filters")
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
        raise ValueError(f"maps must be (H, W, F), channels last, got shape {array.shape}")
    count = array.shape[2]
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} maps")

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


# ---------------------------------------------------------------------------------------------
# Lesson 06 (pooling): pooling windows drawn on a grid
# ---------------------------------------------------------------------------------------------

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
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    rows, cols = array.shape
    if size > rows or size > cols:
        raise ValueError(f"a {size}x{size} window does not fit in a grid of shape {array.shape}")
    out_rows, out_cols = (rows - size) // stride + 1, (cols - size) // stride + 1
    chosen = [(r, c) for r in range(out_rows) for c in range(out_cols)] if windows is None else list(windows)
    for r, c in chosen:
        if not (0 <= r < out_rows and 0 <= c < out_cols):
            raise ValueError(f"window {(r, c)} does not exist; the windows are {out_rows} x {out_cols}")
    from matplotlib import patheffects  # imported here: this lesson's section stays self-contained

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


# ---------------------------------------------------------------------------------------------
# Lesson 03 (outputs): one bar per class, for scores, probabilities and label vectors.
# ---------------------------------------------------------------------------------------------

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
        raise ValueError(f"values must be one number per class, shape (K,), got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"values must be numbers, got dtype {array.dtype}")
    array = array.astype(np.float64)
    names = [str(i) for i in range(array.size)] if labels is None else [str(name) for name in labels]
    if len(names) != array.size:
        raise ValueError(f"got {len(names)} labels for {array.size} values: give one label per value")
    bad = [i for i in highlight if not 0 <= int(i) < array.size]
    if bad:
        raise ValueError(f"highlight indices {bad} are outside 0..{array.size - 1}")
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


# ----------------------------------------------------------------------------------------------
# Lesson 05 (nonlinearity): one feature map of any size, and an activation function's curve.
# ----------------------------------------------------------------------------------------------


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
        raise ValueError(f"limit must be a positive number, got {limit!r}")
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
        raise ValueError(f"x and y must be 1-D and of the same length, got shapes {xs.shape} and {ys.shape}")
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


# ---------------------------------------------------------------------------------------------
# Lesson 07 (filterbanks): a filter bank on a colour image, one slice per channel
# ---------------------------------------------------------------------------------------------

CHANNEL_NAMES = ("red", "green", "blue")


def show_filter_channels(
    bank,
    *,
    titles: Sequence[str] | None = None,
    channel_names: Sequence[str] | None = None,
    numbers: bool | None = None,
    fmt: str | None = None,
) -> Figure:
    """Show each filter of a bank as its channel slices side by side, one filter per row.

    A filter for a C-channel input is ``(kh, kw, C)``: one ``kh x kw`` grid of weights per
    channel. Row f of the figure shows ``bank[f, :, :, 0]``, ..., ``bank[f, :, :, C-1]``, all on
    one diverging colour scale centred at zero (blue negative, white zero, red positive).

    Parameters
    ----------
    bank : array_like, shape (F, kh, kw, C)
        F filters; C at most 8.
    titles : list of str, optional
        One name per filter, shown at the start of its row (default "filter 0", ...).
    channel_names : list of str, optional
        One name per channel (default red, green, blue for C = 3, else "channel 0", ...).
    numbers : bool, optional
        Print each weight in its cell; by default when the filters are at most 5 x 5.
    fmt : str, optional
        Format of the printed weights, e.g. ``".2f"``.

    Returns
    -------
    fig : matplotlib Figure with F x C axes, row by row.
    """
    array = np.asarray(bank, dtype=np.float64)
    if array.ndim != 4:
        raise ValueError(f"bank must be (F, kh, kw, C), one filter per row; got shape {np.shape(bank)}")
    count, kh, kw, channels = array.shape
    if not 1 <= channels <= 8:
        raise ValueError(f"show_filter_channels draws up to 8 channels; the bank has {channels}")
    if titles is not None and len(titles) != count:
        raise ValueError(f"got {len(titles)} titles for {count} filters")
    if channel_names is None:
        channel_names = CHANNEL_NAMES if channels == 3 else tuple(f"channel {c}" for c in range(channels))
    if len(channel_names) != channels:
        raise ValueError(f"got {len(channel_names)} channel names for {channels} channels")
    if numbers is None:
        numbers = max(kh, kw) <= 5
    side = 0.45 * max(kh, kw) + 0.6
    fig, axes = plt.subplots(
        count, channels, figsize=(side * channels + 1.4, side * count + 0.4), squeeze=False
    )
    limit = float(np.abs(array).max()) or 1.0
    for f in range(count):
        for ch in range(channels):
            ax = axes[f, ch]
            show_grid(
                array[f, :, :, ch],
                ax=ax,
                cmap=DIVERGING,
                vmin=-limit,
                vmax=limit,
                numbers=numbers,
                fmt=fmt,
            )
            ax.set_xticks([])
            ax.set_yticks([])
            if f == 0:
                ax.set_title(channel_names[ch], fontsize=10)
        label = titles[f] if titles is not None else f"filter {f}"
        axes[f, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=10)
    fig.tight_layout()
    return fig


# ------------------------------------------------------------------ lesson 02 (colour)

_CHANNEL_NAMES = ("red", "green", "blue")


def _channel_cmap(channel: int) -> Colormap:
    """Black (none of this light) to the pure colour of ``channel`` (all of it)."""
    pure = [0.0, 0.0, 0.0]
    pure[channel] = 1.0
    return LinearSegmentedColormap.from_list(_CHANNEL_NAMES[channel], [(0.0, 0.0, 0.0), tuple(pure)])


def _as_rgb8(image, what: str) -> np.ndarray:
    array = np.asarray(image)
    if array.ndim < 1 or array.shape[-1] != 3:
        raise ValueError(f"{what} must have 3 values (R, G, B) on its last axis, got shape {array.shape}")
    if array.dtype.kind not in "iu" or array.min() < 0 or array.max() > 255:
        raise ValueError(f"{what} must hold whole numbers 0..255 (8-bit colour), got dtype {array.dtype}")
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
        raise ValueError(f"colours must be (N, 3), one (R, G, B) per swatch, got shape {array.shape}")
    count = array.shape[0]
    if names is not None and len(names) != count:
        raise ValueError(f"got {len(names)} names for {count} colours")
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
        raise ValueError(f"image must be (H, W, 3) with channels R, G, B last, got shape {array.shape}")
    rows, cols = array.shape[:2]
    if max(rows, cols) > _MAX_LABELLED:
        raise ValueError(
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


# --------------------------------------------------------------------------------------------
# Lesson 04 (convolution): the window sliding over an image, one step at a time
# --------------------------------------------------------------------------------------------

KERNEL_TEXT = "#1f4e9c"  # the kernel's numbers, written small in the window's cells
TIMES = "\u00d7"


def _factor_text(value) -> str:
    text = _format(value, None)
    return f"({text})" if text.startswith("-") else text


def _conv_step_sum(window: np.ndarray, kernel: np.ndarray) -> tuple[str, float]:
    """``0·1 + 0·2 + 0·3 + 2·(-1)`` and its value, for a panel's label."""
    terms = [f"{_format(x, None)}·{_factor_text(k)}" for x, k in zip(window.ravel(), kernel.ravel())]
    total = float((window.astype(np.float64) * kernel).sum())
    if len(terms) > 4:  # two lines keep a 3x3 sum readable under a small panel
        half = -(-len(terms) // 2)
        return " + ".join(terms[:half]) + " +\n" + " + ".join(terms[half:]), total
    return " + ".join(terms), total


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
        raise ValueError(f"kernel {weights.shape} is larger than the image {array.shape}")
    out_h, out_w = h - kh + 1, w - kw + 1
    positions = [(int(r), int(c)) for r, c in positions]
    if not positions:
        raise ValueError("positions is empty: give at least one (row, column)")
    for r, c in positions:
        if not (0 <= r < out_h and 0 <= c < out_w):
            raise ValueError(
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
            raise ValueError(f"axes has {axes.shape[1]} columns for {count} positions")
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


__all__ += ["show_conv_steps"]


# --------------------------------------------------------------------------
# Training curves (lesson 09): drawn from a cnnlib.train.History
# --------------------------------------------------------------------------


def show_training(history, *, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """Loss (left) and accuracy (right) per epoch, training and test, from a ``cnnlib.train.History``.

    Draws on the two `axes` given (or a new figure) and returns them.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    loss_ax, acc_ax = axes
    epochs = np.arange(1, history.epochs + 1)
    loss_ax.plot(epochs, history.loss, "o-", label="training")
    acc_ax.plot(epochs, np.asarray(history.train_accuracy) * 100, "o-", label="training")
    if history.test_accuracy:
        loss_ax.plot(epochs, history.test_loss, "s-", label="test")
        acc_ax.plot(epochs, np.asarray(history.test_accuracy) * 100, "s-", label="test")
    loss_ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title="loss")
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    for ax in axes:
        ax.legend(loc="best")
        ax.grid(alpha=0.3)
    return axes


class TrainingPlot:
    """Curves that follow a training run: redrawn in place in a notebook, at most every `interval` s.

    Used by ``cnnlib.train.fit(..., plot=True)``. A redraw costs tens of milliseconds,
    so most epochs of a fast run are drawn only at the next allowed moment and at the end.
    """

    def __init__(self, interval: float = 0.25) -> None:
        import time

        self._clock = time.perf_counter
        self.interval = interval
        self.figure = None
        self._handle = None
        self._last = -float("inf")

    def _draw(self, history) -> None:
        if self.figure is None:
            self.figure = plt.figure(figsize=(9, 3.2), layout="constrained")
            self.figure.subplots(1, 2)
            plt.close(self.figure)  # shown through display() only, never twice
        for ax in self.figure.axes:
            ax.clear()
        show_training(history, axes=self.figure.axes)

    def update(self, history) -> None:
        """Redraw if `interval` seconds passed since the last redraw (and only in a notebook)."""
        if not in_notebook() or self._clock() - self._last < self.interval:
            return
        from IPython.display import display

        self._draw(history)
        if self._handle is None:
            self._handle = display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)
        self._last = self._clock()

    def close(self, history) -> None:
        """Draw the final curves: in place in a notebook, else as a figure of its own."""
        if history.epochs == 0:
            return
        self._draw(history)
        if self._handle is not None:
            self._handle.update(self.figure)
            return
        if in_notebook():
            from IPython.display import display

            display(self.figure)
