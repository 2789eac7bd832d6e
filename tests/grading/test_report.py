"""coursetools.grading.report: feedback HTML, autograded notebook, grades, mistake tally and suspicion report."""

from __future__ import annotations

import base64
import csv
import struct

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from cnnlib.checks import CheckResult, Raised, Verdict
from coursetools.grading.normalise import Cell, Normalised
from coursetools.grading.plan import CellResult
from coursetools.grading.protocol import AuditReport
from coursetools.grading.record import Record
from coursetools.grading.report import (
    autograded_notebook,
    feedback_html,
    scan_source,
    suspicions,
    write_reports,
)
from coursetools.grading.session import CellRun, Graded

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"a figure").decode()
IMPORTS = "import numpy as np"
INVERT = "def invert(image):\n    print('inverting')\n    return 255 - image"
TEST_INVERT = "# Check invert on small images\ncheck_invert(invert)"
HIDDEN_INVERT = (
    "# Hidden checks of invert\n### BEGIN HIDDEN TESTS\ncheck_invert(invert, seed=7)\n### END HIDDEN TESTS"
)
STUB = "def crop(image):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
WRAPS = "invert(<array (1, 2) uint8>) wraps around: 0 became 0 <not 255>"

NOTEBOOK = Normalised(
    [
        Cell(0, "markdown", "# Pixels <b>bold</b>"),
        Cell(1, "locked", IMPORTS, "imports"),
        Cell(2, "solution", INVERT, "invert"),
        Cell(3, "test", TEST_INVERT, "test_invert"),
        Cell(4, "test", HIDDEN_INVERT, "test_invert_hidden"),
        Cell(5, "code", "print(undefined)"),
        Cell(6, "missing", STUB, "crop"),
    ],
    notes=["solution cell crop was deleted: its exercise finds no function"],
)
VISIBLE = CellResult("test_invert", 1.0, (CheckResult("invert", 4, False),))
HIDDEN = CellResult(
    "test_invert_hidden", 2.0, (CheckResult("invert", 6, True, Verdict(False, WRAPS, "wraps_around")),)
)
GRADED = Graded(
    "ann",
    runs={
        1: CellRun(1),
        2: CellRun(2, stdout="hello <script>alert(1)</script>\n", stderr="a warning\n", figures=[PNG]),
        5: CellRun(5, Raised("NameError", "name 'undefined' is not defined")),
    },
    tests={"test_invert": VISIBLE, "test_invert_hidden": HIDDEN},
)


def _nbgrader(grade_id: str, **flags) -> dict:
    meta = {"grade_id": grade_id, "solution": False, "grade": False, "locked": False, "schema_version": 3}
    return {"nbgrader": {**meta, **flags}}


SOURCE = new_notebook(
    cells=[
        new_markdown_cell("# Pixels <b>bold</b>"),
        new_code_cell(IMPORTS, metadata=_nbgrader("imports", locked=True)),
        new_code_cell(INVERT, metadata=_nbgrader("invert", solution=True)),
        new_code_cell(TEST_INVERT, metadata=_nbgrader("test_invert", grade=True, locked=True, points=1)),
        new_code_cell(
            HIDDEN_INVERT, metadata=_nbgrader("test_invert_hidden", grade=True, locked=True, points=2)
        ),
        new_code_cell("def crop(image):\n    return image[:1]", metadata=_nbgrader("crop", solution=True)),
    ],
    metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
)


# ------------------------------------------------------------------ feedback


def test_feedback_shows_the_score_and_each_test_cells_points():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert "<title>01_pixels: ann</title>" in page
    assert "<h1>01_pixels: 1 / 3 points</h1>" in page
    assert "<p>Student: ann</p>" in page
    assert (
        "<tr><td>test_invert</td><td>1 / 1</td></tr><tr><td>test_invert_hidden</td><td>0 / 2</td></tr>"
        in page
    )


def test_feedback_shows_each_checks_message_as_passed_or_failed():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert '<pre class="pass">invert: all 4 checks passed.</pre>' in page
    assert (
        '<pre class="fail">CheckFailure: invert(&lt;array (1, 2) uint8&gt;) wraps around: 0 became 0 &lt;not 255&gt;</pre>'
        in page
    )


def test_feedback_shows_a_hidden_test_cell_without_its_hidden_lines():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert '<pre class="code"># Hidden checks of invert</pre>' in page
    assert '<pre class="code"># Check invert on small images\ncheck_invert(invert)</pre>' in page
    assert "seed=7" not in page and "HIDDEN TESTS" not in page


