"""The resampled coefficients of an OLS fit: the residuals a scheme draws from and the runner's blocks.

Resample b draws only from the random stream (seed, first_resample + b), so the C++ kernel and
its numpy twin (``_bootstrap_blocks``, ``_numpy_twin``) see the same resamples for any thread
count or executor. With an intercept the regressors and y are centred at their full-sample
means first and the intercept mapped back as c0 + mean(y) - mean(x) . beta. The HC2/HC3 schemes
resample e_i / sqrt(1 - h_i) or e_i / (1 - h_i) (MacKinnon and White 1985).
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from .. import runner
from . import _studentize
from ._bootstrap_blocks import cpp_block, footprint, numpy_block, resample_cost
from .intervals import scaled_mean
from .ols import OLSResult

_LEVERAGE_TOLERANCE = 1e-12


def kernel_scheme(scheme: str, wild_weights: str = "rademacher") -> str:
    """The kernel mechanism (``_numpy_twin.KERNEL_SCHEMES``) that draws ``scheme``."""
    if scheme.startswith("wild"):
        return "wild_" + wild_weights
    return "residual" if scheme.startswith("residual") else scheme


def resampled_residuals(fit: OLSResult, scheme: str) -> np.ndarray:
    """The residuals a scheme resamples: e (wild), e recentred (residual), and with the HC2/HC3
    suffix e_i / sqrt(1 - h_i) or e_i / (1 - h_i) (recentred for residual; a row with
    h_i >= 1 - 1e-12, fitted exactly, contributes 0)."""
    residuals = fit.resid
    if scheme.endswith(("_hc2", "_hc3")):
        complement = 1.0 - fit.leverage
        usable = complement > _LEVERAGE_TOLERANCE
        # a fitted-exactly row's 1 - h_i may round below 0: it is masked, so its square root is not taken
        divisor = np.sqrt(np.where(usable, complement, 1.0)) if scheme.endswith("_hc2") else complement
        with np.errstate(over="ignore"):  # +-inf near float64's limit: warned with the resamples
            residuals = np.where(usable, residuals / np.where(usable, divisor, 1.0), 0.0)
    if scheme.startswith("residual"):
        with np.errstate(over="ignore", invalid="ignore"):  # +-inf as above, warned with the resamples
            residuals = residuals - scaled_mean(residuals)
    return residuals


def resample_coefficients(
    fit: OLSResult,
    n_resamples: int,
    scheme: str = "pairs",
    seed: int = 0,
    threads=None,
    backend: str = "cpp",
    wild_weights: str = "rademacher",
    first_resample: int = 0,
    progress: Optional[bool] = None,
    covariance: str = "none",
    executor: Any = None,
) -> np.ndarray:
    """(p + 1, n_resamples): each coefficient's resampled values (original coordinates), then R^2's;
    with ``covariance`` (one of ``_numpy_twin.COVARIANCE_KINDS`` but "none") p (p + 1) / 2 more rows,
    the upper triangle of each resample's covariance of the coefficients (original coordinates).

    Resamples are computed by :func:`computelimits.runner.run` in blocks (local threads or
    ``executor``); resample b depends only on (seed, b), so the blocks change nothing."""
    design, response = fit.design, fit.response
    n, p = design.shape
    if fit.intercept:
        centre = np.array([scaled_mean(column) for column in design[:, 1:].T])
        response_mean = scaled_mean(response)
        design = np.ascontiguousarray(np.column_stack([design[:, 0], design[:, 1:] - centre]))
        response = response - response_mean
    fitted = fit.fittedvalues - (response_mean if fit.intercept else 0.0)
    residuals = resampled_residuals(fit, scheme)
    mechanism = kernel_scheme(scheme, wild_weights)
    statistics = p + 1 + (0 if covariance == "none" else p * (p + 1) // 2)
    pieces = runner.run(
        cpp_block if backend == "cpp" else numpy_block,
        (design, response, fitted, residuals, mechanism, covariance, fit.intercept, seed),
        runner.plan_blocks(n_resamples, resample_cost(n, p), 40.0 * n + 8.0 * p * p, first=first_resample),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description=f"bootstrap ({scheme}, {backend})",
        footprint=footprint(n_resamples, n, p, statistics, threads),
    )
    out = np.ascontiguousarray(runner.concatenate(pieces, axis=1))
    if fit.intercept:
        with np.errstate(over="ignore", invalid="ignore"):  # +-inf near float64's limits: warned by the caller
            out[0] += response_mean - centre @ out[1:p]
        if covariance != "none":
            matrices = _studentize.uncentre(_studentize.covariance_matrices(out[p + 1 :], p), centre)
            upper = np.triu_indices(p)
            out[p + 1 :] = matrices[:, upper[0], upper[1]].T
    return out
