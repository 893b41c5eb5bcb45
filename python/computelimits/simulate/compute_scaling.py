"""The compute-versus-improvement exponent when parameters grow with the data (p = ratio x n).

Thompson et al. (2020, sec. 2) argue that a k-fold improvement costs at least k^4
compute in the over-parameterized regime: k^2 more data points for a statistical
error that falls like 1/sqrt(n), times k^2 more work because the parameter count
grows with the data. This module measures the exponent instead of assuming it.

For each ratio and each n in ``n_values`` the model has p = ceil(ratio n) features
and is fitted by

- ``estimator="min_norm"``: the minimum-norm least-squares estimate (OLS when p < n),
  on ``double_descent``'s design (dense truth beta = sqrt(signal / p) (1, ..., 1));
- ``estimator="sgd"``: SGD from zero for ``epochs`` epochs (batch 1, step 0.5 / p by
  default), on ``sgd_scaling``'s design (k true features, beta' Sigma beta = signal).

The error is the excess risk E(x'(b - beta))^2 = ||b - beta||^2 (isotropic features),
a mean squared error: the test MSE minus the noise sigma^2. Compute is measured two
ways: ``params_x_data`` = p n, and ``counted_flops``, the FLOPs the estimator counts
(min-norm: X X' (p n (n + 1)), its Cholesky (n^3/3 + n^2/2 + n/6), the solves
(2 n^2 + 2 n p); OLS analogously; SGD: epochs x ceil(n/B) (B (4p + 1) + 2p + 1)).

The exponent: OLS of log10(mean error over replicates) = c + b log10(compute) over
n_values; compute grows like (1/error)^e with e = -1/b (the same form as a
benchmark's -1/b). Its interval: replicates resampled with replacement (resample j
draws its replicate indices from stream (seed, j), the pairs streams of
``computelimits.fit``), b refitted on each resample's mean errors, and the interval
of b from ``fit.intervals.confidence_bounds`` (percentile, basic or BCa with the
leave-one-replicate-out jackknife), mapped through -1/b. Status: wrong sign when
b >= 0 (the error does not fall), slope not significant when b's interval holds 0.
For min-norm the exact expected excess risk (Belkin, Hsu and Xu 2019,
``closed_forms.min_norm_risk``) gives the slope the simulation estimates (``exact_slope``).

Regimes: with p = ratio n and isotropic features the expected min-norm risk is
signal (1 - 1/ratio) + sigma^2 n / (p - n - 1) for ratio > 1 and sigma^2 p / (n - p - 1)
for ratio < 1: both tend to a floor (Hastie et al. 2022), so the error falls only by
the finite-n correction (~1/n) and b is close to zero: e is far above 4 or undetermined.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from .._progress import Progress
from ..status import Status, describe
from . import _twin
from ._common import ResultBase, check_sizes, frame_from, replicate_args

ESTIMATORS = ("min_norm", "sgd")
COMPUTE_MEASURES = ("params_x_data", "counted_flops")
DEFAULT_RATIOS = (2.0,)
DEFAULT_N_VALUES = (50, 100, 200, 400, 800)


@dataclasses.dataclass(frozen=True)
class ScalingExponent:
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

    @property
    def lower_bound(self) -> Optional[float]:
        """When b's interval holds zero but reaches below it: e >= -1/slope_low if the error falls at all."""
        if self.status is Status.NOT_SIGNIFICANT and self.slope_low < 0:
            return -1.0 / self.slope_low
        return None

    @property
    def exact_exponent(self) -> Optional[float]:
        """-1/b of the exact expected error (min-norm only), None when b >= 0 or unknown."""
        return -1.0 / self.exact_slope if self.exact_slope is not None and self.exact_slope < 0 else None

    def describe(self) -> str:
        """'4.1 [3.6, 4.8]', or the status in words (with the lower bound when there is one)."""
        if self.status is not Status.OK:
            bound = self.lower_bound
            extra = f" (e >= {bound:.3g} if the error falls at all)" if bound is not None else ""
            return describe(self.status) + extra
        return f"{self.exponent:.3g} [{self.low:.3g}, {self.high:.3g}]"

    def to_dict(self) -> Dict[str, Any]:
        out = dataclasses.asdict(self)
        out["status"] = self.status.value
        out["lower_bound"] = self.lower_bound
        out["exact_exponent"] = self.exact_exponent
        return out