def test_feedback_shows_what_the_cells_printed_escaped_and_the_figures_as_given():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert '<pre class="out">hello &lt;script&gt;alert(1)&lt;/script&gt;\na warning</pre>' in page
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert '<pre class="md"># Pixels &lt;b&gt;bold&lt;/b&gt;</pre>' in page
    assert page.count("<img ") == 1
    assert f'<img class="figure" alt="a figure this cell drew" src="data:image/png;base64,{PNG}">' in page


def test_feedback_shows_an_error_as_its_type_and_message():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert (
        '<pre class="code">print(undefined)</pre>\n<pre class="err">NameError: name &#x27;undefined&#x27; is not defined</pre>'
        in page
    )
    assert page.count('class="err"') == 1


def test_feedback_shows_the_repairs_and_the_stub_of_a_deleted_solution():
    page = feedback_html("01_pixels", "ann", NOTEBOOK, GRADED)
    assert "<li>solution cell crop was deleted: its exercise finds no function</li>" in page
    assert f'<pre class="code">{STUB}</pre>' in page


def test_feedback_cuts_what_a_cell_printed_at_4000_characters():
    graded = Graded("ann", runs={0: CellRun(0, stdout="x" * 5000)})
    page = feedback_html("01_pixels", "ann", Normalised([Cell(0, "code", "print('x' * 5000)")]), graded)
    assert f'<pre class="out">{"x" * 4000}</pre>' in page


def test_a_student_name_and_lesson_are_escaped_too():
    page = feedback_html("<i>01</i>", "<ann>", Normalised([]), Graded("<ann>"))
    assert "<title>&lt;i&gt;01&lt;/i&gt;: &lt;ann&gt;</title>" in page
    assert "<h1>&lt;i&gt;01&lt;/i&gt;: 0 / 0 points</h1>" in page


# ------------------------------------------------------------------ autograded notebook


def test_the_autograded_notebook_carries_the_sources_metadata_on_graded_cells():
    notebook = autograded_notebook(SOURCE, NOTEBOOK, GRADED)
    nbformat.validate(notebook)
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", *["code"] * 6]
    assert [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells] == [
        None,
        "imports",
        "invert",
        "test_invert",
        "test_invert_hidden",
        None,
        "crop",
    ]
    assert notebook.cells[4].metadata == SOURCE.cells[4].metadata
    assert notebook.metadata.kernelspec.name == "python3"


def test_the_autograded_notebook_has_the_outputs_and_no_hidden_test_lines():
    cells = autograded_notebook(SOURCE, NOTEBOOK, GRADED).cells
    assert cells[1].outputs == []
    assert [dict(output) for output in cells[2].outputs] == [
        {"output_type": "stream", "name": "stdout", "text": "hello <script>alert(1)</script>\na warning\n"},
        {"output_type": "display_data", "data": {"image/png": PNG}, "metadata": {}},
    ]
    assert cells[3].outputs[0].text == "invert: all 4 checks passed.\n"
    assert cells[4].source == "# Hidden checks of invert"
    assert cells[4].outputs[0].text == f"CheckFailure: {WRAPS}\n"
    (error,) = cells[5].outputs
    assert (error.output_type, error.ename, error.evalue) == (
        "error",
        "NameError",
        "name 'undefined' is not defined",
    )
    assert (cells[6].source, cells[6].outputs) == (STUB, [])


# ------------------------------------------------------------------ suspicion


@pytest.mark.parametrize(
    ("code", "kind", "found"),
    [
        ("secret = answer.__closure__[0].cell_contents", "function internals", "__closure__"),
        ("import gc\nobjects = gc.get_objects()", "function internals", "gc.get_objects"),
        ("import sys\nnames = sys._getframe(2).f_locals", "interpreter frames", "_getframe"),
        ("import cnnlib.guard", "cnnlib's answer guard", "cnnlib.guard"),
        ("def check_invert(function):\n    pass", "a check's name (redefined)", "def check_invert"),
        ("x = 1\n  check_invert = print", "a check's name (redefined)", "  check_invert ="),
        (
            "cnnlib.checks.pixels.check_invert = print",
            "cnnlib's checks",
            "cnnlib.checks.pixels.check_invert =",
        ),
        ("get_ipython().input_transformers_post.append(f)", "IPython hooks", "input_transformers"),
        ("import importlib\nimportlib.reload(cnnlib)", "module reloading", "importlib.reload"),
        ("import ctypes", "process control", "ctypes"),
        (
            "text = open('../solutions/01_pixels/01_pixels.ipynb').read()",
            "files outside the folder",
            "solutions/",
        ),
        ("open('../../gradebook.db')", "files outside the folder", "../../"),
    ],
)
def test_learner_code_that_touches_the_machinery_is_found(code, kind, found):
    notebook = Normalised([Cell(0, "markdown", "intro"), Cell(1, "code", code), Cell(2, "solution", "x = 2")])
    assert scan_source(notebook) == [("code touches " + kind, f"cell 2: {found!r}")]


