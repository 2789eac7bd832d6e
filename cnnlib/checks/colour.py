"""Lesson 02 (colour): the exercises split_channels, stack_channels, to_chw, to_hwc, grayscale and
red_mask, as data.

The references are cnnlib's answers in ``cnnlib.colour``; each mistake is the wrong answer a
learner gives in practice, computed from the same inputs so that the message can name it.
"""

from __future__ import annotations

import numpy as np

from .. import colour
from .exercise import Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = [
    "check_split_channels",
    "check_stack_channels",
    "check_to_chw",
    "check_to_hwc",
    "check_grayscale",
    "check_red_mask",
    "EXERCISES",
]

LESSON = "02_colour"


def _uint8(values) -> np.ndarray:
    return np.array(values, dtype=np.uint8)


def _numbered(rows: int, columns: int) -> np.ndarray:
    """A (rows, columns, 3) uint8 image whose numbers tell where they are.

    Pixels are numbered 0, 1, 2, ... in reading order; red holds the pixel's number, green 100
    more and blue 200 more, so the hundreds digit names the channel.
    """
    number = np.arange(rows * columns).reshape(rows, columns)
    return np.stack([number, number + 100, number + 200], axis=-1).astype(np.uint8)


# Two rows of two pixels: red and green on top, blue and white below.
_FLAG = _uint8([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]])


def _random_image(rng: np.random.Generator, shape: tuple[int, ...], dtype=np.uint8) -> np.ndarray:
    if np.dtype(dtype).kind == "f":
        return rng.uniform(0, 1, size=shape).astype(dtype)
    return rng.integers(0, 256, size=shape, dtype=np.uint8).astype(dtype)


# ------------------------------------------------------------------ split_channels


def _split_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case((_random_image(rng, (5, 7, 3)),)),
        Case((_random_image(rng, (4, 4, 3)),), note="a square image"),
        Case((_random_image(rng, (3, 3, 3)),), note="3 rows, 3 columns and 3 channels"),
        Case((_random_image(rng, (2, 9, 3), np.float64),), note="a float image"),
        Case((_random_image(rng, (1, 1, 3)),), note="a single pixel"),
    ]


SPLIT_CHANNELS = Exercise(
    name="split_channels",
    lesson=LESSON,
    reference=colour.split_channels,
    params=("image",),
    visible=(
        Case(
            (_numbered(3, 4),),
            note="red holds each pixel's number 0..11, green 100 more, blue 200 more",
        ),
        Case((_FLAG,), note="red and green pixels on top, blue and white below"),
        Case((_uint8([[[10, 20, 30]]]),), note="one pixel: red 10, green 20, blue 30"),
    ),
    hidden=_split_hidden,
    mistakes=(
        Mistake(
            "rows_not_channels",
            "you took rows, not channels: image[0] is the top row (shape (W, 3)). The channel is "
            "the last index: the red grid is image[:, :, 0] (or image[..., 0]).",
            lambda image: (image[0], image[1], image[2]),
        ),
        Mistake(
            "columns_not_channels",
            "you took columns, not channels: image[:, 0] is the left column. The channel is the "
            "last index: the red grid is image[:, :, 0].",
            lambda image: (image[:, 0], image[:, 1], image[:, 2]),
        ),
        Mistake(
            "transposed",
            "each grid came back transposed, (W, H): unpacking image.T reverses all three axes, so "
            "rows and columns swap. Index the last axis instead: image[:, :, 0], image[:, :, 1], "
            "image[:, :, 2].",
            lambda image: tuple(image.T),
        ),
        Mistake(
            "kept_channel_axis",
            "each grid kept a channel axis of size 1, shape (H, W, 1): a slice like image[:, :, 0:1] "
            "keeps the axis, a single index drops it. Use image[:, :, 0].",
            lambda image: (image[:, :, 0:1], image[:, :, 1:2], image[:, :, 2:3]),
        ),
        Mistake(
            "bgr_order",
            "the grids are in the order blue, green, red (BGR, the order OpenCV uses). Here channel "
            "0 is red, 1 is green and 2 is blue: return (red, green, blue).",
            lambda image: (image[:, :, 2], image[:, :, 1], image[:, :, 0]),
        ),
    ),
    answer=Answer(kind="tuple", items=(Answer(), Answer(), Answer()), names=("red", "green", "blue")),
)


