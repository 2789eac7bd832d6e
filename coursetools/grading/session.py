"""The grader's side of one submission: drive a sandboxed child cell by cell, call, judge.

The notebook runs in its own order. A code cell of the learner's (or a locked cell of the lesson)
is sent to the child to run; at a test cell the grader judges the cell's checks with
``cnnlib.checks.run_check`` (``plan.judge_cell``), the one judge a notebook's check cell uses too,
whose caller here asks the child to call the learner's function on each case. The cases are made
and the outcomes judged in the grader's process; the child is trusted with nothing.

Failures cost only what they touch:

- a cell or call that runs past its time is interrupted in the child; if the child does not
  answer within a grace period it is killed;
- a child that dies (``os._exit``, a signal, out of memory) is started again and the cells that
  ran before are run again, except those that killed it; the cell that killed it fails;
- an exercise whose function timed out once is not called again: its later checks fail with
  the same message, so a loop costs its exercise once, not every test.
"""

from __future__ import annotations

import base64
import binascii
import os
import select
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cnnlib.checks import Caller, Case, NotCalled, Outcome, Raised

from . import protocol
from .limits import Limits
from .normalise import Cell, Normalised
from .plan import CellResult, Check, TestPlan, judge_cell
from .sandbox import Sandbox, scratch

__all__ = ["ChildGone", "Child", "CellRun", "Graded", "Session", "grade_submission"]


class ChildGone(RuntimeError):
    """The child died, hung past its grace period or broke the protocol."""


@dataclass
class CellRun:
    """What one non-test cell did in the child."""

    index: int
    error: Raised | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    figures: list[str] = field(default_factory=list)  # base64 PNG images the cell drew


_PNG = b"\x89PNG\r\n\x1a\n"


def pngs(images) -> list[str]:
    """The base64 PNG images of a child's reply, each checked to be one (anything else dropped)."""
    kept = []
    for image in images if isinstance(images, (list, tuple)) else []:
        try:
            if isinstance(image, str) and base64.b64decode(image, validate=True).startswith(_PNG):
                kept.append(image)
        except (binascii.Error, ValueError):
            continue
    return kept