def test_each_pattern_family_is_reported_once_per_cell():
    code = "import ctypes\nctypes.CDLL(None)\nf.__closure__\ng.__code__\nimport ctypes as c"
    notebook = Normalised([Cell(0, "code", code), Cell(1, "solution", "import ctypes")])
    assert scan_source(notebook) == [
        ("code touches function internals", "cell 1: '__closure__'"),
        ("code touches process control", "cell 1: 'ctypes'"),
        ("code touches process control", "cell 2: 'ctypes'"),
    ]


def test_honest_code_and_the_lessons_own_cells_are_not_reported():
    honest = (
        "import numpy as np\nfrom cnnlib.checks.pixels import check_invert\n\n"
        "def invert(image):\n    checked = image.copy()  # the check_ comes later\n    return 255 - checked\n\n"
        "check_invert(invert)\nframes = [invert(f) for f in images]\nsolution = 'my_solutions'\n"
    )
    lessons = "import ctypes\ndef check_invert(f): pass"  # the lesson's cells are not the learner's code
    notebook = Normalised(
        [
            Cell(0, "code", honest),
            Cell(1, "solution", INVERT, "invert"),
            Cell(2, "locked", lessons, "imports"),
            Cell(3, "test", lessons, "test_invert"),
            Cell(4, "markdown", lessons),
            Cell(5, "missing", lessons, "crop"),
        ]
    )
    assert scan_source(notebook) == []


def _failed(exercise: str, mistake: str, shortcut: str = "") -> CheckResult:
    return CheckResult(exercise, 4, False, Verdict(False, f"{exercise}: {mistake}", mistake, shortcut))


def test_suspicions_list_every_finding_once_in_order():
    notebook = Normalised(
        [Cell(0, "code", "x = 1"), Cell(1, "code", "import ctypes")],
        suspicious=[("test cell edited", "test_invert (the lesson's version ran)")],
    )
    audit = AuditReport(
        ("numpy.sum", "cnnlib.checks.run_check"),
        2,
        ("refused os.system", "read /home/teacher/gradebook.db", "refused os.system"),
    )
    shortcut = "scipy.signal.correlate2d computes this exercise's answer"
    tests = {
        "test_convolve": CellResult("test_convolve", 1.0, (_failed("convolve", "shortcut", shortcut),)),
        "test_invert_hidden": CellResult(
            "test_invert_hidden", 2.0, (_failed("invert", "unreadable"), _failed("invert", "unreadable"))
        ),
        "test_invert": VISIBLE,
    }
    graded = Graded("ann", tests=tests, audit=audit)
    assert suspicions(notebook, graded, ["test_invert (was 0.5)", "test_invert (was 0.5)"]) == [
        ("test cell edited", "test_invert (the lesson's version ran)"),
        ("code touches process control", "cell 2: 'ctypes'"),
        ("module patched", "numpy.sum"),
        ("module patched", "cnnlib.checks.run_check"),
        ("IPython hook", "2 input transformer(s) registered"),
        ("refused", "refused os.system"),
        ("file outside the folder", "read /home/teacher/gradebook.db"),
        ("shortcut", f"test_convolve: called a switched-off answer: {shortcut}"),
        ("protocol", "test_invert_hidden: the sandbox sent something unreadable"),
        ("manual score cleared", "test_invert (was 0.5)"),
    ]


def test_an_honest_submission_has_no_suspicions_even_with_failed_checks_and_no_audit():
    graded = Graded("ann", tests={"test_invert_hidden": HIDDEN}, audit=AuditReport())
    assert suspicions(NOTEBOOK, graded, []) == []
    assert suspicions(NOTEBOOK, Graded("ann", audit=None), []) == []


# ------------------------------------------------------------------ reports of the class

