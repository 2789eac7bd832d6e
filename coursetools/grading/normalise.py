"""Validate a submitted notebook and repair it against the lesson's source, never crashing.

The grader runs the result, not the file as submitted:

- a file that is not a notebook (bad JSON, not nbformat 4 or 3, absurd sizes) is reported for
  that student only (``InvalidSubmission``);
- every graded cell is recognised by its grade id; its nbgrader metadata is the source's (a cell
  with an unknown ``schema_version`` is read as the lesson's cell and noted), and tags or other
  metadata the learner could add (``skip-execution``, ``raises-exception``, ...) have no effect:
  the grader runs every code cell, in order, as Jupyter's "Restart and run all" would;
- read-only cells (test cells, the imports) run as the source has them; an edit is reported as
  suspicious; a deleted one is put back after the graded cell that precedes it in the source;
- a test cell's checks come from the source (``plan``), so editing it changes nothing;
- a solution cell is the learner's answer: pasted twice, both copies run in order (the later
  definition wins, as in the notebook); a renamed grade id makes it an ordinary cell that still
  runs; a deleted one is noted (its exercise then finds no function).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["Cell", "Normalised", "InvalidSubmission", "normalise", "graded_cells", "released_test_source"]

MAX_BYTES = 20 * 1024**2
MAX_CELLS = 2000
MAX_SOURCE = 1024**2


class InvalidSubmission(ValueError):
    """The file cannot be read as a notebook of this lesson; the message says why."""


@dataclass
class Cell:
    """One cell as the grader runs it.

    kind: "code" (the learner's own), "solution", "locked" (a read-only cell of the lesson),
    "test", "markdown" (not run) or "missing" (a deleted solution cell: shown, not run).
    """

    index: int
    kind: str
    source: str
    grade_id: str = ""


@dataclass
class Normalised:
    cells: list[Cell]
    notes: list[str] = field(default_factory=list)  # repairs: honest slips, said to the learner
    suspicious: list[tuple[str, str]] = field(default_factory=list)  # (kind, detail)


def graded_cells(notebook) -> dict[str, tuple[int, str, nbformat.NotebookNode]]:
    """grade id -> (position, kind, cell) for the graded cells of a source or released notebook."""
    found = {}
    for position, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        if meta.get("solution"):
            kind = "solution"
        elif meta.get("grade") and cell.cell_type == "code":
            kind = "test"
        elif meta.get("locked") and cell.cell_type == "code":
            kind = "locked"
        elif meta.get("locked"):
            kind = "markdown"  # a read-only text cell: shown, never run
        else:
            continue
        found[grade_id] = (position, kind, cell)
    return found


def released_test_source(source: str) -> str:
    """A test cell as the learner received it: the hidden lines (and their markers) removed."""
    lines, hidden = [], False
    for line in source.splitlines():
        if "### BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "### END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            lines.append(line)
    return "\n".join(lines).strip()


def _read(path: Path):
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidSubmission(f"cannot read the file: {error}") from None
    if size > MAX_BYTES:
        raise InvalidSubmission(
            f"the file is {size / 1024**2:.0f} MiB, over the {MAX_BYTES // 1024**2} MiB limit"
        )
    try:
        raw = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidSubmission(f"not a notebook: the file is not valid JSON ({str(error)[:120]})") from None
    if not isinstance(raw, dict):
        raise InvalidSubmission("not a notebook: the file holds no JSON object")
    if raw.get("nbformat") not in (3, 4):
        raise InvalidSubmission(f"unknown notebook format {raw.get('nbformat')!r} (expected 4)")
    if not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise InvalidSubmission("not a notebook: no list of cells")
    try:
        notebook = nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:
        raise InvalidSubmission(f"not a readable notebook: {str(error)[:160]}") from None
    if len(notebook.cells) > MAX_CELLS:
        raise InvalidSubmission(f"{len(notebook.cells)} cells, over the limit of {MAX_CELLS}")
    return notebook


def _text(cell) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(str(s) for s in source)
    return str(source)


def normalise(path: Path, source, released) -> Normalised:
    """Read ``path`` and rebuild it against the lesson's ``source`` and ``released`` notebooks."""
    submitted = _read(Path(path))
    graded = graded_cells(source)
    released_cells = graded_cells(released)
    order = {gid: position for gid, (position, _, _) in graded.items()}
    result = Normalised([])
    placed: dict[str, int] = {}  # grade id -> its index in result.cells
    cells: list[Cell] = []

    for number, cell in enumerate(submitted.cells, 1):
        text = _text(cell)
        if len(text) > MAX_SOURCE:
            result.notes.append(f"cell {number} is over {MAX_SOURCE // 1024} KiB and was left out")
            continue
        meta = cell.get("metadata", {}) if isinstance(cell.get("metadata"), dict) else {}
        nbgrader = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
        grade_id = nbgrader.get("grade_id") if isinstance(nbgrader.get("grade_id"), str) else ""
        if grade_id in graded:
            schema = nbgrader.get("schema_version", 3)
            if schema != 3:
                result.notes.append(
                    f"cell {grade_id} had nbgrader schema_version {schema!r}; read as the lesson's cell"
                )
            tags = meta.get("tags")
            if isinstance(tags, list) and tags:
                result.suspicious.append(
                    ("metadata", f"tags {', '.join(map(str, tags))} on graded cell {grade_id} (ignored)")
                )
            _, kind, original = graded[grade_id]
            if grade_id in placed:
                if kind == "solution":
                    result.notes.append(f"solution cell {grade_id} appears twice: both copies run, in order")
                    cells.append(Cell(0, "code", text))
                else:
                    result.notes.append(f"a second copy of read-only cell {grade_id} was left out")
                continue
            placed[grade_id] = len(cells)
            if kind == "solution":
                cells.append(Cell(0, "solution" if cell.cell_type == "code" else "markdown", text, grade_id))
                continue
            handed_out = released_cells.get(grade_id, (0, kind, original))[2]
            if kind == "test":
                as_given = {
                    released_test_source(original.source),
                    _text(handed_out).strip(),
                    original.source.strip(),
                }
                if text.strip() not in as_given:
                    result.suspicious.append(("test cell edited", f"{grade_id} (the lesson's version ran)"))
            elif text.strip() != original.source.strip():
                result.suspicious.append(("read-only cell edited", f"{grade_id} (the lesson's version ran)"))
            cells.append(Cell(0, kind, original.source, grade_id))
            continue
        if grade_id and nbgrader.get("solution"):
            result.notes.append(f"cell with unknown grade id {grade_id!r} runs as an ordinary cell")
        elif grade_id:
            result.notes.append(f"cell with unknown grade id {grade_id!r} is not graded")
        if cell.cell_type == "code":
            cells.append(Cell(0, "code", text))
        elif cell.cell_type == "markdown":
            cells.append(Cell(0, "markdown", text))

    # put back what was deleted, after the graded cell that precedes it in the source
    for grade_id in sorted(set(graded) - set(placed), key=order.get):
        _, kind, original = graded[grade_id]
        before = [g for g in placed if order[g] < order[grade_id]]
        at = placed[max(before, key=order.get)] + 1 if before else 0
        if kind == "solution":
            result.notes.append(f"solution cell {grade_id} was deleted: its exercise finds no function")
            new = Cell(0, "missing", released_cells.get(grade_id, (0, kind, original))[2].source, grade_id)
        else:
            result.notes.append(f"deleted cell {grade_id} was put back")
            new = Cell(0, kind, original.source, grade_id)
        cells.insert(at, new)
        placed = {g: i + (1 if i >= at else 0) for g, i in placed.items()}
        placed[grade_id] = at
    for index, cell in enumerate(cells):
        cell.index = index
    result.cells = cells
    return result
