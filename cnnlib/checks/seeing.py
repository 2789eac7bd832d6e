"""Lesson 10 (seeing): the exercises feature_maps, top_patches, occlusion_map and classify_faces, as data.

The references are cnnlib's answers in ``cnnlib.seeing``. A network and a prediction function
cannot travel as plain data (a grader sends cases to a sandbox), so the cases name them in words
(``"digits_cnn(seed=3)"``, ``"sum of rows 1-2, columns 1-2"``) and ``prepare`` builds them in
whichever process calls: every network here is a fresh, untrained one from a fixed seed, or a tiny
one with hand-set weights. The face classifier is judged on its labels: 90 % of the held-out ones
right pass (``Answer.agree``); its expected answer is the true labels (``seeing.face_truth``).
"""

from __future__ import annotations

import re

import numpy as np

from .. import data, deep_stacks, seeing
from ..layers import Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential, digits_cnn
from .exercise import Answer, Case, Exercise, Mistake
from .outcome import Outcome
from .runner import CheckFailure, in_process, make_check, run_check

__all__ = [
    "check_feature_maps",
    "check_top_patches",
    "check_occlusion_map",
    "check_classify_faces",
    "network",
    "predictor",
    "EXERCISES",
    "GRADING_CALL_SECONDS",
]

LESSON = "10_seeing"


# ------------------------------------------------------------------ networks, by name


def _tiny() -> Sequential:
    """5 x 5 input; conv 2x2 with two hand-set filters, ReLU, 2x2 max pool, flatten, dense 8 -> 2."""
    net = Sequential(
        [Conv2D(1, 2, 2), ReLU(), MaxPool2D(2), Flatten(), Dense(8, 2)], input_shape=(5, 5, 1), seed=0
    )
    net.params["conv1.w"][...] = np.array([[[1, 1], [1, 1]], [[1, -1], [1, -1]]], np.float32)[..., None]
    net.params["conv1.b"][...] = [-1, 0]
    net.params["dense1.w"][...] = np.tile([[1, 0], [0, 1]], (4, 1))
    net.params["dense1.b"][...] = 0
    return net


def _strided(seed: int) -> Sequential:
    """12 x 12 input; conv 3x3 stride 2 padding 1, ReLU, 2x2 max pool, conv 2x2, ReLU, flatten, dense."""
    return Sequential(
        [
            Conv2D(1, 4, 3, stride=2, padding=1),
            ReLU(),
            MaxPool2D(2),
            Conv2D(4, 5, 2),
            ReLU(),
            Flatten(),
            Dense(20, 3),
        ],
        input_shape=(12, 12, 1),
        seed=seed,
    )


def _wide(seed: int) -> Sequential:
    """8 x 14 input (not square): conv 3x3 padding 1, ReLU, 2x2 max pool, conv 3x3, ReLU, flatten,
    dense; its maps are 8 x 14, 4 x 7 and 2 x 5, so rows and columns cannot be mixed up unseen."""
    return Sequential(
        [Conv2D(1, 4, 3, padding=1), ReLU(), MaxPool2D(2), Conv2D(4, 6, 3), ReLU(), Flatten(), Dense(60, 3)],
        input_shape=(8, 14, 1),
        seed=seed,
    )


_NETWORKS = {"digits_cnn": digits_cnn, "strided": _strided, "wide": _wide}


def network(name: str) -> Sequential:
    """The network a case names: ``"tiny"``, ``"digits_cnn(seed=N)"``, ``"strided(seed=N)"`` or
    ``"wide(seed=N)"``."""
    if name == "tiny":
        return _tiny()
    found = re.fullmatch(r"(digits_cnn|strided|wide)\(seed=(\d+)\)", name)
    if not found:
        raise ValueError(f"no network called {name!r}")
    return _NETWORKS[found.group(1)](int(found.group(2)))


def _prepare_net(net, *rest, **kwargs):
    return (network(net), *rest), kwargs


# ------------------------------------------------------------------ feature_maps


def _layer_output(net, x, k) -> np.ndarray:
    """The output of layer k, or the input itself for k = -1."""
    if k < 0:
        return np.asarray(x, net.dtype)
    return seeing.feature_maps(net, x, k)


