"""Lesson 01 (pixels): the exercises make_smiley, invert, crop and brighten, as data.

The references are cnnlib's answers in ``cnnlib.pixels``; each mistake is the wrong answer a
learner gives in practice, computed from the same inputs so that the message can name it.
"""

from __future__ import annotations

import numpy as np

from .. import data, pixels
from .exercise import Answer, Case, Exercise, Mistake
from .runner import make_check

__all__ = ["check_make_smiley", "check_invert", "check_crop", "check_brighten", "EXERCISES"]

LESSON = "01_pixels"


def _uint8(values) -> np.ndarray:
    return np.array(values, dtype=np.uint8)


def _wide(image: np.ndarray) -> np.ndarray:
    return image.astype(np.int64)


# numpy 2 (NEP 50) refuses to mix a uint8 array with a Python int that does not fit in uint8.
_OUT_OF_BOUNDS = ("OverflowError", "out of bounds for uint8")


# ------------------------------------------------------------------ make_smiley


def _smiley_hidden(rng: np.random.Generator) -> list[Case]:
    cases = [Case(args=(0, 2, 9))]
    for _ in range(3):
        background, face, features = (int(v) for v in rng.choice(256, size=3, replace=False))
        cases.append(Case(kwargs=dict(background=background, face=face, features=features)))
    return cases


MAKE_SMILEY = Exercise(
    name="make_smiley",
    lesson=LESSON,
    reference=pixels.make_smiley,
    params=("background", "face", "features"),
    visible=(
        Case(note="the default codes 0, 2, 9 must give the smiley above"),
        Case(
            kwargs=dict(background=255, face=170, features=0),
            note="other codes: the drawing must use the arguments it is given",
        ),
    ),
    hidden=_smiley_hidden,
    mistakes=(
        Mistake(
            "ignores_arguments",
            "the drawing ignores the arguments: it always uses the codes 0, 2, 9. Put `background`, "
            "`face` and `features` into the grid instead of the numbers.",
            lambda background=0, face=2, features=9: data.smiley(),
        ),
        Mistake(
            "codes_mixed_up",
            "the codes are in the wrong places: `background` goes in the white corners, `face` in "
            "the yellow cells, `features` in the eyes and the mouth.",
            lambda background=0, face=2, features=9: pixels.make_smiley(face, background, features),
        ),
        Mistake(
            "upside_down",
            "the picture is upside down: row 0 is the top row, so the eyes are in rows 2-3 and the "
            "mouth near the bottom.",
            lambda *a, **k: pixels.make_smiley(*a, **k)[::-1],
        ),
        Mistake(
            "transposed",
            "rows and columns are swapped (the picture is transposed): the first index is the row "
            "(counted down from the top), the second the column.",
            lambda *a, **k: pixels.make_smiley(*a, **k).T,
        ),
    ),
    shortcuts={pixels.make_smiley: None, data.smiley: None},
    in_place="build a new grid with np.full((8, 8), face, dtype=np.uint8) and return it.",
)


# ------------------------------------------------------------------ invert


def _invert_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case(args=(_uint8([[7]]),)),
        Case(args=(rng.integers(0, 256, size=(9, 5), dtype=np.uint8),)),
        Case(args=(rng.integers(100, 201, size=(31, 17), dtype=np.uint8),), note="values 100..200 only"),
        Case(args=(rng.integers(0, 256, size=(6, 4, 3), dtype=np.uint8),), note="a colour image"),
    ]


INVERT = Exercise(
    name="invert",
    lesson=LESSON,
    reference=pixels.invert,
    params=("image",),
    visible=(
        Case(args=(_uint8([[0, 255]]),)),
        Case(args=(_uint8([[0, 100], [200, 255]]),)),
        Case(args=(_uint8([[10, 20, 30], [40, 50, 60]]),), note="its brightest value is 60, not 255"),
        Case(args=(np.arange(256, dtype=np.uint8).reshape(16, 16),), note="every value 0..255 once"),
    ),
    hidden=_invert_hidden,
    mistakes=(
        Mistake(
            "uint8_out_of_bounds",
            "256 does not fit in uint8 (0..255), and numpy 2 refuses to mix a uint8 array with a "
            "Python number that does not fit (OverflowError). The negative of v is 255 - v, which "
            "always fits.",
            error=_OUT_OF_BOUNDS,
        ),
        Mistake(
            "image_max",
            "you subtracted from the image's own brightest value (image.max() - image); the "
            "negative of an 8-bit image is 255 - image whatever its maximum.",
            lambda image: (_wide(image).max() - _wide(image)).astype(np.uint8),
        ),
        Mistake(
            "off_by_one_256",
            "off by one: 8-bit values run from 0 to 255, so the negative of v is 255 - v, not 256 - v "
            "(which is also what -image gives in uint8).",
            lambda image: ((256 - _wide(image)) % 256).astype(np.uint8),
        ),
        Mistake(
            "off_by_one_254",
            "off by one: the negative of v is 255 - v, not 254 - v.",
            lambda image: ((254 - _wide(image)) % 256).astype(np.uint8),
        ),
        Mistake("unchanged", "the image came back unchanged.", lambda image: image),
    ),
    shortcuts={pixels.invert: None, "skimage.util.invert": None},
    in_place="compute `255 - image`, which makes a new array, and return it.",
)


