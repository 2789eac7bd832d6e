"""Checks for lesson 01 (pixels): the smiley, invert, crop and brighten.

Each ``check_*`` takes the learner's function, runs it on small cases a person can verify by
hand (or on the cases given), compares with the reference in ``cnnlib.images`` and explains a
failure: it recognises uint8 wrap-around, rows and columns swapped, off-by-one crops and the
other slips listed in the course outline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .. import data
from .. import pixels as images
from .core import call_learner, compare, passed

__all__ = ["check_make_smiley", "check_invert", "check_crop", "check_brighten"]


def _recolour(background: int, face: int, features: int) -> np.ndarray:
    codes = data.smiley()
    out = np.empty(codes.shape, dtype=np.uint8)
    out[codes == 0], out[codes == 2], out[codes == 9] = background, face, features
    return out


def check_make_smiley(make_smiley: Callable, cases: Sequence[tuple[int, int, int]] | None = None) -> None:
    """Check ``make_smiley(background, face, features)`` against the 8x8 smiley.

    ``cases`` are ``(background, face, features)`` triples; by default the course's codes
    ``(0, 2, 9)``, called with and without arguments.
    """
    count = 0
    if cases is None:
        result, call = call_learner(make_smiley, "make_smiley")
        _compare_smiley(result, call, (0, 2, 9))
        count += 1
        cases = [(0, 2, 9)]
    for background, face, features in cases:
        result, call = call_learner(
            make_smiley, "make_smiley", background=background, face=face, features=features
        )
        _compare_smiley(result, call, (background, face, features))
        count += 1
    passed("make_smiley", count)


def _compare_smiley(result, call: str, codes: tuple[int, int, int]) -> None:
    expected = _recolour(*codes)
    ignored = None if codes == (0, 2, 9) else _recolour(0, 2, 9)
    compare(
        result,
        expected,
        call=call,
        mistakes=[
            (
                "the drawing ignores the arguments: it uses the codes 0, 2, 9 whatever "
                f"background, face and features it is given (here {codes}).",
                ignored,
            ),
            (
                "the picture is upside down: row 0 is the top row of the picture, so the eyes "
                "are in rows 2-3 and the mouth near the bottom.",
                expected[::-1],
            ),
            (
                "rows and columns are swapped (the picture is transposed): the first index is "
                "the row (counted down from the top), the second the column.",
                expected.T,
            ),
        ],
    )


def _invert_cases() -> list[np.ndarray]:
    return [
        np.array([[0, 255]], dtype=np.uint8),
        np.array([[0, 100], [200, 255]], dtype=np.uint8),
        np.array([[10, 20, 30], [40, 50, 60]], dtype=np.uint8),  # max is 60, not 255
        np.arange(256, dtype=np.uint8).reshape(16, 16),
    ]


def check_invert(invert: Callable, cases: Sequence[np.ndarray] | None = None) -> None:
    """Check ``invert(image)``: 255 - v for every value v, uint8 in and out, input untouched."""
    cases = _invert_cases() if cases is None else list(cases)
    for image in cases:
        result, call = call_learner(invert, "invert", image)
        wide = image.astype(np.int64)
        compare(
            result,
            images.invert(image),
            call=call,
            inputs={"image": image},
            mistakes=[
                (
                    "you subtracted from the image's own brightest value (image.max() - image); "
                    "the negative of an 8-bit image is 255 - image whatever its maximum.",
                    (wide.max() - wide).astype(np.uint8),
                ),
                (
                    "off by one: 8-bit values run from 0 to 255, so the negative of v is 255 - v, "
                    "not 256 - v.",
                    (256 - wide) % 256,
                ),
                ("off by one: the negative of v is 255 - v, not 254 - v.", (254 - wide) % 256),
                ("the values are negated (-image) but 255 was never added.", (-wide) % 256),
                ("the image came back unchanged.", image),
            ],
        )
    passed("invert", len(cases))


def _crop_cases() -> list[tuple[np.ndarray, int, int, int, int]]:
    grid = np.arange(30, dtype=np.uint8).reshape(5, 6)  # value = 6 * row + column
    return [
        (grid, 1, 2, 2, 3),
        (grid, 0, 0, 5, 6),
        (grid, 3, 1, 2, 2),
        (data.smiley(), 2, 1, 4, 4),
    ]


def check_crop(crop: Callable, cases=None) -> None:
    """Check ``crop(image, top, left, height, width)``: rows top..top+height-1, columns left..left+width-1."""
    cases = _crop_cases() if cases is None else list(cases)
    for image, top, left, height, width in cases:
        result, call = call_learner(crop, "crop", image, top=top, left=left, height=height, width=width)
        compare(
            result,
            images.crop(image, top, left, height, width),
            call=call,
            inputs={"image": image},
            mistakes=[
                (
                    "rows and columns are swapped: image[r, c] is row r (y, from the top) and "
                    "column c (x, from the left), so the rows come first: "
                    "image[top:top + height, left:left + width].",
                    image[left : left + width, top : top + height],
                ),
                (
                    "height and width are swapped: height counts rows (first index), width "
                    "counts columns (second index).",
                    image[top : top + width, left : left + height],
                ),
                (
                    "off by one: one row and one column too many. A slice a:b stops before b, so "
                    "top:top + height already gives `height` rows.",
                    image[top : top + height + 1, left : left + width + 1],
                ),
                (
                    "off by one: one row and one column too few. A slice a:b includes a and "
                    "stops before b, so use top:top + height.",
                    image[top : top + height - 1, left : left + width - 1],
                ),
                (
                    "height and width are sizes, not end positions: the rows are "
                    "top:top + height and the columns left:left + width.",
                    image[top:height, left:width],
                ),
                (
                    "off by one: the patch starts one row and one column late (indices start at "
                    "0, so row `top` is image[top]).",
                    image[top + 1 : top + height + 1, left + 1 : left + width + 1],
                ),
                (
                    "the patch starts one row and one column early.",
                    image[top - 1 : top + height - 1, left - 1 : left + width - 1]
                    if top > 0 and left > 0
                    else None,
                ),
            ],
        )
    passed("crop", len(cases))


def _brighten_cases() -> list[tuple[np.ndarray, int]]:
    return [
        (np.array([[10, 200, 250]], dtype=np.uint8), 50),
        (np.array([[200, 100], [0, 155]], dtype=np.uint8), 100),
        (np.array([[10, 200, 250]], dtype=np.uint8), -50),
        (np.array([[0, 128, 255]], dtype=np.uint8), 0),
        (np.arange(256, dtype=np.uint8).reshape(16, 16), 300),
    ]


def check_brighten(brighten: Callable, cases=None) -> None:
    """Check ``brighten(image, amount)``: add, clip to 0..255, return uint8, input untouched."""
    cases = _brighten_cases() if cases is None else list(cases)
    for image, amount in cases:
        result, call = call_learner(brighten, "brighten", image, amount)
        wide = image.astype(np.int64) + amount
        compare(
            result,
            images.brighten(image, amount),
            call=call,
            inputs={"image": image},
            mistakes=[
                (
                    "values below 0 wrapped around to the top (10 - 50 gave 216): clip at 0 as "
                    "well as at 255.",
                    np.where(wide < 0, wide % 256, np.minimum(wide, 255)),
                ),
                (
                    "uint8 wrap-around: results outside 0..255 wrapped around (200 + 100 gave "
                    "44, 10 - 50 gave 216). Add in a wider type, e.g. "
                    "image.astype(np.int16) + amount, then clip to 0..255 and convert back to "
                    "uint8.",
                    wide % 256,
                ),
                (
                    "values below 0 are not clipped: clip at 0 as well as at 255.",
                    np.minimum(wide, 255) if (wide < 0).any() else None,
                ),
                (
                    "values above 255 are not clipped: clip at 255 as well as at 0.",
                    np.maximum(wide, 0) if (wide > 255).any() else None,
                ),
                (
                    "the amount was subtracted instead of added.",
                    np.clip(image.astype(np.int64) - amount, 0, 255),
                ),
                ("the image came back unchanged.", image),
            ],
        )
    passed("brighten", len(cases))