# ------------------------------------------------------------------ stack_channels


def _channels(image: np.ndarray) -> tuple:
    return (image[:, :, 0].copy(), image[:, :, 1].copy(), image[:, :, 2].copy())


def _stack_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case(_channels(_random_image(rng, (6, 5, 3)))),
        Case(_channels(_random_image(rng, (3, 3, 3))), note="3 x 3 grids"),
        Case(_channels(_random_image(rng, (4, 4, 3), np.float32)), note="float32 grids"),
        Case(_channels(_random_image(rng, (1, 7, 3))), note="one row"),
        Case(_channels(_random_image(rng, (8, 1, 3))), note="one column"),
    ]


STACK_CHANNELS = Exercise(
    name="stack_channels",
    lesson=LESSON,
    reference=colour.stack_channels,
    params=("red", "green", "blue"),
    visible=(
        Case(
            _channels(_numbered(3, 4)),
            note="red holds the numbers 0..11, green 100..111, blue 200..211",
        ),
        Case(_channels(_FLAG), note="red and green pixels on top, blue and white below"),
        Case(_channels(_uint8([[[10, 20, 30]]])), note="one pixel: red 10, green 20, blue 30"),
    ),
    hidden=_stack_hidden,
    mistakes=(
        Mistake(
            "channels_first",
            "np.stack adds the new axis at the front unless told otherwise (axis=0), which gives "
            "(3, H, W): channels first. This course keeps channels last: np.stack([red, green, "
            "blue], axis=-1) (or np.dstack).",
            lambda red, green, blue: np.stack([red, green, blue]),
        ),
        Mistake(
            "middle_axis",
            "the channel axis landed in the middle, (H, 3, W): stack on the last axis, axis=-1 "
            "(axis=2 for an image), not axis=1.",
            lambda red, green, blue: np.stack([red, green, blue], axis=1),
        ),
        Mistake(
            "side_by_side",
            "the grids were glued side by side into one wide grid (H, 3W), as np.hstack or "
            "np.concatenate(..., axis=1) do. Stacking adds a new axis: np.stack([red, green, "
            "blue], axis=-1).",
            lambda red, green, blue: np.concatenate([red, green, blue], axis=1),
        ),
        Mistake(
            "one_below_another",
            "the grids were glued one below the other into one tall grid (3H, W), as np.vstack or "
            "np.concatenate do. Stacking adds a new axis: np.stack([red, green, blue], axis=-1).",
            lambda red, green, blue: np.concatenate([red, green, blue], axis=0),
        ),
        Mistake(
            "transposed",
            "np.array([red, green, blue]).T reverses all three axes: the channels do end up last, but "
            "rows and columns swap, (W, H, 3). Use np.stack([red, green, blue], axis=-1).",
            lambda red, green, blue: np.array([red, green, blue]).T,
        ),
        Mistake(
            "bgr_order",
            "the channels are in the order blue, green, red (BGR, the order OpenCV uses). Channel 0 "
            "must be red, 1 green and 2 blue.",
            lambda red, green, blue: np.stack([blue, green, red], axis=-1),
        ),
    ),
    in_place="build a new array with np.stack and return it.",
)


# ------------------------------------------------------------------ to_chw and to_hwc


def _channels_first(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(image, -1, 0))


def _chw_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case((_random_image(rng, (5, 7, 3)),)),
        Case((_random_image(rng, (4, 4, 3)),), note="a square image"),
        Case((_random_image(rng, (3, 3, 3)),), note="3 rows, 3 columns and 3 channels"),
        Case((_random_image(rng, (6, 2, 1)),), note="one channel"),
        Case((_random_image(rng, (2, 5, 4), np.float32),), note="four channels (RGBA), float32"),
    ]


def _hwc_hidden(rng: np.random.Generator) -> list[Case]:
    return [Case((_channels_first(case.args[0]),), note=case.note) for case in _chw_hidden(rng)]


