"""coursetools.grading.normalise: a submitted notebook validated and repaired against the lesson's source."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from coursetools.grading import normalise as normalise_module
from coursetools.grading.normalise import InvalidSubmission, graded_cells, normalise, released_test_source

IMPORTS = "import numpy as np"
INVERT = "def invert(image):\n    return 255 - image"
CROP = "def crop(image):\n    return image[:1]"
STUB = "def {}(image):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
TEST_INVERT = "# Check invert on small images\ncheck_invert(invert)"
HIDDEN_INVERT = (
    "# Hidden checks of invert\n### BEGIN HIDDEN TESTS\ncheck_invert(invert, seed=7)\n### END HIDDEN TESTS"
)
HIDDEN_RELEASED = "# Hidden checks of invert"
TEST_CROP = "check_crop(crop)"


def _nbgrader(grade_id: str, **flags) -> dict:
    meta = {"grade_id": grade_id, "solution": False, "grade": False, "locked": False, "schema_version": 3}
    return {"nbgrader": {**meta, **flags}}


def solution(grade_id: str, text: str, **extra):
    return new_code_cell(text, metadata={**_nbgrader(grade_id, solution=True), **extra})


def checks(grade_id: str, text: str, **extra):
    """A test cell (named so that pytest does not collect it)."""
    return new_code_cell(text, metadata={**_nbgrader(grade_id, grade=True, locked=True, points=1), **extra})


def read_only(grade_id: str, text: str, **extra):
    return new_code_cell(text, metadata={**_nbgrader(grade_id, locked=True), **extra})


def _lesson(invert: str, crop: str, hidden: str) -> list:
    """A small lesson: imports, invert with a visible and a hidden test, crop with its test."""
    return [
        new_markdown_cell("# Pixels"),
        read_only("imports", IMPORTS),
        new_markdown_cell("Write invert."),
        solution("invert", invert),
        checks("test_invert", TEST_INVERT),
        checks("test_invert_hidden", hidden),
        solution("crop", crop),
        checks("test_crop", TEST_CROP),
    ]


SOURCE = new_notebook(cells=_lesson(INVERT, CROP, HIDDEN_INVERT))
RELEASED = new_notebook(cells=_lesson(STUB.format("invert"), STUB.format("crop"), HIDDEN_RELEASED))
# the lesson as a learner who answered everything hands it in: (kind, grade id, source) after grading
ANSWERED = [
    ("markdown", "", "# Pixels"),
    ("locked", "imports", IMPORTS),
    ("markdown", "", "Write invert."),
    ("solution", "invert", "def invert(image):\n    return 255 - image  # mine"),
    ("test", "test_invert", TEST_INVERT),
    ("test", "test_invert_hidden", HIDDEN_INVERT),
    ("solution", "crop", "def crop(image):\n    return image[:1, :1]  # mine"),
    ("test", "test_crop", TEST_CROP),
]


def _answered() -> list:
    """The released notebook with the learner's answers in its solution cells."""
    return _lesson(ANSWERED[3][2], ANSWERED[6][2], HIDDEN_RELEASED)


def _normalise(tmp_path, cells):
    path = tmp_path / "01_pixels.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return normalise(path, SOURCE, RELEASED)


def _cells(result) -> list[tuple[str, str, str]]:
    assert [cell.index for cell in result.cells] == list(range(len(result.cells)))
    return [(cell.kind, cell.grade_id, cell.source) for cell in result.cells]


def _refused(tmp_path, text: str) -> str:
    path = tmp_path / "01_pixels.ipynb"
    path.write_text(text)
    with pytest.raises(InvalidSubmission) as caught:
        normalise(path, SOURCE, RELEASED)
    return str(caught.value)


def _raw_notebook(**fields) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [], **fields})


# ------------------------------------------------------------------ what is not a notebook


def test_a_file_that_is_not_json_is_refused_with_what_the_json_reader_said(tmp_path):
    assert _refused(tmp_path, "{cells: []}") == (
        "not a notebook: the file is not valid JSON "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))"
    )
    (tmp_path / "01_pixels.ipynb").write_bytes(b"\xff\xfe{}")
    with pytest.raises(InvalidSubmission, match=r"^not a notebook: the file is not valid JSON \("):
        normalise(tmp_path / "01_pixels.ipynb", SOURCE, RELEASED)


