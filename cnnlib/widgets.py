"""Interactive widgets: a sliding-window stepper on the learner's own code, a filter explorer, and a
receptive-field explorer (lesson 08: pick a unit of a deep stack, see where it looks).

All three run in JupyterLab with ipywidgets and answer a slider within a frame: nothing is re-plotted
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

__all__ = [
    "live",
    "SlidingWindowStepper",
    "FilterExplorer",
    "ReceptiveFieldExplorer",
    "FilterSnapshots",
    "DigitPad",
    "PRESETS",
]


def live() -> bool:
    """Whether a widget front end will show widgets: a kernel that JupyterLab (a Jupyter server) runs.

    ``CNNLIB_WIDGETS=static`` or ``=live`` in the environment overrides the guess.
    """
    choice = os.environ.get("CNNLIB_WIDGETS", "").lower()
    if choice in ("static", "live"):
        return choice == "live"
    return bool(os.environ.get("JPY_SESSION_NAME"))


class _Shown:
    """Shows itself as the widget when live, else as the static figure (a PNG). A subclass builds
    its ipywidgets in ``_build`` (setting ``_widget``) and draws ``static_figure``."""

    _widget = None

    @property
    def widget(self):
        """The ipywidgets box (made on first use)."""
        if self._widget is None:
            self._build()
        return self._widget

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


# ------------------------------------------------------------------ receptive fields (lesson 08)


class ReceptiveFieldExplorer(_Shown):
    """Pick one unit of a conv and pool stack: where it looks, on the input and on every layer between.

    Parameters
    ----------
    image : array_like, shape (H, W)
        The input (a gray photo, the smiley, a digit).
    layers : list of tuple
        Conv and pool layer descriptions, as in lesson 08: ``("conv", filters, size, stride,
        padding)``, ``("pool", size, stride)``.
    maps : list of arrays, optional
        One map ``(H_k, W_k)`` per layer to draw under the boxes (one channel of each layer's output,
        say); each must have the size ``cnnlib.deep_stacks.shape_after`` gives. Without them, each
        layer is drawn as a checkerboard of its units.
    names : list of str, optional
        One name per layer (default "layer 1", ...).
    layer, row, col : int, optional
        The unit to start from (default: the last layer, its middle unit).

    ``select(layer, row, col)`` picks another unit and redraws (what the menus do); ``boxes()`` gives
    each panel's box, ``(top, left, bottom, right)`` in that panel's cells, bottom and right excluded.
    The box of the chosen unit's layer is the unit itself; on the layers before it, the units it
    depends on, and on the input its receptive field. Padding lets a box reach past an edge (the
    zeros added there): drawn clipped in the widget, dashed in the still picture.
    """

    def __init__(
        self,
        image,
        layers: Sequence[Sequence],
        maps: Sequence[np.ndarray] | None = None,
        names: Sequence[str] | None = None,
        layer: int | None = None,
        row: int | None = None,
        col: int | None = None,
    ) -> None:
        from . import deep_stacks

        image = np.asarray(image, dtype=np.float64)
        if image.ndim != 2:
            raise ValueError(f"image must be one gray image (H, W); got shape {image.shape}")
        self.image = image
        self.layers = [tuple(layer) for layer in layers]
        deep_stacks.receptive_field(self.layers)  # checks the descriptions: conv and pool only
        shape: tuple[int, ...] = (*image.shape, 1)
        self.shapes = []
        for description in self.layers:
            shape = deep_stacks.shape_after(shape, description)
            self.shapes.append(shape[:2])
        if maps is None:
            maps = [(np.add.outer(np.arange(h), np.arange(w)) % 2) * 0.25 + 0.5 for h, w in self.shapes]
            self._checkerboard = True
        else:
            self._checkerboard = False
        if len(maps) != len(self.layers):
            raise ValueError(f"maps must hold one map per layer ({len(self.layers)}); got {len(maps)}")
        self.maps = [np.asarray(m, dtype=np.float64) for m in maps]
        for k, (m, expected) in enumerate(zip(self.maps, self.shapes), 1):
            if m.shape != tuple(expected):
                raise ValueError(
                    f"the map of layer {k} must be {tuple(expected)} (one channel); got {m.shape}"
                )
        self.names = (
            list(names) if names is not None else [f"layer {k}" for k in range(1, len(self.layers) + 1)]
        )
        if len(self.names) != len(self.layers):
            raise ValueError(
                f"names must hold one name per layer ({len(self.layers)}); got {len(self.names)}"
            )
        self._widget = None
        last = len(self.layers) if layer is None else layer
        h, w = self.shapes[min(max(last, 1), len(self.layers)) - 1]  # a wrong layer is told by select
        self.select(last, h // 2 if row is None else row, w // 2 if col is None else col)

    def select(self, layer: int, row: int, col: int) -> None:
        """Pick unit (row, col) of ``layer`` (1 = the first layer's output); out-of-range rows and
        columns are moved to the nearest unit. Redraws the widget when it is shown."""
        if not 1 <= layer <= len(self.layers):
            raise ValueError(f"layer must be 1 to {len(self.layers)}; got {layer}")
        h, w = self.shapes[layer - 1]
        self.layer, self.row, self.col = (
            int(layer),
            int(min(max(row, 0), h - 1)),
            int(min(max(col, 0), w - 1)),
        )
        if self._widget is not None:
            self._redraw()

    def boxes(self) -> list[tuple[int, int, int, int] | None]:
        """One box per panel (the input, then each layer): None on the layers after the chosen one."""
        from . import deep_stacks

        boxes: list[tuple[int, int, int, int] | None] = []
        for start in range(len(self.layers) + 1):
            if start < self.layer:
                boxes.append(deep_stacks.field_box(self.layers[start : self.layer], self.row, self.col))
            elif start == self.layer:
                boxes.append((self.row, self.col, self.row + 1, self.col + 1))
            else:
                boxes.append(None)
        return boxes

    @property
    def field(self) -> int:
        """The side of the chosen unit's receptive field, in input pixels."""
        top, _, bottom, _ = self.boxes()[0]
        return bottom - top

    def _panels(self) -> list[tuple[str, np.ndarray]]:
        return [("input", self.image), *zip(self.names, self.maps)]

    def caption(self) -> str:
        name = self.names[self.layer - 1]
        return (
            f"unit (row {self.row}, column {self.col}) of {name} sees {self.field} {_BY} {self.field} "
            "input pixels"
        )

    # -------------------------------------------------------------- live view

    def _picture(self, values: np.ndarray, box, gray: bool) -> np.ndarray:
        """A panel as RGB, enlarged to about 220 pixels, with its box outlined (clipped to the panel)."""
        if gray:
            rgb = to_rgb(values, "gray", float(values.min()), float(values.max()) or 1.0)
        elif values.min() < 0:
            limit = float(np.abs(values).max()) or 1.0
            rgb = to_rgb(values, plots.DIVERGING, -limit, limit)
        else:
            rgb = to_rgb(
                values, "gray" if self._checkerboard else plots.SEQUENTIAL, 0.0, float(values.max()) or 1.0
            )
        scale = max(1, 220 // max(values.shape))
        rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
        if box is not None:
            height, width = rgb.shape[:2]
            top, left, bottom, right = (
                int(np.clip(v * scale, 0, side)) for v, side in zip(box, (height, width) * 2)
            )
            colour = np.array([255, 127, 14], dtype=np.uint8)  # plots.HIGHLIGHT
            thick = 3
            rgb[top : top + thick, left:right] = colour
            rgb[max(bottom - thick, 0) : bottom, left:right] = colour
            rgb[top:bottom, left : left + thick] = colour
            rgb[top:bottom, max(right - thick, 0) : right] = colour
        return np.ascontiguousarray(rgb)

    def _jpegs(self) -> list[bytes]:
        return [
            to_jpeg(self._picture(values, box, gray=index == 0))
            for index, ((_, values), box) in enumerate(zip(self._panels(), self.boxes()))
        ]

    def _build(self) -> None:
        import ipywidgets as w

        self.layer_menu = w.Dropdown(
            options=[(name, k) for k, name in enumerate(self.names, 1)], value=self.layer, description="layer"
        )
        h, w_ = self.shapes[self.layer - 1]
        self.row_slider = w.IntSlider(self.row, min=0, max=h - 1, description="row", continuous_update=True)
        self.col_slider = w.IntSlider(
            self.col, min=0, max=w_ - 1, description="column", continuous_update=True
        )
        self.layer_menu.observe(lambda change: self._on_layer(change["new"]), names="value")
        for slider in (self.row_slider, self.col_slider):
            slider.observe(lambda change: self._on_unit(), names="value")
        self.images = [
            w.Image(value=jpeg, format="jpeg", layout=w.Layout(width="220px")) for jpeg in self._jpegs()
        ]
        self.headings = [w.HTML() for _ in self.images]
        self.caption_html = w.HTML()
        self._widget = w.VBox(
            [
                w.HBox([self.layer_menu, self.row_slider, self.col_slider]),
                self.caption_html,
                w.HBox([w.VBox([heading, image]) for heading, image in zip(self.headings, self.images)]),
            ]
        )
        self._quiet = False
        self._redraw()

    def _headings(self) -> list[str]:
        texts = []
        for (name, values), box in zip(self._panels(), self.boxes()):
            text = f"<b>{name}</b> {values.shape[0]} {_BY} {values.shape[1]}"
            if box is not None:
                text += f"<br>box {box[2] - box[0]} {_BY} {box[3] - box[1]}"
            texts.append(text)
        return texts

    def _redraw(self) -> None:
        for image, jpeg in zip(self.images, self._jpegs()):
            if image.value != jpeg:
                image.value = jpeg
        for heading, text in zip(self.headings, self._headings()):
            heading.value = text
        self.caption_html.value = f"<b>{html.escape(self.caption())}</b>"

    def _on_layer(self, layer: int) -> None:
        """Another layer: the sliders get its size, and the unit keeps its place in the picture."""
        old_h, old_w = self.shapes[self.layer - 1]
        h, w = self.shapes[layer - 1]
        row, col = round(self.row * h / old_h), round(self.col * w / old_w)
        self._quiet = True
        try:
            self.row_slider.max, self.col_slider.max = h - 1, w - 1
            self.row_slider.value, self.col_slider.value = min(row, h - 1), min(col, w - 1)
        finally:
            self._quiet = False
        self.select(layer, row, col)

    def _on_unit(self) -> None:
        if not getattr(self, "_quiet", False):
            self.select(self.layer, self.row_slider.value, self.col_slider.value)

    # -------------------------------------------------------------- still picture

    def static_figure(self):
        """Every panel with the chosen unit's boxes, and above it the same for a unit of the first
        layer at the same place: the still picture cannot be clicked, so it shows how the field grows."""
        chosen = (self.layer, self.row, self.col)
        units = [chosen]
        if self.layer > 1:
            (h, w), (last_h, last_w) = self.shapes[0], self.shapes[self.layer - 1]
            units.insert(0, (1, round(self.row * h / last_h), round(self.col * w / last_w)))
        count = len(self.layers) + 1
        fig = plt.figure(figsize=(2.8 * count, 3.6 * len(units)), layout="constrained")
        rows = np.atleast_1d(fig.subfigures(len(units), 1))
        try:
            for row, unit in zip(rows, units):
                self.select(*unit)
                panels = [(name, values, box) for (name, values), box in zip(self._panels(), self.boxes())]
                plots.show_fields(panels, axes=list(row.subplots(1, count)), title=self.caption())
        finally:
            self.select(*chosen)
        fig.suptitle(
            "Static view: in JupyterLab, a menu and two sliders pick any unit of any layer.",
            fontsize=10,
            color="0.35",
        )
        return fig


# ------------------------------------------------------------------ filters learning (lesson 09)


def _rgb_of(values: np.ndarray, cmap: str, vmin: float, vmax: float) -> np.ndarray:
    """``to_rgb`` with NaN (the gaps of a ``plots.mosaic``) drawn white."""
    rgb = to_rgb(np.nan_to_num(values, nan=vmin), cmap, vmin, vmax)
    rgb[np.isnan(values)] = 255
    return rgb


def to_png(rgb: np.ndarray) -> bytes:
    """Encode an (H, W, 3) uint8 image as PNG bytes: sharp edges for enlarged small grids."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    return buffer.getvalue()


class FilterSnapshots(_Shown):
    """A slider over the first-layer filters saved while a network trained, and one digit's maps.

    Parameters
    ----------
    history : cnnlib.train.History, or a mapping of step -> filters (F, kh, kw, 1)
        ``fit(..., snapshot_steps=...)`` keeps the snapshots in ``history.snapshots``; with a
        History the titles also say the epoch and its test accuracy.
    digit : array_like (8, 8) or (8, 8, 1), optional
        An image whose feature maps (first layer, after ReLU, without the biases) are drawn
        beside the filters.
    ncols : int
        Filters per row.

    The filters share one diverging scale (red positive, blue negative) over all the snapshots, so
    that their growth shows; the maps share one viridis scale from 0. ``step`` is the snapshot on
    show; ``show_step(step)`` is what the slider does.
    """

    SCALE = 16  # screen pixels per filter weight
    MAP_SCALE = 8  # per map value

    def __init__(self, history, digit=None, ncols: int = 8) -> None:
        snapshots = getattr(history, "snapshots", history)
        if not isinstance(snapshots, Mapping) or not snapshots:
            raise ValueError(
                "FilterSnapshots needs snapshots of the first layer's filters: train with "
                "fit(..., snapshot_steps=[0, 10, 20, ...]) and pass the History it returns"
            )
        self.snapshots = {int(s): np.asarray(snapshots[s], float) for s in sorted(snapshots)}
        shapes = {f.shape for f in self.snapshots.values()}
        if len(shapes) != 1 or len(next(iter(shapes))) != 4 or next(iter(shapes))[3] != 1:
            raise ValueError(
                f"every snapshot must be a bank (F, kh, kw, 1) of one shape; got {sorted(shapes)}"
            )
        self.history = None if history is snapshots else history
        self.steps = list(self.snapshots)
        self.ncols = ncols
        self.digit = None if digit is None else np.asarray(digit, float)
        self.limit = max(float(np.abs(f).max()) for f in self.snapshots.values()) or 1.0
        self.maps = {}
        if self.digit is not None:
            self.maps = {s: plots.snapshot_maps(f, self.digit) for s, f in self.snapshots.items()}
        self.top = max((float(m.max()) for m in self.maps.values()), default=1.0) or 1.0
        self.step = self.steps[0]
        self._widget = None

    def caption(self, step: int | None = None) -> str:
        """What the slider's position means: the step, and with a History the epoch and accuracy."""
        step = self.step if step is None else step
        text = f"after {step} training steps" if step else "before training (random filters)"
        if self.history is not None and self.history.steps and step:
            epoch = next((e for e, end in enumerate(self.history.steps) if step <= end), None)
            if epoch is not None and self.history.test_accuracy:
                ended = "end of epoch" if step == self.history.steps[epoch] else "during epoch"
                accuracy = self.history.test_accuracy[epoch]
                text += f" ({ended} {epoch + 1}; test accuracy at its end {accuracy:.1%})"
        return text

    def images(self, step: int) -> dict[str, bytes]:
        """PNG bytes of the filter mosaic (and the maps' mosaic) at a snapshot step."""
        filters = plots.mosaic(self.snapshots[step][..., 0], self.ncols, scale=self.SCALE, gap=4)
        shown = {"filters": to_png(_rgb_of(filters, plots.DIVERGING, -self.limit, self.limit))}
        if self.maps:
            maps = plots.mosaic(self.maps[step], self.ncols, scale=self.MAP_SCALE, gap=4)
            shown["maps"] = to_png(_rgb_of(maps, plots.SEQUENTIAL, 0.0, self.top))
        return shown

    def show_step(self, step: int) -> None:
        """Show the snapshot taken after `step` steps (one of ``steps``)."""
        if step not in self.snapshots:
            raise ValueError(f"no snapshot at step {step}; the snapshots are at steps {self.steps}")
        self.step = step
        if self._widget is not None:
            for name, value in self.images(step).items():
                self.panels[name].value = value
            self.title.value = f"<b>{html.escape(self.caption())}</b>"

    def _build(self) -> None:
        import ipywidgets as w

        self.slider = w.SelectionSlider(
            options=self.steps,
            value=self.step,
            description="step",
            continuous_update=True,
            layout=w.Layout(width="600px"),
        )
        self.slider.observe(lambda change: self.show_step(change["new"]), names="value")
        self.play = w.Play(min=0, max=len(self.steps) - 1, interval=150, description="play")
        self.play.observe(lambda change: setattr(self.slider, "index", change["new"]), names="value")
        images = self.images(self.step)
        self.panels = {name: w.Image(value=value, format="png") for name, value in images.items()}
        headings = {
            "filters": "first-layer filters (red +, blue -, one scale)",
            "maps": "their maps of one digit, after ReLU (no bias)",
        }
        boxes = [w.VBox([w.HTML(f"<b>{headings[name]}</b>"), image]) for name, image in self.panels.items()]
        self.title = w.HTML(f"<b>{html.escape(self.caption())}</b>")
        self._widget = w.VBox([w.HBox([self.play, self.slider]), self.title, w.HBox(boxes)])

    def static_figure(self):
        """Four snapshots, first and last included, as ``plots.show_snapshots`` draws them, each
        captioned as the slider would caption it (the step, and with a History the epoch and its
        test accuracy)."""
        accuracy = {}
        if self.history is not None and self.history.test_accuracy:
            accuracy = {end: acc for end, acc in zip(self.history.steps, self.history.test_accuracy)}
        captions = {step: self.caption(step) for step in self.steps}
        fig = plots.show_snapshots(
            self.snapshots, digit=self.digit, accuracy=accuracy, captions=captions, ncols=self.ncols
        )
        fig.suptitle("static view: in JupyterLab, a slider goes through every saved step", fontsize=10)
        return fig


# ------------------------------------------------------------------ a digit pad (lesson 10)


class DigitPad(_Shown):
    """Draw a digit on an 8 x 8 pad; a trained network's ten probabilities and first layer's maps follow.

    Parameters
    ----------
    net : cnnlib.layers.Sequential
        A network for 8 x 8 digits (input ``(8, 8, 1)``, ten scores), e.g. ``layers.digits_cnn``
        trained as in lesson 09.
    digit : array_like, shape (8, 8) or (8, 8, 1), optional
        A drawing to start from, ink in [0, 1] (1 = darkest), e.g. a test digit; blank if omitted.

    Clicking a cell inks it (1) or, if it is inked at least halfway, clears it (0); the network
    runs again on every change. ``ink`` is the drawing, ``probabilities`` the ten class
    probabilities, ``prediction`` the most likely class, ``maps`` the first layer's maps after its
    ReLU ``(8, 8, F)``, and ``seconds`` what the last update took. Outside JupyterLab the still
    picture shows the starting drawing with its probabilities and maps.
    """

    def __init__(self, net, digit=None) -> None:
        from . import seeing
        from .layers import Sequential

        if not isinstance(net, Sequential) or net.input_shape != (8, 8, 1) or net.output_shape != (10,):
            raise ValueError(
                "net must be a cnnlib.layers.Sequential for 8 x 8 digits: input (8, 8, 1), 10 scores"
            )
        names = list(net.layers)
        if "relu1" not in names:
            raise ValueError(f"net needs a first ReLU layer (relu1) to show its maps; its layers are {names}")
        self._seeing = seeing
        self.net = net
        self._first = names.index("relu1")
        ink = np.zeros((8, 8)) if digit is None else np.asarray(digit, dtype=np.float64).reshape(-1)
        if ink.size != 64:
            raise ValueError(f"digit must be an 8 x 8 drawing; got shape {np.shape(digit)}")
        self.ink = np.clip(ink.reshape(8, 8), 0.0, 1.0)
        self.seconds = 0.0
        self._widget = None
        self.compute()

    def compute(self) -> None:
        """Run the network on the drawing: probabilities, prediction and the first layer's maps."""
        x = self.ink[None, :, :, None].astype(np.float32)
        self.probabilities = self._seeing.probabilities(self.net, x)[0]
        self.prediction = int(np.argmax(self.probabilities))
        self.maps = self._seeing.feature_maps(self.net, x, self._first)[0]

    def toggle(self, row: int, col: int) -> None:
        """What a click on cell (row, col) does: ink it, or clear it if it holds ink; then update."""
        self.ink[row, col] = 0.0 if self.ink[row, col] >= 0.5 else 1.0
        self._update()

    def draw(self, ink) -> None:
        """Replace the whole drawing (8 x 8, ink in [0, 1]) and update."""
        self.ink = np.clip(np.asarray(ink, dtype=np.float64).reshape(8, 8), 0.0, 1.0)
        self._update()

    def clear(self) -> None:
        self.draw(np.zeros((8, 8)))

    def _update(self) -> None:
        import time

        start = time.perf_counter()
        self.compute()
        if self._widget is not None:
            self._redraw()
        self.seconds = time.perf_counter() - start

    # -------------------------------------------------------------- live view

    def prediction_html(self) -> str:
        """The prediction and ten bars, one per class, as HTML (no figure to redraw)."""
        rows = []
        for k, p in enumerate(self.probabilities):
            colour = "#ff7f0e" if k == self.prediction else "#4c72b0"
            width = max(1, round(160 * float(p)))
            rows.append(
                f'<div style="font:12px monospace;height:17px">{k} '
                f'<span style="display:inline-block;width:{width}px;height:11px;background:{colour}"></span>'
                f" {100 * float(p):.1f} %</div>"
            )
        head = (
            f"<b>prediction: {self.prediction}</b> ({100 * float(self.probabilities[self.prediction]):.1f} %)"
        )
        return head + "".join(rows)

    def _maps_jpeg(self) -> bytes:
        maps = self.maps
        count = maps.shape[2]
        cols = 4
        rows = -(-count // cols)
        tile = np.full((rows * 9 - 1, cols * 9 - 1), np.nan)
        for f in range(count):
            r, c = divmod(f, cols)
            tile[r * 9 : r * 9 + 8, c * 9 : c * 9 + 8] = maps[:, :, f]
        top = float(np.nanmax(tile)) or 1.0
        rgb = to_rgb(np.nan_to_num(tile, nan=0.0), plots.SEQUENTIAL, 0.0, top)
        rgb[np.isnan(tile)] = 255
        rgb = np.repeat(np.repeat(rgb, 7, axis=0), 7, axis=1)
        return to_jpeg(np.ascontiguousarray(rgb))

    @staticmethod
    def _cell_colour(value: float) -> str:
        level = round(255 * (1 - value))
        return f"#{level:02x}{level:02x}{level:02x}"

    def _build(self) -> None:
        import ipywidgets as w

        self.cells = []
        for r in range(8):
            for c in range(8):
                cell = w.Button(
                    description="",
                    layout=w.Layout(
                        width="30px", height="30px", padding="0", margin="1px", border="1px solid #bbb"
                    ),
                )
                cell.add_class("digit-pad-cell")
                cell.on_click(lambda _, r=r, c=c: self.toggle(r, c))
                self.cells.append(cell)
        self.clear_button = w.Button(description="clear", layout=w.Layout(width="80px"))
        self.clear_button.on_click(lambda _: self.clear())
        pad = w.GridBox(self.cells, layout=w.Layout(grid_template_columns="repeat(8, 32px)"))
        self.prediction_view = w.HTML()
        self.maps_view = w.Image(format="jpeg", layout=w.Layout(width="250px"))
        count = self.maps.shape[2]
        self._widget = w.HBox(
            [
                w.VBox([w.HTML("<b>draw here</b> (click a cell)"), pad, self.clear_button]),
                w.VBox([w.HTML("<b>the network says</b>"), self.prediction_view]),
                w.VBox([w.HTML(f"<b>first layer: {count} maps after ReLU</b>"), self.maps_view]),
            ],
            layout=w.Layout(gap="24px"),
        )
        self._shown_ink = np.full((8, 8), np.nan)
        self._redraw()

    def _redraw(self) -> None:
        for (r, c), value in np.ndenumerate(self.ink):
            if self._shown_ink[r, c] != value:
                self.cells[r * 8 + c].style.button_color = self._cell_colour(value)
        self._shown_ink = self.ink.copy()
        self.prediction_view.value = self.prediction_html()
        self.maps_view.value = self._maps_jpeg()

    # -------------------------------------------------------------- still picture

    def static_figure(self):
        """The drawing, its ten probabilities and the first layer's maps (the pad needs JupyterLab)."""
        count = self.maps.shape[2]
        fig = plt.figure(figsize=(13, 3.6))
        grid = fig.add_gridspec(2, 3 + count // 2, width_ratios=[2.6, 3.4] + [1] * (count // 2 + 1))
        ax = fig.add_subplot(grid[:, 0])
        ax.imshow(self.ink, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title("the drawing")
        ax.set_xticks([])
        ax.set_yticks([])
        plots.show_bars(
            np.round(100 * self.probabilities),
            ax=fig.add_subplot(grid[:, 1]),
            title=f"prediction: {self.prediction} (probabilities in %)",
            fmt=".0f",
            ylim=(0, 110),
            highlight=[self.prediction],
        )
        top = float(self.maps.max()) or 1.0
        for f in range(count):
            ax = fig.add_subplot(grid[f // (count // 2), 2 + f % (count // 2)])
            ax.imshow(self.maps[:, :, f], cmap=plots.SEQUENTIAL, vmin=0, vmax=top)
            ax.set_title(f"map {f}", fontsize=8)
            ax.axis("off")
        fig.suptitle("static view: in JupyterLab, click the cells to draw and watch the prediction change")
        fig.tight_layout()
        return fig