@dataclass
class Graded:
    """Everything the grader learned about one submission (plain data, no learner objects)."""

    student: str
    runs: dict[int, CellRun] = field(default_factory=dict)
    tests: dict[str, CellResult] = field(default_factory=dict)
    audit: protocol.AuditReport | None = None
    restarts: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class Child:
    """One running child and the channel to it."""

    def __init__(
        self, sandbox: Sandbox, workdir: str, tmp: str, lesson: str, preload: tuple[str, ...] = ()
    ) -> None:
        self.process, inside = sandbox.start(workdir, tmp)
        self.pid = self.process.pid
        self._send(protocol.Hello(lesson, inside, preload))
        self._receive(sandbox.limits.start_seconds, protocol.Ready)

    def _send(self, message) -> None:
        try:
            protocol.send(self.process.stdin, message)
        except (BrokenPipeError, OSError, ValueError) as error:
            raise ChildGone(f"the child has gone ({error})") from None

    def ask(self, message, seconds: float):
        """Send ``message`` and wait at most ``seconds`` for its reply (``protocol.REPLY``).

        ``ChildGone`` when the child dies, hangs or breaks the protocol; ``protocol.Invalid`` (the
        child still running) when a well-framed reply is not the declared one.
        """
        self._send(message)
        return self._receive(seconds, protocol.REPLY[type(message)])

    def _receive(self, seconds: float, expected: type):
        deadline = time.monotonic() + seconds
        stream = self.process.stdout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise ChildGone("no answer in time: the child was stopped")
            ready, _, _ = select.select([stream], [], [], left)
            if ready:
                break
        try:
            return protocol.receive(_Deadline(stream, deadline, self), expected)
        except EOFError:
            self.kill()
            raise ChildGone(self.death()) from None
        except protocol.Invalid:
            raise
        except protocol.ProtocolError as error:
            self.kill()
            raise ChildGone(f"the child sent something that is not the protocol: {error}") from None

    def death(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the child stopped answering"
        if code < 0:
            return f"the process was killed by signal {-code}"
        return f"the process exited with code {code}"

    def kill(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)  # its own session: takes any grandchildren along
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class _Deadline:
    """A reader that gives up (killing the child) when the deadline passes mid-message."""

    def __init__(self, stream, deadline: float, child: Child) -> None:
        self.stream, self.deadline, self.child = stream, deadline, child

    def read(self, size: int) -> bytes:
        left = self.deadline - time.monotonic()
        ready, _, _ = select.select([self.stream], [], [], max(left, 0))
        if not ready:
            self.child.kill()
            raise EOFError
        return os.read(self.stream.fileno(), size)


StartChild = Callable[[], Child]


class Session:
    """One submission's notebook run: its child, the cells to replay after a crash, and the
    exercises whose function ran out of time.

    ``start`` starts a fresh child (a sandboxed ``Child``; a test passes a stand-in).
    """

    def __init__(self, graded: Graded, limits: Limits, start: StartChild) -> None:
        self.graded, self.limits, self._start = graded, limits, start
        self.child: Child | None = None
        self.broken = False  # the child could not be (re)started: the rest is not run
        self.replay: list[Cell] = []  # cells that ran without killing the child, in order
        self.timed_out: dict[str, float] = {}  # exercise -> the call limit it ran out of
        self.current = ""  # the test cell being judged, for notes

    def fresh(self) -> Child:
        """A new child with every cell that ran before run again (``ChildGone`` if that fails)."""
        if self.child is not None:
            self.child.kill()
        if self.graded.restarts > self.limits.restarts:
            raise ChildGone("the notebook's process died too often; the rest was not run")
        self.child = self._start()
        for cell in self.replay:
            self.child.ask(
                protocol.RunCell(cell.source, self.limits.cell), self.limits.cell + self.limits.grace
            )
        return self.child

    def begin(self) -> None:
        try:
            self.fresh()
        except ChildGone as error:
            self.graded.notes.append(f"could not start: {error}")
            self.child, self.broken = None, True

    def run_cell(self, cell: Cell) -> None:
        if self.broken:
            self.graded.runs[cell.index] = CellRun(
                cell.index, Raised("NotRun", "the notebook's process was lost")
            )
            return
        limits = self.limits
        message = protocol.RunCell(cell.source, limits.cell, limits.figures, limit=limits.output_characters)
        try:
            done = self.child.ask(message, limits.cell + limits.grace)
        except (ChildGone, protocol.Invalid) as error:
            self.graded.restarts += 1
            self.graded.runs[cell.index] = CellRun(cell.index, Raised("ProcessDied", str(error)))
            self.graded.notes.append(f"cell {cell.index}: {error}")
            try:
                self.fresh()
            except ChildGone as again:
                self.graded.notes.append(str(again))
                self.broken = True
            return
        self.graded.runs[cell.index] = CellRun(
            cell.index, done.error, done.stdout, done.stderr, done.seconds, pngs(done.figures)
        )
        if done.error is None or done.error.type != "CellTimeout":  # a restart must not wait for it again
            self.replay.append(cell)

    def caller(self, check: Check) -> Caller:
        """The caller ``run_check`` uses for one check of a test cell: the child calls the
        learner's function on each case."""
        exercise = check.exercise

        def call_in_child(case: Case) -> Outcome | NotCalled:
            if exercise in self.timed_out:
                return NotCalled("timeout", self.timed_out[exercise])
            if self.broken:
                return NotCalled("lost")
            limits = self.limits
            message = protocol.CallFunction(exercise, check.function, case, limits.call_seconds)
            try:
                result = self.child.ask(message, limits.call_seconds + limits.grace).result
            except protocol.Invalid as error:
                return NotCalled("unreadable", str(error))
            except ChildGone as error:
                self.graded.restarts += 1
                self.graded.notes.append(f"{self.current}: {error}")
                self.fresh()  # ChildGone from here ends the test cell: judge_test says so
                return NotCalled("process_died", str(error))
            if isinstance(result, NotCalled) and result.reason == "timeout":
                self.timed_out[exercise] = float(result.detail)
            return result

        return call_in_child

    def judge_test(self, plan: TestPlan) -> CellResult:
        self.current = plan.grade_id
        try:
            return judge_cell(plan, self.caller)
        except ChildGone as error:
            self.graded.notes.append(str(error))
            self.broken = True
            return judge_cell(plan, self.caller)

    def audit(self) -> None:
        if self.child is not None and not self.broken:
            try:
                self.graded.audit = self.child.ask(protocol.Audit(), 30)
            except (ChildGone, protocol.Invalid) as error:
                self.graded.notes.append(f"audit: {error}")

    def end(self) -> None:
        if self.child is not None:
            self.child.kill()


def run_notebook(session: Session, notebook: Normalised, plans: dict[str, TestPlan]) -> None:
    """Every cell of the normalised notebook in order: code cells run, test cells judged."""
    session.begin()
    try:
        for cell in notebook.cells:
            if cell.kind == "test":
                session.graded.tests[cell.grade_id] = session.judge_test(plans[cell.grade_id])
            elif cell.kind not in ("markdown", "missing"):  # a deleted solution is shown, not run
                session.run_cell(cell)
        session.audit()
    finally:
        session.end()


def grade_submission(
    student: str,
    folder: Path,
    notebook: Normalised,
    plans: dict[str, TestPlan],
    lesson: str,
    sandbox: Sandbox,
    extra_files: dict[str, bytes] | None = None,
    preload: tuple[str, ...] = (),
) -> Graded:
    """Run and judge one normalised submission in a sandboxed child.

    ``extra_files`` (relative path -> bytes) are the lesson's own files besides the notebook
    (data, images); like nbgrader's autograde, they replace the learner's copies. ``preload``:
    the data libraries the child imports before learner code runs (``protocol.Hello``).
    """
    start = time.perf_counter()
    graded = Graded(student)
    tmp = Path(scratch())
    workdir = tmp / lesson
    try:
        copy_folder(folder, workdir)
        for relative, data in (extra_files or {}).items():
            target = workdir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_bytes(data)
        session = Session(
            graded, sandbox.limits, lambda: Child(sandbox, str(workdir), str(tmp), lesson, preload)
        )
        run_notebook(session, notebook, plans)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    graded.seconds = time.perf_counter() - start
    return graded


def copy_folder(folder: Path, workdir: Path) -> None:
    """The student's own folder, without links that point elsewhere and without huge files."""
    workdir.mkdir(parents=True)
    for directory, _, files in os.walk(folder, followlinks=False):
        here = Path(directory)
        for name in files:
            path = here / name
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 50 * 1024**2:
                continue
            target = workdir / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
