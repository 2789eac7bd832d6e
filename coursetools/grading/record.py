"""One student's grading result as typed plain data: what the reports are made from, and what is
kept between runs (``reports/<lesson>/records.json``) so that grading a few students again
(``--student``) still reports the whole class.

A record goes to JSON and comes back as the same record (``to_json``/``from_json``), every field
checked; a file that does not read back is ignored rather than trusted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Record", "load", "save"]


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
    seconds: float = 0.0
    restarts: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.error)

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Record:
        """The record ``to_json`` gave; ``ValueError`` when ``data`` is not one."""
        try:
            return cls(
                student=str(data["student"]),
                error=str(data.get("error", "")),
                score=float(data.get("score", 0.0)),
                max_score=float(data.get("max_score", 0.0)),
                tests={str(g): (float(p), float(m)) for g, (p, m) in data.get("tests", {}).items()},
                messages={str(g): str(t) for g, t in data.get("messages", {}).items()},
                mistakes=tuple((str(e), str(k)) for e, k in data.get("mistakes", [])),
                suspicious=tuple((str(k), str(d)) for k, d in data.get("suspicious", [])),
                notes=tuple(str(n) for n in data.get("notes", [])),
                seconds=float(data.get("seconds", 0.0)),
                restarts=int(data.get("restarts", 0)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not a grading record: {error}") from None


def load(path: Path) -> dict[str, Record]:
    """student -> record, from a file ``save`` wrote; empty when there is none or it is unreadable."""
    if not path.exists():
        return {}
    try:
        return {r.student: r for r in map(Record.from_json, json.loads(path.read_text()))}
    except (ValueError, TypeError):
        return {}


def save(path: Path, records: dict[str, Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = [records[s].to_json() for s in sorted(records)]
    path.write_text(json.dumps(ordered, indent=1))
