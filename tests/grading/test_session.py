"""coursetools.grading.session: one submission driven cell by cell, with a stand-in child."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from cnnlib.checks import NotCalled, Raised, call, exercises
from coursetools.grading import protocol
from coursetools.grading.limits import Limits
from coursetools.grading.normalise import Cell, Normalised
from coursetools.grading.plan import Check
from coursetools.grading.plan import TestPlan as Plan
from coursetools.grading.session import ChildGone, Graded, Session, pngs, run_notebook

LIMITS = Limits(cell_seconds=6, call_seconds=3, restarts=2)
EXERCISES = exercises("01_pixels")
RIGHT = "def invert(image):\n    return (255 - image.astype(np.int16)).astype(np.uint8)\n"


class StandIn:
    """A child in this process: cells run with ``exec``, functions are called with cnnlib's
    ``call``. A cell holding ``DIE`` kills it; a function with ``.loops`` runs out of time, one
    with ``.dies`` kills it, one with ``.garbles`` sends a reply that is not the protocol's."""

    started: ClassVar[list[StandIn]] = []

    def __init__(self) -> None:
        self.namespace: dict = {"np": np}
        self.asked: list = []
        self.killed = False
        StandIn.started.append(self)

    def ask(self, message, seconds):
        self.asked.append(message)
        if isinstance(message, protocol.RunCell):
            if "DIE" in message.source:
                raise ChildGone("the process was killed by signal 9")
            try:
                exec(message.source, self.namespace)
            except Exception as error:
                return protocol.CellDone(Raised(type(error).__name__, str(error)))
            return protocol.CellDone(None, "ran\n", "", 0.01, ("not a png",))
        if isinstance(message, protocol.CallFunction):
            function = self.namespace.get(message.function)
            if function is None:
                return protocol.Called(NotCalled("not_defined"))
            if getattr(function, "loops", False):
                return protocol.Called(NotCalled("timeout", message.timeout))
            if getattr(function, "dies", False):
                raise ChildGone("the process exited with code 3")
            if getattr(function, "garbles", False):
                raise protocol.Invalid("Outcome.seconds: str is not float")
            return protocol.Called(call(EXERCISES[message.exercise], function, message.case))
        return protocol.AuditReport(("numpy.sum",), 0, ())

    def kill(self) -> None:
        self.killed = True


def _session(start=StandIn) -> Session:
    StandIn.started = []
    return Session(Graded("ann"), LIMITS, start)


def _code(index: int, source: str) -> Cell:
    return Cell(index, "code", source)


VISIBLE = Plan("test_invert", 1.0, (Check("invert", "invert"),), False, "01_pixels")
HIDDEN = Plan("test_invert_hidden", 2.0, (Check("invert", "invert", 2024),), True, "01_pixels")


def _notebook(*cells: Cell) -> Normalised:
    return Normalised(list(cells))


def _test(index: int, plan: Plan) -> Cell:
    return Cell(index, "test", "check_invert(invert)", plan.grade_id)


PLANS = {VISIBLE.grade_id: VISIBLE, HIDDEN.grade_id: HIDDEN}


def test_cells_run_in_order_and_test_cells_are_judged_by_the_grader():
    session = _session()
    run_notebook(session, _notebook(_code(0, RIGHT), _test(1, VISIBLE), _test(2, HIDDEN)), PLANS)
    graded = session.graded
    assert graded.runs[0].stdout == "ran\n" and graded.runs[0].error is None
    assert graded.runs[0].figures == []  # "not a png" is dropped
    assert graded.tests["test_invert"].message == "invert: all 4 checks passed."
    assert graded.tests["test_invert_hidden"].points == 2.0
    assert graded.audit == protocol.AuditReport(("numpy.sum",), 0, ())
    (child,) = StandIn.started
    assert child.killed and graded.restarts == 0
    calls = [m for m in child.asked if isinstance(m, protocol.CallFunction)]
    assert len(calls) == 8 and {m.timeout for m in calls} == {3.0}  # 4 visible + 4 hidden cases