TEST_IDS = ["test_invert", "test_invert_hidden", "test_crop"]
RECORDS = [
    Record(
        "cat",
        score=0.5,
        max_score=5.0,
        tests={"test_invert": (0.5, 1.0), "test_invert_hidden": (0.0, 2.0)},
        mistakes=(("invert", "no_copy"), ("invert", "wraps_around")),
    ),
    Record("bob", error="not a notebook: the file holds no JSON object"),
    Record(
        "ann",
        score=3.0,
        max_score=5.0,
        tests={"test_invert": (1.0, 1.0), "test_invert_hidden": (0.0, 2.0), "test_crop": (2.0, 2.0)},
        mistakes=(("invert", "wraps_around"), ("invert", "wraps_around"), ("crop", "off_by_one")),
        suspicious=(("module patched", "numpy.sum"), ("refused", "refused os.system")),
    ),
]


def _rows(path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_grades_csv_has_points_per_test_and_failed_students_with_their_reason(tmp_path):
    paths = write_reports(tmp_path / "reports" / "01_pixels", "01_pixels", RECORDS, TEST_IDS)
    assert paths["grades.csv"] == tmp_path / "reports" / "01_pixels" / "grades.csv"
    assert _rows(paths["grades.csv"]) == [
        ["student", "score", "max_score", "status", "test_invert", "test_invert_hidden", "test_crop"],
        ["ann", "3", "5", "graded", "1", "0", "2"],
        ["bob", "0", "", "failed: not a notebook: the file holds no JSON object", "0", "0", "0"],
        ["cat", "0.5", "5", "graded", "0.5", "0", ""],
    ]


def test_mistakes_csv_counts_each_student_once_per_diagnosis_most_common_first(tmp_path):
    paths = write_reports(tmp_path, "01_pixels", RECORDS, TEST_IDS)
    assert _rows(paths["mistakes.csv"]) == [
        ["exercise", "diagnosis", "students"],
        ["crop", "off_by_one", "1"],
        ["invert", "wraps_around", "2"],  # ann made it twice: one student
        ["invert", "no_copy", "1"],
    ]


def test_mistakes_png_is_a_png_image_of_the_tally(tmp_path):
    paths = write_reports(tmp_path, "01_pixels", RECORDS, TEST_IDS)
    data = paths["mistakes.png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (800, 250)  # 8 x 2.5 inches at 100 dpi


def test_the_suspicion_report_names_each_student_and_finding(tmp_path):
    paths = write_reports(tmp_path, "01_pixels", RECORDS, TEST_IDS)
    assert _rows(paths["suspicion.csv"]) == [
        ["student", "kind", "detail"],
        ["ann", "module patched", "numpy.sum"],
        ["ann", "refused", "refused os.system"],
    ]
    assert paths["suspicion.txt"].read_text() == (
        "Suspicion report for 01_pixels: 1 of 3 submissions did something an honest notebook does not do.\n"
        "\n"
        "ann:\n"
        "  - module patched: numpy.sum\n"
        "  - refused: refused os.system\n"
    )


def test_a_class_without_mistakes_or_suspicions_gets_headers_only(tmp_path):
    paths = write_reports(
        tmp_path, "01_pixels", [Record("ann", score=1.0, max_score=1.0, tests={"t": (1.0, 1.0)})], ["t"]
    )
    assert _rows(paths["grades.csv"]) == [
        ["student", "score", "max_score", "status", "t"],
        ["ann", "1", "1", "graded", "1"],
    ]
    assert _rows(paths["mistakes.csv"]) == [["exercise", "diagnosis", "students"]]
    assert _rows(paths["suspicion.csv"]) == [["student", "kind", "detail"]]
    assert paths["mistakes.png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert paths["suspicion.txt"].read_text().startswith("Suspicion report for 01_pixels: 0 of 1 submissions")


def test_native_code_loaded_is_not_called_a_file_read_and_a_folder_named_like_solutions_is_honest():
    audit = AuditReport((), 0, ("ctypes.dlopen libc.so.6", "read /etc/shadow"))
    found = suspicions(Normalised([]), Graded("ann", audit=audit), [])
    assert found == [
        ("native code loaded", "ctypes.dlopen libc.so.6"),
        ("file outside the folder", "read /etc/shadow"),
    ]
    honest = Normalised([Cell(0, "code", "plt.savefig('my_solutions/a.png')")])
    assert scan_source(honest) == []
    assert scan_source(Normalised([Cell(0, "code", "open('../solutions/x')")])) != []


def test_diagnoses_with_equal_counts_are_tallied_in_the_order_of_their_keys(tmp_path):
    records = [Record("ann", mistakes=(("invert", "zeta"), ("invert", "alpha")))]
    paths = write_reports(tmp_path, "01_pixels", records, [])
    assert _rows(paths["mistakes.csv"])[1:] == [["invert", "alpha", "1"], ["invert", "zeta", "1"]]