FEATURE_MISTAKES = (
    Mistake(
        "one_short",
        "you returned the output of layer k - 1, the input of layer k (for k = 1 that is conv1 "
        "before its ReLU, not relu1). Layers are counted from 0, and layer k's output is what comes "
        "out after running layers 0, 1, ..., k: all k + 1 of them, `list(net.layers.values())[:k + 1]`.",
        lambda net, x, k: _layer_output(net, x, k - 1),
    ),
    Mistake(
        "one_past",
        "you returned the output of layer k + 1, one layer too far (for k = 0, conv1, that is relu1: "
        "the map after ReLU instead of before). Run layers 0 to k, `list(net.layers.values())[:k + 1]`, "
        "and stop there.",
        lambda net, x, k: seeing.feature_maps(net, x, k + 1) if k + 1 < len(net.layers) else None,
    ),
    Mistake(
        "whole_network",
        "you returned the scores of the whole network (net.forward(x)): run the layers only up to k.",
        lambda net, x, k: net.forward(x) if k != len(net.layers) - 1 else None,
    ),
    Mistake(
        "first_image_only",
        "you returned the maps of the first image only; x is a batch, so return all N of them, "
        "(N, H', W', C') for a map layer.",
        lambda net, x, k: seeing.feature_maps(net, x, k)[0] if len(x) > 1 else None,
    ),
    Mistake(
        "made_integers",
        "the maps were turned into whole numbers (.astype(int)), which cuts off every fraction: "
        "a layer's output is made of floats, so return it as forward gives it, without astype.",
        lambda net, x, k: seeing.feature_maps(net, x, k).astype(np.int64),
        kinds="biu",
    ),
    Mistake(
        "input_made_integers",
        "the images were turned into whole numbers (x.astype(int)) before the first layer: pixels "
        "between 0 and 1 all became 0 (or 1), so the network saw other images. Start from x itself.",
        lambda net, x, k: seeing.feature_maps(net, np.asarray(x).astype(np.int64), k),
    ),
)


def _stroke_images() -> np.ndarray:
    """Three 5 x 5 images for the tiny network: a vertical stroke (1), a fainter horizontal one, a dot."""
    vertical, horizontal, dot = np.zeros((3, 5, 5), np.float32)
    vertical[:, 2] = 1
    horizontal[1, :] = 0.75
    dot[3, 3] = 1
    return np.stack([vertical, horizontal, dot])[..., None]


_STROKES = _stroke_images()


def _digit_like() -> np.ndarray:
    """Six 8 x 8 images for the untrained digit CNN: strokes and blocks in different places."""
    images = np.zeros((6, 8, 8, 1), np.float32)
    images[0, 1:7, 3] = 1.0
    images[1, 2, 1:7] = 0.8
    images[2, 5:7, 5:7] = 0.6
    images[3, 1:7, 6] = 0.9
    images[4, np.arange(7), np.arange(7)] = 1.0
    images[5, 0:3, 0:3] = 0.4
    # a little fixed texture, so that no two positions of an image tie
    return images + np.random.default_rng(10).uniform(0, 0.1, size=images.shape).astype(np.float32)


def _feature_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for name, shape in (
        (f"digits_cnn(seed={int(rng.integers(100))})", (8, 8, 1)),
        (f"strided(seed={int(rng.integers(100))})", (12, 12, 1)),
        (f"digits_cnn(seed={int(rng.integers(100))})", (8, 8, 1)),
    ):
        n = int(rng.integers(2, 6))
        x = rng.uniform(0, 1, size=(n, *shape)).astype(np.float32)
        k = int(rng.integers(0, len(network(name).layers)))
        cases.append(Case((name, x, k), note=f"layer {k} of an untrained network, {n} random images"))
    cases.append(Case(("digits_cnn(seed=7)", rng.uniform(0, 1, size=(3, 8, 8, 1)), 0), note="float64 images"))
    return cases


