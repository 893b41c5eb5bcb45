"""Compute trends: log2(compute) against publication date gives a doubling time.

Model (Sevilla et al. 2022, "Compute Trends Across Three Eras of Machine
Learning"; Amodei and Hernandez 2018): log2(C) = a + b t with t in decimal
years, so compute doubles every 12 / b months. With ``breakpoints`` the dates
are cut into eras [-inf, t1), [t1, t2), ..., [tk, inf) and each era gets its own
independent fit (segments are not forced to join); ``estimate_break=True``
finds one break date by least squares instead (``regimes``). Per era: the
bootstrap interval of 12 / b, the analytic interval (the t interval of b mapped
through 12 / b, i.e. Fieller's set for a constant over b: bounded, or two-sided
infinite when b's interval holds zero) and a status (wrong sign when b <= 0,
slope not significant when b's t interval includes zero). Per break: Chow's F test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Optional, Tuple

import numpy as np

from .. import _validation, runner
from ..status import Status
from . import _checks
from ._trend_result import EraTrend, TrendResult
from .bootstrap import bootstrap_fit
from .fieller import constant_over_slope_interval
from .ols import ols
from .regimes import chow_test, estimate_break
from .status_rules import slope_status


def decimal_year(dates: Any) -> np.ndarray:
    """Dates as decimal years: year + elapsed fraction of that year. Numbers pass through.

    Parameters
    ----------
    dates : array_like
        Datetimes, date strings, or numbers (decimal years already).

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> from computelimits import fit
    >>> fit.decimal_year(["2020-01-01", "2020-07-02"])  # 2020 is a leap year: July 2 is day 183 of 366
    array([2020. , 2020.5])
    """
    values = np.asarray(dates)
    if values.dtype.kind in "iuf" or values.ndim != 1:
        return _checks.as_vector("dates", values)
    import pandas as pd

    try:
        stamps = pd.to_datetime(pd.Series(np.asarray(dates, dtype=object)), errors="raise")
    except (ValueError, TypeError) as error:
        raise ValueError(f"dates must be dates or decimal years, got {values[:3]!r}...") from error
    if stamps.isna().any():
        index = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise ValueError(f"dates must be valid dates, got {values[index]!r} at index {index}")
    start = pd.to_datetime(stamps.dt.year.astype(str) + "-01-01")
    end = pd.to_datetime((stamps.dt.year + 1).astype(str) + "-01-01")
    return (stamps.dt.year + (stamps - start) / (end - start)).to_numpy(dtype=float)


def doubling_months(params: np.ndarray) -> np.ndarray:
    """Doubling time in months, 12 / b, for each row [a, b] of log2(compute) = a + b year.

    Parameters
    ----------
    params : numpy.ndarray
        (m, 2) coefficient rows (or one row).

    Returns
    -------
    numpy.ndarray
        (m,) months (inf where b = 0).

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> fit.doubling_months(np.array([[0.0, 2.0], [1.0, 3.0]]))
    array([6., 4.])
    """
    with np.errstate(divide="ignore"):
        return 12.0 / np.atleast_2d(params)[:, 1]


def _era_trend(start, end, years, log2_compute, inside, label, settings) -> EraTrend:
    n_resamples, scheme, method, confidence_level, seed, threads, backend, progress, executor = settings
    _checks.check_enough_points(f"dates in {label}", int(inside.sum()))
    _checks.check_not_constant(f"dates in {label}", years[inside])
    with _checks.naming(f"dates and compute in {label}"):
        fit = ols(years[inside], log2_compute[inside], backend=backend, names=["const", "year"])
    boot = bootstrap_fit(
        fit,
        n_resamples,
        scheme,
        method,
        confidence_level,
        seed,
        threads,
        backend,
        derived={"doubling_months": doubling_months},
        include_coefficients=False,
        progress=progress,
        executor=executor,
    )
    slope = float(fit.params[1])
    months = 12.0 / slope if slope != 0 else math.inf
    status = slope_status(fit, confidence_level, expected_sign=+1)
    if status is Status.OK and not math.isfinite(months):
        status = Status.BEYOND_RANGE
    return EraTrend(
        float(start),
        float(end),
        int(inside.sum()),
        slope,
        months,
        float(boot.confidence_interval.low[0]),
        float(boot.confidence_interval.high[0]),
        fit,
        boot,
        status,
        constant_over_slope_interval(fit, 12.0, confidence_level),
    )


def doubling_time(
    dates: Any,
    compute: Any,
    breakpoints: Optional[Sequence[float]] = None,
    n_resamples: int = 9999,
    scheme: str = "pairs",
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    *,
    estimate_break: bool = False,
    min_era_points: int = 10,
    break_window: Optional[Tuple[float, float]] = None,
    executor: Any = None,
) -> TrendResult:
    """Doubling time in months of ``compute`` (FLOP, > 0) over ``dates``, per era, with statuses.

    Each era is an OLS fit log2(compute) = a + b year, doubling time 12 / b months, with a
    bootstrap interval (``bootstrap_fit`` of 12 / b) and the analytic one (Fieller's set for
    12 / b). ``dates``: datetimes/strings or decimal years. ``breakpoints``: increasing
    decimal years splitting the eras; each era needs >= 3 points and distinct dates.
    ``estimate_break=True`` (no ``breakpoints``): one break at the observed date that
    minimises the two eras' total RSS, each era keeping >= ``min_era_points`` points,
    optionally inside ``break_window`` (start, end); its interval is a percentile pairs
    bootstrap with the break re-estimated per resample (``regimes``). Every break gets
    Chow's F test (the two adjacent eras against one line). ``executor`` runs the eras'
    resamples and the break date's (:mod:`computelimits.runner`: None for local threads, a
    ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).

    Parameters
    ----------
    dates : array_like
        Publication dates or decimal years.
    compute : array_like
        Compute of each model (FLOP, > 0).
    breakpoints : sequence of float, optional
        Era boundaries (decimal years).
    n_resamples : int, default 9999
        Bootstrap resamples.
    scheme : str, default "pairs"
        The bootstrap scheme (``bootstrap_ols``).
    method : {"percentile", "basic", "bca", "studentized"}, default "bca"
        The bootstrap interval.
    confidence_level : float, default 0.95
        The level of every interval.
    seed : int, optional
        The random streams' seed.
    threads : int, optional
        Worker threads (default every core).
    backend : {"cpp", "numpy"}, default "cpp"
        Who computes.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.
    estimate_break : bool, default False
        Estimate one break date.
    min_era_points : int, default 10
        Points each era keeps when the break is estimated.
    break_window : (float, float), optional
        Where the estimated break may lie.

    Returns
    -------
    TrendResult
        ``eras`` (each an ``EraTrend`` with ``doubling_months``, ``confidence_interval``,
        ``analytic`` and ``status``), ``chow`` and ``break_estimate``.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> years = np.arange(2010.0, 2020.0)
    >>> wobble = np.array([0.1, -0.1, 0.05, 0.0, -0.05, 0.1, -0.1, 0.0, 0.05, -0.05])
    >>> compute = 2.0 ** (2.0 * (years - 2010) + wobble)  # doubles every 6 months
    >>> era = fit.doubling_time(years, compute, n_resamples=999, seed=0).eras[0]
    >>> round(era.doubling_months, 2), era.status
    (6.01, <Status.OK: 'ok'>)
    >>> low, high = era.confidence_interval
    >>> round(low, 2), round(high, 2)
    (5.95, 6.05)
    """
    years = decimal_year(dates)
    compute = _checks.as_positive_vector("compute", compute)
    _checks.check_same_length("dates", years, "compute", compute)
    _checks.check_enough_points("dates", len(years))
    if not isinstance(estimate_break, (bool, np.bool_)):
        raise TypeError(f"estimate_break must be a bool, got {estimate_break!r}")
    edges = [] if breakpoints is None else [_validation.check_real("breakpoints", b) for b in breakpoints]
    if any(b2 <= b1 for b1, b2 in zip(edges, edges[1:])):
        raise ValueError(f"breakpoints must be increasing, got {list(edges)}")
    seed = _validation.resolve_seed(seed)
    log2_compute = np.log2(compute)
    found = None
    if estimate_break:
        if edges:
            raise ValueError(f"give breakpoints or estimate_break=True, not both; got breakpoints={list(edges)}")
        min_era_points = _validation.check_int("min_era_points", min_era_points, minimum=3)
        window = None
        if break_window is not None:
            window = tuple(_validation.check_real("break_window", v) for v in break_window)
            if len(window) != 2 or window[0] >= window[1]:
                raise ValueError(f"break_window must be (start, end) with start < end, got {break_window!r}")
        n_resamples_checked = _validation.check_int(
            "n_resamples", n_resamples, minimum=1, maximum=runner.MAX_REPLICATES
        )
        level = _validation.check_real(
            "confidence_level", confidence_level, minimum=0.0, maximum=1.0, strict_minimum=True
        )
        if level >= 1.0:
            raise ValueError(f"confidence_level must be < 1, got {level}")
        found = estimate_break_date(
            years,
            log2_compute,
            min_era_points,
            window,
            n_resamples_checked,
            confidence_level,
            seed,
            executor=executor,
            threads=threads,
            progress=progress,
        )
        edges = [found.year]
    bounds = [-np.inf, *edges, np.inf]
    settings = (n_resamples, scheme, method, confidence_level, seed, threads, backend, progress, executor)
    eras = []
    for start, end in zip(bounds[:-1], bounds[1:]):
        inside = (years >= start) & (years < end)
        eras.append(_era_trend(start, end, years, log2_compute, inside, f"era [{start:g}, {end:g})", settings))
    chow: list = []
    for k, edge in enumerate(edges):
        adjacent = (years >= bounds[k]) & (years < bounds[k + 2])
        chow.append(chow_test(years[adjacent], log2_compute[adjacent], edge))
    return TrendResult(tuple(eras), eras[0].bootstrap.confidence_level, method, tuple(chow), found)


def estimate_break_date(
    years, log2_compute, min_era_points, window, n_resamples, confidence_level, seed, **run_options
):
    """``regimes.estimate_break`` on validated arrays (``run_options``: executor, threads, progress)."""
    return estimate_break(
        years,
        log2_compute,
        min_era_points=min_era_points,
        window=window,
        n_resamples=n_resamples,
        confidence_level=confidence_level,
        seed=seed,
        **run_options,
    )
