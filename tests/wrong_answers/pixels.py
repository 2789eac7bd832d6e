"""Lesson 01 (pixels): a wrong answer for every catalogued mistake, and other right answers."""

from . import RightAnswer, WrongAnswer

_SMILEY = '''def make_smiley(background=0, face=2, features=9):
    """Return the 8x8 smiley as a uint8 array drawn with the three given codes."""
'''


def _smiley(body: str) -> str:
    return _SMILEY + body


_DRAW = """    grid = np.full((8, 8), {face}, dtype=np.uint8)
    for row in (0, 7):
        grid[row, :2] = {background}
        grid[row, 6:] = {background}
    for row in (1, 6):
        grid[row, 0] = {background}
        grid[row, 7] = {background}
    grid[2:4, 2] = features
    grid[2:4, 5] = features
    grid[5, [1, 6]] = features
    grid[6, 2:6] = features
    return grid{after}
"""

_CROP = "def crop(image, top, left, height, width):\n    return {}\n"
_BRIGHTEN = "def brighten(image, amount):\n{}"

WRONG = {
    "make_smiley": [
        WrongAnswer(
            "64 typed numbers",
            _smiley(
                """    return np.array([
        [0, 0, 2, 2, 2, 2, 0, 0], [0, 2, 2, 2, 2, 2, 2, 0], [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 9, 2, 2, 9, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2], [2, 9, 2, 2, 2, 2, 9, 2],
        [0, 2, 9, 9, 9, 9, 2, 0], [0, 0, 2, 2, 2, 2, 0, 0]], dtype=np.uint8)
"""
            ),
            mistake="ignores_arguments",
        ),
        WrongAnswer(
            "background and face swapped",
            _smiley(_DRAW.format(face="background", background="face", after="")),
            mistake="codes_mixed_up",
        ),
        WrongAnswer(
            "upside down",
            _smiley(_DRAW.format(face="face", background="background", after="[::-1]")),
            mistake="upside_down",
        ),
        WrongAnswer(
            "rows and columns swapped",
            _smiley(_DRAW.format(face="face", background="background", after=".T")),
            mistake="transposed",
        ),
    ],
    "invert": [
        WrongAnswer(
            "256 - image", "def invert(image):\n    return 256 - image\n", mistake="uint8_out_of_bounds"
        ),
        WrongAnswer(
            "image maximum", "def invert(image):\n    return image.max() - image\n", mistake="image_max"
        ),
        WrongAnswer(
            "256 - v, widened",
            "def invert(image):\n    return (256 - image.astype(np.int16)).astype(np.uint8)\n",
            mistake="off_by_one_256",
        ),
        WrongAnswer(
            "254 - v", "def invert(image):\n    return np.uint8(254) - image\n", mistake="off_by_one_254"
        ),
        WrongAnswer("negated", "def invert(image):\n    return -image\n", mistake="off_by_one_256"),
        WrongAnswer("unchanged", "def invert(image):\n    return image.copy()\n", mistake="unchanged"),
        WrongAnswer(
            "returns floats",
            "def invert(image):\n    return 255.0 - image\n",
            message="dtype float64; expected uint8",
        ),
        WrongAnswer(
            "changes its input",
            "def invert(image):\n    image[...] = 255 - image\n    return image\n",
            message="changed its argument `image` in place",
        ),
    ],
    "crop": [
        WrongAnswer(
            "rows and columns swapped",
            _CROP.format("image[left:left + width, top:top + height].copy()"),
            mistake="rows_columns_swapped",
        ),
        WrongAnswer(
            "height and width swapped",
            _CROP.format("image[top:top + width, left:left + height].copy()"),
            mistake="height_width_swapped",
        ),
        WrongAnswer(
            "one too many",
            _CROP.format("image[top:top + height + 1, left:left + width + 1].copy()"),
            mistake="one_too_many",
        ),
        WrongAnswer(
            "one too few",
            _CROP.format("image[top:top + height - 1, left:left + width - 1].copy()"),
            mistake="one_too_few",
        ),
        WrongAnswer(
            "sizes as ends", _CROP.format("image[top:height, left:width].copy()"), mistake="sizes_as_ends"
        ),
        WrongAnswer(
            "counts from 1",
            _CROP.format("image[top + 1:top + height + 1, left + 1:left + width + 1].copy()"),
            mistake="starts_late",
        ),
        WrongAnswer(
            "starts early",
            _CROP.format("image[top - 1:top + height - 1, left - 1:left + width - 1].copy()"),
            mistake="starts_early",
        ),
        WrongAnswer(
            "a view, not a copy",
            _CROP.format("image[top:top + height, left:left + width]"),
            message="returned a view into `image`, not a copy",
        ),
    ],
    "brighten": [
        WrongAnswer(
            "uint8 arithmetic with a clever clip",
            _BRIGHTEN.format(
                "    return np.where(image > 255 - amount, 255, image + amount).astype(np.uint8)\n"
            ),
            mistake="uint8_out_of_bounds",
        ),
        WrongAnswer(
            "widens to int8",
            _BRIGHTEN.format("    return np.clip(image.astype(np.int8) + amount, 0, 255).astype(np.uint8)\n"),
            mistake="int8_too_small",
        ),
        WrongAnswer(
            "widens to int8, then a large amount",
            _BRIGHTEN.format(
                "    if abs(amount) < 256:\n        return np.clip(image.astype(np.int16) + amount, 0, 255).astype(np.uint8)\n"
                "    return np.clip(image.astype(np.int8) + amount, 0, 255).astype(np.uint8)\n"
            ),
            mistake="int8_out_of_bounds",
        ),
        WrongAnswer(
            "clips only at the top",
            _BRIGHTEN.format(
                "    wide = np.minimum(image.astype(np.int16) + amount, 255)\n    return wide.astype(np.uint8)\n"
            ),
            mistake="below_zero_wrapped",
        ),
        WrongAnswer(
            "no clipping at all",
            _BRIGHTEN.format("    return (image.astype(np.int64) + amount).astype(np.uint8)\n"),
            mistake="wrap_around",
        ),
        WrongAnswer(
            "clips at 255 only and keeps int16",
            _BRIGHTEN.format("    return np.minimum(image.astype(np.int16) + amount, 255)\n"),
            mistake="not_clipped_below",
        ),
        WrongAnswer(
            "clips at 0 only",
            _BRIGHTEN.format("    return np.maximum(image.astype(np.int16) + amount, 0)\n"),
            mistake="not_clipped_above",
        ),
        WrongAnswer(
            "subtracts",
            _BRIGHTEN.format(
                "    return np.clip(image.astype(np.int16) - amount, 0, 255).astype(np.uint8)\n"
            ),
            mistake="subtracted",
        ),
        WrongAnswer("unchanged", _BRIGHTEN.format("    return image.copy()\n"), mistake="unchanged"),
        WrongAnswer(
            "forgets to convert back to uint8",
            _BRIGHTEN.format("    return np.clip(image.astype(np.int64) + amount, 0, 255)\n"),
            message="dtype int64; expected uint8",
        ),
        WrongAnswer(
            "changes its input",
            _BRIGHTEN.format(
                "    image[...] = np.clip(image.astype(np.int16) + amount, 0, 255)\n    return image\n"
            ),
            message="changed its argument `image` in place",
        ),
    ],
}

