"""Bootstrap confidence intervals with scipy.stats.bootstrap's conventions.

With alpha = (1 - confidence_level) / 2 and q(.) the linear-interpolation
quantile of the bootstrap distribution (numpy's default, scipy's too):

- percentile: [q(alpha), q(1 - alpha)];
- basic:      [2 t - q(1 - alpha), 2 t - q(alpha)];
- BCa (Efron and Tibshirani 1993, 14.3 and eq. 14.15): z0 = Phi^-1(p) with the
  mid-rank p = (#{t* < t} + #{t* <= t}) / (2 B); acceleration
  a = sum d_i^3 / (6 (sum d_i^2)^(3/2)), d_i = mean(t_(.)) - t_(i) over the
  jackknife values; endpoints q(Phi(z0 + (z0 + z) / (1 - a (z0 + z)))) at
  z = Phi^-1(alpha) and Phi^-1(1 - alpha).
- studentized (bootstrap-t; Efron and Tibshirani 1993, sec. 12.5; Davison and
  Hinkley 1997, ch. 5): with T*_b = (t*_b - t) / se*_b and q_T its quantiles,
  [t - q_T(1 - alpha) se, t - q_T(alpha) se], se the estimate's standard error.

A NaN endpoint (degenerate distribution, undefined acceleration, a NaN
resample) is returned as NaN with scipy's DegenerateDataWarning.
"""

from __future__ import annotations

import warnings
from typing import Optional

import numpy as np

from .. import _validation

METHODS = ("percentile", "basic", "bca", "studentized")


def jackknife_acceleration(jackknife_values) -> np.ndarray:
    """BCa acceleration a = sum d^3 / (6 (sum d^2)^1.5), d_i = mean(t_(.)) - t_(i), along the last axis.

    Efron and Tibshirani (1993), eq. 14.15, from the jackknife (leave-one-out) values of the
    statistic. For the mean of [52, 104, 146, 10, 51, 30, 40, 27, 46] (Efron and Tibshirani's
    mouse data) the jackknife means give a = 0.0658752720662613.

    Parameters
    ----------
    jackknife_values : array_like
        Leave-one-out values t_(i), (n,) or (k, n).

    Returns
    -------
    numpy.ndarray
        a, one per row.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> mice = np.array([52, 104, 146, 10, 51, 30, 40, 27, 46], dtype=float)
    >>> leave_one_out_means = (mice.sum() - mice) / (len(mice) - 1)
    >>> float(fit.jackknife_acceleration(leave_one_out_means))
    0.0658752720662613
    """
    values = np.asarray(jackknife_values, dtype=np.float64)
    values = np.ldexp(values, -_range_exponents(values)[..., None])  # a is scale-free: no overflow in the mean
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # undefined: NaN, warned with the interval
        d = values.mean(axis=-1, keepdims=True) - values
        d = np.ldexp(d, -_range_exponents(d, 2.0**200)[..., None])  # a is scale-free: keep d^3 in range
        return np.sum(d**3, axis=-1) / (6.0 * np.sum(d**2, axis=-1) ** 1.5)


def scaled_mean(data) -> float:
    """The mean, summed scaled by a power of two when |values| lie beyond 2^+-300 (no overflow at 1e308)."""
    data = np.asarray(data, dtype=np.float64)
    exponent = int(_range_exponents(data))
    return float(np.ldexp(np.mean(np.ldexp(data, -exponent)), exponent))


def mean_jackknife(data) -> np.ndarray:
    """Leave-one-out means (sum - x_i) / (n - 1) (scaled as ``scaled_mean``)."""
    data = np.asarray(data, dtype=np.float64)
    exponent = int(_range_exponents(data))
    scaled = np.ldexp(data, -exponent)
    return np.ldexp((scaled.sum() - scaled) / (len(data) - 1), exponent)


def warn_out_of_range(distribution: np.ndarray) -> None:
    """FloatRangeWarning when resampled statistics overflowed to +-inf (data near float64's limits)."""
    if np.isinf(distribution).any():
        from ..exceptions import FloatRangeWarning

        warnings.warn(
            FloatRangeWarning(
                "some resampled or leave-one-out statistics or interval ends lie outside float64's range (+-inf): the data are too close to "
                "float64's limits for this bootstrap; rescale them"
            ),
            stacklevel=3,
        )