def test_json_that_is_not_a_notebook_is_refused_saying_what_is_missing(tmp_path):
    assert _refused(tmp_path, "[1, 2]") == "not a notebook: the file holds no JSON object"
    assert _refused(tmp_path, '"a string"') == "not a notebook: the file holds no JSON object"
    assert _refused(tmp_path, _raw_notebook(cells={"0": "x"})) == "not a notebook: no list of cells"
    assert _refused(tmp_path, '{"nbformat": 4}') == "not a notebook: no list of cells"


def test_a_notebook_format_other_than_4_or_3_is_refused_naming_it(tmp_path):
    assert _refused(tmp_path, _raw_notebook(nbformat=5)) == "unknown notebook format 5 (expected 4)"
    assert _refused(tmp_path, _raw_notebook(nbformat="4")) == "unknown notebook format '4' (expected 4)"
    assert _refused(tmp_path, '{"cells": []}') == "unknown notebook format None (expected 4)"


def test_a_notebook_nbformat_cannot_read_is_refused_with_nbformats_reason(tmp_path):
    cell_without_metadata = {"cell_type": "code", "source": "x = 1"}
    assert _refused(tmp_path, _raw_notebook(cells=[cell_without_metadata])) == (
        "not a readable notebook: The notebook is invalid and is missing an expected key: metadata"
    )


def test_a_notebook_of_format_3_is_read_and_upgraded(tmp_path):
    cell = {"cell_type": "code", "input": "x = 3", "metadata": {}, "outputs": [], "language": "python"}
    path = tmp_path / "old.ipynb"
    path.write_text(
        json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]})
    )
    result = normalise(path, SOURCE, RELEASED)
    # the lesson's cells are all absent: each comes back after the one before it in the source
    assert _cells(result) == [
        ANSWERED[1],
        ("missing", "invert", STUB.format("invert")),
        *ANSWERED[4:6],
        ("missing", "crop", STUB.format("crop")),
        ANSWERED[7],
        ("code", "", "x = 3"),
    ]


def test_a_file_that_is_missing_cannot_be_read(tmp_path):
    with pytest.raises(
        InvalidSubmission, match=r"^cannot read the file: \[Errno 2\] No such file or directory"
    ):
        normalise(tmp_path / "absent.ipynb", SOURCE, RELEASED)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(normalise_module, "MAX_BYTES", 2 * 1024**2)
    assert _refused(tmp_path, " " * (3 * 1024**2)) == "the file is 3 MiB, over the 2 MiB limit"


def test_more_cells_than_the_limit_are_refused_and_the_limit_itself_is_accepted(tmp_path, monkeypatch):
    monkeypatch.setattr(normalise_module, "MAX_CELLS", 3)
    with pytest.raises(InvalidSubmission, match=r"^4 cells, over the limit of 3$"):
        _normalise(tmp_path, [new_code_cell(f"x = {n}") for n in range(4)])
    result = _normalise(tmp_path, [new_code_cell(f"x = {n}") for n in range(3)])
    # read, not refused: the lesson's six graded cells are put back before the learner's three
    assert _cells(result)[6:] == [("code", "", "x = 0"), ("code", "", "x = 1"), ("code", "", "x = 2")]
    assert len(result.cells) == 9


def test_a_cell_over_the_source_limit_is_left_out_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setattr(normalise_module, "MAX_SOURCE", 2048)
    cells = _answered()
    cells.insert(3, new_code_cell("# " + "x" * 2048))
    result = _normalise(tmp_path, cells)
    assert result.notes == ["cell 4 is over 2 KiB and was left out"]
    assert _cells(result) == ANSWERED


# ------------------------------------------------------------------ a notebook of the lesson


def test_an_answered_notebook_runs_the_learners_answers_and_the_sources_test_cells(tmp_path):
    result = _normalise(tmp_path, _answered())
    assert _cells(result) == ANSWERED  # the hidden test cell as the source has it
    assert (result.notes, result.suspicious) == ([], [])


def test_the_learners_own_cells_run_in_place_and_raw_cells_are_dropped(tmp_path):
    cells = _answered()
    cells[4:4] = [
        new_code_cell("print(invert(np.zeros(2)))"),
        new_raw_cell("raw text"),
        new_markdown_cell("hm"),
    ]
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [
        *ANSWERED[:4],
        ("code", "", "print(invert(np.zeros(2)))"),
        ("markdown", "", "hm"),
        *ANSWERED[4:],
    ]


