"""Regimes of a trend: the Chow test at a break and the least-squares break date.

Both work on the simple regression y = a + b t (for compute trends, y = log2 C and
t the decimal year) split at a date t* into [.., t*) and [t*, ..).

- Chow (1960, "Tests of equality between sets of coefficients in two linear
  regressions", Econometrica 28, 591-605): with RSS_p the residual sum of squares of
  one line through both eras, RSS_1 + RSS_2 that of a line per era, k = 2 parameters
  per line and n = n_1 + n_2 points,
  F = ((RSS_p - RSS_1 - RSS_2) / k) / ((RSS_1 + RSS_2) / (n - 2k)), F ~ F(k, n - 2k)
  under equal coefficients; the p-value is P(F(k, n - 2k) > F).
- Break date (Bai and Perron 1998, "Estimating and testing linear models with
  multiple structural changes", Econometrica 66, 47-78, one break): the candidate
  dates are the distinct observed dates t_(j) (the second era starts at t_(j)); a
  candidate needs at least ``min_era_points`` points on each side (and, with a
  ``window``, to lie inside it); the estimate minimises RSS_1 + RSS_2 over them.
  The RSS of every split comes from cumulative sums of the sorted, centred data
  (RSS = S_yy - S_ty^2 / S_tt per side), O(n) per data set. Its interval:
  pairs bootstrap (resample b draws its rows from stream (seed, b), the streams
  of ``bootstrap_fit``), the break re-estimated on every resample, percentile
  interval of the re-estimated dates. The resamples go through the replicate runner
  (:mod:`computelimits.runner`) in blocks computed by the module-level numpy kernel
  :func:`break_block`, on this machine or an ``executor``; a resample depends only on
  its stream, so the dates do not depend on where the blocks ran.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

import numpy as np

from .. import _validation, runner
from .._confidence import ConfidenceInterval
from .._display import ResultDisplay
from . import _checks, _numpy_twin
from .intervals import confidence_bounds
from .ols import ols

#: Cost units (:func:`computelimits.runner.plan_blocks`) per point of one resample's break search:
#: drawing, sorting and the cumulative sums take ~250 ns a point in numpy, ~5,000 of the units
#: the C++ kernels spend (about 2 x 10^10 a second on one core).
BREAK_COST_PER_POINT = 5000.0
#: Peak bytes per point of one resample in a block (measured with tracemalloc at n = 50 to
#: 5,000: 160): the row indices and their draws, the sorted rows and sort order, six prefix
#: sums and the two eras' RSS temporaries.
BREAK_BYTES_PER_POINT = 160.0


@dataclass(frozen=True)
class ChowTest(ResultDisplay):
    """Chow's F test of equal lines on both sides of ``break_year``."""

    break_year: float
    f_statistic: float
    df_num: int
    df_den: int
    p_value: float
    rss_pooled: float
    rss_separate: float

    def to_dict(self) -> Dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def chow_test(t: np.ndarray, y: np.ndarray, break_year: float) -> ChowTest:
    """Chow's (1960) test of one line through (t, y) against two lines split at ``break_year``.

    F = ((RSS_pooled - RSS_1 - RSS_2) / 2) / ((RSS_1 + RSS_2) / (n - 4)), p = P(F(2, n - 4) > F).
    Each side of the break needs at least 3 points and two distinct dates.

    Parameters
    ----------
    t : numpy.ndarray
        The regressor (e.g. decimal years).
    y : numpy.ndarray
        The response (e.g. log2 compute).
    break_year : float
        Points with t < break_year form the first segment.

    Returns
    -------
    ChowTest
        ``f_statistic``, ``df_num``, ``df_den``, ``p_value`` and both residual sums of squares.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> t = np.arange(10.0)
    >>> y = np.where(t < 5, t, 5 + 3 * (t - 5)) + np.array([0.1, -0.1, 0.05, 0, -0.05, 0.1, -0.1, 0, 0.05, -0.05])
    >>> test = fit.chow_test(t, y, 5.0)
    >>> test.df_num, test.df_den, test.p_value < 1e-6
    (2, 6, True)
    """
    from scipy import stats

    t, y = _checks.as_vector("t", t), _checks.as_vector("y", y)
    _checks.check_same_length("t", t, "y", y)
    break_year = _validation.check_real("break_year", break_year)
    before = t < break_year
    for side, inside in (("before", before), ("at or after", ~before)):
        _checks.check_enough_points(f"t {side} break_year={break_year:g}", int(inside.sum()))
        _checks.check_not_constant(f"t {side} break_year={break_year:g}", t[inside])
    with _checks.naming("t and y"):
        rss_separate = ols(t[before], y[before]).ssr + ols(t[~before], y[~before]).ssr
        rss_pooled = ols(t, y).ssr
    k, n = 2, len(t)
    df_den = n - 2 * k
    numerator = max(rss_pooled - rss_separate, 0.0) / k
    if rss_separate > 0:
        f_statistic = numerator / (rss_separate / df_den)
        p_value = float(stats.f.sf(f_statistic, k, df_den))
    else:  # both eras fitted exactly: any difference is infinitely significant
        f_statistic, p_value = (math.inf, 0.0) if numerator > 0 else (0.0, 1.0)
    return ChowTest(float(break_year), float(f_statistic), k, df_den, p_value, float(rss_pooled), float(rss_separate))


