"""Figures for the lessons, one module per topic: grids with their numbers, photos, channels,
filters, feature maps, pooling windows, class bars, activation curves, convolution steps and
training curves.

``from cnnlib import plots; plots.show_grid(...)`` finds every figure here, whichever module
draws it. Every function draws on the ``ax`` it is given (or a new figure) and returns what it
drew on, so tests and lessons can add to it. Shapes follow the course: images ``(H, W)`` or
``(H, W, 3)``, filter banks ``(F, kh, kw)`` or ``(F, kh, kw, C)``, feature maps ``(H, W, F)``.

- ``base``: colour scales (colour-blind safe) and shared helpers;
- ``grids``: ``show_grid`` and the figures of lesson 01 on (photos, zooms, channels, filters,
  feature maps), which the topic modules draw on;
- ``colour`` (lesson 02), ``outputs`` (03), ``convolution`` (04), ``nonlinearity`` (05),
  ``pooling`` (06), ``filterbanks`` (07), ``deep_stacks`` (08), ``learning`` (09), ``training`` (09-10).
"""

from .base import DIVERGING, HIGHLIGHT, SEQUENTIAL, colour_scale
from .colour import show_rgb_grids, show_swatches
from .convolution import KERNEL_TEXT, TIMES, show_conv_steps
from .deep_stacks import show_fields, show_flatten_order, show_stack
from .filterbanks import CHANNEL_NAMES, show_filter_channels
from .grids import colour_of, show_channels, show_feature_maps, show_filters, show_grid, show_image, show_zoom
from .learning import mosaic, show_filter_learning, show_learning_rates, show_snapshots, snapshot_maps
from .nonlinearity import show_activation, show_map
from .outputs import NEGATIVE, POSITIVE, UNSIGNED, show_bars
from .pooling import WINDOW_COLOURS, show_pool_windows
from .seeing import occlusion_heat, show_every_layer, show_filter_rows, show_occlusion, show_top_patches
from .training import TrainingPlot, show_training

__all__ = [
    "SEQUENTIAL",
    "DIVERGING",
    "HIGHLIGHT",
    "colour_scale",
    "show_grid",
    "show_image",
    "show_zoom",
    "show_channels",
    "show_filters",
    "show_feature_maps",
    "colour_of",
    "show_swatches",
    "show_rgb_grids",
    "POSITIVE",
    "NEGATIVE",
    "UNSIGNED",
    "show_bars",
    "KERNEL_TEXT",
    "TIMES",
    "show_conv_steps",
    "show_map",
    "show_activation",
    "WINDOW_COLOURS",
    "show_pool_windows",
    "CHANNEL_NAMES",
    "show_filter_channels",
    "show_stack",
    "show_fields",
    "show_flatten_order",
    "show_filter_learning",
    "show_learning_rates",
    "mosaic",
    "snapshot_maps",
    "show_snapshots",
    "show_filter_rows",
    "show_every_layer",
    "show_top_patches",
    "show_occlusion",
    "occlusion_heat",
    "show_training",
    "TrainingPlot",
]

# In a notebook, a figure's complaint about its input (InputError) shows as its message alone.
from ..notebook import show_briefly

show_briefly()