def bias_correction(distribution: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """z0 = Phi^-1((#{t* < t} + #{t* <= t}) / (2 B)) per row (scipy's mid-rank rule)."""
    from scipy import special

    b = distribution.shape[-1]
    below = np.count_nonzero(distribution < estimate[:, None], axis=-1)
    at_or_below = np.count_nonzero(distribution <= estimate[:, None], axis=-1)
    return special.ndtri((below + at_or_below) / (2.0 * b))


def _quantile_rows(values: np.ndarray, probability: float) -> np.ndarray:
    """np.quantile(values, probability, axis=1) (linear interpolation), bit for bit:
    h = probability (B - 1), a and b the order statistics floor(h) and floor(h) + 1,
    g = h - floor(h), a + (b - a) g (or b - (b - a)(1 - g) when g >= 1/2, numpy's _lerp).
    One single-kth partition (several kth in one np.partition call cost ~5x more)."""
    b = values.shape[1]
    virtual = (b - 1) * probability
    low = min(int(np.floor(virtual)), b - 1)
    gamma = virtual - low
    part = np.partition(values, low, axis=1)
    first = part[:, low]
    second = part[:, low + 1 :].min(axis=1) if low + 1 < b else first
    with np.errstate(invalid="ignore"):  # inf - inf (a bootstrap-t row with se* = 0): NaN, warned by the caller
        diff = second - first
        return first + diff * gamma if gamma < 0.5 else second - diff * (1.0 - gamma)


def _quantiles(distribution: np.ndarray, probabilities: np.ndarray, backend: str = "numpy", threads=None) -> np.ndarray:
    """Each row's quantiles at its row of probabilities; NaN for a non-finite probability
    or a row holding a NaN. Rows sharing their probabilities (percentile, basic) at once.
    ``backend="cpp"``: the same values from the C++ kernel (nth_element per row)."""
    if backend == "cpp":
        from .. import _core

        return _core.fit.distribution_quantiles(distribution, probabilities, _validation.resolve_threads(threads))
    out = np.full(probabilities.shape, np.nan)
    usable = ~np.isnan(distribution).any(axis=1)
    finite = np.isfinite(probabilities)
    if np.all(finite) and np.all(probabilities == probabilities[:1]):
        if np.any(usable):
            rows = distribution if np.all(usable) else distribution[usable]
            for col, probability in enumerate(probabilities[0]):
                out[usable, col] = _quantile_rows(rows, float(probability))
        return out
    for row in np.flatnonzero(usable):
        for finite_col in np.flatnonzero(finite[row]):
            out[row, finite_col] = _quantile_rows(distribution[row : row + 1], float(probabilities[row, finite_col]))[0]
    return out


def _range_exponents(rows: np.ndarray, bound: float = 2.0**300) -> np.ndarray:
    """Per row, the binary exponent e of its largest finite |value| when that lies outside
    [1 / bound, bound] (at least -1000), else 0: dividing the row by 2^e keeps its squares
    and cubes inside float64's range, and leaves ordinary rows untouched."""
    with np.errstate(invalid="ignore"):
        largest = np.max(np.where(np.isfinite(rows), np.abs(rows), 0.0), axis=-1)
    exponents = np.frexp(largest)[1]
    scaled = (largest > bound) | ((largest > 0) & (largest < 1.0 / bound))
    return np.where(scaled, np.maximum(exponents, -1000), 0)


def standard_errors(distribution: np.ndarray, backend: str = "numpy", threads=None) -> np.ndarray:
    """Each row's standard deviation with ddof=1 (scipy's ``standard_error``); NaN, with scipy's
    DegenerateDataWarning, for a row of one resample or one holding a NaN."""
    distribution = np.atleast_2d(np.asarray(distribution, dtype=np.float64))
    if backend == "cpp":
        from .. import _core

        errors = _core.fit.distribution_standard_errors(distribution, _validation.resolve_threads(threads))
    elif distribution.shape[1] <= 1:
        errors = np.full(len(distribution), np.nan)
    else:  # rows beyond [2^-300, 2^300] scaled by a power of two, as the C++ kernel does
        exponents = _range_exponents(distribution)
        with np.errstate(invalid="ignore"):
            errors = np.ldexp(np.std(np.ldexp(distribution, -exponents[:, None]), axis=1, ddof=1), exponents)
    if np.any(np.isnan(errors)):
        from scipy.stats import DegenerateDataWarning

        warnings.warn(
            DegenerateDataWarning(
                "The bootstrap standard error is undefined (NaN): fewer than two resamples, or a NaN resample."
            ),
            stacklevel=3,
        )
    return errors


def _warn_nan_endpoints(bounds: np.ndarray) -> None:
    if np.any(np.isnan(bounds)):
        from scipy.stats import DegenerateDataWarning

        warnings.warn(
            DegenerateDataWarning(
                "The bootstrap confidence interval cannot be calculated (NaN endpoint): the bootstrap "
                "distribution is degenerate, a resample was singular, or the jackknife acceleration is undefined."
            ),
            stacklevel=4,
        )


def studentized_bounds(
    t_distribution, estimate, standard_error, confidence_level: float, backend: str = "numpy", threads=None
):
    """(low, high) bootstrap-t bounds for each row of a (k, B) distribution of T* = (t* - t) / se*:
    [t - q(1 - alpha) se, t - q(alpha) se], q the linear-interpolation quantile (Efron and
    Tibshirani 1993, sec. 12.5). A row holding a NaN (an undefined se*) gives NaN bounds with
    scipy's DegenerateDataWarning."""
    t_distribution = np.atleast_2d(np.asarray(t_distribution, dtype=np.float64))
    estimate = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
    standard_error = np.atleast_1d(np.asarray(standard_error, dtype=np.float64))
    alpha = (1.0 - confidence_level) / 2.0
    probabilities = np.tile([alpha, 1.0 - alpha], (t_distribution.shape[0], 1))
    quantiles = _quantiles(t_distribution, probabilities, backend, threads)
    with np.errstate(invalid="ignore"):
        bounds = np.column_stack(
            [estimate - quantiles[:, 1] * standard_error, estimate - quantiles[:, 0] * standard_error]
        )
    _warn_nan_endpoints(bounds)
    if np.any(np.isinf(bounds)):
        from scipy.stats import DegenerateDataWarning

        warnings.warn(
            DegenerateDataWarning(
                "The bootstrap-t interval is unbounded (an infinite endpoint): resamples with a zero standard error "
                "make T* infinite beyond the requested quantile; use the percentile or BCa method, or more data."
            ),
            stacklevel=3,
        )
    return bounds[:, 0], bounds[:, 1]


def confidence_bounds(
    distribution,
    estimate,
    method: str,
    confidence_level: float,
    jackknife: Optional[np.ndarray] = None,
    backend: str = "numpy",
    threads=None,
    acceleration: Optional[np.ndarray] = None,
):
    """(low, high, z0, acceleration) for each row of a (k, B) bootstrap distribution.

    ``estimate`` is (k,), ``jackknife`` (k, n) leave-one-out values (BCa only), or, in
    its place, the (k,) ``acceleration`` already computed from them. Methods percentile,
    basic and BCa; bootstrap-t intervals come from ``studentized_bounds``.
    ``backend`` picks who computes the quantiles (the values are the same bit for bit).
    """
    from scipy import special

    distribution = np.atleast_2d(np.asarray(distribution, dtype=np.float64))
    estimate = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
    alpha = (1.0 - confidence_level) / 2.0
    k = distribution.shape[0]
    z0 = None
    if method == "bca":
        if jackknife is None and acceleration is None:
            raise ValueError("method='bca' needs the jackknife values or the acceleration")
        z0 = bias_correction(distribution, estimate)
        if jackknife is not None:
            acceleration = jackknife_acceleration(np.atleast_2d(jackknife))
        acceleration = np.atleast_1d(np.asarray(acceleration, dtype=np.float64))
        z_low = float(special.ndtri(alpha))
        with np.errstate(divide="ignore", invalid="ignore"):
            first = z0 + z_low
            second = z0 - z_low
            probabilities = np.column_stack(
                [
                    special.ndtr(z0 + first / (1.0 - acceleration * first)),
                    special.ndtr(z0 + second / (1.0 - acceleration * second)),
                ]
            )
    else:
        acceleration = None
        probabilities = np.tile([alpha, 1.0 - alpha], (k, 1))
    bounds = _quantiles(distribution, probabilities, backend, threads)
    low, high = bounds[:, 0], bounds[:, 1]
    if method == "basic":
        # 2 t overflows near float64's limit: t + (t - q) there; an infinite t and q give NaN, warned below
        with np.errstate(over="ignore", invalid="ignore"):
            twice = 2.0 * estimate
            near_limit = ~np.isfinite(twice) & np.isfinite(estimate)
            low, high = (np.where(near_limit, estimate + (estimate - q), twice - q) for q in (high, low))
        warn_out_of_range(np.concatenate([low, high]))
    _warn_nan_endpoints(np.column_stack([low, high]))
    return low, high, z0, acceleration
