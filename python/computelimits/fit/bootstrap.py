"""Bootstrap of OLS fits: coefficients, R^2 and derived statistics, C++ or numpy.

Resample b draws only from the random stream (seed, first_resample + b) (see
``computelimits._random``), so the C++ kernel and its numpy twin see the same
resamples and any thread count gives bit-identical draws. The C++ kernel never
forms a B x n array: each resample's rows are folded into X'WX, X'Wy on the fly
(memory O(n + B)). Before resampling, the regressors and y are centred at their
full-sample means when the model has an intercept (better-conditioned normal
equations); the intercept is mapped back as c0 + mean(y) - mean(x) . beta.

Schemes (docs/fit.md): ``pairs``, ``poisson``, ``residual`` and ``wild`` (Davison and
Hinkley 1997, ch. 6), and the leverage-adjusted ``residual_hc2``/``residual_hc3``
(residuals e_i / sqrt(1 - h_i) or e_i / (1 - h_i), recentred; Davidson and MacKinnon 1993
and 2006) and ``wild_hc2``/``wild_hc3`` (the same transformations in the wild
bootstrap; Davidson and Flachaire 2008), the HC2/HC3 corrections of MacKinnon and White (1985).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional

import numpy as np

from .. import _validation, runner
from . import _checks, _studentize
from ._bootstrap_resamples import (  # noqa: F401  (re-exported: fit.bootstrap.kernel_scheme and the rest keep working)
    kernel_scheme,
    resample_coefficients,
    resampled_residuals,
)
from .intervals import (
    METHODS,
    confidence_bounds,
    standard_errors,
    studentized_bounds,
    warn_out_of_range,
)
from .jackknife import _leave_one_out, jackknife_rsquared
from .ols import OLSResult, ols
from .results import BootstrapResult, ConfidenceInterval

#: The bootstrap schemes users choose from (one registry; the kernel's mechanisms are
#: ``_numpy_twin.KERNEL_SCHEMES``).
SCHEMES = ("pairs", "residual", "residual_hc2", "residual_hc3", "wild", "wild_hc2", "wild_hc3", "poisson")
WILD_WEIGHTS = ("rademacher", "mammen")
Derived = Dict[str, Callable[[np.ndarray], np.ndarray]]


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
    """Bootstrap an existing ``OLSResult``: intervals for its coefficients, R^2 and derived statistics.

    The statistics, schemes and methods of ``bootstrap_ols`` (which fits, then calls this).
    ``derived[name](params)`` maps the (m, p) resampled coefficients to m values (e.g.
    ``target_log10_compute``); ``include_coefficients=False`` reports only those.

    Parameters
    ----------
    fit : OLSResult
        The fit to resample.
    n_resamples : int, default 9999
        B, the number of resamples.
    scheme : str, default "pairs"
        "pairs", "residual", "wild", "poisson", "residual_hc2", "residual_hc3", "wild_hc2"
        or "wild_hc3".
    method : {"percentile", "basic", "bca", "studentized"}, default "bca"
        The interval.
    confidence_level : float, default 0.95
        The intervals' coverage probability.
    seed : int, optional
        Resample b draws from the stream (seed, first_resample + b); default fresh entropy.
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    wild_weights : {"rademacher", "mammen"}, default "rademacher"
        The wild bootstrap's weights.
    derived : dict of str to callable, optional
        Extra statistics of the coefficients.
    include_coefficients : bool, default True
        Report the coefficients and R^2 as well as ``derived``.
    first_resample : int, default 0
        The index of the first resample's stream (blocks of one bootstrap join up).
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    BootstrapResult
        scipy.stats.bootstrap's fields: ``confidence_interval`` (``low, high``),
        ``bootstrap_distribution``, ``standard_error``; and ``estimate`` and ``names``.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> x = np.arange(10.0)
    >>> y = 1.0 + 0.5 * x + np.array([0.1, -0.1, 0.05, 0, -0.05, 0.1, -0.1, 0, 0.05, -0.05])
    >>> x_at_3 = lambda params: (3.0 - params[:, 0]) / params[:, 1]  # where the line reaches y = 3
    >>> result = fit.bootstrap_fit(
    ...     fit.ols(x, y), 2000, method="percentile", seed=1, derived={"x_at_3": x_at_3}, include_coefficients=False
    ... )
    >>> result.names, result.estimate.round(4)
    (('x_at_3',), array([3.9957]))
    >>> low, high = result.confidence_interval
    >>> low.round(3), high.round(3)
    (array([3.903]), array([4.098]))
    """
    n_resamples, level = _check_common(n_resamples, scheme, method, confidence_level, wild_weights, backend)
    seed = _validation.resolve_seed(seed, rng)
    first_resample = _validation.check_int("first_resample", first_resample, minimum=0, maximum=2**63)
    derived = dict(derived or {})
    for name, function in derived.items():
        if not callable(function):
            raise TypeError(f"derived[{name!r}] must be callable, got {type(function).__name__}")
    studentized = method == "studentized"
    kind = _studentize.SCHEME_COVARIANCE[scheme] if studentized else "none"
    draws = resample_coefficients(
        fit, n_resamples, scheme, seed, threads, backend, wild_weights, first_resample, progress, kind, executor
    )
    p = len(fit.params)
    coefficients = draws[:p].T  # (B, p), the layout derived statistics take
    names, rows, estimates, jack_rows = [], [], [], []
    need_jackknife = method == "bca"
    loo = _leave_one_out(fit, backend, threads) if need_jackknife else None  # NaN rows: DegenerateDataWarning
    if include_coefficients:
        names += list(fit.names) + ["rsquared"]
        rows += [draws[: p + 1]]
        estimates += [fit.params, [fit.rsquared]]
        if loo is not None:
            jack_rows += [loo.T, jackknife_rsquared(fit)[None, :]]
    for name, function in derived.items():
        names.append(name)
        with np.errstate(all="ignore"):
            rows.append(np.asarray(function(coefficients), dtype=float).reshape(1, n_resamples))
            estimates.append(np.asarray(function(fit.params[None, :]), dtype=float).reshape(1))
            if loo is not None:
                jack_rows.append(np.asarray(function(loo), dtype=float).reshape(1, fit.nobs))
    if not names:
        raise ValueError("nothing to bootstrap: include_coefficients=False and no derived statistics")
    distribution = rows[0] if len(rows) == 1 else np.vstack(rows)
    estimate = np.concatenate([np.asarray(e, dtype=float) for e in estimates])
    z0 = acceleration = interval_methods = None
    if studentized:
        # rows with a standard error get bootstrap-t bounds; R^2 (no standard error) the percentile ones
        with_se = np.array([name != "rsquared" or not include_coefficients for name in names])
        if include_coefficients:
            with_se[: p + 1] = np.arange(p + 1) < p
        t_rows, se = _studentize.studentized_rows(fit, draws, derived, include_coefficients, kind)
        low, high = np.empty(len(names)), np.empty(len(names))
        low[with_se], high[with_se] = studentized_bounds(t_rows, estimate[with_se], se, level, backend, threads)
        if not np.all(with_se):
            rest = ~with_se
            low[rest], high[rest], _, _ = confidence_bounds(
                distribution[rest], estimate[rest], "percentile", level, None, backend, threads
            )
        interval_methods = tuple("studentized" if flag else "percentile" for flag in with_se)
    else:
        jackknife = np.vstack(jack_rows) if need_jackknife else None
        low, high, z0, acceleration = confidence_bounds(
            distribution, estimate, method, level, jackknife, backend, threads
        )
    warn_out_of_range(distribution)
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
        interval_methods,
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
    ``poisson`` (each row weighted by an independent Poisson(1) count), and the
    leverage-adjusted ``residual_hc2``/``residual_hc3``/``wild_hc2``/``wild_hc3``
    (residuals divided by sqrt(1 - h_i) or 1 - h_i; MacKinnon and White 1985,
    Davidson and MacKinnon 2006).
    Methods ``percentile``, ``basic``, ``bca`` as scipy.stats.bootstrap (the BCa
    jackknife uses the closed-form leave-one-out OLS fits, O(n p^2)), and
    ``studentized`` (bootstrap-t, Efron and Tibshirani 1993, sec. 12.5): each resample's
    standard errors come from the kernel (HC3 for pairs, Poisson and wild, classical for
    the residual schemes), derived statistics' by the delta method; R^2, which has no
    standard error here, gets the percentile interval (``interval_methods`` says which).
    Percentile and BCa intervals undercover in small samples (about 0.92 for a 95%
    slope interval at n = 25); the studentized ones come close to nominal (docs/fit.md).
    ``x`` needs at least 3 finite points and must not be constant.
    Resamples ``first_resample`` .. ``first_resample + n_resamples - 1`` draw from streams
    (seed, b): ranges computed apart join with :meth:`BootstrapResult.concatenate`.
    ``executor``: None (local threads), a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (:mod:`computelimits.runner`); results do not depend on it.

    Parameters
    ----------
    x : array_like
        (n,) or (n, k) regressors, without the constant column.
    y : array_like
        (n,) response.
    n_resamples : int, default 9999
        B, the number of resamples.
    scheme : str, default "pairs"
        "pairs", "residual", "wild", "poisson", "residual_hc2", "residual_hc3", "wild_hc2"
        or "wild_hc3".
    method : {"percentile", "basic", "bca", "studentized"}, default "bca"
        The interval.
    confidence_level : float, default 0.95
        The intervals' coverage probability.
    seed : int, optional
        Resample b draws from the stream (seed, first_resample + b); default fresh entropy.
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    intercept : bool, default True
        Fit a constant.
    wild_weights : {"rademacher", "mammen"}, default "rademacher"
        The wild bootstrap's weights.
    derived : dict of str to callable, optional
        Extra statistics of the coefficients.
    names : sequence of str, optional
        Coefficient names.
    first_resample : int, default 0
        The index of the first resample's stream (blocks of one bootstrap join up).
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    BootstrapResult
        ``confidence_interval`` (``low, high``, arrays over ``names``), ``estimate``,
        ``bootstrap_distribution`` (k, B), ``standard_error``.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> x = np.arange(10.0)
    >>> y = 1.0 + 0.5 * x + np.array([0.1, -0.1, 0.05, 0, -0.05, 0.1, -0.1, 0, 0.05, -0.05])
    >>> result = fit.bootstrap_ols(x, y, n_resamples=2000, seed=1)
    >>> result.names
    ('const', 'x1', 'rsquared')
    >>> low, high = result.confidence_interval
    >>> low.round(3), high.round(3)
    (array([0.904, 0.481, 0.992]), array([1.092, 0.515, 0.999]))
    """
    xs = _checks.as_design("x", x)
    ys = _checks.as_vector("y", y)
    _checks.check_same_length("x", xs, "y", ys)
    _checks.check_enough_points("x", len(ys))
    for column in range(xs.shape[1]):
        _checks.check_not_constant("x" if xs.shape[1] == 1 else f"x column {column}", xs[:, column])
    with _checks.naming("x and y"):
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
