"""The one runner behind every exercise check: make the cases, call the learner, judge.

The three steps are separate functions with picklable inputs and outputs, so a grader can run
them in different processes:

1. ``make_cases(exercise, seed)``: the cases (plain data), in the grader's process;
2. ``call(exercise, function, case)``: calls the learner's function, with cnnlib's answer to the
   exercise switched off, and returns an ``Outcome`` of plain data (arrays and numbers, never the
   learner's objects); this runs wherever the learner's code runs;
3. ``judge(exercise, case, outcome)``: compares with the reference and the known mistakes and
   returns a ``Verdict`` with the message for the learner, in the grader's process.

``check`` does all three in the notebook and raises ``CheckFailure`` with the message, which
the notebook shows without any of cnnlib's source (see ``show_failures_briefly``).
"""

from __future__ import annotations

import linecache
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ..guard import ShortcutError, blocked
from . import explain
from .exercise import Answer, Case, Exercise, axis_names

__all__ = [
    "CheckFailure",
    "Outcome",
    "Raised",
    "Verdict",
    "make_cases",
    "call",
    "judge",
    "first_failure",
    "judge_all",
    "refine",
    "check",
    "make_check",
    "show_failures_briefly",
]


class CheckFailure(AssertionError):
    """A check failed; the message says why in the learner's terms.

    An ``AssertionError``, so nbgrader takes the test cell's points and shows the message.
    """


# ------------------------------------------------------------------ plain data


@dataclass(frozen=True)
class Opaque:
    """A returned object that is not plain data (a generator, a custom class): its type and repr."""

    type: str
    text: str


@dataclass(frozen=True)
class Raised:
    """An exception from the learner's call: its type, message and the learner's line."""

    type: str
    message: str
    where: str = ""  # "line 3 of invert: return 256 - image"


@dataclass(frozen=True)
class Outcome:
    """What a call of the learner's function gave, as plain data.

    ``changed`` names the arguments the call changed in place; ``shares`` those whose memory
    the returned array shares (a view rather than a copy).
    """

    value: Any = None
    error: Raised | None = None
    changed: tuple[str, ...] = ()
    shares: tuple[str, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Verdict:
    """The judgement of one outcome: passed or not, the message, and the mistake's key."""

    passed: bool
    message: str = ""
    mistake: str = ""


_MAX_DEPTH = 3


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain data: arrays, numbers, strings, None, and lists or tuples of them."""
    if value is None or isinstance(value, (bool, int, float, str, np.generic)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            return np.array(value, copy=True, subok=False)
        return Opaque("ndarray", f"array of dtype {value.dtype}")
    if isinstance(value, (list, tuple)) and depth < _MAX_DEPTH and len(value) <= 100_000:
        items = [plain(v, depth + 1) for v in value]
        return items if isinstance(value, list) else tuple(items)
    try:
        text = repr(value)
    except Exception:
        text = "?"
    return Opaque(type(value).__name__, text[:80])


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


def learner_line(tb) -> str:
    """The last line of the learner's own code in a traceback: 'line 3 of invert: return ...'."""
    found = ""
    for frame, lineno in traceback.walk_tb(tb):
        filename = str(Path(frame.f_code.co_filename).resolve()) if frame.f_code.co_filename else ""
        if filename.startswith(_LIBRARY_DIRS) or "site-packages" in filename:
            continue
        text = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals).strip()
        function = frame.f_code.co_name
        place = f"line {lineno - frame.f_code.co_firstlineno + 1} of {function}"
        found = f"{place}: {text}" if text else place
    return found


def call(exercise: Exercise, function: Callable, case: Case) -> Outcome:
    """Call the learner's ``function`` on ``case`` with cnnlib's answer switched off.

    Arguments are copies, so nothing the function does reaches the case; the outcome records
    which arguments it changed in place and which its result shares memory with.
    """
    names = exercise.argument_names(case)
    args = [_fresh(a) for a in case.args]
    kwargs = {k: _fresh(v) for k, v in case.kwargs.items()}
    with blocked(exercise.blocked, exercise.name, exercise.free_from):
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        except Exception as error:
            if isinstance(error, ShortcutError):
                raised = Raised("ShortcutError", str(error))
            else:
                raised = Raised(type(error).__name__, str(error), learner_line(error.__traceback__))
            return Outcome(error=raised, seconds=time.perf_counter() - start)
        seconds = time.perf_counter() - start
    given = [*args, *kwargs.values()]
    originals = [*case.args, *case.kwargs.values()]
    changed = tuple(n for n, before, after in zip(names, originals, given) if not _same(before, after))
    shares = tuple(n for n, a in zip(names, given) if _shares(result, a))
    return Outcome(plain(result), None, changed, shares, seconds)


