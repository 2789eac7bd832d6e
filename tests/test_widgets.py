"""Tests of cnnlib.widgets: the stepper and the filter explorer, driven through their callbacks."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlib import data, ops, widgets

FACE = data.smiley()[:5, :5]
KERNEL = np.array([[1, 2], [3, -1]])


def conv_off_by_five(image, kernel, stride=1, padding=0):
    out = ops.conv2d(image, kernel, stride=stride, padding=padding)
    out[1, 2] += 5
    return out


def test_the_stepper_writes_out_the_sum_of_each_window():
    stepper = widgets.SlidingWindowStepper(lambda image, kernel: ops.conv2d(image, kernel), FACE, KERNEL)
    assert stepper.expected.shape == (4, 4) and stepper.count == 16
    assert stepper.arithmetic(0) == "0*1 + 0*2 + 0*3 + 2*(-1) = -2"
    assert stepper.window(6) == (1, 2, 2, 2)  # row 1, column 2
    assert stepper.arithmetic(6) == "2*1 + 2*2 + 9*3 + 2*(-1) = 31"
    assert stepper.first_difference is None and stepper.error == ""


def test_moving_the_slider_moves_the_window_and_fills_the_output_in():
    stepper = widgets.SlidingWindowStepper(lambda image, kernel: ops.conv2d(image, kernel), FACE, KERNEL)
    box = stepper.widget
    assert box is stepper.widget  # built once
    before = stepper.html.value
    stepper.slider.value = 6
    assert stepper.position == 6 and stepper.html.value != before
    assert "output row 1, column 2: 2*1 + 2*2 + 9*3 + 2*(-1) = 31" in stepper.html.value
    # the two output grids show 7 filled cells each and 9 blanks
    assert stepper.html.value.count("background:#f4f4f4") == 2 * 9


def test_a_wrong_function_is_outlined_at_its_first_different_cell():
    stepper = widgets.SlidingWindowStepper(conv_off_by_five, FACE, KERNEL)
    assert stepper.first_difference == (1, 2)
    assert stepper.yours[1, 2] == 36 and stepper.expected[1, 2] == 31
    assert stepper.widget is not None
    stepper.show_position(6)
    assert "First difference at row 1, column 2 (outlined in red): yours 36, cnnlib 31" in stepper.html.value
    assert "outline:3px solid #d62728" in stepper.html.value  # the red outline is drawn


def test_stride_and_padding_sliders_call_the_function_again():
    calls = []

    def conv(image, kernel, stride=1, padding=0):
        calls.append((stride, padding))
        return ops.conv2d(image, kernel, stride=stride, padding=padding)

    stepper = widgets.SlidingWindowStepper(conv, FACE, KERNEL)
    assert stepper.widget is not None
    stepper.stride_slider.value = 2
    stepper.padding_slider.value = 1
    assert calls[-1] == (2, 1) and stepper.expected.shape == (3, 3) and stepper.slider.max == 8
    np.testing.assert_array_equal(stepper.yours, ops.conv2d(FACE, KERNEL, stride=2, padding=1))
    assert stepper.window(1) == (0, 2, 2, 2) and stepper.padded.shape == (7, 7)


def test_a_broken_function_gives_a_message_in_the_widget_not_a_traceback():
    def broken(image, kernel):
        return image[10]

    stepper = widgets.SlidingWindowStepper(broken, FACE, KERNEL)
    assert stepper.error.startswith("broken raised IndexError: index 10 is out of bounds")
    assert ", in broken: return image[10]" in stepper.error and "of test_widgets.py" in stepper.error
    assert stepper.widget is not None
    assert "broken raised IndexError" in stepper.html.value
    wrong_shape = widgets.SlidingWindowStepper(lambda image, kernel: np.zeros((5, 5)), FACE, KERNEL)
    assert "returned shape (5, 5); cnnlib's answer has shape (4, 4)" in wrong_shape.error


def test_the_pooling_stepper_shows_each_window_and_its_max():
    feature_map = np.array([[1, 2, 0, 0], [3, 4, 0, 5], [7, 0, 1, 1], [0, 0, 2, 9]])

    def pool_with_stride_one(x, size, stride):  # overlapping windows, cut to the right size
        return ops.max_pool2d(x, size, 1)[:2, :2]

    stepper = widgets.SlidingWindowStepper(pool_with_stride_one, feature_map, op="max")
    assert stepper.arithmetic(2) == "max(7, 0, 0, 0) = 7"
    assert stepper.first_difference == (0, 1)  # max over the overlapping window (0, 1): 4, not 5


def test_a_large_image_is_shown_as_a_crop_around_the_window():
    photo = data.load_image("camera")[:64, :64]
    stepper = widgets.SlidingWindowStepper(
        lambda image, kernel: ops.conv2d(image, kernel), photo, np.ones((3, 3))
    )
    assert stepper.widget is not None
    stepper.show_position(40 * 62 + 30)
    assert "(rows from" in stepper.html.value
    assert stepper.html.value.count("<tr>") < 3 * 20  # crops, not 64 rows


def test_the_explorer_updates_every_panel_from_a_slider():
    explorer = widgets.FilterExplorer(photos=("camera",))
    assert explorer.widget is not None
    before = {name: panel.value for name, panel in explorer.panels.items()}
    explorer.sliders[4].value = 1.5  # the centre weight
    assert explorer.kernel[1, 1] == pytest.approx(1.5)
    expected = ops.conv2d(explorer.image, explorer.kernel)  # valid, as lesson 04 teaches
    np.testing.assert_allclose(explorer.maps["feature map"], expected, rtol=1e-6)
    np.testing.assert_array_equal(explorer.maps["after ReLU"], np.maximum(expected, 0))
    np.testing.assert_array_equal(
        explorer.maps["after 2x2 max pool"], ops.max_pool2d(np.maximum(expected, 0), 2)
    )
    after = {name: panel.value for name, panel in explorer.panels.items()}
    assert after["input"] == before["input"]
    assert all(after[n] != before[n] for n in ("feature map", "after ReLU", "after 2x2 max pool"))
    assert after["feature map"][:2] == b"\xff\xd8"  # JPEG


def test_a_preset_sets_all_nine_sliders_with_one_redraw():
    explorer = widgets.FilterExplorer(photos=("coins",))
    assert explorer.widget is not None
    redraws = []
    explorer.panels["feature map"].observe(lambda change: redraws.append(1), names="value")
    explorer.preset_menu.value = "horizontal edges"
    np.testing.assert_array_equal(explorer.kernel, widgets.PRESETS["horizontal edges"])
    assert [s.value for s in explorer.sliders] == widgets.PRESETS["horizontal edges"].ravel().tolist()
    assert len(redraws) == 1


def test_a_colour_photo_is_explored_in_gray_and_bad_input_is_explained():
    explorer = widgets.FilterExplorer(photos=("chelsea",))
    assert explorer.image.shape == (300, 451) and explorer.image.dtype == np.float32
    assert 0 <= explorer.image.min() and explorer.image.max() <= 1
    with pytest.raises(ValueError, match="unknown: \\['cat'\\]"):
        widgets.FilterExplorer(photos=("cat",))
    with pytest.raises(ValueError, match="3x3, got shape \\(2, 2\\)"):
        explorer.set_kernel(np.ones((2, 2)))


def test_without_a_front_end_the_widgets_show_a_static_figure(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("CNNLIB_WIDGETS", raising=False)
    assert not widgets.live()
    for shown in (
        widgets.SlidingWindowStepper(conv_off_by_five, FACE, KERNEL),
        widgets.FilterExplorer(photos=("coins",)),
    ):
        bundle = shown._repr_mimebundle_()
        assert set(bundle) == {"image/png", "text/plain"}
        assert bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setenv("JPY_SESSION_NAME", "/notebooks/04_convolution.ipynb")
    assert widgets.live()
    bundle = widgets.FilterExplorer(photos=("coins",))._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_lookup_table_colours_match_matplotlibs_colormap():
    import matplotlib.pyplot as plt

    values = np.linspace(-1, 1, 11).reshape(1, 11)
    rgb = widgets.to_rgb(values, "RdBu_r", -1.0, 1.0)
    expected = (
        plt.get_cmap("RdBu_r")(np.clip(((values + 1) * 127.5).astype(int), 0, 255) / 255)[..., :3] * 255
    )
    assert np.abs(rgb.astype(int) - expected.astype(int)).max() <= 2


def test_the_stepper_draws_the_smiley_in_the_lessons_colours():
    stepper = widgets.SlidingWindowStepper(
        lambda image, kernel, padding=0: ops.conv2d(image, kernel, padding=padding),
        FACE,
        KERNEL,
        colors=data.SMILEY_COLORS,
    )
    stepper.set_geometry(padding=1)  # the padding's zeros are drawn white, like the background
    first_grid = stepper._view().split("</table>")[0]
    backgrounds = {part.split(";")[0] for part in first_grid.split("background:")[1:]}
    # 0 white, 2 gold, 9 black, and nothing else in the input grid
    assert backgrounds == {"rgb(255,255,255)", "rgb(255,215,0)", "rgb(0,0,0)"}, backgrounds
    with pytest.raises(ValueError, match=r"no colour for the values \[0, 9\]"):
        widgets.SlidingWindowStepper(lambda image, kernel: image, FACE, KERNEL, colors={2: "gold"})


def test_the_still_picture_moves_to_a_stride_or_padding_where_the_learners_conv_differs():
    def stride_ignored(image, kernel, stride=1, padding=0):
        return ops.conv2d(image, kernel, padding=padding)[
            : (image.shape[0] + 2 * padding - kernel.shape[0]) // stride + 1,
            : (image.shape[1] + 2 * padding - kernel.shape[1]) // stride + 1,
        ]

    stepper = widgets.SlidingWindowStepper(stride_ignored, FACE, KERNEL)
    assert stepper.first_difference is None  # stride 1: no difference to show
    stepper.static_figure()
    assert (stepper.stride, stepper.padding) == (2, 0)
    # with stride 2 the window of output (0, 1) starts at column 2; the learner's started at 1
    assert stepper.first_difference == (0, 1)
    assert stepper.arithmetic(1) == "2*1 + 2*2 + 2*3 + 2*(-1) = 10" and stepper.yours[0, 1] == 8

    def right(image, kernel, stride=1, padding=0):
        return ops.conv2d(image, kernel, stride=stride, padding=padding)

    agrees = widgets.SlidingWindowStepper(right, FACE, KERNEL)
    agrees.static_figure()
    assert (agrees.stride, agrees.padding, agrees.first_difference) == (1, 0, None)
    valid_only = widgets.SlidingWindowStepper(lambda image, kernel: ops.conv2d(image, kernel), FACE, KERNEL)
    valid_only.static_figure()  # takes no stride: stays at stride 1, no error shown
    assert (valid_only.stride, valid_only.padding, valid_only.error) == (1, 0, "")


def test_the_explorer_draws_as_the_lessons_do_valid_maps_their_colours_and_live_labels():
    explorer = widgets.FilterExplorer(photos=("camera",), preset="blur")
    assert explorer.widget is not None
    h, w = explorer.image.shape
    assert explorer.maps["feature map"].shape == (h - 2, w - 2)  # H - kh + 1: valid, as in lesson 04
    assert explorer.scales()["feature map"][0] == "viridis"  # blur has no negative values
    assert explorer.headings["feature map"].value == f"<b>feature map {h - 2} \u00d7 {w - 2} (valid)</b>"
    explorer.preset_menu.value = "vertical edges"
    assert explorer.scales()["feature map"][0] == "RdBu_r" and "vertical edges" in explorer.title.value
    explorer.sliders[0].value = -0.0
    explorer.sliders[1].value = 0.5
    assert explorer.preset == "your own" and "your own" in explorer.title.value
    assert explorer.kernel[0, 0] == 0 and not np.signbit(explorer.kernel[0, 0])  # shown as 0.0, not -0.0


def test_the_still_picture_of_a_raising_function_says_so_inside_its_panel_and_a_moved_setting_says_why():
    def stub(image, kernel, stride=1, padding=0):
        raise NotImplementedError()

    fig = widgets.SlidingWindowStepper(stub, FACE, KERNEL).static_figure()
    yours = fig.axes[-2]
    assert yours.get_title() == "yours: it raised"
    (text,) = yours.texts
    assert "stub raised NotImplementedError" in text.get_text().replace("\n", " ") and text.get_clip_on()

    def no_padding(image, kernel, stride=1, padding=0):
        return ops.conv2d(image, kernel, stride=stride)

    fig = widgets.SlidingWindowStepper(no_padding, FACE, KERNEL).static_figure()
    assert "(at stride 1, padding 0 yours agrees with cnnlib; here it does not)" in fig._suptitle.get_text()


def test_the_colour_explorer_uses_lesson_07s_filters_one_slice_per_channel():
    explorer = widgets.FilterExplorer(photos=("chelsea",), preset="red - green", colour=True)
    assert explorer.widget is not None
    assert explorer.image.shape == (300, 451, 3) and explorer.kernel.shape == (3, 3, 3)
    red_minus_green = np.zeros((1, 3, 3, 3), dtype=np.float32)
    red_minus_green[0, :, :, 0], red_minus_green[0, :, :, 1] = 1 / 9, -1 / 9
    np.testing.assert_allclose(
        explorer.maps["feature map"], ops.conv2d(explorer.image, red_minus_green)[:, :, 0], rtol=1e-5
    )
    assert [round(s.value, 3) for s in explorer.sliders] == [0.111] * 9  # the red slice
    explorer.channel_menu.value = "green"
    assert [round(s.value, 3) for s in explorer.sliders] == [-0.111] * 9
    explorer.sliders[4].value = 1.0  # the green slice's centre, only
    assert explorer.kernel[1, 1, 1] == 1.0 and explorer.kernel[1, 1, 0] == pytest.approx(1 / 9)
    assert explorer.preset == "your own"
    with pytest.raises(ValueError, match=r"3x3x3 \(one 3x3 slice per channel\), got shape \(3, 3\)"):
        explorer.set_kernel(np.ones((3, 3)))


def test_the_explorers_still_picture_answers_the_lessons_questions_for_an_edge_filter():
    explorer = widgets.FilterExplorer(photos=("camera",))  # vertical edges: weights add up to 0
    fig = explorer.static_figure()
    assert len(fig.axes) == 10 and fig.axes[5].get_title() == "signs swapped"
    assert "Flat areas: 0 in both" in fig._suptitle.get_text()
    np.testing.assert_array_equal(explorer.kernel, widgets.PRESETS["vertical edges"])  # put back
    np.testing.assert_array_equal(explorer.maps["feature map"], ops.conv2d(explorer.image, explorer.kernel))
    assert len(widgets.FilterExplorer(photos=("camera",), preset="blur").static_figure().axes) == 5


# ------------------------------------------------------------------ filter snapshots (lesson 09)


def _trained_history():
    from cnnlib.layers import digits_cnn
    from cnnlib.train import fit

    digits = data.load_digits()
    model = digits_cnn(seed=0)
    history = fit(
        model,
        digits.x_train[:256],
        digits.y_train[:256],
        x_test=digits.x_test,
        y_test=digits.y_test,
        epochs=2,
        batch_size=64,
        snapshot_steps=range(0, 9, 2),
        progress=False,
    )
    return history, digits.x_test[0]


def test_the_snapshot_slider_shows_each_saved_step_and_says_which():
    history, digit = _trained_history()
    assert sorted(history.snapshots) == [0, 2, 4, 6, 8]  # 4 steps per epoch, 2 epochs
    view = widgets.FilterSnapshots(history, digit=digit)
    assert view.steps == [0, 2, 4, 6, 8] and view.step == 0
    assert view.caption() == "before training (random filters)"
    assert (
        view.caption(4)
        == f"after 4 training steps (end of epoch 1; test accuracy at its end {history.test_accuracy[0]:.1%})"
    )
    assert view.caption(6).startswith("after 6 training steps (during epoch 2;")
    box = view.widget
    assert box is view.widget
    before = view.panels["filters"].value
    view.slider.value = 8  # what moving the slider does
    assert view.step == 8 and "after 8 training steps" in view.title.value
    assert view.panels["filters"].value != before
    # the maps are what the snapshot's filters make of the digit, after ReLU
    np.testing.assert_allclose(
        view.maps[8][3],
        np.maximum(ops.conv2d(np.pad(digit[:, :, 0], 1), history.snapshots[8][3, :, :, 0]), 0),
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match="no snapshot at step 5"):
        view.show_step(5)


def test_the_snapshots_share_one_colour_scale_so_growing_filters_look_stronger():
    small, large = np.full((16, 3, 3, 1), 0.1), np.full((16, 3, 3, 1), 1.0)
    view = widgets.FilterSnapshots({0: small, 10: large})
    import io

    from PIL import Image

    def centre(step):
        pixels = np.asarray(Image.open(io.BytesIO(view.images(step)["filters"])))
        return pixels[8, 8]  # inside the first filter's first cell

    assert view.limit == 1.0
    assert centre(10)[1] < centre(0)[1]  # a deeper red: less green in the pixel
    assert set(view.images(0)) == {"filters"}  # no digit, no maps


def test_the_snapshot_widget_needs_snapshots_and_says_how_to_get_them():
    with pytest.raises(ValueError, match="snapshot_steps"):
        widgets.FilterSnapshots({})
    with pytest.raises(ValueError, match=r"\(F, kh, kw, 1\)"):
        widgets.FilterSnapshots({0: np.zeros((3, 3))})


def test_the_snapshots_still_picture_shows_four_steps_first_and_last_included(monkeypatch):
    monkeypatch.setenv("CNNLIB_WIDGETS", "static")
    history, digit = _trained_history()
    view = widgets.FilterSnapshots(history, digit=digit)
    bundle = view._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG") and "static figure" in bundle["text/plain"]
    figure = view.static_figure()
    titles = [ax.get_title() for ax in figure.axes if ax.get_title()]
    # each row says what the slider would: the step, its epoch and the test accuracy at its end
    assert titles[0] == "before training (random filters)\nfirst-layer filters"
    during = (
        f"after 2 training steps (during epoch 1; test accuracy at its end {history.test_accuracy[0]:.1%})"
    )
    ended = (
        f"after 8 training steps (end of epoch 2; test accuracy at its end {history.test_accuracy[1]:.1%})"
    )
    assert f"{during}\nfirst-layer filters" in titles and f"{ended}\nfirst-layer filters" in titles
    assert "\ntheir maps of the digit (after ReLU)" in titles
    import matplotlib.pyplot as plt

    plt.close(figure)


# ------------------------------------------------------------------ the receptive-field explorer (lesson 08)

DIGIT_STACK = [("conv", 16, 3, 1, 1), ("pool", 2, 2), ("conv", 32, 3, 1, 1), ("pool", 2, 2)]


def test_the_field_explorer_outlines_a_units_field_on_every_layer_before_it():
    explorer = widgets.ReceptiveFieldExplorer(np.zeros((8, 8)), DIGIT_STACK, layer=4, row=0, col=0)
    # the digit network's last units see 10 x 10 pixels: 3 rows and columns of it are padding
    assert explorer.boxes() == [(-3, -3, 7, 7), (-2, -2, 6, 6), (-1, -1, 3, 3), (0, 0, 2, 2), (0, 0, 1, 1)]
    assert explorer.field == 10
    assert explorer.caption() == "unit (row 0, column 0) of layer 4 sees 10 \u00d7 10 input pixels"
    explorer.select(1, 5, 99)  # a column past the edge goes to the last one
    assert (explorer.row, explorer.col) == (5, 7)
    assert explorer.boxes() == [(4, 6, 7, 9), (5, 7, 6, 8), None, None, None] and explorer.field == 3


def test_moving_a_slider_or_the_layer_menu_redraws_the_panels():
    maps = [np.random.default_rng(k).random(size) for k, size in enumerate([(8, 8), (4, 4), (4, 4), (2, 2)])]
    explorer = widgets.ReceptiveFieldExplorer(data.smiley(), DIGIT_STACK, maps=maps)
    assert (explorer.layer, explorer.row, explorer.col) == (4, 1, 1)
    assert explorer.widget is explorer.widget  # built once
    before = [image.value for image in explorer.images]
    explorer.row_slider.value = 0
    after = [image.value for image in explorer.images]
    assert explorer.row == 0 and after[0] != before[0] and after[4] != before[4]
    assert "sees 10 \u00d7 10 input pixels" in explorer.caption_html.value
    explorer.layer_menu.value = 2  # pool 1 is 4 x 4: the unit keeps its place, the sliders its size
    assert (explorer.layer, explorer.row, explorer.col) == (2, 0, 2)
    assert explorer.row_slider.max == explorer.col_slider.max == 3
    assert "box 4 \u00d7 4" in explorer.headings[0].value and "box" not in explorer.headings[3].value


def test_the_field_explorer_draws_its_box_in_orange_on_the_enlarged_input():
    explorer = widgets.ReceptiveFieldExplorer(np.zeros((8, 8)), DIGIT_STACK[:1], layer=1, row=2, col=3)
    picture = explorer._picture(explorer.image, explorer.boxes()[0], gray=True)
    scale = 220 // 8
    assert picture.shape == (8 * scale, 8 * scale, 3)
    assert picture[1 * scale, 3 * scale].tolist() == [255, 127, 14]  # the box's top-left corner, (1, 2)
    assert picture[0, 0].tolist() == [0, 0, 0]


def test_the_field_explorers_still_picture_shows_a_first_layer_unit_and_the_chosen_one(monkeypatch):
    monkeypatch.setenv("CNNLIB_WIDGETS", "static")
    explorer = widgets.ReceptiveFieldExplorer(np.zeros((8, 8)), DIGIT_STACK, layer=4, row=1, col=1)
    fig = explorer.static_figure()
    assert len(fig.axes) == 2 * 5
    titles = [sub._suptitle.get_text() for sub in fig.subfigs]
    assert titles == [
        "unit (row 4, column 4) of layer 1 sees 3 \u00d7 3 input pixels",
        "unit (row 1, column 1) of layer 4 sees 10 \u00d7 10 input pixels",
    ]
    assert (explorer.layer, explorer.row, explorer.col) == (4, 1, 1)  # back to the chosen unit
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"].startswith(b"\x89PNG")


def test_the_field_explorer_on_valid_convolutions_keeps_every_box_inside_the_photo():
    # lesson 08's explorer: the corner network without padding, 80 x 80 -> 78, 39, 37, 18
    stack = [("conv", 4, 3, 1, 0), ("pool", 2, 2), ("conv", 4, 3, 1, 0), ("pool", 2, 2)]
    explorer = widgets.ReceptiveFieldExplorer(np.zeros((80, 80)), stack, layer=4, row=0, col=0)
    assert explorer.shapes == [(78, 78), (39, 39), (37, 37), (18, 18)]
    # the last layer's first unit: pixels 0..9 of the photo, units 0..7 of the edges, ...
    assert explorer.boxes() == [(0, 0, 10, 10), (0, 0, 8, 8), (0, 0, 4, 4), (0, 0, 2, 2), (0, 0, 1, 1)]
    explorer.select(4, 17, 17)  # the last unit still fits: 17 * 4 + 10 = 78 <= 80
    assert explorer.boxes()[0] == (68, 68, 78, 78)
    for layer, field in zip(range(1, 5), (3, 4, 8, 10)):
        explorer.select(layer, 5, 5)
        assert explorer.field == field


def test_the_field_explorer_explains_bad_input():
    with pytest.raises(ValueError, match="a dense layer has no window"):
        widgets.ReceptiveFieldExplorer(np.zeros((8, 8)), [*DIGIT_STACK, ("dense", 10)])
    with pytest.raises(
        ValueError, match=r"the map of layer 2 must be \(4, 4\) \(one channel\); got \(4, 4, 16\)"
    ):
        widgets.ReceptiveFieldExplorer(
            np.zeros((8, 8)), DIGIT_STACK[:2], maps=[np.zeros((8, 8)), np.zeros((4, 4, 16))]
        )
    with pytest.raises(ValueError, match="layer must be 1 to 4; got 5"):
        widgets.ReceptiveFieldExplorer(np.zeros((8, 8)), DIGIT_STACK, layer=5)


# ------------------------------------------------------------------ the digit pad (lesson 10)


def _pad(digit=None):
    from cnnlib.layers import digits_cnn

    return widgets.DigitPad(digits_cnn(seed=4), digit)


def _seen_by(net, ink):
    from cnnlib import seeing

    x = np.asarray(ink, np.float32)[None, :, :, None]
    return seeing.probabilities(net, x)[0], seeing.feature_maps(net, x, 1)[0]


def test_the_pad_reads_its_drawing_with_the_network():
    seven = np.zeros((8, 8))
    seven[1, 2:6], seven[2:7, 5] = 1, 0.75
    pad = _pad(seven)
    probabilities, maps = _seen_by(pad.net, seven)
    np.testing.assert_allclose(pad.probabilities, probabilities)
    np.testing.assert_array_equal(pad.maps, maps)  # relu1's 16 maps, (8, 8, 16)
    assert pad.maps.shape == (8, 8, 16) and pad.prediction == int(np.argmax(probabilities))
    assert abs(pad.probabilities.sum() - 1) < 1e-9


def test_clicking_a_cell_inks_or_clears_it_and_the_network_reads_again():
    pad = _pad()
    assert pad.widget is pad.widget and len(pad.cells) == 64
    before_html, before_maps = pad.prediction_view.value, pad.maps_view.value
    assert f"prediction: {pad.prediction}</b>" in before_html and before_html.count("%</div>") == 10
    pad.cells[2 * 8 + 3].click()  # row 2, column 3
    assert pad.ink[2, 3] == 1 and pad.ink.sum() == 1
    assert pad.cells[2 * 8 + 3].style.button_color == "#000000"  # inked: black
    probabilities, _ = _seen_by(pad.net, pad.ink)
    np.testing.assert_allclose(pad.probabilities, probabilities)
    assert pad.prediction_view.value != before_html and pad.maps_view.value != before_maps
    pad.cells[2 * 8 + 3].click()  # again: cleared, and the first answer is back
    assert pad.ink.sum() == 0 and pad.prediction_view.value == before_html
    assert pad.cells[2 * 8 + 3].style.button_color == "#ffffff"


def test_the_clear_button_empties_a_started_drawing_and_an_update_is_quick():
    digit = data.load_digits().x_test[0, :, :, 0]
    pad = _pad(digit)
    assert pad.widget is not None
    assert pad.cells[0].style.button_color == pad._cell_colour(float(digit[0, 0]))  # gray levels shown
    pad.clear_button.click()
    assert not pad.ink.any() and all(cell.style.button_color == "#ffffff" for cell in pad.cells)
    pad.toggle(4, 4)
    assert pad.seconds < 0.5  # the benchmark holds it to 50 ms; this only catches a gross slip


def test_the_pads_still_picture_shows_the_drawing_the_bars_and_the_maps(monkeypatch):
    monkeypatch.setenv("CNNLIB_WIDGETS", "static")
    pad = _pad()
    fig = pad.static_figure()
    assert len(fig.axes) == 2 + 16
    assert fig.axes[1].get_title().startswith(f"prediction: {pad.prediction}")
    assert pad._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")


def test_the_pad_explains_bad_input():
    from cnnlib.checks.seeing import network

    with pytest.raises(ValueError, match=r"input \(8, 8, 1\), 10 scores"):
        widgets.DigitPad(network("tiny"))
    with pytest.raises(ValueError, match="8 x 8 drawing"):
        _pad(np.zeros((5, 5)))
