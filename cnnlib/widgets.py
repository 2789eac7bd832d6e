"""Interactive widgets: a sliding-window stepper on the learner's own code, and a filter explorer.

Both run in JupyterLab with ipywidgets and answer a slider within a frame: nothing is re-plotted
on a change. The stepper's grids are small HTML tables; the explorer's panels are images encoded
straight from numpy (a colormap lookup table, then JPEG), so one update costs a convolution and
four encodings (``benchmarks/bench_widgets.py`` measures it).

Without a widget front end (nbconvert, nbval, the autograder, feedback HTML) the same call shows a
static matplotlib figure of the same content instead of an empty box: ``live()`` tells which.

Arrays follow the course: images ``(H, W)``, kernels ``(kh, kw)``, channels last.
"""

from __future__ import annotations

import html
import io
import os
import textwrap
from collections.abc import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import Normalize

from . import data, ops, plots
from .checks import explain
from .checks.runner import learner_line

__all__ = ["live", "SlidingWindowStepper", "FilterExplorer", "PRESETS"]


def live() -> bool:
    """Whether a widget front end will show widgets: a kernel that JupyterLab (a Jupyter server) runs.

    ``CNNLIB_WIDGETS=static`` or ``=live`` in the environment overrides the guess.
    """
    choice = os.environ.get("CNNLIB_WIDGETS", "").lower()
    if choice in ("static", "live"):
        return choice == "live"
    return bool(os.environ.get("JPY_SESSION_NAME"))


class _Shown:
    """Shows itself as the widget when live, else as the static figure (a PNG)."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        if live():
            return self.widget._repr_mimebundle_(include=include, exclude=exclude)
        figure = self.static_figure()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
        plt.close(figure)
        return {"image/png": buffer.getvalue(), "text/plain": f"<{type(self).__name__}: static figure>"}


# ------------------------------------------------------------------ images without matplotlib


def _lut(cmap: str) -> np.ndarray:
    return (plt.get_cmap(cmap)(np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)


_LUTS: dict[str, np.ndarray] = {}


def to_rgb(values: np.ndarray, cmap: str, vmin: float, vmax: float) -> np.ndarray:
    """Colour a 2-D array with a colormap through a 256-entry lookup table: (H, W, 3) uint8."""
    if cmap not in _LUTS:
        _LUTS[cmap] = _lut(cmap)
    scale = 255.0 / (vmax - vmin) if vmax > vmin else 0.0
    index = np.clip((values - vmin) * scale, 0, 255).astype(np.uint8)
    return _LUTS[cmap][index]


def to_jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    """Encode an (H, W, 3) uint8 image as JPEG bytes (a few ms for 512 x 512)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


# ------------------------------------------------------------------ HTML grids


def _cell_style(value: float, norm: Normalize, cmap) -> str:
    rgba = cmap(norm(value))
    text = "black" if 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] > 0.5 else "white"
    rgb = ",".join(str(int(255 * v)) for v in rgba[:3])
    return f"background:rgb({rgb});color:{text}"


