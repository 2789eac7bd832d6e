"""coursetools.grading.protocol: typed messages between the grader and the child, checked on arrival."""

from __future__ import annotations

import base64
import io
import json
import struct

import numpy as np
import pytest

from cnnlib.checks import Case, NotCalled, Opaque, Outcome, Raised
from coursetools.grading import protocol
from coursetools.grading.protocol import (
    REPLY,
    Audit,
    AuditReport,
    Called,
    CallFunction,
    CellDone,
    Hello,
    Invalid,
    ProtocolError,
    Ready,
    RunCell,
)


def _round_trip(message, *expected):
    stream = io.BytesIO()
    protocol.send(stream, message)
    return protocol.receive(io.BytesIO(stream.getvalue()), *expected)


def _frame(data) -> io.BytesIO:
    """A frame holding ``data`` as JSON, as a child could send it."""
    raw = json.dumps(data).encode()
    return io.BytesIO(struct.pack(">Q", len(raw)) + raw)


def test_every_request_is_declared_beside_its_reply():
    assert REPLY == {Hello: Ready, RunCell: CellDone, CallFunction: Called, Audit: AuditReport}


def test_a_call_and_its_outcome_keep_arrays_dtypes_and_numbers_exactly():
    case = Case((np.arange(6, dtype=np.uint8).reshape(2, 3), 50), {"padding": 1}, "its note")
    request = _round_trip(CallFunction("brighten", "brighten", case, 3.0), CallFunction)
    (array, amount), kwargs = request.case.args, request.case.kwargs
    assert array.dtype == np.uint8 and array.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert (amount, kwargs, request.case.note, request.timeout) == (50, {"padding": 1}, "its note", 3.0)

    value = (np.float32(1.5), float("nan"), 2**70, [None, "x"], Opaque("generator", "<generator>"))
    outcome = Outcome(value, None, ("image",), ("image",), 0.25)
    back = _round_trip(Called(outcome), Called).result
    scalar, nan, big, items, opaque = back.value
    assert scalar.dtype == np.float32 and scalar == 1.5 and np.isnan(nan) and big == 2**70
    assert items == [None, "x"] and opaque == Opaque("generator", "<generator>")
    assert (back.changed, back.shares, back.seconds) == (("image",), ("image",), 0.25)


def test_a_call_that_gave_no_outcome_says_why():
    back = _round_trip(Called(NotCalled("not_callable", 5)), Called)
    assert back.result == NotCalled("not_callable", 5)
    back = _round_trip(Called(Outcome(error=Raised("ValueError", "bad", "line 2 of f: x"))), Called)
    assert back.result.error == Raised("ValueError", "bad", "line 2 of f: x")


def test_cells_and_the_audit_travel_typed():
    done = CellDone(Raised("CellTimeout", "time limit reached"), "out", "err", 1.5, ("iVBORw0KGgo=",))
    assert _round_trip(done) == done
    report = AuditReport(("cnnlib.checks.run_check",), 1, ("read /etc/passwd",))
    assert _round_trip(report, AuditReport) == report
    assert _round_trip(RunCell("x = 1", 6)).timeout == 6.0  # an int where a float is declared


def test_a_reply_of_another_kind_than_expected_is_invalid():
    with pytest.raises(Invalid, match="expected Called, got CellDone"):
        _round_trip(CellDone(None), Called)


def test_fields_are_checked_on_arrival():
    good = json.loads(protocol.pack(Called(Outcome(1)))[8:])
    fields = good["__type__"][1]["result"]["__type__"][1]
    for change, words in [
        ({"changed": {"__tuple__": [3]}}, "Outcome.changed"),  # names must be text
        ({"seconds": "soon"}, "Outcome.seconds"),
        ({"error": "boom"}, "Outcome.error"),
        ({"surprise": 1}, "no field 'surprise'"),
    ]:
        bad = json.loads(json.dumps(good))
        bad["__type__"][1]["result"]["__type__"][1] = {**fields, **change}
        with pytest.raises(Invalid, match=words):
            protocol.receive(_frame(bad), Called)
    with pytest.raises(Invalid, match="unknown message or value type 'Popen'"):
        protocol.receive(_frame({"__type__": ["Popen", {}]}))
    with pytest.raises(Invalid, match="reason must be one of"):
        protocol.receive(
            _frame({"__type__": ["Called", {"result": {"__type__": ["NotCalled", {"reason": "x"}]}}]})
        )
    with pytest.raises(Invalid, match="lacks its field 'pid'"):
        protocol.receive(_frame({"__type__": ["Ready", {}]}))


def test_long_texts_from_the_child_are_cut():
    outcome = Outcome(error=Raised("E" * 500, "m" * 5000, "w" * 1000), changed=("n" * 500,))
    back = _round_trip(Called(outcome)).result
    assert (len(back.error.type), len(back.error.message), len(back.error.where)) == (100, 2000, 300)
    assert len(back.changed[0]) == 100


def test_nothing_is_ever_unpickled_and_only_messages_are_sent():
    with pytest.raises(ProtocolError, match="not plain data"):
        protocol.pack(Called(Outcome(np.array([object()]))))
    with pytest.raises(ProtocolError, match="dict is not a message"):
        protocol.pack({"op": "call"})
    with pytest.raises(ProtocolError, match="Outcome is not a message"):
        protocol.pack(Outcome(1))
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    payload = {"__ndarray__": base64.b64encode(pickled.getvalue()).decode()}
    with pytest.raises(ProtocolError, match="bad array"):
        protocol.receive(
            _frame({"__type__": ["Called", {"result": {"__type__": ["Outcome", {"value": payload}]}}]})
        )


def test_oversized_deep_and_broken_frames_are_protocol_errors():
    with pytest.raises(ProtocolError, match="over the limit"):
        protocol.receive(io.BytesIO(struct.pack(">Q", protocol.MAX_MESSAGE + 1)))
    with pytest.raises(ProtocolError, match="unreadable message"):
        protocol.receive(io.BytesIO(struct.pack(">Q", 5) + b"{oops"))
    deep: list = []
    for _ in range(20):
        deep = [deep]
    with pytest.raises(ProtocolError, match="nested too deeply"):
        protocol.receive(
            _frame({"__type__": ["Called", {"result": {"__type__": ["Outcome", {"value": deep}]}}]})
        )
    with pytest.raises(EOFError):
        protocol.receive(io.BytesIO(struct.pack(">Q", 10) + b"{}"))
