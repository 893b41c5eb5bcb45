"""Double descent at fixed n: the min-norm least-squares estimate and ridge as p sweeps.

Replicate r draws X (n x max p) and e from stream (seed, r); each p uses the first p
columns, beta_p = sqrt(signal / p) (1, ..., 1) (so ||beta||^2 = signal) and
y = X_p beta_p + sigma e. Estimates: pinv(X_p) y (OLS for p < n, X'(X X')^{-1} y for
p > n) and ridge (X'X + n lambda I)^{-1} X'y with lambda defaulting to the optimal
lambda* = sigma^2 (p/n) / signal. Excess risk ||b - beta||^2, test MSE = excess + sigma^2.
Closed forms alongside (``closed_forms``): Belkin-Hsu-Xu finite-sample expectation,
Hastie et al. proportional limits for min-norm and ridge.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Optional

import numpy as np

from .. import _random, _validation, runner
from .._confidence import check_confidence_level
from .._deprecation import renamed_keywords
from . import _twin, closed_forms
from ._common import (
    as_int_list,
    check_finite_result,
    check_scale,
    check_sizes,
    frame_from,
    replicate_args,
)
from ._results import ReplicateSummary


@dataclasses.dataclass(frozen=True, repr=False)
class DoubleDescentResult(ReplicateSummary):
    """Per-replicate excess risks [replicate, p index] for min-norm and ridge, with summaries.

    Attributes: ``n``, ``p``, ``ridge_lambda`` (per p), ``min_norm_excess``, ``ridge_excess``,
    ``signal``, ``sigma``, ``seed``, ``first_replicate``, ``confidence_level``; ``settings``
    (n, signal, sigma); properties ``excess_risk_mean/_se/_exact/_limit``,
    ``ridge_excess_risk_mean/_se/_limit``. Means, standard errors, intervals and
    ``concatenate`` come from ``ReplicateSummary``.
    """

    PER_REPLICATE = ("min_norm_excess", "ridge_excess")

    n: int
    p: np.ndarray
    ridge_lambda: np.ndarray
    min_norm_excess: np.ndarray
    ridge_excess: np.ndarray
    signal: float
    sigma: float
    seed: int
    first_replicate: int
    confidence_level: float

    @property
    def settings(self) -> dict:
        """The sweep's inputs besides the p grid: n, signal and sigma."""
        return {"n": self.n, "signal": self.signal, "sigma": self.sigma}

    @property
    def gamma(self) -> np.ndarray:
        return self.p / self.n

    @property
    def excess_risk_mean(self):
        return self.mean("min_norm_excess")

    @property
    def excess_risk_se(self):
        return self.standard_error("min_norm_excess")

    @property
    def excess_risk_exact(self):
        """Belkin-Hsu-Xu E||pinv(X) y - beta||^2 (inf for |p - n| <= 1)."""
        return closed_forms.min_norm_risk(self.n, self.p, self.signal, self.sigma)

    @property
    def excess_risk_limit(self):
        return closed_forms.min_norm_risk_limit(self.gamma, self.signal, self.sigma)

    @property
    def ridge_excess_risk_mean(self):
        return self.mean("ridge_excess")

    @property
    def ridge_excess_risk_se(self):
        return self.standard_error("ridge_excess")

    @property
    def ridge_excess_risk_limit(self):
        return closed_forms.ridge_risk_limit(self.gamma, self.ridge_lambda, self.signal, self.sigma)

    def to_frame(self):
        """One row per p: excess risk and test MSE (mean, SE, CI) beside their closed forms."""
        mean, se = self.excess_risk_mean, self.excess_risk_se
        low, high = self.confidence_interval("min_norm_excess")
        ridge_mean, ridge_se = self.ridge_excess_risk_mean, self.ridge_excess_risk_se
        noise = self.sigma**2
        return frame_from(
            {
                "p": self.p,
                "gamma": self.gamma,
                "excess_risk_mean": mean,
                "excess_risk_se": se,
                "excess_risk_ci_low": low,
                "excess_risk_ci_high": high,
                "excess_risk_exact": self.excess_risk_exact,
                "excess_risk_limit": self.excess_risk_limit,
                "test_mse_mean": mean + noise,
                "test_mse_se": se,
                "test_mse_exact": self.excess_risk_exact + noise,
                "ridge_lambda": self.ridge_lambda,
                "ridge_excess_risk_mean": ridge_mean,
                "ridge_excess_risk_se": ridge_se,
                "ridge_excess_risk_limit": self.ridge_excess_risk_limit,
                "ridge_test_mse_mean": ridge_mean + noise,
            }
        )


