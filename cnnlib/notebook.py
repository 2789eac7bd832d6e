"""Where cnnlib's code runs: in a Jupyter kernel with a front end, or not.

Training's progress bar and live plot (``cnnlib.train``, ``cnnlib.plots``) and the widgets draw
themselves differently in a notebook; they ask here. This module is at the bottom of cnnlib: it
imports nothing of the package.
"""

from __future__ import annotations

import sys

__all__ = ["in_notebook"]


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
