"""Pure-numpy twins of the C++ fitting kernels (cpp/src/fit/*.cpp), same formulas.

- ``ols_qr``: column scaling, ``numpy.linalg.qr`` (Householder, LAPACK dgeqrf),
  then four steps of Björck's refinement of the augmented system with the defects
  accumulated in ``numpy.longdouble``.
- ``ols_jackknife``: b_(i) = b - (X'X)^-1 x_i r_i / (1 - h_ii).
- ``resample_indices``: the row indices of the pairs and residual schemes, two per
  SplitMix64 draw (twin of cpp/include/computelimits/fit/resample_index.hpp).
- ``bootstrap_ols``: the same resamples as the C++ kernel (stream (seed, b) via
  ``computelimits._random``), folded into X'WX through a resample-by-row weight
  matrix (memory O(resamples x n): the runner's blocks bound it, see
  ``computelimits.runner.BLOCK_BYTES``; ``chunk`` splits a call further).
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import _random

SCHEMES = {"pairs": 0, "residual": 1, "wild_rademacher": 2, "wild_mammen": 3, "poisson": 4}
_SINGULAR_TOLERANCE = 1e-13


def _defect(x, y, b, r=None):
    xl = x.astype(np.longdouble)
    value = y.astype(np.longdouble) - xl @ b.astype(np.longdouble)
    if r is not None:
        value = value - r.astype(np.longdouble)
    return value.astype(np.float64)


def ols_qr(design: np.ndarray, response: np.ndarray) -> dict:
    """OLS by scaled Householder QR plus Björck refinement (twin of ``_core.fit.ols_qr``)."""
    n, p = design.shape
    if n < p:
        raise ValueError(f"need at least as many observations as parameters, got n = {n} < p = {p}")
    norms = np.linalg.norm(design, axis=0)
    if not np.all(np.isfinite(norms) & (norms > 0)):
        raise ValueError("a design column is all zero or not finite")
    scale = 1.0 / norms
    scaled = design * scale
    q, r = np.linalg.qr(scaled, mode="reduced")
    diagonal = np.abs(np.diag(r))
    if not diagonal.min() > 1e-13 * diagonal.max():
        raise ValueError("design is rank deficient (collinear columns, e.g. a constant x)")
    params = scale * np.linalg.solve(r, q.T @ response)
    resid = _defect(design, response, params)
    for _ in range(4):
        f = _defect(design, response, params, resid)
        g_scaled = -(design.T.astype(np.longdouble) @ resid.astype(np.longdouble)).astype(np.float64) * scale
        qtf = q.T @ f
        d1 = np.linalg.solve(r.T, g_scaled)
        dc = np.linalg.solve(r, qtf - d1)
        resid = resid + q @ d1 + (f - q @ qtf)
        params = params + scale * dc
    resid = _defect(design, response, params)
    r_inverse = np.linalg.solve(r, np.eye(p))
    scaled_inverse = scale[:, None] * r_inverse
    z = scaled @ r_inverse
    rss = float(np.sum(resid.astype(np.longdouble) ** 2))
    return {
        "params": params,
        "cov_unscaled": scaled_inverse @ scaled_inverse.T,
        "fitted": response - resid,
        "resid": resid,
        "leverage": np.sum(z * z, axis=1),
        "rss": rss,
    }


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


def _solve_rows(xtx: np.ndarray, xty: np.ndarray, syy, sy, sw, centred_tss) -> np.ndarray:
    """Cholesky solves of a stack of p x p systems; NaN where numerically singular."""
    m, p, _ = xtx.shape
    out = np.full((m, p + 1), np.nan)
    largest = np.max(np.diagonal(xtx, axis1=1, axis2=2), axis=1)
    eigen_ok = np.all(np.linalg.eigvalsh(xtx) > 0, axis=1) & (largest > 0)
    ok = np.zeros(m, dtype=bool)
    if np.any(eigen_ok):
        lower = _cholesky_or_nan(xtx[eigen_ok])
        pivots = np.diagonal(lower, axis1=1, axis2=2)
        ok[np.flatnonzero(eigen_ok)] = np.all(pivots * pivots > _SINGULAR_TOLERANCE * largest[eigen_ok, None], axis=1)
    if not np.any(ok):
        return out
    b = np.linalg.solve(xtx[ok], xty[ok][:, :, None])[:, :, 0]
    rss = syy[ok] - np.einsum("ij,ij->i", b, xty[ok])
    tss = syy[ok] - sy[ok] * sy[ok] / sw[ok] if centred_tss else syy[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(tss > 0, 1.0 - rss / tss, np.nan)
    out[ok, :p] = b
    out[ok, p] = r2
    return out


def bootstrap_ols(
    design,
    response,
    fitted,
    residuals,
    scheme: int,
    centred_tss: bool,
    seed: int,
    first_resample: int,
    n_resamples: int,
    chunk: int = 0,
) -> np.ndarray:
    """n_resamples x (p + 1): coefficients then R^2, twin of ``_core.fit.bootstrap_ols``."""
    n, p = design.shape
    if chunk <= 0:
        chunk = max(1, n_resamples)
    outer = (design[:, :, None] * design[:, None, :]).reshape(n, p * p)
    out = np.empty((n_resamples, p + 1))
    sqrt5 = np.sqrt(5.0)
    for begin in range(0, n_resamples, chunk):
        m = min(chunk, n_resamples - begin)
        first = first_resample + begin
        if scheme in (0, 4):
            if scheme == 0:
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
        else:
            if scheme == 1:
                index = resample_indices(seed, first, m, n)
                ystar = fitted[None, :] + residuals[index]
            else:
                u = _random.uniform_matrix(seed, first, m, 0, n)
                if scheme == 2:
                    v = np.where(u < 0.5, -1.0, 1.0)
                else:
                    v = np.where(u < (sqrt5 + 1.0) / (2.0 * sqrt5), -(sqrt5 - 1.0) / 2.0, (sqrt5 + 1.0) / 2.0)
                ystar = fitted[None, :] + residuals[None, :] * v
            xtx = np.broadcast_to((design.T @ design)[None], (m, p, p))
            xty = ystar @ design
            sw = np.full(m, float(n))
            sy = ystar.sum(axis=1)
            syy = np.einsum("ij,ij->i", ystar, ystar)
        out[begin : begin + m] = _solve_rows(np.ascontiguousarray(xtx), xty, syy, sy, sw, centred_tss)
    return out