# ------------------------------------------------------------------ crop


def _crop_hidden(rng: np.random.Generator) -> list[Case]:
    cases = []
    for shape in [(10, 13), (20, 7), (12, 15, 3), (3, 3)]:
        image = rng.integers(0, 256, size=shape, dtype=np.uint8)
        top, left = int(rng.integers(0, shape[0])), int(rng.integers(0, shape[1]))
        height = int(rng.integers(1, shape[0] - top + 1))
        width = int(rng.integers(1, shape[1] - left + 1))
        cases.append(Case((image,), dict(top=top, left=left, height=height, width=width)))
    image = rng.integers(0, 256, size=(9, 11), dtype=np.uint8)
    cases.append(Case((image,), dict(top=2, left=5, height=6, width=3), note="a tall, narrow patch"))
    return cases


_GRID = np.arange(30, dtype=np.uint8).reshape(5, 6)  # value = 6 * row + column


def _crop_case(image: np.ndarray, top: int, left: int, height: int, width: int, note: str = "") -> Case:
    return Case((image,), dict(top=top, left=left, height=height, width=width), note)


def _cut(top_offset: int, left_offset: int, extra_rows: int, extra_cols: int):
    def wrong(image, top, left, height, width):
        t, l_ = top + top_offset, left + left_offset
        if t < 0 or l_ < 0:
            return None
        return image[t : t + height + extra_rows, l_ : l_ + width + extra_cols]

    return wrong


CROP = Exercise(
    name="crop",
    lesson=LESSON,
    reference=pixels.crop,
    params=("image", "top", "left", "height", "width"),
    visible=(
        _crop_case(_GRID, 1, 2, 2, 3, "value = 6 * row + column, so the values tell their position"),
        _crop_case(_GRID, 0, 0, 5, 6, "the whole image"),
        _crop_case(_GRID, 3, 1, 2, 2),
        _crop_case(data.smiley(), 2, 1, 4, 4, "the smiley's eyes"),
        _crop_case(
            np.arange(36, dtype=np.uint8).reshape(3, 4, 3), 1, 1, 2, 2, "a colour image: keep all 3 channels"
        ),
    ),
    hidden=_crop_hidden,
    mistakes=(
        Mistake(
            "rows_columns_swapped",
            "rows and columns are swapped: image[r, c] is row r (y, from the top) and column c "
            "(x, from the left), so the rows come first: image[top:top + height, left:left + width].",
            lambda image, top, left, height, width: image[left : left + width, top : top + height],
        ),
        Mistake(
            "height_width_swapped",
            "height and width are swapped: height counts rows (first index), width counts columns "
            "(second index).",
            lambda image, top, left, height, width: image[top : top + width, left : left + height],
        ),
        Mistake(
            "one_too_many",
            "off by one: one row and one column too many. A slice a:b stops before b, so "
            "top:top + height already gives `height` rows.",
            _cut(0, 0, 1, 1),
        ),
        Mistake(
            "one_too_few",
            "off by one: one row and one column too few. A slice a:b includes a and stops before b, "
            "so use top:top + height.",
            _cut(0, 0, -1, -1),
        ),
        Mistake(
            "sizes_as_ends",
            "height and width are sizes, not end positions: the rows are top:top + height and the "
            "columns left:left + width.",
            lambda image, top, left, height, width: image[top:height, left:width],
        ),
        Mistake(
            "starts_late",
            "off by one: the patch starts one row and one column late (indices start at 0, so row "
            "`top` is image[top]).",
            _cut(1, 1, 0, 0),
        ),
        Mistake("starts_early", "the patch starts one row and one column early.", _cut(-1, -1, 0, 0)),
    ),
    answer=Answer(copy=True),
    in_place="slice the rows and columns you need and return a copy of them.",
)


