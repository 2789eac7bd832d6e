"""What grading writes for people: feedback per student, grades, mistake tally, suspicion report.

Feedback is rendered here from what the grader itself knows: the learner's cell sources, what
their cells printed in the sandbox (which never saw ``solutions/`` or the gradebook) and the
messages of the checks, computed in the grader. Hidden test cells show their comment and the
message only, never their code.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from pathlib import Path

import nbformat

from .normalise import Normalised, released_test_source
from .record import Record, duration
from .session import Graded

__all__ = [
    "feedback_html",
    "failure_html",
    "autograded_notebook",
    "scan_source",
    "suspicions",
    "write_reports",
]

_STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.out{background:#fff;border-left:3px solid #bbb}.err{border-left:3px solid #c33;background:#fff4f4}
.pass{border-left:3px solid #393;background:#f3fff3}.fail{border-left:3px solid #c33;background:#fff4f4}
.md{color:#555}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}
.note{color:#555;font-size:.9em}.figure{max-width:100%;display:block;margin:.4em 0}"""

# Learner code that reaches into the machinery a notebook has no reason to touch.
_SCANNED = {
    r"__closure__|cell_contents|__code__|gc\.get_(objects|referents|referrers)|FunctionType": (
        "function internals"
    ),
    r"_getframe|\bf_back\b|\bf_locals\b|\bf_globals\b": "interpreter frames",
    r"cnnlib\.guard|_blocked\b|ShortcutError": "cnnlib's answer guard",
    r"def\s+check_\w+|^\s*check_\w+\s*=": "a check's name (redefined)",
    r"cnnlib\.checks\.\w+\s*\.\s*\w+\s*=|checks\.runner|setattr\(\s*cnnlib": "cnnlib's checks",
    r"input_transformers|register_magic|events\.register|set_custom_exc": "IPython hooks",
    r"importlib\.reload|sys\.modules\[": "module reloading",
    r"\bctypes\b|os\._exit|signal\.(signal|setitimer|alarm)": "process control",
    r"gradebook\.db|(?<![\w.-])solutions/|\.\./\.\./|/submitted/": "files outside the folder",
}


def scan_source(notebook: Normalised) -> list[tuple[str, str]]:
    """(kind, detail) for learner code cells that mention the machinery."""
    found = []
    for cell in notebook.cells:
        if cell.kind not in ("code", "solution"):
            continue
        for pattern, what in _SCANNED.items():
            match = re.search(pattern, cell.source, re.MULTILINE)
            if match:
                found.append(("code touches " + what, f"cell {cell.index + 1}: {match.group(0)!r}"))
    return found


def suspicions(notebook: Normalised, graded: Graded, cleared: list[str]) -> list[tuple[str, str]]:
    """Everything the grader saw that an honest notebook does not do, as (kind, detail)."""
    found = list(notebook.suspicious) + scan_source(notebook)
    audit = graded.audit
    if audit is not None:
        found += [("module patched", name) for name in audit.patched]
        if audit.transformers:
            found.append(("IPython hook", f"{audit.transformers} input transformer(s) registered"))
        for event in audit.events:
            if event.startswith("refused"):
                kind = "refused"
            elif event.startswith("ctypes"):
                kind = "native code loaded"
            else:
                kind = "file outside the folder"
            found.append((kind, event))
    for result in graded.tests.values():
        if result.shortcut:
            found.append(("shortcut", f"{result.grade_id}: called a switched-off answer: {result.shortcut}"))
        if any(key == "unreadable" for _, key in result.mistakes):
            found.append(("protocol", f"{result.grade_id}: the sandbox sent something unreadable"))
    for grade_id in cleared:
        found.append(("manual score cleared", grade_id))
    return list(dict.fromkeys(found))  # each finding once


def _pre(text: str, kind: str) -> str:
    return f'<pre class="{kind}">{html.escape(text)}</pre>'


def _head(lesson: str, student: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(lesson)}: "
        f"{html.escape(student)}</title><style>{_STYLE}</style></head><body>"
    )


def failure_html(lesson: str, student: str, reason: str) -> str:
    """The page a learner gets when their submission could not be graded at all."""
    return (
        _head(lesson, student)
        + f"<h1>{html.escape(lesson)}: not graded</h1><p>Student: {html.escape(student)}</p>"
        f"<p class='fail'>Your submission could not be graded: {html.escape(reason)}.</p>"
        "<p>Nothing of it ran. Open the lesson's notebook, check that it opens and runs, and submit "
        "it again, or ask your instructor.</p></body></html>"
    )


def feedback_html(lesson: str, student: str, notebook: Normalised, graded: Graded, late: float = 0.0) -> str:
    """The learner's feedback page: their cells, what their cells printed, each check's message;
    ``late``: seconds after the lesson's due date it was submitted."""
    earned = sum(r.points for r in graded.tests.values())
    possible = sum(r.max_points for r in graded.tests.values())
    rows = "".join(
        f"<tr><td>{html.escape(g)}</td><td>{r.points:g} / {r.max_points:g}</td></tr>"
        for g, r in graded.tests.items()
    )
    parts = [
        _head(lesson, student),
        f"<h1>{html.escape(lesson)}: {earned:g} / {possible:g} points</h1>",
        f"<p>Student: {html.escape(student)}</p><table><tr><th>check</th><th>points</th></tr>{rows}</table>",
    ]
    if late > 0:
        parts.append(
            f"<p class='note'>Submitted {duration(late)} after the due date: your instructor sees it "
            "marked late in the gradebook; the points above are what your answers earned.</p>"
        )
    if notebook.notes:
        items = "".join(f"<li>{html.escape(n)}</li>" for n in notebook.notes)
        parts.append(f"<p class='note'>Repaired before grading:</p><ul class='note'>{items}</ul>")
    for cell in notebook.cells:
        if cell.kind == "markdown":
            parts.append(_pre(cell.source, "md"))
            continue
        if cell.kind == "test":
            result = graded.tests.get(cell.grade_id)
            parts.append(_pre(released_test_source(cell.source), "code"))
            if result is not None:
                parts.append(_pre(result.message, "pass" if result.points == result.max_points else "fail"))
            continue
        parts.append(_pre(cell.source, "code"))
        run = graded.runs.get(cell.index)
        if run is None:
            continue
        printed = (run.stdout + run.stderr).strip()
        if printed:
            parts.append(_pre(printed[:4000], "out"))
        for image in run.figures:  # checked to be base64 PNG by the session
            parts.append(
                f'<img class="figure" alt="a figure this cell drew" src="data:image/png;base64,{image}">'
            )
        if run.error is not None:
            parts.append(_pre(f"{run.error.type}: {run.error.message}", "err"))
    parts.append("</body></html>")
    return "\n".join(parts)


