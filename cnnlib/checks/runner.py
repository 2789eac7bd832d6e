"""The one judge behind every exercise check, in a notebook and in grading alike.

A check runs in three steps, separate functions with picklable inputs and outputs, so that a
grader can run them in different processes:

1. ``make_cases(exercise, seed)``: the cases (plain data), made where the judge runs;
2. a *caller* gives each case's ``Outcome`` (``cnnlib.checks.outcome``): ``call(exercise,
   function, case)`` calls the learner's function with cnnlib's answer to the exercise switched
   off, wherever the learner's code runs (``in_process`` in a notebook; a grader's sandboxed
   child); a caller that cannot give an outcome says why with a ``NotCalled``;
3. ``judge(exercise, case, outcome)``: compares with the reference and the known mistakes and
   returns a ``Verdict`` with the message for the learner.

``run_check(exercise, caller, seed)`` does all three and returns a ``CheckResult``: the one
place that decides whether a check passed and what the learner reads. A notebook's
``check_NAME`` (``make_check``) runs it in process and raises ``CheckFailure`` with the message,
shown without any of cnnlib's source (``show_failures_briefly``); a grader runs it with a caller
that asks its sandbox. The layout of the messages is ``explain``'s.
"""

from __future__ import annotations

import dataclasses
import dis
import linecache
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..guard import ShortcutError, blocked
from ..notebook import show_briefly
from . import explain
from .exercise import Answer, Case, Exercise
from .outcome import NotCalled, Opaque, Outcome, Raised, plain

__all__ = [
    "CheckFailure",
    "Verdict",
    "CheckResult",
    "Caller",
    "make_cases",
    "call",
    "in_process",
    "judge",
    "not_called_verdict",
    "first_failure",
    "refine",
    "judge_all",
    "run_check",
    "check",
    "make_check",
    "learner_line",
    "failing_earlier",
    "show_failures_briefly",
]


class CheckFailure(AssertionError):
    """A check failed; the message says why in the learner's terms.

    An ``AssertionError``, so nbgrader takes the test cell's points and shows the message.
    """


@dataclass(frozen=True)
class Verdict:
    """The judgement of one case: passed or not, the message, and the mistake's key.

    ``shortcut`` is what a switched-off answer said when the learner's code called it ("scipy.
    signal.correlate2d computes this exercise's answer"), for a grader's suspicion report.
    """

    passed: bool
    message: str = ""
    mistake: str = ""
    shortcut: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One check of one exercise (its visible cases, or the hidden ones of a seed), judged.

    ``failure`` is the verdict the learner is told about, None when every case passed.
    """

    exercise: str
    cases: int
    hidden: bool
    failure: Verdict | None = None

    @property
    def passed(self) -> bool:
        return self.failure is None

    @property
    def text(self) -> str:
        """What the check cell shows: ``invert: all 4 checks passed.`` or ``CheckFailure: ...``."""
        if self.failure is None:
            return f"{self.exercise}: all {self.cases} {'hidden ' if self.hidden else ''}checks passed."
        return f"CheckFailure: {self.failure.message}"


Caller = Callable[[Case], "Outcome | NotCalled"]
"""Gives the outcome of the learner's function on one case, or why there is none."""


# ------------------------------------------------------------------ step 1: cases


def make_cases(exercise: Exercise, seed: int | None = None) -> list[Case]:
    """The visible cases, or with a ``seed`` the hidden ones drawn from it."""
    if seed is None:
        return list(exercise.visible)
    return list(exercise.hidden(np.random.default_rng(seed)))


# ------------------------------------------------------------------ step 2: call


