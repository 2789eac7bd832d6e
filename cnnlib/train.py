"""Training: shuffled mini-batches, a loss, an optimizer, and a record of what happened.

``fit(model, x, y, ...)`` trains a `cnnlib.layers.Sequential` and returns a `History`:
the loss and accuracies of every epoch, how long each took, and snapshots of the
first layer's filters at chosen steps (a lesson can slide through them and watch
random noise turn into stroke and edge detectors). The same seed gives the same
batches, the same weights and so the same result.

Progress goes to standard output only (nbgrader scores a graded cell 0 if anything
reaches standard error): a tqdm bar in a notebook, one plain line per epoch elsewhere.
Taught in lesson 09.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from .layers import Conv2D, Sequential
from .losses import SoftmaxCrossEntropy
from .notebook import in_notebook
from .optim import Adam

__all__ = ["History", "shuffled_batches", "train_epoch", "evaluate", "fit", "first_filters"]


@dataclass
class History:
    """What `fit` saw, one entry per epoch (lists), plus filter snapshots.

    Attributes
    ----------
    loss, train_accuracy : list of float
        Mean training loss and accuracy over each epoch's batches (accuracy in [0, 1]).
    test_loss, test_accuracy : list of float
        On the held-out data after each epoch (empty without test data).
    seconds : list of float
        Wall time of each epoch, its test evaluation included.
    steps : list of int
        Optimizer steps taken by the end of each epoch.
    snapshots : dict of int -> ndarray (F, kh, kw, C)
        The first convolution's filters after that many steps (0 = the initial ones).
    """

    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)
    snapshots: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        return len(self.loss)


def shuffled_batches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's mini-batches: a random order of the n samples, cut into batches.

    Parameters
    ----------
    n : int
        Number of training samples.
    batch_size : int
        Samples per batch; the last batch holds the rest (n % batch_size) if any.
    rng : numpy.random.Generator
        Draws the order; the same generator state gives the same batches.

    Returns
    -------
    list of ndarray of int, each (batch_size,) except maybe the last

    Examples
    --------
    >>> [b.tolist() for b in shuffled_batches(5, 2, np.random.default_rng(0))]
    [[2, 4], [3, 0], [1]]
    """
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def first_filters(model: Sequential) -> np.ndarray | None:
    """The first convolution layer's filters (F, kh, kw, C), or None if the model has none."""
    for layer in model.layers.values():
        if isinstance(layer, Conv2D):
            return layer.params["w"]
    return None


