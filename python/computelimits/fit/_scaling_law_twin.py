"""The scipy twin of the scaling-law kernels (``cpp/src/fit/scaling_law.cpp``).

The objective and its gradient are the same formulas in numpy; each start (and
each bootstrap resample) is minimized by ``scipy.optimize.minimize(method="L-BFGS-B")``
with the same settings as the C++ L-BFGS (memory, ftol, gtol, iteration and
evaluation caps, line-search trials). Records have the C++ layout: a, b, e, alpha,
beta, objective, status, iterations, evaluations. Resample rows come from
``_numpy_twin.resample_indices``, the same integers the C++ kernel draws.
"""

from __future__ import annotations

import contextlib

import numpy as np

from . import _numpy_twin

# Status codes of a minimization, in the order of common::LbfgsStatus (cpp/include/computelimits/common/lbfgs.hpp).
STATUSES = (
    "converged (gradient)",
    "converged (objective)",
    "line search failed",
    "iteration limit",
    "evaluation limit",
    "non-finite",
)
CONVERGED = (0, 1)
RECORD = 9


def status_counts(records: np.ndarray) -> dict:
    """How many records (rows of the (m, 9) layout) ended in each status of ``STATUSES``."""
    codes = records[:, 6].astype(np.int64)
    return {name: int(np.count_nonzero(codes == k)) for k, name in enumerate(STATUSES)}


def objective(theta, log_params, log_tokens, log_loss, delta):
    """(f, gradient) of f = sum_i H_delta(log L_i - LSE(a - alpha log N_i, b - beta log D_i, e))."""
    a, b, e, alpha, beta = (float(v) for v in theta)
    u1 = a - alpha * log_params
    u2 = b - beta * log_tokens
    top = np.maximum(np.maximum(u1, u2), e)
    w1 = np.exp(u1 - top)
    w2 = np.exp(u2 - top)
    w3 = np.exp(e - top)
    total = w1 + w2 + w3
    residual = log_loss - (top + np.log(total))
    size = np.abs(residual)
    # H = m (|r| - m / 2) with m = min(|r|, delta): 0.5 r^2 inside, delta (|r| - delta / 2) outside, bit for bit,
    # without evaluating the outer branch (which overflows for a delta near 1e160 that no residual reaches)
    clipped = np.minimum(size, delta)
    value = np.sum(clipped * (size - 0.5 * clipped))
    c = np.clip(residual, -delta, delta) / total
    gradient = np.array(
        [-np.sum(c * w1), -np.sum(c * w2), -np.sum(c * w3), np.sum(c * w1 * log_params), np.sum(c * w2 * log_tokens)]
    )
    return float(value), gradient


def _status(result) -> int:
    if not np.isfinite(result.fun):
        return 5
    message = str(result.message).upper().replace("_", " ")
    if result.status == 0:
        return 0 if "PROJECTED GRADIENT" in message else 1
    if result.status == 1:
        return 3 if "ITERATION" in message else 4
    return 2


def _one_thread_blas():
    """scipy's L-BFGS-B calls LAPACK on 5 x 5 matrices; a multi-threaded BLAS makes each
    call ~100x slower on a busy machine, so pin it to one thread when threadpoolctl is there.
    scipy.optimize is imported first, so that its own BLAS is loaded when the limit is set."""
    import scipy.optimize  # noqa: F401

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is optional
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _minimize(theta0, log_params, log_tokens, log_loss, delta, settings) -> np.ndarray:
    from scipy.optimize import minimize

    result = minimize(
        objective,
        np.array(theta0, dtype=np.float64),
        args=(log_params, log_tokens, log_loss, delta),
        jac=True,
        method="L-BFGS-B",
        options={
            "maxcor": settings.memory,
            "ftol": settings.ftol,
            "gtol": settings.gtol,
            "maxiter": settings.max_iterations,
            "maxfun": settings.max_evaluations,
            "maxls": settings.max_line_search,
        },
    )
    record = np.empty(RECORD)
    record[:5] = result.x
    record[5] = result.fun
    record[6] = _status(result)
    record[7] = result.nit
    record[8] = result.nfev
    return record


def fit_starts(log_params, log_tokens, log_loss, delta, starts, settings) -> np.ndarray:
    """(S, 9) records of L-BFGS-B from each row of ``starts``."""
    with _one_thread_blas():
        return np.array([_minimize(s, log_params, log_tokens, log_loss, delta, settings) for s in starts]).reshape(
            -1, RECORD
        )


def bootstrap(log_params, log_tokens, log_loss, delta, theta0, settings, seed, first_resample, count) -> np.ndarray:
    """(count, 9) records: resample b's rows from stream (seed, first_resample + b), refitted from theta0."""
    rows = _numpy_twin.resample_indices(seed, first_resample, count, len(log_loss))
    with _one_thread_blas():
        return np.array(
            [_minimize(theta0, log_params[r], log_tokens[r], log_loss[r], delta, settings) for r in rows]
        ).reshape(-1, RECORD)
