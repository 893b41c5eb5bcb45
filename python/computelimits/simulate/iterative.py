"""Gradient descent and SGD on least squares from w = 0 (the paper's SGD experiments): C++ core or numpy twin.

Full-batch gradient descent and minibatch SGD with a constant step, optional early stopping on a held-out
set, divergence detection and FLOP counts (docs/simulate.md); the data checks and memory guard are the
estimators' (``simulate.estimators``).
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np

from .. import _validation, runner
from ..exceptions import DivergenceWarning
from . import _twin
from ._common import frame_from
from ._results import ResultBase
from .estimators import _check_memory, _core, _data

__all__ = ["IterativeFit", "gradient_descent", "sgd"]


@dataclasses.dataclass(frozen=True, repr=False)
class IterativeFit(ResultBase):
    """Result of gradient descent or SGD started at w = 0.

    ``diverged`` is True when the training loss became non-finite or exceeded 1e100
    times its starting value (a ``DivergenceWarning`` says so); ``coef`` is then the last
    finite iterate. With a held-out
    set, ``coef`` is the iterate with the lowest held-out MSE (epoch ``best_epoch``).
    """

    coef: np.ndarray
    flops: float
    epochs_run: int
    best_epoch: int
    diverged: bool
    train_loss: np.ndarray
    validation_loss: np.ndarray
    method: str

    def to_frame(self):
        validation = np.full(self.train_loss.size, np.nan)
        validation[: self.validation_loss.size] = self.validation_loss
        return frame_from(
            {
                "epoch": np.arange(1, self.train_loss.size + 1),
                "train_loss": self.train_loss,
                "validation_loss": validation,
            }
        )


def _warn_if_diverged(fit: IterativeFit, step_size: float) -> IterativeFit:
    if fit.diverged:
        warnings.warn(
            DivergenceWarning(
                f"{fit.method} diverged after {fit.epochs_run} epochs with step_size={step_size:g} (the training "
                "loss became non-finite or grew past 1e100 times its start); coef is the last finite iterate "
                "and diverged=True. Lower step_size."
            ),
            stacklevel=3,
        )
    return fit


def _validation_set(X_val: Any, y_val: Any, p: int) -> tuple:
    if X_val is None and y_val is None:
        return np.zeros((0, p)), np.zeros(0)
    if X_val is None or y_val is None:
        raise ValueError("pass both X_val and y_val for early stopping, or neither")
    X_val, y_val = _data(X_val, y_val, min_rows=1)
    if X_val.shape[1] != p:
        raise ValueError(f"X_val must have p={p} columns, got {X_val.shape[1]}")
    return X_val, y_val


def _iterative_args(X, y, step_size, epochs, patience, X_val, y_val):
    X, y = _data(X, y)
    step_size = _validation.check_real("step_size", step_size, minimum=0.0, strict_minimum=True)
    epochs = _validation.check_int("epochs", epochs, minimum=1, maximum=10**9)
    patience = _validation.check_int("patience", patience, minimum=0, maximum=10**9)  # counts epochs, as epochs
    X_val, y_val = _validation_set(X_val, y_val, X.shape[1])
    return X, y, step_size, epochs, patience, X_val, y_val


def _check_history(what: str, X: np.ndarray, X_val: np.ndarray, epochs: int) -> None:
    """Iterates and residuals (3 n + 6 p values) and, if every epoch runs, its loss history."""
    n, p = X.shape
    per_epoch = 2.0 if len(X_val) else 1.0
    _check_memory(what, 3.0 * n + 6.0 * p + len(X_val) + per_epoch * epochs, {"epochs": epochs, "n": n, "p": p})


def gradient_descent(
    X: Any,
    y: Any,
    *,
    step_size: float,
    epochs: int = 1000,
    tol: float = 0.0,
    X_val: Any = None,
    y_val: Any = None,
    patience: int = 0,
    backend: str = "cpp",
) -> IterativeFit:
    """Full-batch GD on (1/2n)||y - Xw||^2 from w = 0: w <- w - step_size X'(Xw - y)/n.

    Stops after ``epochs`` iterations, when ||gradient||_inf <= tol, on divergence, or
    (with a held-out set) after ``patience`` epochs without a lower held-out MSE.
    Converges to pinv(X) y when step_size < 2 / lambda_max(X'X/n).

    Parameters
    ----------
    X : array_like
        (n, p) design.
    y : array_like
        (n,) response.
    step_size : float
        The learning rate (> 0).
    epochs : int, default 1000
        Iterations at most.
    tol : float, default 0.0
        Stop when the gradient's largest entry is at most this.
    X_val, y_val : array_like, optional
        A held-out set for early stopping.
    patience : int, default 0
        Epochs without a lower held-out MSE before stopping (0: no early stopping), at most 10^9.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    IterativeFit
        ``coef``, ``flops``, ``epochs_run``, ``best_epoch``, ``diverged`` and the loss histories.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> y = np.array([1.0, 2.0, 3.1, -0.9])
    >>> simulate.gradient_descent(X, y, step_size=0.5, epochs=200).coef  # the least-squares solution
    array([1.0667, 2.    ])
    """
    _validation.check_backend(backend)
    X, y, step_size, epochs, patience, X_val, y_val = _iterative_args(X, y, step_size, epochs, patience, X_val, y_val)
    tol = _validation.check_real("tol", tol, minimum=0.0)
    _check_history("gradient_descent", X, X_val, epochs)
    if backend == "numpy":
        out = _twin.gradient_descent(X, y, X_val, y_val, step_size, epochs, tol, patience)
    else:
        out = runner.interruptible(_core().gradient_descent, X, y, X_val, y_val, step_size, epochs, tol, patience)
    return _warn_if_diverged(IterativeFit(method="gradient_descent", **out), step_size)


def sgd(
    X: Any,
    y: Any,
    *,
    step_size: float,
    batch_size: int = 1,
    epochs: int = 50,
    X_val: Any = None,
    y_val: Any = None,
    patience: int = 0,
    seed: Any = None,
    rng: Any = None,
    replicate: int = 0,
    start: int = 0,
    backend: str = "cpp",
) -> IterativeFit:
    """Mini-batch SGD from w = 0: each step draws ``batch_size`` rows i uniformly with
    replacement (i = floor(u n), u from stream (seed, replicate) from draw ``start``) and
    sets w <- w - (step_size / B) sum_i x_i (x_i'w - y_i); an epoch is ceil(n / B) steps.

    Parameters
    ----------
    X : array_like
        (n, p) design.
    y : array_like
        (n,) response.
    step_size : float
        The learning rate (> 0).
    batch_size : int, default 1
        Rows per step.
    epochs : int, default 50
        Epochs at most.
    X_val, y_val : array_like, optional
        A held-out set for early stopping.
    patience : int, default 0
        Epochs without a lower held-out MSE before stopping (0: no early stopping), at most 10^9.
    seed : int, optional
        The random streams' seed.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    replicate : int, default 0
        The stream's replicate index.
    start : int, default 0
        The stream's first draw.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    IterativeFit
        ``coef``, ``flops``, ``epochs_run``, ``best_epoch``, ``diverged`` and the loss histories.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> y = np.array([1.0, 2.0, 3.1, -0.9])
    >>> simulate.sgd(X, y, step_size=0.1, epochs=500, seed=1).coef.round(2)  # near least squares (1.07, 2)
    array([1.06, 2.  ])
    """
    _validation.check_backend(backend)
    X, y, step_size, epochs, patience, X_val, y_val = _iterative_args(X, y, step_size, epochs, patience, X_val, y_val)
    batch_size = _validation.check_int("batch_size", batch_size, minimum=1, maximum=X.shape[0])
    seed = _validation.resolve_seed(seed, rng)
    replicate = _validation.check_int("replicate", replicate, minimum=0, maximum=2**64 - 1)
    start = _validation.check_int("start", start, minimum=0, maximum=2**62)
    args = (X, y, X_val, y_val, step_size, batch_size, epochs, patience, seed, replicate, start)
    _check_history("sgd", X, X_val, epochs)
    out = _twin.sgd(*args) if backend == "numpy" else runner.interruptible(_core().sgd, *args)
    return _warn_if_diverged(IterativeFit(method="sgd", **out), step_size)
