"""Lesson 02 (colour): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

_SPLIT = "def split_channels(image):\n{}"
_STACK = "def stack_channels(red, green, blue):\n{}"
_CHW = "def to_chw(image):\n{}"
_HWC = "def to_hwc(image):\n{}"
_GRAY = "def grayscale(image):\n{}"
_RED = "def red_mask(image):\n{}"

WRONG = {
    "split_channels": [
        WrongAnswer(
            "rows instead of channels",
            _SPLIT.format("    return image[0], image[1], image[2]\n"),
            mistake="rows_not_channels",
        ),
        WrongAnswer(
            "columns instead of channels",
            _SPLIT.format("    return image[:, 0], image[:, 1], image[:, 2]\n"),
            mistake="columns_not_channels",
        ),
        WrongAnswer(
            "unpacks image.T",
            _SPLIT.format("    red, green, blue = image.T\n    return red, green, blue\n"),
            mistake="transposed",
        ),
        WrongAnswer(
            "slices 0:1 keep the axis",
            _SPLIT.format("    return image[:, :, 0:1], image[:, :, 1:2], image[:, :, 2:3]\n"),
            mistake="kept_channel_axis",
        ),
        WrongAnswer(
            "BGR order",
            _SPLIT.format("    return image[..., 2], image[..., 1], image[..., 0]\n"),
            mistake="bgr_order",
        ),
        WrongAnswer(
            "one channels-first array instead of three",
            _SPLIT.format("    return np.moveaxis(image, -1, 0)\n"),
            message="expected a tuple of 3 values",
        ),
    ],
    "stack_channels": [
        WrongAnswer(
            "np.stack without an axis",
            _STACK.format("    return np.stack([red, green, blue])\n"),
            mistake="channels_first",
        ),
        WrongAnswer(
            "np.stack on axis 1",
            _STACK.format("    return np.stack([red, green, blue], axis=1)\n"),
            mistake="middle_axis",
        ),
        WrongAnswer(
            "np.hstack",
            _STACK.format("    return np.hstack([red, green, blue])\n"),
            mistake="side_by_side",
        ),
        WrongAnswer(
            "np.concatenate",
            _STACK.format("    return np.concatenate([red, green, blue])\n"),
            mistake="one_below_another",
        ),
        WrongAnswer(
            "np.array(...).T",
            _STACK.format("    return np.array([red, green, blue]).T\n"),
            mistake="transposed",
        ),
        WrongAnswer(
            "BGR order",
            _STACK.format("    return np.dstack([blue, green, red])\n"),
            mistake="bgr_order",
        ),
        WrongAnswer(
            "a float array filled in a loop",
            _STACK.format(
                "    image = np.zeros(red.shape + (3,))\n"
                "    for c, grid in enumerate((red, green, blue)):\n"
                "        image[:, :, c] = grid\n"
                "    return image\n"
            ),
            message="dtype float64; expected uint8",
        ),
    ],
    "to_chw": [
        WrongAnswer(
            "reshape",
            _CHW.format("    height, width, channels = image.shape\n    return image.reshape(channels, height, width)\n"),
            mistake="reshaped",
        ),
        WrongAnswer("image.T", _CHW.format("    return image.T\n"), mistake="reversed_axes"),
        WrongAnswer(
            "np.swapaxes(image, 0, 2)",
            _CHW.format("    return np.swapaxes(image, 0, 2)\n"),
            mistake="reversed_axes",
        ),
        WrongAnswer(
            "transpose with the way back",
            _CHW.format("    return np.transpose(image, (1, 2, 0))\n"),
            mistake="wrong_permutation",
        ),
    ],
    "to_hwc": [
        WrongAnswer(
            "reshape",
            _HWC.format("    channels, height, width = image.shape\n    return image.reshape(height, width, channels)\n"),
            mistake="reshaped",
        ),
        WrongAnswer("image.T", _HWC.format("    return image.T\n"), mistake="reversed_axes"),
        WrongAnswer(
            "moveaxis the way there",
            _HWC.format("    return np.moveaxis(image, -1, 0)\n"),
            mistake="wrong_permutation",
        ),
        WrongAnswer(
            "transpose with the way there",
            _HWC.format("    return np.transpose(image, (2, 0, 1))\n"),
            mistake="wrong_permutation",
        ),
    ],
    "grayscale": [
        WrongAnswer(
            "per-mille weights on uint8",
            _GRAY.format("    return (299 * image[..., 0] + 587 * image[..., 1] + 114 * image[..., 2]) / 1000\n"),
            mistake="uint8_out_of_bounds",
        ),
        WrongAnswer(
            "per-mille weights in int16, as lesson 01 widened",
            _GRAY.format(
                "    wide = image.astype(np.int16)\n"
                "    return (299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]) / 1000\n"
            ),
            mistake="int16_overflow",
        ),
        WrongAnswer(
            "BGR weights",
            _GRAY.format("    return 0.114 * image[..., 0] + 0.587 * image[..., 1] + 0.299 * image[..., 2]\n"),
            mistake="bgr_weights",
        ),
        WrongAnswer(
            "converted to uint8",
            _GRAY.format(
                "    gray = 0.299 * image[..., 0] + 0.587 * image[..., 1] + 0.114 * image[..., 2]\n"
                "    return gray.astype(np.uint8)\n"
            ),
            mistake="truncated",
        ),
        WrongAnswer(
            "a loop into np.zeros_like of a uint8 channel",
            _GRAY.format(
                "    gray = np.zeros_like(image[:, :, 0])\n"
                "    for r in range(image.shape[0]):\n"
                "        for c in range(image.shape[1]):\n"
                "            red, green, blue = image[r, c]\n"
                "            gray[r, c] = 0.299 * red + 0.587 * green + 0.114 * blue\n"
                "    return gray\n"
            ),
            mistake="truncated",
        ),
        WrongAnswer(
            "whole-number division",
            _GRAY.format(
                "    wide = image.astype(np.int64)\n"
                "    return (299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]) // 1000\n"
            ),
            mistake="truncated",
        ),
        WrongAnswer(
            "rounded",
            _GRAY.format("    return np.round(image @ np.array([0.299, 0.587, 0.114]))\n"),
            mistake="rounded",
        ),
        WrongAnswer(
            "plain average",
            _GRAY.format("    return image.mean(axis=2)\n"),
            mistake="plain_average",
        ),
        WrongAnswer(
            "weighted, then summed over the rows",
            _GRAY.format("    return (image * np.array([0.299, 0.587, 0.114])).sum(axis=0)\n"),
            mistake="summed_over_rows",
        ),
        WrongAnswer(
            "weighted, then summed along each row",
            _GRAY.format("    return (image * np.array([0.299, 0.587, 0.114])).sum(axis=1)\n"),
            mistake="summed_over_columns",
        ),
        WrongAnswer(
            "weighted, never summed",
            _GRAY.format("    return image * np.array([0.299, 0.587, 0.114])\n"),
            mistake="not_summed",
        ),
    ],
    "red_mask": [
        WrongAnswer(
            "a 0/255 image instead of a mask",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(int) for c in range(3))\n"
                "    return ((red > 120) & (red - green > 100) & (red - blue > 100)).astype(np.uint8) * 255\n"
            ),
            message="A mask holds True and False (dtype bool); yours holds uint8 numbers (0, 255)",
        ),
        WrongAnswer(
            "Python's and",
            _RED.format(
                "    red, green, blue = image[..., 0].astype(int), image[..., 1].astype(int), image[..., 2].astype(int)\n"
                "    return (red > 120) and (red - green > 100) and (red - blue > 100)\n"
            ),
            mistake="and_keyword",
        ),
        WrongAnswer(
            "differences in uint8",
            _RED.format(
                "    red, green, blue = image[..., 0], image[..., 1], image[..., 2]\n"
                "    return (red > 120) & (red - green > 100) & (red - blue > 100)\n"
            ),
            mistake="difference_wrapped",
        ),
        WrongAnswer(
            "sums in uint8",
            _RED.format(
                "    red, green, blue = image[..., 0], image[..., 1], image[..., 2]\n"
                "    return (red > 120) & (red > green + 100) & (red > blue + 100)\n"
            ),
            mistake="sum_wrapped",
        ),
        WrongAnswer(
            "only the red threshold",
            _RED.format("    return image[..., 0] > 120\n"),
            mistake="only_red",
        ),
        WrongAnswer(
            "BGR order",
            _RED.format(
                "    blue, green, red = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red > 120) & (red - green > 100) & (red - blue > 100)\n"
            ),
            mistake="bgr_order",
        ),
        WrongAnswer(
            "or instead of and",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red > 120) | (red - green > 100) | (red - blue > 100)\n"
            ),
            mistake="or_not_and",
        ),
        WrongAnswer(
            ">= instead of >",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red >= 120) & (red - green >= 100) & (red - blue >= 100)\n"
            ),
            mistake="not_strict",
        ),
        WrongAnswer(
            "forgets R > 120",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red - green > 100) & (red - blue > 100)\n"
            ),
            mistake="forgot_min",
        ),
        WrongAnswer(
            "forgets R - G > 100",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red > 120) & (red - blue > 100)\n"
            ),
            mistake="forgot_green",
        ),
        WrongAnswer(
            "forgets R - B > 100",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return (red > 120) & (red - green > 100)\n"
            ),
            mistake="forgot_blue",
        ),
        WrongAnswer(
            "0 and 1 instead of False and True",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(np.int16) for c in range(3))\n"
                "    return ((red > 120) & (red - green > 100) & (red - blue > 100)).astype(np.uint8)\n"
            ),
            message="dtype uint8; expected bool",
        ),
    ],
}

RIGHT = {
    "split_channels": [
        RightAnswer("unpacking moveaxis", _SPLIT.format("    red, green, blue = np.moveaxis(image, -1, 0)\n    return red, green, blue\n")),
        RightAnswer(
            "copies, as a list",
            _SPLIT.format("    return [image[:, :, c].copy() for c in range(3)]\n"),
        ),
        RightAnswer(
            "loops over every pixel",
            _SPLIT.format(
                "    height, width, _ = image.shape\n"
                "    grids = tuple(np.empty((height, width), dtype=image.dtype) for _ in range(3))\n"
                "    for r in range(height):\n"
                "        for c in range(width):\n"
                "            for k in range(3):\n"
                "                grids[k][r, c] = image[r, c, k]\n"
                "    return grids\n"
            ),
        ),
    ],
    "stack_channels": [
        RightAnswer("np.dstack", _STACK.format("    return np.dstack([red, green, blue])\n")),
        RightAnswer(
            "filled into an empty array of the channels' dtype",
            _STACK.format(
                "    image = np.empty(red.shape + (3,), dtype=red.dtype)\n"
                "    image[..., 0], image[..., 1], image[..., 2] = red, green, blue\n"
                "    return image\n"
            ),
        ),
        RightAnswer(
            "transposed twice",
            _STACK.format("    return np.array([red.T, green.T, blue.T]).T\n"),
        ),
    ],
    "to_chw": [
        RightAnswer("np.moveaxis", _CHW.format("    return np.moveaxis(image, -1, 0)\n")),
        RightAnswer("a contiguous copy", _CHW.format("    return np.ascontiguousarray(image.transpose(2, 0, 1))\n")),
        RightAnswer(
            "a loop over the channels",
            _CHW.format("    return np.array([image[:, :, c] for c in range(image.shape[2])])\n"),
        ),
    ],
    "to_hwc": [
        RightAnswer("np.moveaxis", _HWC.format("    return np.moveaxis(image, 0, -1)\n")),
        RightAnswer("np.transpose, copied", _HWC.format("    return np.transpose(image, (1, 2, 0)).copy()\n")),
        RightAnswer("np.stack of the channels", _HWC.format("    return np.stack(list(image), axis=-1)\n")),
    ],
    "grayscale": [
        RightAnswer(
            "a matrix product",
            _GRAY.format("    return image @ np.array([0.299, 0.587, 0.114])\n"),
        ),
        RightAnswer(
            "in float32",
            _GRAY.format(
                "    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)\n"
                "    return (image.astype(np.float32) * weights).sum(axis=2)\n"
            ),
        ),
        RightAnswer(
            "a loop over every pixel",
            _GRAY.format(
                "    gray = np.zeros(image.shape[:2])\n"
                "    for r in range(image.shape[0]):\n"
                "        for c in range(image.shape[1]):\n"
                "            red, green, blue = (float(v) for v in image[r, c])\n"
                "            gray[r, c] = 0.299 * red + 0.587 * green + 0.114 * blue\n"
                "    return gray\n"
            ),
        ),
        RightAnswer(
            "per-mille weights in int64",
            _GRAY.format(
                "    wide = image.astype(np.int64)\n"
                "    return (299 * wide[..., 0] + 587 * wide[..., 1] + 114 * wide[..., 2]) / 1000\n"
            ),
        ),
    ],
    "red_mask": [
        RightAnswer(
            "widened to int16",
            _RED.format(
                "    wide = image.astype(np.int16)\n"
                "    red, green, blue = wide[..., 0], wide[..., 1], wide[..., 2]\n"
                "    return (red > 120) & (red - green > 100) & (red - blue > 100)\n"
            ),
        ),
        RightAnswer(
            "adds on the other side, in int",
            _RED.format(
                "    red, green, blue = (image[..., c].astype(int) for c in range(3))\n"
                "    return (red > 120) & (red > green + 100) & (red > blue + 100)\n"
            ),
        ),
        RightAnswer(
            "a loop with Python ints",
            _RED.format(
                "    mask = np.zeros(image.shape[:2], dtype=bool)\n"
                "    for r in range(image.shape[0]):\n"
                "        for c in range(image.shape[1]):\n"
                "            red, green, blue = (int(v) for v in image[r, c])\n"
                "            mask[r, c] = red > 120 and red - green > 100 and red - blue > 100\n"
                "    return mask\n"
            ),
        ),
    ],
}