# ------------------------------------------------------------------ step 3: judge


def call_text(exercise: Exercise, case: Case) -> str:
    """How the learner's function was called: ``crop(<array (5, 6) uint8>, top=1, ...)``."""
    parts = [explain.short(a) for a in case.args] + [
        f"{k}={explain.short(v)}" for k, v in case.kwargs.items()
    ]
    return f"{exercise.name}({', '.join(parts)})"


def _arguments(exercise: Exercise, case: Case) -> dict[str, Any]:
    return dict(zip(exercise.argument_names(case), [*case.args, *case.kwargs.values()]))


def _expected(exercise: Exercise, case: Case) -> Any:
    args = [_fresh(a) for a in case.args]
    kwargs = {k: _fresh(v) for k, v in case.kwargs.items()}
    return exercise.reference(*args, **kwargs)


def _describe(value: Any) -> str:
    if isinstance(value, Opaque):
        return f"a {value.type} ({value.text})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}, dtype {value.dtype}"
    return f"{explain.short(value)} (a {type(value).__name__})"


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (bool, int, float, str, np.generic)) or (
        isinstance(value, np.ndarray) and value.ndim == 0
    )


def _scalar_text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        value = value.item()
    return repr(value) if isinstance(value, str) else explain.number(value)


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


def _close(got: np.ndarray, expected: np.ndarray, answer: Answer) -> np.ndarray:
    """Elementwise: does ``got`` match ``expected`` (same shape) within the answer's tolerance?"""
    if got.dtype.kind in "biu" and expected.dtype.kind in "biu":
        return got.astype(np.int64) == expected.astype(np.int64)
    g, e = got.astype(np.float64), expected.astype(np.float64)
    return np.isclose(g, e, rtol=answer.rtol, atol=answer.atol, equal_nan=True)


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
    return bool(_close(got_array, expected_array, answer).all())


_CANNOT = object()  # a mistake that cannot be made on a case


def _predicts(mistake, case: Case) -> Any:
    """What ``mistake`` returns on ``case``: ``_CANNOT`` when it cannot be made there."""
    args = [_fresh(a) for a in case.args]
    kwargs = {k: _fresh(v) for k, v in case.kwargs.items()}
    try:
        wrong = mistake.answer(*args, **kwargs)
    except Exception:
        return _CANNOT
    return _CANNOT if wrong is None else plain(wrong)


def _disagreements(exercise: Exercise, mistake, others: Sequence[tuple[Case, Outcome]]) -> int:
    """On how many other cases the learner's answer is not what ``mistake`` gives there."""
    count = 0
    for case, outcome in others:
        if outcome.error is not None:
            continue
        predicted = _predicts(mistake, case)
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
                ):
                    return mistake
            continue
        if outcome.error is not None or mistake.answer is None:
            continue
        wrong = _predicts(mistake, case)
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
    text = call_text(exercise, case)
    if outcome.error is not None and outcome.error.type == "ShortcutError":
        return Verdict(False, f"{text} used a shortcut.\n{outcome.error.message}", "shortcut")
    expected = plain(_expected(exercise, case))
    try:
        _judge(exercise, case, outcome, expected, others)
    except _Wrong as wrong:
        first, _, rest = wrong.text.partition("\n")
        note = f"\n(This case: {case.note}.)" if case.note else ""
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
        raise _Wrong("returned None. Did you forget the `return` statement?", "returned_none")
    if mistake is not None:
        shown = _window_of(exercise, case, outcome.value, expected) if exercise.window else ""
        shown = shown or _shown(exercise, case, outcome.value, expected)
        if answer.kind in ("int", "float", "bool", "choice") and _is_scalar(outcome.value):
            shown = f"\nIt returned {_scalar_text(outcome.value)}, expected {_scalar_text(expected)}." + shown
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
                f"returned {_describe(got)}; expected one of the words {list(answer.choices)}.", "wrong_type"
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
                "Use `//` for whole-number division, or int(...).",
                "float_not_int",
            )
        if not _is_whole(got):
            raise _Wrong(f"returned {_describe(got)}; expected a whole number (an int).", "wrong_type")
    elif kind == "float":
        if not _is_real(got):
            hint = ""
            if isinstance(got, np.ndarray) and got.ndim == 1 and got.dtype.kind in "biuf":
                hint = (
                    " Python's built-in sum() adds up the rows of a 2-D array and leaves one number per "
                    "column; np.sum(...) or .sum() adds up every cell."
                )
            raise _Wrong(f"returned {_describe(got)}; expected a number.{hint}", "wrong_type")
    elif kind == "bool":
        if not isinstance(got, (bool, np.bool_)):
            raise _Wrong(f"returned {_describe(got)}; expected True or False.", "wrong_type")
    if not _equal(got, expected, answer):
        raise _Wrong(f"returned {explain.number(got)}, expected {explain.number(expected)}.", "wrong_value")


