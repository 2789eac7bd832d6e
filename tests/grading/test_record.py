"""coursetools.grading.record: one student's result as typed data, kept between runs."""

from __future__ import annotations

import json

import pytest

from coursetools.grading import record
from coursetools.grading.record import Record, load

ANN = Record(
    "ann",
    score=3.0,
    max_score=5.0,
    tests={"test_invert": (1.0, 1.0), "test_invert_hidden": (0.0, 2.0), "test_crop": (2.0, 2.0)},
    messages={"test_invert": "invert: all 4 checks passed.", "test_invert_hidden": "CheckFailure: wrapped"},
    mistakes=(("invert", "wraps_around"), ("invert", "wraps_around")),
    suspicious=(("module patched", "numpy.sum"),),
    notes=("deleted cell test_crop was put back",),
    seconds=1.25,
    restarts=1,
)
BOB = Record("bob", error="not a notebook: the file holds no JSON object")


def test_a_record_comes_back_from_json_as_the_same_record_with_tuples_and_floats():
    data = json.loads(json.dumps(ANN.to_json()))  # through JSON text: tuples become lists
    assert data["tests"]["test_invert_hidden"] == [0.0, 2.0] and data["mistakes"][0] == [
        "invert",
        "wraps_around",
    ]
    back = Record.from_json(data)
    assert back == ANN
    assert back.tests["test_invert_hidden"] == (0.0, 2.0) and type(back.tests["test_crop"]) is tuple
    assert back.mistakes == (("invert", "wraps_around"), ("invert", "wraps_around"))
    assert type(back.mistakes[0]) is tuple and type(back.suspicious[0]) is tuple and type(back.notes) is tuple


def test_whole_numbers_in_json_come_back_as_floats_and_restarts_as_an_int():
    back = Record.from_json(
        {"student": "cat", "score": 3, "max_score": 5, "tests": {"t": [1, 2]}, "restarts": 2}
    )
    assert (back.score, back.max_score, back.tests, back.restarts) == (3.0, 5.0, {"t": (1.0, 2.0)}, 2)
    assert type(back.score) is float and type(back.tests["t"][0]) is float and type(back.restarts) is int


def test_a_failed_record_keeps_its_reason_and_only_a_student_is_required():
    assert Record.from_json(json.loads(json.dumps(BOB.to_json()))) == BOB
    assert BOB.failed and not ANN.failed
    assert Record.from_json({"student": "dee"}) == Record("dee")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"score": 1.0}, "no student"),
        ({"student": None}, "no student"),
        ({"student": "ann", "score": "lots"}, "score holds str, not a number"),
        ({"student": "ann", "score": True}, "score holds bool, not a number"),
        ({"student": "ann", "tests": {"t": [1.0, 2.0, 3.0]}}, "tests must be a list of 2"),
        ({"student": "ann", "tests": {"x": "12"}}, "tests must be a list of 2"),
        ({"student": "ann", "tests": [["t", 1.0]]}, "tests must be a mapping"),
        ({"student": "ann", "mistakes": [["invert"]]}, "mistakes must be a list of 2"),
        ({"student": "ann", "mistakes": {"ab": 1}}, "mistakes must be a list"),
        ({"student": "ann", "suspicious": 3}, "suspicious must be a list"),
        ({"student": "ann", "notes": "abc"}, "notes must be a list"),
        ({"student": "ann", "restarts": "once"}, "restarts must be a whole number"),
        ({"student": "ann", "restarts": 1.9}, "restarts must be a whole number"),
        ({"student": "ann", "grade": 3}, "unknown field 'grade'"),
        ("ann", "no student"),
        (None, "no student"),
    ],
)
def test_data_that_is_not_a_record_is_refused_with_a_value_error_saying_why(data, why):
    with pytest.raises(ValueError) as caught:
        Record.from_json(data)
    assert str(caught.value) == f"not a grading record: {why}"


def test_saved_records_load_back_by_student_in_alphabetical_order_on_disk(tmp_path):
    path = tmp_path / "reports" / "01_pixels" / "records.json"  # folders made as needed
    record.save(path, {"bob": BOB, "ann": ANN})
    assert [entry["student"] for entry in json.loads(path.read_text())] == ["ann", "bob"]
    assert record.load(path) == {"ann": ANN, "bob": BOB}


def test_saving_again_replaces_the_file(tmp_path):
    path = tmp_path / "records.json"
    record.save(path, {"ann": ANN, "bob": BOB})
    record.save(path, {"bob": Record("bob", score=1.0, max_score=5.0)})
    assert record.load(path) == {"bob": Record("bob", score=1.0, max_score=5.0)}


def test_a_missing_file_loads_as_no_records(tmp_path):
    assert record.load(tmp_path / "records.json") == {}


@pytest.mark.parametrize(
    "raw",
    [
        b"[{",  # cut short
        b"\xff\xfe[]",  # not UTF-8
        b'{"student": "ann"}',  # an object, not a list of records
        b"null",
        b"[1, 2]",
        b'[{"student": "ann"}, {"score": 1}]',  # one good record does not save the file
    ],
)
def test_a_corrupt_or_wrong_shaped_file_loads_as_no_records(tmp_path, raw):
    path = tmp_path / "records.json"
    path.write_bytes(raw)
    assert record.load(path) == {}


def test_a_folder_where_the_file_should_be_loads_as_no_records(tmp_path):
    (tmp_path / "records.json").mkdir()
    assert load(tmp_path / "records.json") == {}


@pytest.mark.parametrize(
    "seconds, said",
    [
        (0.2, "under a second"),
        (1, "1 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (7505, "2 h 5 min"),
        (7200, "2 h"),
        (86400, "1 day"),
        (3 * 86400 + 4 * 3600 + 59, "3 days 4 h"),
    ],
)
def test_a_duration_is_said_the_way_people_say_it(seconds, said):
    assert record.duration(seconds) == said


def test_a_late_submission_keeps_its_lateness_and_its_status_says_by_how_much():
    late = Record("ann", score=3.0, max_score=3.0, late=7505.0)
    assert Record.from_json(json.loads(json.dumps(late.to_json()))) == late
    assert late.status == "graded, 2 h 5 min late"
    assert Record("bob").status == "graded"
    assert Record("cat", error="not a notebook").status == "failed: not a notebook"


def test_records_appended_during_a_run_load_over_the_saved_ones_and_a_cut_line_is_skipped(tmp_path):
    path = tmp_path / "records.json"
    record.save(path, {"ann": Record("ann", error="old"), "bob": BOB})
    record.append(path, ANN)  # ann graded again: the journal's line wins
    record.append(path, Record("dee", score=1.0))
    with record.journal(path).open("a") as handle:
        handle.write('{"student": "eve", "sco')  # the run was killed mid-line
    assert record.journal(path).name == "records.jsonl"
    assert load(path) == {"ann": ANN, "bob": BOB, "dee": Record("dee", score=1.0)}


def test_saving_writes_the_whole_file_and_drops_the_journal_it_now_holds(tmp_path):
    path = tmp_path / "records.json"
    record.append(path, ANN)
    record.save(path, load(path))
    assert not record.journal(path).exists() and not (tmp_path / "records.json.partial").exists()
    assert load(path) == {"ann": ANN}
