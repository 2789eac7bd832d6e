"""Optimizers: turn gradients into parameter updates. Taught in lesson 09.

Both update, in place, a flat array of parameters from a flat array of gradients
of the same shape: a `cnnlib.layers.Sequential` keeps all its parameters in one
such buffer (``flat_params``, ``flat_grads``), so one step is a handful of whole-
array operations however many layers there are. The formulas are PyTorch's
(``torch.optim.SGD`` and ``torch.optim.Adam`` without weight decay), so a network
started from the same weights takes the same steps in both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SGD", "Adam"]


def _flat_pair(target, grads) -> tuple[np.ndarray, np.ndarray]:
    """(params, grads) from a network with flat buffers, or from two arrays given directly."""
    if grads is None:
        params, grads = target.flat_params, target.flat_grads
    else:
        params = target
    if not isinstance(params, np.ndarray) or not isinstance(grads, np.ndarray):
        raise TypeError("give a network (with flat_params and flat_grads) or two numpy arrays")
    if params.shape != grads.shape:
        raise ValueError(f"params {params.shape} and grads {grads.shape} must have the same shape")
    return params, grads


class SGD:
    """Gradient descent with momentum: velocity = momentum * velocity + grad; params -= lr * velocity.

    With momentum 0 this is plain gradient descent, ``params -= lr * grad``.

    Parameters
    ----------
    target : Sequential or ndarray
        A network (its ``flat_params`` and ``flat_grads`` are used), or the parameter array itself.
    grads : ndarray, optional
        The gradient array, same shape as `target`, when `target` is an array.
    lr : float
        Learning rate: the step size.
    momentum : float
        How much of the previous step carries on (0 = none, 0.9 is common).

    Examples
    --------
    >>> w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    >>> opt = SGD(w, g, lr=0.1)
    >>> opt.step(); w
    array([ 0.95, -2.05])
    """

    def __init__(self, target, grads: np.ndarray | None = None, lr: float = 0.01, momentum: float = 0.0):
        self.params, self.grads = _flat_pair(target, grads)
        if lr <= 0 or not 0 <= momentum < 1:
            raise ValueError(f"need lr > 0 and 0 <= momentum < 1; got lr={lr}, momentum={momentum}")
        self.lr, self.momentum = lr, momentum
        self.velocity = np.zeros_like(self.params)
        self.steps = 0

    def step(self) -> None:
        """Update the parameters in place from the current gradients."""
        if self.momentum:
            if self.steps == 0:
                self.velocity[...] = self.grads
            else:
                self.velocity *= self.momentum
                self.velocity += self.grads
            update = self.velocity
        else:
            update = self.grads
        self.params -= self.params.dtype.type(self.lr) * update
        self.steps += 1


class Adam:
    """Adam: steps scaled per parameter by running averages of the gradient and its square.

    ``m = b1*m + (1-b1)*g``, ``v = b2*v + (1-b2)*g**2``, then
    ``params -= lr / (1 - b1**t) * m / (sqrt(v) / sqrt(1 - b2**t) + eps)``
    (Kingma and Ba, 2015; bias-corrected, as in PyTorch).

    Parameters
    ----------
    target : Sequential or ndarray
        A network (its ``flat_params`` and ``flat_grads`` are used), or the parameter array itself.
    grads : ndarray, optional
        The gradient array, same shape as `target`, when `target` is an array.
    lr : float
        Learning rate (1e-3 is the usual default; 1e-2 trains the course's small CNN fast).
    betas : (float, float)
        Decay of the averages of the gradient and of its square.
    eps : float
        Keeps the division finite where v is 0.

    Examples
    --------
    >>> w, g = np.array([1.0, -2.0]), np.array([0.5, -3.0])
    >>> opt = Adam(w, g, lr=0.1)
    >>> opt.step(); w       # the first step moves every parameter by about lr, against its gradient
    array([ 0.9, -1.9])
    """

    def __init__(
        self,
        target,
        grads: np.ndarray | None = None,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ):
        self.params, self.grads = _flat_pair(target, grads)
        if lr <= 0 or not all(0 <= b < 1 for b in betas) or eps <= 0:
            raise ValueError(
                f"need lr > 0, 0 <= betas < 1 and eps > 0; got lr={lr}, betas={betas}, eps={eps}"
            )
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m = np.zeros_like(self.params)  # running mean of the gradient
        self.v = np.zeros_like(self.params)  # running mean of its square
        self._work = np.empty_like(self.params)
        self.steps = 0

    def step(self) -> None:
        """Update the parameters in place from the current gradients."""
        self.steps += 1
        (b1, b2), g, work = self.betas, self.grads, self._work
        to = self.params.dtype.type
        # m = b1*m + (1-b1)*g and v = b2*v + (1-b2)*g*g, in place
        self.m *= to(b1)
        np.multiply(g, to(1 - b1), out=work)
        self.m += work
        self.v *= to(b2)
        np.multiply(g, g, out=work)
        work *= to(1 - b2)
        self.v += work
        correction1 = 1 - b1**self.steps
        correction2 = 1 - b2**self.steps
        # denominator sqrt(v) / sqrt(correction2) + eps, then the step
        np.sqrt(self.v, out=work)
        work *= to(1 / np.sqrt(correction2))
        work += to(self.eps)
        np.divide(self.m, work, out=work)
        work *= to(self.lr / correction1)
        self.params -= work