def _split_rss(t_sorted: np.ndarray, y_sorted: np.ndarray) -> np.ndarray:
    """(..., n + 1) total RSS of the two lines when the first era is the first i points (rows sorted)."""
    n = t_sorted.shape[-1]

    def prefix(values):
        zeros = np.zeros(values.shape[:-1] + (1,))
        return np.concatenate([zeros, np.cumsum(values, axis=-1)], axis=-1)

    count = np.arange(n + 1, dtype=float)
    sums = {name: prefix(v) for name, v in (("t", t_sorted), ("y", y_sorted))}
    sums.update(tt=prefix(t_sorted * t_sorted), ty=prefix(t_sorted * y_sorted), yy=prefix(y_sorted * y_sorted))
    total = {name: value[..., -1:] for name, value in sums.items()}

    def rss(m, s_t, s_y, s_tt, s_ty, s_yy):
        with np.errstate(divide="ignore", invalid="ignore"):
            stt = s_tt - s_t * s_t / m
            sty = s_ty - s_t * s_y / m
            syy = s_yy - s_y * s_y / m
            return np.maximum(syy - sty * sty / stt, 0.0)

    first = rss(count, sums["t"], sums["y"], sums["tt"], sums["ty"], sums["yy"])
    second = rss(
        n - count,
        total["t"] - sums["t"],
        total["y"] - sums["y"],
        total["tt"] - sums["tt"],
        total["ty"] - sums["ty"],
        total["yy"] - sums["yy"],
    )
    return first + second


def _best_breaks(t_sorted: np.ndarray, y_sorted: np.ndarray, min_points: int, window) -> Tuple[np.ndarray, np.ndarray]:
    """Per row: (break date, total RSS) minimising RSS over the valid candidates (NaN if none)."""
    n = t_sorted.shape[-1]
    total = _split_rss(t_sorted, y_sorted)
    position = np.arange(n + 1)
    valid = (position >= min_points) & (position <= n - min_points)
    valid = np.broadcast_to(valid, total.shape).copy()
    interior = np.zeros(total.shape, dtype=bool)
    interior[..., 1:n] = t_sorted[..., 1:] > t_sorted[..., :-1]  # a new date starts era 2
    start_dates = np.concatenate([t_sorted, t_sorted[..., -1:]], axis=-1)
    valid &= interior
    if window is not None:
        valid &= (start_dates >= window[0]) & (start_dates <= window[1])
    # Both eras need two distinct dates for a slope: distinct dates among the first i points.
    shape = t_sorted.shape[:-1]
    new_dates = np.cumsum(interior[..., 1:n], axis=-1)
    distinct_first = np.concatenate(
        [np.zeros(shape + (1,)), np.ones(shape + (1,)), 1.0 + new_dates], axis=-1
    )  # index i: 0 for i = 0, else 1 + new dates at positions 1..i-1
    distinct_all = distinct_first[..., n : n + 1]
    valid &= (distinct_first >= 2) & (distinct_all - distinct_first >= 2)
    total = np.where(valid, total, np.inf)
    best = np.argmin(total, axis=-1)
    best_rss = np.take_along_axis(total, best[..., None], axis=-1)[..., 0]
    dates = np.take_along_axis(start_dates, best[..., None], axis=-1)[..., 0]
    found = np.isfinite(best_rss)
    return np.where(found, dates, np.nan), np.where(found, best_rss, np.nan)


@dataclass(frozen=True)
class BreakEstimate(ResultDisplay):
    """The least-squares break date with its percentile pairs-bootstrap interval."""

    year: float
    low: float
    high: float
    rss: float
    candidates: int
    min_era_points: int
    window: Optional[Tuple[float, float]]
    n_resamples: int
    resamples_without_break: int
    distribution: np.ndarray = field(compare=False, repr=False)

    @property
    def confidence_interval(self) -> ConfidenceInterval:
        """The percentile bootstrap interval of the break date, ``(low, high)``."""
        return ConfidenceInterval(self.low, self.high)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "year": self.year,
            "low": self.low,
            "high": self.high,
            "rss": self.rss,
            "candidates": self.candidates,
            "min_era_points": self.min_era_points,
            "window": None if self.window is None else list(self.window),
            "n_resamples": self.n_resamples,
            "resamples_without_break": self.resamples_without_break,
        }


