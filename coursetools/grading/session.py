"""The grader's side of one submission: drive a sandboxed child cell by cell, call, judge.

The notebook runs in its own order. A code cell of the learner's (or a locked cell of the lesson)
is sent to the child to run; at a test cell the grader makes that cell's cases in its own
process (seeds from the lesson's source), sends them one by one, and judges each outcome with the
reference and the mistake catalogue (``plan.judge_cell``). The child is trusted with nothing.

Failures cost only what they touch:

- a cell or call that runs past its time is interrupted in the child; if the child does not
  answer within a grace period it is killed;
- a child that dies (``os._exit``, a signal, out of memory) is started again and the cells that
  ran before are run again, except those that killed it; the cell that killed it fails;
- an exercise whose function timed out once is not called again: its later test cells fail with
  the same message, so a loop costs its exercise once, not every test.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import protocol
from .normalise import Cell, Normalised
from .plan import CellResult, TestPlan, judge_cell
from .sandbox import Sandbox

GRACE = 5.0  # seconds past a time limit before the child is killed
START_SECONDS = 60.0  # for the child's imports
MAX_RESTARTS = 4


class ChildGone(RuntimeError):
    """The child died, hung past its grace period or broke the protocol."""


@dataclass
class CellRun:
    """What one non-test cell did in the child."""

    index: int
    error: list | None = None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    figures: list[str] = field(default_factory=list)  # base64 PNG images the cell drew


_PNG = b"\x89PNG\r\n\x1a\n"


def _pngs(images) -> list[str]:
    """The base64 PNG images of a child's reply, each checked to be one (anything else dropped)."""
    import base64
    import binascii

    kept = []
    for image in images if isinstance(images, list) else []:
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
    audit: dict[str, Any] = field(default_factory=dict)
    restarts: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class Child:
    """One running child and the channel to it."""

    def __init__(self, sandbox: Sandbox, workdir: str, tmp: str, lesson: str) -> None:
        self.process, inside = sandbox.start(workdir, tmp)
        self.pid = self.process.pid
        self._send({"lesson": lesson, "workdir": inside})
        ready = self.ask(None, START_SECONDS)
        if not ready.get("ready"):
            raise ChildGone("the child did not start")

    def _send(self, message: dict) -> None:
        try:
            protocol.send(self.process.stdin, message)
        except (BrokenPipeError, OSError, ValueError) as error:
            raise ChildGone(f"the child has gone ({error})") from None

    def ask(self, message: dict | None, seconds: float) -> dict:
        """Send ``message`` and wait at most ``seconds`` for the answer."""
        if message is not None:
            self._send(message)
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
            return protocol.receive(_Deadline(stream, deadline, self))
        except EOFError:
            self.kill()
            raise ChildGone(self.death()) from None
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


def grade_submission(
    student: str,
    folder: Path,
    notebook: Normalised,
    plans: dict[str, TestPlan],
    lesson: str,
    sandbox: Sandbox,
    extra_files: dict[str, Path] | None = None,
) -> Graded:
    """Run and judge one normalised submission in a sandboxed child.

    ``extra_files`` (relative path -> file) are the lesson's own files besides the notebook
    (data, images); like nbgrader's autograde, they replace the learner's copies.
    """
    start = time.perf_counter()
    graded = Graded(student)
    tmp = Path(_scratch())
    workdir = tmp / lesson
    try:
        _copy_folder(folder, workdir)
        for relative, path in (extra_files or {}).items():
            target = workdir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copyfile(path, target)
        _run(graded, notebook, plans, lesson, sandbox, str(workdir), str(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    graded.seconds = time.perf_counter() - start
    return graded


def _scratch() -> str:
    from .sandbox import scratch

    return scratch()


def _copy_folder(folder: Path, workdir: Path) -> None:
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


def _run(graded: Graded, notebook: Normalised, plans, lesson, sandbox, workdir, tmp) -> None:
    limits = sandbox.limits
    child: Child | None = None
    replay: list[Cell] = []  # cells that ran without killing the child, in order
    timed_out: dict[str, str] = {}  # exercise -> message, after its function ran out of time

    def fresh() -> Child:
        nonlocal child
        if child is not None:
            child.kill()
        if graded.restarts > MAX_RESTARTS:
            raise ChildGone("the notebook's process died too often; the rest was not run")
        child = Child(sandbox, workdir, tmp, lesson)
        for cell in replay:
            child.ask(
                {"op": "cell", "source": cell.source, "timeout": limits.cell_seconds},
                limits.cell_seconds + GRACE,
            )
        return child

    try:
        child = fresh()
    except ChildGone as error:
        graded.notes.append(f"could not start: {error}")
        child = None
    broken = child is None
    current = [""]  # the test cell being judged, for notes

    def ask(message: dict, seconds: float) -> dict:
        nonlocal child
        try:
            return child.ask(message, seconds)
        except ChildGone as error:
            graded.restarts += 1
            graded.notes.append(f"{current[0]}: {error}")
            child = fresh()
            return {"died": str(error)}

    for cell in notebook.cells:
        if cell.kind == "test":
            plan = plans[cell.grade_id]
            current[0] = cell.grade_id
            if broken:
                graded.tests[cell.grade_id] = judge_cell(plan, None, timed_out)
                continue
            try:
                graded.tests[cell.grade_id] = judge_cell(plan, ask, timed_out, limits.call_seconds, GRACE)
            except ChildGone as error:
                graded.notes.append(str(error))
                broken = True
                graded.tests[cell.grade_id] = judge_cell(plan, None, timed_out)
            continue
        if cell.kind == "markdown":
            continue
        if broken:
            graded.runs[cell.index] = CellRun(cell.index, ["NotRun", "the notebook's process was lost", ""])
            continue
        try:
            reply = child.ask(
                {
                    "op": "cell",
                    "source": cell.source,
                    "timeout": limits.cell_seconds,
                    "figures": limits.figures,
                },
                limits.cell_seconds + GRACE,
            )
            graded.runs[cell.index] = CellRun(
                cell.index,
                reply.get("error"),
                str(reply.get("stdout", "")),
                str(reply.get("stderr", "")),
                float(reply.get("seconds", 0.0)),
                _pngs(reply.get("figures")),
            )
            if (reply.get("error") or [""])[0] != "CellTimeout":  # a restart must not wait for it again
                replay.append(cell)
        except ChildGone as error:
            graded.restarts += 1
            graded.runs[cell.index] = CellRun(cell.index, ["ProcessDied", str(error), ""])
            graded.notes.append(f"cell {cell.index}: {error}")
            try:
                child = fresh()
            except ChildGone as again:
                graded.notes.append(str(again))
                broken = True
    if child is not None and not broken:
        try:
            graded.audit = child.ask({"op": "audit"}, 30)
        except ChildGone as error:
            graded.notes.append(f"audit: {error}")
    if child is not None:
        child.kill()