FEATURE_MAPS = Exercise(
    name="feature_maps",
    lesson=LESSON,
    reference=seeing.feature_maps,
    params=("net", "x", "k"),
    visible=(
        Case(
            ("tiny", _STROKES, 0),
            note="layer 0 of the tiny network (conv1): filter 0 adds up a 2 x 2 window and subtracts 1, "
            "filter 1 is left column minus right column; a vertical stroke, a horizontal one, a dot. "
            "The answer is layer 0's output alone, one array of shape (3, 4, 4, 2)",
        ),
        Case(("tiny", _STROKES, 1), note="layer 1, relu1: the same maps with negatives set to 0"),
        Case(("tiny", _STROKES, 2), note="layer 2, pool1: 2 x 2 max pooling of relu1, 2 x 2 per map"),
        Case(("tiny", _STROKES, 4), note="layer 4, dense1: the two scores of each image"),
        Case(
            ("digits_cnn(seed=0)", _digit_like()[:3], 5),
            note="layer 5 of the untrained digit CNN (pool2): 2 x 2 x 32 per image",
        ),
    ),
    hidden=_feature_hidden,
    mistakes=FEATURE_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-4, atol=1e-5),
    roles={"x": "batch"},
    prepare=_prepare_net,
    shortcuts={seeing.feature_maps: None, "cnnlib.layers.Sequential.feature_maps": None},
    in_place="leave x as it is: each layer returns a new array.",
)


# ------------------------------------------------------------------ top_patches