def _replicate_numpy(n, p_values, lambdas, signal, sigma, seed, replicate):
    width = int(max(p_values))
    z = _random.normal_matrix(seed, replicate, 1, 0, n * width + n)[0]
    X, noise = z[: n * width].reshape(n, width), z[n * width :]
    mn, ridge = np.empty(len(p_values)), np.empty(len(p_values))
    for i, (p, lam) in enumerate(zip(p_values, lambdas)):
        features = X[:, :p]
        level = math.sqrt(signal / p)
        y = level * features.sum(axis=1) + sigma * noise
        if p <= n:
            gram, c = features.T @ features, features.T @ y
            least = _twin._cholesky_solve(gram, c, "double_descent: X'X (keep p away from n)")
            rid = _twin._cholesky_solve(gram + n * lam * np.eye(p), c, "double_descent: X'X + n lambda I")
        else:
            kernel = features @ features.T
            least = features.T @ _twin._cholesky_solve(kernel, y, "double_descent: X X' (keep p away from n)")
            rid = features.T @ _twin._cholesky_solve(
                kernel + n * lam * np.eye(n), y, "double_descent: X X' + n lambda I"
            )
        mn[i] = np.sum((least - level) ** 2)
        ridge[i] = np.sum((rid - level) ** 2)
    return mn, ridge


def _cpp_block(n, p_values, lambdas, signal, sigma, seed, first, count, threads):
    """Replicates [first, first + count) on the C++ core (the runner's kernel)."""
    from .. import _core

    return _core.simulate.double_descent(n, p_values, lambdas, signal, sigma, seed, first, count, threads)


def _numpy_block(n, p_values, lambdas, signal, sigma, seed, first, count, threads):
    """The same replicates from the numpy twin, one after another (``threads`` unused)."""
    parts = [_replicate_numpy(n, p_values, lambdas, signal, sigma, seed, first + r) for r in range(count)]
    return np.stack([q[0] for q in parts]), np.stack([q[1] for q in parts])


def _replicate_cost(n: int, p_values) -> float:
    """Cost units of one replicate: normals (~30 per draw), the Gram of the widest p <= n
    (n w^2), two Cholesky solves per p (2 min(n, p)^3 / 3) and the kernel X X' (n^2 max p)."""
    widest = max([p for p in p_values if p <= n], default=0)
    largest = max(p_values)
    solves = sum(2.0 * min(n, p) ** 3 / 3.0 + 2.0 * n * p for p in p_values)
    return 30.0 * n * largest + n * widest**2 + (n * n * largest if largest > n else 0.0) + solves


def _footprint(reps, n, p_values, threads) -> runner.Footprint:
    """Per replicate 2 doubles per p; per thread the design (n max p), the Gram of the widest
    p <= n and its copies (3 w^2) and the kernel X X' with its copies (4 n^2)."""
    widest = max([p for p in p_values if p <= n], default=0)
    largest = max(p_values)
    return runner.Footprint(
        arguments={"reps": reps, "n": n, "max(p)": largest, "threads": threads},
        result_per_item=16.0 * len(p_values),
        scratch_per_thread=8.0 * (n * largest + 3.0 * widest**2 + 4.0 * n * n + 4.0 * n + 4.0 * largest),
    )