def _compare_tuple(exercise: Exercise, case: Case, got: Any, expected: Any, answer: Answer) -> None:
    if isinstance(got, list):
        got = tuple(got)
    if not isinstance(got, tuple):
        raise _Wrong(f"returned {_describe(got)}; expected a tuple of {len(expected)} values.", "wrong_type")
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
                and bool(_close(values, expected, answer).all())
            )
        except (ValueError, TypeError):
            right = False
        hint = " with the right numbers" if right else ""
        raise _Wrong(
            f"returned a {type(got).__name__}{hint}; return a numpy array: wrap it with np.array(...).",
            "list_not_array",
        )
    if not isinstance(got, np.ndarray):
        raise _Wrong(f"returned {_describe(got)}; expected an array of shape {expected.shape}.", "wrong_type")
    if got.dtype.kind not in "biuf":
        raise _Wrong(
            f"returned an array of dtype {got.dtype}; expected numbers ({expected.dtype}).", "wrong_dtype"
        )
    if got.shape != expected.shape:
        hint = _shape_hint(got.shape, expected.shape, _output_axes(exercise, expected))
        swapped = hint.startswith(_SWAPPED)  # no window runs past an edge: the axes are swapped
        raise _Wrong(
            f"returned an array of shape {got.shape}, expected shape {expected.shape}."
            + hint
            + (
                (_window_of(exercise, case, got, expected) if exercise.window and not swapped else "")
                or _shown(exercise, case, got, expected)
            ),
            "wrong_shape",
        )
    right = _close(got, expected, answer)
    if not right.all():
        where = tuple(int(i) for i in np.argwhere(~right)[0])
        axes = _output_axes(exercise, expected)
        cell = ", ".join(f"{n} {i}" for n, i in zip(axes, where))
        e_text, g_text = explain.number(expected[where]), explain.number(got[where])
        if e_text == g_text:  # close: show enough digits to see the difference
            e_text, g_text = explain.number(expected[where], 12), explain.number(got[where], 12)
        message = (
            f"is not right yet: {int((~right).sum())} of {right.size} values differ.\n"
            f"First wrong value at {cell}: expected {e_text}, yours {g_text}."
        )
        if exercise.window is not None:
            message += _window_story(exercise, case, where, got[where], expected[where])
        else:
            message += _shown(exercise, case, got, expected, where)
        raise _Wrong(message, "wrong_values")
    allowed = answer.dtype
    if allowed == "same" and got.dtype != expected.dtype:
        raise _Wrong(
            f"has the right values but dtype {got.dtype}; expected {expected.dtype}. "
            f"Convert the result with .astype(np.{expected.dtype}).",
            "wrong_dtype",
        )
    if isinstance(allowed, tuple) and got.dtype.name not in allowed:
        raise _Wrong(
            f"has the right values but dtype {got.dtype}; expected one of {', '.join(allowed)}.",
            "wrong_dtype",
        )


