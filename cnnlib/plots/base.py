"""The plots' shared ground: colour scales and the small helpers every figure module uses.

Colour choices are colour-blind safe: sequential values use ``viridis`` (or gray for photos),
signed values (filters, feature maps before ReLU) use the diverging ``RdBu_r`` centred at zero,
so zero is white, positive red and negative blue at the same strength for the same size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, Colormap, ListedColormap, Normalize

from ..notebook import InputError

__all__ = ["SEQUENTIAL", "DIVERGING", "HIGHLIGHT", "colour_scale"]


SEQUENTIAL = "viridis"
DIVERGING = "RdBu_r"
HIGHLIGHT = "#ff7f0e"  # orange: stands out on gray, viridis and RdBu alike
_MAX_LABELLED = 24  # grids up to this size get a tick label on every row and column


def _as_2d(grid, what: str = "grid") -> np.ndarray:
    array = np.asarray(grid)
    if array.ndim != 2:
        raise InputError(f"{what} must be 2-D (rows, columns), got shape {array.shape}")
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == np.bool_):
        raise InputError(f"{what} must hold numbers, got dtype {array.dtype}")
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
            raise InputError(f"values {sorted(missing)} have no colour; colors covers {codes}")
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
