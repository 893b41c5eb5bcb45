"""Bootstrap of OLS fits: coefficients, R^2 and derived statistics, C++ or numpy.

Resample b draws only from the random stream (seed, first_resample + b) (see
``computelimits._random``), so the C++ kernel and its numpy twin see the same
resamples and any thread count gives bit-identical draws. The C++ kernel never
forms a B x n array: each resample's rows are folded into X'WX, X'Wy on the fly
(memory O(n + B)). Before resampling, the regressors and y are centred at their
full-sample means when the model has an intercept (better-conditioned normal
equations); the intercept is mapped back as c0 + mean(y) - mean(x) . beta.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import numpy as np

from .. import _validation, runner
from . import _checks, _numpy_twin
from .intervals import METHODS, confidence_bounds, mean_jackknife, standard_errors
from .ols import OLSResult, ols
from .results import BootstrapResult, ConfidenceInterval

SCHEMES = ("pairs", "residual", "wild", "poisson")
WILD_WEIGHTS = ("rademacher", "mammen")
Derived = Dict[str, Callable[[np.ndarray], np.ndarray]]


def _scheme_code(scheme: str, wild_weights: str) -> int:
    if scheme == "wild":
        return _numpy_twin.SCHEMES["wild_" + wild_weights]
    return _numpy_twin.SCHEMES[scheme]


def _cpp_block(design, response, fitted, residuals, scheme, centred_tss, seed, first, count, threads):
    """(p + 1, count): resamples [first, first + count) on the C++ core (the runner's kernel)."""
    from .. import _core

    return _core.fit.bootstrap_ols(
        design, response, fitted, residuals, scheme, centred_tss, seed, first, count, threads
    )


def _numpy_block(design, response, fitted, residuals, scheme, centred_tss, seed, first, count, threads):
    """The same resamples from the numpy twin (``threads`` unused)."""
    return _numpy_twin.bootstrap_ols(design, response, fitted, residuals, scheme, centred_tss, seed, first, count).T


def _resample_cost(n: int, p: int) -> float:
    """Cost units of one resample: folding n rows into X'WX (n (p^2 + p + 4)) and a Cholesky solve."""
    return n * (p * p + p + 4.0) + p**3


def _footprint(n_resamples: int, n: int, p: int, threads) -> runner.Footprint:
    """Per resample p + 1 doubles of results; once, the centred copy of the data, the core's
    column-major copy and the jackknife (3 n p doubles) and ten n-vectors (response, fitted
    values, residuals, leave-one-out R^2 terms); per thread three n-vectors of weights and
    counts; the numpy twin's resample-by-row weights and indices (5 n values per resample)."""
    return runner.Footprint(
        arguments={"n_resamples": n_resamples, "n (rows)": n, "p": p, "threads": threads},
        result_per_item=8.0 * (p + 1),
        scratch_per_thread=24.0 * n,
        twin_per_item=40.0 * n + 8.0 * p * p,
        fixed=8.0 * n * (3.0 * p + 10.0),
    )


def resample_coefficients(
    fit: OLSResult,
    n_resamples: int,
    scheme: str = "pairs",
    seed: int = 0,
    threads=None,
    backend: str = "cpp",
    wild_weights: str = "rademacher",
    first_resample: int = 0,
    progress: Optional[bool] = None,
    executor: Any = None,
) -> np.ndarray:
    """(p + 1, n_resamples): each coefficient's resampled values (original coordinates), then R^2's.

    Resamples are computed by :func:`computelimits.runner.run` in blocks (local threads or
    ``executor``); resample b depends only on (seed, b), so the blocks change nothing.
    """
    design, response = fit.design, fit.response
    n, p = design.shape
    if fit.intercept:
        centre = design[:, 1:].mean(axis=0)
        response_mean = response.mean()
        design = np.ascontiguousarray(np.column_stack([design[:, 0], design[:, 1:] - centre]))
        response = response - response_mean
    fitted = fit.fittedvalues - (response_mean if fit.intercept else 0.0)
    residuals = fit.resid - fit.resid.mean() if scheme == "residual" else fit.resid
    code = _scheme_code(scheme, wild_weights)
    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        (design, response, fitted, residuals, code, fit.intercept, seed),
        runner.plan_blocks(n_resamples, _resample_cost(n, p), 40.0 * n + 8.0 * p * p, first=first_resample),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description=f"bootstrap ({scheme}, {backend})",
        footprint=_footprint(n_resamples, n, p, threads),
    )
    out = np.ascontiguousarray(runner.concatenate(pieces, axis=1))
    if fit.intercept:
        out[0] += response_mean - centre @ out[1:p]
    return out


