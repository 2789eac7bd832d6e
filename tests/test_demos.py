"""Demo cells do not reassure a wrong answer: a pair of wrong functions that undo each other is
caught by the lesson's own demo (lesson 02), which checks against the pixels, not only the round trip.

The cells run in this process (matplotlib on Agg), as they stand in the source notebook.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import matplotlib
import matplotlib.pyplot
import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
COLOUR = nbformat.read(REPO / "solutions" / "02_colour" / "02_colour.ipynb", as_version=4)

# channels read in the wrong order, and put back in the same wrong order: they undo each other
WRONG_PAIRS = {
    "split_channels": (
        "def split_channels(image):\n    return image[:, :, 2], image[:, :, 1], image[:, :, 0]\n"
        "def stack_channels(red, green, blue):\n    return np.stack([blue, green, red], axis=-1)\n"
    ),
    "to_chw": (
        "def to_chw(image):\n    return np.transpose(image, (2, 1, 0))\n"
        "def to_hwc(image):\n    return np.transpose(image, (2, 1, 0))\n"
    ),
}


def _cell(containing: str) -> str:
    (cell,) = [c.source for c in COLOUR.cells if c.cell_type == "code" and containing in c.source]
    return cell


def _run(*sources: str) -> str:
    matplotlib.use("Agg")
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for source in sources:
            exec(source, namespace)
    return printed.getvalue()


@pytest.mark.parametrize(
    ("demo", "pair"), [("split_channels(tiny)[0]", "split_channels"), ("to_chw(cat)[0]", "to_chw")]
)
def test_a_wrong_pair_that_undoes_itself_is_caught_by_the_demo(demo, pair):
    imports = COLOUR.cells[1].source  # the lesson's first code cell: its imports
    setup = _cell("tiny = np.stack") if pair == "split_channels" else 'cat = load_image("chelsea")\n'
    shown = _run(imports, setup, WRONG_PAIRS[pair], _cell(demo))
    matplotlib.pyplot.close("all")
    lines = [line for line in shown.splitlines() if ":" in line and line.endswith(("True", "False"))]
    assert lines[0].endswith("False"), shown  # the check against the pixels catches them
    assert lines[-1].endswith("True"), shown  # the round trip alone would have said all is well