TO_CHW = Exercise(
    name="to_chw",
    lesson=LESSON,
    reference=colour.to_chw,
    params=("image",),
    visible=(
        Case((_numbered(3, 4),), note="red holds each pixel's number 0..11, green 100 more, blue 200 more"),
        Case((_FLAG,), note="red and green pixels on top, blue and white below"),
        Case((np.arange(6, dtype=np.uint8).reshape(2, 3, 1),), note="a gray image: one channel"),
    ),
    hidden=_chw_hidden,
    mistakes=(
        Mistake(
            "reshaped",
            "reshape keeps the numbers in their order in memory and only regroups them, so the "
            "pixels' red, green and blue get mixed up across channels. Moving an axis is a "
            "transpose: np.transpose(image, (2, 0, 1)) or np.moveaxis(image, -1, 0).",
            lambda image: image.reshape(image.shape[2], image.shape[0], image.shape[1]),
        ),
        Mistake(
            "reversed_axes",
            "image.T (np.transpose without an order, or np.swapaxes(image, 0, 2)) reverses the axes "
            "and gives (C, W, H): rows and columns swap. Say the order: np.transpose(image, (2, 0, 1)).",
            lambda image: image.T,
        ),
        Mistake(
            "wrong_permutation",
            "the axes came out as (W, C, H), columns first: the input's first axis, the rows, "
            "went to the end instead of its last axis, the channels, to the front. The tuple of "
            "np.transpose lists, for each axis of the result, which axis of the input goes there: "
            "for a (C, H, W) result the channels (axis 2) come first, then the rows (0), then the columns "
            "(1), so np.transpose(image, (2, 0, 1)).",
            lambda image: np.transpose(image, (1, 2, 0)),
        ),
    ),
    answer=Answer(axes=("channel", "row", "column")),
    in_place="return a transposed view or a new array; do not assign to `image`, its values or its shape.",
)

TO_HWC = Exercise(
    name="to_hwc",
    lesson=LESSON,
    reference=colour.to_hwc,
    params=("image",),
    visible=tuple(Case((_channels_first(case.args[0]),), note=case.note) for case in TO_CHW.visible),
    hidden=_hwc_hidden,
    mistakes=(
        Mistake(
            "reshaped",
            "reshape keeps the numbers in their order in memory and only regroups them, so the "
            "pixels' red, green and blue get mixed up. Moving an axis is a transpose: give "
            "np.transpose, for each axis of the result (rows, columns, channels), the axis of the "
            "input it comes from.",
            lambda image: image.reshape(image.shape[1], image.shape[2], image.shape[0]),
        ),
        Mistake(
            "reversed_axes",
            "image.T (np.transpose without an order, or np.swapaxes(image, 0, 2)) reverses the axes "
            "and gives (W, H, C): rows and columns swap. Say the order: give np.transpose, for each "
            "axis of the result (rows, columns, channels), the axis of the input it comes from.",
            lambda image: image.T,
        ),
        Mistake(
            "wrong_permutation",
            "the axes came out as (W, C, H), columns first: the input's last axis, which in "
            "(C, H, W) is the columns, went to the front. The tuple of np.transpose lists, for each "
            "axis of the result, which axis of the input goes there: find where the rows, the "
            "columns and the channels sit in the input, and list them in that order.",
            lambda image: np.transpose(image, (2, 0, 1)),
        ),
    ),
    roles={"image": "chw"},
    in_place="return a transposed view or a new array; do not assign to `image`, its values or its shape.",
)


# ------------------------------------------------------------------ grayscale


def _per_mille(image: np.ndarray) -> np.ndarray:
    """1000 x the luminance, exactly, in whole numbers: 299 R + 587 G + 114 B."""
    wide = image.astype(np.int64)
    return 299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]