def slopes_of_means(log10_compute: np.ndarray, errors: np.ndarray) -> np.ndarray:
    """OLS slope of log10(mean error) on log10 compute for each leading index of errors [..., n]."""
    x = log10_compute - log10_compute.mean()
    y = np.log10(errors)
    y = y - y.mean(axis=-1, keepdims=True)
    return (y @ x) / (x @ x)


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
) -> ScalingExponent:
    """The exponent of compute against 1/error from per-replicate errors [rep, n] (module docstring).

    ``exact_error`` [n]: the expected error in closed form, whose slope is kept as ``exact_slope``.
    """
    from ..fit import _numpy_twin
    from ..fit.intervals import confidence_bounds

    reps = errors.shape[0]
    x = np.log10(compute)
    slope = float(slopes_of_means(x, errors.mean(axis=0)))
    draws = np.empty(n_resamples)
    block = max(1, 2_000_000 // max(reps * errors.shape[1], 1))
    for begin in range(0, n_resamples, block):
        count = min(block, n_resamples - begin)
        index = _numpy_twin.resample_indices(seed, begin, count, reps)
        draws[begin : begin + count] = slopes_of_means(x, errors[index].mean(axis=1))
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
        None if exact_error is None else float(slopes_of_means(x, np.asarray(exact_error, dtype=float))),
    )


@dataclasses.dataclass(frozen=True, repr=False)
class ComputeScalingResult(ResultBase):
    """Errors ``error`` [replicate, ratio, n], the compute of each cell and the exponents."""

    estimator: str
    ratios: np.ndarray
    n_values: np.ndarray
    widths: np.ndarray
    error: np.ndarray
    params_x_data: np.ndarray
    counted_flops: np.ndarray
    exponents: tuple
    n_resamples: int
    method: str
    confidence_level: float
    seed: int
    params: dict

    @property
    def reps(self) -> int:
        return self.error.shape[0]

    @property
    def error_mean(self) -> np.ndarray:
        """[ratio, n] mean excess risk over replicates."""
        return self.error.mean(axis=0)

    def exponent(self, ratio: Optional[float] = None, measure: str = "params_x_data") -> ScalingExponent:
        """The exponent for ``ratio`` (default the first) and ``measure``."""
        ratio = float(self.ratios[0]) if ratio is None else float(ratio)
        for item in self.exponents:
            if item.measure == measure and item.ratio == ratio:
                return item
        raise ValueError(f"no exponent for ratio={ratio!r}, measure={measure!r}")

    def to_frame(self):
        """One row per (ratio, n): p, both compute measures, mean error and its SE."""
        count = self.reps
        se = self.error.std(axis=0, ddof=1) / math.sqrt(count) if count > 1 else np.zeros(self.error.shape[1:])
        ratio_grid = np.repeat(self.ratios, len(self.n_values))
        return frame_from(
            {
                "ratio": ratio_grid,
                "n": np.tile(self.n_values, len(self.ratios)),
                "p": self.widths.ravel(),
                "params_x_data": self.params_x_data.ravel(),
                "counted_flops": self.counted_flops.ravel(),
                "error_mean": self.error_mean.ravel(),
                "error_se": se.ravel(),
            }
        )

    def exponent_frame(self):
        """One row per (ratio, compute measure): slope, exponent, interval, status."""
        return frame_from(
            {key: [item.to_dict()[key] for item in self.exponents] for key in self.exponents[0].to_dict()}
        )


def _counted_min_norm_flops(n: int, p: int) -> float:
    if p > n:
        return _twin.gram_flops(p, n) + _twin.cholesky_flops(n) + 2.0 * n * n + 2.0 * n * p
    return _twin.gram_flops(n, p) + 2.0 * n * p + _twin.cholesky_flops(p) + 2.0 * p * p