def train_epoch(
    model: Sequential,
    optimizer,
    x: np.ndarray,
    y: np.ndarray,
    batches: Iterable[np.ndarray],
    loss: SoftmaxCrossEntropy | None = None,
    after_step: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """One pass over the batches: forward, loss, backward, optimizer step for each.

    Parameters
    ----------
    model : Sequential
    optimizer : SGD or Adam
        Built on the model's flat parameters.
    x : (N, *model.input_shape) float32;  y : (N,) int
    batches : iterable of index arrays (see `shuffled_batches`)
    loss : SoftmaxCrossEntropy, optional
    after_step : callable, optional
        Called after every optimizer step (snapshots, progress bars).

    Returns
    -------
    (mean loss, accuracy) over the epoch's batches, weighted by batch size.
    """
    loss = loss or SoftmaxCrossEntropy()
    total_loss, correct, seen = 0.0, 0, 0
    for index in batches:
        xb, yb = x[index], y[index]
        scores = model.forward(xb, training=True)
        total_loss += loss.forward(scores, yb) * len(yb)
        correct += int(np.count_nonzero(scores.argmax(axis=1) == yb))
        seen += len(yb)
        model.backward(loss.backward())
        optimizer.step()
        if after_step is not None:
            after_step()
    return total_loss / max(seen, 1), correct / max(seen, 1)


def evaluate(model: Sequential, x: np.ndarray, y: np.ndarray, batch_size: int = 1024) -> tuple[float, float]:
    """Mean softmax cross-entropy loss and accuracy of the model on (x, y), without training.

    x : (N, *model.input_shape); y : (N,) int. Returns (loss, accuracy in [0, 1]).
    """
    loss = SoftmaxCrossEntropy()
    total_loss, correct = 0.0, 0
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        scores = model.forward(xb)
        total_loss += loss.forward(scores, yb) * len(yb)
        correct += int(np.count_nonzero(scores.argmax(axis=1) == yb))
    return total_loss / len(x), correct / len(x)


def fit(
    model: Sequential,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 10,
    batch_size: int = 64,
    lr: float = 1e-2,
    optimizer=None,
    seed: int = 0,
    x_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    snapshot_steps: Iterable[int] = (),
    stop_at: float | None = None,
    progress: bool = True,
    plot: bool = False,
    shuffle: bool = True,
    blas_threads: int | None = 1,
) -> History:
    """Train `model` on (x, y) with shuffled mini-batches; return the `History`.

    Parameters
    ----------
    model : Sequential
        Trained in place.
    x : (N, *model.input_shape) float32;  y : (N,) int class numbers
    epochs : int
        Passes over the training data (fewer if `stop_at` is reached).
    batch_size : int
    lr : float
        Learning rate of the default optimizer, Adam.
    optimizer : SGD or Adam, optional
        Built on ``model``; replaces the default ``Adam(model, lr=lr)``.
    seed : int
        Seeds the batch order; with the model's own seed it fixes the whole run.
    x_test, y_test : optional
        Held-out data, evaluated after every epoch.
    snapshot_steps : iterable of int
        Optimizer steps after which to copy the first convolution's filters into
        ``history.snapshots`` (0 = before training).
    stop_at : float, optional
        Stop after the first epoch whose test accuracy reaches this (e.g. 0.98).
    progress : bool
        Show progress on standard output (a tqdm bar in a notebook, one line per epoch elsewhere).
    plot : bool
        Draw the loss and accuracy curves (live in a notebook, updated at most about
        four times a second so it costs little; at the end elsewhere).
    shuffle : bool
        Draw a new order of the samples for every epoch (the default). With False the
        batches take the samples in the order given, every epoch (lesson 09 shows why
        that is a bad idea for data sorted by class).
    blas_threads : int or None
        Threads the BLAS library may use while training (through threadpoolctl). The
        course's matrices are small: one thread is as fast, and on a busy machine several
        threads wait for each other (a run 20 times slower was measured with two threads
        and other work on both cores). None leaves the library's own setting.

    Returns
    -------
    History
    """
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} samples but y has {len(y)} labels")
    if stop_at is not None and x_test is None:
        raise ValueError("stop_at needs test data (x_test, y_test)")
    optimizer = optimizer or Adam(model, lr=lr)
    rng = np.random.default_rng(seed)
    history = History()
    wanted = {int(s) for s in snapshot_steps}
    filters = first_filters(model)
    step = 0
    if 0 in wanted and filters is not None:
        history.snapshots[0] = filters.copy()
    steps_per_epoch = -(-len(x) // batch_size)
    reporter = _Progress(epochs * steps_per_epoch) if progress else None
    curves = _live_plot() if plot else None

    def after_step() -> None:
        nonlocal step
        step += 1
        if step in wanted and filters is not None:
            history.snapshots[step] = filters.copy()
        if reporter is not None:
            reporter.step()

    loss = SoftmaxCrossEntropy()
    try:
        with _blas_threads(blas_threads):
            for epoch in range(epochs):
                start = time.perf_counter()
                if shuffle:
                    batches = shuffled_batches(len(x), batch_size, rng)
                else:  # the order given, every epoch
                    batches = [
                        np.arange(i, min(i + batch_size, len(x))) for i in range(0, len(x), batch_size)
                    ]
                epoch_loss, accuracy = train_epoch(model, optimizer, x, y, batches, loss, after_step)
                history.loss.append(epoch_loss)
                history.train_accuracy.append(accuracy)
                if x_test is not None:
                    test_loss, test_accuracy = evaluate(model, x_test, y_test)
                    history.test_loss.append(test_loss)
                    history.test_accuracy.append(test_accuracy)
                history.seconds.append(time.perf_counter() - start)
                history.steps.append(step)
                if reporter is not None:
                    reporter.epoch(epoch + 1, epochs, history)
                if curves is not None:
                    curves.update(history)
                if stop_at is not None and history.test_accuracy[-1] >= stop_at:
                    break
    finally:
        if reporter is not None:
            reporter.close()
        if curves is not None:
            curves.close(history)
    return history


# --------------------------------------------------------------------------
# Progress and plots: stdout only, and only what is asked for
# --------------------------------------------------------------------------


class _Progress:
    """A tqdm widget in a notebook; otherwise one plain line per epoch on stdout."""

    def __init__(self, total_steps: int) -> None:
        self.bar = None
        if in_notebook():
            try:
                from tqdm.notebook import tqdm

                self.bar = tqdm(total=total_steps, desc="training", unit="step", file=sys.stdout)
            except Exception:
                self.bar = None

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def epoch(self, epoch: int, epochs: int, history: History) -> None:
        summary = f"loss {history.loss[-1]:.4f}, train {history.train_accuracy[-1]:.1%}"
        if history.test_accuracy:
            summary += f", test {history.test_accuracy[-1]:.1%}"
        if self.bar is not None:
            self.bar.set_postfix_str(summary, refresh=False)
        else:
            width = len(str(epochs))
            print(f"epoch {epoch:>{width}}/{epochs}: {summary} ({history.seconds[-1]:.2f} s)", flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.refresh()
            self.bar.close()


def _blas_controller():
    """threadpoolctl's handle on numpy's BLAS, found once, when this module is imported (about 5 ms).

    Finding the library reads the process's memory map and opens the library again; doing it
    here, not in ``fit``, keeps that out of a notebook's cells (a grading sandbox, which imports
    cnnlib before it runs learner code, would report it). None without threadpoolctl.
    """
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController()
    except Exception:  # not installed, or a platform it cannot inspect: threads stay as they are
        return None


_BLAS = _blas_controller()


@contextmanager
def _blas_threads(count: int | None) -> Iterator[None]:
    """At most ``count`` BLAS threads inside the block (no change for None, or without threadpoolctl)."""
    if count is None or _BLAS is None:
        yield
        return
    with _BLAS.limit(limits=count, user_api="blas"):
        yield


def _live_plot():
    from .plots import TrainingPlot  # matplotlib only when a plot is asked for

    return TrainingPlot()