def _output_axes(exercise: Exercise, expected: np.ndarray) -> tuple[str, ...]:
    axes = exercise.answer.axes
    if axes and len(axes) == expected.ndim:
        return tuple(axes)
    return axis_names(None, expected.ndim)


_SWAPPED = "\nRows and columns look swapped"


def _shape_hint(got: tuple[int, ...], expected: tuple[int, ...], axes: tuple[str, ...]) -> str:
    if len(got) == len(expected) >= 2 and got[:2] == expected[1::-1][:2] and got[:2] != expected[:2]:
        return _SWAPPED + ": the first index is the row (y), the second the column (x)."
    if len(got) == len(expected):
        diffs = [(name, g - e) for name, g, e in zip(axes, got, expected) if g != e]
        words = []
        for name, d in diffs:
            plural = name + ("es" if name.endswith(("x", "s", "ch", "sh")) else "s")
            words.append(f"{abs(d)} {name if abs(d) == 1 else plural} too {'many' if d > 0 else 'few'}")
        return f"\nThat is {' and '.join(words)}."
    if len(got) == len(expected) + 1:
        return f"\nIt has an extra axis of size {got[-1] if got[:-1] == expected else '?'}."
    if len(got) + 1 == len(expected):
        return "\nAn axis is missing."
    return ""


def _inputs(exercise: Exercise, case: Case) -> dict[str, np.ndarray]:
    return {n: v for n, v in _arguments(exercise, case).items() if isinstance(v, np.ndarray) and v.ndim >= 1}


def _shown(
    exercise: Exercise, case: Case, got: Any, expected: Any, where: tuple[int, ...] | None = None
) -> str:
    """The inputs, the expected array and the learner's, side by side (near ``where`` if large)."""
    if not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray) or expected.ndim == 0:
        return ""
    axes = _output_axes(exercise, expected)
    blocks: dict[str, list[str]] = {}
    arrays = dict(_inputs(exercise, case))
    arrays["expected"], arrays["yours"] = expected, got
    if where is None and got.shape == expected.shape and got.dtype.kind in "biuf":
        differ = np.argwhere(~_close(got, expected, exercise.answer))
        if len(differ):
            where = tuple(int(i) for i in differ[0])
    if where is None:  # no wrong cell to centre on (the shapes differ): small flat arrays only
        if any(a.ndim > 2 or max(a.shape[:2]) > explain.PRINT_WHOLE for a in arrays.values()):
            return ""
        where = (0,) * expected.ndim
    notes = set()
    for label, array in arrays.items():
        if array.shape[:2] != expected.shape[:2] and label not in ("expected", "yours"):
            if max(array.shape[:2]) <= explain.PRINT_WHOLE and array.ndim <= 2:
                blocks[label] = explain.grid_lines(array)
            continue
        if label == "yours" and array.shape != expected.shape:
            if max(array.shape[:2]) <= explain.PRINT_WHOLE and array.ndim <= 2:
                blocks[label] = explain.grid_lines(array)
            continue
        if label not in ("expected", "yours") and array.ndim == expected.ndim + 1:
            # an input with one more axis than the output (a colour image made gray or a mask):
            # its channels at the same place, up to four
            if array.shape[: expected.ndim] == expected.shape and expected.ndim in (1, 2):
                for ch in range(min(array.shape[-1], 4)):
                    plane_, cell_, _ = explain.plane(array[..., ch], where, axes)
                    lines, part = explain.around(plane_, cell_)
                    blocks[f"{label}, channel {ch}"] = lines
                    if part:
                        notes.add(part)
            continue
        role = exercise.roles.get(label)
        array_axes = axes if label in ("expected", "yours") else axis_names(role, array.ndim)
        try:
            flat, cell, fixed = explain.plane(array, where[: array.ndim], array_axes)
        except IndexError:
            continue
        lines, part = explain.around(flat, cell)
        if fixed:
            notes.add(fixed)
        if part:
            notes.add(part)
        blocks[label] = lines
    if not blocks:
        return ""
    note = f"\n({'; '.join(sorted(notes))})" if notes else ""
    return "\n\n" + explain.side_by_side(blocks) + note


# ------------------------------------------------------------------ sliding windows


def _setting(value: str | int | None, arguments: dict[str, Any], default: Any) -> Any:
    if isinstance(value, str):
        return arguments.get(value, default)
    return default if value is None else value