@renamed_keywords(confidence="confidence_level")
def double_descent(
    n: int,
    p: Any,
    reps: int,
    *,
    seed: Any = None,
    rng: Any = None,
    sigma: float = 1.0,
    signal: float = 1.0,
    ridge_lambda: Optional[Any] = None,
    first_replicate: int = 0,
    threads: Any = None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    confidence_level: float = 0.95,
    executor: Any = None,
) -> DoubleDescentResult:
    """Sweep the feature count ``p`` (an int or array) at fixed ``n`` (see the module docstring).

    ``ridge_lambda``: a scalar or one value per p (>= 0); default lambda* = sigma^2 (p/n) / signal.
    p values with |p - n| <= 1 are rejected (the min-norm risk is infinite there), as are
    ``sigma`` or ``signal`` above 1e100 (squared errors could overflow float64; an excess risk
    that still overflows raises OverflowError naming both).
    ``executor``: None (local threads), a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (:mod:`computelimits.runner`); results do not depend on it.

    Parameters
    ----------
    n : int
        Training examples.
    p : int or sequence of int
        Feature counts (|p - n| >= 2).
    reps : int
        Replicates.
    seed : int, optional
        Replicate r draws from the stream (seed, r); default fresh entropy.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    sigma : float, default 1.0
        Noise standard deviation.
    signal : float, default 1.0
        ||beta||^2.
    ridge_lambda : float or sequence of float, optional
        Ridge penalties (default lambda* per p).
    first_replicate : int, default 0
        The first replicate's index (ranges computed apart join with ``concatenate``).
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    confidence_level : float, default 0.95
        The level of the normal intervals over replicates (``confidence`` is its deprecated name).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    DoubleDescentResult
        Per-replicate excess risks [replicate, p] of min-norm and ridge, their means and
        intervals beside the closed forms (``to_frame()``).

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import simulate
    >>> result = simulate.double_descent(40, [10, 20, 80], 200, seed=1)
    >>> result.excess_risk_mean.round(2), np.round(result.excess_risk_exact, 2)  # Belkin, Hsu and Xu's expectation
    (array([0.33, 1.02, 1.55]), array([0.34, 1.05, 1.53]))
    """
    reps, first_replicate, seed, threads, backend = replicate_args(reps, first_replicate, seed, rng, threads, backend)
    n = _validation.check_int("n", n, minimum=2, maximum=2**31)
    p = check_sizes("p", p, minimum=1, increasing=False, maximum=2**31)
    near = p[np.abs(p - n) <= 1]
    if near.size:
        raise ValueError(f"p must differ from n={n} by at least 2 (infinite min-norm risk), got p={int(near[0])}")
    sigma = check_scale("sigma", _validation.check_real("sigma", sigma, minimum=0.0))
    signal = check_scale("signal", _validation.check_real("signal", signal, minimum=0.0, strict_minimum=True))
    if ridge_lambda is None:
        lambdas = closed_forms.optimal_ridge_lambda(p / n, signal, sigma)
    else:
        given = _validation.real_array("ridge_lambda", ridge_lambda)
        if given.ndim > 1 or given.size not in (1, p.size):
            raise ValueError(f"ridge_lambda must be a scalar or one value per p ({p.size}), got shape {given.shape}")
        lambdas = np.broadcast_to(given.reshape(-1), p.shape).copy()
        if not np.all(np.isfinite(lambdas)) or np.any(lambdas < 0):
            raise ValueError(f"ridge_lambda must be finite and >= 0, got {ridge_lambda!r}")
    if n * int(p.max()) > 2**31:
        raise ValueError(f"n * max(p) must be <= 2^31, got {n} * {int(p.max())}")
    # the result's ridge_excess_risk_limit: a lambda too small for float64's m(z) raises its OverflowError
    # (naming ridge_lambda) here, before the simulation, not later from the result's to_frame()
    closed_forms.ridge_risk_limit(p / n, lambdas, signal, sigma)
    confidence_level = check_confidence_level(confidence_level)
    p_list, lambda_list = as_int_list(p), [float(v) for v in lambdas]

    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        (n, p_list, lambda_list, signal, sigma, seed),
        runner.plan_blocks(reps, _replicate_cost(n, p_list), first=first_replicate),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description="double_descent",
        footprint=_footprint(reps, n, p_list, threads),
    )
    min_norm_excess = runner.concatenate([q[0] for q in pieces])
    ridge_excess = runner.concatenate([q[1] for q in pieces])
    check_finite_result(min_norm_excess, "the min-norm excess risk", sigma=sigma, signal=signal)
    check_finite_result(ridge_excess, "the ridge excess risk", sigma=sigma, signal=signal)
    return DoubleDescentResult(
        n, p, lambdas, min_norm_excess, ridge_excess, signal, sigma, seed, first_replicate, confidence_level
    )
