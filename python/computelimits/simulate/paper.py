"""The paper's simulation: expert versus flexible models (Thompson et al. 2020, Fig. 2).

Data: n rows of p = 1000 isotropic Gaussian features, the first k = 10 carrying equal
coefficients with beta'beta = signal = 10, noise sigma = 0.5 (SNR 40). Models:

- oracle: OLS on exactly the k true features;
- expert: OLS on the first ``expert_k`` = 9 of them (misses one; plateaus at NMSE = 1/k);
- flexible: all p features, OLS (Cholesky of X'X) when n >= p, the minimum-norm
  interpolator X'(X X')^{-1} y when n < p;
- flexible_lasso: all p features, lasso (sklearn objective) with the universal penalty
  alpha_n = lasso_scale * sigma * sqrt(2 ln p / n) (Bickel, Ritov, Tsybakov 2009),
  warm-started from the previous sample size.

Performance = -log10 NMSE, NMSE = (b - beta)' Sigma (b - beta) / beta' Sigma beta (the
mean squared error of the prediction x'b against the optimal predictor x'beta,
normalized by the variance of the optimal predictor). Computation = FLOPs to fit the
model from scratch at that n (counted per operation, see docs/simulate.md). Samples are
nested: the Gram matrix and X'y are updated with each block of new rows and the
Cholesky factor of X X' is extended, so ``flops_spent`` (actual work) is far below the
sum of the from-scratch costs.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Optional

import numpy as np

from .. import _validation, runner
from .._confidence import check_confidence_level
from .._deprecation import renamed_keywords
from ..exceptions import ConvergenceWarning
from . import _paper_twin
from ._common import (
    as_int_list,
    check_finite_result,
    check_scale,
    check_sizes,
    covariance_code,
    replicate_args,
)
from ._paper_result import PaperResult

MODELS = ("oracle", "expert", "flexible", "flexible_lasso")
#: Default sample sizes: 12 log-spaced values from 20 to 1600 (none within 70 of p = 1000).
DEFAULT_SIZES = tuple(int(v) for v in np.unique(np.round(np.geomspace(20, 1600, 12))))
DEFAULT_LEVELS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)


def _cpp_block(
    p, k, covariance, rho, signal, sigma, sizes, expert_k, lasso_scale, lasso_tol, sweeps, seed, first, count, threads
):
    """Replicates [first, first + count) on the C++ core (the runner's kernel; the covariance
    travels by name, so the block pickles)."""
    from .. import _core

    return _core.simulate.paper_experiment(
        p,
        k,
        getattr(_core.simulate.Covariance, covariance),
        rho,
        signal,
        sigma,
        sizes,
        expert_k,
        lasso_scale,
        lasso_tol,
        sweeps,
        seed,
        first,
        count,
        threads,
    )


def _numpy_block(
    p, k, covariance, rho, signal, sigma, sizes, expert_k, lasso_scale, lasso_tol, sweeps, seed, first, count, threads
):
    """The same replicates from the numpy twin (``threads`` unused)."""
    return _paper_twin.paper_block(
        p, k, covariance, rho, signal, sigma, sizes, expert_k, lasso_scale, lasso_tol, sweeps, seed, first, count
    )


def _replicate_cost(sizes, p: int) -> float:
    """Cost units of one replicate: normals (~30 per draw), the nested Gram n p^2, a
    Cholesky p^3/3 per size n >= p, the growing X X' factor, lasso sweeps (~10 p^2 a size)."""
    n = float(sizes[-1])
    kernel_rows = float(max([s for s in sizes if s < p], default=0))
    full = sum(1 for s in sizes if s >= p)
    return 30.0 * n * p + n * p * p + full * p**3 / 3.0 + kernel_rows**2 * p + 10.0 * len(sizes) * p * p


