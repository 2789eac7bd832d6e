"""Tests of cnnlib.seeing (lesson 10's answers and helpers) and its figures, against plain loops."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlib import data, deep_stacks, plots, seeing
from cnnlib.checks.seeing import network
from cnnlib.layers import digits_cnn

RNG = np.random.default_rng(10)
IMAGES = RNG.uniform(0, 1, size=(12, 8, 8, 1)).astype(np.float32)


def test_feature_maps_is_every_layer_up_to_k_as_the_network_lists_them():
    net = digits_cnn(3)
    every = net.feature_maps(IMAGES)  # the network's own record of each layer's output
    for k, name in enumerate(net.layers):
        np.testing.assert_array_equal(seeing.feature_maps(net, IMAGES, k), every[name])
    assert seeing.feature_maps(net, IMAGES, 0).min() < 0 <= seeing.feature_maps(net, IMAGES, 1).min()


def test_feature_maps_by_hand_on_the_tiny_network():
    net = network("tiny")  # filter 0: window sum - 1; filter 1: left column - right column
    x = np.zeros((1, 5, 5, 1), np.float32)
    x[0, :, 2] = 1  # a vertical stroke in column 2
    conv = seeing.feature_maps(net, x, 0)[0]
    assert conv[:, :, 0].tolist() == [[-1, 1, 1, -1]] * 4
    assert conv[:, :, 1].tolist() == [[0, -2, 2, 0]] * 4
    assert seeing.feature_maps(net, x, 2)[0, :, :, 1].tolist() == [[0, 2], [0, 2]]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: seeing.feature_maps(digits_cnn(0), IMAGES, 8), "feature_maps(net, x, k): k must be 0 to 7"),
        (lambda: seeing.stack_of(digits_cnn(0), -1), "stack_of(net, k): k must be 0 to 7"),
        (lambda: seeing.feature_maps(digits_cnn(0), IMAGES[0], 1), "add the batch axis"),
        (lambda: seeing.feature_maps("net", IMAGES, 1), "cnnlib.layers.Sequential"),
        (lambda: seeing.stack_of(digits_cnn(0), 7), "no window"),
        (lambda: seeing.top_patches(digits_cnn(0), IMAGES, (6, 0), 2), "not maps"),
        (lambda: seeing.top_patches(digits_cnn(0), IMAGES, (1, 16), 2), "the map f must be 0 to 15"),
        (lambda: seeing.top_patches(digits_cnn(0), IMAGES, (1, 0), 13), "n must be a whole number from 1 to"),
        (lambda: seeing.occlusion_map(np.sum, np.zeros((3, 3)), 4, 1), "does not fit"),
        (lambda: seeing.occlusion_map(np.sum, np.zeros((3, 3, 1)), 2, 1), "one gray image (H, W)"),
        (lambda: seeing.occlusion_map(np.sum, np.zeros((3, 3)), 2, 0), "stride must be a whole number"),
    ],
)
def test_bad_input_is_told_in_words(call, words):
    with pytest.raises((ValueError, TypeError), match=None) as raised:
        call()
    assert words in str(raised.value)


def test_stack_of_writes_lesson_08s_descriptions():
    net = digits_cnn(0)
    assert seeing.stack_of(net, 1) == [("conv", 16, 3, 1, 1)]
    assert seeing.stack_of(net, 5) == [
        ("conv", 16, 3, 1, 1),
        ("pool", 2, 2),
        ("conv", 32, 3, 1, 1),
        ("pool", 2, 2),
    ]
    assert deep_stacks.receptive_field(seeing.stack_of(net, 5)) == 10


def _top_loops(net, images, k, f, n):
    """Every image's best unit by plain loops (first in reading order), images sorted by it."""
    maps = net.feature_maps(images)[list(net.layers)[k]][..., f]
    found = []
    for i in range(len(maps)):
        best = (-np.inf, 0, 0)
        for r in range(maps.shape[1]):
            for c in range(maps.shape[2]):
                if maps[i, r, c] > best[0]:
                    best = (float(maps[i, r, c]), r, c)
        found.append((best[0], i, best[1], best[2]))
    found = sorted(found, key=lambda item: -item[0])[:n]  # sorted() keeps ties in image order
    stack = seeing.stack_of(net, k)
    return [v for v, *_ in found], [(i, *deep_stacks.field_box(stack, r, c)) for _, i, r, c in found]


@pytest.mark.parametrize("k, f", [(0, 3), (1, 7), (2, 0), (4, 12), (5, 31)])
def test_top_patches_matches_plain_loops(k, f):
    net = digits_cnn(5)
    values, boxes = seeing.top_patches(net, IMAGES, (k, f), 5)
    expected_values, expected_boxes = _top_loops(net, IMAGES, k, f, 5)
    np.testing.assert_allclose(values, expected_values, rtol=1e-6)
    assert boxes.dtype == np.int64 and boxes.tolist() == [list(b) for b in expected_boxes]
    assert np.all(np.diff(values) <= 0)


def test_top_patches_boxes_by_hand_and_ties_in_image_order():
    net = network("tiny")  # pool1 units see 3 x 3 pixels, 2 apart
    x = np.zeros((3, 5, 5, 1), np.float32)
    x[0, 3:5, 3:5] = 1  # a block at the bottom right: pool unit (1, 1)
    x[1] = x[0]  # the same image again: an equal value, ranked after image 0
    x[2, 0:2, 0:2] = 0.5
    values, boxes = seeing.top_patches(net, x, (2, 0), 3)
    assert values.tolist() == [3.0, 3.0, 1.0]  # (1 + 1 + 1 + 1) - 1 and (4 * 0.5) - 1
    assert boxes.tolist() == [[0, 2, 2, 5, 5], [1, 2, 2, 5, 5], [2, 0, 0, 3, 3]]