# ------------------------------------------------------------------ brighten


def _brighten_hidden(rng: np.random.Generator) -> list[Case]:
    return [
        Case((rng.integers(0, 256, size=(8, 8), dtype=np.uint8), 1)),
        Case((rng.integers(0, 256, size=(5, 9), dtype=np.uint8), -1)),
        Case((rng.integers(0, 256, size=(4, 4, 3), dtype=np.uint8), 128), note="a colour image"),
        Case((rng.integers(0, 256, size=(6, 3), dtype=np.uint8), -300)),
        Case((np.full((2, 2), 255, dtype=np.uint8), 255)),
        Case((_uint8([[0, 255]]), -255)),
    ]


def _plus(image: np.ndarray, amount: int) -> np.ndarray:
    return _wide(image) + amount


BRIGHTEN = Exercise(
    name="brighten",
    lesson=LESSON,
    reference=pixels.brighten,
    params=("image", "amount"),
    visible=(
        Case((_uint8([[10, 200, 250]]), 50), note="200 + 50 fits, 250 + 50 must stop at 255"),
        Case((_uint8([[200, 100], [0, 155]]), 100), note="200 + 100 must give 255, not 44"),
        Case((_uint8([[10, 200, 250]]), -50), note="darker: 10 - 50 must give 0, not 216"),
        Case((_uint8([[0, 128, 255]]), 0)),
        Case((np.arange(256, dtype=np.uint8).reshape(16, 16), 300), note="amount 300 does not fit in uint8"),
    ),
    hidden=_brighten_hidden,
    mistakes=(
        Mistake(
            "uint8_out_of_bounds",
            "the uint8 problem: numpy 2 refuses to add a Python int that does not fit in uint8 (like "
            "300 or -50) to a uint8 array (OverflowError). Widen first, "
            "`image.astype(np.int16) + amount`, then clip to 0..255 and convert back with "
            ".astype(np.uint8).",
            error=_OUT_OF_BOUNDS,
        ),
        Mistake(
            "int8_too_small",
            "int8 is too small: it holds -128..127, so pixels above 127 turned negative. Widen to "
            "int16 (-32768..32767), which holds every uint8 value plus or minus 255.",
            lambda image, amount: (
                np.clip(image.astype(np.int8) + np.int8(amount), 0, 255).astype(np.uint8)
                if -128 <= amount <= 127
                else None
            ),
        ),
        Mistake(
            "int8_out_of_bounds",
            "int8 is too small: it holds -128..127, and numpy 2 refuses to add an amount that does "
            "not fit in it (OverflowError). Widen to int16 instead.",
            error=("OverflowError", "out of bounds for int8"),
        ),
        Mistake(
            "below_zero_wrapped",
            "values below 0 wrapped around to the top (10 - 50 gave 216): clip at 0 as well as at 255.",
            lambda image, amount: np.where(
                _plus(image, amount) < 0, _plus(image, amount) % 256, np.minimum(_plus(image, amount), 255)
            ),
        ),
        Mistake(
            "wrap_around",
            "uint8 wrap-around: results outside 0..255 wrapped around (200 + 100 gave 44, 10 - 50 "
            "gave 216). Add in a wider type, e.g. image.astype(np.int16) + amount, then clip to "
            "0..255 and convert back to uint8.",
            lambda image, amount: _plus(image, amount) % 256,
        ),
        Mistake(
            "not_clipped_below",
            "values below 0 are not clipped: clip at 0 as well as at 255.",
            lambda image, amount: np.minimum(_plus(image, amount), 255),
        ),
        Mistake(
            "not_clipped_above",
            "values above 255 are not clipped: clip at 255 as well as at 0.",
            lambda image, amount: np.maximum(_plus(image, amount), 0),
        ),
        Mistake(
            "subtracted",
            "the amount was subtracted instead of added.",
            lambda image, amount: np.clip(_wide(image) - amount, 0, 255),
        ),
        Mistake("unchanged", "the image came back unchanged.", lambda image, amount: image),
    ),
    in_place="add into a new, wider array (`image.astype(np.int16) + amount`), clip it and convert it back.",
)


EXERCISES = (MAKE_SMILEY, INVERT, CROP, BRIGHTEN)

check_make_smiley = make_check(MAKE_SMILEY)
check_invert = make_check(INVERT)
check_crop = make_check(CROP)
check_brighten = make_check(BRIGHTEN)
