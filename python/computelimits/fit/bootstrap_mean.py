"""One-sample bootstrap of a mean with scipy.stats.bootstrap's result: the intercept-only OLS fit
resampled by ``fit.bootstrap_fit`` (pairs), with the BCa acceleration from the leave-one-out means
(Efron and Tibshirani 1993, ch. 14).
"""

from __future__ import annotations

import warnings
from typing import Any, Optional

import numpy as np

from ..exceptions import ConstantResponseWarning
from . import _checks
from .bootstrap import _check_common, bootstrap_fit
from .intervals import confidence_bounds, mean_jackknife, scaled_mean
from .ols import ols
from .results import BootstrapResult, ConfidenceInterval


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
    ``method="studentized"``: bootstrap-t with the resamples' HC3 standard errors.
    Intervals follow scipy.stats.bootstrap's conventions (Efron and Tibshirani 1993).

    Parameters
    ----------
    data : array_like
        (n,) sample, n >= 2.
    statistic : {"mean"}, default "mean"
        The statistic (the mean is the one offered).
    n_resamples : int, default 9999
        B, the number of resamples.
    method : {"percentile", "basic", "bca", "studentized"}, default "bca"
        The interval.
    confidence_level : float, default 0.95
        The interval's coverage probability.
    seed : int, optional
        The random streams' seed; default fresh entropy.
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    BootstrapResult
        Scalar ``estimate``, ``confidence_interval`` (``low, high``), ``standard_error``,
        ``acceleration`` (BCa).

    Examples
    --------
    >>> from computelimits import fit
    >>> mice = [52, 104, 146, 10, 51, 30, 40, 27, 46]  # Efron and Tibshirani (1993), Table 2.1
    >>> result = fit.bootstrap(mice, n_resamples=2000, seed=1)
    >>> low, high = result.confidence_interval
    >>> round(result.estimate, 2), round(low, 1), round(high, 1), round(result.acceleration, 4)
    (56.22, 36.2, 92.1, 0.0659)
    """
    if statistic != "mean":
        raise ValueError(f"statistic must be 'mean', got {statistic!r}")
    values = _checks.as_vector("data", data)
    _checks.check_enough_points("data", len(values), 2)
    n_resamples, level = _check_common(n_resamples, "pairs", method, confidence_level, "rademacher", backend)
    with warnings.catch_warnings():  # the intercept-only fit's R^2 is not reported here
        warnings.simplefilter("ignore", ConstantResponseWarning)
        with _checks.naming("data"):
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
    if method == "studentized":  # the bootstrap-t interval of the mean itself (HC3 standard errors)
        return result.statistic("mean")
    distribution = result.bootstrap_distribution[0]
    estimate = scaled_mean(values)
    jackknife = mean_jackknife(values)[None, :] if method == "bca" else None
    low, high, z0, acceleration = confidence_bounds(
        distribution[None, :], np.array([estimate]), method, level, jackknife, backend, threads
    )

    def scalar(v):
        return None if v is None else float(v[0])

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
