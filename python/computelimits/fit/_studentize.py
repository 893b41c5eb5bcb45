"""Standard errors for bootstrap-t (studentized) intervals.

Each resample carries the covariance of its coefficients estimated by the kernel (C++
``resample_covariance.cpp`` or the numpy twin): classical s*^2 (X*'X*)^-1 for the residual
schemes (errors exchangeable), HC3 (MacKinnon and White 1985) for pairs, Poisson and wild
(heteroskedasticity-consistent). The estimate's standard error uses the same formula on
the data. A derived statistic f(b) gets its standard error by the delta method,
sqrt(g' C g) with g the gradient of f by central differences.
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from ..exceptions import FloatRangeWarning

#: Covariance kind used to studentize each bootstrap scheme (fit.bootstrap.SCHEMES).
SCHEME_COVARIANCE = {
    "pairs": "hc3",
    "poisson": "hc3",
    "residual": "classical",
    "residual_hc2": "classical",
    "residual_hc3": "classical",
    "wild": "hc3",
    "wild_hc2": "hc3",
    "wild_hc3": "hc3",
}
_LEVERAGE_TOLERANCE = 1e-12


def fit_covariance(fit, kind: str) -> np.ndarray:
    """(p, p) covariance of the fitted coefficients: classical s^2 (X'X)^-1 or the sandwich
    (X'X)^-1 X' diag(u) X (X'X)^-1 with u_i = r_i^2 (hc0), r_i^2 / (1 - h_i) (hc2),
    r_i^2 / (1 - h_i)^2 (hc3); NaN when a leverage is 1 (HC2, HC3)."""
    if kind == "classical":
        return fit.cov_params()
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # out of range: see studentized_rows
        u = fit.resid**2
        if kind != "hc0":
            complement = 1.0 - fit.leverage
            if not np.all(complement > _LEVERAGE_TOLERANCE):
                return np.full_like(fit.cov_unscaled, np.nan)
            u = u / (complement if kind == "hc2" else complement * complement)
        meat = (fit.design.T * u) @ fit.design
        return fit.cov_unscaled @ meat @ fit.cov_unscaled


def covariance_matrices(rows: np.ndarray, p: int) -> np.ndarray:
    """(B, p, p) symmetric matrices from the kernel's (p (p + 1) / 2, B) upper-triangle rows."""
    upper = np.triu_indices(p)
    out = np.empty((rows.shape[1], p, p))
    out[:, upper[0], upper[1]] = rows.T
    out[:, upper[1], upper[0]] = rows.T
    return out


def uncentre(covariances: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Covariances of (c0, beta) from those of the centred fit (c0 + mean(y) - centre . beta, beta):
    J C J' with J = [[1, -centre'], [0, I]]."""
    p = covariances.shape[-1]
    jacobian = np.eye(p)
    jacobian[0, 1:] = -centre
    with np.errstate(invalid="ignore", over="ignore"):  # inf covariances (out of range): see studentized_rows
        return jacobian @ covariances @ jacobian.T


def coefficient_standard_errors(covariances: np.ndarray) -> np.ndarray:
    """(p, B) standard errors sqrt(C_jj) of (B, p, p) covariances (NaN where C_jj < 0 or NaN)."""
    with np.errstate(invalid="ignore"):
        return np.sqrt(np.diagonal(covariances, axis1=1, axis2=2)).T


def delta_standard_errors(
    function: Callable[[np.ndarray], np.ndarray], coefficients: np.ndarray, covariances: np.ndarray, steps: np.ndarray
) -> np.ndarray:
    """(m,) delta-method standard errors sqrt(g' C g) of f at each row of the (m, p) coefficients,
    g by central differences (f(b + h_j e_j) - f(b - h_j e_j)) / (2 h_j) with steps h (p,)."""
    m, p = coefficients.shape
    gradient = np.empty((m, p))
    with np.errstate(all="ignore"):
        for j in range(p):
            shift = np.zeros(p)
            shift[j] = steps[j]
            up = np.asarray(function(coefficients + shift), dtype=float).reshape(m)
            down = np.asarray(function(coefficients - shift), dtype=float).reshape(m)
            gradient[:, j] = (up - down) / (2.0 * steps[j])
        return np.sqrt(np.einsum("mi,mij,mj->m", gradient, covariances, gradient))


def difference_steps(params: np.ndarray, standard_errors: np.ndarray) -> np.ndarray:
    """Central-difference steps h_j = 1e-5 (|b_j| + se_j) (1e-5 when both are 0)."""
    scale = np.abs(params) + np.nan_to_num(standard_errors, nan=0.0, posinf=0.0)
    return 1e-5 * np.where(scale > 0, scale, 1.0)


def studentized_rows(fit, draws: np.ndarray, derived: dict, include_coefficients: bool, kind: str) -> tuple:
    """For every statistic with a standard error (coefficients, derived ones): its T* row
    (t* - t) / se*, its estimate's se; R^2 has none (its interval is the percentile one)."""
    p = len(fit.params)
    coefficients = draws[:p].T
    covariances = covariance_matrices(draws[p + 1 :], p)
    original = fit_covariance(fit, kind)
    spread = np.ptp(draws[:p], axis=1) > 0
    if np.isinf(original).any() or np.isinf(covariances).any() or np.any((np.diag(original) == 0) & spread):
        warnings.warn(
            FloatRangeWarning(
                "bootstrap-t needs the covariance of the coefficients, which lies outside float64's range "
                "at this scale of the data (it holds inf or 0): the studentized intervals are NaN; rescale "
                "x or y, or use method='percentile' or 'bca'"
            ),
            stacklevel=4,
        )
    with np.errstate(invalid="ignore"):
        original_se = np.sqrt(np.diag(original))
    t_rows, ses = [], []
    if include_coefficients:
        resampled_se = coefficient_standard_errors(covariances)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_rows.append((draws[:p] - fit.params[:, None]) / resampled_se)
        ses.append(original_se)
    steps = difference_steps(fit.params, original_se)
    for function in derived.values():
        with np.errstate(all="ignore"):
            values = np.asarray(function(coefficients), dtype=float).reshape(-1)
            estimate = np.asarray(function(fit.params[None, :]), dtype=float).reshape(1)
            resampled = delta_standard_errors(function, coefficients, covariances, steps)
            ses.append(delta_standard_errors(function, fit.params[None, :], original[None], steps))
            t_rows.append(((values - estimate) / resampled)[None, :])
    return np.vstack(t_rows), np.concatenate(ses)
