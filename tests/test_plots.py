"""Tests of cnnlib.plots: what can be asserted of a figure (texts, colours, scales, layout).

The figures were also checked by eye (rendered to PNG); these tests pin what they must show.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

from cnnlib import data, plots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_show_grid_prints_every_value_in_reading_order():
    ax = plots.show_grid(data.smiley(), colors=data.SMILEY_COLORS)
    assert _texts(ax) == [str(v) for v in data.smiley().ravel()]


def test_show_grid_paints_each_code_in_its_colour_and_keeps_text_readable():
    ax = plots.show_grid(data.smiley(), colors=data.SMILEY_COLORS)
    assert plots.colour_of(ax, 0, 0) == to_rgba("white")
    assert plots.colour_of(ax, 0, 2) == to_rgba("gold")
    assert plots.colour_of(ax, 2, 2) == to_rgba("black")
    by_position = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_color() for t in ax.texts}
    assert by_position[(2, 2)] == "white"  # white number on a black eye
    assert by_position[(0, 0)] == "black"


def test_show_grid_refuses_values_without_a_colour():
    with pytest.raises(ValueError, match=r"values \[5\] have no colour"):
        plots.show_grid(np.array([[0, 5]]), colors={0: "white"})


def test_show_grid_centres_signed_values_at_zero_with_a_diverging_map():
    ax = plots.show_grid(np.array([[-1.0, 0.0, 3.0]]))
    image = ax.get_images()[0]
    assert image.cmap.name == plots.DIVERGING
    assert (image.norm.vmin, image.norm.vmax) == (-3.0, 3.0)
    assert plots.colour_of(ax, 0, 1) == pytest.approx(image.cmap(0.5))  # zero is the middle colour


def test_show_grid_labels_rows_and_columns_from_the_origin_and_outlines_a_window():
    ax = plots.show_grid(np.zeros((3, 4)), origin=(200, 10), highlight=(1, 2, 2, 2), numbers=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["200", "201", "202"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["10", "11", "12", "13"]
    (patch,) = ax.patches
    assert (patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()) == (1.5, 0.5, 2, 2)
    assert len(ax.texts) == 0


def test_show_grid_formats_decimals_and_never_prints_minus_zero():
    ax = plots.show_grid(np.array([[0.5, -0.001, 2.0]]))
    assert _texts(ax) == ["0.50", "0.00", "2"]


def test_show_grid_wants_2d():
    with pytest.raises(ValueError, match=r"grid must be 2-D \(rows, columns\), got shape \(2, 2, 3\)"):
        plots.show_grid(np.zeros((2, 2, 3)))


def test_show_image_uses_the_full_8_bit_range_for_uint8():
    ax = plots.show_image(np.full((4, 4), 100, dtype=np.uint8))
    image = ax.get_images()[0]
    assert (image.norm.vmin, image.norm.vmax) == (0, 255)


def test_show_zoom_outlines_the_patch_and_prints_its_numbers():
    photo = np.arange(400, dtype=np.uint8).reshape(20, 20)
    fig = plots.show_zoom(photo, top=5, left=7, size=3)
    ax_photo, ax_patch = fig.axes
    (outline,) = ax_photo.patches
    assert (outline.get_x(), outline.get_y()) == (6.5, 4.5)
    assert _texts(ax_patch) == [str(v) for v in photo[5:8, 7:10].ravel()]


def test_show_zoom_refuses_a_square_outside_the_image():
    with pytest.raises(ValueError, match="does not fit"):
        plots.show_zoom(np.zeros((10, 10)), top=8, left=0, size=4)


def test_show_channels_draws_each_channel_in_its_own_colour():
    image = np.zeros((2, 2, 3), dtype=np.uint8)
    image[..., 0] = 255
    fig = plots.show_channels(image)
    red_ax, green_ax = fig.axes[1], fig.axes[2]
    red = red_ax.get_images()[0]
    assert red.cmap(red.norm(255))[:3] == pytest.approx((1, 0, 0))
    green = green_ax.get_images()[0]
    assert green.cmap(green.norm(0))[:3] == pytest.approx((0, 0, 0))
    with pytest.raises(ValueError, match="channels R, G, B last"):
        plots.show_channels(np.zeros((3, 2, 2)))


def test_show_filters_shares_one_scale_centred_at_zero():
    bank = np.array([[[1.0, -2.0], [0.0, 0.5]], [[4.0, 0.0], [0.0, 0.0]]])
    fig = plots.show_filters(bank)
    norms = [ax.get_images()[0].norm for ax in fig.axes[:2]]
    assert all((n.vmin, n.vmax) == (-4.0, 4.0) for n in norms)
    assert _texts(fig.axes[0]) == ["1", "-2", "0", "0.50"]
    assert [ax.get_title() for ax in fig.axes[:2]] == ["filter 0", "filter 1"]


def test_show_filters_explains_unsupported_channel_counts():
    with pytest.raises(ValueError, match=r"show one channel: bank\[..., c\]"):
        plots.show_filters(np.zeros((2, 3, 3, 5)))


def test_show_feature_maps_diverging_before_relu_sequential_after():
    rng = np.random.default_rng(0)
    signed = rng.normal(size=(5, 5, 3))
    fig = plots.show_feature_maps(signed)
    assert fig.axes[0].get_images()[0].cmap.name == plots.DIVERGING
    fig = plots.show_feature_maps(np.maximum(signed, 0))
    image = fig.axes[2].get_images()[0]
    assert image.cmap.name == plots.SEQUENTIAL and image.norm.vmin == 0
    assert sum(1 for ax in fig.axes if ax.get_images()) == 3 and len(fig.axes) == 3 + 1  # + colour bar
    with pytest.raises(ValueError, match=r"maps must be \(H, W, F\)"):
        plots.show_feature_maps(np.zeros((5, 5)))


def test_show_feature_maps_can_scale_each_map_on_its_own():
    maps = np.stack([np.array([[0.0, 1.0]]), np.array([[-10.0, 5.0]])], axis=-1)
    fig = plots.show_feature_maps(maps, shared=False)
    first, second = (ax.get_images()[0] for ax in fig.axes[:2])
    assert (first.cmap.name, first.norm.vmin, first.norm.vmax) == (plots.SEQUENTIAL, 0.0, 1.0)
    assert (second.cmap.name, second.norm.vmin, second.norm.vmax) == (plots.DIVERGING, -10.0, 10.0)
    assert len(fig.axes) == 2  # no shared colour bar


# ------------------------------------------------------------------ lesson 06: pooling windows


def _outlines(ax):
    """(top-left corner, width, colour) of every outlined rectangle, in drawing order."""
    return [
        (p.get_xy(), p.get_width(), p.get_edgecolor())
        for p in ax.patches
        if isinstance(p, plt.Rectangle) and not p.get_hatch()
    ]


def test_show_pool_windows_outlines_each_window_in_its_own_colour_over_its_cells():
    grid = np.arange(16).reshape(4, 4)
    ax = plots.show_pool_windows(grid, size=2, stride=2)
    outlines = _outlines(ax)
    assert len(outlines) == 4
    # window (r, c) covers rows 2r..2r+1 and columns 2c..2c+1: its frame lies inside those cells
    for (x, y), width, _ in outlines:
        assert 1.6 < width < 2 and round(x + 0.5) % 2 == 0 and round(y + 0.5) % 2 == 0
    (x, y), _, _ = outlines[1]  # reading order: the second window is the top-right one
    assert x > 1 and y < 0
    colours = [colour for _, _, colour in outlines]
    assert len(set(colours)) == 4
    assert colours == [to_rgba(c) for c in plots.WINDOW_COLOURS[:4]]
    assert _texts(ax) == [str(v) for v in grid.ravel()]  # the numbers are still printed


def test_show_pool_windows_hatches_exactly_the_leftover_row_and_column():
    ax = plots.show_pool_windows(np.zeros((5, 5)), size=2, stride=2)
    hatched = {(round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in ax.patches if p.get_hatch()}
    assert hatched == {(4, c) for c in range(5)} | {(r, 4) for r in range(5)}


def test_show_pool_windows_with_overlap_draws_only_the_chosen_windows_apart():
    ax = plots.show_pool_windows(np.zeros((3, 5)), size=2, stride=1, windows=[(0, 0), (0, 1)])
    (first, w1, c1), (second, w2, c2) = _outlines(ax)
    assert c1 != c2 and first != second
    assert w1 != w2  # overlapping frames sit at different insets, so their shared edges stay apart
    assert not [p for p in ax.patches if p.get_hatch()]  # stride 1 leaves nothing over here


def test_the_pooled_grid_drawn_with_1x1_windows_takes_the_colours_of_the_windows():
    ax_map = plots.show_pool_windows(np.zeros((6, 6)), size=2, stride=2)
    ax_pooled = plots.show_pool_windows(np.zeros((3, 3)), size=1, stride=1)
    assert [c for *_, c in _outlines(ax_map)] == [c for *_, c in _outlines(ax_pooled)]
    assert len({c for *_, c in _outlines(ax_map)}) == 9  # nine windows, nine colours


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(size=5), r"a 5x5 window does not fit in a grid of shape \(4, 4\)"),
        (dict(stride=0), "stride must be a whole number >= 1, got 0"),
        (dict(windows=[(2, 0)]), r"window \(2, 0\) does not exist; the windows are 2 x 2"),
    ],
)
def test_show_pool_windows_explains_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plots.show_pool_windows(np.zeros((4, 4)), **kwargs)


# ------------------------------------------------------------------ lesson 03: show_bars


def test_show_bars_prints_each_value_over_its_labelled_bar():
    ax = plots.show_bars([0.665, 0.245, 0.09], ["kitchen", "dining room", "bedroom"], fmt=".3f")
    assert _texts(ax) == ["0.665", "0.245", "0.090"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["kitchen", "dining room", "bedroom"]
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([0.665, 0.245, 0.09])


def test_show_bars_colours_signed_scores_red_and_blue_and_probabilities_alike():
    ax = plots.show_bars(np.array([2.0, -1.0, 0.0]))
    colours = [bar.get_facecolor() for bar in ax.patches]
    assert colours[0] == pytest.approx(plots.POSITIVE) and colours[2] == pytest.approx(plots.POSITIVE)
    assert colours[1] == pytest.approx(plots.NEGATIVE)
    assert ax.get_ylim()[0] < -1.0 < 2.0 < ax.get_ylim()[1]
    ax = plots.show_bars(np.array([0.5, 0.5]), ylim=(0, 1))
    assert all(bar.get_facecolor() == pytest.approx(plots.UNSIGNED) for bar in ax.patches)
    assert ax.get_ylim() == (0, 1)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "1"]  # indices by default


def test_show_bars_outlines_the_highlighted_bars_only():
    ax = plots.show_bars([3, 1, 2], highlight=[0, 2])
    edges = [bar.get_edgecolor() for bar in ax.patches]
    assert edges[0] == pytest.approx(to_rgba(plots.HIGHLIGHT)) and edges[2] == pytest.approx(to_rgba(plots.HIGHLIGHT))
    assert edges[1] != pytest.approx(to_rgba(plots.HIGHLIGHT))
    assert _texts(ax) == ["3", "1", "2"]


def test_show_bars_explains_bad_input():
    with pytest.raises(ValueError, match=r"one number per class, shape \(K,\)"):
        plots.show_bars(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="got 2 labels for 3 values"):
        plots.show_bars([1, 2, 3], ["a", "b"])
    with pytest.raises(ValueError, match=r"highlight indices \[5\] are outside 0..2"):
        plots.show_bars([1, 2, 3], highlight=[5])
    with pytest.raises(TypeError, match="values must be numbers"):
        plots.show_bars(["a", "b"])


# ------------------------------------------------------------------ lesson 05 (nonlinearity)


def test_show_map_centres_a_signed_map_at_zero_and_clips_at_the_limit():
    values = np.array([[-4.0, 0.0], [2.0, 10.0]])
    ax = plots.show_map(values, limit=5.0, title="signed")
    image = ax.get_images()[0]
    assert image.cmap.name == plots.DIVERGING
    assert image.norm.vmin == -5.0 and image.norm.vmax == 5.0
    assert plots.colour_of(ax, 0, 1) == pytest.approx(image.cmap(0.5))  # zero is the middle: white
    assert plots.colour_of(ax, 1, 1) == pytest.approx(image.cmap(1.0))  # 10 beyond the limit: full red
    assert ax.get_title() == "signed"
    assert len(ax.figure.axes) == 2  # the map and its colour bar


def test_show_map_draws_a_map_after_relu_from_zero_on_the_sequential_map():
    ax = plots.show_map(np.array([[0.0, 1.0], [3.0, 4.0]]), colorbar=False)
    image = ax.get_images()[0]
    assert image.cmap.name == plots.SEQUENTIAL
    assert (image.norm.vmin, image.norm.vmax) == (0.0, 4.0)
    assert len(ax.figure.axes) == 1


@pytest.mark.parametrize("limit", [0, -1.0, float("nan")])
def test_show_map_refuses_a_limit_that_is_not_positive(limit):
    with pytest.raises(ValueError, match="limit must be a positive number"):
        plots.show_map(np.ones((2, 2)), limit=limit)


def test_show_activation_draws_the_curve_over_the_identity():
    xs = np.linspace(-2, 2, 5)
    ax = plots.show_activation(xs, np.maximum(xs, 0), title="ReLU")
    identity, curve = ax.get_lines()[-2:]
    np.testing.assert_array_equal(identity.get_ydata(), xs)
    np.testing.assert_array_equal(curve.get_ydata(), [0, 0, 0, 1, 2])
    assert curve.get_label() == "ReLU" and ax.get_title() == "ReLU"
    assert ax.get_ylim()[0] < -1 and ax.get_ylim()[1] > 2


def test_show_activation_needs_matching_1d_arrays():
    with pytest.raises(ValueError, match=r"same length, got shapes \(3,\) and \(2,\)"):
        plots.show_activation([0, 1, 2], [0, 1])


# ---------------------------------------------------------------------------------------------
# Lesson 07 (filterbanks)


def test_show_filter_channels_puts_each_filter_on_a_row_and_each_channel_in_a_column():
    bank = np.zeros((2, 2, 2, 3))
    bank[0, :, :, 0] = [[1, -1], [1, -1]]  # filter 0 looks at red only
    bank[1, :, :, 2] = [[0, 0], [0, 4]]  # filter 1 at one blue pixel
    fig = plots.show_filter_channels(bank, titles=["red edge", "blue dot"])
    axes = np.array(fig.axes).reshape(2, 3)
    assert [ax.get_title() for ax in axes[0]] == ["red", "green", "blue"]
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["red edge", "blue dot"]
    assert _texts(axes[0, 0]) == ["1", "-1", "1", "-1"]
    assert _texts(axes[1, 2]) == ["0", "0", "0", "4"]
    # one scale for all, centred at zero: zero is white, the largest weight full red
    assert all((ax.get_images()[0].norm.vmin, ax.get_images()[0].norm.vmax) == (-4.0, 4.0) for ax in fig.axes)
    assert plots.colour_of(axes[0, 1], 0, 0)[:3] == pytest.approx((0.97, 0.97, 0.97), abs=0.03)
    assert plots.colour_of(axes[1, 2], 1, 1)[0] > 0.3 and plots.colour_of(axes[1, 2], 1, 1)[2] < 0.2


def test_show_filter_channels_names_other_channel_counts_and_refuses_bad_shapes():
    fig = plots.show_filter_channels(np.ones((1, 3, 3, 2)))
    assert [ax.get_title() for ax in fig.axes] == ["channel 0", "channel 1"]
    with pytest.raises(ValueError, match=r"bank must be \(F, kh, kw, C\)"):
        plots.show_filter_channels(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="got 1 titles for 2 filters"):
        plots.show_filter_channels(np.ones((2, 3, 3, 1)), titles=["only one"])


# ------------------------------------------------------------------ lesson 02 (colour)


def test_show_swatches_paints_each_colour_and_prints_its_numbers_and_name():
    colours = np.array([[255, 128, 0], [0, 0, 0]], dtype=np.uint8)
    ax = plots.show_swatches(colours, names=["orange", "black"])
    assert [p.get_facecolor()[:3] for p in ax.patches] == [pytest.approx((1, 128 / 255, 0)), (0, 0, 0)]
    assert _texts(ax) == ["(255, 128, 0)", "orange", "(0, 0, 0)", "black"]


def test_show_swatches_explains_bad_colours():
    with pytest.raises(ValueError, match=r"whole numbers 0..255"):
        plots.show_swatches(np.array([[0.5, 0.5, 0.5]]))
    with pytest.raises(ValueError, match=r"3 values \(R, G, B\) on its last axis, got shape \(2, 4\)"):
        plots.show_swatches(np.zeros((2, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="got 1 names for 2 colours"):
        plots.show_swatches(np.zeros((2, 3), dtype=np.uint8), names=["black"])


def test_show_rgb_grids_prints_each_channel_in_its_own_colour():
    image = np.array([[[255, 0, 0], [0, 128, 0]]], dtype=np.uint8)
    fig = plots.show_rgb_grids(image)
    colour_ax, red_ax, green_ax, blue_ax = fig.axes
    assert colour_ax.get_images()[0].get_array().shape == (1, 2, 3)
    assert _texts(red_ax) == ["255", "0"] and _texts(green_ax) == ["0", "128"] and _texts(blue_ax) == ["0", "0"]
    assert plots.colour_of(red_ax, 0, 0)[:3] == pytest.approx((1, 0, 0))
    assert plots.colour_of(green_ax, 0, 1)[:3] == pytest.approx((0, 128 / 255, 0), abs=0.01)
    assert plots.colour_of(blue_ax, 0, 0)[:3] == pytest.approx((0, 0, 0))
    assert red_ax.get_title() == "red  [:, :, 0]"


def test_show_rgb_grids_refuses_photos_and_channels_first_arrays():
    with pytest.raises(ValueError, match="use show_channels for photos"):
        plots.show_rgb_grids(np.zeros((30, 30, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match=r"3 values \(R, G, B\) on its last axis"):
        plots.show_rgb_grids(np.zeros((3, 2, 2), dtype=np.uint8))


# ------------------------------------------------------------------ lesson 04: show_conv_steps


def test_show_conv_steps_outlines_each_window_writes_its_sum_and_fills_the_output_in_reading_order():
    face = data.smiley()[:4]
    kernel = np.array([[1, 2], [3, -1]])
    fig = plots.show_conv_steps(face, kernel, [(0, 0), (0, 6), (1, 0)], colors=data.SMILEY_COLORS)
    tops, bottoms = fig.axes[:3], fig.axes[3:]
    assert len(fig.axes) == 6
    # the window: an outline of 2x2 cells whose top-left is the position
    (outline,) = tops[1].patches
    assert (outline.get_x(), outline.get_y(), outline.get_width(), outline.get_height()) == (5.5, -0.5, 2, 2)
    # the sum written out under the image, and the kernel's numbers in the window's cells
    assert tops[0].get_xlabel() == "0·1 + 0·2 + 0·3 + 2·(-1) = -2"
    assert tops[1].get_xlabel() == "0·1 + 0·2 + 2·3 + 0·(-1) = 6"
    assert [t.get_text() for t in tops[0].texts][-4:] == ["\u00d71", "\u00d72", "\u00d73", "\u00d7-1"]
    # output: 3x7; after step 2 (0, 6) the whole first row is known, after step 3 also [1, 0]
    assert _texts(bottoms[0]) == ["-2"]
    assert _texts(bottoms[1]) == ["-2", "8", "10", "10", "10", "6", "6"]
    assert _texts(bottoms[2])[-1] == "8" and len(_texts(bottoms[2])) == 8
    # cells still to come are gray (NaN), computed ones on the diverging map centred at zero
    image = bottoms[1].get_images()[0]
    values = np.ma.filled(image.get_array().astype(float), np.nan)
    assert np.isnan(values[1, 0]) and values[0, 6] == 6
    assert image.norm.vmin == -image.norm.vmax and image.cmap.name.startswith(plots.DIVERGING)


def test_show_conv_steps_draws_on_given_axes():
    fig, axes = plt.subplots(2, 1)
    assert plots.show_conv_steps(np.eye(3), np.ones((2, 2)), [(1, 1)], axes=axes) is fig
    assert _texts(axes[1]) == ["2", "1", "1", "2"]  # 1 + 0 + 0 + 1 on the diagonal


def test_show_conv_steps_refuses_a_position_outside_the_output():
    with pytest.raises(
        ValueError, match=r"position \(0, 7\) is outside the output: .* columns 0..6 of a 8x8 image"
    ):
        plots.show_conv_steps(data.smiley(), np.ones((2, 2)), [(0, 7)])