def grid_html(
    array: np.ndarray,
    *,
    title: str = "",
    window: tuple[int, int, int, int] | None = None,
    mark: tuple[int, int] | None = None,
    filled: int | None = None,
    origin: tuple[int, int] = (0, 0),
    cmap: str = "viridis",
    limits: tuple[float, float] | None = None,
    colors: Mapping[int, str] | None = None,
) -> str:
    """A small 2-D array as an HTML table with coloured cells and numbers.

    ``window`` (top, left, height, width) outlines cells in orange, ``mark`` (row, col) outlines
    one in red, and ``filled`` shows only the first ``filled`` cells in reading order (the rest
    blank), for an output that fills in as the window slides. ``colors`` gives each value its
    own colour, as in ``plots.show_grid`` (the smiley's 0 white, 2 yellow, 9 black).
    """
    array = np.asarray(array)
    if colors is not None:
        colormap, norm = plots.colour_scale(array, colors)
    elif array.size:
        lo, hi = limits or (float(np.min(array)), float(np.max(array)))
    else:
        lo, hi = 0.0, 1.0
    if colors is None:
        if lo < 0 and limits is None:
            lo, hi, cmap = -max(-lo, hi), max(-lo, hi), plots.DIVERGING
        norm = Normalize(lo, hi if hi > lo else lo + 1)
        colormap = plt.get_cmap(cmap)
    rows = []
    for r in range(array.shape[0]):
        cells = []
        for c in range(array.shape[1]):
            index = r * array.shape[1] + c
            border = "1px solid #999"
            style = f"width:2.4em;height:1.6em;text-align:center;font:12px monospace;border:{border};"
            if filled is not None and index >= filled:
                cells.append(f'<td style="{style}background:#f4f4f4"></td>')
                continue
            style += _cell_style(array[r, c], norm, colormap)
            if window and window[0] <= r < window[0] + window[2] and window[1] <= c < window[1] + window[3]:
                style += ";outline:3px solid #ff7f0e;outline-offset:-3px"
            if mark == (r, c):
                style += f";outline:3px solid {DIFFERENT};outline-offset:-3px"
            cells.append(f'<td style="{style}">{html.escape(explain.number(array[r, c]))}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    note = ""
    if origin != (0, 0):
        note = f" <small>(rows from {origin[0]}, columns from {origin[1]})</small>"
    return (
        "<div style='display:inline-block;margin:4px 12px;vertical-align:top'>"
        f"<b>{html.escape(title)}</b>{note}"
        f"<table style='border-collapse:collapse'>{''.join(rows)}</table></div>"
    )


DIFFERENT = "#d62728"  # red: the first cell where the learner's output differs

_CROP = 12  # larger arrays are shown as a crop of this many rows and columns around the window


def _crop(
    array: np.ndarray, top: int, left: int, height: int, width: int
) -> tuple[np.ndarray, tuple[int, int]]:
    """The part of ``array`` around a window, at most ``_CROP`` cells each way, and its origin."""
    rows, cols = array.shape[:2]
    size_r, size_c = max(_CROP, height + 2), max(_CROP, width + 2)
    r0 = min(max(top - (size_r - height) // 2, 0), max(rows - size_r, 0))
    c0 = min(max(left - (size_c - width) // 2, 0), max(cols - size_c, 0))
    return array[r0 : r0 + size_r, c0 : c0 + size_c], (r0, c0)


# ------------------------------------------------------------------ the stepper


def _call_text(name: str, error: BaseException) -> str:
    where = learner_line(error.__traceback__)
    return f"{name} raised {type(error).__name__}: {error}" + (f" (at {where})" if where else "")


class SlidingWindowStepper(_Shown):
    """Step a window over an image, beside the learner's function and cnnlib's answer.

    Parameters
    ----------
    function : callable
        The learner's ``conv2d(image, kernel, ...)`` (``op="conv"``) or
        ``max_pool2d(feature_map, size, stride)`` / ``avg_pool2d`` (``op="max"``/``"mean"``).
    image : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw), for ``op="conv"``
    op : {"conv", "max", "mean"}
    size : int
        Pooling window size (pooling only).
    stride, padding : int
        Starting values; sliders let the learner change them where the function takes them.
    name : str, optional
        The learner's function's name in messages (default: its ``__name__``).
    colors : dict of int to colour, optional
        A colour for each value of the input, e.g. ``cnnlib.data.SMILEY_COLORS``, so the input
        looks as it does in the lesson's figures (padding zeros included).

    The learner's output and cnnlib's fill in cell by cell as the window moves; the first cell
    where they differ is outlined in red, and a failing function shows its error instead of an
    output. ``position`` (an int) is the current output cell in reading order.
    """

    def __init__(
        self,
        function: Callable,
        image,
        kernel=None,
        *,
        op: str = "conv",
        size: int = 2,
        stride: int | None = None,
        padding: int = 0,
        name: str | None = None,
        colors: Mapping[int, str] | None = None,
    ) -> None:
        if op not in ("conv", "max", "mean"):
            raise ValueError(f"op must be 'conv', 'max' or 'mean', got {op!r}")
        self.image = np.asarray(image)
        if self.image.ndim != 2:
            raise ValueError(f"image must be a 2-D grid (H, W), got shape {self.image.shape}")
        if op == "conv":
            if kernel is None or np.ndim(kernel) != 2:
                raise ValueError("a convolution stepper needs a 2-D kernel (kh, kw)")
            self.kernel = np.asarray(kernel)
            self.window_shape = self.kernel.shape
        else:
            self.kernel = None
            self.window_shape = (size, size)
        self.function, self.op, self.size = function, op, size
        self.name = name or getattr(function, "__name__", "your function")
        # conv2d's and the pools' default: a stride of 1 for a convolution, the window's size for a pooling
        self.stride = ops.window_geometry(op, self.window_shape).stride[0] if stride is None else stride
        self.padding = padding
        self.colors = dict(colors) if colors is not None else None
        if self.colors is not None:
            values = set(np.unique(self.image).tolist()) | {0}
            missing = sorted(v for v in values if v not in self.colors)
            if missing:
                raise ValueError(
                    f"colors has no colour for the values {missing} (the image's values, and 0 for padding); "
                    f"it covers {sorted(self.colors)}"
                )
        self.position = 0
        self.moved_from: tuple[int, int] | None = None  # where the still picture started, if it moved
        self._widget = None
        self._compute()

    # -- the numbers

    def _call(self, fn: Callable) -> np.ndarray:
        if self.op == "conv":
            kwargs = {}
            if self.stride != 1:
                kwargs["stride"] = self.stride
            if self.padding:
                kwargs["padding"] = self.padding
            return fn(self.image.copy(), self.kernel.copy(), **kwargs)
        return fn(self.image.copy(), self.size, self.stride)

    def _reference(self) -> np.ndarray:
        if self.op == "conv":
            return ops.conv2d(self.image, self.kernel, stride=self.stride, padding=self.padding)
        pool = ops.max_pool2d if self.op == "max" else ops.avg_pool2d
        return pool(self.image, self.size, self.stride)

    def _compute(self) -> None:
        self.expected = self._reference()
        self.error = ""
        self.yours: np.ndarray | None = None
        try:
            yours = np.asarray(self._call(self.function))
        except Exception as error:  # the learner's bug: shown in the widget, not as a traceback
            self.error = _call_text(self.name, error)
        else:
            if yours.shape != self.expected.shape:
                expected = self.expected.shape
                self.error = f"{self.name} returned shape {yours.shape}; cnnlib's answer has shape {expected}"
            elif yours.dtype.kind not in "biuf":
                self.error = f"{self.name} returned an array of dtype {yours.dtype}, not numbers"
            else:
                self.yours = yours
        self.padded = self.geometry.pad(self.image)
        self.first_difference = None
        if self.yours is not None:
            wrong = ~np.isclose(self.yours.astype(float), self.expected.astype(float), rtol=1e-6, atol=1e-9)
            if wrong.any():
                self.first_difference = tuple(int(i) for i in np.argwhere(wrong)[0])
        self.count = int(self.expected.size)
        self.position = min(self.position, self.count - 1)

    def _find_a_difference(self) -> None:
        """Move to the first of stride 2, padding 1, or both, where the learner's convolution
        differs from cnnlib's; stay put when it agrees everywhere or cannot take them."""
        if self.op != "conv" or self.first_difference is not None or self.error:
            return
        start = (self.stride, self.padding)
        for stride, padding in ((2, start[1]), (start[0], 1), (2, 1)):
            if (stride, padding) == start:
                continue
            self.set_geometry(stride=stride, padding=padding)
            if "unexpected keyword argument" in self.error:
                continue  # a function without stride or padding: nothing to compare there
            if self.first_difference is not None or self.error:
                self.moved_from = start
                return
        self.set_geometry(stride=start[0], padding=start[1])

    def _output_scale(self) -> tuple[str, float, float]:
        """Colormap and range of both outputs: centred at zero when cnnlib's has negative values."""
        lo, hi = float(self.expected.min()), float(self.expected.max())
        if lo < 0:
            limit = max(-lo, hi)
            return plots.DIVERGING, -limit, limit
        return plots.SEQUENTIAL, lo, hi

    def cell(self, position: int | None = None) -> tuple[int, int]:
        """The output cell (row, column) of a position in reading order."""
        position = self.position if position is None else position
        return divmod(position, self.expected.shape[1])

    @property
    def geometry(self) -> ops.WindowGeometry:
        """Where the windows lie at the current stride and padding (cnnlib's one window geometry)."""
        return ops.window_geometry(self.op, self.window_shape, self.stride, self.padding)

    def window(self, position: int | None = None) -> tuple[int, int, int, int]:
        """The input window (top, left, height, width), in the padded image, of a position."""
        top, bottom, left, right = self.geometry.bounds(*self.cell(position))
        return top, left, bottom - top, right - left

    def arithmetic(self, position: int | None = None) -> str:
        """The step written out: ``1*0 + 2*2 + ... = 29``, or ``max(0, 2, 9, 2) = 9``."""
        top, left, kh, kw = self.window(position)
        values = self.padded[top : top + kh, left : left + kw]
        if self.op == "conv":
            text, total = explain.weighted_sum(values, self.kernel)
        else:
            text, total = explain.pooled(values, self.op)
        return f"{text} = {explain.number(total)}"

    # -- the live view

    def _view(self) -> str:
        top, left, kh, kw = self.window()
        r, c = self.cell()
        shown, origin = (self.padded, (0, 0))
        if max(self.padded.shape) > _CROP + 4:
            shown, origin = _crop(self.padded, top, left, kh, kw)
        window = (top - origin[0], left - origin[1], kh, kw)
        title = "input" + (f" with padding {self.padding}" if self.padding else "")
        parts = [grid_html(shown, title=title, window=window, origin=origin, colors=self.colors)]
        values = self.padded[top : top + kh, left : left + kw]
        if self.op == "conv":
            parts.append(grid_html(self.kernel, title="kernel"))
            parts.append(grid_html(values.astype(float) * self.kernel, title="products"))
        else:
            parts.append(grid_html(values, title=f"window ({self.op})"))
        out_parts = []
        cmap, lo, hi = self._output_scale()
        for label, out in (("yours", self.yours), ("cnnlib", self.expected)):
            if out is None:
                continue
            o_shown, o_origin, filled = out, (0, 0), self.position + 1
            if max(out.shape) > _CROP + 4:
                o_shown, o_origin = _crop(out, r, c, 1, 1)
                filled = None
            mark = None
            if self.first_difference is not None and self.position >= self.cell_index(self.first_difference):
                d = self.first_difference
                mark = (d[0] - o_origin[0], d[1] - o_origin[1])
            out_parts.append(
                grid_html(
                    o_shown,
                    title=label,
                    filled=filled,
                    mark=mark,
                    origin=o_origin,
                    cmap=cmap,
                    limits=(lo, hi),
                )
            )
        status = self._status()
        return (
            f"<div>{''.join(parts)}</div>"
            f"<div style='font:14px monospace;margin:6px 12px'>output row {r}, column {c}: "
            f"{html.escape(self.arithmetic())}</div>"
            f"<div>{''.join(out_parts)}</div>{status}"
        )

    def cell_index(self, cell: tuple[int, int]) -> int:
        return cell[0] * self.expected.shape[1] + cell[1]

    def _status(self) -> str:
        if self.error:
            return f"<div style='color:#d62728;margin:6px 12px'><b>{html.escape(self.error)}</b></div>"
        if self.first_difference is None:
            agrees = f"{html.escape(self.name)} agrees with cnnlib everywhere."
            return f"<div style='color:#2ca02c;margin:6px 12px'>{agrees}</div>"
        r, c = self.first_difference
        return (
            f"<div style='color:#d62728;margin:6px 12px'>First difference at row {r}, column {c} "
            f"(outlined in red): yours {explain.number(self.yours[r, c])}, cnnlib "
            f"{explain.number(self.expected[r, c])}. Move the slider to position "
            f"{self.cell_index((r, c))} to see its window.</div>"
        )

    @property
    def widget(self):
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._build()
        return self._widget

    def _build(self) -> None:
        import ipywidgets as w

        self.slider = w.IntSlider(0, 0, self.count - 1, description="position", continuous_update=True)
        self.play = w.Play(value=0, min=0, max=self.count - 1, interval=500, description="play")
        w.jslink((self.play, "value"), (self.slider, "value"))
        self.html = w.HTML(self._view())
        self.slider.observe(lambda change: self.show_position(change["new"]), names="value")
        controls = [self.play, self.slider]
        if self.op == "conv":
            self.stride_slider = w.IntSlider(self.stride, 1, 3, description="stride")
            self.padding_slider = w.IntSlider(self.padding, 0, 2, description="padding")
            self.stride_slider.observe(lambda ch: self.set_geometry(stride=ch["new"]), names="value")
            self.padding_slider.observe(lambda ch: self.set_geometry(padding=ch["new"]), names="value")
            controls += [self.stride_slider, self.padding_slider]
        self._widget = w.VBox([w.HBox(controls), self.html])

    def show_position(self, position: int) -> None:
        """Move the window to output cell ``position`` (reading order) and redraw."""
        self.position = int(np.clip(position, 0, self.count - 1))
        if self._widget is not None:
            self.html.value = self._view()

    def set_geometry(self, stride: int | None = None, padding: int | None = None) -> None:
        """Change stride or padding, call the learner's function again, and redraw."""
        self.stride = self.stride if stride is None else int(stride)
        self.padding = self.padding if padding is None else int(padding)
        self._compute()
        if self._widget is not None:
            for control in (self.slider, self.play):
                control.max = self.count - 1
            self.html.value = self._view()

    # -- the static figure

    def static_figure(self, steps: int = 3):
        """The kernel, the window at its first positions (and at the first difference, outlined
        in red with both sums), and both outputs.

        A convolution that agrees with cnnlib at its starting stride and padding is also tried
        with stride 2 and padding 1: the picture then shows the first setting where it differs.
        """
        self._find_a_difference()
        positions = list(range(min(steps, self.count)))
        if self.first_difference is not None:
            positions.append(self.cell_index(self.first_difference))
        positions = sorted(set(positions))
        kernel_panel = self.kernel is not None
        panels = len(positions) + 2 + kernel_panel
        widths = (
            ([max(self.kernel.shape[1], 3)] if kernel_panel else [])
            + [max(self.padded.shape[1], 4)] * len(positions)
            + [max(self.expected.shape[1], 4)] * 2
        )
        fig, axes = plt.subplots(1, panels, figsize=(min(2.6 * panels + 1, 22), 3.9), width_ratios=widths)
        if kernel_panel:
            plots.show_grid(self.kernel, ax=axes[0], title="kernel")
        small = max(self.padded.shape) <= 16
        for ax, position in zip(axes[kernel_panel:], positions):
            top, left, kh, kw = self.window(position)
            r, c = self.cell(position)
            differs = self.first_difference == (r, c)
            plots.show_grid(
                self.padded,
                ax=ax,
                colors=self.colors,
                numbers=small,
                highlight=(top, left, kh, kw),
                highlight_color=DIFFERENT if differs else plots.HIGHLIGHT,
                title=f"output row {r}, column {c}" + (" (differs)" if differs else ""),
            )
            terms, _, total = self.arithmetic(position).rpartition(" = ")
            terms = terms.replace(" + ", " +\n", 2) if len(terms) > 30 else terms
            if differs:
                total += f", yours: {explain.number(self.yours[r, c])}"
            ax.set_xlabel(f"{terms}\n= {total}", fontsize=8, color=DIFFERENT if differs else "black")
        cmap, lo, hi = self._output_scale()
        limits = dict(cmap=cmap, vmin=lo, vmax=hi + 1e-9)
        small_out = max(self.expected.shape) <= 16
        plots.show_grid(self.expected, ax=axes[-1], numbers=small_out, title="cnnlib", **limits)
        if self.yours is not None:
            d = self.first_difference
            plots.show_grid(
                self.yours,
                ax=axes[-2],
                numbers=small_out,
                highlight=None if d is None else (d[0], d[1], 1, 1),
                highlight_color=DIFFERENT,
                title="yours" + ("" if d is None else f": differs at {d}"),
                **limits,
            )
        else:  # the learner's function raised: what it said, kept inside its own panel
            ax = axes[-2]
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(
                "yours: " + ("it raised" if " raised " in self.error else "no grid to compare"),
                color=DIFFERENT,
            )
            width = max(14, int(28 * widths[-2] / max(widths)))
            lines = textwrap.wrap(self.error, width)[:12]
            ax.text(0.04, 0.96, "\n".join(lines), color=DIFFERENT, fontsize=7, va="top", ha="left",
                    transform=ax.transAxes, clip_on=True)  # fmt: skip
        setting = (
            f"stride {self.stride}, padding {self.padding}"
            if self.op == "conv"
            else f"size {self.size}, stride {self.stride}"
        )
        moved = self.moved_from
        why = (
            f" (at stride {moved[0]}, padding {moved[1]} yours agrees with cnnlib; here it does not)"
            if moved is not None
            else ""
        )
        fig.suptitle(
            f"{self.name} with {setting}{why}: the first windows (a still picture; in JupyterLab, sliders)",
            fontsize=10,
        )
        fig.tight_layout()
        return fig


# ------------------------------------------------------------------ the filter explorer

PRESETS: dict[str, np.ndarray] = {
    "vertical edges": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float32),
    "horizontal edges": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype=np.float32),
    "blur": np.full((3, 3), 1 / 9, dtype=np.float32),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32),
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float32),
}


_BY = "\u00d7"  # the multiplication sign of "510 x 510"


def _gray(image: np.ndarray) -> np.ndarray:
    """A photo as float32 grayscale in 0..1 (luminance weights for colour)."""
    image = np.asarray(image, dtype=np.float32) / 255.0
    if image.ndim == 3:
        image = image @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.ascontiguousarray(image)


def _colour(image: np.ndarray) -> np.ndarray:
    """A photo as float32 (H, W, 3) in 0..1; a gray photo gets the same value in all three channels."""
    image = np.asarray(image, dtype=np.float32) / 255.0
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return np.ascontiguousarray(image[..., :3])


_ONES = np.ones((3, 3), dtype=np.float32)
# The colour presets: lesson 07's photo filters (3x3x3, one slice per channel).
COLOUR_PRESETS: dict[str, np.ndarray] = {
    **{name: np.stack([kernel] * 3, axis=-1) / 3 for name, kernel in PRESETS.items() if name != "identity"},
    "red - green": np.stack([_ONES / 9, -_ONES / 9, 0 * _ONES], axis=-1),
    "blue - yellow": np.stack([-_ONES / 18, -_ONES / 18, _ONES / 9], axis=-1),
}
CHANNELS = ("red", "green", "blue")


class FilterExplorer(_Shown):
    """Sliders for a 3x3 filter over a real photo: input, feature map, ReLU, 2x2 max pooling.

    Parameters
    ----------
    photos : sequence of str
        Names for ``cnnlib.data.load_image``; colour photos are shown in gray (luminance), except
        with ``colour``.
    preset : str
        A key of ``PRESETS`` (``COLOUR_PRESETS`` with ``colour``), or "random", to start from.
    seed : int
        Seed of the "random" preset's generator.
    colour : bool
        Lesson 07's k x k x 3 filters on the colour photo: the filter is (3, 3, 3), the nine
        sliders edit the slice of the channel chosen in the "channel" menu, and the feature map
        adds the three channels' sums up (``ops.conv2d`` with a bank of one filter).

    The feature map is the valid convolution of lesson 04 (no padding: H - 2 by W - 2 for a 3x3
    filter). It is drawn as the lessons draw feature maps: a diverging colormap centred at zero
    (red positive, blue negative) when it has negative values, else viridis from 0 (dark purple) to
    its largest value; the ReLU and pooled maps share one viridis scale starting at zero.
    ``kernel`` is the current filter, ``preset`` its name ("your own" once a slider moved it),
    ``maps`` the arrays on show, ``seconds`` the time the last update took.
    """

    def __init__(
        self,
        photos: Sequence[str] = ("camera", "coins", "astronaut", "chelsea"),
        preset: str = "vertical edges",
        seed: int = 0,
        colour: bool = False,
    ) -> None:
        unknown = [p for p in photos if p not in data.SAMPLE_IMAGES]
        if unknown or not photos:
            raise ValueError(f"photos must be names from cnnlib.data.SAMPLE_IMAGES; unknown: {unknown}")
        self.photos = list(photos)
        self.colour = colour
        self.channel = 0  # the slice the sliders edit, in colour
        self.rng = np.random.default_rng(seed)
        self.kernel = self._preset(preset)
        self.preset = preset
        self.seconds = 0.0
        self._widget = None
        self._images: dict[str, np.ndarray] = {}
        self.load(self.photos[0])

    @property
    def presets(self) -> dict[str, np.ndarray]:
        return COLOUR_PRESETS if self.colour else PRESETS

    def _preset(self, name: str) -> np.ndarray:
        if name == "random":
            shape = (3, 3, 3) if self.colour else (3, 3)
            return np.round(self.rng.normal(0, 1, shape), 1).astype(np.float32)
        if name not in self.presets:
            raise ValueError(f"unknown preset {name!r}; choose one of {[*self.presets, 'random']}")
        return self.presets[name].astype(np.float32)

    def load(self, photo: str) -> None:
        """Switch to another photo and recompute."""
        if photo not in self._images:
            self._images[photo] = (_colour if self.colour else _gray)(data.load_image(photo))
        self.photo, self.image = photo, self._images[photo]
        self._input_jpeg = None
        self.compute()

    def compute(self) -> dict[str, np.ndarray]:
        """The feature map of the current filter, after ReLU and after 2x2 max pooling."""
        self.maps = self.maps_of(self.kernel)
        return self.maps

    def maps_of(self, kernel: np.ndarray) -> dict[str, np.ndarray]:
        """The panels' arrays for ``kernel`` on the current photo."""
        if self.colour:  # one k x k x 3 filter: a bank of one, its single map
            feature = ops.conv2d(self.image, kernel[None])[:, :, 0]
        else:
            feature = ops.conv2d(self.image, kernel)  # valid, as in lesson 04: no padding, no border
        after_relu = ops.relu(feature)
        pooled = ops.max_pool2d(after_relu, 2)
        return {
            "input": self.image,
            "feature map": feature,
            "after ReLU": after_relu,
            "after 2x2 max pool": pooled,
        }

    def scales(self, maps: dict[str, np.ndarray] | None = None) -> dict[str, tuple[str, float, float]]:
        """Colormap and range of each panel, chosen as the lessons' feature-map figures choose them."""
        maps = self.maps if maps is None else maps
        feature = maps["feature map"]
        lo, hi = float(feature.min()), float(feature.max())
        if lo < 0:
            limit = max(-lo, hi) or 1.0
            feature_scale = (plots.DIVERGING, -limit, limit)
        else:
            feature_scale = (plots.SEQUENTIAL, 0.0, hi or 1.0)
        top = float(maps["after ReLU"].max()) or 1.0
        return {
            "input": ("gray", 0.0, 1.0),
            "feature map": feature_scale,
            "after ReLU": (plots.SEQUENTIAL, 0.0, top),
            "after 2x2 max pool": (plots.SEQUENTIAL, 0.0, top),
        }

    def labels(self, maps: dict[str, np.ndarray] | None = None) -> dict[str, str]:
        """Each panel's heading, with its shape: the sizes of lessons 04 and 06, live."""
        h, w = self.image.shape[:2]
        maps = self.maps if maps is None else maps
        fh, fw = maps["feature map"].shape
        ph, pw = maps["after 2x2 max pool"].shape
        return {
            "input": f"input {h} {_BY} {w}",
            "feature map": f"feature map {fh} {_BY} {fw} (valid)",
            "after ReLU": f"after ReLU {fh} {_BY} {fw}",
            "after 2x2 max pool": f"after 2 {_BY} 2 max pool {ph} {_BY} {pw}",
        }

    def _jpegs(self) -> dict[str, bytes]:
        scales = self.scales()
        if self._input_jpeg is None:
            rgb = (self.image * 255).astype(np.uint8) if self.colour else to_rgb(self.image, *scales["input"])
            self._input_jpeg = to_jpeg(rgb)
        jpegs = {"input": self._input_jpeg}
        for name in ("feature map", "after ReLU", "after 2x2 max pool"):
            jpegs[name] = to_jpeg(to_rgb(self.maps[name], *scales[name]))
        return jpegs

    def set_kernel(self, kernel) -> None:
        """Use another 3x3 filter: recompute and redraw (what every slider does)."""
        import time

        start = time.perf_counter()
        kernel = np.asarray(kernel, dtype=np.float32)
        shape = (3, 3, 3) if self.colour else (3, 3)
        if kernel.shape != shape:
            size = "3x3x3 (one 3x3 slice per channel)" if self.colour else "3x3"
            raise ValueError(f"the explorer's filter is {size}, got shape {kernel.shape}")
        self.kernel = kernel + np.float32(0)  # -0.0 becomes 0.0: no "-0.0" in the filter's cells
        self.compute()
        if self._widget is not None:
            for name, value in self._jpegs().items():
                if self.panels[name].value != value:
                    self.panels[name].value = value
            for name, text in self.labels().items():
                self.headings[name].value = f"<b>{text}</b>"
            self.title.value = f"<b>{self.preset}</b> filter on <b>{self.photo}</b>"
        self.seconds = time.perf_counter() - start

    @property
    def widget(self):
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._build()
        return self._widget

    def _build(self) -> None:
        import ipywidgets as w

        shown = self._slice()
        self.sliders = [
            w.FloatSlider(
                float(shown[i, j]),
                min=-3,
                max=3,
                step=0.01 if self.colour else 0.1,
                readout_format=".2f" if self.colour else ".1f",
                layout=w.Layout(width="220px"),
                description=f"w[{i},{j}]",
                continuous_update=True,
            )
            for i in range(3)
            for j in range(3)
        ]
        for slider in self.sliders:
            slider.observe(self._on_slider, names="value")
        self.preset_menu = w.Dropdown(
            options=[*self.presets, "random"], value=self.preset, description="preset"
        )
        self.channel_menu = w.Dropdown(
            options=list(CHANNELS), value=CHANNELS[self.channel], description="channel"
        )
        self.channel_menu.observe(lambda ch: self._on_channel(CHANNELS.index(ch["new"])), names="value")
        self.preset_menu.observe(lambda ch: self.apply_preset(ch["new"]), names="value")
        self.photo_menu = w.Dropdown(options=self.photos, value=self.photo, description="photo")
        self.photo_menu.observe(lambda ch: self._on_photo(ch["new"]), names="value")
        jpegs = self._jpegs()
        self.panels = {
            name: w.Image(value=value, format="jpeg", layout=w.Layout(width="260px"))
            for name, value in jpegs.items()
        }
        self.headings = {name: w.HTML(f"<b>{text}</b>") for name, text in self.labels().items()}
        self.title = w.HTML(f"<b>{self.preset}</b> filter on <b>{self.photo}</b>")
        boxes = [w.VBox([self.headings[name], image]) for name, image in self.panels.items()]
        grid = w.GridBox(self.sliders, layout=w.Layout(grid_template_columns="repeat(3, 230px)"))
        menus = [self.photo_menu, self.preset_menu] + ([self.channel_menu] if self.colour else [])
        self._widget = w.VBox([w.HBox([*menus, self.title]), grid, w.HBox(boxes)])
        self._quiet = False

    def _on_slider(self, change) -> None:
        if getattr(self, "_quiet", False):
            return
        self.preset = "your own"  # the preset's name no longer says what the filter is
        values = np.array([s.value for s in self.sliders], dtype=np.float32).reshape(3, 3)
        if self.colour:
            kernel = self.kernel.copy()
            kernel[:, :, self.channel] = values
            self.set_kernel(kernel)
        else:
            self.set_kernel(values)

    def _slice(self) -> np.ndarray:
        """The 3x3 weights the sliders show: the filter, or in colour its chosen channel's slice."""
        return self.kernel[:, :, self.channel] if self.colour else self.kernel

    def _show_slice(self) -> None:
        self._quiet = True
        try:
            for slider, value in zip(self.sliders, self._slice().ravel()):
                slider.value = float(value)
        finally:
            self._quiet = False

    def _on_channel(self, channel: int) -> None:
        """In colour: the sliders now show (and edit) this channel's slice of the filter."""
        self.channel = channel
        if self._widget is not None:
            self._show_slice()

    def apply_preset(self, name: str) -> None:
        """Set the sliders to a preset filter (one redraw, not nine)."""
        kernel = self._preset(name)
        self.preset = name
        self.kernel = kernel
        if self._widget is not None:
            self._show_slice()
        self.set_kernel(kernel)

    def _on_photo(self, photo: str) -> None:
        self.load(photo)
        if self._widget is not None:
            self.set_kernel(self.kernel)

    def static_figure(self):
        """The four panels for the current filter, with the filter's numbers.

        A filter whose weights add up to 0 (an edge filter) gets a second row: the same weights
        with their signs swapped. Together the rows answer what lesson 07 asks of the explorer
        where no sliders run: which weights find edges going the other way, and what such a filter
        does to flat areas (both rows are 0 there).
        """
        first = 1.4 if self.colour else 0.6
        kernels = [self.kernel]
        if abs(float(self.kernel.sum())) < 1e-6 and np.abs(self.kernel).max() > 0:
            kernels.append(-self.kernel + np.float32(0))
        fig, grid = plt.subplots(
            len(kernels),
            5,
            figsize=(17, 3.6 * len(kernels)),
            gridspec_kw={"width_ratios": [first, 1, 1, 1, 1]},
        )
        grid = np.atleast_2d(grid)
        for row, (axes, kernel) in enumerate(zip(grid, kernels)):
            maps = self.maps if row == 0 else self.maps_of(kernel)
            title = "filter" if row == 0 else "signs swapped"
            if self.colour:  # the three slices side by side
                slices = np.concatenate([kernel[:, :, c] for c in range(3)], axis=1)
                plots.show_grid(slices, ax=axes[0], title=f"{title}: red | green | blue", fmt=".2f")
            else:
                plots.show_grid(kernel, ax=axes[0], title=title, fmt=".1f")
            settings, labels = self.scales(maps), self.labels(maps)
            for ax, (name, array) in zip(axes[1:], maps.items()):
                cmap, lo, hi = settings[name]
                ax.imshow(array, cmap=cmap, vmin=lo, vmax=hi)
                ax.set_title(labels[name], fontsize=10)
                ax.axis("off")
        title = f"{self.preset} filter on {self.photo} (static view; the sliders need JupyterLab)"
        if len(kernels) > 1:
            title += (
                "\nBelow: its signs swapped, which finds the opposite (green, not red, for red - green). "
                "Flat gray areas: 0 in both."
                if self.colour
                else "\nBelow: its signs swapped, for edges the other way round. Flat areas: 0 in both."
            )
        fig.suptitle(title)
        fig.tight_layout()
        return fig