RIGHT = {
    "make_smiley": [
        RightAnswer(
            "a code grid mapped to the arguments",
            _smiley(
                """    codes = np.array([
        [0, 0, 2, 2, 2, 2, 0, 0], [0, 2, 2, 2, 2, 2, 2, 0], [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 9, 2, 2, 9, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2], [2, 9, 2, 2, 2, 2, 9, 2],
        [0, 2, 9, 9, 9, 9, 2, 0], [0, 0, 2, 2, 2, 2, 0, 0]])
    grid = np.zeros((8, 8), dtype=np.uint8)
    for row in range(8):
        for col in range(8):
            grid[row, col] = {0: background, 2: face, 9: features}[codes[row, col]]
    return grid
"""
            ),
        ),
    ],
    "invert": [
        RightAnswer("255 - image", "def invert(image):\n    return 255 - image\n"),
        RightAnswer(
            "a loop over every pixel",
            "def invert(image):\n    out = np.empty_like(image)\n    for index in np.ndindex(image.shape):\n"
            "        out[index] = 255 - image[index]\n    return out\n",
        ),
    ],
    "crop": [
        RightAnswer(
            "np.array of a slice", _CROP.format("np.array(image[top:top + height, left:left + width])")
        ),
        RightAnswer(
            "loops",
            "def crop(image, top, left, height, width):\n"
            "    out = np.zeros((height, width) + image.shape[2:], dtype=image.dtype)\n"
            "    for r in range(height):\n        for c in range(width):\n"
            "            out[r, c] = image[top + r, left + c]\n    return out\n",
        ),
    ],
    "brighten": [
        RightAnswer(
            "in floats",
            _BRIGHTEN.format("    return np.clip(image.astype(float) + amount, 0, 255).astype(np.uint8)\n"),
        ),
        RightAnswer(
            "a loop with min and max",
            _BRIGHTEN.format(
                "    out = np.empty_like(image)\n    for index in np.ndindex(image.shape):\n"
                "        out[index] = min(255, max(0, int(image[index]) + amount))\n    return out\n"
            ),
        ),
    ],
}
