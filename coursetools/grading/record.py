"""One student's grading result as typed plain data: what the reports are made from, and what is
kept between runs (``reports/<lesson>/records.json``) so that grading a few students again
(``--student``) still reports the whole class.

A record goes to JSON and comes back as the same record (``to_json``/``from_json``), every field
checked; a file that does not read back is ignored rather than trusted.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Record", "GRADER_ERROR", "duration", "load", "save", "append", "journal"]


GRADER_ERROR = "grader error: "  # how a record failed by a bug of ours (not the submission's) starts


@dataclass(frozen=True)
class Record:
    """A submission graded (``error`` empty) or failed before grading (``error`` says why)."""

    student: str
    error: str = ""
    score: float = 0.0
    max_score: float = 0.0
    tests: dict[str, tuple[float, float]] = dataclasses.field(default_factory=dict)  # points, max
    messages: dict[str, str] = dataclasses.field(default_factory=dict)  # grade id -> what it showed
    mistakes: tuple[tuple[str, str], ...] = ()  # (exercise, diagnosis key) of every failed check
    suspicious: tuple[tuple[str, str], ...] = ()  # (kind, detail)
    notes: tuple[str, ...] = ()  # repairs and restarts, said to the learner
    late: float = 0.0  # seconds after the lesson's due date (nbgrader's gradebook), 0 when on time
    digest: str = ""  # the submission's content hash when it was graded (command.submission_digest)
    seconds: float = 0.0
    restarts: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def settled(self, digest: str) -> bool:
        """Graded (or refused for what the submission is) from exactly this content: nothing to
        grade again. A grader error, a bug of ours, is always tried again."""
        return bool(self.digest) and self.digest == digest and not self.error.startswith(GRADER_ERROR)

    @property
    def status(self) -> str:
        """grades.csv's status: graded, graded and late (by how long), or failed and why."""
        if self.failed:
            return "failed: " + self.error
        return f"graded, {duration(self.late)} late" if self.late > 0 else "graded"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Record:
        """The record ``to_json`` gave; ``ValueError`` saying what is wrong when ``data`` is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("student"), str):
            raise ValueError("not a grading record: no student")
        known = {f.name for f in dataclasses.fields(cls)}
        if set(data) - known:
            raise ValueError(f"not a grading record: unknown field {sorted(set(data) - known)[0]!r}")
        values: dict[str, Any] = {"student": data["student"]}
        for name in ("error", "digest"):
            if name in data:
                values[name] = _text(data[name], name)
        for name in ("score", "max_score", "seconds", "late"):
            if name in data:
                values[name] = _number(data[name], name)
        if "restarts" in data:
            if type(data["restarts"]) is not int:
                raise ValueError("not a grading record: restarts must be a whole number")
            values["restarts"] = data["restarts"]
        if "tests" in data:
            values["tests"] = {
                _text(g, "tests"): tuple(_number(v, "tests") for v in _items(pair, 2, "tests"))
                for g, pair in _mapping(data["tests"], "tests").items()
            }
        if "messages" in data:
            values["messages"] = {
                _text(g, "messages"): _text(t, "messages")
                for g, t in _mapping(data["messages"], "messages").items()
            }
        for name in ("mistakes", "suspicious"):
            if name in data:
                values[name] = tuple(
                    tuple(_text(v, name) for v in _items(pair, 2, name))
                    for pair in _items(data[name], None, name)
                )
        if "notes" in data:
            values["notes"] = tuple(_text(n, "notes") for n in _items(data["notes"], None, "notes"))
        return cls(**values)


def duration(seconds: float) -> str:
    """A time span as people say it: "45 s", "12 min", "2 h 5 min", "3 days 4 h"."""
    if 0 < seconds < 1:
        return "under a second"
    seconds = round(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} day{'s' * (days != 1)}" + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{minutes} min" if minutes else f"{secs} s"


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not a grading record: {name} holds {type(value).__name__}, not text")
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a grading record: {name} holds {type(value).__name__}, not a number")
    return float(value)


def _mapping(value: Any, name: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"not a grading record: {name} must be a mapping")
    return value


def _items(value: Any, length: int | None, name: str) -> list:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise ValueError(f"not a grading record: {name} must be a list" + (f" of {length}" if length else ""))
    return value


def journal(path: Path) -> Path:
    """The file ``append`` adds records to during a run: ``records.jsonl`` beside ``records.json``."""
    return path.with_suffix(".jsonl")


def load(path: Path) -> dict[str, Record]:
    """student -> record, from a file ``save`` wrote and then the journal of a run that did not
    finish (a later line wins); empty when there is none. Unreadable files and lines are ignored."""
    records = {}
    try:
        records = {r.student: r for r in map(Record.from_json, json.loads(path.read_text()))}
    except (OSError, ValueError, TypeError):  # missing, a folder, unreadable, not records
        pass
    try:
        lines = journal(path).read_text().splitlines()
    except (OSError, ValueError):
        lines = []
    for line in lines:
        try:
            found = Record.from_json(json.loads(line))
        except (ValueError, TypeError):  # a line cut short when the run was killed
            continue
        records[found.student] = found
    return records


def append(path: Path, found: Record) -> None:
    """Add one record to the journal at once (flushed to disk), so a run stopped mid-way keeps it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with journal(path).open("a") as handle:
        handle.write(json.dumps(found.to_json()) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def save(path: Path, records: dict[str, Record]) -> None:
    """Write every record (replacing the file whole, never half) and drop the journal they include."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = [records[s].to_json() for s in sorted(records)]
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(ordered, indent=1))
    os.replace(partial, path)
    journal(path).unlink(missing_ok=True)