def _footprint(reps, sizes, p, threads) -> runner.Footprint:
    """Per replicate 12 S + 1 doubles of results (S sizes); per thread the design (n p), the
    Gram matrix and its factor copies (~4 p^2), the X X' factor (2 n_k^2, n_k the largest size < p)."""
    n = float(sizes[-1])
    kernel_rows = float(max([s for s in sizes if s < p], default=0))
    return runner.Footprint(
        arguments={"reps": reps, "max(sizes)": int(sizes[-1]), "p": p, "threads": threads},
        result_per_item=8.0 * (12 * len(sizes) + 1),
        scratch_per_thread=8.0 * (n * p + 4.0 * p * p + 2.0 * kernel_rows**2 + 4.0 * n + 8.0 * p),
    )


@renamed_keywords(confidence="confidence_level")
def paper_experiment(
    reps: int = 1000,
    *,
    sizes: Optional[Sequence[int]] = None,
    p: int = 1000,
    k: int = 10,
    expert_k: int = 9,
    signal: float = 10.0,
    sigma: float = 0.5,
    covariance: str = "isotropic",
    rho: float = 0.0,
    lasso_scale: float = 1.0,
    levels: Sequence[float] = DEFAULT_LEVELS,
    seed: Any = None,
    rng: Any = None,
    first_replicate: int = 0,
    threads: Any = None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    confidence_level: float = 0.95,
    lasso_tol: float = 1e-8,
    lasso_max_sweeps: int = 100_000,
    executor: Any = None,
) -> PaperResult:
    """Run the expert-versus-flexible simulation (see the module docstring for the model).

    Replicates ``first_replicate .. first_replicate + reps - 1`` each draw from stream
    (seed, r), so thread counts and executors give identical results and ranges
    concatenate (:meth:`PaperResult.concatenate`). ``sizes`` defaults to
    :data:`DEFAULT_SIZES`; sizes within 1 of ``p`` are refused (the min-norm risk is infinite
    there, Belkin, Hsu and Xu 2019), as are ``sigma`` or ``signal`` above 1e100 (squared
    errors could overflow; an NMSE that still overflows raises OverflowError naming both).
    ``executor``: None (local threads), a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (see :mod:`computelimits.runner`). Raises MemoryError
    before allocating when the estimated memory (per thread: the largest design, ~4 p^2 of
    Gram matrices) exceeds what is available.

    Parameters
    ----------
    reps : int, default 1000
        Replicates.
    sizes : sequence of int, optional
        The n grid (default ``DEFAULT_SIZES``, 20 to 1600).
    p : int, default 1000
        Candidate features.
    k : int, default 10
        True features (the oracle's model).
    expert_k : int, default 9
        The expert's features (the first ``expert_k`` true ones).
    signal : float, default 10.0
        beta' Sigma beta.
    sigma : float, default 0.5
        Noise standard deviation.
    covariance : {"isotropic", "equicorrelated", "ar1"}, default "isotropic"
        The features' covariance.
    rho : float, default 0.0
        Its correlation parameter.
    lasso_scale : float, default 1.0
        The lasso penalty's multiple of sigma sqrt(2 ln p / n).
    levels : sequence of float, default ``DEFAULT_LEVELS``
        Performance levels (-log10 NMSE) for ``compute_to_reach``.
    seed : int, optional
        Replicate r draws from the stream (seed, r); default fresh entropy.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    first_replicate : int, default 0
        The first replicate's index (ranges computed apart join with ``concatenate``).
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    confidence_level : float, default 0.95
        The level of the normal intervals over replicates (``confidence`` is its deprecated name).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.
    lasso_tol : float, default 1e-8
        The lasso's KKT tolerance.
    lasso_max_sweeps : int, default 100000
        Coordinate sweeps allowed per lasso fit.

    Returns
    -------
    PaperResult
        Per-replicate performance, NMSE and FLOPs [replicate, size, model], their means and
        intervals, ``compute_to_reach`` [level, model] and ``settings``.

    Examples
    --------
    >>> from computelimits import simulate
    >>> result = simulate.paper_experiment(20, sizes=[20, 40, 80], p=60, seed=1)
    >>> result.models
    ('oracle', 'expert', 'flexible', 'flexible_lasso')
    >>> result.performance_mean.round(2)  # [size, model]: the oracle leads, the flexible models catch up with n
    array([[1.77, 0.71, 0.15, 0.14],
           [2.19, 0.87, 0.41, 0.62],
           [2.48, 0.93, 1.09, 1.33]])
    >>> low, high = result.confidence_interval("performance")
    >>> bool((low < result.performance_mean).all() and (result.performance_mean < high).all())
    True
    """
    reps, first_replicate, seed, threads, backend = replicate_args(reps, first_replicate, seed, rng, threads, backend)
    p = _validation.check_int("p", p, minimum=2, maximum=2**31)  # max(sizes) * p <= 2^31 is checked below
    k = _validation.check_int("k", k, minimum=1)
    if k > p:
        raise ValueError(f"k must be <= p={p}, got {k}")
    expert_k = _validation.check_int("expert_k", expert_k, minimum=1)
    if expert_k > k:
        raise ValueError(f"expert_k must be <= k={k}, got {expert_k}")
    size_array = check_sizes("sizes", DEFAULT_SIZES if sizes is None else sizes, minimum=k + 2, maximum=2**31)
    near = size_array[np.abs(size_array - p) <= 1]
    if near.size:
        raise ValueError(
            f"sizes must differ from p={p} by at least 2 (the flexible model's min-norm risk is infinite at "
            f"|n - p| <= 1), got {int(near[0])}"
        )
    signal = check_scale("signal", _validation.check_real("signal", signal, minimum=0.0, strict_minimum=True))
    sigma = check_scale("sigma", _validation.check_real("sigma", sigma, minimum=0.0, strict_minimum=True))
    _, rho = covariance_code(covariance, rho)
    lasso_scale = _validation.check_real("lasso_scale", lasso_scale, minimum=0.0, strict_minimum=True)
    lasso_tol = _validation.check_real("lasso_tol", lasso_tol, minimum=0.0, strict_minimum=True)
    lasso_max_sweeps = _validation.check_int("lasso_max_sweeps", lasso_max_sweeps, minimum=1)
    level_array = np.array([_validation.check_real("levels", v) for v in np.atleast_1d(levels)], dtype=float)
    confidence_level = check_confidence_level(confidence_level)
    if int(size_array[-1]) * p > 2**31:
        raise ValueError(f"sizes[-1] * p must be <= 2^31, got {int(size_array[-1])} * {p}")
    size_list = as_int_list(size_array)

    args = (p, k, covariance, rho, signal, sigma, size_list, expert_k, lasso_scale, lasso_tol, lasso_max_sweeps, seed)
    plan = runner.plan_blocks(reps, _replicate_cost(size_list, p), first=first_replicate)
    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        args,
        plan,
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description="paper_experiment",
        footprint=_footprint(reps, size_list, p, threads),
    )
    nmse, flops, kkt, spent = (runner.concatenate([piece[i] for piece in pieces]) for i in range(4))
    check_finite_result(nmse, "the NMSE", sigma=sigma, signal=signal)
    unconverged = int(np.sum(kkt > lasso_tol))
    if unconverged:
        warnings.warn(
            ConvergenceWarning(
                f"the lasso did not converge in {unconverged} of {kkt.size} (replicate, size) fits: KKT residual up "
                f"to {np.max(kkt):.3g} > lasso_tol={lasso_tol:g} after lasso_max_sweeps={lasso_max_sweeps} sweeps "
                "(see PaperResult.lasso_kkt and lasso_converged)"
            ),
            stacklevel=2,
        )
    settings = dict(
        p=p,
        k=k,
        expert_k=expert_k,
        signal=signal,
        sigma=sigma,
        covariance=covariance,
        rho=rho,
        lasso_scale=lasso_scale,
        lasso_tol=lasso_tol,
        backend=backend,
    )
    with np.errstate(divide="ignore"):
        performance = -np.log10(nmse)
    return PaperResult(
        size_array,
        MODELS,
        performance,
        nmse,
        flops,
        kkt,
        spent,
        level_array,
        seed,
        first_replicate,
        confidence_level,
        settings,
    )


def concatenate(*results: PaperResult) -> PaperResult:
    """Join results over consecutive replicate ranges of the same experiment (:meth:`PaperResult.concatenate`)."""
    return PaperResult.concatenate(*results)
