"""How SGD's compute grows with the accuracy it reaches (least squares, nested samples).

Replicate r draws X (max n x max p) and e from stream (seed, r); size i uses the first
n_i rows and p_i columns, the truth puts equal weight on the first k features
(beta' Sigma beta = signal) and y = X beta + sigma e. SGD (batch B, constant step,
sampling with replacement; indices from the same stream after the design draws) runs
``epochs`` epochs from w = 0; after every epoch the excess risk (w - beta)' Sigma (w - beta)
is recorded. One epoch costs ceil(n/B) (B (4p + 1) + 2p + 1) FLOPs.

Summaries: the FLOPs each n needs until the mean excess risk first falls to a target
(inf if never), the cheapest n per target, and the fitted exponent a in
compute ~ (1/target)^a (least squares on log10 compute against log10(1/target) over the
targets reached; with fewer than two targets reached, e.g. at p_per_n = 1 where the
interpolation threshold keeps the risk high, the exponent is None and
``exponent_status`` is ``Status.TOO_FEW_POINTS``). ``distance`` = ||w_SGD - pinv(X) y|| at the end (SGD from zero stays in
the row space, so it tends to 0 on interpolating problems, p > n).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional

import numpy as np

from .. import _validation, runner
from .._confidence import check_confidence_level
from .._deprecation import renamed_keywords
from . import _twin
from ._common import (
    as_int_list,
    check_scale,
    check_sizes,
    covariance_code,
    replicate_args,
)
from ._sgd_scaling_result import SgdScalingResult
from .designs import draw_numpy, sigma_quadratic_form, true_coefficients

DEFAULT_SIZES = (50, 100, 300, 600, 1200, 2400)
DEFAULT_TARGETS = (0.3, 0.1, 0.05, 0.03, 0.02, 0.01)


def _stream_start(p_max, n_max, k, covariance, sizes, batch, epochs, index):
    normals = n_max * p_max + n_max + (n_max if covariance == "equicorrelated" else 0)
    offset = normals + normals % 2
    for n in sizes[:index]:
        offset += -(-n // batch) * batch * epochs
    return offset


def _replicate_numpy(p_max, k, covariance, rho, signal, sigma, sizes, widths, step, batch, epochs, seed, replicate):
    n_max = sizes[-1]
    X, _, y, _ = draw_numpy(n_max, p_max, k, covariance, rho, signal, sigma, seed, replicate)
    excess = np.full((len(sizes), epochs), np.nan)
    distance, diverged = np.empty(len(sizes)), np.zeros(len(sizes), dtype=np.uint8)
    for i, (n, p) in enumerate(zip(sizes, widths)):
        beta = true_coefficients(p, k, signal, covariance, rho)
        features, response = np.ascontiguousarray(X[:n, :p]), y[:n]

        def record(epoch, w, i=i, beta=beta):
            excess[i, epoch] = sigma_quadratic_form(w - beta, covariance, rho)

        start = _stream_start(p_max, n_max, k, covariance, sizes, batch, epochs, i)
        fit = _twin.sgd(
            features,
            response,
            np.zeros((0, p)),
            np.zeros(0),
            step,
            batch,
            epochs,
            0,
            seed,
            replicate,
            start,
            on_epoch=record,
            track_loss=False,
        )
        diverged[i] = fit["diverged"]
        reference = (_twin.ols_cholesky if n >= p else _twin.min_norm)(features, response)[0]
        distance[i] = np.linalg.norm(fit["coef"] - reference)
    return excess, distance, diverged


def _cpp_block(
    p_max, k, covariance, rho, signal, sigma, sizes, widths, step, batch, epochs, seed, first, count, threads
):
    """Replicates [first, first + count) on the C++ core (the runner's kernel; the covariance
    travels by name, so the block pickles)."""
    from .. import _core

    return _core.simulate.sgd_scaling(
        p_max,
        k,
        getattr(_core.simulate.Covariance, covariance),
        rho,
        signal,
        sigma,
        sizes,
        widths,
        step,
        batch,
        epochs,
        seed,
        first,
        count,
        threads,
    )


def _numpy_block(
    p_max, k, covariance, rho, signal, sigma, sizes, widths, step, batch, epochs, seed, first, count, threads
):
    """The same replicates from the numpy twin, one after another (``threads`` unused)."""
    parts = [
        _replicate_numpy(p_max, k, covariance, rho, signal, sigma, sizes, widths, step, batch, epochs, seed, first + r)
        for r in range(count)
    ]
    return tuple(np.stack([q[j] for q in parts]) for j in range(3))


def _replicate_cost(sizes, widths, batch: int, epochs: int) -> float:
    """Cost units of one replicate: normals (~30 per draw), SGD (epochs ceil(n/B) B (4p + 1)
    per size) and the reference fit (n p min(n, p) + min(n, p)^3 / 3 per size)."""
    n_max, p_max = sizes[-1], max(widths)
    total = 30.0 * n_max * p_max
    for n, p in zip(sizes, widths):
        m = min(n, p)
        total += epochs * -(-n // batch) * batch * (4.0 * p + 1.0) + n * p * m + m**3 / 3.0
    return total


def _footprint(reps, sizes, widths, epochs, threads) -> runner.Footprint:
    """Per replicate S epochs + 2 S values of results; per thread the design (max n x max p)
    and the reference fit's Gram matrix and factor (2 min(n, p)^2)."""
    n_max, p_max = sizes[-1], max(widths)
    square = max(min(n, p) for n, p in zip(sizes, widths))
    return runner.Footprint(
        arguments={"reps": reps, "max(sizes)": n_max, "max(p)": p_max, "epochs": epochs, "threads": threads},
        result_per_item=8.0 * len(sizes) * (epochs + 2),
        scratch_per_thread=8.0 * (n_max * p_max + 2.0 * square**2 + 4.0 * n_max + 6.0 * p_max),
    )


