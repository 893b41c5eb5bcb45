"""Least-squares estimators that return their estimate and the FLOPs they spent.

Each function takes ``backend="cpp"`` (the compiled core) or ``"numpy"`` (its twin in
``_twin.py``). FLOPs count the algorithm operation by operation (one multiply, add,
divide or square root = 1 FLOP); the per-operation rules are in ``docs/simulate.md``:
Gram X'X = n p (p + 1), Cholesky m^3/3 + m^2/2 + m/6, triangular solve m^2,
Householder QR 2 n p^2 - 2 p^3 / 3, symmetric eigendecomposition 9 m^3
(Golub and Van Loan, Matrix Computations), inner product of length m = 2m.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any, Optional

import numpy as np

from .. import _memory, _validation, runner
from ..exceptions import ConvergenceWarning
from . import _twin
from ._common import check_finite_array, frame_from
from ._results import ResultBase

__all__ = [
    "LinearFit",
    "PathFit",
    "lasso_alpha_max",
    "lasso_path",
    "min_norm",
    "ols",
    "ridge_path",
]


@dataclasses.dataclass(frozen=True, repr=False)
class LinearFit(ResultBase):
    """An estimate ``coef`` (length p) and the FLOPs spent computing it."""

    coef: np.ndarray
    flops: float
    method: str

    def to_frame(self):
        return frame_from({"feature": np.arange(self.coef.size), "coef": self.coef})


@dataclasses.dataclass(frozen=True, repr=False)
class PathFit(ResultBase):
    """Estimates along a penalty path: ``coef[l]`` for ``penalty[l]``; ``flops[l]`` is cumulative.

    ``converged[l]`` is False where the lasso stopped at ``max_sweeps`` with its KKT residual
    still above ``tol`` (a ``ConvergenceWarning`` says so); ridge is closed-form (always True).
    """

    penalty: np.ndarray
    coef: np.ndarray
    flops: np.ndarray
    kkt_residual: np.ndarray
    sweeps: np.ndarray
    method: str
    converged: np.ndarray

    def to_frame(self):
        return frame_from(
            {
                "penalty": self.penalty,
                "flops": self.flops,
                "kkt_residual": self.kkt_residual,
                "sweeps": self.sweeps,
                "converged": self.converged,
                "nonzero": np.count_nonzero(self.coef, axis=1),
            }
        )


def _data(X: Any, y: Any, *, min_rows: int = 2) -> tuple:
    X = check_finite_array("X", X, ndim=2)
    y = check_finite_array("y", y, ndim=1)
    if X.shape[0] != y.size:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.size} values")
    if X.shape[0] < min_rows:
        raise ValueError(f"X must have at least {min_rows} rows (n >= {min_rows}), got n={X.shape[0]}")
    if X.shape[1] < 1:
        raise ValueError(f"X must have at least one column (p >= 1), got p={X.shape[1]}")
    return X, y


def _core():
    from .. import _core as core

    return core.simulate


def _check_memory(what: str, doubles: float, arguments: dict) -> None:
    """MemoryError before the call when its working set (``doubles`` float64 values) does not fit."""
    _memory.check_memory(what, 8.0 * doubles, arguments)


def ols(X: Any, y: Any, *, method: str = "qr", backend: str = "cpp") -> LinearFit:
    """Ordinary least squares argmin ||y - X b||^2 (n >= p, full column rank).

    ``method="qr"``: the package's one least-squares routine (shared with ``fit.ols``):
    power-of-two equilibration, column-pivoted Householder QR and four steps of Björck's
    refinement with double-double defects (docs/fit.md); ``"cholesky"``: Cholesky of X'X.

    Parameters
    ----------
    X : array_like
        (n, p) design, n >= p, full column rank.
    y : array_like
        (n,) response.
    method : {"qr", "cholesky"}, default "qr"
        The solver.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    LinearFit
        ``coef`` and the ``flops`` the solve counted.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> y = np.array([1.0, 2.0, 3.1, -0.9])
    >>> simulate.ols(X, y).coef
    array([1.0667, 2.    ])
    """
    _validation.check_backend(backend)
    X, y = _data(X, y)
    if method not in ("qr", "cholesky"):
        raise ValueError(f"method must be 'qr' or 'cholesky', got {method!r}")
    if X.shape[0] < X.shape[1]:
        raise ValueError(f"ols needs n >= p, got n={X.shape[0]} < p={X.shape[1]}; use min_norm")
    try:
        if backend == "numpy":
            coef, flops = (_twin.ols_qr if method == "qr" else _twin.ols_cholesky)(X, y)
        else:
            coef, flops = (_core().ols_qr if method == "qr" else _core().ols_cholesky)(X, y)
    except (ValueError, OverflowError) as error:  # the core speaks of "the design"
        message = str(error)
        raise type(error)(message if message.startswith("X") else f"X: {message}") from None
    return LinearFit(coef, float(flops), f"ols_{method}")


def min_norm(X: Any, y: Any, *, backend: str = "cpp") -> LinearFit:
    """Minimum-norm interpolator pinv(X) y = X'(X X')^{-1} y for p >= n (Cholesky of X X').

    Parameters
    ----------
    X : array_like
        (n, p) design, p >= n, full row rank.
    y : array_like
        (n,) response.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    LinearFit
        ``coef`` (the interpolator of least norm) and the ``flops`` counted.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    >>> fit = simulate.min_norm(X, np.array([1.0, 2.0]))
    >>> fit.coef.round(6) + 0.0, X @ fit.coef  # interpolates y
    (array([0., 1., 1.]), array([1., 2.]))
    """
    _validation.check_backend(backend)
    X, y = _data(X, y)
    if X.shape[1] < X.shape[0]:
        raise ValueError(f"min_norm needs p >= n, got p={X.shape[1]} < n={X.shape[0]}; use ols")
    coef, flops = _twin.min_norm(X, y) if backend == "numpy" else _core().min_norm(X, y)
    return LinearFit(coef, float(flops), "min_norm")


def _penalties(name: str, values: Any) -> np.ndarray:
    array = check_finite_array(name, np.atleast_1d(_validation.real_array(name, values)), ndim=1)
    if array.size == 0 or np.any(array < 0):
        raise ValueError(f"{name} must be a non-empty sequence of values >= 0, got {values!r}")
    return array


def ridge_path(X: Any, y: Any, lambdas: Any, *, backend: str = "cpp") -> PathFit:
    """Ridge b(lambda) = (X'X + n lambda I)^{-1} X'y along ``lambdas`` from one eigendecomposition.

    Uses X'X = V diag(s) V' when p <= n (b = V diag(1/(s + n lambda)) V'X'y) and
    X X' = U diag(s) U' when p > n (b = X'U diag(1/(s + n lambda)) U'y); lambda = 0
    gives pinv(X) y (eigenvalues below 1e-13 m max(s) are treated as zero).

    Parameters
    ----------
    X : array_like
        (n, p) design.
    y : array_like
        (n,) response.
    lambdas : array_like
        Penalties lambda >= 0.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    PathFit
        ``coef`` [lambda, feature] and the ``flops`` per lambda.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> y = np.array([1.0, 2.0, 3.1, -0.9])
    >>> simulate.ridge_path(X, y, [0.0, 1.0]).coef  # lambda = 0 is least squares
    array([[1.0667, 2.    ],
           [0.4571, 0.8571]])
    """
    _validation.check_backend(backend)
    X, y = _data(X, y)
    lambdas = _penalties("lambdas", lambdas)
    n, p = X.shape
    m = min(n, p)
    _check_memory("ridge_path", 4.0 * m * m + 2.0 * p * (lambdas.size + m), {"n": n, "p": p, "lambdas": lambdas.size})
    if backend == "numpy":
        coef, flops = _twin.ridge_path(X, y, lambdas)
    else:
        coef, flops = _core().ridge_path(X, y, lambdas)
        coef = np.ascontiguousarray(coef.T)
    zeros = np.zeros(lambdas.size)
    return PathFit(lambdas, coef, flops, zeros, zeros.copy(), "ridge", converged=np.ones(lambdas.size, dtype=bool))


def lasso_alpha_max(X: Any, y: Any) -> float:
    """Smallest alpha with an all-zero lasso solution: ||X'y||_inf / n.

    The lasso's optimality condition at w = 0, max_j |x_j'y| / n <= alpha (scikit-learn's objective).

    Parameters
    ----------
    X : array_like
        (n, p) design.
    y : array_like
        (n,) response.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> simulate.estimators.lasso_alpha_max(X, np.array([1.0, 2.0, 3.1, -0.9]))  # max(|3.2|, |6|) / 4
    1.5
    """
    X, y = _data(X, y)
    # X'y in units of 2^(ex + ey) (the largest entries' binary exponents), so sums near float64's limit
    # neither overflow nor cancel to NaN; the result is exact up to rounding and refused if it does not fit
    ex, ey = (int(np.frexp(np.max(np.abs(a)))[1]) if a.size and np.any(a) else 0 for a in (X, y))
    scaled = np.max(np.abs(np.ldexp(X, -ex).T @ np.ldexp(y, -ey))) / X.shape[0]
    with np.errstate(over="ignore"):
        alpha_max = float(np.ldexp(scaled, ex + ey))
    if not np.isfinite(alpha_max):
        raise OverflowError("X and y: alpha_max = max|X'y| / n overflows float64; rescale X and y")
    return alpha_max


def lasso_path(
    X: Any,
    y: Any,
    alphas: Optional[Any] = None,
    *,
    n_alphas: int = 20,
    eps: float = 1e-3,
    tol: float = 1e-10,
    max_sweeps: int = 100_000,
    backend: str = "cpp",
) -> PathFit:
    """Lasso along ``alphas`` by active-set coordinate descent with warm starts.

    Objective (scikit-learn's): (1/2n)||y - X w||^2 + alpha ||w||_1. Each alpha is
    solved until the KKT residual max_j |g_j - alpha sign(w_j)| (w_j != 0) or
    max(|g_j| - alpha, 0) (w_j = 0), g = X'(y - Xw)/n, is <= ``tol``; ``kkt_residual``
    reports it; an alpha still above ``tol`` after ``max_sweeps`` sweeps is recorded in
    ``converged`` and reported by a ``ConvergenceWarning``. Default alphas: ``n_alphas``
    geometric values from alpha_max = ||X'y||_inf / n down to eps * alpha_max.

    Parameters
    ----------
    X : array_like
        (n, p) design.
    y : array_like
        (n,) response.
    alphas : array_like, optional
        Penalties alpha >= 0, solved in the order given (warm starts).
    n_alphas : int, default 20
        The number of default alphas.
    eps : float, default 1e-3
        The smallest default alpha over alpha_max.
    tol : float, default 1e-10
        The KKT residual at which a fit stops.
    max_sweeps : int, default 100000
        Coordinate sweeps allowed per alpha.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    PathFit
        ``coef`` [alpha, feature], ``flops``, ``kkt_residual``, ``sweeps`` and ``converged`` per alpha.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    >>> y = np.array([1.0, 2.0, 3.1, -0.9])
    >>> path = simulate.lasso_path(X, y, [0.5, 0.1])
    >>> path.coef, path.converged
    (array([[0.4   , 1.3333],
           [0.9333, 1.8667]]), array([ True,  True]))
    """
    _validation.check_backend(backend)
    X, y = _data(X, y)
    tol = _validation.check_real("tol", tol, minimum=0.0, strict_minimum=True)
    max_sweeps = _validation.check_int("max_sweeps", max_sweeps, minimum=1)
    if alphas is None:
        n_alphas = _validation.check_int("n_alphas", n_alphas, minimum=1)
        eps = _validation.check_real("eps", eps, minimum=0.0, maximum=1.0, strict_minimum=True)
        top = lasso_alpha_max(X, y)
        alphas = top * np.geomspace(1.0, eps, n_alphas) if top > 0 else np.zeros(1)
    alphas = _penalties("alphas", alphas)
    n, p = X.shape
    _check_memory("lasso_path", 2.0 * p * p + 2.0 * p * alphas.size + n + 8.0 * p, {"p": p, "alphas": alphas.size})
    if backend == "numpy":
        coef, flops, kkt, sweeps = _twin.lasso_path(X, y, alphas, tol, max_sweeps)
    else:
        coef, flops, kkt, sweeps = runner.interruptible(_core().lasso_path, X, y, alphas, tol, max_sweeps)
        coef = np.ascontiguousarray(coef.T)
    converged = kkt <= tol
    if not np.all(converged):
        warnings.warn(
            ConvergenceWarning(
                f"lasso_path did not converge for {int(np.sum(~converged))} of {converged.size} alphas: KKT residual "
                f"up to {np.max(kkt):.3g} > tol={tol:g} after max_sweeps={max_sweeps} sweeps (see "
                "PathFit.converged and kkt_residual); raise max_sweeps or tol"
            ),
            stacklevel=2,
        )
    return PathFit(alphas, coef, flops, kkt, sweeps, "lasso", converged=converged)