def jackknife_coefficients(fit: OLSResult, backend: str = "cpp", threads=None) -> np.ndarray:
    """(n, p) leave-one-out coefficients b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii)."""
    if backend == "numpy":
        return _numpy_twin.ols_jackknife(fit.design, fit.params, fit.cov_unscaled, fit.resid, fit.leverage)
    from .. import _core

    return _core.fit.ols_jackknife(
        fit.design, fit.params, fit.cov_unscaled, fit.resid, fit.leverage, _validation.resolve_threads(threads)
    )


def jackknife_rsquared(fit: OLSResult) -> np.ndarray:
    """Leave-one-out R^2: RSS_(i) = RSS - r_i^2 / (1 - h_ii); TSS_(i) = TSS - n/(n-1) (y_i - ybar)^2
    (centred) or TSS - y_i^2 (uncentred)."""
    y, n = fit.response, fit.nobs
    with np.errstate(divide="ignore", invalid="ignore"):
        rss = fit.ssr - fit.resid**2 / (1.0 - fit.leverage)
        if fit.intercept:
            tss = np.sum((y - y.mean()) ** 2) - n / (n - 1.0) * (y - y.mean()) ** 2
        else:
            tss = np.sum(y**2) - y**2
        return 1.0 - rss / tss


def _check_common(n_resamples, scheme, method, confidence_level, wild_weights, backend):
    _validation.check_backend(backend)
    n_resamples = _validation.check_int("n_resamples", n_resamples, minimum=1, maximum=runner.MAX_REPLICATES)
    _checks.check_choice("scheme", scheme, SCHEMES)
    _checks.check_choice("method", method, METHODS)
    _checks.check_choice("wild_weights", wild_weights, WILD_WEIGHTS)
    level = _validation.check_real("confidence_level", confidence_level, minimum=0.0, maximum=1.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"confidence_level must be < 1, got {level}")
    return n_resamples, level


def bootstrap_fit(
    fit: OLSResult,
    n_resamples: int = 9999,
    scheme: str = "pairs",
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    *,
    rng=None,
    wild_weights: str = "rademacher",
    derived: Optional[Derived] = None,
    include_coefficients: bool = True,
    first_resample: int = 0,
    progress: Optional[bool] = None,
    executor: Any = None,
) -> BootstrapResult:
    """Bootstrap an existing ``OLSResult``; see ``bootstrap_ols``."""
    n_resamples, level = _check_common(n_resamples, scheme, method, confidence_level, wild_weights, backend)
    seed = _validation.resolve_seed(seed, rng)
    first_resample = _validation.check_int("first_resample", first_resample, minimum=0, maximum=2**63)
    derived = dict(derived or {})
    for name, function in derived.items():
        if not callable(function):
            raise TypeError(f"derived[{name!r}] must be callable, got {type(function).__name__}")
    draws = resample_coefficients(
        fit, n_resamples, scheme, seed, threads, backend, wild_weights, first_resample, progress, executor
    )
    p = len(fit.params)
    coefficients = draws[:p].T  # (B, p), the layout derived statistics take
    names, rows, estimates, jack_rows = [], [], [], []
    need_jackknife = method == "bca"
    loo = jackknife_coefficients(fit, backend, threads) if need_jackknife else None
    if include_coefficients:
        names += list(fit.names) + ["rsquared"]
        rows += [draws]
        estimates += [fit.params, [fit.rsquared]]
        if need_jackknife:
            jack_rows += [loo.T, jackknife_rsquared(fit)[None, :]]
    for name, function in derived.items():
        names.append(name)
        with np.errstate(all="ignore"):
            rows.append(np.asarray(function(coefficients), dtype=float).reshape(1, n_resamples))
            estimates.append(np.asarray(function(fit.params[None, :]), dtype=float).reshape(1))
            if need_jackknife:
                jack_rows.append(np.asarray(function(loo), dtype=float).reshape(1, fit.nobs))
    if not names:
        raise ValueError("nothing to bootstrap: include_coefficients=False and no derived statistics")
    distribution = rows[0] if len(rows) == 1 else np.vstack(rows)
    estimate = np.concatenate([np.asarray(e, dtype=float) for e in estimates])
    jackknife = np.vstack(jack_rows) if need_jackknife else None
    low, high, z0, acceleration = confidence_bounds(distribution, estimate, method, level, jackknife, backend, threads)
    standard_error = standard_errors(distribution, backend, threads)
    return BootstrapResult(
        tuple(names),
        estimate,
        ConfidenceInterval(low, high),
        distribution,
        standard_error,
        method,
        scheme,
        level,
        n_resamples,
        seed,
        z0,
        acceleration,
        first_resample,
    )


