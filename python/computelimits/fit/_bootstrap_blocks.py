"""The bootstrap's blocks for :mod:`computelimits.runner`: module-level kernels (picklable by
name, so any executor can run them), the cost of a resample and the memory a run needs."""

from __future__ import annotations

import numpy as np

from .. import runner
from . import _numpy_twin


def cpp_block(design, response, fitted, residuals, mechanism, covariance, centred_tss, seed, first, count, threads):
    """(statistics, count): resamples [first, first + count) on the C++ core (the runner's kernel;
    the scheme and covariance travel by name, so the block pickles)."""
    from .. import _core

    return _core.fit.bootstrap_ols(
        design,
        response,
        fitted,
        residuals,
        getattr(_core.fit.Scheme, mechanism),
        getattr(_core.fit.CovarianceKind, covariance),
        centred_tss,
        seed,
        first,
        count,
        threads,
    )


def numpy_block(design, response, fitted, residuals, mechanism, covariance, centred_tss, seed, first, count, threads):
    """The same resamples from the numpy twin (``threads`` unused)."""
    with np.errstate(all="ignore"):  # inf/NaN resamples near float64's limits are warned by bootstrap_fit
        return _numpy_twin.bootstrap_ols(
            design, response, fitted, residuals, mechanism, covariance, centred_tss, seed, first, count
        ).T


def resample_cost(n: int, p: int) -> float:
    """Cost units of one resample: folding n rows into X'WX (n (p^2 + p + 4)) and a Cholesky solve."""
    return n * (p * p + p + 4.0) + p**3


def footprint(n_resamples: int, n: int, p: int, statistics: int, threads) -> runner.Footprint:
    """Per resample ``statistics`` doubles of results; once, the centred copy of the data, the
    core's column-major copy and the jackknife (3 n p doubles) and ten n-vectors (response,
    fitted values, residuals, leave-one-out R^2 terms); per thread three n-vectors of weights
    and counts; the numpy twin's resample-by-row weights and indices (5 n values per resample)."""
    return runner.Footprint(
        arguments={"n_resamples": n_resamples, "n (rows)": n, "p": p, "threads": threads},
        result_per_item=8.0 * statistics,
        scratch_per_thread=24.0 * n,
        twin_per_item=40.0 * n + 8.0 * p * p,
        fixed=8.0 * n * (3.0 * p + 10.0),
    )