def _without_ties(image: np.ndarray) -> np.ndarray:
    """The image with no pixel whose luminance is a nonzero whole number or ends in .5.

    Where the exact value is a whole number, float formulas land on either side of it
    (0.299 + 0.587 + 0.114 is 0.9999999999999999 in float64), so a truncating answer gives
    v or v - 1 depending on how it adds; away from such values every float formula truncates
    and rounds alike, and the check can name those mistakes. Nudging blue by one moves the
    value by 0.114.
    """
    image = image.copy()
    thousandths = _per_mille(image)
    tie = (thousandths % 500 == 0) & (thousandths > 0)
    blue = image[..., 2]
    blue[tie] = np.where(blue[tie] > 0, blue[tie] - 1, 1)
    return image


def _gray_hidden(rng: np.random.Generator) -> list[Case]:
    level = rng.integers(0, 256, size=(4, 6), dtype=np.uint8)
    return [
        Case((_without_ties(_random_image(rng, (5, 7, 3))),)),
        Case((_without_ties(_random_image(rng, (1, 1, 3))),), note="a single pixel"),
        Case((_without_ties(_random_image(rng, (16, 9, 3))),)),
        Case((_without_ties(rng.integers(230, 256, size=(3, 4, 3), dtype=np.uint8)),), note="bright colours"),
        Case(
            (np.stack([level, level, level], axis=-1),),
            note="gray pixels (R = G = B) keep their value, up to float rounding",
        ),
    ]


def _weighted(image: np.ndarray) -> np.ndarray:
    """Each channel times its weight, not yet added up: shape (H, W, 3)."""
    return image.astype(np.float64) * np.array(colour.LUMINANCE)


def _int16(values: np.ndarray) -> np.ndarray:
    return (values + 32768) % 65536 - 32768


GRAYSCALE = Exercise(
    name="grayscale",
    lesson=LESSON,
    reference=colour.grayscale,
    params=("image",),
    visible=(
        Case(
            (_uint8([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]]),),
            note="pure red, green and blue: each weight times 255 gives 76.245, 149.685 and 29.07",
        ),
        Case(
            (_uint8([[[255, 255, 255], [0, 0, 0]], [[100, 100, 100], [255, 255, 0]]]),),
            note="white stays 255 and gray (100, 100, 100) stays 100, up to float rounding; black 0; "
            "yellow gives 225.93",
        ),
        Case(
            (_uint8([[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[10, 20, 30], [200, 100, 50], [100, 150, 200]]]),),
            note="one unit of each colour gives the weight itself: 0.299, 0.587, 0.114",
        ),
    ),
    hidden=_gray_hidden,
    mistakes=(
        Mistake(
            "uint8_out_of_bounds",
            "the uint8 problem: whole-number weights such as 299 and 587 do not fit in uint8, and "
            "numpy 2 refuses to multiply a uint8 array by them (OverflowError). Use the weights "
            "0.299, 0.587, 0.114 themselves: multiplying by a float gives floats, which cannot "
            "overflow.",
            error=("OverflowError", "out of bounds for uint8"),
        ),
        Mistake(
            "int16_overflow",
            "overflow in the weighted sum: 299 * 255 = 76245 does not fit in int16 (at most "
            "32767), so the sum wrapped around. Use the float weights 0.299, 0.587, 0.114 on the "
            "image (floats do not overflow), or widen to np.int64 before multiplying.",
            lambda image: _int16(_per_mille(image)) / 1000,
        ),
        Mistake(
            "bgr_weights",
            "the weights are in the wrong order: 0.114 went to red and 0.299 to blue (the BGR "
            "order). Channel 0 is red and gets 0.299, channel 1 green gets 0.587, channel 2 blue "
            "gets 0.114.",
            lambda image: 0.114 * image[..., 0] + 0.587 * image[..., 1] + 0.299 * image[..., 2],
        ),
        Mistake(
            "truncated",
            "integer truncation: the fractions were cut off (76.245 became 76, 149.685 became 149), "
            "as .astype(np.uint8), int(...), // or storing into a uint8 array such as "
            "np.zeros_like(red) all do. Keep the float result: return the weighted sum as float64.",
            lambda image: _per_mille(image) // 1000,
        ),
        Mistake(
            "rounded",
            "the values were rounded to whole numbers (149.685 became 150). This exercise keeps the "
            "fractions: return the weighted sum as float64, without rounding.",
            lambda image: (_per_mille(image) + 500) // 1000,
        ),
        Mistake(
            "plain_average",
            "that is the plain average (R + G + B) / 3, which weighs the colours equally. Use the "
            "luminance weights: 0.299 * R + 0.587 * G + 0.114 * B.",
            lambda image: image.astype(np.float64).sum(axis=-1) / 3,
        ),
        Mistake(
            "summed_over_rows",
            "the weighted values were added up along the wrong axis: .sum(axis=0) adds down the "
            "rows, which leaves one number per column and channel, shape (W, 3). The channels are "
            "the last axis: .sum(axis=-1) (or axis=2) adds each pixel's weighted red, green and blue.",
            lambda image: _weighted(image).sum(axis=0),
        ),
        Mistake(
            "summed_over_columns",
            "the weighted values were added up along the wrong axis: .sum(axis=1) adds along each "
            "row, which leaves one number per row and channel, shape (H, 3). The channels are the "
            "last axis: .sum(axis=-1) (or axis=2) adds each pixel's weighted red, green and blue.",
            lambda image: _weighted(image).sum(axis=1),
        ),
        Mistake(
            "not_summed",
            "each channel was weighted, but the three were not added up: image * weights still has "
            "shape (H, W, 3). Add each pixel's three weighted values with .sum(axis=-1), or write "
            "image @ weights, which multiplies and adds in one step.",
            lambda image: _weighted(image),
        ),
    ),
    answer=Answer(dtype=("float32", "float64"), atol=5e-4),
    in_place="compute the weighted sum into a new array and return it.",
)


