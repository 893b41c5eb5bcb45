"""The exponent e in compute ~ (1/error)^e, with a bootstrap interval over replicates and a status.

The slope: OLS of log10(mean error over replicates) = c + b log10(compute) over a grid of
sizes; compute grows like (1/error)^e with e = -1/b (the same form as a benchmark's -1/b).
Its interval: replicates resampled with replacement (resample j draws its replicate
indices from stream (seed, j), the pairs streams of ``computelimits.fit``), b refitted on
each resample's mean errors, and the interval of b from ``fit.intervals.confidence_bounds``
(percentile, basic or BCa with the leave-one-replicate-out jackknife), mapped through -1/b.
Status: wrong sign when b >= 0 (the error does not fall), slope not significant when b's
interval holds 0. The resamples go through the replicate runner (:mod:`computelimits.runner`)
in blocks of the module-level numpy kernel :func:`slope_block`, one run for every cell of
a ``compute_scaling`` grid (they share the replicate draws), on this machine or an
``executor``; every slope is computed from its own row with plain reductions (no BLAS
product, whose rounding depends on the shape of the block), so the slopes do not depend
on where the blocks ran.

The error is a mean squared error (an excess risk). The paper's k^4 (Thompson et al. 2020,
sec. 2) is stated for a k-fold improvement of a root error such as an error rate; the root
error sqrt(error) has slope b/2 against log10 compute, so its exponent is e_root = 2 e
(``root_exponent``, with the interval doubled).

Closed forms of the expected error on the same grid give slopes the simulation estimates:
``exact_slope`` (min-norm, Belkin, Hsu and Xu 2019), ``support_slope`` (the lasso's
expected risk when it selects the true support) and ``rate_slope`` (the lasso's rate
sigma^2 k ln p / n, Bickel, Ritov and Tsybakov 2009).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Dict, Optional

import numpy as np

from .. import runner
from .._confidence import ConfidenceInterval
from .._display import ResultDisplay
from ..status import Status, describe

#: Cost units (:func:`computelimits.runner.plan_blocks`) per value a resample touches (gathered,
#: averaged, logged, multiplied): numpy took 2 to 10 ns a value (more for many replicates, whose
#: random gather misses the cache), ~60 of the units the C++ kernels spend (2 x 10^10 a second).
SLOPE_COST_PER_VALUE = 60.0


@dataclasses.dataclass(frozen=True)
class ScalingExponent(ResultDisplay):
    """e = -1/b for one ratio and compute measure, with b's bootstrap interval and a status.

    ``low``/``high`` bound e only when ``status`` is OK (b's interval below zero).
    """

    ratio: float
    measure: str
    slope: float
    slope_low: float
    slope_high: float
    exponent: float
    low: Optional[float]
    high: Optional[float]
    status: Status
    exact_slope: Optional[float] = None
    support_slope: Optional[float] = None
    rate_slope: Optional[float] = None

    @property
    def confidence_interval(self) -> ConfidenceInterval:
        """The bootstrap interval of e, ``(low, high)`` (None ends unless ``status`` is OK)."""
        return ConfidenceInterval(self.low, self.high)

    @property
    def lower_bound(self) -> Optional[float]:
        """When b's interval holds zero but reaches below it: e >= -1/slope_low if the error falls at all."""
        if self.status is Status.NOT_SIGNIFICANT and self.slope_low < 0:
            return -1.0 / self.slope_low
        return None

    @property
    def exact_exponent(self) -> Optional[float]:
        """-1/b of the exact expected error (min-norm only), None when b >= 0 or unknown."""
        return _minus_inverse(self.exact_slope)

    @property
    def support_exponent(self) -> Optional[float]:
        """-1/b of the lasso's expected risk given the true support (lasso only)."""
        return _minus_inverse(self.support_slope)

    @property
    def rate_exponent(self) -> Optional[float]:
        """-1/b of the lasso's rate sigma^2 k ln p / n over the grid (lasso only)."""
        return _minus_inverse(self.rate_slope)

    @property
    def root_exponent(self) -> float:
        """The exponent against 1/sqrt(error), a root error such as an error rate: 2 e."""
        return 2.0 * self.exponent

    @property
    def root_low(self) -> Optional[float]:
        return None if self.low is None else 2.0 * self.low

    @property
    def root_high(self) -> Optional[float]:
        return None if self.high is None else 2.0 * self.high

    def describe(self, root: bool = False) -> str:
        """'4.1 [3.6, 4.8]' (``root``: the exponent against the root error, 2 e), or the status in
        words (with the lower bound when there is one)."""
        factor, name = (2.0, "e_root") if root else (1.0, "e")
        if self.status is not Status.OK:
            bound = self.lower_bound
            extra = f" ({name} >= {factor * bound:.3g} if the error falls at all)" if bound is not None else ""
            return describe(self.status) + extra
        exponent, low, high = self.exponent, self.low, self.high
        assert exponent is not None and low is not None and high is not None  # set whenever status is OK
        return f"{factor * exponent:.3g} [{factor * low:.3g}, {factor * high:.3g}]"

    def to_dict(self) -> Dict[str, Any]:
        out = dataclasses.asdict(self)
        out["status"] = self.status.value
        for name in (
            "lower_bound",
            "exact_exponent",
            "support_exponent",
            "rate_exponent",
            "root_exponent",
            "root_low",
            "root_high",
        ):
            out[name] = getattr(self, name)
        return out


def _minus_inverse(slope: Optional[float]) -> Optional[float]:
    return -1.0 / slope if slope is not None and slope < 0 else None


def slopes_of_means(log10_compute: np.ndarray, errors: np.ndarray) -> np.ndarray:
    """OLS slope b = sum (x - xbar)(y - ybar) / sum (x - xbar)^2 of y = log10(mean error) on
    x = log10 compute, along the last axis (the sizes; ``log10_compute`` broadcasts against
    ``errors``). Sums are numpy reductions of each row on its own, never a BLAS product."""
    x = np.asarray(log10_compute, dtype=np.float64)
    x = x - x.mean(axis=-1, keepdims=True)
    y = np.log10(errors)
    y = y - y.mean(axis=-1, keepdims=True)
    return np.sum(y * x, axis=-1) / np.sum(x * x, axis=-1)


def slope_block(errors_by_cell, log10_compute, seed, first, count, threads) -> np.ndarray:
    """(count, R, M) slopes of resamples [first, first + count) (the runner's kernel; numpy,
    ``threads`` unused). ``errors_by_cell`` [R, n, reps] (C order): the errors of R cells at
    n sizes per replicate; ``log10_compute`` [R, M, n]: M compute measures per cell.
    Resample j draws reps replicate indices from stream (seed, j) (``fit.resample_indices``);
    cell r's resampled means over them give one slope per measure."""
    from ..fit import _numpy_twin

    reps = errors_by_cell.shape[-1]
    index = _numpy_twin.resample_indices(seed, first, count, reps)
    means = errors_by_cell[:, :, index].mean(axis=-1)  # [R, n, count]: each a row of reps values
    means = np.ascontiguousarray(np.moveaxis(means, -1, 0))  # [count, R, n]
    return slopes_of_means(log10_compute, means[:, :, None, :])


def bootstrap_slopes(
    errors: np.ndarray,
    log10_compute: np.ndarray,
    n_resamples: int,
    seed: int,
    *,
    executor: Any = None,
    threads: Any = None,
    progress: Optional[bool] = None,
) -> np.ndarray:
    """(n_resamples, R, M) slopes of replicate resamples 0 .. n_resamples - 1 (:func:`slope_block`)
    for errors [reps, R, n] and compute [R, M, n] (log10), through :func:`computelimits.runner.run`."""
    reps, cells, sizes = errors.shape
    measures = log10_compute.shape[1]
    by_cell = np.ascontiguousarray(np.moveaxis(errors, 0, -1))
    touched = cells * sizes * (reps + 4.0 + 2.0 * measures)  # gathered, means and logs, products
    pieces = runner.run(
        slope_block,
        (by_cell, np.ascontiguousarray(log10_compute, dtype=np.float64), seed),
        runner.plan_blocks(n_resamples, SLOPE_COST_PER_VALUE * touched, 8.0 * touched + 12.0 * reps),
        executor=executor,
        threads=threads,
        backend="numpy",
        progress=progress,
        description="exponent bootstrap",
        footprint=runner.Footprint(
            arguments={"n_resamples": n_resamples, "reps": reps, "cells (ratios x n_values)": cells * sizes},
            result_per_item=8.0 * cells * measures,
            twin_per_item=8.0 * touched + 12.0 * reps,
            fixed=8.0 * cells * sizes * (reps + measures),
        ),
    )
    return runner.concatenate(pieces)


def _closed_form_slope(x: np.ndarray, expected: Optional[np.ndarray]) -> Optional[float]:
    if expected is None:
        return None
    expected = np.asarray(expected, dtype=float)
    if not np.all(np.isfinite(expected) & (expected > 0)):
        return None
    return float(slopes_of_means(x, expected))


def scaling_exponent(
    errors: np.ndarray,
    compute: np.ndarray,
    *,
    ratio: float,
    measure: str,
    n_resamples: int,
    method: str,
    confidence_level: float,
    seed: int,
    exact_error: Optional[np.ndarray] = None,
    support_error: Optional[np.ndarray] = None,
    rate_error: Optional[np.ndarray] = None,
    draws: Optional[np.ndarray] = None,
    executor: Any = None,
    threads: Any = None,
    progress: Optional[bool] = None,
) -> ScalingExponent:
    """The exponent of compute against 1/error from per-replicate errors [rep, n] (module docstring).

    ``exact_error``, ``support_error``, ``rate_error`` [n]: closed forms of the expected error
    whose slopes are kept (None when a closed form is absent, infinite or not positive).
    ``draws`` [n_resamples]: the resampled slopes when already computed (``bootstrap_slopes``,
    as ``compute_scaling`` does for all its cells at once); otherwise they are computed here,
    on ``executor`` (:mod:`computelimits.runner`).
    """
    from ..fit.intervals import confidence_bounds

    reps = errors.shape[0]
    x = np.log10(compute)
    slope = float(slopes_of_means(x, errors.mean(axis=0)))
    if draws is None:
        draws = bootstrap_slopes(
            errors[:, None, :],
            x[None, None, :],
            n_resamples,
            seed,
            executor=executor,
            threads=threads,
            progress=progress,
        )[:, 0, 0]
    jackknife = None
    if method == "bca":
        jackknife = slopes_of_means(x, (errors.sum(axis=0)[None, :] - errors) / (reps - 1))[None, :]
    low, high, _, _ = confidence_bounds(draws[None, :], np.array([slope]), method, confidence_level, jackknife)
    slope_low, slope_high = float(low[0]), float(high[0])
    if not slope < 0:
        status = Status.WRONG_SIGN
    elif not slope_high < 0:  # NaN bounds (degenerate resamples) count as not significant
        status = Status.NOT_SIGNIFICANT
    else:
        status = Status.OK
    exponent = -1.0 / slope if slope != 0 else math.inf
    if status is Status.OK and not math.isfinite(exponent):
        status = Status.BEYOND_RANGE
    bounded = status is Status.OK
    return ScalingExponent(
        float(ratio),
        measure,
        slope,
        slope_low,
        slope_high,
        exponent,
        -1.0 / slope_low if bounded else None,
        -1.0 / slope_high if bounded else None,
        status,
        _closed_form_slope(x, exact_error),
        _closed_form_slope(x, support_error),
        _closed_form_slope(x, rate_error),
    )