def test_a_function_that_runs_out_of_time_is_not_called_again():
    session = _session()
    loop = RIGHT + "invert.loops = True\n"
    run_notebook(session, _notebook(_code(0, loop), _test(1, VISIBLE), _test(2, HIDDEN)), PLANS)
    said = "ran for more than 3 s on one case and was stopped"
    assert said in session.graded.tests["test_invert"].message
    assert said in session.graded.tests["test_invert_hidden"].message
    calls = [m for m in StandIn.started[0].asked if isinstance(m, protocol.CallFunction)]
    assert len(calls) == 1 and session.timed_out == {"invert": 3.0}


def test_a_cell_that_kills_the_child_costs_that_cell_and_the_others_run_again_in_a_new_one():
    session = _session()
    cells = _notebook(_code(0, RIGHT), _code(1, "DIE"), _code(2, "x = 1"), _test(3, VISIBLE))
    run_notebook(session, cells, PLANS)
    graded = session.graded
    assert graded.runs[1].error == Raised("ProcessDied", "the process was killed by signal 9")
    assert graded.restarts == 1 and graded.tests["test_invert"].points == 1.0
    first, second = StandIn.started
    assert first.killed and [m.source for m in second.asked[:1]] == [RIGHT]  # replayed, not the killer
    assert "cell 1: the process was killed by signal 9" in graded.notes


def test_a_call_that_kills_the_child_fails_its_check_and_grading_goes_on():
    session = _session()
    dies = RIGHT + "invert.dies = True\n"
    run_notebook(session, _notebook(_code(0, dies), _test(1, VISIBLE), _code(2, "y = 2")), PLANS)
    message = session.graded.tests["test_invert"].message
    assert (
        message
        == "CheckFailure: calling invert stopped the notebook's process (the process exited with code 3)."
    )
    assert session.graded.runs[2].error is None and session.graded.restarts == 1
    assert session.graded.notes == ["test_invert: the process exited with code 3"]


def test_a_reply_that_is_not_the_protocols_is_unreadable_and_reported():
    session = _session()
    run_notebook(session, _notebook(_code(0, RIGHT + "invert.garbles = True\n"), _test(1, VISIBLE)), PLANS)
    cell = session.graded.tests["test_invert"]
    assert cell.mistakes == [("invert", "unreadable")]
    assert "could not be read: Outcome.seconds: str is not float" in cell.message


def test_a_child_that_cannot_start_loses_everything_with_a_reason():
    def broken():
        raise ChildGone("the process exited with code 1")

    session = Session(Graded("ann"), LIMITS, broken)
    run_notebook(session, _notebook(_code(0, RIGHT), _test(1, VISIBLE)), PLANS)
    graded = session.graded
    assert graded.notes == ["could not start: the process exited with code 1"]
    assert graded.runs[0].error == Raised("NotRun", "the notebook's process was lost")
    assert graded.tests["test_invert"].message == (
        "CheckFailure: invert was not checked: the notebook's process was lost before this cell."
    )
    assert graded.audit is None


def test_a_child_that_keeps_dying_is_given_up_after_the_restart_limit():
    session = _session()
    cells = [_code(i, "DIE") for i in range(5)] + [_test(5, VISIBLE)]
    run_notebook(session, _notebook(*cells), PLANS)
    graded = session.graded
    assert len(StandIn.started) == LIMITS.restarts + 1
    assert "the notebook's process died too often; the rest was not run" in graded.notes
    assert graded.runs[4].error.type == "NotRun" and graded.tests["test_invert"].points == 0.0


def test_only_real_png_images_reach_the_feedback():
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20).decode()
    script = base64.b64encode(b"<script>alert(1)</script>").decode()
    sent = [png, script, '"><script>alert(1)</script>', 123, None, png[:-4] + "!!!!"]
    assert pngs(sent) == [png] and pngs(tuple(sent)) == [png]
    assert pngs("not a list") == [] and pngs(None) == []


def test_a_deleted_solution_is_shown_not_run_so_its_exercise_finds_no_function():
    session = _session()
    stub = "def invert(image):\n    raise NotImplementedError()\n"
    run_notebook(session, _notebook(Cell(0, "missing", stub, "invert"), _test(1, VISIBLE)), PLANS)
    assert 0 not in session.graded.runs
    assert "invert is not defined" in session.graded.tests["test_invert"].message
