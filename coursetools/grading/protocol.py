"""What the grader and the sandboxed child say to each other: typed messages, framed JSON, arrays
as ``.npy`` bytes.

Each request is declared beside its reply (``REPLY``):

============================  ====================================================
grader asks                   child answers
============================  ====================================================
``Hello(lesson, workdir, ...)`` ``Ready(pid)``: imports done, learner code may run
``RunCell(source, ...)``      ``CellDone(error, stdout, stderr, seconds, figures)``
``CallFunction(...)``         ``Called(result)``: an ``Outcome``, or ``NotCalled``
``Audit()``                   ``AuditReport(patched, transformers, events)``
============================  ====================================================

Nothing the child sends is ever unpickled: a message is JSON; a numpy array travels as the bytes
of ``np.save(..., allow_pickle=False)`` (numbers only) and is read back with
``np.load(..., allow_pickle=False)``. Every message is checked on arrival against its declaration
(each field's type, nested ``cnnlib.checks`` values included; long texts cut): a frame that is too
large or not JSON raises ``ProtocolError`` (the grader then treats the child as broken), a
well-framed message of the wrong shape raises ``Invalid``, a ``ProtocolError`` too.

The child loads this file beside its own (the sandbox binds just the two), so it imports nothing
of coursetools; of cnnlib, only public names.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import struct
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np

from cnnlib.checks import Case, NotCalled, Opaque, Outcome, Raised

__all__ = [
    "ProtocolError",
    "Invalid",
    "MAX_MESSAGE",
    "Hello",
    "Ready",
    "RunCell",
    "CellDone",
    "CallFunction",
    "Called",
    "Audit",
    "AuditReport",
    "REPLY",
    "pack",
    "send",
    "send_packed",
    "receive",
]

MAX_MESSAGE = 256 * 1024 * 1024  # bytes; a returned array larger than this is not an answer
_MAX_DEPTH = 12
_HEADER = struct.Struct(">Q")


class ProtocolError(RuntimeError):
    """A message could not be read as the protocol's plain data."""


class Invalid(ProtocolError):
    """A well-framed message that is not what the protocol declares (type, fields, values)."""


# ------------------------------------------------------------------ the messages


@dataclass(frozen=True)
class Hello:
    """The grader's first message: which lesson (its exercises are sealed), where to work, and
    the data libraries the lesson loads, imported before the audit starts watching."""

    lesson: str
    workdir: str
    preload: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ready:
    """The child has imported everything and sealed cnnlib's answers: learner code may run."""

    pid: int


@dataclass(frozen=True)
class RunCell:
    """Run one code cell within ``timeout`` seconds; keep ``limit`` characters of what it prints;
    with ``figures``, send back what it drew as PNG at ``dpi``."""

    source: str
    timeout: float
    figures: bool = False
    dpi: float = 60.0
    limit: int = 8000


@dataclass(frozen=True)
class CellDone:
    """What a cell did: its error (None if none), what it printed, its time and its images
    (base64 PNG)."""

    error: Raised | None
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallFunction:
    """Call the learner's ``function`` (a name in the notebook) on ``case`` for ``exercise``, with
    cnnlib's answers to it sealed, within ``timeout`` seconds."""

    exercise: str
    function: str
    case: Case
    timeout: float


@dataclass(frozen=True)
class Called:
    """The call's ``Outcome`` as plain data, or ``NotCalled`` with why (no such function, not a
    function, out of time)."""

    result: Outcome | NotCalled


@dataclass(frozen=True)
class Audit:
    """Ask what the learner's code did that a notebook has no reason to do."""


@dataclass(frozen=True)
class AuditReport:
    """Names the learner's code replaced in cnnlib, numpy, builtins and pyplot (``cnnlib.checks``
    included); IPython input transformers it added; files and refused operations it tried."""

    patched: tuple[str, ...] = ()
    transformers: int = 0
    events: tuple[str, ...] = ()


REPLY: dict[type, type] = {Hello: Ready, RunCell: CellDone, CallFunction: Called, Audit: AuditReport}

_MESSAGES = {*REPLY, *REPLY.values()}
# Every type a message may hold, by name: the messages and cnnlib's plain data.
_TYPES: dict[str, type] = {
    t.__name__: t for t in (*REPLY, *REPLY.values(), Case, Outcome, NotCalled, Raised, Opaque)
}
# Texts longer than this are cut on arrival (a learner's exception message is theirs to size).
_CUT = {
    ("Raised", "type"): 100,
    ("Raised", "message"): 2000,
    ("Raised", "where"): 300,
    ("Opaque", "type"): 80,
    ("Opaque", "text"): 200,
    ("Outcome", "changed"): 100,
    ("Outcome", "shares"): 100,
    ("Outcome", "failing"): 100,
    ("AuditReport", "patched"): 200,
    ("AuditReport", "events"): 400,
}


# ------------------------------------------------------------------ plain values as JSON


def _array_bytes(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array if array.flags.c_contiguous else array.copy(order="C"), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _array_from(text: str) -> np.ndarray:
    try:
        return np.load(io.BytesIO(base64.b64decode(text, validate=True)), allow_pickle=False)
    except Exception as error:  # a malformed .npy: never trust it
        raise ProtocolError(f"bad array: {error}") from None


def encode(value: Any, depth: int = 0) -> Any:
    """``value`` (arrays, numpy scalars, numbers, strings, None, lists, tuples, dicts of str, the
    protocol's dataclasses) as JSON."""
    if depth > _MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    # numpy first: np.float64 is also a Python float, and the judge sees the difference in types
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc":
            raise ProtocolError(f"array of dtype {value.dtype} is not plain data")
        return {"__ndarray__": _array_bytes(value)}
    if isinstance(value, np.generic):
        if value.dtype.kind not in "biufc":
            raise ProtocolError(f"scalar of dtype {value.dtype} is not plain data")
        return {"__npscalar__": _array_bytes(np.asarray(value))}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"__bigint__": str(value)}
    if isinstance(value, float):
        return {"__float__": repr(value)}  # nan and inf survive, exactly
    if isinstance(value, complex):
        return {"__npscalar__": _array_bytes(np.asarray(value))}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {"__dict__": {str(k): encode(v, depth + 1) for k, v in value.items()}}
    name = type(value).__name__
    if _TYPES.get(name) is type(value):
        fields = {f.name: encode(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)}
        return {"__type__": [name, fields]}
    raise ProtocolError(f"{name} is not plain data")


