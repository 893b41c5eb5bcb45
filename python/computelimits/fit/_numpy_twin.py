"""Pure-numpy twins of the C++ fitting kernels (cpp/src/fit/*.cpp), same formulas.

- OLS itself is the shared least-squares core's twin, ``computelimits._least_squares``.
- ``ols_jackknife``: b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii).
- ``resample_indices``: the row indices of the pairs and residual schemes, two per
  SplitMix64 draw (twin of cpp/include/computelimits/fit/resample_index.hpp).
- ``bootstrap_ols``: the same resamples as the C++ kernel (stream (seed, b) via
  ``computelimits._random``), folded into X'WX through a resample-by-row weight
  matrix (memory O(resamples x n): the runner's blocks bound it, see
  ``computelimits.runner.BLOCK_BYTES``; ``chunk`` splits a call further), with the same
  power-of-two equilibration and, for bootstrap-t, the same per-resample covariances.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from .. import _random

#: How the kernel draws a resample, in the order of the C++ enum ``_core.fit.Scheme``.
KERNEL_SCHEMES = ("pairs", "residual", "wild_rademacher", "wild_mammen", "poisson")
#: The covariance estimated per resample, in the order of ``_core.fit.CovarianceKind``.
COVARIANCE_KINDS = ("none", "classical", "hc0", "hc2", "hc3")
_SINGULAR_TOLERANCE = 1e-13
_LEVERAGE_TOLERANCE = 1e-12


def ols_jackknife(design, params, cov_unscaled, resid, leverage) -> np.ndarray:
    """Leave-one-out coefficients in closed form; rows with h_ii ~ 1 are NaN."""
    denominator = 1.0 - leverage
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(denominator > 1e-12, resid / denominator, np.nan)
    return params[None, :] - (design @ cov_unscaled.T) * factor[:, None]


_LOW_32 = np.uint64(0xFFFFFFFF)
_SHIFT_32 = np.uint64(32)


def resample_indices(seed: int, first_resample: int, resamples: int, n: int) -> np.ndarray:
    """(resamples, n) row indices: index 2j-2 and 2j-1 of a resample come from draw j of
    its stream, h, as ((h >> 32) n) >> 32 and ((h mod 2^32) n) >> 32 (Lemire's
    multiply-shift; relative bias below n / 2^32; needs n < 2^32)."""
    raw = _random.raw_matrix(seed, first_resample, resamples, 0, (n + 1) // 2)
    rows = np.uint64(n)
    out = np.empty((resamples, raw.shape[1] * 2), dtype=np.int64)
    out[:, 0::2] = ((raw >> _SHIFT_32) * rows) >> _SHIFT_32
    out[:, 1::2] = ((raw & _LOW_32) * rows) >> _SHIFT_32
    return out[:, :n]


def _poisson_thresholds() -> np.ndarray:
    """Cumulative Poisson(1) probabilities, accumulated as RandomStream::poisson_one does."""
    probability = 0.36787944117144233
    cumulative = probability
    out = [cumulative]
    for k in range(1, 64):
        probability /= float(k)
        cumulative += probability
        out.append(cumulative)
    return np.array(out)


def _cholesky_or_nan(stack: np.ndarray) -> np.ndarray:
    """Stacked Cholesky factors; NaN for a matrix whose factorization fails (rounding can
    leave an exactly singular X'WX with all eigenvalues > 0 but a non-positive pivot)."""
    try:
        return np.linalg.cholesky(stack)
    except np.linalg.LinAlgError:
        out = np.full_like(stack, np.nan)
        for k, matrix in enumerate(stack):
            with contextlib.suppress(np.linalg.LinAlgError):
                out[k] = np.linalg.cholesky(matrix)
        return out


def _solve_rows(xtx: np.ndarray, xty: np.ndarray, syy, sy, sw, centred_tss) -> tuple:
    """Cholesky solves of a stack of p x p systems: ((m, p + 1) coefficients and R^2, (m,) RSS);
    NaN where numerically singular."""
    m, p, _ = xtx.shape
    out = np.full((m, p + 1), np.nan)
    rss_out = np.full(m, np.nan)
    largest = np.max(np.diagonal(xtx, axis1=1, axis2=2), axis=1)
    eigen_ok = np.all(np.linalg.eigvalsh(xtx) > 0, axis=1) & (largest > 0)
    ok = np.zeros(m, dtype=bool)
    if np.any(eigen_ok):
        lower = _cholesky_or_nan(xtx[eigen_ok])
        pivots = np.diagonal(lower, axis1=1, axis2=2)
        ok[np.flatnonzero(eigen_ok)] = np.all(pivots * pivots > _SINGULAR_TOLERANCE * largest[eigen_ok, None], axis=1)
    if not np.any(ok):
        return out, rss_out
    b = np.linalg.solve(xtx[ok], xty[ok][:, :, None])[:, :, 0]
    rss = syy[ok] - np.einsum("ij,ij->i", b, xty[ok])
    tss = syy[ok] - sy[ok] * sy[ok] / sw[ok] if centred_tss else syy[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(tss > 0, 1.0 - rss / tss, np.nan)
    out[ok, :p] = b
    out[ok, p] = r2
    rss_out[ok] = rss
    return out, rss_out


def _covariances(kind, design, weights, values, b, rss, sw, inverse, leverage):
    """(m, p (p + 1) / 2) upper-triangle covariances of the resamples (``resample_covariance.cpp``):
    classical s^2 G^-1, s^2 = RSS / (sum w - p); HC0/HC2/HC3 G^-1 [sum w_i u_i x_i x_i'] G^-1 with
    u_i = r_i^2, r_i^2 / (1 - h_i), r_i^2 / (1 - h_i)^2 (NaN if a used row has 1 - h_i <= 1e-12)."""
    p = b.shape[1]
    upper = np.triu_indices(p)
    if kind == "classical":
        with np.errstate(divide="ignore", invalid="ignore"):
            variance = np.where(sw - p > 0, np.maximum(rss, 0.0) / (sw - p), np.nan)
        return (inverse * variance[:, None, None])[:, upper[0], upper[1]]
    residual = values - b @ design.T
    factor = residual * residual
    used = np.ones_like(factor, dtype=bool) if weights is None else weights > 0
    if kind != "hc0":
        if leverage is None:
            leverage = np.einsum("ij,mjk,ik->mi", design, inverse, design)
        complement = np.broadcast_to(1.0 - leverage, factor.shape)
        bad = np.any(used & ~(complement > _LEVERAGE_TOLERANCE), axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = factor / (complement if kind == "hc2" else complement * complement)
        factor[bad] = np.nan
    scale = factor if weights is None else np.where(used, weights * factor, 0.0)
    meat = np.einsum("mi,ij,ik->mjk", scale, design, design)
    return (inverse @ meat @ inverse)[:, upper[0], upper[1]]


def _unit_exponent(values) -> int:
    """e with max |v| 2^-e in [1, 2) (0 for all zeros), as the C++ kernel's ``unit_exponent``."""
    largest = float(np.max(np.abs(values))) if np.size(values) else 0.0
    return 0 if largest == 0 else math.frexp(largest)[1] - 1


def bootstrap_ols(
    design,
    response,
    fitted,
    residuals,
    scheme: str,
    covariance: str,
    centred_tss: bool,
    seed: int,
    first_resample: int,
    n_resamples: int,
    chunk: int = 0,
) -> np.ndarray:
    """n_resamples x statistics: coefficients, R^2, then (``covariance`` not "none") each resample's
    covariance (upper triangle); twin of ``_core.fit.bootstrap_ols``. ``scheme`` is one of
    KERNEL_SCHEMES. Columns and the response-like vectors are equilibrated by powers of two
    first (max |.| in [1, 2)), as in the C++ kernel, and the results scaled back."""
    n, p = design.shape
    column_exponents = np.array([_unit_exponent(design[:, a]) for a in range(p)], dtype=np.int64)
    response_exponent = _unit_exponent(np.concatenate([response, fitted, residuals]))
    design = np.ldexp(design, -column_exponents[None, :])
    response, fitted, residuals = (np.ldexp(v, -response_exponent) for v in (response, fitted, residuals))
    studentize = covariance != "none"
    upper = np.triu_indices(p)
    statistics = p + 1 + (len(upper[0]) if studentize else 0)
    shifts = np.zeros(statistics, dtype=np.int64)
    shifts[:p] = response_exponent - column_exponents
    if studentize:
        shifts[p + 1 :] = 2 * response_exponent - column_exponents[upper[0]] - column_exponents[upper[1]]
    if chunk <= 0:
        chunk = max(1, n_resamples)
    outer = (design[:, :, None] * design[:, None, :]).reshape(n, p * p)
    rows = scheme in ("pairs", "poisson")
    fixed_inverse = fixed_leverage = None
    if not rows and studentize:
        gram = design.T @ design
        if np.all(np.linalg.eigvalsh(gram) > 0):
            fixed_inverse = np.linalg.inv(gram)
            fixed_leverage = np.einsum("ij,jk,ik->i", design, fixed_inverse, design)
    out = np.empty((n_resamples, statistics))
    sqrt5 = np.sqrt(5.0)
    for begin in range(0, n_resamples, chunk):
        m = min(chunk, n_resamples - begin)
        first = first_resample + begin
        weights = None
        if rows:
            if scheme == "pairs":
                index = resample_indices(seed, first, m, n)
                flat = (index + (np.arange(m) * n)[:, None]).ravel()
                weights = np.bincount(flat, minlength=m * n).reshape(m, n).astype(float)
            else:
                u = _random.uniform_matrix(seed, first, m, 0, n)
                weights = np.minimum(np.searchsorted(_poisson_thresholds(), u, side="right"), 64).astype(float)
            xtx = (weights @ outer).reshape(m, p, p)
            xty = weights @ (design * response[:, None])
            sw = weights.sum(axis=1)
            sy = weights @ response
            syy = weights @ (response * response)
            values = response
        else:
            if scheme == "residual":
                index = resample_indices(seed, first, m, n)
                ystar = fitted[None, :] + residuals[index]
            else:
                u = _random.uniform_matrix(seed, first, m, 0, n)
                if scheme == "wild_rademacher":
                    v = np.where(u < 0.5, -1.0, 1.0)
                else:
                    v = np.where(u < (sqrt5 + 1.0) / (2.0 * sqrt5), -(sqrt5 - 1.0) / 2.0, (sqrt5 + 1.0) / 2.0)
                ystar = fitted[None, :] + residuals[None, :] * v
            xtx = np.broadcast_to((design.T @ design)[None], (m, p, p))
            xty = ystar @ design
            sw = np.full(m, float(n))
            sy = ystar.sum(axis=1)
            syy = np.einsum("ij,ij->i", ystar, ystar)
            values = ystar
        block, rss = _solve_rows(np.ascontiguousarray(xtx), xty, syy, sy, sw, centred_tss)
        out[begin : begin + m, : p + 1] = block
        if studentize:
            ok = ~np.isnan(rss)
            covariance_rows = np.full((m, len(upper[0])), np.nan)
            if np.any(ok):
                if rows:
                    assert weights is not None  # resampled rows carry their weights
                    inverse = np.linalg.inv(xtx[ok])
                    used_weights, used_values = weights[ok], values
                else:
                    assert fixed_inverse is not None  # one design for every resample: inverted once above
                    inverse = np.broadcast_to(fixed_inverse, (int(ok.sum()), p, p))
                    used_weights, used_values = None, values[ok]
                covariance_rows[ok] = _covariances(
                    covariance,
                    design,
                    used_weights,
                    used_values,
                    block[ok, :p],
                    rss[ok],
                    sw[ok],
                    inverse,
                    None if rows else fixed_leverage,
                )
            out[begin : begin + m, p + 1 :] = covariance_rows
    with np.errstate(over="ignore", under="ignore"):
        return np.ldexp(out, shifts[None, :])