# ------------------------------------------------------------------ red_mask

# Nine pixels, each on one side of one part of the rule: R > 120, R - G > 100 and R - B > 100.
_NINE = _uint8(
    [
        [[200, 40, 40], [255, 255, 255], [130, 200, 20]],
        [[40, 40, 200], [220, 20, 200], [120, 0, 0]],
        [[121, 20, 20], [200, 100, 0], [110, 5, 5]],
    ]
)


def _rgb(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return image[..., 0], image[..., 1], image[..., 2]


def _wide(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _rgb(image.astype(np.int64))


def _rule(red, green, blue) -> np.ndarray:
    return (red > 120) & (red - green > 100) & (red - blue > 100)


def _difference_wrapped(image: np.ndarray) -> np.ndarray:
    return _rule(*_rgb(image))  # uint8 - uint8 wraps around


def _sum_wrapped(image: np.ndarray) -> np.ndarray:
    red, green, blue = _rgb(image)
    return (red > 120) & (red > green + 100) & (red > blue + 100)  # uint8 + 100 wraps around


def _only_red(image: np.ndarray) -> np.ndarray:
    return _wide(image)[0] > 120


def _blue_as_red(image: np.ndarray) -> np.ndarray:
    red, green, blue = _wide(image)
    return _rule(blue, green, red)


def _any_of_three(image: np.ndarray) -> np.ndarray:
    red, green, blue = _wide(image)
    return (red > 120) | (red - green > 100) | (red - blue > 100)


def _not_strict(image: np.ndarray) -> np.ndarray:
    red, green, blue = _wide(image)
    return (red >= 120) & (red - green >= 100) & (red - blue >= 100)


def _without_green(image: np.ndarray) -> np.ndarray:
    red, _, blue = _wide(image)
    return (red > 120) & (red - blue > 100)


def _without_blue(image: np.ndarray) -> np.ndarray:
    red, green, _ = _wide(image)
    return (red > 120) & (red - green > 100)


def _without_min(image: np.ndarray) -> np.ndarray:
    red, green, blue = _wide(image)
    return (red - green > 100) & (red - blue > 100)


def _near_red(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Pixels near the rule's edges: R from 100 up, G and B within 150 of R either way."""
    red = rng.integers(100, 256, size=shape)
    green = np.clip(red - rng.integers(-150, 151, size=shape), 0, 255)
    blue = np.clip(red - rng.integers(-150, 151, size=shape), 0, 255)
    return np.stack([red, green, blue], axis=-1).astype(np.uint8)


def _red_hidden(rng: np.random.Generator) -> list[Case]:
    edges = _near_red(rng, (3, 4))
    edges[0, :4] = [(120, 10, 10), (121, 10, 10), (180, 80, 0), (180, 79, 0)]
    return [
        Case((_near_red(rng, (6, 8)),)),
        Case((edges,), note="pixels on the edges of the rule: R = 120 and 121, R - G = 100 and 101"),
        Case((_random_image(rng, (5, 9, 3)),), note="random colours"),
        Case((np.full((3, 3, 3), 255, dtype=np.uint8),), note="white: bright in every channel, not red"),
        Case((_near_red(rng, (20, 11)),)),
    ]


RED_MASK = Exercise(
    name="red_mask",
    lesson=LESSON,
    reference=colour.red_mask,
    params=("image",),
    visible=(
        Case((_NINE,), note="the nine pixels of the table above, in reading order"),
        Case(
            (_uint8([[[161, 35, 11], [186, 44, 16]], [[200, 115, 62], [216, 127, 40]]]),),
            note="four pixels of the coffee photo: two of the saucer, one of the table, one of the coffee",
        ),
        Case((np.full((2, 3, 3), 255, dtype=np.uint8),), note="white: bright in every channel, not red"),
    ),
    hidden=_red_hidden,
    mistakes=(
        Mistake(
            "and_keyword",
            "Python's `and` (like `or` and `not`) needs a single True or False, not a whole array "
            "of them. Combine masks cell by cell with `&`, and put each comparison in parentheses: "
            "(R > 120) & (R - G > 100) & (R - B > 100).",
            error=("ValueError", "truth value of an array"),
        ),
        Mistake(
            "difference_wrapped",
            "uint8 wrap-around in R - G: when green is larger than red, the difference wraps to a "
            "big number (130 - 200 gives 186, not -70), so greenish pixels count as red. Widen "
            "first: image.astype(np.int16), then subtract.",
            _difference_wrapped,
        ),
        Mistake(
            "sum_wrapped",
            "uint8 wrap-around in G + 100: for green above 155 the sum wraps to a small number "
            "(255 + 100 gives 99), so white counts as red. Widen first: image.astype(np.int16), "
            "then add or subtract.",
            _sum_wrapped,
        ),
        Mistake(
            "only_red",
            "only R > 120 was tested, so white, yellow and pink count as red too: a strongly red "
            "pixel also needs R - G > 100 and R - B > 100.",
            _only_red,
        ),
        Mistake(
            "bgr_order",
            "the rule was applied to blue instead of red (channel 2 taken as red, the BGR order). "
            "Red is channel 0: image[:, :, 0].",
            _blue_as_red,
        ),
        Mistake(
            "or_not_and",
            "the conditions were joined with | (or): a pixel is strongly red only when all three "
            "hold, so join them with & (and).",
            _any_of_three,
        ),
        Mistake(
            "not_strict",
            ">= was used where the rule says >: R = 120 is not above 120, and R - G = 100 is not "
            "more than 100.",
            _not_strict,
        ),
        Mistake(
            "forgot_min",
            "R > 120 is missing: a dark red such as (110, 5, 5) beats green and blue by more than "
            "100 but is too dark to count.",
            _without_min,
        ),
        Mistake(
            "forgot_green",
            "R - G > 100 is missing: a greenish pixel such as (130, 200, 20) beats blue by more than "
            "100 but has more green than red.",
            _without_green,
        ),
        Mistake(
            "forgot_blue",
            "R - B > 100 is missing: a magenta pixel such as (220, 20, 200) beats green by more "
            "than 100 but has almost as much blue as red.",
            _without_blue,
        ),
    ),
    in_place="compare into a new boolean array and return it; leave the image as it is.",
)


EXERCISES = (SPLIT_CHANNELS, STACK_CHANNELS, TO_CHW, TO_HWC, GRAYSCALE, RED_MASK)

check_split_channels = make_check(SPLIT_CHANNELS)
check_stack_channels = make_check(STACK_CHANNELS)
check_to_chw = make_check(TO_CHW)
check_to_hwc = make_check(TO_HWC)
check_grayscale = make_check(GRAYSCALE)
check_red_mask = make_check(RED_MASK)