def _fresh(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    return True


def _shares(result: Any, argument: Any) -> bool:
    if not (isinstance(result, np.ndarray) and isinstance(argument, np.ndarray)):
        return False
    try:
        return bool(np.shares_memory(result, argument, max_work=10**6))
    except np.exceptions.TooHardError:
        return True


_LIBRARY_DIRS = tuple(
    str(Path(p).resolve())
    for p in {
        Path(__file__).resolve().parents[1],  # cnnlib
        Path(np.__file__).resolve().parent,
        Path(traceback.__file__).resolve().parent,  # the standard library
    }
)


_INNER = {
    "<listcomp>": "a list comprehension",
    "<dictcomp>": "a dict comprehension",
    "<setcomp>": "a set comprehension",
    "<genexpr>": "a generator expression",
    "<lambda>": "a lambda",
}


def _in_a_cell(filename: str) -> bool:
    """Code typed into a notebook cell: IPython compiles it as ``<ipython-input-...>`` or, in a
    Jupyter kernel, as a file under ``ipykernel_<pid>/``; ``exec`` of a string gives ``<...>``."""
    return filename.startswith("<") or "ipykernel_" in filename


def learner_line(tb) -> str:
    """The last line of the learner's own code in a traceback, as the learner sees it: the line
    number in the cell (Jupyter's own numbering), the function, the line's text.

    ``line 4 of the cell, in invert: return 256 - darker``; inside a comprehension, ``line 6 of
    the cell, in conv2d (a list comprehension): ...``; in a file, ``line 12 of answers.py, ...``.
    """
    frames = []
    for frame, lineno in traceback.walk_tb(tb):
        filename = str(Path(frame.f_code.co_filename).resolve()) if frame.f_code.co_filename else ""
        if filename.startswith(_LIBRARY_DIRS) or "site-packages" in filename:
            continue
        frames.append((frame, lineno))
    if not frames:
        return ""
    frame, lineno = frames[-1]
    name = frame.f_code.co_name
    if name in _INNER:
        outer = next(
            (f.f_code.co_name for f, _ in reversed(frames[:-1]) if f.f_code.co_name not in _INNER), ""
        )
        name = f"{outer} ({_INNER[name]})" if outer and outer != "<module>" else _INNER[name]
    filename = frame.f_code.co_filename
    place = f"line {lineno} of " + ("the cell" if _in_a_cell(filename) else Path(filename).name)
    if name != "<module>":
        place += f", in {name}"
    text = linecache.getline(filename, lineno, frame.f_globals).strip()
    return f"{place}: {text}" if text else place


def call(exercise: Exercise, function: Callable, case: Case) -> Outcome:
    """Call the learner's ``function`` on ``case`` with cnnlib's answer switched off.

    Arguments are copies, so nothing the function does reaches the case; the outcome records
    which arguments it changed in place and which its result shares memory with.
    """
    names = exercise.argument_names(case)
    args, kwargs = exercise.call_arguments(case)
    originals = [*args, *kwargs.values()]
    args, kwargs = [_fresh(a) for a in args], {k: _fresh(v) for k, v in kwargs.items()}
    raised = None
    with blocked(exercise.blocked, exercise.name, exercise.free_from), warnings.catch_warnings():
        # a window past the edge averages nothing: the check's message explains it, numpy's
        # "Mean of empty slice" above the message only distracts
        warnings.filterwarnings("ignore", "Mean of empty slice", RuntimeWarning)
        warnings.filterwarnings("ignore", "invalid value encountered in (scalar )?divide", RuntimeWarning)
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except Exception as error:
            if isinstance(error, ShortcutError):
                raised = Raised("ShortcutError", str(error))
            else:
                raised = Raised(type(error).__name__, str(error), learner_line(error.__traceback__))
        seconds = time.perf_counter() - start
    if raised is not None:
        return Outcome(error=raised, seconds=seconds)
    given = [*args, *kwargs.values()]
    changed = tuple(n for n, before, after in zip(names, originals, given) if not _same(before, after))
    shares = tuple(n for n, a in zip(names, given) if _shares(result, a))
    return Outcome(plain(result), None, changed, shares, seconds)


def _calls(function: Callable, name: str) -> bool:
    """Whether ``function``'s code (or code nested in it) refers to the global ``name``."""
    codes = [getattr(function, "__code__", None)]
    while codes:
        code = codes.pop()
        if code is None:
            continue
        if name in code.co_names and any(
            i.opname in ("LOAD_GLOBAL", "LOAD_NAME") and i.argval == name for i in dis.get_instructions(code)
        ):
            return True  # the learner's own function by its name, not ops.max_pool2d (an attribute)
        codes += [c for c in code.co_consts if hasattr(c, "co_names")]
    return False


def failing_earlier(exercise: Exercise, function: Callable) -> tuple[str, ...]:
    """The learner's functions for earlier exercises (``exercise.uses``) that ``function`` calls and
    that do not pass their own visible checks: a wrong earlier answer makes this one wrong too.

    Run once per check by its caller (``in_process``; a grader's child between two cells), not
    once per case: the learner's functions cannot change during a check.
    """
    failing = []
    for checked in exercise.uses:
        earlier = getattr(function, "__globals__", {}).get(checked.name)
        if not callable(earlier) or not _calls(function, checked.name):
            continue
        try:
            if run_check(checked, in_process(checked, earlier)).failure is not None:
                failing.append(checked.name)
        except Exception:  # only a hint: a check that cannot run says nothing
            continue
    return tuple(failing)


# ------------------------------------------------------------------ step 3: judge


def _is_whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


class _Wrong(Exception):
    """Raised inside the judge with the message part after the call's name."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(text)
        self.text, self.key = text, key


def _equal(got: Any, expected: Any, answer: Answer) -> bool:
    """Whether two plain values are equal as the answer compares them (shape and values)."""
    if answer.kind == "tuple":
        if not isinstance(got, (tuple, list)) or not isinstance(expected, (tuple, list)):
            return False
        if len(got) != len(expected):
            return False
        items = answer.items or (Answer(kind="float", rtol=answer.rtol, atol=answer.atol),) * len(expected)
        return all(_equal(g, e, a) for g, e, a in zip(got, expected, items))
    if answer.kind == "choice":
        return isinstance(got, str) and got.strip().lower() == str(expected).strip().lower()
    if isinstance(got, (list, tuple, Opaque, str)) or got is None:
        return False
    got_array, expected_array = np.asarray(got), np.asarray(expected)
    if got_array.dtype.kind not in "biuf" or got_array.shape != expected_array.shape:
        return False
    return answer.enough(answer.matches(got_array, expected_array))


_CANNOT = object()  # a mistake that cannot be made on a case


def _predicts(exercise: Exercise, mistake, case: Case) -> Any:
    """What ``mistake`` returns on ``case``: ``_CANNOT`` when it cannot be made there."""
    args, kwargs = exercise.call_arguments(case)
    try:
        wrong = mistake.answer(*args, **kwargs)
    except Exception:
        return _CANNOT
    return _CANNOT if wrong is None else plain(wrong)


def _error_fits(exercise: Exercise, mistake, case: Case, message: str) -> bool:
    """Whether an error mistake's ``when`` (if any) accepts the learner's error message on ``case``."""
    if mistake.when is None:
        return True
    try:
        return bool(mistake.when(message, **exercise.arguments(case)))
    except Exception:  # a condition that cannot read this case does not fit it
        return False


def _disagreements(exercise: Exercise, mistake, others: Sequence[tuple[Case, Outcome]]) -> int:
    """On how many other cases the learner's answer is not what ``mistake`` gives there."""
    count = 0
    for case, outcome in others:
        if outcome.error is not None:
            continue
        predicted = _predicts(exercise, mistake, case)
        if predicted is not _CANNOT and not _equal(outcome.value, predicted, exercise.answer):
            count += 1
    return count


def _mistake_matching(
    exercise: Exercise,
    case: Case,
    outcome: Outcome,
    expected: Any,
    others: Sequence[tuple[Case, Outcome]] = (),
):
    """The first known mistake the outcome matches, or None.

    With ``others`` (the other cases and what the learner returned), the mistakes that match this
    case are ranked by how many other cases disagree with them, and the first that fits best is
    named: two mistakes can give the same wrong answer on one case (an exercise answered with one
    of two words always does), and the other cases tell them apart.
    """
    matched = []
    for mistake in exercise.mistakes:
        if mistake.error is not None:
            patterns = [mistake.error] if isinstance(mistake.error[0], str) else mistake.error
            for kind, fragment in patterns:
                if (
                    outcome.error is not None
                    and outcome.error.type == kind
                    and fragment in outcome.error.message
                    and _error_fits(exercise, mistake, case, outcome.error.message)
                ):
                    return mistake
            if mistake.answer is None:
                continue
        if outcome.error is not None or mistake.answer is None:
            continue
        value = outcome.value
        if mistake.kinds and isinstance(value, np.ndarray) and value.dtype.kind not in mistake.kinds:
            continue  # the same numbers, but an array of another kind: not this mistake
        wrong = _predicts(exercise, mistake, case)
        if wrong is _CANNOT or _equal(wrong, expected, exercise.answer):
            continue  # cannot happen here, or makes no difference on this case
        if _equal(outcome.value, wrong, exercise.answer):
            if not others:
                return mistake
            matched.append(mistake)
    if not matched:
        return None
    return min(matched, key=lambda mistake: _disagreements(exercise, mistake, others))


def judge(
    exercise: Exercise, case: Case, outcome: Outcome, others: Sequence[tuple[Case, Outcome]] = ()
) -> Verdict:
    """Compare an outcome with the reference and the known mistakes; explain a failure.

    ``others``, the other cases with their outcomes, lets the mistake named be one that every case
    agrees with (``_mistake_matching``).
    """
    text = explain.call_text(exercise, case)
    if outcome.error is not None and outcome.error.type == "ShortcutError":
        said = outcome.error.message
        # the refusal's first clause names what was called ("scipy.signal.correlate2d computes
        # this exercise's answer"): the guard words every refusal that way
        return Verdict(False, f"{text} used a shortcut.\n{said}", "shortcut", said.split(", so ")[0].strip())
    expected = plain(_expected(exercise, case))
    try:
        _judge(exercise, case, outcome, expected, others)
    except _Wrong as wrong:
        first, _, rest = wrong.text.partition("\n")
        note = f"\n(This case: {case.note}.)" if case.note else ""
        if outcome.failing:
            names = " and ".join(outcome.failing)
            rest = (rest + "\n" if rest else "") + (
                f"Your {names}, which your {exercise.name} calls, does not pass its own checks yet: "
                f"fix {names} first, as it may be the cause, then check {exercise.name} again."
            )
        return Verdict(False, f"{text} {first}{note}" + (f"\n{rest}" if rest else ""), wrong.key)
    return Verdict(True)


def _judge(
    exercise: Exercise,
    case: Case,
    outcome: Outcome,
    expected: Any,
    others: Sequence[tuple[Case, Outcome]] = (),
) -> None:
    """Raise ``_Wrong`` with the explanation when the outcome is not the expected answer."""
    answer = exercise.answer
    error = outcome.error
    if error is not None and error.type == "NotImplementedError":
        raise _Wrong(
            "raised NotImplementedError: replace `raise NotImplementedError()` in the exercise cell "
            "with your code, run that cell, then run this one.",
            "not_implemented",
        )
    mistake = _mistake_matching(exercise, case, outcome, expected, others)
    if error is not None:
        where = f"\n  at {error.where}" if error.where else ""
        likely = f"\nLikely mistake: {mistake.says}" if mistake else ""
        raise _Wrong(
            f"raised {error.type}: {error.message}{where}{likely}",
            mistake.key if mistake else f"error:{error.type}",
        )
    if outcome.changed:
        raise _Wrong(
            f"changed its argument {', '.join(f'`{n}`' for n in outcome.changed)} in place. Leave the "
            f"caller's data as it was: {exercise.in_place}",
            "in_place",
        )
    if outcome.value is None:
        raise _Wrong(
            "returned None. Did you forget the `return` statement? (A function also returns None when "
            "no `return` with a value is reached, for example a search that finds nothing.)",
            "returned_none",
        )
    if mistake is not None:
        shown = explain.window_of(exercise, case, outcome.value, expected) if exercise.window else ""
        shown = shown or explain.arrays(exercise, case, outcome.value, expected)
        if answer.kind in ("int", "float", "bool", "choice") and explain.is_scalar(outcome.value):
            got, wanted = explain.scalar_text(outcome.value), explain.scalar_text(expected)
            shown = f"\nIt returned {got}, expected {wanted}." + shown
        elif answer.kind == "tuple" and all(map(explain.is_scalar, (*outcome.value, *expected))):
            got, wanted = (
                "(" + ", ".join(map(explain.scalar_text, v)) + ("," if len(v) == 1 else "") + ")"
                for v in (outcome.value, expected)
            )
            shown = f"\nIt returned {got}, expected {wanted}." + shown
        if not shown:  # nothing drawn (large or many arrays): the learner's numbers in one line
            got, wanted = (explain.brief(v, answer.names) for v in (outcome.value, expected))
            shown = f"\nIt returned {got};\nexpected {wanted}."
        raise _Wrong(f"is not right yet.\nLikely mistake: {mistake.says}{shown}", mistake.key)
    _compare(exercise, case, outcome.value, expected, answer, exercise.name)
    if answer.copy and outcome.shares:
        names = ", ".join(f"`{n}`" for n in outcome.shares)
        raise _Wrong(
            f"returned a view into {names}, not a copy: changing the result would change {names} "
            "too. Return a copy, e.g. with `.copy()` at the end.",
            "view_not_copy",
        )


def _compare(exercise: Exercise, case: Case, got: Any, expected: Any, answer: Answer, what: str) -> None:
    if answer.kind == "array":
        _compare_array(exercise, case, got, np.asarray(expected), answer)
    elif answer.kind == "tuple":
        _compare_tuple(exercise, case, got, expected, answer)
    else:
        _compare_scalar(got, expected, answer, what)


def _compare_scalar(got: Any, expected: Any, answer: Answer, what: str) -> None:
    kind = answer.kind
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got.item()
    if kind == "choice":
        if not isinstance(got, str):
            raise _Wrong(
                f"returned {explain.describe(got)}; expected one of the words {list(answer.choices)}.",
                "wrong_type",
            )
        if got.strip().lower() not in [c.lower() for c in answer.choices]:
            raise _Wrong(f"returned {got!r}, which is not one of {list(answer.choices)}.", "wrong_choice")
        if got.strip().lower() != str(expected).lower():
            raise _Wrong(f"returned {got!r}: not the right answer.", "wrong_value")
        return
    if kind == "int":
        if isinstance(got, (float, np.floating)) and float(got) == int(got):
            raise _Wrong(
                f"returned {got!r}, a float; {what} should be a whole number (an int). "
                "A `/` anywhere makes a float: divide with `//`, or convert the result with int(...).",
                "float_not_int",
            )
        if not _is_whole(got):
            raise _Wrong(f"returned {explain.describe(got)}; expected a whole number (an int).", "wrong_type")
    elif kind == "float":
        if not _is_real(got):
            hint = ""
            if isinstance(got, np.ndarray) and got.ndim == 1 and got.dtype.kind in "iuf":
                hint = (
                    " Python's built-in sum() adds up the rows of a 2-D array and leaves one number per "
                    "column; np.sum(...) or .sum() adds up every cell."
                )
            raise _Wrong(f"returned {explain.describe(got)}; expected a number.{hint}", "wrong_type")
    elif kind == "bool":
        if not isinstance(got, (bool, np.bool_)):
            raise _Wrong(f"returned {explain.describe(got)}; expected True or False.", "wrong_type")
    if not _equal(got, expected, answer):
        raise _Wrong(f"returned {explain.number(got)}, expected {explain.number(expected)}.", "wrong_value")


def _compare_tuple(exercise: Exercise, case: Case, got: Any, expected: Any, answer: Answer) -> None:
    if isinstance(got, list):
        got = tuple(got)
    if not isinstance(got, tuple):
        raise _Wrong(
            f"returned {explain.describe(got)}; expected a tuple of "
            + ("one value, like (5,)." if len(expected) == 1 else f"{len(expected)} values."),
            "wrong_type",
        )
    if len(got) != len(expected):
        raise _Wrong(
            f"returned {len(got)} values, expected {len(expected)}: "
            f"({', '.join(explain.short(item) for item in expected)}).",
            "wrong_length",
        )
    names = answer.names or tuple(f"item {i}" for i in range(len(expected)))
    items = answer.items or (Answer(kind="float", rtol=answer.rtol, atol=answer.atol),) * len(expected)
    for name, g, e, a in zip(names, got, expected, items):
        try:
            _compare(exercise, case, g, e, a, name)
        except _Wrong as wrong:
            detail = wrong.text.replace("returned ", "is ", 1)
            raise _Wrong(f"is not right yet: in the returned tuple, {name} {detail}", wrong.key) from None


def _compare_array(exercise: Exercise, case: Case, got: Any, expected: np.ndarray, answer: Answer) -> None:
    if isinstance(got, (list, tuple)):
        try:
            values = np.asarray(got)
            right = (
                values.dtype.kind in "biuf"
                and values.shape == expected.shape
                and bool(answer.matches(values, expected).all())
            )
        except (ValueError, TypeError):
            right = False
        hint = " with the right numbers" if right else ""
        parts = [np.shape(item) for item in got if isinstance(item, np.ndarray)]
        if not right and got and len(parts) == len(got):
            shown = ", ".join(str(p) for p in parts[:4]) + (", ..." if len(parts) > 4 else "")
            raise _Wrong(
                f"returned a {type(got).__name__} of {len(got)} arrays (shapes {shown}); the answer is one "
                f"array of shape {expected.shape}.",
                "list_not_array",
            )
        raise _Wrong(
            f"returned a {type(got).__name__}{hint}; return a numpy array: wrap it with np.array(...).",
            "list_not_array",
        )
    if not isinstance(got, np.ndarray):
        raise _Wrong(
            f"returned {explain.describe(got)}; expected an array of shape {expected.shape}.", "wrong_type"
        )
    if got.dtype.kind not in "biuf":
        raise _Wrong(
            f"returned an array of dtype {got.dtype}; expected numbers ({expected.dtype}).", "wrong_dtype"
        )
    if got.shape != expected.shape:
        hint = explain.shape_hint(got.shape, expected.shape, exercise.output_axes(expected))
        swapped = hint.startswith(explain.SWAPPED)  # no window runs past an edge: the axes are swapped
        raise _Wrong(
            f"returned an array of shape {got.shape}, expected shape {expected.shape}."
            + hint
            + (
                (explain.window_of(exercise, case, got, expected) if exercise.window and not swapped else "")
                or explain.arrays(exercise, case, got, expected)
            ),
            "wrong_shape",
        )
    right = answer.matches(got, expected)
    if answer.agree < 1 and not answer.enough(right):
        need = int(np.ceil(answer.agree * right.size))
        raise _Wrong(
            f"is not right yet: {int(right.sum())} of {right.size} right ({right.mean():.0%}); at least "
            f"{need} ({answer.agree:.0%}) must be.",
            "too_few_right",
        )
    if not answer.enough(right):
        where = tuple(int(i) for i in np.argwhere(~right)[0])
        axes = exercise.output_axes(expected)
        cell = ", ".join(f"{n} {i}" for n, i in zip(axes, where))
        e_text, g_text = _distinct(expected[where], got[where])
        message = (
            f"is not right yet: {int((~right).sum())} of {right.size} values differ.\n"
            f"First wrong value at {cell}: expected {e_text}, yours {g_text}."
        )
        if expected.dtype.kind == "b" and got.dtype.kind != "b":
            kept = ", ".join(explain.number(v) for v in np.unique(got)[:4])
            message += (
                f"\nA mask holds True and False (dtype bool); yours holds {got.dtype} numbers ({kept}"
                f"{', ...' if np.unique(got).size > 4 else ''}). Return the comparison itself (an array "
                "of True and False), without turning it into numbers."
            )
        if exercise.window is not None:
            message += explain.reproduce(exercise, case, got, expected)
            message += explain.window_story(exercise, case, where, got[where], expected[where])
        else:
            message += explain.arrays(exercise, case, got, expected, where)
        raise _Wrong(message, "wrong_values")
    allowed = answer.dtype
    if allowed == "same" and got.dtype != expected.dtype:
        raise _Wrong(
            f"has the right values but dtype {got.dtype}; expected {expected.dtype}. "
            + _dtype_advice(exercise, case, expected.dtype),
            "wrong_dtype",
        )
    if isinstance(allowed, tuple) and got.dtype.name not in allowed:
        raise _Wrong(
            f"has the right values but dtype {got.dtype}; expected one of {', '.join(allowed)}.",
            "wrong_dtype",
        )


def _distinct(expected: Any, got: Any) -> tuple[str, str]:
    """Both numbers with enough digits that the written difference is the real one: 3.0004 is not
    written 3 beside an expected 3.01 (the learner's slip is in the digits shown)."""
    e, g = float(expected), float(got)
    for digits in (4, 6, 8, 12):
        e_text, g_text = explain.number(expected, digits), explain.number(got, digits)
        try:
            written = float(e_text) - float(g_text)
        except ValueError:  # nan, inf, True: as they are
            return e_text, g_text
        if e_text != g_text and abs(written - (e - g)) <= 0.05 * abs(e - g):
            return e_text, g_text
    return e_text, g_text


def _dtype_advice(exercise: Exercise, case: Case, dtype: np.dtype) -> str:
    """How to reach ``dtype``: keep an input array's dtype when the answer follows it (a learner
    told ``.astype(np.float32)`` would break the uint8 cases), else convert."""
    cases = (*exercise.visible, *exercise.hidden(np.random.default_rng(0)), case)

    def dtypes(name: str) -> set:
        values = (exercise.arguments(c).get(name) for c in cases)
        return {v.dtype for v in values if isinstance(v, np.ndarray)}

    # an argument whose dtype varies between the cases, and the answer has this case's one
    followed = [
        name
        for name, value in exercise.arguments(case).items()
        if isinstance(value, np.ndarray) and value.dtype == dtype and len(dtypes(name)) > 1
    ]
    if followed:
        return (
            f"The answer keeps the dtype of `{followed[0]}` ({dtype}): build the result with "
            f"dtype={followed[0]}.dtype, or convert it with .astype({followed[0]}.dtype)."
        )
    return f"Convert the result with .astype(np.{dtype})."


def _expected(exercise: Exercise, case: Case) -> Any:
    args, kwargs = exercise.call_arguments(case)
    return exercise.reference(*args, **kwargs)


# ------------------------------------------------------------------ the one judge


def not_called_verdict(exercise: Exercise, function: str, not_called: NotCalled) -> Verdict:
    """The verdict on a case that gave no outcome (``NotCalled``); ``function`` is the name the
    check cell passed (the learner's function, normally the exercise's name)."""
    reason, detail = not_called.reason, not_called.detail
    if reason == "not_callable":
        text = f"{exercise.name} should be a function, but it is {explain.describe(detail)}."
    elif reason == "not_defined":
        text = f"{function} is not defined: run the cell that defines it (and keep its name)."
    elif reason == "timeout":
        text = (
            f"{function} ran for more than {float(detail):g} s on one case and was stopped: "
            "an endless loop, or far more work than the exercise needs?"
        )
    elif reason == "process_died":
        text = f"calling {function} stopped the notebook's process ({detail})."
    elif reason == "lost":
        text = f"{function} was not checked: the notebook's process was lost before this cell."
    else:  # unreadable
        text = f"{function} returned something that could not be read: {detail}"
    return Verdict(False, text, reason)


def in_process(exercise: Exercise, function: Any) -> Caller:
    """The caller of a notebook's check: ``function`` called here, in this process."""

    earlier: list[tuple[str, ...]] = []  # failing_earlier, worked out at the first case

    def caller(case: Case) -> Outcome | NotCalled:
        if not callable(function):
            return NotCalled("not_callable", plain(function))
        outcome = call(exercise, function, case)
        if not earlier:
            earlier.append(failing_earlier(exercise, function))
        return dataclasses.replace(outcome, failing=earlier[0]) if earlier[0] else outcome

    return caller


def run_check(
    exercise: Exercise, caller: Caller, seed: int | None = None, *, function: str | None = None
) -> CheckResult:
    """Make the cases, have ``caller`` give each one's outcome, judge them: the check's result.

    The failure told about is ``first_failure`` of the verdicts, with its mistake named in the
    light of every case (``refine``). A ``NotCalled`` that is ``final`` (a time-out, a dead
    process, no function) ends the check: its other cases are not called. ``function`` is the
    name the check cell passed, for the messages (default: the exercise's name).
    """
    function = function or exercise.name
    cases = make_cases(exercise, seed)
    verdicts: list[Verdict] = []
    pairs: list[tuple[Case, Outcome | None]] = []
    for case in cases:
        outcome = caller(case)
        if isinstance(outcome, NotCalled):
            verdicts.append(not_called_verdict(exercise, function, outcome))
            pairs.append((case, None))
            if outcome.final:
                break
            continue
        try:
            verdict = judge(exercise, case, outcome)
        except Exception as error:  # a value the judge cannot compare is a wrong value
            verdict = Verdict(
                False,
                f"{function} returned a value that could not be compared ({type(error).__name__}).",
                "wrong_type",
            )
            outcome = None
        verdicts.append(verdict)
        pairs.append((case, outcome))
    failure = first_failure(verdicts)
    if failure is not None:
        try:  # name the mistake that fits every case; the first failure stands if that fails
            failure = refine(exercise, pairs, verdicts)
        except Exception:
            pass
    return CheckResult(exercise.name, len(cases), seed is not None, failure)


def judge_all(exercise: Exercise, pairs: Sequence[tuple[Case, Outcome]]) -> Verdict | None:
    """Judge every (case, outcome); the failure to tell the learner about (``first_failure``),
    its mistake named in the light of all the cases, or None when all passed."""
    verdicts = [judge(exercise, case, outcome) for case, outcome in pairs]
    return refine(exercise, pairs, verdicts)


def refine(
    exercise: Exercise, pairs: Sequence[tuple[Case, Outcome | None]], verdicts: Sequence[Verdict]
) -> Verdict | None:
    """``first_failure`` of ``verdicts``; when it names a catalogued mistake, judged again with the
    other cases (outcome None: not called), so that the mistake named fits them all."""
    verdict = first_failure(verdicts)
    if verdict is None or verdict.mistake not in {m.key for m in exercise.mistakes}:
        return verdict
    index = next(i for i, v in enumerate(verdicts) if v is verdict)
    case, outcome = pairs[index]
    if outcome is None:
        return verdict
    others = [(c, o) for i, (c, o) in enumerate(pairs) if i != index and o is not None]
    return judge(exercise, case, outcome, others) if others else verdict


def first_failure(verdicts: Sequence[Verdict]) -> Verdict | None:
    """The failure to tell the learner about: the first one about values, shapes or errors, and
    only when every case has the right values, the first about the dtype alone."""
    failures = [v for v in verdicts if not v.passed]
    for verdict in failures:
        if verdict.mistake != "wrong_dtype":
            return verdict
    return failures[0] if failures else None


# ------------------------------------------------------------------ in a notebook


def check(exercise: Exercise, function: Callable, seed: int | None = None) -> None:
    """Run ``function`` on the exercise's cases; raise ``CheckFailure`` explaining a wrong one.

    Prints e.g. ``invert: all 4 checks passed.`` and returns nothing: a test cell that ends with a
    value would be read by nbgrader as partial credit.
    """
    result = run_check(exercise, in_process(exercise, function), seed)
    if result.failure is not None:
        raise CheckFailure(result.failure.message)
    print(result.text)


def make_check(exercise: Exercise) -> Callable[..., None]:
    """The ``check_NAME(function, seed=None)`` a notebook's test cell calls for ``exercise``."""

    def check_exercise(function: Callable, seed: int | None = None) -> None:
        check(exercise, function, seed)

    check_exercise.__name__ = check_exercise.__qualname__ = f"check_{exercise.name}"
    check_exercise.__doc__ = (
        f"Check your `{exercise.name}` on small cases (or, with a seed, on the hidden random ones).\n\n"
        f"Prints how many checks passed; raises CheckFailure with an explanation otherwise."
    )
    check_exercise.exercise = exercise  # type: ignore[attr-defined]
    return check_exercise


# ------------------------------------------------------------------ short messages in notebooks


def show_failures_briefly() -> bool:
    """In IPython (JupyterLab, the autograder's kernels), show a failed check as its message only.

    Called when ``cnnlib.checks`` is imported; does nothing outside IPython. Returns whether a
    handler was installed (``cnnlib.notebook.show_briefly``, which also covers cnnlib's
    ``InputError``).
    """
    return show_briefly(CheckFailure)
