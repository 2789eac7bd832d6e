"""Lesson 07 (filter banks): a filter bank on a colour image, one slice per channel."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..notebook import InputError
from .base import DIVERGING
from .grids import show_grid

__all__ = ["CHANNEL_NAMES", "show_filter_channels"]


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
        raise InputError(f"bank must be (F, kh, kw, C), one filter per row; got shape {np.shape(bank)}")
    count, kh, kw, channels = array.shape
    if not 1 <= channels <= 8:
        raise InputError(f"show_filter_channels draws up to 8 channels; the bank has {channels}")
    if titles is not None and len(titles) != count:
        raise InputError(f"got {len(titles)} titles for {count} filters")
    if channel_names is None:
        channel_names = CHANNEL_NAMES if channels == 3 else tuple(f"channel {c}" for c in range(channels))
    if len(channel_names) != channels:
        raise InputError(f"got {len(channel_names)} channel names for {channels} channels")
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