def _pair(value: Any) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


class _Geometry(NamedTuple):
    padded: np.ndarray  # (Hp, Wp, C): the input with its zero padding
    kernel: np.ndarray | None  # (kh, kw, C) for a convolution
    bias: Any
    size: tuple[int, int]  # the window's rows and columns
    stride: tuple[int, int]
    padding: tuple[int, int]
    channels: int  # of the unpadded input


def _geometry(exercise: Exercise, case: Case, where: tuple[int, ...], axes: tuple[str, ...]) -> _Geometry:
    """The padded input, kernel, window size, stride and padding behind output cell ``where``."""
    spec = exercise.window
    assert spec is not None
    arguments = _arguments(exercise, case)
    image = np.asarray(arguments[spec.input])
    size = _setting(spec.size, arguments, 2)
    stride = _setting(spec.stride, arguments, None)
    stride = _pair(size if stride is None and spec.op != "conv" else 1 if stride is None else stride)
    padding = _pair(_setting(spec.padding, arguments, 0))
    if image.ndim == 2:
        image = image[:, :, None]
    padded = np.pad(image, ((padding[0], padding[0]), (padding[1], padding[1]), (0, 0)))
    kernel, bias = None, None
    if spec.op == "conv":
        kernel = np.asarray(arguments[spec.kernel])
        bias = arguments.get(spec.bias) if spec.bias else None
        if kernel.ndim in (3, 4) and "map" in axes:  # a filter bank (F, kh, kw[, C]): the map's filter
            f = min(where[axes.index("map")], kernel.shape[0] - 1)
            kernel = kernel[f]
            bias = None if bias is None else np.asarray(bias).reshape(-1)[f]
        if kernel.ndim == 2:
            kernel = kernel[:, :, None]
        size = kernel.shape[:2]
    return _Geometry(padded, kernel, bias, _pair(size), stride, padding, image.shape[2])


def _input_blocks(exercise: Exercise, g: _Geometry, mark: tuple[int, int, int, int], channel) -> dict:
    """The input around a window, the window in brackets: the pooled channel, or for a
    convolution every channel (up to four) and the kernel of a one-channel image."""
    spec = exercise.window
    channels = [channel] if channel is not None else list(range(min(g.channels, 4)))
    pr, pc = g.padding
    blocks = {}
    for ch in channels:
        lines, part = explain.around(g.padded[:, :, ch], (mark[0], mark[2]), mark)
        label = spec.input
        if pr or pc:
            label += f" with padding {pr if pr == pc else (pr, pc)}"
        if g.channels > 1:
            label += f", channel {ch}"
        if part:
            label += f" ({part})"
        blocks[label] = lines
    if spec.op == "conv" and g.kernel.shape[-1] == 1:
        blocks["kernel"] = explain.grid_lines(g.kernel[:, :, 0])
    return blocks


def _window_story(exercise: Exercise, case: Case, where: tuple[int, ...], got: Any, expected: Any) -> str:
    """Explain a wrong output cell of a convolution or pooling by its window and arithmetic."""
    spec = exercise.window
    axes = _output_axes(exercise, np.zeros((1,) * len(where)))
    r, c = where[axes.index("row")], where[axes.index("column")]
    g = _geometry(exercise, case, where, axes)
    (kh, kw), (sr, sc) = g.size, g.stride
    channel = None
    if spec.op == "conv":
        window = g.padded[r * sr : r * sr + kh, c * sc : c * sc + kw]
        if window.shape != g.kernel.shape:
            return ""
        one = window.shape[-1] == 1
        story, _ = explain.weighted_sum(
            window[..., 0] if one else window, g.kernel[..., 0] if one else g.kernel, g.bias
        )
    else:
        channel = where[axes.index("channel")] if "channel" in axes else 0
        window = g.padded[r * sr : r * sr + kh, c * sc : c * sc + kw, channel]
        story, _ = explain.pooled(window, spec.op)
    mark = (r * sr, r * sr + kh, c * sc, c * sc + kw)
    padded = " of the padded input" if any(g.padding) else ""
    return (
        f"\nIt comes from the window in [ ] at rows {mark[0]}..{mark[1] - 1}, "
        f"columns {mark[2]}..{mark[3] - 1}{padded}:\n"
        f"  {story} = {explain.number(expected)}, yours: {explain.number(got)}\n\n"
        + explain.side_by_side(_input_blocks(exercise, g, mark, channel))
    )


