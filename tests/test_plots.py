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