def break_block(t, y, min_points, window, seed, first, count, threads) -> np.ndarray:
    """Break dates (NaN: no valid candidate) of resamples [first, first + count): resample b
    takes rows from stream (seed, b) of the centred data ``t``, ``y`` (``window`` shifted
    alike). The runner's kernel, numpy only (``threads`` unused); each row is computed on
    its own, so the dates do not depend on the blocks."""
    index = _numpy_twin.resample_indices(seed, first, count, len(t))
    t_draw, y_draw = t[index], y[index]
    within = np.argsort(t_draw, axis=1, kind="stable")
    t_draw = np.take_along_axis(t_draw, within, axis=1)
    y_draw = np.take_along_axis(y_draw, within, axis=1)
    return _best_breaks(t_draw, y_draw, min_points, window)[0]


def break_footprint(n_resamples: int, n: int) -> runner.Footprint:
    """Memory of the break bootstrap: one date per resample, BREAK_BYTES_PER_POINT n bytes per
    resample of a block, and the centred and sorted copies of the data (four n-vectors)."""
    return runner.Footprint(
        arguments={"n_resamples": n_resamples, "points": n},
        result_per_item=8.0,
        twin_per_item=BREAK_BYTES_PER_POINT * n,
        fixed=32.0 * n,
    )


def estimate_break(
    t: np.ndarray,
    y: np.ndarray,
    *,
    min_era_points: int,
    window: Optional[Tuple[float, float]],
    n_resamples: int,
    confidence_level: float,
    seed: int,
    executor: Any = None,
    threads: Any = None,
    progress: Optional[bool] = None,
) -> BreakEstimate:
    """The break date minimising RSS_1 + RSS_2 over the observed dates (Bai and Perron 1998, one break),
    and its percentile pairs-bootstrap interval with the break re-estimated per resample (module docstring).

    The resamples run in blocks of :func:`break_block` through :func:`computelimits.runner.run`
    (``executor``: None for this machine, a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client``; ``threads``: the thread count per task, unused by numpy)."""
    order = np.argsort(t, kind="stable")
    t_sorted, y_sorted = t[order], y[order]
    centre_t, centre_y = t.mean(), y.mean()
    shifted = _shift(window, centre_t)
    dates, rss = _best_breaks(t_sorted - centre_t, y_sorted - centre_y, min_era_points, shifted)
    if not np.isfinite(dates):
        where = "" if window is None else f" inside window {tuple(window)}"
        raise ValueError(
            f"estimate_break: no candidate date{where} leaves min_era_points={min_era_points} points "
            f"(and two distinct dates) in each era, with {len(t)} points"
        )
    candidates_valid = _count_candidates(t_sorted, min_era_points, window)
    n = len(t)
    pieces = runner.run(
        break_block,
        (t - centre_t, y - centre_y, min_era_points, shifted, seed),
        runner.plan_blocks(n_resamples, BREAK_COST_PER_POINT * n, BREAK_BYTES_PER_POINT * n),
        executor=executor,
        threads=threads,
        backend="numpy",
        progress=progress,
        description="break-date bootstrap",
        footprint=break_footprint(n_resamples, n),
    )
    breaks = runner.concatenate(pieces)
    found = np.isfinite(breaks)
    low = high = math.nan
    if found.sum() >= 2:
        low_arr, high_arr, _, _ = confidence_bounds(
            breaks[found][None, :] + centre_t, np.array([float(dates) + centre_t]), "percentile", confidence_level
        )
        low, high = float(low_arr[0]), float(high_arr[0])
    return BreakEstimate(
        float(dates) + centre_t,
        low,
        high,
        float(rss),
        candidates_valid,
        int(min_era_points),
        None if window is None else (float(window[0]), float(window[1])),
        int(n_resamples),
        int((~found).sum()),
        breaks + centre_t,
    )


def _shift(window, centre):
    return None if window is None else (window[0] - centre, window[1] - centre)


def _count_candidates(t_sorted: np.ndarray, min_points: int, window) -> int:
    n = len(t_sorted)
    count = 0
    for i in range(max(min_points, 1), n - min_points + 1):
        if t_sorted[i] > t_sorted[i - 1] and (window is None or window[0] <= t_sorted[i] <= window[1]):
            count += 1
    return count
