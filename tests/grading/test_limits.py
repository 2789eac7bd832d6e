"""coursetools.grading.limits: the limits of grading, declared once, on the command line and in the README."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from coursetools.grading.limits import GIB, Limits, add_arguments, course_cell_seconds, from_arguments

REPO = Path(__file__).resolve().parents[2]


def _parsed(*argv: str) -> Limits:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return from_arguments(parser.parse_args(list(argv)))


def test_the_defaults_are_the_documented_ones():
    limits = Limits()
    assert (limits.memory, limits.cpu_seconds, limits.call_seconds) == (2 * GIB, 300, 10.0)
    assert limits.cell_seconds is None and limits.figures  # the course's Execute.timeout, filled in later
    with pytest.raises(ValueError, match="for_course"):
        _ = limits.cell


def test_the_per_cell_limit_is_the_courses_nbgrader_timeout(tmp_path):
    assert course_cell_seconds(REPO) == 120.0  # nbgrader_config.py: c.Execute.timeout = 120
    assert Limits().for_course(REPO).cell == 120.0
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Execute.timeout = 45\n")
    assert Limits().for_course(tmp_path).cell == 45.0
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    assert Limits().for_course(tmp_path).cell == 30.0  # nbgrader's own default
    assert Limits(cell_seconds=6).for_course(tmp_path).cell == 6.0  # a given limit stays


def test_the_command_line_options_come_from_the_fields():
    assert _parsed() == Limits()
    limits = _parsed("--memory", "1.5", "--cpu-seconds", "60", "--cell-seconds", "9", "--call-seconds", "2",
                     "--no-figures")  # fmt: skip
    assert limits == Limits(
        memory=int(1.5 * GIB), cpu_seconds=60, cell_seconds=9.0, call_seconds=2.0, figures=False
    )
    assert isinstance(limits.memory, int) and isinstance(limits.cpu_seconds, int)


def test_every_option_has_its_help_and_default_and_the_readme_names_it():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    text = parser.format_help()
    for flag, default in [("--memory", "(2 GiB)"), ("--cpu-seconds", "(300)"), ("--call-seconds", "(10)")]:
        assert re.search(rf"{flag} \w+\s+[^\n]*", text), flag
        assert default in " ".join(text.split()), (flag, default)
    readme = (REPO / "README.md").read_text()
    for action in parser._actions[1:]:
        assert f"`{action.option_strings[0]}`" in readme, (
            f"README does not mention {action.option_strings[0]}"
        )
