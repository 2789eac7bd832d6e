"""What the grader and the sandboxed child say to each other: framed JSON, arrays as ``.npy`` bytes.

Nothing the child sends is ever unpickled: a message is JSON; a numpy array travels as the bytes
of ``np.save(..., allow_pickle=False)`` (numbers only) and is read back with
``np.load(..., allow_pickle=False)``. Cases (``cnnlib.checks.Case``) go to the child, outcomes
(``cnnlib.checks.runner.Outcome``) come back, each as plain data. A message that is too large,
too deep or not well formed raises ``ProtocolError``: the grader then treats the child as broken.
"""

from __future__ import annotations

import base64
import io
import json
import struct
from typing import Any, BinaryIO

import numpy as np

from cnnlib.checks.exercise import Case
from cnnlib.checks.runner import Opaque, Outcome, Raised

__all__ = [
    "ProtocolError",
    "MAX_MESSAGE",
    "encode",
    "decode",
    "send",
    "receive",
    "case_to_plain",
    "case_from_plain",
    "outcome_to_plain",
    "outcome_from_plain",
]

MAX_MESSAGE = 256 * 1024 * 1024  # bytes; a returned array larger than this is not an answer
_MAX_DEPTH = 12
_HEADER = struct.Struct(">Q")


class ProtocolError(RuntimeError):
    """A message from the child could not be read as the protocol's plain data."""


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
    """``value`` (arrays, numpy scalars, numbers, strings, None, lists, tuples, dicts of str) as JSON."""
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
    if isinstance(value, Opaque):
        return {"__opaque__": [str(value.type), str(value.text)]}
    if isinstance(value, dict):
        return {"__dict__": {str(k): encode(v, depth + 1) for k, v in value.items()}}
    raise ProtocolError(f"{type(value).__name__} is not plain data")


def decode(value: Any, depth: int = 0) -> Any:
    """The inverse of ``encode``; raises ``ProtocolError`` on anything else."""
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
        if tag == "__opaque__" and isinstance(inner, list) and len(inner) == 2:
            return Opaque(str(inner[0])[:80], str(inner[1])[:200])
        if tag == "__dict__" and isinstance(inner, dict):
            return {str(k): decode(v, depth + 1) for k, v in inner.items()}
    raise ProtocolError(f"unexpected value in message: {str(value)[:80]}")


def send(stream: BinaryIO, message: dict) -> None:
    """Write one message (a dict of plain data) to ``stream``."""
    data = json.dumps(encode(message), allow_nan=False).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(stream: BinaryIO) -> dict:
    """Read one message; ``EOFError`` when the other side has gone, ``ProtocolError`` when it is bad."""
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes is over the limit of {MAX_MESSAGE}")
    try:
        message = decode(json.loads(_read_exactly(stream, size)))
    except (ValueError, RecursionError) as error:
        raise ProtocolError(f"unreadable message: {str(error)[:200]}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a dict")
    return message


# ------------------------------------------------------------------ cases and outcomes


def case_to_plain(case: Case) -> dict:
    return {"args": tuple(case.args), "kwargs": dict(case.kwargs), "note": case.note}


def case_from_plain(data: dict) -> Case:
    return Case(tuple(data["args"]), dict(data["kwargs"]), str(data.get("note", "")))


def outcome_to_plain(outcome: Outcome) -> dict:
    error = outcome.error
    return {
        "value": outcome.value,
        "error": None if error is None else [error.type, error.message, error.where],
        "changed": list(outcome.changed),
        "shares": list(outcome.shares),
        "seconds": float(outcome.seconds),
    }


def outcome_from_plain(data: Any) -> Outcome:
    """An ``Outcome`` from what the child sent, each field checked for its type."""
    if not isinstance(data, dict):
        raise ProtocolError("an outcome must be a dict")
    error = data.get("error")
    if error is not None:
        if not (isinstance(error, list) and len(error) == 3 and all(isinstance(e, str) for e in error)):
            raise ProtocolError("bad error in outcome")
        error = Raised(error[0][:100], error[1][:2000], error[2][:300])
    names = []
    for key in ("changed", "shares"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(n, str) for n in items):
            raise ProtocolError(f"bad {key} in outcome")
        names.append(tuple(n[:100] for n in items))
    seconds = data.get("seconds", 0.0)
    if not isinstance(seconds, (int, float)):
        raise ProtocolError("bad seconds in outcome")
    return Outcome(data.get("value"), error, names[0], names[1], float(seconds))
