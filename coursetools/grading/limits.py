"""The limits of grading one submission, declared once: the command line, the sandbox, the session
and the child all read them from here.

Each field of ``Limits`` carries its help text and, where an instructor may change it, its
command-line flag (``add_arguments`` builds the options of ``python -m coursetools grade`` from
them). The per-cell limit defaults to the course's own ``Execute.timeout`` (nbgrader's per-cell
timeout in ``nbgrader_config.py``, 120 s for this course), so a cell gets the same time under
``make grade`` as under ``nbgrader autograde``.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Limits", "add_arguments", "from_arguments", "NBGRADER_CELL_SECONDS"]

GIB = 1024**3
MIB = 1024**2
NBGRADER_CELL_SECONDS = 30.0  # nbgrader's own Execute.timeout, for a course that does not set it


def _option(help: str, flag: str = "", unit: float = 1.0, unit_name: str = "") -> dict:
    """A field's metadata: its help text, and for an instructor's option its flag and the unit the
    flag is given in (GiB for a size in bytes)."""
    return {"help": help, "flag": flag, "unit": unit, "unit_name": unit_name}


@dataclass(frozen=True)
class Limits:
    """What one submission's sandboxed child may use, and how long the grader waits for it."""

    memory: int = field(
        default=2 * GIB,
        metadata=_option(
            "address space per notebook (numpy, matplotlib and IPython take about 0.9 GiB of it)",
            "--memory",
            GIB,
            "GiB",
        ),
    )
    cpu_seconds: int = field(
        default=300, metadata=_option("CPU seconds for the whole notebook", "--cpu-seconds")
    )
    cell_seconds: float | None = field(
        default=None,
        metadata=_option(
            "wall-time seconds per cell (default: the course's Execute.timeout, as nbgrader autograde)",
            "--cell-seconds",
        ),
    )
    call_seconds: float = field(
        default=10.0,
        metadata=_option(
            "wall-time seconds per call of a learner's function (a loop costs its exercise this, once)",
            "--call-seconds",
        ),
    )
    file_size: int = field(default=64 * MIB, metadata=_option("largest file the notebook may write, bytes"))
    processes: int = field(default=64, metadata=_option("processes or threads of the child (not as root)"))
    figures: bool = field(
        default=True,
        metadata=_option("draw each cell's figures for the feedback page (about 0.1 s each)"),
    )
    output_characters: int = field(default=8000, metadata=_option("characters kept of what a cell prints"))
    grace: float = field(
        default=5.0,
        metadata=_option("seconds past a time limit before a silent child is killed"),
    )
    start_seconds: float = field(default=60.0, metadata=_option("seconds for the child's imports"))
    restarts: int = field(
        default=4, metadata=_option("times a dying notebook's process is started again before giving up")
    )

    def for_course(self, root: Path | str) -> Limits:
        """These limits with the per-cell limit filled in from the course's configuration."""
        if self.cell_seconds is not None:
            return self
        return dataclasses.replace(self, cell_seconds=course_cell_seconds(root))

    @property
    def cell(self) -> float:
        """The per-cell limit, which must have been filled in (``for_course``)."""
        if self.cell_seconds is None:
            raise ValueError("cell_seconds is not set: use Limits(...).for_course(root)")
        return self.cell_seconds


def course_cell_seconds(root: Path | str) -> float:
    """The course's ``Execute.timeout`` (nbgrader's per-cell timeout), or nbgrader's default."""
    from .. import pipeline

    return float(pipeline.course_config(root).Execute.get("timeout", NBGRADER_CELL_SECONDS))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """One option per field that has a flag, with its help text and default."""
    for f in dataclasses.fields(Limits):
        flag, unit, unit_name = f.metadata["flag"], f.metadata["unit"], f.metadata["unit_name"]
        if not flag:
            continue
        default = None if f.default is None else f.default / unit
        kind = float if unit != 1 or isinstance(f.default, float) or f.default is None else int
        shown = "" if default is None else f" ({default:g}{' ' + unit_name if unit_name else ''})"
        parser.add_argument(flag, type=kind, default=default, dest=f.name, help=f.metadata["help"] + shown)
    parser.add_argument(
        "--no-figures",
        action="store_false",
        dest="figures",
        help="no figures in the feedback",
    )


def from_arguments(args: argparse.Namespace) -> Limits:
    """The limits the command line asked for (unit-converted), the rest at their defaults."""
    given = {}
    for f in dataclasses.fields(Limits):
        if f.metadata["flag"] and getattr(args, f.name, None) is not None:
            value = getattr(args, f.name) * f.metadata["unit"]
            given[f.name] = (
                int(value) if isinstance(f.default, int) and not isinstance(f.default, bool) else value
            )
    given["figures"] = getattr(args, "figures", True)
    return Limits(**given)
