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
