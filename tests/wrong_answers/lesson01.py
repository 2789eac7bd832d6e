"""Wrong answers for lesson 01 (pixels): the slips the outline says feedback must recognise."""

from . import WrongAnswer

_SMILEY_HEAD = '''def make_smiley(background=0, face=2, features=9):
    """Return the 8x8 smiley as a uint8 array drawn with the three given codes."""
'''

WRONG = {
    "make_smiley": [
        WrongAnswer(
            "ignores its arguments",
            _SMILEY_HEAD
            + """    return np.array([
        [0, 0, 2, 2, 2, 2, 0, 0], [0, 2, 2, 2, 2, 2, 2, 0], [2, 2, 9, 2, 2, 9, 2, 2],
        [2, 2, 9, 2, 2, 9, 2, 2], [2, 2, 2, 2, 2, 2, 2, 2], [2, 9, 2, 2, 2, 2, 9, 2],
        [0, 2, 9, 9, 9, 9, 2, 0], [0, 0, 2, 2, 2, 2, 0, 0]], dtype=np.uint8)
""",
            "ignores the arguments",
        ),
        WrongAnswer(
            "rows and columns swapped",
            _SMILEY_HEAD
            + """    grid = np.full((8, 8), face, dtype=np.uint8)
    for i in (0, 7):
        grid[:2, i] = background
        grid[6:, i] = background
    for i in (1, 6):
        grid[0, i] = background
        grid[7, i] = background
    grid[2, 2:4] = features
    grid[5, 2:4] = features
    grid[[1, 6], 5] = features
    grid[2:6, 6] = features
    return grid
""",
            "rows and columns are swapped",
        ),
        WrongAnswer(
            "upside down",
            _SMILEY_HEAD
            + """    grid = np.full((8, 8), face, dtype=np.uint8)
    for row in (0, 7):
        grid[row, :2] = background
        grid[row, 6:] = background
    for row in (1, 6):
        grid[row, 0] = background
        grid[row, 7] = background
    grid[4:6, 2] = features
    grid[4:6, 5] = features
    grid[2, [1, 6]] = features
    grid[1, 2:6] = features
    return grid
""",
            "upside down",
        ),
    ],
    "invert": [
        WrongAnswer(
            "subtracts from the image maximum",
            "def invert(image):\n    return image.max() - image\n",
            "brightest value",
        ),
        WrongAnswer(
            "returns floats",
            "def invert(image):\n    return 255.0 - image\n",
            "dtype float64; expected uint8",
        ),
        WrongAnswer(
            "changes the input in place",
            "def invert(image):\n    image[...] = 255 - image\n    return image\n",
            "changed its input",
        ),
    ],
    "crop": [
        WrongAnswer(
            "rows and columns swapped",
            "def crop(image, top, left, height, width):\n"
            "    return image[left:left + width, top:top + height].copy()\n",
            "rows and columns are swapped",
        ),
        WrongAnswer(
            "one too many",
            "def crop(image, top, left, height, width):\n"
            "    return image[top:top + height + 1, left:left + width + 1].copy()\n",
            "one row and one column too many",
        ),
        WrongAnswer(
            "sizes used as end positions",
            "def crop(image, top, left, height, width):\n    return image[top:height, left:width].copy()\n",
            "not end positions",
        ),
    ],
    "brighten": [
        WrongAnswer(
            "uint8 wrap-around",
            "def brighten(image, amount):\n    return (image.astype(np.int64) + amount).astype(np.uint8)\n",
            "wrap-around",
        ),
        WrongAnswer(
            "clips only at the top",
            "def brighten(image, amount):\n"
            "    return np.minimum(image.astype(np.int64) + amount, 255).astype(np.uint8)\n",
            "below 0 wrapped around",
        ),
        WrongAnswer(
            "forgets to convert back to uint8",
            "def brighten(image, amount):\n    return np.clip(image.astype(np.int64) + amount, 0, 255)\n",
            "expected uint8",
        ),
    ],
}