def _ranked(
    net,
    images,
    unit,
    n,
    *,
    increasing=False,
    smallest=False,
    layer=None,
    box_layer=None,
    per_image=True,
    box=None,
    by_height=False,
    swapped=False,
):
    """top_patches with one thing changed, for the mistakes."""
    k, f = unit
    k = k if layer is None else layer
    below = k if box_layer is None else box_layer
    if not 0 <= k < len(net.layers) or below < 0:
        return None
    shape = net.shapes[list(net.layers)[k]]
    if len(shape) != 3 or f >= shape[2]:
        return None
    maps = seeing.feature_maps(net, images, k)[..., f].astype(np.float64)
    height, width = maps.shape[1:3]
    split = height if by_height else width
    flat = maps.reshape(len(maps), -1)
    if per_image:
        best = flat.argmax(axis=1)
        values = flat[np.arange(len(flat)), best]
        order = np.argsort(values if smallest else -values, kind="stable")[:n]
        where = [(int(i), *divmod(int(best[i]), split)) for i in order]
        values = values[order]
    else:
        order = np.argsort(-flat.ravel(), kind="stable")[:n]
        values = flat.ravel()[order]
        where = [(int(i // flat.shape[1]), *divmod(int(i % flat.shape[1]), split)) for i in order]
    if swapped:
        where = [(i, c, r) for i, r, c in where]
    stack = seeing.stack_of(net, below)
    boxes = np.array([(i, *(box or deep_stacks.field_box)(stack, r, c)) for i, r, c in where], np.int64)
    if increasing:
        values, boxes = values[::-1], boxes[::-1]
    return values, boxes


def _unmapped(stack, row, col):
    size = deep_stacks.receptive_field(stack)
    return row, col, row + size, col + size


def _no_padding(stack, row, col):
    size = deep_stacks.receptive_field(stack)
    jump = int(np.prod([layer[3] if layer[0] == "conv" else layer[2] for layer in stack]))
    return row * jump, col * jump, row * jump + size, col * jump + size


TOP_MISTAKES = (
    Mistake(
        "increasing",
        "the patches are in increasing order: the strongest must come first. np.argsort sorts from "
        "small to large; take np.argsort(-values) (or reverse with [::-1]) before keeping n.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, increasing=True),
    ),
    Mistake(
        "not_mapped_back",
        "the boxes are at the unit's row and column in its own map, not in the input. Each stride "
        "and pooling before layer k spreads the units apart in the input (2 pixels per step after "
        "one 2 x 2 pool) and padding shifts them: use lesson 08's field_box(stack_of(net, k), row, col).",
        lambda net, images, unit, n: _ranked(net, images, unit, n, box=_unmapped),
    ),
    Mistake(
        "padding_ignored",
        "the boxes are spread out by the strides but not shifted by the padding: a padded layer's "
        "first unit looks at the zeros before the image, so its box starts above and left of pixel "
        "(0, 0). field_box(stack_of(net, k), row, col) subtracts that.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, box=_no_padding),
    ),
    Mistake(
        "several_per_image",
        "one image gave several patches: you ranked every position of every image. Take each image's "
        "best position only (its largest activation), then the n images whose best is largest.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, per_image=False),
    ),
    Mistake(
        "smallest",
        "you kept the n images whose best activations are the smallest: np.argsort sorts from small "
        "to large, so its first n are the weakest. Sort by -values (np.argsort(-values)) and keep the "
        "first n: the strongest, largest first.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, smallest=True),
    ),
    Mistake(
        "divmod_by_height",
        "the row and column of each best position are wrong: a flattened map runs along a row first, "
        "so its index is row * W' + column, and divmod(index, W') (the map's width, maps.shape[2]) gives "
        "(row, column). Dividing by the height H' only works when the map is square.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, by_height=True),
    ),
    Mistake(
        "rows_columns_swapped",
        "the boxes have rows and columns swapped: field_box(stack, row, col) takes the unit's row "
        "first, then its column, and gives (top, left, bottom, right).",
        lambda net, images, unit, n: _ranked(net, images, unit, n, swapped=True),
    ),
    Mistake(
        "one_short",
        "the activations are those of layer k - 1, one layer too early (before ReLU, or before "
        "pooling): feature_maps(net, images, k) runs layers 0 to k.",
        lambda net, images, unit, n: _ranked(net, images, unit, n, layer=unit[0] - 1),
        error=("ValueError", "feature_maps(net, x, k): k must be"),
    ),
    Mistake(
        "box_one_short",
        "the activations are right, but the boxes are those of a unit of layer k - 1: a unit of "
        "layer k sees through layers 0 to k, all k + 1 of them, so its box is "
        "field_box(stack_of(net, k), row, col) (stack_of(net, k - 1) leaves layer k's own window "
        "out, and for k = 0 asks for a layer -1 that does not exist).",
        lambda net, images, unit, n: _ranked(net, images, unit, n, box_layer=unit[0] - 1),
        error=("ValueError", "stack_of(net, k): k must be"),
    ),
)


def _clear(net, images, unit, n, gap=1e-3) -> bool:
    """No near-ties that float rounding could reorder: the first n + 1 images' bests, and each
    ranked image's best against its second best."""
    maps = seeing.feature_maps(net, images, unit[0])[..., unit[1]].astype(np.float64)
    flat = np.sort(maps.reshape(len(maps), -1), axis=1)[:, ::-1]
    bests = np.sort(flat[:, 0])[::-1]
    order = np.argsort(-flat[:, 0], kind="stable")[:n]
    scale = max(abs(bests[0]), 1e-3)
    return bool(
        bests[0] > 0
        and np.all(np.diff(bests[: n + 1]) < -gap * scale)
        and np.all(flat[order, 0] - flat[order, 1] > gap * scale)
    )


def _telling(net, images, unit, n, wide=False) -> bool:
    """Whether the case tells the right answer from the mistakes that a random case can miss:
    ranking every position (not each image's best), the layer below (the same as layer k's at a
    ReLU), and on a non-square map, splitting flat indices by the height (not the width)."""
    right = _ranked(net, images, unit, n)
    variants = [{"per_image": False}, {"layer": unit[0] - 1}, {"box_layer": unit[0] - 1}]
    variants += [{"by_height": True}] if wide else []
    for variant in variants:
        wrong = _ranked(net, images, unit, n, **variant)
        if wrong is not None and all(np.array_equal(a, b) for a, b in zip(right, wrong)):
            return False
    return True


def _patch_images(name: str, rng: np.random.Generator, count: int) -> np.ndarray:
    shape = network(name).input_shape
    return rng.uniform(0, 1, size=(count, *shape)).astype(np.float32)


def _wide_images() -> np.ndarray:
    """Ten 8 x 14 images for the non-square network: a fixed texture with a stroke in each."""
    images = np.random.default_rng(11).uniform(0, 0.5, size=(10, 8, 14, 1)).astype(np.float32)
    for i in range(10):
        images[i, 1 + i % 5, 2 + i : 6 + i] += 0.5  # a short horizontal stroke, further right each time
    return images


def _top_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    plans = [("digits_cnn", (0, 2)), ("digits_cnn", (3, 5)), ("strided", (0, 4)), ("wide", (0, 4))]
    for kind, (low, high) in plans:
        for _ in range(50):
            name = f"{kind}(seed={int(rng.integers(100))})"
            net = network(name)
            k = int(rng.integers(low, high + 1))
            unit = (k, int(rng.integers(net.shapes[list(net.layers)[k]][2])))
            images = _patch_images(name, rng, int(rng.integers(12, 30)))
            n = int(rng.integers(2, 7))
            if _clear(net, images, unit, n) and _telling(net, images, unit, n, wide=kind == "wide"):
                break
        cases.append(
            Case((name, images, unit, n), note=f"map {unit[1]} of layer {k}, {len(images)} random images")
        )
    return cases


TOP_PATCHES = Exercise(
    name="top_patches",
    uses=(FEATURE_MAPS,),
    lesson=LESSON,
    reference=seeing.top_patches,
    params=("net", "images", "unit", "n"),
    visible=(
        Case(
            ("tiny", _STROKES, (2, 0), 3),
            note="after pooling (layer 2, map 0, window sum minus 1): units 2 input pixels apart, each "
            "seeing 3 x 3; the stroke gives 1, the fainter one 0.5, the dot 0 everywhere",
        ),
        Case(
            ("tiny", _STROKES, (0, 1), 2),
            note="the tiny network's filter 1 (left minus right) before ReLU: the vertical stroke's best "
            "is 2, at row 0, column 2 (the first of four equal ones), the dot's 1 at row 2, column 3; "
            "a 2 x 2 field starts at the unit's own row and column",
        ),
        Case(
            ("digits_cnn(seed=0)", _digit_like(), (1, 4), 3),
            note="relu1 of the untrained digit CNN: 3 x 3 fields, one pixel up and left (the padding)",
        ),
        Case(
            ("digits_cnn(seed=0)", _digit_like(), (5, 9), 4),
            note="pool2 of the digit CNN: 10 x 10 fields, 4 pixels apart, starting at -3",
        ),
        Case(
            ("wide(seed=0)", _wide_images(), (2, 2), 3),
            note="a network for 8 x 14 images (not square), map 2 of its pool1: 4 rows and 7 columns, "
            "4 x 4 fields 2 pixels apart, starting at -1",
        ),
    ),
    hidden=_top_hidden,
    mistakes=TOP_MISTAKES,
    answer=Answer(
        kind="tuple",
        items=(Answer(dtype=None, rtol=1e-4, atol=1e-5), Answer(dtype=None)),
        names=("values", "boxes"),
    ),
    roles={"images": "batch"},
    prepare=_prepare_net,
    shortcuts={seeing.top_patches: None},
    in_place="leave images as they are.",
)


# ------------------------------------------------------------------ occlusion_map


def _weights(shape) -> np.ndarray:
    h, w = shape
    return np.sin(np.add.outer(np.arange(h), 2 * np.arange(w)) + 0.5)


PREDICTORS = {
    "sum of rows 1-2, columns 1-2": lambda image: float(image[1:3, 1:3].sum()),
    "pixel (0, 0)": lambda image: float(image[0, 0]),
    "mean brightness": lambda image: float(np.mean(image)),
    "sin-weighted sum": lambda image: float((image * _weights(image.shape)).sum()),
    "always 1": lambda image: 1.0,
}


def predictor(name: str):
    """The prediction function a case names: a key of ``PREDICTORS``, or
    ``"digits_cnn(seed=N), probability of class C"`` (an untrained digit CNN, 8 x 8 images)."""
    if name in PREDICTORS:
        return PREDICTORS[name]
    found = re.fullmatch(r"digits_cnn\(seed=(\d+)\), probability of class (\d)", name)
    if not found:
        raise ValueError(f"no prediction function called {name!r}")
    net, label = digits_cnn(int(found.group(1))), int(found.group(2))
    return lambda image: float(seeing.probabilities(net, np.asarray(image)[None, :, :, None])[0, label])


def _prepare_predict(predict, *rest, **kwargs):
    return (predictor(predict), *rest), kwargs


def _drops(predict, image, patch, stride, fill=seeing.GRAY, pile_up=False, step=None) -> np.ndarray:
    """The raw drops; ``step`` (1) puts the square at r * step instead of r * stride."""
    image = np.asarray(image, np.float64)
    base = predict(image.copy())
    rows, cols = (image.shape[0] - patch) // stride + 1, (image.shape[1] - patch) // stride + 1
    step = stride if step is None else step
    drops = np.zeros((rows, cols))
    hidden = image.copy()
    for r in range(rows):
        for c in range(cols):
            if not pile_up:
                hidden = image.copy()
            hidden[r * step : r * step + patch, c * step : c * step + patch] = fill
            drops[r, c] = base - predict(hidden)
    return drops


def _unguarded(drops: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return drops / np.abs(drops).max()


def _scaled(drops: np.ndarray) -> np.ndarray:
    largest = np.abs(drops).max()
    return drops / largest if largest > 0 else drops


OCCLUSION_MISTAKES = (
    Mistake(
        "sign_inverted",
        "the signs are the wrong way round: you took occluded score minus original score, so a "
        "place whose hiding lowers the score came out negative. Importance is the drop: "
        "predict(image) - predict(hidden).",
        lambda predict, image, patch, stride: -seeing.occlusion_map(predict, image, patch, stride),
    ),
    Mistake(
        "not_normalised",
        "the drops are not scaled: divide them all by the largest size of a drop, "
        "np.abs(drops).max() (unless that is 0), so the most important place shows as 1.",
        lambda predict, image, patch, stride: _drops(predict, image, patch, stride),
    ),
    Mistake(
        "scaled_by_largest_value",
        "you divided by the largest drop, drops.max(), not by the largest size of a drop, "
        "np.abs(drops).max(): when the biggest change is a rise (a negative drop), the map leaves "
        "[-1, 1] or flips sign.",
        lambda predict, image, patch, stride: (
            d / d.max() if (d := _drops(predict, image, patch, stride)).max() > 0 else d
        ),
    ),
    Mistake(
        "gray_piles_up",
        "the gray squares pile up: you painted every square on one copy made before the loops, so "
        "each prediction saw all the squares painted so far. Make a new copy of the image for every "
        "position (hidden = image.copy() inside the inner loop).",
        lambda predict, image, patch, stride: _scaled(_drops(predict, image, patch, stride, pile_up=True)),
    ),
    Mistake(
        "stride_ignored",
        "the squares are placed one pixel apart, not `stride` pixels: the square of map cell (r, c) "
        "has its top-left corner at row r * stride, column c * stride "
        "(hidden[r * stride:r * stride + patch, c * stride:c * stride + patch]).",
        lambda predict, image, patch, stride: (
            _scaled(_drops(predict, image, patch, stride, step=1)) if stride > 1 else None
        ),
    ),
    Mistake(
        "black_patch",
        "the square is filled with 0 (blank paper for a digit, black in a photo), not gray: paint "
        "it with 0.5, halfway between 0 and 1, so that hiding a part adds as little of its own as "
        "possible for the network to react to.",
        lambda predict, image, patch, stride: _scaled(_drops(predict, image, patch, stride, fill=0.0)),
    ),
    Mistake(
        "ink_patch",
        "the square is filled with 1 (full ink for a digit, white in a photo), not gray: paint it "
        "with 0.5, halfway between 0 and 1, so that hiding a part adds as little of its own as "
        "possible for the network to react to.",
        lambda predict, image, patch, stride: _scaled(_drops(predict, image, patch, stride, fill=1.0)),
    ),
    Mistake(
        "zero_divided",
        "when no square changes the score, every drop is 0 and dividing by the largest size of a "
        "drop, 0, gives nan (0 / 0): return the zeros as they are in that case "
        "(if largest == 0: return drops).",
        lambda predict, image, patch, stride: _unguarded(_drops(predict, image, patch, stride)),
    ),
)

_SQUARE = np.array([[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.5, 0.0], [0.0, 0.5, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]])


def _occlusion_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for name in (
        "sin-weighted sum",
        f"digits_cnn(seed={int(rng.integers(100))}), probability of class {int(rng.integers(10))}",
    ):
        shape = (8, 8) if name.startswith("digits") else tuple(int(v) for v in rng.integers(5, 10, size=2))
        image = rng.uniform(0, 1, size=shape)
        patch = int(rng.integers(1, 4))
        stride = int(rng.integers(1, 3))
        cases.append(Case((name, image, patch, stride), note=f"a random {shape[0]} x {shape[1]} image"))
    image = rng.uniform(0, 1, size=(6, 7)).astype(np.float32)
    cases.append(Case(("sum of rows 1-2, columns 1-2", image, 2, 2), note="float32, stride 2"))
    image = rng.uniform(0.6, 1, size=(5, 5))
    image[0, 0] = 0.1
    cases.append(Case(("pixel (0, 0)", image, 2, 1), note="hiding pixel (0, 0) raises the score"))
    image = rng.uniform(0, 1, size=tuple(int(v) for v in rng.integers(4, 8, size=2)))
    cases.append(Case(("always 1", image, 2, 1), note="a score that never changes: every drop is 0"))
    return cases


OCCLUSION_MAP = Exercise(
    name="occlusion_map",
    lesson=LESSON,
    reference=seeing.occlusion_map,
    params=("predict", "image", "patch", "stride"),
    visible=(
        Case(
            ("sum of rows 1-2, columns 1-2", _SQUARE, 2, 1),
            note="the score is the sum of the centre 2 x 2, 3.0; the square at (1, 1) makes it "
            "4 * 0.5 = 2.0, a drop of 1.0, the largest",
        ),
        Case(("sum of rows 1-2, columns 1-2", _SQUARE, 2, 2), note="stride 2: four positions"),
        Case(
            ("pixel (0, 0)", _SQUARE, 1, 1),
            note="the score is pixel (0, 0), 0: hiding it makes it 0.5, a rise, so that place is -1",
        ),
        Case(("always 1", _SQUARE, 3, 1), note="a score that never changes: no drop anywhere, all 0"),
        Case(
            (
                "digits_cnn(seed=0), probability of class 3",
                _digit_like()[0, :, :, 0].astype(np.float64),
                3,
                1,
            ),
            note="an untrained digit CNN's probability of a 3 for a vertical stroke",
        ),
    ),
    hidden=_occlusion_hidden,
    mistakes=OCCLUSION_MISTAKES,
    answer=Answer(dtype=None, rtol=1e-4, atol=1e-5),
    prepare=_prepare_predict,
    shortcuts={seeing.occlusion_map: None},
    in_place="the occluder painted on `image` itself: hidden = image gives the same array a second "
    "name, not a copy. Make a new copy for every position, hidden = image.copy(), and paint on that.",
)


# ------------------------------------------------------------------ classify_faces


def _face_split(random_state: int):
    from skimage.data import lfw_subset
    from sklearn.model_selection import train_test_split

    images = np.asarray(lfw_subset(), np.float32)[..., None]
    labels = np.array([data.FACE] * 100 + [data.NOT_FACE] * 100, np.int64)
    x_train, x_test, y_train, _ = train_test_split(
        images, labels, test_size=0.25, stratify=labels, random_state=random_state
    )
    return x_train, y_train, x_test


_LABELS_NOTE = (
    "the answer is one label per held-out image, shape (50,): 1 = face, 0 = not a face; "
    "net.predict(x_test) gives them (net.forward gives two scores per image, shape (50, 2))"
)


def _faces_hidden(rng: np.random.Generator) -> list[Case]:
    x_train, y_train, x_test = _face_split(int(rng.integers(1, 1000)))
    return [
        Case(
            (x_train, y_train, x_test, int(rng.integers(1, 100))),
            note=f"another split of lfw_subset, another seed; {_LABELS_NOTE}",
        )
    ]


def _visible_faces() -> tuple[Case, ...]:
    return (
        Case(
            (*_face_split(0), 0),
            note=f"load_faces()'s split: 150 training images, 50 held out (25 faces), seed 0; {_LABELS_NOTE}",
        ),
    )


class _Lazy(tuple):
    """The visible face case, made on first use (lfw_subset takes a moment to load)."""

    def __new__(cls):
        return super().__new__(cls)

    def _cases(self):
        if not hasattr(type(self), "_made"):
            type(self)._made = _visible_faces()
        return type(self)._made

    def __iter__(self):
        return iter(self._cases())

    def __len__(self):
        return len(self._cases())

    def __getitem__(self, index):
        return self._cases()[index]


def _labels(value: int):
    return lambda x_train, y_train, x_test, seed: np.full(len(x_test), value, np.int64)


FACE_MISTAKES = (
    Mistake(
        "everything_a_face",
        "every image got label 1 (a face): the classifier has not learned anything yet. Train it "
        "longer or with a larger learning rate (fit's epochs and lr), and return net.predict(x_test).",
        _labels(data.FACE),
    ),
    Mistake(
        "nothing_a_face",
        "every image got label 0 (not a face): the classifier has not learned anything yet. Train it "
        "longer or with a larger learning rate (fit's epochs and lr), and return net.predict(x_test).",
        _labels(data.NOT_FACE),
    ),
    Mistake(
        "labels_swapped",
        "almost every label is the wrong way round: 1 means a face, 0 not a face. Did you take the "
        "smallest score (argmin) or turn the labels around? net.predict(x_test) gives the class with "
        "the largest score.",
        lambda x_train, y_train, x_test, seed: 1 - seeing.face_truth(x_train, y_train, x_test, seed),
    ),
    Mistake(
        "one_output",
        "two classes need 2 outputs: the last layer must be Dense(in_features, 2), one score for "
        "'not a face' (class 0) and one for 'a face' (class 1). With 1 output there is only a class 0, "
        "so fit cannot take the label 1.",
        error=("ValueError", "labels must be class numbers in [0, 1)"),
    ),
)

# Other libraries' classifiers, switched off by their prediction methods (the ones without a
# wrapper round them, which the guard can swap): the exercise is a CNN of cnnlib's layers.
SKLEARN_CLASSIFIERS = (
    "sklearn.linear_model.LogisticRegression.predict",
    "sklearn.linear_model.LogisticRegression.decision_function",
    "sklearn.svm._base.BaseLibSVM.predict",
    "sklearn.neighbors.KNeighborsClassifier.predict",
    "sklearn.neighbors.KNeighborsClassifier.predict_proba",
    "sklearn.neural_network.MLPClassifier.predict",
    "sklearn.neural_network.MLPClassifier.predict_proba",
    "sklearn.tree.DecisionTreeClassifier.predict",
    "sklearn.tree.DecisionTreeClassifier.predict_proba",
    "sklearn.ensemble.RandomForestClassifier.predict_proba",
    "sklearn.naive_bayes.GaussianNB.predict",
)


CLASSIFY_FACES = Exercise(
    name="classify_faces",
    lesson=LESSON,
    reference=seeing.face_truth,
    params=("x_train", "y_train", "x_test", "seed"),
    visible=_Lazy(),
    hidden=_faces_hidden,
    mistakes=FACE_MISTAKES,
    answer=Answer(dtype=None, agree=0.9, axes=("test image",)),
    roles={"x_train": "batch", "x_test": "batch"},
    # the photos with their labels: a classifier that looks its test images up in them learns nothing;
    # cnnlib's ready-made face network is the answer's; other libraries' classifiers are not CNNs
    shortcuts={
        seeing.face_truth: None,
        seeing.classify_faces: None,
        seeing.face_cnn: None,
        "skimage.data.lfw_subset": None,
        **dict.fromkeys(SKLEARN_CLASSIFIERS),
    },
    in_place="leave the images and labels as they are: fit and predict do not change them.",
)


EXERCISES = (FEATURE_MAPS, TOP_PATCHES, OCCLUSION_MAP, CLASSIFY_FACES)

check_feature_maps = make_check(FEATURE_MAPS)
check_top_patches = make_check(TOP_PATCHES)
check_occlusion_map = make_check(OCCLUSION_MAP)

# How long grading lets one call of a learner's function run (coursetools' Limits.call_seconds,
# wall time): a slower classify_faces is stopped there and its check earns nothing.
GRADING_CALL_SECONDS = 10.0


def check_classify_faces(function, seed: int | None = None) -> None:
    """Check your `classify_faces` on load_faces()'s split (or, with a seed, on a hidden one).

    Prints how many checks passed; raises CheckFailure with an explanation otherwise, and also
    when one call took longer than grading allows (``GRADING_CALL_SECONDS``), however many of its
    labels are right: grading stops such a call and the check earns nothing.
    """
    exercise = CLASSIFY_FACES
    caller = in_process(exercise, function)
    seconds: list[float] = []

    def timed(case):
        outcome = caller(case)
        if isinstance(outcome, Outcome):
            seconds.append(outcome.seconds)
        return outcome

    result = run_check(exercise, timed, seed)
    slowest = max(seconds, default=0.0)
    slow = ""
    if slowest > GRADING_CALL_SECONDS:
        slow = (
            f"classify_faces took {slowest:.0f} s on one call. Grading stops a call after "
            f"{GRADING_CALL_SECONDS:g} s and then gives this check no points, however many labels "
            "are right. Make it faster: fewer epochs, fewer or smaller filters, or pooling before "
            "the dense layer (the lesson's small network trains in about a second)."
        )
    if result.failure is not None:
        raise CheckFailure(result.failure.message + (f"\n{slow}" if slow else ""))
    if slow:
        raise CheckFailure(slow)
    print(result.text + f" (slowest call: {slowest:.1f} s; grading allows {GRADING_CALL_SECONDS:g} s)")


check_classify_faces.exercise = CLASSIFY_FACES  # type: ignore[attr-defined]