@renamed_keywords(confidence="confidence_level")
def sgd_scaling(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    p: int = 200,
    p_per_n: Optional[float] = None,
    k: int = 10,
    signal: float = 1.0,
    sigma: float = 0.1,
    covariance: str = "isotropic",
    rho: float = 0.0,
    step_size: Optional[float] = None,
    batch_size: int = 1,
    epochs: int = 50,
    targets: Sequence[float] = DEFAULT_TARGETS,
    reps: int = 32,
    seed: Any = None,
    rng: Any = None,
    first_replicate: int = 0,
    threads: Any = None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    confidence_level: float = 0.95,
    executor: Any = None,
) -> SgdScalingResult:
    """SGD compute against accuracy as n grows (see the module docstring).

    Features: ``p`` fixed, or p_i = ceil(p_per_n * n_i) when ``p_per_n`` is given.
    ``step_size`` defaults to 0.5 / max p (stable for batch 1: ||x||^2 ~ p). Raises
    ValueError when any run diverges. ``targets`` are absolute excess risks.
    ``executor``: None (local threads), a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client`` (:mod:`computelimits.runner`); results do not depend on it.

    Parameters
    ----------
    sizes : sequence of int, default ``DEFAULT_SIZES``
        The n grid.
    p : int, default 200
        Features (when ``p_per_n`` is not given).
    p_per_n : float, optional
        Features per example: p_i = ceil(p_per_n n_i).
    k : int, default 10
        True features.
    signal : float, default 1.0
        beta' Sigma beta.
    sigma : float, default 0.1
        Noise standard deviation.
    covariance : {"isotropic", "equicorrelated", "ar1"}, default "isotropic"
        The features' covariance.
    rho : float, default 0.0
        Its correlation parameter.
    step_size : float, optional
        The learning rate (default 0.5 / max p).
    batch_size : int, default 1
        Rows per step.
    epochs : int, default 50
        Epochs per fit.
    targets : sequence of float, default ``DEFAULT_TARGETS``
        Excess risks to reach.
    reps : int, default 32
        Replicates.
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

    Returns
    -------
    SgdScalingResult
        Per-replicate excess risk after each epoch [replicate, size, epoch], ``flops_to_target``,
        ``compute_for_target`` and the fitted ``exponent``.

    Examples
    --------
    >>> from computelimits import simulate
    >>> result = simulate.sgd_scaling(sizes=[50, 100], p=20, reps=4, epochs=5, seed=1, targets=[0.3, 0.1])
    >>> result.flops_to_target  # [size, target]: FLOPs until the mean excess risk reaches each target
    array([[ 6100., 18300.],
           [12200., 12200.]])
    """
    reps, first_replicate, seed, threads, backend = replicate_args(reps, first_replicate, seed, rng, threads, backend)
    size_array = check_sizes("sizes", sizes, minimum=2)
    k = _validation.check_int("k", k, minimum=0)
    if p_per_n is None:
        p = _validation.check_int("p", p, minimum=1, maximum=2**31)  # max n * max p <= 2^31 is checked below
        widths = np.full(size_array.shape, p, dtype=np.int64)
    else:
        p_per_n = _validation.check_real("p_per_n", p_per_n, minimum=0.0, strict_minimum=True, maximum=2.0**31)
        widths = np.ceil(p_per_n * size_array).astype(np.int64)
    if k > widths.min():
        raise ValueError(f"k must be <= the smallest p={int(widths.min())}, got {k}")
    signal = check_scale("signal", _validation.check_real("signal", signal, minimum=0.0))
    sigma = check_scale("sigma", _validation.check_real("sigma", sigma, minimum=0.0))
    _, rho = covariance_code(covariance, rho)
    p_max, n_max = int(widths.max()), int(size_array[-1])
    if n_max * p_max > 2**31:
        raise ValueError(f"max n * max p must be <= 2^31, got {n_max} * {p_max}")
    step_size = 0.5 / p_max if step_size is None else step_size
    step_size = _validation.check_real("step_size", step_size, minimum=0.0, strict_minimum=True)
    batch_size = _validation.check_int("batch_size", batch_size, minimum=1, maximum=int(size_array[0]))
    epochs = _validation.check_int("epochs", epochs, minimum=1, maximum=100_000)
    target_array = np.array(
        [_validation.check_real("targets", t, minimum=0.0, strict_minimum=True) for t in np.atleast_1d(targets)],
        dtype=float,
    )
    confidence_level = check_confidence_level(confidence_level)
    size_list, width_list = as_int_list(size_array), as_int_list(widths)

    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        (p_max, k, covariance, rho, signal, sigma, size_list, width_list, step_size, batch_size, epochs, seed),
        runner.plan_blocks(reps, _replicate_cost(size_list, width_list, batch_size, epochs), first=first_replicate),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description="sgd_scaling",
        footprint=_footprint(reps, size_list, width_list, epochs, threads),
    )
    excess, distance, diverged = (runner.concatenate([q[j] for q in pieces]) for j in range(3))
    if diverged.any():
        r, i = np.argwhere(diverged)[0]
        raise ValueError(
            f"SGD diverged (replicate {first_replicate + r}, n={size_list[i]}, p={width_list[i]}) with "
            f"step_size={step_size}; use a smaller step_size (about 1/p or less for batch_size=1)"
        )
    steps = -(-size_array // batch_size)
    epoch_flops = steps * (batch_size * (4.0 * widths + 1.0) + 2.0 * widths + 1.0)
    settings = dict(k=k, signal=signal, sigma=sigma, covariance=covariance, rho=rho, epochs=epochs, backend=backend)
    return SgdScalingResult(
        size_array,
        widths,
        excess,
        distance,
        epoch_flops,
        target_array,
        step_size,
        batch_size,
        seed,
        first_replicate,
        confidence_level,
        settings,
    )