def test_a_solution_pasted_twice_runs_both_copies_in_order(tmp_path):
    again = "def invert(image):\n    return 255 - image  # second try"
    cells = _answered()
    cells.insert(5, solution("invert", again))
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [*ANSWERED[:5], ("code", "", again), *ANSWERED[5:]]
    assert result.notes == ["solution cell invert appears twice: both copies run, in order"]


def test_a_second_copy_of_a_test_cell_is_left_out(tmp_path):
    cells = _answered()
    cells.append(checks("test_invert", TEST_INVERT))
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.notes == ["a second copy of read-only cell test_invert was left out"]


def test_a_deleted_test_cell_is_put_back_after_the_graded_cell_before_it(tmp_path):
    cells = _answered()
    del cells[4]  # test_invert
    cells.insert(4, new_code_cell("print('mine')"))  # where the test cell was
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [*ANSWERED[:5], ("code", "", "print('mine')"), *ANSWERED[5:]]
    assert result.notes == ["deleted cell test_invert was put back"]
    assert result.suspicious == []


def test_deleted_read_only_cells_at_the_start_and_end_are_put_back_in_the_sources_order(tmp_path):
    cells = _answered()
    del cells[7]  # test_crop, the last
    del cells[1]  # imports, the first graded cell: nothing precedes it
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [ANSWERED[1], ANSWERED[0], *ANSWERED[2:]]
    assert result.notes == ["deleted cell imports was put back", "deleted cell test_crop was put back"]


def test_several_deleted_cells_in_a_row_come_back_in_the_sources_order(tmp_path):
    cells = _answered()
    del cells[4:6]  # both tests of invert
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.notes == [
        "deleted cell test_invert was put back",
        "deleted cell test_invert_hidden was put back",
    ]


def test_a_deleted_solution_cell_is_shown_as_missing_with_the_released_stub(tmp_path):
    cells = _answered()
    del cells[6]  # crop
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [*ANSWERED[:6], ("missing", "crop", STUB.format("crop")), ANSWERED[7]]
    assert result.notes == ["solution cell crop was deleted: its exercise finds no function"]


def test_a_renamed_solution_cell_runs_as_ordinary_code_and_its_grade_id_counts_as_deleted(tmp_path):
    cells = _answered()
    cells[3] = solution("my_invert", ANSWERED[3][2])
    result = _normalise(tmp_path, cells)
    assert (
        _cells(result)
        == [
            *ANSWERED[:2],
            ("missing", "invert", STUB.format("invert")),  # after imports, so the learner's definition wins
            ANSWERED[2],
            ("code", "", ANSWERED[3][2]),
            *ANSWERED[4:],
        ]
    )
    assert result.notes == [
        "cell with unknown grade id 'my_invert' runs as an ordinary cell",
        "solution cell invert was deleted: its exercise finds no function",
    ]


def test_a_cell_with_an_unknown_grade_id_that_is_no_solution_still_runs_but_is_not_graded(tmp_path):
    cells = _answered()
    cells.append(checks("test_extra", "print('extra')"))
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [*ANSWERED, ("code", "", "print('extra')")]
    assert result.notes == ["cell with unknown grade id 'test_extra' is not graded"]


def test_malformed_nbgrader_metadata_makes_an_ordinary_cell(tmp_path):
    cells = _answered()
    cells[3].metadata["nbgrader"] = ["invert"]
    cells[6].metadata["nbgrader"]["grade_id"] = 6
    result = _normalise(tmp_path, cells)
    kinds = [(kind, grade_id) for kind, grade_id, _ in _cells(result)]
    assert kinds == [
        ("markdown", ""),
        ("locked", "imports"),
        ("missing", "invert"),
        ("markdown", ""),
        ("code", ""),
        ("test", "test_invert"),
        ("test", "test_invert_hidden"),
        ("missing", "crop"),
        ("code", ""),
        ("test", "test_crop"),
    ]


# ------------------------------------------------------------------ metadata the learner changed


def test_an_unknown_schema_version_is_noted_and_the_cell_read_as_the_lessons(tmp_path):
    cells = _answered()
    cells[3].metadata["nbgrader"]["schema_version"] = 2
    cells[4].metadata["nbgrader"]["schema_version"] = "4"
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.notes == [
        "cell invert had nbgrader schema_version 2; read as the lesson's cell",
        "cell test_invert had nbgrader schema_version '4'; read as the lesson's cell",
    ]
    assert result.suspicious == []