def test_cut_patches_fills_what_sticks_out_with_zeros():
    images = np.arange(2 * 4 * 4, dtype=np.float64).reshape(2, 4, 4, 1) + 1
    patches = seeing.cut_patches(images, [[1, -1, 2, 2, 5]])
    assert patches.shape == (1, 3, 3, 1)
    assert patches[0, :, :, 0].tolist() == [[0, 0, 0], [19, 20, 0], [23, 24, 0]]


def test_occlusion_map_by_hand_and_the_image_is_left_alone():
    image = np.array([[0, 0, 0, 0], [0, 1, 0.5, 0], [0, 0.5, 1, 0], [0, 0, 0, 0]])
    before = image.copy()
    omap = seeing.occlusion_map(lambda im: im[1:3, 1:3].sum(), image, 2, 1)
    # the square at (1, 1) turns 3.0 into 2.0: the largest drop; half-covered ones lose 0.5
    assert omap.tolist() == [[0.5, 0.5, 0], [0.5, 1, 0.5], [0, 0.5, 0.5]]
    np.testing.assert_array_equal(image, before)
    assert seeing.occlusion_map(lambda im: im[0, 0], image, 1, 1)[0, 0] == -1  # hiding it raises it
    assert not seeing.occlusion_map(lambda im: 1.0, image, 3, 1).any()  # no change: all zeros


def test_occlusion_map_matches_loops_with_a_stride():
    rng = np.random.default_rng(2)
    image, weights = rng.uniform(0, 1, (7, 9)), rng.normal(size=(7, 9))

    def predict(im):
        return float((im * weights).sum())

    omap = seeing.occlusion_map(predict, image, 3, 2)
    drops = np.zeros((3, 4))
    for r in range(3):
        for c in range(4):
            hidden = image.copy()
            hidden[2 * r : 2 * r + 3, 2 * c : 2 * c + 3] = 0.5
            drops[r, c] = predict(image) - predict(hidden)
    np.testing.assert_allclose(omap, drops / np.abs(drops).max())


def test_the_face_classifier_gets_the_held_out_faces_right_and_the_truth_is_looked_up():
    faces = data.load_faces()
    truth = seeing.face_truth(faces.x_train, faces.y_train, faces.x_test)
    np.testing.assert_array_equal(truth, faces.y_test)
    guessed = seeing.classify_faces(faces.x_train, faces.y_train, faces.x_test, seed=0)
    assert guessed.shape == (50,) and (guessed == faces.y_test).mean() >= 0.9
    with pytest.raises(ValueError, match="unchanged"):
        seeing.face_truth(faces.x_train, faces.y_train, faces.x_test * 0.5)


def test_oriented_filters_ignore_flat_areas_and_turn():
    bank = seeing.oriented_filters(8, size=9)
    assert bank.shape == (8, 9, 9, 1)
    np.testing.assert_allclose(bank.sum(axis=(1, 2, 3)), 0, atol=1e-12)  # flat areas give 0
    np.testing.assert_allclose(bank[4, :, :, 0], bank[0, :, :, 0].T, atol=1e-12)  # 90 degrees: transposed


def test_probabilities_add_up_to_one():
    p = seeing.probabilities(digits_cnn(0), IMAGES)
    assert p.shape == (12, 10) and np.allclose(p.sum(axis=1), 1)


def test_the_figures_draw_what_they_are_given():
    net = digits_cnn(0)
    fig = plots.show_filter_rows([("a", net.params["conv1.w"]), ("b", net.params["conv1.w"][:4])])
    assert len([ax for ax in fig.axes if ax.images]) == 16 + 4
    maps = {name: seeing.feature_maps(net, IMAGES[:1], k)[0] for k, name in enumerate(list(net.layers)[:3])}
    fig = plots.show_every_layer(IMAGES[0, :, :, 0], maps)
    assert len([ax for ax in fig.axes if ax.images]) == 4
    shown = fig.axes[1].images[0]  # the input: ink dark, as the digits are drawn
    assert shown.get_cmap().name == "gray_r"
    fig = plots.show_every_layer(IMAGES[0, :, :, 0], maps, photo=True)
    shown = fig.axes[1].images[0]  # a photo: bright = large, 0 black and 1 white
    assert shown.get_cmap().name == "gray" and shown.get_clim() == (0, 1.0)
    values, boxes = seeing.top_patches(net, IMAGES, (1, 0), 4)
    fig = plots.show_top_patches(IMAGES, boxes, values, seeing.cut_patches(IMAGES, boxes))
    assert sum(len(ax.patches) for ax in fig.axes) == 4  # one field outlined per image
    heat = plots.occlusion_heat((3, 3), np.array([[1.0, 0.0], [0.0, -1.0]]), 2, 1)
    assert heat.tolist() == [[1, 0.5, 0], [0.5, 0, -0.5], [0, -0.5, -1]]
    fig = plots.show_occlusion(IMAGES[0, :, :, 0], np.zeros((7, 7)), 2, 1)
    assert len(fig.axes) == 4  # three panels and the colour bar
    plt.close("all")
