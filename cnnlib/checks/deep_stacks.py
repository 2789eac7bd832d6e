"""Lesson 08 (deep_stacks): has_corner, shape_after, receptive_field, dense and forward, as data.

The references are cnnlib's answers in ``cnnlib.deep_stacks``. Each mistake computes, from the
same inputs, the wrong answer a learner gives in practice, so the message can name it. Layers are
described as tuples (``("conv", filters, size, stride, padding)``, ``("pool", size, stride)``,
``("flatten",)``, ``("dense", units)``), plain data that crosses to a grader's sandbox as it is.
"""

from __future__ import annotations

import numpy as np

from .. import deep_stacks, ops
from .exercise import Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = [
    "check_has_corner",
    "check_shape_after",
    "check_receptive_field",
    "check_dense",
    "check_forward",
    "EXERCISES",
]

LESSON = "08_deep_stacks"


# cnnlib.layers computes some of these answers too: a layer's output_shape (``Conv2D(...).output_shape
# (shape)``, and a Sequential's shapes, made with them) for shape_after, a network's forward for
# forward, a Dense layer for dense. They are switched off, by their dotted paths, while those
# exercises are checked ("cnnlib.layers.Conv2D.output_shape computes this exercise's answer, ...").
def _by_path(*names: str) -> dict:
    return {f"cnnlib.layers.{name}": None for name in names}


# ------------------------------------------------------------------ shape_after


def _windowed(side, channels=None):
    """A mistake in the conv and pool sizes: ``side(n, size, stride, padding)`` for each side and
    ``channels(C, filters)`` for a conv layer's channels; flatten and dense are left right."""

    def wrong(shape, layer):
        kind = layer[0]
        if kind in ("flatten", "dense"):
            return deep_stacks.shape_after(shape, layer)
        height, width, c = shape
        if kind == "conv":
            _, filters, size, stride, padding = layer
        else:
            (_, size, stride), filters, padding = layer, c, 0
        sides = tuple(int(side(n, size, stride, padding)) for n in (height, width))
        return (*sides, channels(c, filters) if channels and kind == "conv" else filters)

    return wrong


def _height_for_both(shape, layer):
    """Both sides worked out from the height: (H', H', C') where the answer is (H', W', C')."""
    kind = layer[0]
    if kind in ("flatten", "dense"):
        return deep_stacks.shape_after(shape, layer)
    height, _, channels = shape
    return deep_stacks.shape_after((height, height, channels), layer)


def _flatten_only(answer):
    def wrong(shape, layer):
        return answer(shape) if layer[0] == "flatten" else None

    return wrong


