"""Where cnnlib's code runs, and how its errors show there.

- ``in_notebook()``: training's progress bar and live plot (``cnnlib.train``, ``cnnlib.plots``) and
  the widgets draw themselves differently in a Jupyter kernel; they ask here.
- ``InputError``: what cnnlib's helpers (figures, demos) raise for input they cannot use, in the
  learner's terms; ``show_briefly`` makes IPython show it, and a failed check, as its message alone,
  with no traceback through cnnlib's code.

This module is at the bottom of cnnlib: it imports nothing of the package.
"""

from __future__ import annotations

import sys

__all__ = ["in_notebook", "InputError", "show_briefly"]


class InputError(ValueError, TypeError):
    """Input a cnnlib helper cannot use (a shape, a dtype, a range), said in the learner's terms.

    A ``ValueError`` and a ``TypeError`` both, so code that catches either still does. In IPython
    it shows as its message alone (``show_briefly``).
    """


_BRIEF: list[type] = [InputError]


def _brief(shell, etype, value, tb, tb_offset=None):
    """IPython handler: the message alone, no traceback through cnnlib."""
    stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def show_briefly(*kinds: type) -> bool:
    """In IPython (JupyterLab, graders' kernels), show these exceptions (and ``InputError``) as
    their message only. Does nothing outside IPython, or where someone else's handler is installed
    (it is left alone rather than replaced). Returns whether the handler covers ``kinds``."""
    for kind in kinds:
        if kind not in _BRIEF:
            _BRIEF.append(kind)
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    if shell is None:
        return False
    custom = tuple(getattr(shell, "custom_exceptions", ()) or ())
    if custom and not set(custom) <= set(_BRIEF):
        return False
    shell.set_custom_exc(tuple(_BRIEF), _brief)
    return True


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where a widget progress bar or a live figure can be shown).

    Examples
    --------
    >>> in_notebook()  # a doctest runs in plain Python
    False
    """
    if "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"