def compute_scaling(
    ratios: Sequence[float] = DEFAULT_RATIOS,
    n_values: Sequence[int] = DEFAULT_N_VALUES,
    *,
    estimator: str = "min_norm",
    reps: int = 32,
    seed: Any = None,
    rng: Any = None,
    signal: float = 1.0,
    sigma: float = 1.0,
    k: int = 10,
    epochs: int = 20,
    step_size: Optional[float] = None,
    n_resamples: int = 999,
    method: str = "bca",
    confidence_level: float = 0.95,
    threads: Any = None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    executor: Any = None,
) -> ComputeScalingResult:
    """Measure the exponent e in compute ~ (1/error)^e with p = ratio x n (module docstring).

    ``ratios`` > 0 (p = ceil(ratio n); min-norm needs |p - n| >= 2), ``n_values`` strictly
    increasing (>= 3 of them), ``reps`` >= 3 replicates on streams (seed, r). ``k`` and
    ``epochs`` are for SGD; ``step_size`` defaults to 0.5 / p per fit. ``n_resamples``,
    ``method`` ("percentile", "basic", "bca") and ``confidence_level`` set the bootstrap.
    ``executor`` runs the replicates (:mod:`computelimits.runner`: None for local threads,
    a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).
    """
    from ..fit.intervals import METHODS

    reps, _, seed, threads, backend = replicate_args(reps, 0, seed, rng, threads, backend)
    if reps < 3:
        raise ValueError(f"reps must be >= 3 to resample replicates, got {reps}")
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    ratio_values = np.atleast_1d(np.asarray(ratios, dtype=object))
    if ratio_values.ndim != 1 or ratio_values.size == 0:
        raise ValueError(f"ratios must be a non-empty 1-D sequence, got {ratios!r}")
    ratio_array = np.array(
        [_validation.check_real("ratios", r, minimum=0.0, strict_minimum=True) for r in ratio_values]
    )
    if len(set(ratio_array.tolist())) != len(ratio_array):
        raise ValueError(f"ratios must be distinct, got {ratio_array.tolist()}")
    sizes = check_sizes("n_values", n_values, minimum=2)
    if len(sizes) < 3:
        raise ValueError(f"n_values needs at least 3 sizes for a slope with an interval, got {sizes.tolist()}")
    n_resamples = _validation.check_int("n_resamples", n_resamples, minimum=1, maximum=10_000_000)
    level = _validation.check_real("confidence_level", confidence_level, minimum=0.0, maximum=1.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"confidence_level must be < 1, got {level}")
    widths = np.ceil(ratio_array[:, None] * sizes[None, :]).astype(np.int64)
    if estimator == "min_norm":
        near = np.abs(widths - sizes[None, :]) <= 1
        if near.any():
            r, i = np.argwhere(near)[0]
            raise ValueError(
                f"ratios: ratio {ratio_array[r]:g} gives p = {widths[r, i]} at n = {sizes[i]}; the minimum-norm "
                "risk is infinite when |p - n| <= 1 (interpolation threshold), choose a ratio away from 1"
            )
    error = np.empty((reps, len(ratio_array), len(sizes)))
    counted = np.empty(widths.shape)
    from .double_descent import double_descent
    from .sgd_scaling import sgd_scaling

    cells = len(sizes) if estimator == "min_norm" else len(sizes) * len(ratio_array)
    with Progress(cells, f"compute_scaling ({estimator})", enabled=progress) as bar:
        if estimator == "min_norm":
            for i, n in enumerate(sizes):
                min_norm_run = double_descent(
                    int(n),
                    widths[:, i],
                    reps,
                    seed=seed,
                    sigma=sigma,
                    signal=signal,
                    threads=threads,
                    backend=backend,
                    progress=False,
                    executor=executor,
                )
                error[:, :, i] = min_norm_run.min_norm_excess
                counted[:, i] = [_counted_min_norm_flops(int(n), int(p)) for p in widths[:, i]]
                bar.advance()
        else:
            for r, ratio in enumerate(ratio_array):
                for i, n in enumerate(sizes):
                    sgd_run = sgd_scaling(
                        [int(n)],
                        p_per_n=float(ratio),
                        k=k,
                        signal=signal,
                        sigma=sigma,
                        step_size=step_size,
                        epochs=epochs,
                        reps=reps,
                        seed=seed,
                        threads=threads,
                        backend=backend,
                        progress=False,
                        executor=executor,
                    )
                    error[:, r, i] = sgd_run.excess[:, 0, -1]
                    counted[r, i] = epochs * float(sgd_run.epoch_flops[0])
                    bar.advance()
    if not np.all(error > 0) or not np.all(np.isfinite(error)):
        raise ValueError("compute_scaling: an excess risk is zero or not finite; add noise (sigma > 0) or signal")
    params_x_data = (widths * sizes[None, :]).astype(float)
    exact = None
    if estimator == "min_norm":
        from .closed_forms import min_norm_risk

        exact = np.array([[min_norm_risk(int(n), int(p), signal, sigma) for n, p in zip(sizes, row)] for row in widths])
    exponents = []
    for r, ratio in enumerate(ratio_array):
        for measure, compute in (("params_x_data", params_x_data[r]), ("counted_flops", counted[r])):
            exponents.append(
                scaling_exponent(
                    error[:, r, :],
                    compute,
                    ratio=float(ratio),
                    measure=measure,
                    n_resamples=n_resamples,
                    method=method,
                    confidence_level=level,
                    seed=seed,
                    exact_error=None if exact is None else exact[r],
                )
            )
    params = dict(signal=signal, sigma=sigma, k=k, epochs=epochs, step_size=step_size, backend=backend)
    return ComputeScalingResult(
        estimator,
        ratio_array,
        sizes,
        widths,
        error,
        params_x_data,
        counted,
        tuple(exponents),
        n_resamples,
        method,
        level,
        seed,
        params,
    )
