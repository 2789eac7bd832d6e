"""coursetools.grading.child: the program that runs learner code, driven over its protocol.

One real child process (started directly, without the sandbox: ``test_sandbox`` covers that) runs
the cells of a learner and answers calls; about a second to start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnlib.checks import NotCalled, Opaque, Raised, exercises, make_cases
from coursetools.grading import protocol

CHILD = Path(protocol.__file__).with_name("child.py")
INVERT = make_cases(exercises("01_pixels")["invert"])[0]


class Driver:
    def __init__(self, workdir: Path) -> None:
        env = {**os.environ, "MPLBACKEND": "Agg"}
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=workdir, env=env
        )
        protocol.send(self.process.stdin, protocol.Hello("01_pixels", str(workdir)))
        self.ready = protocol.receive(self.process.stdout, protocol.Ready)

    def ask(self, message):
        protocol.send(self.process.stdin, message)
        return protocol.receive(self.process.stdout, protocol.REPLY[type(message)])

    def cell(self, source: str, **options) -> protocol.CellDone:
        return self.ask(protocol.RunCell(source, options.pop("timeout", 5.0), **options))

    def call(self, function: str, case=INVERT, exercise: str = "invert", timeout: float = 3.0):
        return self.ask(protocol.CallFunction(exercise, function, case, timeout)).result


@pytest.fixture(scope="module")
def child(tmp_path_factory):
    driver = Driver(tmp_path_factory.mktemp("child"))
    yield driver
    driver.process.kill()
    driver.process.wait()


def test_the_child_says_ready_with_its_pid(child):
    assert child.ready.pid == child.process.pid


def test_a_cell_runs_with_what_it_printed_and_its_error_typed(child):
    done = child.cell("print('hello')\nimport sys\nprint('oops', file=sys.stderr)")
    assert (done.error, done.stdout, done.stderr) == (None, "hello\n", "oops\n")
    failed = child.cell("1 / 0")
    assert failed.error == Raised("ZeroDivisionError", "division by zero")
    magic = child.cell("%time x = 3\nprint(x)")  # IPython: magics work
    assert magic.error is None and magic.stdout.endswith("3\n")


def test_nothing_the_learner_writes_to_the_real_stdout_reaches_the_channel(child):
    done = child.cell(
        "import os\nos.write(1, b'garbage that is not a frame')\nos.write(2, b'x')\nprint('ok')"
    )
    assert done.error is None and done.stdout == "ok\n"
    assert child.cell("print(2)").stdout == "2\n"  # the channel is still in step


def test_long_output_is_kept_to_its_limit(child):
    done = child.cell("print('x' * 100)", limit=10)
    assert done.stdout == "x" * 10 + "\n... (91 more characters not shown)"


def test_a_cell_past_its_time_is_stopped_and_the_child_goes_on(child):
    done = child.cell("while True:\n    pass", timeout=0.3)
    assert done.error == Raised("CellTimeout", "time limit reached")
    assert child.cell("print(1)").stdout == "1\n"


def test_figures_come_back_as_png_only_when_asked(child):
    draw = "import matplotlib.pyplot as plt\nplt.plot([1, 2])"
    assert child.cell(draw).figures == ()
    (image,) = child.cell(draw, figures=True).figures
    import base64

    assert base64.b64decode(image).startswith(b"\x89PNG")


def test_a_call_gives_the_outcome_as_plain_data(child):
    child.cell(
        "import numpy as np\ndef invert(image):\n    return (255 - image.astype(np.int16)).astype(np.uint8)"
    )
    outcome = child.call("invert")
    assert outcome.error is None and outcome.value.dtype == np.uint8
    np.testing.assert_array_equal(outcome.value, 255 - INVERT.args[0])


def test_a_call_without_an_outcome_says_why(child):
    assert child.call("no_such_function") == NotCalled("not_defined")
    child.cell("five = 5\ndef loops(image):\n    while True:\n        pass")
    assert child.call("five") == NotCalled("not_callable", 5)
    assert child.call("loops", timeout=0.3) == NotCalled("timeout", 0.3)
    child.cell("def leaves(image):\n    raise SystemExit(3)")
    assert child.call("leaves").error == Raised("SystemExit", "3")


def test_a_value_that_is_not_plain_data_comes_back_as_its_type(child):
    child.cell("import numpy as np\ndef words(image):\n    return np.str_('dark')")
    assert child.call("words").value == Opaque("str_", "a value that is not plain data")


def test_cnnlibs_answer_refuses_during_a_call_through_every_way_round_the_guard(child):
    child.cell(
        "from cnnlib.pixels import invert as _ref\n"
        "import cnnlib.guard as _g, types, sys\n"
        "_inner = _ref.__closure__[_ref.__code__.co_freevars.index('function')].cell_contents\n"
        "_code = _inner.__code__\n"
        "sys.modules['fake_lib'] = types.ModuleType('fake_lib')\n"
        "sys.modules['fake_lib'].f = _inner\n"
        "def by_alias(image):\n    return _ref(image)\n"
        "def by_saved_code(image):\n    _g._blocked = {}\n    _inner.__code__ = _code\n    return _inner(image)\n"
        "def by_the_guards_hand(image):\n"  # the guard swaps other libraries' code: not a sealed answer's
        "    _g._blocked = {}\n"
        "    with _g.blocked({'fake_lib.f': None}, 'invert', 'lesson 02'):\n"
        "        pass\n"
        "    return _inner(image)\n"
    )
    said = {name: child.call(name).error for name in ("by_alias", "by_saved_code", "by_the_guards_hand")}
    assert said["by_alias"].type == "ShortcutError" and "cnnlib.pixels.invert is cnnlib's own answer" in (
        said["by_alias"].message
    )
    for name in ("by_saved_code", "by_the_guards_hand"):
        assert said[name].type == "PermissionError", (name, said[name])
        assert said[name].message == "replacing a function's code is not allowed while a notebook is graded"
    lever = child.cell("_lever = _g.blocked({'fake_lib.f': None}, 'invert', 'lesson 02')\n_lever.__enter__()")
    assert lever.error.type == "PermissionError"  # nor before a check, to be put back during one
    assert child.cell("print(_ref(np.zeros((1, 1), dtype=np.uint8)))").stdout == "[[255]]\n"  # free between
    events = child.ask(protocol.Audit()).events
    assert "refused setting __code__ of invert" in events


def test_the_audit_names_whatever_was_replaced_in_cnnlib_and_its_checks(tmp_path):
    fresh = Driver(tmp_path)
    try:
        assert fresh.ask(protocol.Audit()) == protocol.AuditReport((), 0, ())  # nothing yet
        fresh.cell(
            "import cnnlib.checks as c, cnnlib.checks.runner as r, cnnlib.checks.explain as e\n"
            "import cnnlib.checks.pixels as p, numpy\n"
            "c.run_check = lambda *a, **k: None\n"
            "r._judge = lambda *a, **k: None\n"
            "e.number = str\n"
            "r.CheckResult.text = property(lambda self: 'all checks passed')\n"
            "r.make_cases.__defaults__ = (0,)\n"
            "object.__setattr__(p.EXERCISES[1], 'visible', ())\n"
            "numpy.sum = len\n"
            "get_ipython().input_transformers_post.append(lambda lines: lines)\n"
        )
        report = fresh.ask(protocol.Audit())
        assert set(report.patched) >= {
            "cnnlib.checks.run_check",
            "cnnlib.checks.runner._judge",
            "cnnlib.checks.explain.number",
            "cnnlib.checks.runner.CheckResult.text",
            "cnnlib.checks.runner.make_cases.__defaults__",
            "cnnlib.checks.pixels.EXERCISES[1].visible",
            "numpy.sum",
        }, report.patched
        assert report.transformers == 1
    finally:
        fresh.process.kill()
        fresh.process.wait()


def test_processes_and_sockets_are_refused_and_reads_outside_the_folder_recorded(tmp_path):
    fresh = Driver(tmp_path)
    try:
        done = fresh.cell("import subprocess\nsubprocess.Popen(['true'])")
        assert (
            done.error.type == "PermissionError"
            and "not allowed while a notebook is graded" in done.error.message
        )
        fresh.cell(
            "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept OSError:\n    pass"
        )
        outside = "/proc/version"  # not the folder, /tmp or the libraries (/tmp is the sandbox's own)
        fresh.cell(f"open({outside!r}).read()\nopen('mine.txt', 'w').write('fine')")
        events = fresh.ask(protocol.Audit()).events
        assert "refused subprocess.Popen" in events and "refused socket.connect" in events
        assert f"read {outside}" in events and not [e for e in events if "mine.txt" in e]
    finally:
        fresh.process.kill()
        fresh.process.wait()


def test_scikit_learn_is_imported_first_only_for_a_lesson_that_loads_the_digits_or_faces(tmp_path, child):
    assert child.cell("import sys\nprint('sklearn' in sys.modules)").stdout == "False\n"  # lesson 01
    env = {**os.environ, "MPLBACKEND": "Agg"}
    process = subprocess.Popen(
        [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tmp_path, env=env
    )
    try:
        hello = protocol.Hello("08_deep_stacks", str(tmp_path), ("sklearn.datasets", "sklearn.model_selection"))
        protocol.send(process.stdin, hello)
        protocol.receive(process.stdout, protocol.Ready)
        protocol.send(process.stdin, protocol.RunCell("import sys\nprint('sklearn.datasets' in sys.modules)", 5.0))
        assert protocol.receive(process.stdout, protocol.CellDone).stdout == "True\n"
    finally:
        process.kill()
        process.wait()