def test_tags_on_graded_cells_are_ignored_and_reported_as_suspicious(tmp_path):
    cells = _answered()
    cells[3].metadata["tags"] = ["raises-exception"]
    cells[4].metadata["tags"] = ["skip-execution", "raises-exception"]
    cells.insert(5, new_code_cell("x = 1", metadata={"tags": ["skip-execution"]}))  # an own cell: not graded
    result = _normalise(tmp_path, cells)
    assert _cells(result) == [*ANSWERED[:5], ("code", "", "x = 1"), *ANSWERED[5:]]
    assert result.suspicious == [
        ("metadata", "tags raises-exception on graded cell invert (ignored)"),
        ("metadata", "tags skip-execution, raises-exception on graded cell test_invert (ignored)"),
    ]


def test_a_test_cell_marked_as_a_solution_by_the_learner_stays_the_lessons_test_cell(tmp_path):
    cells = _answered()
    cells[4].metadata["nbgrader"].update(solution=True, grade=False, locked=False)
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert (result.notes, result.suspicious) == ([], [])


def test_an_edited_test_cell_runs_the_sources_version_and_is_suspicious(tmp_path):
    cells = _answered()
    cells[4].source = "print('all checks passed')"
    cells[5].source = "# Hidden checks of invert\ncheck_invert(lambda image: image, seed=7)"
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.suspicious == [
        ("test cell edited", "test_invert (the lesson's version ran)"),
        ("test cell edited", "test_invert_hidden (the lesson's version ran)"),
    ]


def test_a_test_cell_as_released_or_as_in_the_source_is_not_an_edit(tmp_path):
    cells = _answered()
    cells[4].source = "\n" + TEST_INVERT + "\n\n"  # blank lines around it are no edit
    cells[5].source = HIDDEN_INVERT  # as the source has it
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.suspicious == []


def test_an_edited_read_only_cell_runs_the_sources_version_and_is_suspicious(tmp_path):
    cells = _answered()
    cells[1].source = "import numpy as np\nnp.array_equal = lambda a, b: True"
    result = _normalise(tmp_path, cells)
    assert _cells(result) == ANSWERED
    assert result.suspicious == [("read-only cell edited", "imports (the lesson's version ran)")]


def test_a_solution_cell_turned_into_markdown_is_not_run(tmp_path):
    cells = _answered()
    cells[6] = new_markdown_cell("I could not do crop", metadata=cells[6].metadata)
    result = _normalise(tmp_path, cells)
    assert _cells(result)[6] == ("markdown", "crop", "I could not do crop")
    assert result.notes == []


# ------------------------------------------------------------------ helpers of the module


def test_the_released_test_source_has_no_hidden_lines_and_no_markers():
    text = "# visible\ncheck_a(a)\n    ### BEGIN HIDDEN TESTS\ncheck_a(a, seed=1)\ncheck_b(b)\n### END HIDDEN TESTS\nprint('after')\n"
    assert released_test_source(text) == "# visible\ncheck_a(a)\nprint('after')"
    assert released_test_source(HIDDEN_INVERT) == HIDDEN_RELEASED
    assert released_test_source("\n\ncheck_a(a)\n\n") == "check_a(a)"


def test_graded_cells_are_found_by_grade_id_with_their_position_and_kind():
    manual = new_markdown_cell("Explain", metadata=_nbgrader("explain", grade=True, points=2))
    no_id = new_code_cell("x = 1", metadata={"nbgrader": {"solution": True, "grade_id": ""}})
    notebook = new_notebook(cells=[*SOURCE.cells, manual, no_id, new_code_cell("y = 2")])
    found = {gid: (position, kind) for gid, (position, kind, _) in graded_cells(notebook).items()}
    assert found == {
        "imports": (1, "locked"),
        "invert": (3, "solution"),
        "test_invert": (4, "test"),
        "test_invert_hidden": (5, "test"),
        "crop": (6, "solution"),
        "test_crop": (7, "test"),
    }
    assert graded_cells(notebook)["test_crop"][2].source == TEST_CROP


def test_a_read_only_text_cell_is_shown_never_run_as_code(tmp_path):
    intro = new_markdown_cell("# Read this first", metadata=_nbgrader("intro", locked=True))
    source = new_notebook(cells=[intro, solution("invert", "def invert(image):\n    return image\n")])
    assert graded_cells(source)["intro"][1] == "markdown"
    path = tmp_path / "submitted.ipynb"
    nbformat.write(source, path)
    result = normalise(path, source, source)
    assert (result.cells[0].kind, result.cells[0].source) == ("markdown", "# Read this first")
