"""Hostile and clumsy submissions for the grading command, as data, for any lesson.

Each ``Attack`` turns a correct submission of a lesson (the student version with the source's
answers pasted in) into a bad one, and says what it deserves:

- ``zero``: exercises that must earn nothing (their answer is broken or the attack tried to
  make a broken answer pass); every other exercise must earn full points;
- ``suspicious``: words that must appear among the suspicion report's kinds for that student;
- ``needs_bwrap``: the protection is the OS sandbox (reads and writes outside the folder).

``FIRST`` stands for the lesson's first exercise (its function name), ``REFERENCE`` for the
module and name of cnnlib's answer to it, ``COURSE`` for the absolute path of the course under
grading, ``OTHER`` for another student's id. The test fills them in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat


@dataclass(frozen=True)
class Attack:
    student: str
    what: str
    edit: Callable  # (notebook, ctx) -> notebook
    zero: tuple[str, ...] = ()  # "FIRST" or "ALL"
    suspicious: tuple[str, ...] = ()
    needs_bwrap: bool = False
    invalid: bool = False  # reported as failed for this student only
    fields: dict = field(default_factory=dict)


def _cells(notebook, grade_id):
    return [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]


def _after(notebook, grade_id, source):
    """Insert a code cell right after the cell with ``grade_id``."""
    at = notebook.cells.index(_cells(notebook, grade_id)[0]) + 1
    notebook.cells.insert(at, nbformat.v4.new_code_cell(source))
    return notebook


def _replace(notebook, grade_id, source):
    for cell in _cells(notebook, grade_id):
        cell.source = source
    return notebook


def _fill(template: str, ctx: dict) -> str:
    for key, value in ctx.items():
        template = template.replace(key, str(value))
    return template


BROKEN = "def FIRST(*args, **kwargs):\n    return None\n"


def _broken_plus(extra: str):
    def edit(notebook, ctx):
        _replace(notebook, ctx["FIRST"], _fill(BROKEN, ctx))
        return _after(notebook, ctx["FIRST"], _fill(extra, ctx))

    return edit


def _extra(extra: str, where: str = "FIRST"):
    def edit(notebook, ctx):
        return _after(notebook, ctx[where] if where in ctx else where, _fill(extra, ctx))

    return edit


def _tag_tests(notebook, ctx):
    _replace(notebook, ctx["FIRST"], _fill(BROKEN, ctx))
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.metadata["tags"] = ["skip-execution", "raises-exception"]
    return notebook


def _pasted_twice(notebook, ctx):
    cell = _cells(notebook, ctx["FIRST"])[0]
    notebook.cells.insert(notebook.cells.index(cell) + 1, nbformat.from_dict(dict(cell)))
    return notebook


def _delete(kind: str):
    def edit(notebook, ctx):
        grade_id = ctx["FIRST"] if kind == "solution" else f"test_{ctx['FIRST']}"
        notebook.cells = [c for c in notebook.cells if c not in _cells(notebook, grade_id)]
        return notebook

    return edit


def _duplicate_test(notebook, ctx):
    cell = _cells(notebook, f"test_{ctx['FIRST']}")[0]
    notebook.cells.insert(notebook.cells.index(cell), nbformat.from_dict(dict(cell)))
    return notebook


def _rename(notebook, ctx):
    _cells(notebook, ctx["FIRST"])[0].metadata["nbgrader"]["grade_id"] = "my_answer"
    return notebook


def _schema(notebook, ctx):
    for cell in notebook.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata["nbgrader"]["schema_version"] = 4
    return notebook


def _edit_test(notebook, ctx):
    _replace(notebook, ctx["FIRST"], _fill(BROKEN, ctx))
    for grade_id in (f"test_{ctx['FIRST']}", f"test_{ctx['FIRST']}_hidden"):
        _replace(notebook, grade_id, "print('all checks passed')\n")
    return notebook


def _not_json(notebook, ctx):
    return '{"cells": [ this is not JSON'


def _not_a_notebook(notebook, ctx):
    return '{"nbformat": 9, "cells": 3}'


ATTACKS = [
    # cheats in the kernel: broken answer + tampering; the broken exercise must stay at zero
    Attack(
        "cheat_redefine_check",
        "redefines the check in a solution cell",
        _broken_plus("def check_FIRST(function, seed=None):\n    print('FIRST: all checks passed.')\n"),
        zero=("FIRST",),
        suspicious=("a check's name",),
    ),
    Attack(
        "cheat_patch_checks",
        "replaces judge and first_failure in cnnlib.checks.runner",
        _broken_plus(
            "import cnnlib.checks.runner as r\nr.judge = lambda *a, **k: r.Verdict(True)\n"
            "r.first_failure = lambda verdicts: None\nr.call = lambda *a, **k: None\n"
        ),
        zero=("FIRST",),
        suspicious=("module patched",),
    ),
    Attack(
        "cheat_patch_judge",
        "replaces the one judge, a check result's text and its exercise's cases in cnnlib.checks",
        _broken_plus(
            "import cnnlib.checks as c, cnnlib.checks.runner as r\n"
            "c.run_check = r.run_check = lambda *a, **k: None\n"
            "r.CheckResult.text = property(lambda self: 'all checks passed')\n"
            "for _e in c.exercises('LESSON').values():\n"
            "    object.__setattr__(_e, 'visible', ())\n"
        ),
        zero=("FIRST",),
        suspicious=("module patched",),
    ),
    Attack(
        "cheat_input_transformer",
        "an IPython transformer empties every later cell with check_",
        _broken_plus(
            "ip = get_ipython()\nip.input_transformers_post.append(\n"
            "    lambda lines: [] if any('check_' in l for l in lines) else lines)\n"
        ),
        zero=("FIRST",),
        suspicious=("IPython hook",),
    ),
    Attack(
        "cheat_skip_tags",
        "tags every test cell skip-execution",
        _tag_tests,
        zero=("FIRST",),
        suspicious=("metadata",),
    ),
    Attack(
        "cheat_guard",
        "empties cnnlib's guard and calls cnnlib's answer",
        _extra(
            "import cnnlib.guard as _g\nfrom REFMODULE import REFNAME as _ref\n\n"
            "def FIRST(*args, **kwargs):\n    _g._blocked.clear()\n    _g._blocked = {}\n"
            "    return _ref(*args, **kwargs)\n"
        ),
        zero=("FIRST",),
        suspicious=("shortcut",),
    ),
    Attack(
        "cheat_saved_code",
        "saves cnnlib's answer's code before the checks, restores it in the call",
        _extra(
            "from REFMODULE import REFNAME as _ref\nimport cnnlib.guard as _g\n"
            "_inner = _ref.__closure__[_ref.__code__.co_freevars.index('function')].cell_contents\n"
            "_code = _inner.__code__\n\n"
            "def FIRST(*args, **kwargs):\n    _inner.__code__ = _code\n    _g._blocked = {}\n"
            "    return _inner(*args, **kwargs)\n"
        ),
        zero=("FIRST",),
        suspicious=("function internals", "refused"),
    ),
    Attack(
        "cheat_test_cells_edited",
        "rewrites its test cells to print success",
        _edit_test,
        zero=("FIRST",),
        suspicious=("test cell edited",),
    ),
    # reads and writes outside the folder, cross-student attacks
    Attack(
        "leak_secrets",
        "prints the source notebook and the gradebook",
        _extra(
            "for _p in ['COURSE/solutions/LESSON/NOTEBOOK', 'COURSE/gradebook.db',\n"
            "           '../../../solutions/LESSON/NOTEBOOK', '../../../gradebook.db']:\n"
            "    try:\n        print(open(_p, 'rb').read().decode('latin-1'))\n"
            "    except OSError as e:\n        print('no', type(e).__name__)\n"
        ),
        suspicious=("outside the folder",),  # seen at run time, or in the code itself
        needs_bwrap=True,
    ),
    Attack(
        "harm_others",
        "overwrites another student's notebook, the gradebook and cnnlib",
        _extra(
            "import os\nfor _p in ['COURSE/submitted/OTHER/LESSON/NOTEBOOK', 'COURSE/gradebook.db',\n"
            "           'CNNLIB/pixels.py', 'COURSE/solutions/LESSON/NOTEBOOK']:\n"
            "    try:\n        open(_p, 'w').write('{}')\n"
            "    except OSError as e:\n        print('no', type(e).__name__)\n"
        ),
        suspicious=("outside the folder",),  # seen at run time, or in the code itself
        needs_bwrap=True,
    ),
    Attack(
        "harm_background",
        "starts a background process (to lock the gradebook) and a socket",
        _extra(
            "import subprocess, socket\n"
            "try:\n    subprocess.Popen(['sleep', '600'])\nexcept OSError as e:\n    print(e)\n"
            "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept OSError as e:\n"
            "    print(e)\n"
        ),
        suspicious=("refused",),
    ),
    # process deaths, loops, memory, floods
    Attack("death_os_exit", "os._exit in a scratch cell", _extra("import os\nos._exit(3)\n")),
    Attack(
        "death_kill",
        "kills its own process",
        _extra("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"),
    ),
    Attack("death_exit", "IPython's exit() and sys.exit()", _extra("exit()\n\nimport sys\nsys.exit(1)\n")),
    Attack(
        "loop_in_function",
        "an endless loop in the first exercise",
        lambda nb, ctx: _replace(
            nb, ctx["FIRST"], _fill("def FIRST(*args, **kwargs):\n    while True:\n        pass\n", ctx)
        ),
        zero=("FIRST",),
    ),
    Attack(
        "loop_stubborn",
        "an endless loop that swallows every interruption",
        lambda nb, ctx: _replace(
            nb,
            ctx["FIRST"],
            _fill(
                "def FIRST(*args, **kwargs):\n    while True:\n        try:\n            while True:\n"
                "                pass\n        except BaseException:\n            pass\n",
                ctx,
            ),
        ),
        zero=("FIRST",),
    ),
    Attack("loop_in_cell", "a scratch cell that never ends", _extra("while True:\n    pass\n")),
    Attack(
        "memory",
        "allocates 3.75 GiB",
        _extra("import numpy as np\nbig = np.ones(int(3.75 * 2**30), dtype=np.uint8)\n"),
    ),
    Attack("flood", "prints 50 MB", _extra("for _ in range(5000):\n    print('x' * 10000)\n")),
    # invalid files and edited, deleted, duplicated and re-tagged cells; honest slips
    Attack("invalid_json", "a file that is not JSON", _not_json, invalid=True),
    Attack("invalid_format", "JSON that is not a notebook", _not_a_notebook, invalid=True),
    Attack("slip_schema", "nbgrader schema_version 4 on every graded cell", _schema),
    Attack("slip_pasted_twice", "the first solution cell pasted twice", _pasted_twice),
    Attack("slip_deleted_test", "the first visible test cell deleted", _delete("test")),
    Attack("slip_duplicated_test", "the first visible test cell duplicated", _duplicate_test),
    Attack("slip_deleted_solution", "the first solution cell deleted", _delete("solution"), zero=("FIRST",)),
    Attack("slip_renamed", "the first solution cell's grade id renamed", _rename),
]