def bootstrap_ols(
    x: Any,
    y: Any,
    n_resamples: int = 9999,
    scheme: str = "pairs",
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    *,
    rng=None,
    intercept: bool = True,
    wild_weights: str = "rademacher",
    derived: Optional[Derived] = None,
    names=None,
    first_resample: int = 0,
    progress: Optional[bool] = None,
    executor: Any = None,
) -> BootstrapResult:
    """Bootstrap confidence intervals for an OLS fit of y on x (with an intercept by default).

    Statistics: every coefficient (named ``const``, ``x1``, ... or ``names``),
    ``rsquared``, and each ``derived[name](params)`` -- a function of the (m, p)
    coefficient array returning m values (e.g. ``target_log10_compute``).
    Schemes: ``pairs`` (resample rows), ``residual`` (y* = X b + resampled centred
    residuals), ``wild`` (y* = X b + r v, ``wild_weights`` Rademacher or Mammen),
    ``poisson`` (each row weighted by an independent Poisson(1) count).
    Methods ``percentile``, ``basic``, ``bca`` as scipy.stats.bootstrap; the BCa
    jackknife uses the closed-form leave-one-out OLS fits (O(n p^2)).
    ``x`` needs at least 3 finite points and must not be constant.
    Resamples ``first_resample`` .. ``first_resample + n_resamples - 1`` draw from streams
    (seed, b): ranges computed apart join with :meth:`BootstrapResult.concatenate`.
    ``executor``: None (local threads), a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (:mod:`computelimits.runner`); results do not depend on it.
    """
    xs = _checks.as_design("x", x)
    ys = _checks.as_vector("y", y)
    _checks.check_same_length("x", xs, "y", ys)
    _checks.check_enough_points("x", len(ys))
    for column in range(xs.shape[1]):
        _checks.check_not_constant("x" if xs.shape[1] == 1 else f"x column {column}", xs[:, column])
    fit = ols(xs, ys, intercept=intercept, backend=backend, names=names)
    return bootstrap_fit(
        fit,
        n_resamples,
        scheme,
        method,
        confidence_level,
        seed,
        threads,
        backend,
        rng=rng,
        wild_weights=wild_weights,
        derived=derived,
        first_resample=first_resample,
        progress=progress,
        executor=executor,
    )


def bootstrap(
    data: Any,
    statistic: str = "mean",
    n_resamples: int = 9999,
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    *,
    rng=None,
    progress: Optional[bool] = None,
    executor: Any = None,
) -> BootstrapResult:
    """One-sample bootstrap of the mean (the intercept-only OLS fit), scipy-style result.

    The BCa acceleration comes from the leave-one-out means (sum - x_i) / (n - 1);
    for the mouse data [52, 104, 146, 10, 51, 30, 40, 27, 46] it is 0.0658752720662613.
    """
    if statistic != "mean":
        raise ValueError(f"statistic must be 'mean', got {statistic!r}")
    values = _checks.as_vector("data", data)
    _checks.check_enough_points("data", len(values), 2)
    n_resamples, level = _check_common(n_resamples, "pairs", method, confidence_level, "rademacher", backend)
    fit = ols(np.empty((len(values), 0)), values, intercept=True, backend=backend, names=["mean"])
    result = bootstrap_fit(
        fit,
        n_resamples,
        "pairs",
        "percentile" if method == "bca" else method,
        level,
        seed,
        threads,
        backend,
        rng=rng,
        progress=progress,
        executor=executor,
    )
    distribution = result.bootstrap_distribution[0]
    estimate = float(values.mean())
    jackknife = mean_jackknife(values)[None, :] if method == "bca" else None
    low, high, z0, acceleration = confidence_bounds(
        distribution[None, :], np.array([estimate]), method, level, jackknife, backend, threads
    )

    def scalar(values):
        return None if values is None else float(values[0])

    return BootstrapResult(
        ("mean",),
        estimate,
        ConfidenceInterval(float(low[0]), float(high[0])),
        distribution,
        float(result.standard_error[0]),
        method,
        "pairs",
        level,
        n_resamples,
        result.seed,
        scalar(z0),
        scalar(acceleration),
    )
