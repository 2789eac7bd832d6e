"""What an exercise is, as data: cases, reference, known mistakes and how answers are compared.

An exercise is declared once, in the checks module of its lesson's topic, and judged by the one
runner in ``cnnlib.checks.runner``. Its pieces are plain data or trusted library functions, so a
grader can make the cases in its own process, send them to a sandbox that calls the learner's
function, and judge the outputs back home (``runner.make_cases``, ``runner.call``,
``runner.judge``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Answer", "Case", "Exercise", "Mistake", "Window", "AXES", "LIBRARY_CONVOLUTIONS"]

# Other libraries' convolutions, switched off (by dotted path) wherever an exercise asks the
# learner to write one: with them, a convolution exercise is one call.
LIBRARY_CONVOLUTIONS = (
    "scipy.signal.correlate2d",
    "scipy.signal.convolve2d",
    "scipy.signal.correlate",
    "scipy.signal.convolve",
    "scipy.signal.fftconvolve",
    "scipy.signal.oaconvolve",
    "scipy.ndimage.correlate",
    "scipy.ndimage.convolve",
)

# The course's last lesson: after it there is no "next lesson" for an answer to become free in
# (tests/test_course.py checks it against the lesson folders).
LAST_LESSON = 10


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: positional and keyword arguments (plain data only).

    ``note`` says in words what the case tries ("its brightest value is 60, not 255"); it is shown
    when the case fails.
    """

    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer and what to tell the learner who gave it.

    Parameters
    ----------
    key : str
        A short, stable name for the tally of mistakes across a class ("wrap_around").
    says : str
        The explanation shown after "Likely mistake:".
    answer : callable, optional
        Called with the case's arguments, returns the wrong answer this mistake produces (or
        None where it cannot happen on that case). The learner's output matching it names it.
    error : (str, str) or tuple of them, optional
        Instead of ``answer``: an exception type name and a fragment of its message, for
        mistakes that raise (numpy 2's ``OverflowError`` for ``image + 300``); several pairs
        when one mistake can raise in several ways. With ``answer`` as well, the mistake is named
        when either fits (a swapped window raises for a 2x3 kernel, gives numbers for a 1x3 one).
    kinds : str, optional
        numpy dtype kinds (``"biu"``, ``"f"``) the learner's array must have for this mistake to
        be named: two mistakes can give the same numbers, and only the dtype tells them apart (an
        integer output array cuts means to whole numbers; ``//`` does it in a float array).
    when : callable, optional
        For an ``error`` mistake: ``when(message, **arguments) -> bool`` reads the learner's error
        message and the case's arguments and says whether this mistake explains them (the shapes
        numpy names in "could not be broadcast together with shapes (2,0) (2,2)" tell a window cut
        from the unpadded image from a kernel read as (kw, kh)). The first fitting mistake is named.
    """

    key: str
    says: str
    answer: Callable[..., Any] | None = None
    error: tuple[str, str] | tuple[tuple[str, str], ...] | None = None
    kinds: str = ""
    when: Callable[..., bool] | None = None


@dataclass(frozen=True)
class Answer:
    """How the learner's return value is compared with the reference's.

    Parameters
    ----------
    kind : {"array", "int", "float", "bool", "choice", "tuple"}
    dtype : "same", None or tuple of str
        For arrays: "same" requires the reference's dtype, None accepts any numbers, a tuple
        lists the accepted dtypes (e.g. ``("float32", "float64")``).
    rtol, atol : float
        Tolerances for floating-point values (``np.isclose``); 0 means exact. NaN equals NaN.
    copy : bool
        The returned array must not share memory with any argument (``crop`` asks for a copy).
    items : tuple of Answer, and names : tuple of str
        For ``kind="tuple"``: how each item is compared, and what each item is called.
    axes : tuple of str, optional
        What each axis of an array answer means ("row", "column", "map"); default by role.
    choices : tuple of str
        For ``kind="choice"``: the accepted words.
    agree : float
        For arrays: the fraction of values that must match (1.0, all of them, by default). A
        classifier's labels pass with ``agree=0.9``: 90 % of them right.
    """

    kind: str = "array"
    dtype: str | tuple[str, ...] | None = "same"
    rtol: float = 0.0
    atol: float = 0.0
    copy: bool = False
    items: tuple[Answer, ...] = ()
    names: tuple[str, ...] = ()
    axes: tuple[str, ...] | None = None
    choices: tuple[str, ...] = ()
    agree: float = 1.0

    def matches(self, got: np.ndarray, expected: np.ndarray) -> np.ndarray:
        """Elementwise: does ``got`` match ``expected`` (same shape) within this answer's tolerance?

        Integers are compared exactly (in int64, so uint8 and int16 of equal values match); other
        numbers with ``np.isclose`` and these ``rtol``/``atol``, NaN equal to NaN.

        Examples
        --------
        >>> Answer(atol=0.01).matches(np.array([1.0, 2.0]), np.array([1.005, 2.1])).tolist()
        [True, False]
        """
        if got.dtype.kind in "biu" and expected.dtype.kind in "biu":
            return got.astype(np.int64) == expected.astype(np.int64)
        g, e = got.astype(np.float64), expected.astype(np.float64)
        return np.isclose(g, e, rtol=self.rtol, atol=self.atol, equal_nan=True)

    def enough(self, right: np.ndarray) -> bool:
        """Whether the elementwise ``right`` (from `matches`) is enough: all, or ``agree`` of them."""
        return bool(right.all()) if self.agree >= 1 else bool(right.mean() >= self.agree)


@dataclass(frozen=True)
class Window:
    """A sliding-window exercise: explain a wrong cell by its window and the arithmetic.

    ``op`` is "conv" (multiply matching cells and add), "max" or "mean". The other fields name
    the case's arguments (or give fixed values): ``input`` the image, ``kernel`` the kernel or
    filter bank (conv), ``size`` the pooling window, ``stride``, ``padding`` and ``bias``.
    """

    op: str
    input: str = "image"
    kernel: str | None = None
    size: str | int | None = None
    stride: str | int = 1
    padding: str | int = 0
    bias: str | None = None


# What each axis of an array means, by the array's role and number of dimensions (channels-last).
AXES: dict[str, dict[int, tuple[str, ...]]] = {
    "image": {
        2: ("row", "column"),
        3: ("row", "column", "channel"),
        4: ("sample", "row", "column", "channel"),
    },
    "batch": {4: ("sample", "row", "column", "channel")},
    "chw": {3: ("channel", "row", "column")},
    "kernel": {2: ("row", "column"), 3: ("row", "column", "channel")},
    "filters": {3: ("filter", "row", "column"), 4: ("filter", "row", "column", "channel")},
    "maps": {2: ("row", "column"), 3: ("row", "column", "map"), 4: ("sample", "row", "column", "map")},
    "vector": {1: ("index",)},
    "scores": {1: ("class",), 2: ("sample", "class")},
}


def axis_names(role: str | None, ndim: int) -> tuple[str, ...]:
    """Names of the axes of an ``ndim`` array with ``role`` ("image", "filters", ...)."""
    names = AXES.get(role or "image", {}).get(ndim) or AXES["image"].get(ndim) or AXES["vector"].get(ndim)
    return names or tuple(f"axis {i}" for i in range(ndim))


@dataclass(frozen=True)
class Exercise:
    """One graded exercise of a lesson.

    Parameters
    ----------
    name : str
        The function the learner writes, e.g. ``"invert"``.
    lesson : str
        Its lesson folder, e.g. ``"01_pixels"``.
    reference : callable
        cnnlib's answer; called with each case's arguments to get the expected value.
    params : tuple of str
        The learner's function's parameter names, in order (names the arguments in messages).
    visible : sequence of Case
        Small cases a person can check by hand; the check cell in the notebook runs these.
    hidden : callable
        ``hidden(rng) -> list of Case`` from a seeded ``numpy.random.Generator``; the hidden
        check cell runs these with its own seed.
    mistakes : tuple of Mistake
        Known wrong answers, tried in order; the first that matches is named.
    answer : Answer
        How to compare.
    shortcuts : mapping of function (or dotted path) -> condition or None
        cnnlib's functions that compute this answer (marked with ``cnnlib.guard.answer``), and
        other libraries' by dotted path (``"scipy.special.softmax"``); they refuse to run while the
        learner's function is called. Defaults to ``{reference: None}``.
    window : Window, optional
        For sliding-window exercises: explain the first wrong cell by its window.
    roles : mapping of str -> str
        Role of each array argument ("image", "kernel", "filters", ...) for axis names.
    in_place : str
        What to do instead, when the function changed an argument in place.
    uses : tuple of Exercise
        Earlier exercises of the lesson whose function the learner's may call (``conv_relu_pool``
        calls ``max_pool2d``): when it does and that one fails its own checks, the message says so.
    prepare : callable, optional
        For an argument a case cannot carry as plain data (a function to differentiate): called
        with the case's arguments (fresh copies), returns the (args, kwargs) of the call. Cases
        then name it in plain words (``"f(w) = sum(w ** 2)"``); the learner's function, the
        reference and the mistakes are all called with what ``prepare`` makes.
    """

    name: str
    lesson: str
    reference: Callable[..., Any]
    params: tuple[str, ...]
    visible: Sequence[Case]
    hidden: Callable[[np.random.Generator], Sequence[Case]]
    mistakes: tuple[Mistake, ...] = ()
    answer: Answer = Answer()
    shortcuts: Mapping[Callable | str, Callable[..., bool] | None] | None = None
    window: Window | None = None
    roles: Mapping[str, str] = field(default_factory=dict)
    in_place: str = "work on a copy (`image.copy()`) or build a new array, and return that."
    uses: tuple[Exercise, ...] = ()
    prepare: Callable[..., tuple[tuple, dict]] | None = None

    def call_arguments(self, case: Case) -> tuple[list, dict]:
        """Fresh arguments for one call on ``case`` (arrays copied), made by ``prepare`` if any."""
        args = [a.copy() if isinstance(a, np.ndarray) else a for a in case.args]
        kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in case.kwargs.items()}
        if self.prepare is None:
            return args, kwargs
        args, kwargs = self.prepare(*args, **kwargs)
        return list(args), dict(kwargs)

    @property
    def blocked(self) -> Mapping[Callable | str, Callable[..., bool] | None]:
        """The library functions switched off while the learner's function runs."""
        return {self.reference: None} if self.shortcuts is None else self.shortcuts

    @property
    def free_from(self) -> str:
        """Where cnnlib's version becomes the learner's to use: the next lesson, or "" after the
        course's last lesson (``LAST_LESSON``)."""
        number = int(self.lesson.split("_", 1)[0])
        return f"lesson {number + 1:02d}" if number < LAST_LESSON else ""

    def argument_names(self, case: Case) -> list[str]:
        """The parameter name of each positional argument of ``case``, then its keywords."""
        positional = [
            self.params[i] if i < len(self.params) else f"argument {i + 1}" for i in range(len(case.args))
        ]
        return positional + list(case.kwargs)

    def arguments(self, case: Case) -> dict[str, Any]:
        """The case's arguments by parameter name (positional ones named from ``params``)."""
        return dict(zip(self.argument_names(case), [*case.args, *case.kwargs.values()]))

    def output_axes(self, expected: np.ndarray) -> tuple[str, ...]:
        """What each axis of an array answer means: the declared ``answer.axes`` or by role."""
        axes = self.answer.axes
        if axes and len(axes) == expected.ndim:
            return tuple(axes)
        return axis_names(None, expected.ndim)