SHAPE_MISTAKES = (
    Mistake(
        "padding_ignored",
        "the padding is not counted: a conv layer with padding p adds p rows of zeros at the top and p "
        "at the bottom (and p columns on each side) before its windows slide, so each side of the "
        "output is (n + 2 * padding - size) // stride + 1.",
        _windowed(lambda n, k, s, p: (n - k) // s + 1),
    ),
    Mistake(
        "padding_twice",
        "the padding is counted twice: (n + 4 * padding - size). The zeros go on both sides once, so "
        "the padded side is n + 2 * padding; that 2 already counts both sides.",
        _windowed(lambda n, k, s, p: (n + 4 * p - k) // s + 1),
    ),
    Mistake(
        "padding_one_side",
        "the padding is counted on one side only: (n + padding - size). It goes on both sides, so the "
        "padded side is n + 2 * padding.",
        _windowed(lambda n, k, s, p: (n + p - k) // s + 1),
    ),
    Mistake(
        "stride_ignored",
        "the stride is not used: with stride s the window jumps s positions at a time, so only one "
        "position in s is kept: (n + 2 * padding - size) // stride + 1.",
        _windowed(lambda n, k, s, p: n + 2 * p - k + 1),
    ),
    Mistake(
        "no_plus_one",
        "one position is missing on each side: (n + 2 * padding - size) // stride counts the jumps "
        "between windows; the number of windows is one more, so add 1.",
        _windowed(lambda n, k, s, p: (n + 2 * p - k) // s),
    ),
    Mistake(
        "size_kept",
        "the sides were kept as they were, as if every conv layer kept its input's size. Only some do "
        "(a 3x3 filter with padding 1 and stride 1): work out (n + 2 * padding - size) // stride + 1.",
        _windowed(lambda n, k, s, p: n),
    ),
    Mistake(
        "channels_kept",
        "a conv layer's output has one channel per filter, so its last number is the layer's number "
        "of filters, not its input's channels. (Pooling is the layer that keeps the channels.)",
        _windowed(lambda n, k, s, p: (n + 2 * p - k) // s + 1, channels=lambda c, f: c),
    ),
    Mistake(
        "width_from_height",
        "the width was worked out from the height: both sides came out the same although the input "
        "is not square. Work out each side from its own size: the rows from H, the columns from W, "
        "(n + 2 * padding - size) // stride + 1 for each.",
        _height_for_both,
    ),
    Mistake(
        "channels_not_flattened",
        "flatten keeps every number of the stack, all its channels included: H * W * C, not H * W.",
        _flatten_only(lambda shape: (shape[0] * shape[1],)),
    ),
    Mistake(
        "flatten_kept_the_shape",
        "flatten turns the (H, W, C) stack into one vector: its shape has a single number, (H * W * C,).",
        _flatten_only(lambda shape: tuple(shape)),
    ),
)

SHAPE_VISIBLE = (
    Case(
        ((8, 8, 1), ("conv", 16, 3, 1, 1)), note="the digit network's first layer: 3x3, padding 1 keeps 8 x 8"
    ),
    Case(
        ((8, 8, 16), ("pool", 2, 2)),
        note="2x2 max pooling, stride 2: half the rows and columns, 16 channels kept",
    ),
    Case(
        ((5, 5, 1), ("conv", 32, 2, 1, 0)),
        note="lesson 07's layer: 32 filters of 2 x 2 on a 5 x 5 patch, no padding",
    ),
    Case(
        ((28, 20, 3), ("conv", 8, 5, 2, 2)),
        note="28 rows, 20 columns; 5x5, stride 2, padding 2: (28 + 4 - 5) // 2 + 1 = 14 rows, "
        "(20 + 4 - 5) // 2 + 1 = 10 columns",
    ),
    Case(
        ((7, 9, 4), ("pool", 3, 2)),
        note="overlapping 3x3 pooling with stride 2 on 7 rows and 9 columns: (7 - 3) // 2 + 1 = 3 rows, "
        "(9 - 3) // 2 + 1 = 4 columns",
    ),
    Case(((6, 10, 1), ("conv", 4, 3, 1, 0)), note="6 rows, 10 columns, 3x3 without padding: 4 x 8"),
    Case(((2, 2, 32), ("flatten",)), note="lesson 07's 2 x 2 x 32 stack flattened: 128 numbers"),
    Case(((128,), ("dense", 10)), note="a dense layer with 10 outputs, one score per digit"),
)


def _shape_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for _ in range(4):
        size, stride, padding = int(rng.integers(2, 6)), int(rng.integers(2, 4)), int(rng.integers(1, 3))
        shape = (int(rng.integers(size + 3, 40)), int(rng.integers(size + 3, 40)), int(rng.integers(1, 9)))
        cases.append(Case((shape, ("conv", int(rng.integers(2, 65)), size, stride, padding))))
    shape = (int(rng.integers(6, 30)), int(rng.integers(6, 30)), int(rng.integers(1, 64)))
    cases.append(Case((shape, ("conv", int(rng.integers(2, 65)), 3, 1, 1)), note="3x3, padding 1"))
    size = int(rng.integers(2, 4))
    shape = (int(rng.integers(8, 30)), int(rng.integers(8, 30)), int(rng.integers(2, 64)))
    cases.append(Case((shape, ("pool", size, int(rng.integers(1, size + 1)))), note="pooling"))
    shape = tuple(int(n) for n in rng.integers(2, 9, size=3))
    cases.append(Case((shape, ("flatten",))))
    cases.append(Case(((int(rng.integers(10, 500)),), ("dense", int(rng.integers(2, 100))))))
    return cases


SHAPE_AFTER = Exercise(
    name="shape_after",
    lesson=LESSON,
    reference=deep_stacks.shape_after,
    params=("shape", "layer"),
    visible=SHAPE_VISIBLE,
    hidden=_shape_hidden,
    mistakes=SHAPE_MISTAKES,
    shortcuts={
        deep_stacks.shape_after: None,
        **_by_path(
            "Conv2D.output_shape", "MaxPool2D.output_shape", "Flatten.output_shape", "Dense.output_shape"
        ),
    },
    # whole numbers, one per axis: three for (H, W, C), one for (D,) (the items are paired up to the shorter)
    answer=Answer(kind="tuple", items=(Answer(kind="int"),) * 3),
)


# ------------------------------------------------------------------ receptive_field


def _windows(layers):
    """(size, stride, padding) of each conv or pool layer."""
    return [
        (layer[2], layer[3], layer[4]) if layer[0] == "conv" else (layer[1], layer[2], 0) for layer in layers
    ]


def _field(grow, jump_after=lambda jump, stride: jump * stride, start=1, early=False, swap_pool=False):
    """A mistake in the running sum: what each layer adds, how the jump grows, where the field
    starts, the jump grown before the field (``early``), a pool's size and stride swapped."""

    def wrong(layers):
        field, jump = start, 1
        for layer, (size, stride, padding) in zip(layers, _windows(layers)):
            if swap_pool and layer[0] == "pool":
                size, stride = stride, size
            if early:
                jump = jump_after(jump, stride)
            field += grow(size, stride, padding, jump)
            if not early:
                jump = jump_after(jump, stride)
        return field

    return wrong


FIELD_VISIBLE = (
    Case(([("conv", 16, 3, 1, 1)],), note="one 3x3 layer: each unit sees a 3 x 3 patch"),
    Case(([("conv", 16, 3, 1, 1), ("conv", 16, 3, 1, 1)],), note="two 3x3 layers, stride 1: 3 + 2 = 5"),
    Case(
        ([("conv", 16, 3, 1, 1), ("pool", 2, 2), ("conv", 32, 3, 1, 1), ("pool", 2, 2)],),
        note="the digit network: after the first pool, neighbouring units are 2 pixels apart, so the "
        "second 3x3 layer adds 2 * 2 = 4 pixels",
    ),
    Case(
        ([("conv", 8, 5, 2, 2), ("conv", 8, 3, 2, 1), ("conv", 8, 3, 1, 1)],),
        note="strides 2, 2, 1: the jumps are 1, 2 and 2 * 2 = 4, so 1 + 4 * 1 + 2 * 2 + 2 * 4 = 17",
    ),
    Case(([("pool", 2, 2), ("pool", 2, 2), ("pool", 2, 2)],), note="three 2x2 poolings: 8 x 8 pixels"),
    Case(
        ([("conv", 8, 3, 1, 1), ("pool", 3, 2), ("conv", 8, 3, 1, 1)],),
        note="a 3x3 pooling with stride 2 (pool's size first, then its stride): 1 + 2 * 1 + 2 * 1 + "
        "2 * 2 = 9",
    ),
)


def _field_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for depth in (2, 3, 4, 5, 6):
        layers = []
        for _ in range(depth):
            if rng.random() < 0.6:
                size = int(rng.choice([1, 3, 5, 7]))
                layers.append(("conv", int(rng.integers(4, 65)), size, int(rng.integers(1, 3)), size // 2))
            else:
                size = int(rng.integers(2, 4))
                layers.append(("pool", size, int(rng.integers(2, size + 1))))
        cases.append(Case((layers,)))
    cases.append(
        Case(([("conv", 96, 11, 4, 2), ("pool", 3, 2), ("conv", 256, 5, 1, 2)],), note="AlexNet's start")
    )
    return cases


RECEPTIVE_FIELD = Exercise(
    name="receptive_field",
    lesson=LESSON,
    reference=deep_stacks.receptive_field,
    params=("layers",),
    visible=FIELD_VISIBLE,
    hidden=_field_hidden,
    mistakes=(
        Mistake(
            "strides_added",
            "the strides were added up (jump += stride) where they multiply (jump *= stride). After a "
            "stride-2 layer neighbouring units are 2 input pixels apart; after two of them, 2 * 2 = 4.",
            _field(lambda k, s, p, j: (k - 1) * j, jump_after=lambda jump, stride: jump + stride),
        ),
        Mistake(
            "own_stride",
            "each layer's window was multiplied by its own stride. A layer's stride spreads out the "
            "layers after it, not its own window: layer i adds (size - 1) * jump, where jump is the "
            "product of the strides of the layers before it.",
            _field(lambda k, s, p, j: (k - 1) * s),
        ),
        Mistake(
            "strides_ignored",
            "the strides are not counted: you added (size - 1) per layer. After a stride-2 layer, one "
            "step between the next layer's units is 2 input pixels, so later windows reach further: "
            "add (size - 1) * jump, with jump the product of the strides so far.",
            _field(lambda k, s, p, j: k - 1),
        ),
        Mistake(
            "pool_size_and_stride_swapped",
            "a pooling layer's size and stride were read the wrong way round. A pooling is "
            '("pool", size, stride): its size is at position 1 and its stride at position 2 (for a '
            "convolution they are at 2 and 3).",
            _field(lambda k, s, p, j: (k - 1) * j, swap_pool=True),
        ),
        Mistake(
            "jump_grown_too_early",
            "the jump was multiplied by the layer's stride before its window was added. A layer's own "
            "window is spaced by the strides of the layers before it; its stride only spreads out the "
            "layers after it: first field += (size - 1) * jump, then jump *= stride.",
            _field(lambda k, s, p, j: (k - 1) * j, early=True),
        ),
        Mistake(
            "field_starts_at_zero",
            "the field started at 0, so every answer is one short. Before any layer a unit is one "
            "pixel, which sees itself: start with field = 1, then add (size - 1) * jump per layer.",
            _field(lambda k, s, p, j: (k - 1) * j, start=0),
        ),
        Mistake(
            "padding_counted",
            "padding was added to the field. Padding adds zeros around the input; it moves where a "
            "unit's window sits, but the window still covers size units: (size - 1) * jump more.",
            _field(lambda k, s, p, j: (k - 1 + 2 * p) * j),
        ),
        Mistake(
            "whole_window_added",
            "each layer added size * jump pixels, one too many per layer: neighbouring windows "
            "overlap, and a window of size units reaches (size - 1) * jump pixels past its first one.",
            _field(lambda k, s, p, j: k * j, start=0),
        ),
    ),
    answer=Answer(kind="int"),
    shortcuts={deep_stacks.receptive_field: None, deep_stacks.field_box: None},
)


# ------------------------------------------------------------------ dense


def _float(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _dense(x, weights, biases) -> np.ndarray:
    return _float(x) @ _float(weights) + _float(biases)


DENSE_MISTAKES = (
    Mistake(
        "weights_transposed",
        "the weights are used transposed (x @ weights.T, or weights @ x). weights has one row per "
        "input and one column per output, (D_in, D_out), so x (N, D_in) @ weights gives (N, D_out).",
        lambda x, weights, biases: (
            _float(x) @ _float(weights).T + _float(biases)
            if np.shape(weights)[0] == np.shape(weights)[1]
            else None
        ),
    ),
    Mistake(
        "bias_wrong_axis",
        "the biases are added along the wrong axis (biases[:, None], or reshape(-1, 1)), one per "
        "sample instead of one per output. The output is (N, D_out) and biases is (D_out,): add it "
        "as it is, out + biases, and numpy adds biases[j] to column j of every row.",
        lambda x, weights, biases: (
            _float(x) @ _float(weights) + _float(biases)[:, None] if len(x) in (1, len(biases)) else None
        ),
    ),
    Mistake(
        "samples_on_columns",
        "the output is (D_out, N), one column per sample; the course keeps one row per sample: "
        "(N, D_out), which x @ weights + biases gives directly.",
        lambda x, weights, biases: _dense(x, weights, biases).T,
    ),
    Mistake(
        "bias_forgotten",
        "the biases are missing: add biases[j] to every output j.",
        lambda x, w, b: _dense(x, w, 0 * _float(b)),
    ),
    Mistake(
        "inputs_made_whole",
        "x was turned into whole numbers (astype(int) cuts 0.75 down to 0). The inputs are real "
        "numbers: use them as they are, x @ weights + biases.",
        lambda x, w, b: _dense(_float(x).astype(int), w, b) if _float(x).dtype.kind == "f" else None,
    ),
    Mistake(
        "relu_added",
        "a ReLU was applied. A dense layer is the weighted sum plus bias; in a network ReLU (or softmax, "
        "at the end) comes after it as a layer of its own.",
        lambda x, w, b: np.maximum(_dense(x, w, b), 0),
    ),
)

DENSE_VISIBLE = (
    Case(
        (
            np.array([[1, 0, 2], [0, 1, -1], [3, 1, 0]]),
            np.array([[1, 2, 0], [0, -1, 3], [2, 0, 1]]),
            np.array([10, 20, 30]),
        ),
        note="3 samples, 3 inputs, 3 outputs: sample 0 gives output 0 = 1*1 + 0*0 + 2*2 + 10 = 15",
    ),
    Case(
        (np.array([[1.0, 2.0]]), np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), np.array([0.0, 0.0, 10.0])),
        note="one sample of 2 numbers, 3 outputs: x, then its second number, then their sum + 10",
    ),
    Case(
        (
            np.arange(16, dtype=np.float64).reshape(2, 8) / 4,
            np.array([[1, -1, 0]] * 4 + [[0, 1, -1]] * 4, dtype=np.float64),
            np.array([0.5, -0.5, 0.0]),
        ),
        note="2 samples, each a 2 x 2 x 2 stack flattened into 8 numbers, 3 outputs",
    ),
)


def _dense_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, d_in, d_out in ((4, 4, 4), (5, 7, 3), (1, 12, 10), (6, 3, 6)):
        cases.append(
            Case((rng.normal(size=(n, d_in)), rng.normal(size=(d_in, d_out)), rng.normal(size=d_out)))
        )
    x = rng.random((8, 128)).astype(np.float32)
    w = (rng.normal(size=(128, 10)) * 0.1).astype(np.float32)
    cases.append(
        Case((x, w, rng.normal(size=10).astype(np.float32)), note="float32, a flattened 2 x 2 x 32 stack")
    )
    cases.append(
        Case((rng.integers(0, 5, size=(3, 4)), rng.integers(-2, 3, size=(4, 2)), rng.integers(-3, 4, size=2)))
    )
    return cases


DENSE = Exercise(
    name="dense",
    lesson=LESSON,
    reference=deep_stacks.dense,
    params=("x", "weights", "biases"),
    visible=DENSE_VISIBLE,
    hidden=_dense_hidden,
    mistakes=DENSE_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-5, atol=1e-5, axes=("sample", "output")),
    in_place="build the output as a new array (x @ weights + biases does) and return it.",
    shortcuts={deep_stacks.dense: None, **_by_path("Dense.forward")},
)


# ------------------------------------------------------------------ forward


def _net(images, c1w, c1b, c2w, c2b, dw, db, relu1=True, relu2=True, pool=ops.max_pool2d, order="last"):
    x = ops.conv2d(_float(images), _float(c1w), _float(c1b), padding=1)
    x = pool(ops.relu(x) if relu1 else x, 2)
    x = ops.conv2d(x, _float(c2w), _float(c2b), padding=1)
    x = pool(ops.relu(x) if relu2 else x, 2)
    if order == "first":
        x = x.transpose(0, 3, 1, 2)
    if order == "mixed":  # x.reshape(-1, N).T: N numbers at a time, across the images' boundaries
        return x.reshape(-1, len(x)).T @ _float(dw) + _float(db)
    return x.reshape(len(x), -1) @ _float(dw) + _float(db)


def _variant(**changes):
    return lambda *args: _net(*args, **changes)


FORWARD_PARAMS = ("images", "conv1_w", "conv1_b", "conv2_w", "conv2_b", "dense_w", "dense_b")

FORWARD_MISTAKES = (
    Mistake(
        "relu_forgotten",
        "ReLU is missing after both conv layers. Each layer is conv, then ReLU, then pooling; without "
        "ReLU the two layers together are one linear filter, and cannot combine edges into anything new.",
        _variant(relu1=False, relu2=False),
    ),
    Mistake(
        "relu_forgotten_first",
        "ReLU is missing between the first conv layer and its pooling: relu(conv2d(...)) before max_pool2d.",
        _variant(relu1=False),
    ),
    Mistake(
        "relu_forgotten_second",
        "ReLU is missing between the second conv layer and its pooling: relu(conv2d(...)) before max_pool2d.",
        _variant(relu2=False),
    ),
    Mistake(
        "flatten_channels_first",
        "the stack was flattened channels first (transpose(0, 3, 1, 2) before reshape), but dense_w's rows "
        "follow the course's channels-last order: x.reshape(len(x), -1) on the (N, H, W, C) stack, so "
        "row 0 is position (0, 0) channel 0, row 1 position (0, 0) channel 1, and so on.",
        _variant(order="first"),
    ),
    Mistake(
        "flatten_mixes_images",
        "the flatten mixes the images: x.reshape(-1, N) cuts the batch's numbers into rows of N "
        "without looking where one image ends, so after .T each row holds pieces of several images. "
        "Keep the images on the first axis: x.reshape(len(x), -1), one row per image.",
        lambda *args: _net(*args, order="mixed") if len(args[0]) > 1 else None,
    ),
    Mistake(
        "average_pooling",
        "the pooling takes the average; the network pools with the maximum (max_pool2d).",
        _variant(pool=ops.avg_pool2d),
    ),
    Mistake(
        "softmax_applied",
        "you returned probabilities (softmax of the scores). forward returns the scores themselves, "
        "the dense layer's output; softmax comes after it, where probabilities are needed.",
        lambda *args: ops.softmax(_net(*args), axis=-1),
    ),
    Mistake(
        "relu_on_scores",
        "a ReLU was applied to the scores. The last dense layer's output is the scores as they are, "
        "negative ones included.",
        lambda *args: np.maximum(_net(*args), 0),
    ),
)


def _parameters(rng: np.random.Generator, channels: int, f1: int, f2: int, features: int, classes: int):
    """Weights on the scale training starts from (He), biases small: conv1_w ... dense_b."""
    return (
        rng.normal(0, np.sqrt(2 / (9 * channels)), size=(f1, 3, 3, channels)),
        rng.normal(0, 0.1, size=f1),
        rng.normal(0, np.sqrt(2 / (9 * f1)), size=(f2, 3, 3, f1)),
        rng.normal(0, 0.1, size=f2),
        rng.normal(0, np.sqrt(2 / features), size=(features, classes)),
        rng.normal(0, 0.1, size=classes),
    )


# A hand-drawn 8 x 8 "1" and "7", ink 0..1 like the digits (1 = darkest ink).
_ONE = np.zeros((8, 8))
_ONE[1:7, 4] = 1.0
_ONE[2, 3] = 0.5
_SEVEN = np.zeros((8, 8))
_SEVEN[1, 1:7] = 1.0
_SEVEN[2:7, 5] = 0.75
_SEVEN[[4, 5, 6], [5, 4, 4]] = 1.0

# One vertical-edge and one horizontal-edge filter; the second layer sums them (a corner) and
# takes their difference; the head reads four numbers from 2 x 2 x 2 = 8.
_EDGES = np.array([[[1, 0, -1]] * 3, [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]], dtype=np.float64)[..., None]
_SECOND = np.zeros((2, 3, 3, 2))
_SECOND[0, 1, 1] = [1, 1]
_SECOND[1, 1, 1] = [1, -1]
_HEAD = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [-1, 0], [0, -1], [-1, 0], [0, -1]], dtype=np.float64)


def _forward_visible() -> tuple[Case, ...]:
    rng = np.random.default_rng(8)
    small = (_EDGES, np.array([0.0, -0.5]), _SECOND, np.array([-0.5, 0.25]), _HEAD, np.array([0.0, 1.0]))
    digits = np.stack([_ONE, _SEVEN])[..., None]
    return (
        Case(
            (digits, *small),
            note="a hand-drawn 1 and 7, two edge filters, a second layer that adds and subtracts their "
            "maps, and a head of 8 -> 2",
        ),
        Case(
            (digits, *_parameters(rng, 1, 4, 8, 2 * 2 * 8, 10)),
            note="the same two digits, 4 and 8 random filters, 10 scores",
        ),
        Case(
            (rng.random((3, 4, 4, 3)), *_parameters(rng, 3, 2, 3, 1 * 1 * 3, 2)),
            note="three 4 x 4 colour images: 1 x 1 x 3 left after two poolings",
        ),
    )


def _forward_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for n, (h, w), c, f1, f2, k in (
        (5, (8, 8), 1, 16, 32, 10),
        (2, (12, 8), 3, 4, 6, 5),
        (1, (8, 12), 2, 3, 5, 3),
    ):
        images = rng.random((n, h, w, c))
        cases.append(Case((images, *_parameters(rng, c, f1, f2, (h // 4) * (w // 4) * f2, k))))
    images = rng.random((4, 8, 8, 1)).astype(np.float32)
    params = tuple(p.astype(np.float32) for p in _parameters(rng, 1, 8, 8, 32, 10))
    cases.append(Case((images, *params), note="float32 digits-sized images"))
    return cases


FORWARD = Exercise(
    name="forward",
    uses=(DENSE,),
    lesson=LESSON,
    reference=deep_stacks.forward,
    params=FORWARD_PARAMS,
    visible=_forward_visible(),
    hidden=_forward_hidden,
    mistakes=FORWARD_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-4, atol=1e-4, axes=("sample", "class")),
    roles={"images": "batch", "conv1_w": "filters", "conv2_w": "filters"},
    in_place="build each layer's output as a new array and return the last one.",
    shortcuts={deep_stacks.forward: None, **_by_path("Sequential.forward", "Sequential.feature_maps")},
)


# ------------------------------------------------------------------ has_corner


_RIGHT_MINUS_LEFT = np.array([[-1, 0, 1]] * 3) / 3
EDGES = np.array([_RIGHT_MINUS_LEFT, -_RIGHT_MINUS_LEFT, _RIGHT_MINUS_LEFT.T, -_RIGHT_MINUS_LEFT.T])[
    ..., None
]


def _corner_net(image, edges, weights=None, bias=-1.0, padding=0, relu1=True):
    """The lesson's two layers with one thing changed: what a mistake computes."""
    weights = deep_stacks._top_left() if weights is None else weights
    maps = ops.conv2d(_float(image)[:, :, None], _float(edges), padding=padding)
    maps = ops.relu(maps) if relu1 else maps
    return bool((ops.relu(ops.conv2d(maps, weights[None], np.array([bias]), padding=padding)) > 0).any())


# the two arms of the top-left corner filter, as (row, column, value) cells of a 3 x 3 slice
_DOWN = ((1, 1, 1.0), (2, 1, 1.0), (0, 1, -1.0))  # down the centre column: a left edge going down
_RIGHT = ((1, 1, 1.0), (1, 2, 1.0), (1, 0, -1.0))  # along the centre row: a top edge going right


def _across(arm):
    """An arm drawn with its rows and columns swapped (a column where a row belongs)."""
    return tuple((col, row, value) for row, col, value in arm)


def _arms(vertical=_DOWN, vertical_slice=0, horizontal=_RIGHT, horizontal_slice=2):
    """The top-left filter with its arms where given (an arm of ``()`` is left out)."""
    weights = np.zeros((3, 3, 4))
    for cells, depth in ((vertical, vertical_slice), (horizontal, horizontal_slice)):
        for row, col, value in cells:
            weights[row, col, depth] = value
    return weights


def _swapped_slices():
    return _arms(vertical_slice=1, horizontal_slice=3)  # right edges for left, bottom for top


# Each mistake is told by what the detections show; the pictures are chosen so that each one
# answers the cases in its own way (tests/checks/test_deep_stacks.py), so the one named fits.
CORNER_MISTAKES = (
    Mistake(
        "one_edge_enough",
        "your second layer answers along a single straight edge (the side of a bar or a band), where "
        "no two edges meet. One edge alone must stay at 0 or below: a straight left edge fills the "
        "left-edges arm, +1 + 1 - 1 = 1, and the bias (-1) must take all of that away. Check the bias, "
        "the -1 cells above and left of the centre, and that each arm lies along its own edge.",
        lambda image, edges: _corner_net(image, edges, bias=0.0),
    ),
    Mistake(
        "padding_added",
        "your detector finds a corner where a bright shape runs into the picture's border, and the "
        "picture has none there. Padding does that: the zeros it adds around a bright shape that "
        "touches the border make edges that are not in the picture, and where two of them meet, a "
        "corner. Use valid convolutions, conv2d(...) without padding, for both layers (and the "
        "lesson's two layers, not a library's corner finder, which finds corners of every kind).",
        lambda image, edges: _corner_net(image, edges, padding=1),
    ),
    Mistake(
        "relu_forgotten",
        "layer 1 has no ReLU: edge_maps = relu(conv2d(image[:, :, None], edges)). Without it the edge "
        "maps keep their negative numbers (a right edge is negative in the left-edges map, a bottom "
        "edge in the top-edges map), and the corner filter's -1 cells turn them into additions: the "
        "end of a right edge just above a straight top edge is then enough for a corner that is not "
        "there.",
        lambda image, edges: _corner_net(image, edges, relu1=False),
    ),
    Mistake(
        "arm_points_up",
        "the vertical arm points up (+1 at the centre and above it): that finds where a left edge ends "
        "going down, the bottom-left corner. A top-left corner's left edge goes down from it: +1 at "
        "the centre and below, -1 above.",
        lambda image, edges: _corner_net(image, edges, weights=deep_stacks._top_left()[::-1]),
    ),
    Mistake(
        "arm_points_left",
        "the horizontal arm points left (+1 at the centre and left of it): that finds a top-right "
        "corner. A top-left corner's top edge goes right from it: +1 at the centre and right, -1 left.",
        lambda image, edges: _corner_net(image, edges, weights=deep_stacks._top_left()[:, ::-1]),
    ),
    Mistake(
        "top_arm_across",
        "the top-edges arm (slice 2) runs down a column. A top edge runs along a row, so its arm goes "
        "along the centre row: weights[1, 1:, 2] = 1 (the centre and right of it) and weights[1, 0, 2] "
        "= -1 (left of it).",
        lambda image, edges: _corner_net(image, edges, weights=_arms(horizontal=_across(_RIGHT))),
    ),
    Mistake(
        "left_arm_across",
        "the left-edges arm (slice 0) runs along a row. A left edge runs down a column, so its arm goes "
        "down the centre column: weights[1:, 1, 0] = 1 (the centre and below it) and weights[0, 1, 0] "
        "= -1 (above it).",
        lambda image, edges: _corner_net(image, edges, weights=_arms(vertical=_across(_DOWN))),
    ),
    Mistake(
        "left_arm_in_right_edges",
        "the vertical arm is in slice 1, the right-edges map (bright | dark, where a shape ends). The "
        "side going down from a top-left corner is a left edge, dark | bright: slice 0, "
        "weights[1:, 1, 0] = 1 and weights[0, 1, 0] = -1.",
        lambda image, edges: _corner_net(image, edges, weights=_arms(vertical_slice=1)),
    ),
    Mistake(
        "top_arm_in_bottom_edges",
        "the horizontal arm is in slice 3, the bottom-edges map (bright above, dark below). The side "
        "going right from a top-left corner is a top edge, dark above and bright below: slice 2, "
        "weights[1, 1:, 2] = 1 and weights[1, 0, 2] = -1.",
        lambda image, edges: _corner_net(image, edges, weights=_arms(horizontal_slice=3)),
    ),
    Mistake(
        "top_arm_missing",
        "the filter has no top-edges arm: only slice 0 (left edges) has numbers. On a tall shape the "
        "start of its left edge alone gets above the bias, but a flat shape's left edge is too short "
        "for that. A corner is where a left edge AND a top edge start: give slice 2 its arm too, "
        "weights[1, 1:, 2] = 1 and weights[1, 0, 2] = -1.",
        lambda image, edges: _corner_net(image, edges, weights=_arms(horizontal=())),
    ),
    Mistake(
        "left_arm_missing",
        "the filter has no left-edges arm: only slice 2 (top edges) has numbers. On a wide shape the "
        "start of its top edge alone gets above the bias, but a narrow shape's top edge is too short "
        "for that. A corner is where a left edge AND a top edge start: give slice 0 its arm too, "
        "weights[1:, 1, 0] = 1 and weights[0, 1, 0] = -1.",
        lambda image, edges: _corner_net(image, edges, weights=_arms(vertical=())),
    ),
    Mistake(
        "bias_not_negative",
        "your second layer is above 0 even in a picture with no edge at all: with every edge map 0 "
        "there, what is left is the bias. The bias must be negative, -1, so that nothing is found "
        "until two edges meet.",
        lambda image, edges: _corner_net(image, edges, bias=1.0),
    ),
    Mistake(
        "other_slices",
        "the arms are on the right-edges and bottom-edges slices (1 and 3). A top-left corner of a "
        "bright shape is where its left edge (slice 0, dark | bright) meets its top edge (slice 2).",
        lambda image, edges: _corner_net(image, edges, weights=_swapped_slices()),
    ),
)


def _picture(height, width, *boxes):
    """A dark picture with bright rectangles (top, left, bottom, right), 0.0 and 1.0."""
    image = np.zeros((height, width))
    for top, left, bottom, right in boxes:
        image[top:bottom, left:right] = 1.0
    return image


CORNER_VISIBLE = (
    Case(
        (_picture(10, 10, (3, 2, 7, 7)), EDGES),
        note="a bright 4 x 5 rectangle: four corners, one of them top-left",
    ),
    Case(
        (_picture(10, 10, (0, 4, 10, 7)), EDGES),
        note="a bar from the top to the bottom: two long edges, no corner",
    ),
    Case(
        (_picture(10, 10, (4, 0, 7, 10)), EDGES),
        note="a band from the left to the right: two long edges, no corner",
    ),
    Case(
        (_picture(10, 10, (0, 0, 5, 6)), EDGES),
        note="bright at the top left, up to the border: its only corner is bottom-right",
    ),
    Case(
        (_picture(10, 10, (4, 5, 10, 10)), EDGES),
        note="bright at the bottom right: its one corner is top-left",
    ),
    Case(
        (_picture(10, 10, (0, 4, 5, 10)), EDGES),
        note="bright at the top right, up to the border: its only corner is bottom-left",
    ),
    Case(
        (_picture(10, 10, (5, 0, 10, 6)), EDGES),
        note="bright at the bottom left, up to the border: its only corner is top-right",
    ),
    Case(
        (_picture(10, 10, (0, 0, 2, 2), (4, 0, 6, 10)), EDGES),
        note="a small square in the picture's top-left corner, above a band: no top-left corner "
        "(both touch the left border)",
    ),
    Case(
        (_picture(10, 10, (6, 8, 10, 10)), EDGES),
        note="a block 2 pixels wide in the bottom-right corner: one top-left corner",
    ),
    Case(
        (_picture(10, 10, (3, 2, 5, 8)), EDGES),
        note="a flat block, 2 pixels tall and 6 wide: four corners, one of them top-left",
    ),
    Case((np.zeros((10, 10)), EDGES), note="an empty picture: no edge, no corner"),
)


def _corner_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    h, w = (int(n) for n in rng.integers(10, 16, size=2))
    # at least 2 pixels from the border: two valid 3x3 layers see a corner no closer
    top, left = int(rng.integers(2, h - 5)), int(rng.integers(2, w - 5))
    cases.append(
        Case(
            (
                _picture(h, w, (top, left, top + int(rng.integers(3, 5)), left + int(rng.integers(3, 5)))),
                EDGES,
            ),
            note="a rectangle",
        )
    )
    left = int(rng.integers(1, w - 4))
    cases.append(
        Case(
            (_picture(h, w, (0, left, h, left + int(rng.integers(3, 4)))), EDGES), note="a bar, top to bottom"
        )
    )
    top = int(rng.integers(1, h - 4))
    cases.append(Case((_picture(h, w, (top, 0, top + 3, w)), EDGES), note="a band, left to right"))
    r, c = int(rng.integers(3, h - 3)), int(rng.integers(3, w - 3))
    cases.append(Case((_picture(h, w, (r, c, h, w)), EDGES), note="bright to the bottom right"))
    cases.append(Case((_picture(h, w, (0, 0, r, c)), EDGES), note="bright to the top left"))
    cases.append(Case((_picture(h, w, (0, c, r, w)), EDGES), note="bright to the top right"))
    cases.append(Case((_picture(h, w, (r, 0, h, c)), EDGES), note="bright to the bottom left"))
    cases.append(Case((np.zeros((h, w)), EDGES), note="an empty picture"))
    cases.append(Case((_picture(h, w, (0, 1, h, 4), (0, w - 4, h, w - 1)), EDGES), note="two bars"))
    side = int(rng.integers(2, 4))
    cases.append(
        Case(
            (_picture(h, w, (0, 0, side, side), (side + 2, 0, side + 4, w)), EDGES),
            note="a square in the top-left corner above a band",
        )
    )
    height = int(rng.integers(4, h - 4))
    cases.append(
        Case((_picture(h, w, (h - height, w - 2, h, w)), EDGES), note="a narrow block, bottom right")
    )
    top, left = int(rng.integers(2, h - 4)), int(rng.integers(2, w - 6))
    right = int(rng.integers(left + 3, w - 1))
    cases.append(Case((_picture(h, w, (top, left, top + 2, right)), EDGES), note="a flat block"))
    return cases


HAS_CORNER = Exercise(
    name="has_corner",
    lesson=LESSON,
    reference=deep_stacks.has_corner,
    params=("image", "edges"),
    visible=CORNER_VISIBLE,
    hidden=_corner_hidden,
    mistakes=CORNER_MISTAKES,
    answer=Answer(kind="bool"),
    roles={"image": "image", "edges": "filters"},
    shortcuts={deep_stacks.has_corner: None, deep_stacks.corner_filters: None},
)


EXERCISES = (HAS_CORNER, SHAPE_AFTER, RECEPTIVE_FIELD, DENSE, FORWARD)

check_has_corner = make_check(HAS_CORNER)
check_shape_after = make_check(SHAPE_AFTER)
check_receptive_field = make_check(RECEPTIVE_FIELD)
check_dense = make_check(DENSE)
check_forward = make_check(FORWARD)
