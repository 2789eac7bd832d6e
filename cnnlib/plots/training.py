"""Training curves (lessons 09-10): drawn from a ``cnnlib.train.History``, live in a notebook."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from ..notebook import in_notebook

__all__ = ["show_training", "TrainingPlot"]


def show_training(history, *, axes: Sequence[Axes] | None = None) -> Sequence[Axes]:
    """Loss (left) and accuracy (right) per epoch, training and test, from a ``cnnlib.train.History``.

    Draws on the two `axes` given (or a new figure) and returns them.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.2), layout="constrained")
    loss_ax, acc_ax = axes
    epochs = np.arange(1, history.epochs + 1)
    loss_ax.plot(epochs, history.loss, "o-", label="training")
    acc_ax.plot(epochs, np.asarray(history.train_accuracy) * 100, "o-", label="training")
    if history.test_accuracy:
        loss_ax.plot(epochs, history.test_loss, "s-", label="test")
        acc_ax.plot(epochs, np.asarray(history.test_accuracy) * 100, "s-", label="test")
    loss_ax.set(xlabel="epoch", ylabel="loss (cross-entropy)", title="loss")
    acc_ax.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    for ax in axes:
        ax.legend(loc="best")
        ax.grid(alpha=0.3)
    return axes


class TrainingPlot:
    """Curves that follow a training run: redrawn in place in a notebook, at most every `interval` s.

    Used by ``cnnlib.train.fit(..., plot=True)``. A redraw costs tens of milliseconds,
    so most epochs of a fast run are drawn only at the next allowed moment and at the end.
    """

    def __init__(self, interval: float = 0.25) -> None:
        import time

        self._clock = time.perf_counter
        self.interval = interval
        self.figure = None
        self._handle = None
        self._last = -float("inf")

    def _draw(self, history) -> None:
        if self.figure is None:
            self.figure = plt.figure(figsize=(9, 3.2), layout="constrained")
            self.figure.subplots(1, 2)
            plt.close(self.figure)  # shown through display() only, never twice
        for ax in self.figure.axes:
            ax.clear()
        show_training(history, axes=self.figure.axes)

    def update(self, history) -> None:
        """Redraw if `interval` seconds passed since the last redraw (and only in a notebook)."""
        if not in_notebook() or self._clock() - self._last < self.interval:
            return
        from IPython.display import display

        self._draw(history)
        if self._handle is None:
            self._handle = display(self.figure, display_id=True)
        else:
            self._handle.update(self.figure)
        self._last = self._clock()

    def close(self, history) -> None:
        """Draw the final curves: in place in a notebook, else as a figure of its own."""
        if history.epochs == 0:
            return
        self._draw(history)
        if self._handle is not None:
            self._handle.update(self.figure)
            return
        if in_notebook():
            from IPython.display import display

            display(self.figure)