def autograded_notebook(source, notebook: Normalised, graded: Graded):
    """An nbformat notebook of the graded run, with the source's nbgrader metadata on graded cells.

    Built as plain data, validated once when written (``nbformat.v4.new_*`` would validate every
    cell and output on its own: a fifth of the grading process's work per submission)."""
    from .normalise import graded_cells

    meta = {gid: cell.metadata for gid, (_, _, cell) in graded_cells(source).items()}
    cells = []
    for number, cell in enumerate(notebook.cells):
        new = {"id": f"cell-{number}", "cell_type": "markdown", "metadata": {}, "source": cell.source}
        if cell.kind != "markdown":
            text = released_test_source(cell.source) if cell.kind == "test" else cell.source
            new.update(cell_type="code", source=text, execution_count=None, outputs=[])
            run, result = graded.runs.get(cell.index), graded.tests.get(cell.grade_id)
            if run is not None and (run.stdout or run.stderr):
                new["outputs"].append(_stream(run.stdout + run.stderr))
            for image in run.figures if run is not None else []:
                figure = {"output_type": "display_data", "data": {"image/png": image}, "metadata": {}}
                new["outputs"].append(figure)
            if run is not None and run.error is not None:
                error = run.error
                new["outputs"].append(
                    {"output_type": "error", "ename": error.type, "evalue": error.message, "traceback": []}
                )
            if result is not None:
                new["outputs"].append(_stream(result.message + "\n"))
        if cell.grade_id in meta:
            new["metadata"] = dict(meta[cell.grade_id])
        cells.append(new)
    return nbformat.from_dict(
        {"cells": cells, "metadata": dict(source.metadata), "nbformat": 4, "nbformat_minor": 5}
    )


def _stream(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_reports(folder: Path, lesson: str, records: list[Record], test_ids: list[str]) -> dict[str, Path]:
    """grades.csv, mistakes.csv, mistakes.png, suspicion.csv and suspicion.txt into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    records = sorted(records, key=lambda r: r.student)
    grade_rows = []
    tally: Counter = Counter()
    for record in records:
        if record.failed:  # scored 0 (the gradebook has a row of zeros), the reason in the status
            max_score = f"{record.max_score:g}" if record.max_score else ""
            grade_rows.append([record.student, "0", max_score, record.status] + ["0"] * len(test_ids))
            continue
        tests = record.tests
        grade_rows.append(
            [record.student, f"{record.score:g}", f"{record.max_score:g}", record.status]
            + [f"{tests[t][0]:g}" if t in tests else "" for t in test_ids]
        )
        for exercise, key in sorted(set(record.mistakes)):
            tally[(exercise, key)] += 1
    paths = {
        name: folder / name
        for name in ("grades.csv", "mistakes.csv", "mistakes.png", "suspicion.csv", "suspicion.txt")
    }
    _write_csv(paths["grades.csv"], ["student", "score", "max_score", "status", *test_ids], grade_rows)
    tally_rows = [
        [e, k, n] for (e, k), n in sorted(tally.items(), key=lambda item: (item[0][0], -item[1], item[0][1]))
    ]
    _write_csv(paths["mistakes.csv"], ["exercise", "diagnosis", "students"], tally_rows)
    _bar_chart(paths["mistakes.png"], lesson, tally_rows, len(records))
    suspicion_rows = [[r.student, kind, detail] for r in records for kind, detail in r.suspicious]
    _write_csv(paths["suspicion.csv"], ["student", "kind", "detail"], suspicion_rows)
    lines = [
        f"Suspicion report for {lesson}: {len({r[0] for r in suspicion_rows})} of {len(records)} "
        "submissions did something an honest notebook does not do.",
        "",
    ]
    for record in records:
        if record.suspicious:
            lines.append(f"{record.student}:")
            lines += [f"  - {kind}: {detail}" for kind, detail in record.suspicious]
    paths["suspicion.txt"].write_text("\n".join(lines) + "\n")
    return paths


def _bar_chart(path: Path, lesson: str, rows: list[list], students: int) -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    height = max(2.5, 0.32 * len(rows) + 1.2)
    figure = Figure(figsize=(8, height))
    ax = figure.add_subplot()
    labels = [f"{e}: {k}" for e, k, _ in rows][::-1]
    counts = [n for _, _, n in rows][::-1]
    ax.barh(range(len(counts)), counts, color="#c05050")
    ax.set_yticks(range(len(counts)), labels, fontsize=8)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"students (of {students})")
    ax.set_title(f"{lesson}: diagnoses of failed checks, by exercise")
    if not rows:
        ax.text(0.5, 0.5, "no failed checks", ha="center", va="center", transform=ax.transAxes)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
