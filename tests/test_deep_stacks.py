"""Tests of cnnlib.deep_stacks (lesson 08's answers) and cnnlib.plots.deep_stacks, against oracles:
cnnlib.layers' own shapes, a pixel-by-pixel search for what one unit depends on, loops."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnlib import deep_stacks, layers, ops, plots


def _random_stack(rng: np.random.Generator, depth: int) -> list[tuple]:
    stack = []
    for _ in range(depth):
        if rng.random() < 0.6:
            size = int(rng.integers(1, 6))
            stack.append(
                ("conv", int(rng.integers(1, 5)), size, int(rng.integers(1, 3)), int(rng.integers(0, 3)))
            )
        else:
            size = int(rng.integers(2, 4))
            stack.append(("pool", size, int(rng.integers(1, size + 1))))
    return stack


def _layer(description, channels):
    if description[0] == "conv":
        _, filters, size, stride, padding = description
        return layers.Conv2D(channels, filters, size, stride, padding)
    return layers.MaxPool2D(description[1], description[2])


@pytest.mark.parametrize("seed", range(6))
def test_shape_after_agrees_with_the_shapes_cnnlib_layers_compute(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(24, 40)), int(rng.integers(24, 40)), int(rng.integers(1, 4)))
    built, expected = [], shape
    for description in _random_stack(rng, 4):
        built.append(_layer(description, expected[2]))
        expected = deep_stacks.shape_after(expected, description)
    net = layers.Sequential([*built, layers.Flatten(), layers.Dense(int(np.prod(expected)), 7)], shape)
    assert net.shapes[list(net.shapes)[len(built) - 1]] == expected
    assert deep_stacks.shape_after(expected, ("flatten",)) == net.shapes["flatten1"]
    assert deep_stacks.shape_after(net.shapes["flatten1"], ("dense", 7)) == (7,)


def test_shape_after_on_the_lessons_examples():
    assert deep_stacks.shape_after((8, 8, 1), ("conv", 16, 3, 1, 1)) == (8, 8, 16)
    assert deep_stacks.shape_after((28, 28, 3), ("conv", 8, 5, 2, 2)) == (14, 14, 8)
    assert deep_stacks.shape_after((7, 7, 4), ("pool", 3, 2)) == (3, 3, 4)
    assert deep_stacks.shape_after((2, 2, 32), ("flatten",)) == (128,)
    assert all(type(n) is int for n in deep_stacks.shape_after(np.array([9, 9, 2]), ("conv", 4, 3, 2, 0)))


@pytest.mark.parametrize(
    "shape, layer, words",
    [
        ((8, 8, 1), ("conv", 16, 3, 1), 'described as ("conv", filters, size, stride, padding)'),
        ((8, 8, 1), ("relu",), "a tuple starting with 'conv', 'pool', 'flatten' or 'dense'"),
        ((128,), ("conv", 4, 3, 1, 1), "takes a stack of maps (H, W, C)"),
        ((2, 2, 32), ("dense", 10), "flatten first"),
        ((8, 8, 1), ("conv", 4, 3, 0, 1), "conv's stride must be at least 1"),
        ((8, 8, 1), ("conv", 4, 3.0, 1, 1), "conv's size must be a whole number"),
        ((2, 2, 1), ("conv", 4, 7, 1, 0), "kernel size 7 is larger than the padded input size 2"),
    ],
)
def test_a_bad_description_is_explained(shape, layer, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        deep_stacks.shape_after(shape, layer)
    assert words in str(raised.value)


def _dependence(stack: list[tuple], size: int, row: int, col: int) -> tuple[int, int, int, int]:
    """The input pixels that change unit (row, col) after ``stack``, found one pixel at a time on a
    linear network with positive weights (average pooling), so no change can cancel out."""
    image = np.zeros((size, size, 1))
    baseline = _run(stack, image)[row, col, 0]
    hits = []
    for r in range(size):
        for c in range(size):
            image[r, c, 0] = 1.0
            if _run(stack, image)[row, col, 0] != baseline:
                hits.append((r, c))
            image[r, c, 0] = 0.0
    rows, cols = zip(*hits)
    return min(rows), min(cols), max(rows) + 1, max(cols) + 1


def _run(stack, x):
    for description in stack:
        if description[0] == "conv":
            _, _, size, stride, padding = description
            x = ops.conv2d(x, np.ones((1, size, size, x.shape[2])), stride=stride, padding=padding)
        else:
            x = ops.avg_pool2d(x, description[1], description[2])
    return x


@pytest.mark.parametrize("seed", range(4))
def test_the_receptive_field_is_the_pixels_a_unit_depends_on(seed):
    rng = np.random.default_rng(seed)
    stack = _random_stack(rng, 3)
    out = _run(stack, np.zeros((30, 30, 1)))
    row, col = out.shape[0] // 2, out.shape[1] // 2  # a middle unit: its field lies inside the image
    top, left, bottom, right = deep_stacks.field_box(stack, row, col)
    assert (top, left, bottom, right) == _dependence(stack, 30, row, col), stack
    assert bottom - top == right - left == deep_stacks.receptive_field(stack)


def test_the_digit_networks_last_units_see_10_by_10_pixels_reaching_into_the_padding():
    digit_net = [("conv", 16, 3, 1, 1), ("pool", 2, 2), ("conv", 32, 3, 1, 1), ("pool", 2, 2)]
    assert [deep_stacks.receptive_field(digit_net[:k]) for k in range(1, 5)] == [3, 4, 8, 10]
    assert deep_stacks.field_box(digit_net, 0, 0) == (-3, -3, 7, 7)
    assert deep_stacks.field_box(digit_net, 1, 1) == (1, 1, 11, 11)
    with pytest.raises(ValueError, match="a dense layer has no window"):
        deep_stacks.receptive_field([*digit_net, ("dense", 10)])


def test_dense_is_the_weighted_sum_of_every_input_plus_a_bias_per_output():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(4, 6)), rng.normal(size=(6, 3)), rng.normal(size=3)
    loops = np.array([[sum(x[n, i] * w[i, j] for i in range(6)) + b[j] for j in range(3)] for n in range(4)])
    np.testing.assert_allclose(deep_stacks.dense(x, w, b), loops)
    assert (
        deep_stacks.dense(x.astype(np.float32), w.astype(np.float32), b.astype(np.float32)).dtype
        == np.float32
    )
    with pytest.raises(
        ValueError, match=r"weights must have one row per input feature: x is \(4, 6\), so weights"
    ):
        deep_stacks.dense(x, w.T, b)
    with pytest.raises(ValueError, match=r"biases must have shape \(D_out,\); got shape \(3, 1\)"):
        deep_stacks.dense(x, w, b[:, None])


def test_forward_is_the_digit_networks_forward_pass():
    net = layers.digits_cnn(seed=4, dtype=np.float64)
    images = np.random.default_rng(1).random((3, 8, 8, 1))
    p = net.params
    scores = deep_stacks.forward(
        images, p["conv1.w"], p["conv1.b"], p["conv2.w"], p["conv2.b"], p["dense1.w"], p["dense1.b"]
    )
    np.testing.assert_allclose(scores, net.forward(images), rtol=1e-12)
    with pytest.raises(
        ValueError, match="one row per flattened feature: after two conv-ReLU-pool layers one image is 128"
    ):
        deep_stacks.forward(
            images, p["conv1.w"], p["conv1.b"], p["conv2.w"], p["conv2.b"], p["dense1.w"][:64], p["dense1.b"]
        )


def test_the_stack_figure_draws_a_deck_per_stage_titled_with_its_shape():
    fig = plots.show_stack(
        [("patch", np.zeros((5, 5))), ("conv", np.ones((4, 4, 32))), ("flat", np.arange(128.0))]
    )
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["patch\n5 \u00d7 5 \u00d7 1", "conv\n4 \u00d7 4 \u00d7 32", "flat\n128"]
    assert len(fig.axes[1].images) == 4 and "+28 more" in [t.get_text() for t in fig.axes[1].texts]
    plt.close(fig)


def test_the_fields_figure_outlines_each_box_and_dashes_one_that_reaches_into_the_padding():
    fig = plots.show_fields(
        [("input", np.zeros((8, 8)), (-3, -3, 7, 7)), ("pool 1", np.ones((4, 4)), (1, 2, 2, 3))]
    )
    inside, outside = fig.axes[1].patches[0], fig.axes[0].patches[0]
    assert (inside.get_x(), inside.get_y(), inside.get_width(), inside.get_height()) == (1.5, 0.5, 1, 1)
    assert inside.get_linestyle() == "-" and outside.get_linestyle() == "--"
    assert fig.axes[0].get_title() == "input, 8 \u00d7 8\nbox: 10 \u00d7 10 pixels"
    plt.close(fig)


def test_the_flatten_figure_shows_both_orders():
    fig = plots.show_flatten_order(np.arange(8).reshape(2, 2, 2))
    rows = [[t.get_text() for t in ax.texts] for ax in fig.axes[2:]]
    assert rows == [list("01234567"), list("02461357")]
    plt.close(fig)
