"""The compute-versus-improvement exponent when parameters grow with the data (p = ratio x n).

Thompson et al. (2020, sec. 2) argue that a k-fold improvement costs at least k^4
compute in the over-parameterized regime: k^2 more data points for a statistical
error that falls like 1/sqrt(n), times k^2 more work because the parameter count
grows with the data. This module measures the exponent instead of assuming it.

For each ratio and each n in ``n_values`` the model has p = ceil(ratio n) features
and is fitted by

- ``estimator="lasso"`` (the paper's own regime): a sparse truth, ``true_features``
  equal coefficients among the p candidates (``paper_experiment``'s design), and the lasso
  at the universal penalty alpha = lasso_scale sigma sqrt(2 ln p / n) (Bickel, Ritov and
  Tsybakov 2009), fitted from zero by coordinate descent on the Gram matrix;
- ``estimator="min_norm"``: the minimum-norm least-squares estimate (OLS when p < n),
  on ``double_descent``'s design (dense truth beta = sqrt(signal / p) (1, ..., 1));
- ``estimator="sgd"``: SGD from zero for ``epochs`` epochs (batch 1, step 0.5 / p by
  default), on ``sgd_scaling``'s design (``true_features`` true features).

The error is the excess risk E(x'(b - beta))^2 = ||b - beta||^2 (isotropic features),
a mean squared error: the test MSE minus the noise sigma^2. Compute is measured two
ways: ``params_x_data`` = p n, and ``counted_flops``, the FLOPs the estimator counts
(lasso: Gram n p (p + 1), X'y 2 n p and the coordinate-descent work, the mean over
replicates; min-norm: X X' (p n (n + 1)), its Cholesky (n^3/3 + n^2/2 + n/6), the solves
(2 n^2 + 2 n p); OLS analogously; SGD: epochs x ceil(n/B) (B (4p + 1) + 2p + 1)).
The exponent e = -1/b of compute against 1/error and its bootstrap interval are
``scaling_exponent``'s; against a root error (the paper's k^4) it is 2 e.

Regimes. Lasso: the error falls like the rate sigma^2 k ln p / n, so with p = ratio n
d log(error) / d log(n) = -1 + 1/ln p and, against compute p n ~ n^2, e = 2 / (1 - 1/ln p)
(2.3-2.4 at p = 400-1600; 4.7 against the root error): the paper's mechanism. At finite n
the expected risk given the true support (``closed_forms.lasso_support_risk``) falls
faster; its slope over the grid is ``support_slope``. Min-norm: with p = ratio n the
expected risk is signal (1 - 1/ratio) + sigma^2 n / (p - n - 1) for ratio > 1 and
sigma^2 p / (n - p - 1) for ratio < 1: both tend to a floor (Hastie et al. 2022), so the
error falls only by the finite-n correction (~1/n) and b is close to zero: e is far above
4 or undetermined (``exact_slope``: Belkin, Hsu and Xu 2019). SGD with a constant step
settles at a floor too.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from typing import Any, Optional

import numpy as np

from .. import _validation
from .._confidence import check_confidence_level
from ._common import check_finite_result, check_scale, check_sizes, replicate_args
from ._compute_scaling_result import ComputeScalingResult
from .scaling_exponent import ScalingExponent, bootstrap_slopes, scaling_exponent, slopes_of_means

__all__ = ["ComputeScalingResult", "ScalingExponent", "compute_scaling", "scaling_exponent", "slopes_of_means"]

ESTIMATORS = ("min_norm", "sgd", "lasso")
COMPUTE_MEASURES = ("params_x_data", "counted_flops")
DEFAULT_RATIOS = (2.0,)
#: Per estimator: the default signal (beta'beta), noise sigma and n grid. The lasso's are
#: paper_experiment's truth (10 coefficients of 1 for signal 10, sigma 0.5) and sizes with
#: n >= 20 true_features, where it selects the true support (docs/simulate.md, Experiment 4).
DEFAULTS = {
    "min_norm": {"signal": 1.0, "sigma": 1.0, "n_values": (50, 100, 200, 400, 800)},
    "sgd": {"signal": 1.0, "sigma": 1.0, "n_values": (50, 100, 200, 400, 800)},
    "lasso": {"signal": 10.0, "sigma": 0.5, "n_values": (200, 400, 800)},
}
DEFAULT_N_VALUES = DEFAULTS["min_norm"]["n_values"]
LASSO_TOL = 1e-8  # KKT residual at which a lasso fit stops (paper_experiment's default)
LASSO_MAX_SWEEPS = 100_000


def _check_ratios(ratios: Any) -> np.ndarray:
    ratio_values = np.atleast_1d(np.asarray(ratios, dtype=object))
    if ratio_values.ndim != 1 or ratio_values.size == 0:
        raise ValueError(f"ratios must be a non-empty 1-D sequence, got {ratios!r}")
    ratio_array = np.array(
        [_validation.check_real("ratios", r, minimum=0.0, strict_minimum=True) for r in ratio_values]
    )
    if len(set(ratio_array.tolist())) != len(ratio_array):
        raise ValueError(f"ratios must be distinct, got {ratio_array.tolist()}")
    return ratio_array


def _check_true_features(true_features, ratio_array, sizes, widths) -> None:
    """The lasso's and SGD's designs draw true_features of the p features: at most the smallest p."""
    smallest = np.unravel_index(np.argmin(widths), widths.shape)
    if true_features > widths[smallest]:
        raise ValueError(
            f"true_features must be <= p = {widths[smallest]} (the smallest cell: ratio "
            f"{ratio_array[smallest[0]]:g}, n = {sizes[smallest[1]]}), got {true_features}"
        )


def _check_lasso(true_features, lasso_scale, sigma, ratio_array, sizes, widths) -> None:
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0 for the lasso (its penalty is proportional to sigma), got {sigma}")
    _check_true_features(true_features, ratio_array, sizes, widths)
    if int(sizes.max()) * int(widths.max()) > 2**31:
        raise ValueError(
            f"n_values and ratios: the largest design, {int(sizes.max())} x {int(widths.max())}, exceeds 2^31 entries"
        )


def compute_scaling(
    ratios: Sequence[float] = DEFAULT_RATIOS,
    n_values: Optional[Sequence[int]] = None,
    *,
    estimator: str = "min_norm",
    reps: int = 32,
    seed: Any = None,
    rng: Any = None,
    signal: Optional[float] = None,
    sigma: Optional[float] = None,
    true_features: int = 10,
    lasso_scale: float = 1.0,
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
    increasing (>= 3 of them), ``reps`` >= 3 replicates on streams (seed, r). ``signal``,
    ``sigma`` and ``n_values`` default per estimator (:data:`DEFAULTS`: lasso 10, 0.5 and
    200, 400, 800; otherwise 1, 1 and 50..800). ``true_features`` (lasso, SGD) is the number
    of nonzero true coefficients; ``lasso_scale`` > 0 scales the lasso's universal penalty;
    ``epochs`` and ``step_size`` (default 0.5 / p per fit) are for SGD. ``n_resamples``,
    ``method`` ("percentile", "basic", "bca") and ``confidence_level`` set the bootstrap.
    ``executor`` runs the replicates and the exponents' bootstrap (:mod:`computelimits.runner`:
    None for local threads, a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).

    Parameters
    ----------
    ratios : sequence of float, default (2.0,)
        p / n ratios (> 0).
    n_values : sequence of int, optional
        The n grid (at least 3; default per estimator).
    estimator : {"min_norm", "sgd", "lasso"}, default "min_norm"
        The estimator fitted in each cell.
    reps : int, default 32
        Replicates (>= 3).
    seed : int, optional
        Replicate r draws from the stream (seed, r); default fresh entropy.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    signal : float, optional
        beta' beta (default per estimator).
    sigma : float, optional
        Noise standard deviation (default per estimator).
    true_features : int, default 10
        Non-zero true coefficients (lasso, SGD).
    lasso_scale : float, default 1.0
        The lasso penalty's multiple of sigma sqrt(2 ln p / n).
    epochs : int, default 20
        SGD epochs per fit.
    step_size : float, optional
        SGD's learning rate (default 0.5 / p).
    n_resamples : int, default 999
        Bootstrap resamples of the replicates for the exponent's interval.
    method : {"percentile", "basic", "bca"}, default "bca"
        The bootstrap interval.
    confidence_level : float, default 0.95
        The interval's coverage probability.
    threads : int, optional
        Worker threads (default every core); never changes the result.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    executor : optional
        Runs the replicates and the exponents' bootstrap: None (local threads), a
        ``concurrent.futures.Executor`` or a ``dask.distributed.Client`` (:mod:`computelimits.runner`);
        the result does not depend on it.

    Returns
    -------
    ComputeScalingResult
        Per-replicate errors [replicate, ratio, n], both compute measures and an exponent per
        (ratio, measure) with its interval and status (``exponent()``).

    Examples
    --------
    >>> from computelimits import simulate
    >>> result = simulate.compute_scaling(estimator="lasso", reps=4, seed=1, n_resamples=200, method="percentile")
    >>> exponent = result.exponent()  # e in compute ~ (1/excess risk)^e, compute = p n
    >>> exponent.describe(), exponent.describe(root=True)  # against a root error the exponent doubles
    ('2.53 [2.37, 2.76]', '5.07 [4.74, 5.51]')
    """
    from ..fit.intervals import METHODS

    reps, _, seed, threads, backend = replicate_args(reps, 0, seed, rng, threads, backend, minimum_reps=3)
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    defaults = DEFAULTS[estimator]
    signal = check_scale(
        "signal", _validation.check_real("signal", defaults["signal"] if signal is None else signal, minimum=0.0)
    )
    sigma = check_scale(
        "sigma", _validation.check_real("sigma", defaults["sigma"] if sigma is None else sigma, minimum=0.0)
    )
    true_features = _validation.check_int("true_features", true_features, minimum=1)
    lasso_scale = _validation.check_real("lasso_scale", lasso_scale, minimum=0.0, strict_minimum=True)
    ratio_array = _check_ratios(ratios)
    sizes = check_sizes("n_values", defaults["n_values"] if n_values is None else n_values, minimum=2)
    if len(sizes) < 3:
        raise ValueError(f"n_values needs at least 3 sizes for a slope with an interval, got {sizes.tolist()}")
    n_resamples = _validation.check_int("n_resamples", n_resamples, minimum=1, maximum=10_000_000)
    level = check_confidence_level(confidence_level)
    widths = np.ceil(ratio_array[:, None] * sizes[None, :]).astype(np.int64)
    if estimator == "min_norm":
        near = np.abs(widths - sizes[None, :]) <= 1
        if near.any():
            r, i = np.argwhere(near)[0]
            raise ValueError(
                f"ratios: ratio {ratio_array[r]:g} gives p = {widths[r, i]} at n = {sizes[i]}; the minimum-norm "
                "risk is infinite when |p - n| <= 1 (interpolation threshold), choose a ratio away from 1"
            )
    if estimator == "lasso":
        _check_lasso(true_features, lasso_scale, sigma, ratio_array, sizes, widths)
    if estimator == "sgd":
        _check_true_features(true_features, ratio_array, sizes, widths)
    error = np.empty((reps, len(ratio_array), len(sizes)))
    counted = np.empty(widths.shape)
    lasso = {}
    if estimator == "lasso":
        from ._lasso_scaling import lasso_cells

        outputs = lasso_cells(
            true_features,
            signal,
            sigma,
            [int(n) for n in np.tile(sizes, len(ratio_array))],
            [int(p) for p in widths.ravel()],
            lasso_scale,
            LASSO_TOL,
            LASSO_MAX_SWEEPS,
            reps=reps,
            seed=seed,
            threads=threads,
            backend=backend,
            progress=progress,
            executor=executor,
        )
        error, flops, kkt, sweeps = (array.reshape(reps, *widths.shape) for array in outputs)
        counted = flops.mean(axis=0)
        lasso = {"lasso_kkt": kkt, "lasso_sweeps": sweeps, "lasso_flops": flops}
        if np.any(kkt > LASSO_TOL):
            from ..exceptions import ConvergenceWarning

            warnings.warn(
                f"compute_scaling: {int(np.sum(kkt > LASSO_TOL))} lasso fits stopped after {LASSO_MAX_SWEEPS} sweeps "
                f"with a KKT residual up to {kkt.max():.3g} > {LASSO_TOL:g} (see lasso_kkt)",
                ConvergenceWarning,
                stacklevel=2,
            )
    else:
        from ._least_squares_scaling import least_squares_cells

        least_squares_cells(
            estimator,
            error,
            counted,
            ratio_array,
            sizes,
            widths,
            reps,
            seed,
            signal,
            sigma,
            true_features,
            epochs,
            step_size,
            threads,
            backend,
            progress,
            executor,
        )
    check_finite_result(error, "compute_scaling: an excess risk", signal=signal, sigma=sigma)
    if not np.all(error > 0):
        raise ValueError("compute_scaling: an excess risk is zero (its logarithm is undefined); add noise (sigma > 0)")
    params_x_data = (widths * sizes[None, :]).astype(float)
    settings = dict(
        signal=signal,
        sigma=sigma,
        true_features=true_features,
        lasso_scale=lasso_scale,
        epochs=epochs,
        step_size=step_size,
        backend=backend,
    )
    result = ComputeScalingResult(
        estimator,
        ratio_array,
        sizes,
        widths,
        error,
        params_x_data,
        counted,
        (),
        n_resamples,
        method,
        level,
        seed,
        settings,
        **lasso,
    )
    expected = result.expected_error()
    measures = (("params_x_data", params_x_data), ("counted_flops", counted))
    # One bootstrap for every cell: resample j's replicates (stream (seed, j)) serve all of them.
    draws = bootstrap_slopes(
        error,
        np.log10(np.stack([compute for _, compute in measures], axis=1)),
        n_resamples,
        seed,
        executor=executor,
        threads=threads,
        progress=progress,
    )
    exponents = []
    for r, ratio in enumerate(ratio_array):
        for m, (measure, compute) in enumerate(measures):
            exponents.append(
                scaling_exponent(
                    error[:, r, :],
                    compute[r],
                    ratio=float(ratio),
                    measure=measure,
                    n_resamples=n_resamples,
                    method=method,
                    confidence_level=level,
                    seed=seed,
                    draws=draws[:, r, m],
                    **{f"{name}_error": values[r] for name, values in expected.items()},
                )
            )
    return dataclasses.replace(result, exponents=tuple(exponents))