def decode(value: Any, depth: int = 0) -> Any:
    """The inverse of ``encode``, each dataclass checked against its declaration; raises
    ``ProtocolError`` (``Invalid`` for a value of the wrong shape) on anything else."""
    if depth > _MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list):
        return [decode(v, depth + 1) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "__float__" and isinstance(inner, str):
            return float(inner)
        if tag == "__bigint__" and isinstance(inner, str) and len(inner) < 5000:
            return int(inner)
        if tag == "__ndarray__" and isinstance(inner, str):
            array = _array_from(inner)
            if array.dtype.kind not in "biufc":
                raise ProtocolError("array is not numbers")
            return array
        if tag == "__npscalar__" and isinstance(inner, str):
            array = _array_from(inner)
            if array.shape != () or array.dtype.kind not in "biufc":
                raise ProtocolError("scalar is not a number")
            return array[()]
        if tag == "__tuple__" and isinstance(inner, list):
            return tuple(decode(v, depth + 1) for v in inner)
        if tag == "__dict__" and isinstance(inner, dict):
            return {str(k): decode(v, depth + 1) for k, v in inner.items()}
        if tag == "__type__" and isinstance(inner, list) and len(inner) == 2:
            return _build(inner[0], inner[1], depth)
    raise ProtocolError(f"unexpected value in message: {str(value)[:80]}")


def _build(name: Any, fields: Any, depth: int) -> Any:
    """A declared dataclass from its fields, each checked against its annotation."""
    cls = _TYPES.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(fields, dict):
        raise Invalid(f"unknown message or value type {str(name)[:40]!r}")
    hints = _hints(cls)
    declared = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(fields) - set(declared)
    if unknown:
        raise Invalid(f"{name} has no field {sorted(unknown)[0][:40]!r}")
    values = {}
    for field_name, field in declared.items():
        if field_name not in fields:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise Invalid(f"{name} lacks its field {field_name!r}")
            continue
        value = _conform(decode(fields[field_name], depth + 1), hints[field_name], f"{name}.{field_name}")
        cut = _CUT.get((name, field_name))
        if cut is not None:
            value = value[:cut] if isinstance(value, str) else tuple(v[:cut] for v in value)
        values[field_name] = value
    try:
        return cls(**values)
    except (TypeError, ValueError) as error:  # NotCalled checks its reason
        raise Invalid(f"{name}: {error}") from None


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _conform(value: Any, hint: Any, where: str) -> Any:
    """``value`` as ``hint`` declares it (ints accepted for floats, lists for tuples), else Invalid."""
    if hint is Any:
        return value
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        for option in args:
            try:
                return _conform(value, option, where)
            except Invalid:
                continue
        raise Invalid(f"{where}: {type(value).__name__} is not {hint}")
    if hint is type(None):
        if value is None:
            return None
    elif hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is tuple or origin is tuple:
        if isinstance(value, (tuple, list)):
            if args and args[-1] is Ellipsis:
                return tuple(_conform(v, args[0], where) for v in value)
            return tuple(value)
    elif origin is Mapping or hint is Mapping:
        if isinstance(value, dict):
            return value
    elif isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if isinstance(value, hint):
            return value
    else:  # a declaration this checker does not know: refuse rather than let it through
        raise Invalid(f"{where}: cannot check {hint}")
    raise Invalid(f"{where}: {type(value).__name__} is not {getattr(hint, '__name__', hint)}")


# ------------------------------------------------------------------ frames


def pack(message: Any) -> bytes:
    """One message as the bytes of its frame (encoded once: ``send_packed`` writes them)."""
    if type(message) not in _MESSAGES:
        raise ProtocolError(f"{type(message).__name__} is not a message")
    data = json.dumps(encode(message), allow_nan=False).encode("utf-8")
    if len(data) > MAX_MESSAGE:
        raise ProtocolError(f"message of {len(data)} bytes is over the limit of {MAX_MESSAGE}")
    return _HEADER.pack(len(data)) + data


def send_packed(stream: BinaryIO, frame: bytes) -> None:
    stream.write(frame)
    stream.flush()


def send(stream: BinaryIO, message: Any) -> None:
    """Write one message (an instance of the protocol's dataclasses) to ``stream``."""
    send_packed(stream, pack(message))


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(stream: BinaryIO, *expected: type) -> Any:
    """Read one message, one of the ``expected`` types (any message when none is given).

    ``EOFError`` when the other side has gone, ``ProtocolError`` when the frame is bad, ``Invalid``
    when it holds something other than what was expected.
    """
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes is over the limit of {MAX_MESSAGE}")
    try:
        data = json.loads(_read_exactly(stream, size))
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"unreadable message: {str(error)[:200]}") from None
    try:
        message = decode(data)
    except RecursionError:
        raise ProtocolError("value nested too deeply") from None
    allowed = expected or tuple(_MESSAGES)
    if not isinstance(message, allowed):
        names = " or ".join(t.__name__ for t in allowed)
        raise Invalid(f"expected {names}, got {type(message).__name__}")
    return message