def _window_of(exercise: Exercise, case: Case, got: Any, expected: Any) -> str:
    """For a window exercise: the first wrong value both arrays have, with its window; or, when
    the learner's output has an extra row or column, the window that value needs past the edge."""
    if not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray):
        return ""
    if got.ndim != expected.ndim or got.dtype.kind not in "biuf" or expected.ndim < 2:
        return ""
    axes = _output_axes(exercise, expected)
    if "row" not in axes or "column" not in axes:
        return ""
    common = tuple(slice(0, min(a, b)) for a, b in zip(got.shape, expected.shape))
    wrong = ~_close(got[common], expected[common], exercise.answer)
    if wrong.any():
        where = tuple(int(i) for i in np.argwhere(wrong)[0])
        cell = ", ".join(f"{n} {i}" for n, i in zip(axes, where))
        return (
            f"\nFirst wrong value at {cell}: expected {explain.number(expected[where])}, "
            f"yours {explain.number(got[where])}."
            + _window_story(exercise, case, where, got[where], expected[where])
        )
    r_axis, c_axis = axes.index("row"), axes.index("column")
    if got.shape[r_axis] > expected.shape[r_axis]:
        r, c, edge = expected.shape[r_axis], 0, "bottom"
    elif got.shape[c_axis] > expected.shape[c_axis]:
        r, c, edge = 0, expected.shape[c_axis], "right"
    else:
        return ""
    where = tuple(r if a == r_axis else c if a == c_axis else 0 for a in range(len(axes)))
    g = _geometry(exercise, case, where, axes)
    (kh, kw), (sr, sc) = g.size, g.stride
    rows, cols = g.padded.shape[:2]
    top, left = r * sr, c * sc
    needs = f"rows {top}..{top + kh - 1} and columns {left}..{left + kw - 1}"
    if top >= rows or left >= cols:
        return f"\nYour extra value at row {r}, column {c} would need the window at {needs}: off the input."
    mark = (top, min(top + kh, rows), left, min(left + kw, cols))
    channel = 0 if exercise.window.op != "conv" else None
    return (
        f"\nYour extra value at row {r}, column {c} needs a window that runs past the {edge} edge: "
        f"{needs}, but the input has rows 0..{rows - 1} and columns 0..{cols - 1}. "
        f"What is left of it, in [ ]:\n\n" + explain.side_by_side(_input_blocks(exercise, g, mark, channel))
    )


# ------------------------------------------------------------------ the runner


def check(exercise: Exercise, function: Callable, seed: int | None = None) -> None:
    """Run ``function`` on the exercise's cases; raise ``CheckFailure`` explaining a wrong one.

    Prints e.g. ``invert: all 4 checks passed.`` and returns nothing: a test cell that ends with a
    value would be read by nbgrader as partial credit.
    """
    if not callable(function):
        raise CheckFailure(f"{exercise.name} should be a function, but it is {_describe(plain(function))}.")
    cases = make_cases(exercise, seed)
    pairs = [(case, call(exercise, function, case)) for case in cases]
    verdict = judge_all(exercise, pairs)
    if verdict is not None:
        raise CheckFailure(verdict.message)
    print(f"{exercise.name}: all {len(cases)} {'hidden ' if seed is not None else ''}checks passed.")


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


def _brief(shell, etype, value, tb, tb_offset=None):
    """IPython handler for CheckFailure: the message alone, no traceback through cnnlib."""
    stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def show_failures_briefly() -> bool:
    """In IPython (JupyterLab, the autograder's kernels), show a failed check as its message only.

    Called when ``cnnlib.checks`` is imported; does nothing outside IPython. Returns whether a
    handler was installed.
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    if shell is None:
        return False
    custom = tuple(getattr(shell, "custom_exceptions", ()) or ())
    if CheckFailure in custom:
        return True
    if custom:  # someone else's handler: leave it alone rather than replace it
        return False
    shell.set_custom_exc((CheckFailure,), _brief)
    return True
