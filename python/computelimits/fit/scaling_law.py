"""Chinchilla-type parametric scaling-law fits: L(N, D) = E + A / N^alpha + B / D^beta.

Hoffmann et al. (2022), "Training Compute-Optimal Large Language Models", Approach 3,
as replicated by Besiroglu et al. (2024), "Chinchilla Scaling: A replication attempt"
(Epoch AI): with theta = (a, b, e, alpha, beta), A = e^a, B = e^b, E = e^e, minimize

    f(theta) = sum_i Huber_delta(log L_i - LSE(a - alpha log N_i, b - beta log D_i, e))

by L-BFGS from every start of a grid and keep the best converged start (ties: the
lowest start index). Bootstrap: pairs resamples of the points, each refitted by
L-BFGS from the point estimate; percentile intervals. The C++ core
(``cpp/src/fit/scaling_law.cpp``) runs the starts and the resamples in parallel;
``backend="numpy"`` runs the scipy twin (``scipy.optimize.minimize(method="L-BFGS-B")``).

Both the starts and the resamples go through the replicate runner
(:mod:`computelimits.runner`): blocks of starts and of resamples are computed by the
module-level kernels ``starts_block`` and ``resamples_block`` on local threads or on an
``executor`` and joined in order. A start depends only on its row of the grid and
resample r only on the stream (seed, r), so the result does not depend on where the
blocks ran.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import Any, Optional, Tuple

import numpy as np

from .. import _validation, runner
from ..exceptions import ScalingLawConvergenceWarning
from . import _checks
from . import _scaling_law_twin as twin
from ._scaling_law_result import ScalingLawResult

FORMS = ("chinchilla",)
PARAMETERS = ("a", "b", "e", "alpha", "beta")
# The grid of Hoffmann et al. (2022) as run by Epoch's replication: 6 x 6 x 5 x 5 x 5 = 4,500 starts.
DEFAULT_GRID = {
    "a": (0.0, 5.0, 10.0, 15.0, 20.0, 25.0),
    "b": (0.0, 5.0, 10.0, 15.0, 20.0, 25.0),
    "e": (-1.0, -0.5, 0.0, 0.5, 1.0),
    "alpha": (0.0, 0.5, 1.0, 1.5, 2.0),
    "beta": (0.0, 0.5, 1.0, 1.5, 2.0),
}
MIN_POINTS = len(PARAMETERS)
MAX_STARTS = 1_000_000
MAX_RESAMPLES = 10_000_000
MAX_POINTS = 2**31
#: Cost units (:func:`computelimits.runner.plan_blocks`) of one objective evaluation, per point:
#: an evaluation took 5 to 8 ns a point on one core (three exp and one log in Eigen's SIMD
#: kernels), ~150 times what the bootstrap kernel spends on one of its units.
EVALUATION_COST = 150.0
#: Objective evaluations budgeted for one L-BFGS run: ~95 on average from the default grid's
#: starts, 58 to 90 for a bootstrap refit from the estimate (250 to 2,000 points).
EVALUATIONS_PER_FIT = 100.0


@dataclass(frozen=True)
class OptimizerSettings:
    """L-BFGS settings shared by the C++ core and the scipy twin (scipy's option names in brackets).

    Stop when max_i |g_i| <= gtol [gtol], or (f_old - f) <= ftol max(|f_old|, |f|, 1) [ftol],
    or after max_iterations [maxiter] iterations or more than max_evaluations [maxfun]
    evaluations; memory [maxcor] pairs; at most max_line_search [maxls] trials per line search.
    """

    memory: int = 10
    ftol: float = 1e-12
    gtol: float = 1e-8
    max_iterations: int = 1000
    max_evaluations: int = 2500
    max_line_search: int = 20

    def arguments(self) -> Tuple[int, float, float, int, int, int]:
        return (self.memory, self.ftol, self.gtol, self.max_iterations, self.max_evaluations, self.max_line_search)


OPTIMIZER = OptimizerSettings()


def default_grid() -> np.ndarray:
    """The (4500, 5) default starts, in itertools.product order over (a, b, e, alpha, beta)."""
    return np.array(list(itertools.product(*(DEFAULT_GRID[name] for name in PARAMETERS))), dtype=np.float64)


def starts_from_grid(grid: Any) -> np.ndarray:
    """An (S, 5) array of starts from ``None`` (the default grid), a dict of five 1-D
    sequences keyed a, b, e, alpha, beta (their product, in that order) or an (S, 5) array."""
    if grid is None:
        return default_grid()
    if isinstance(grid, dict):
        keys = set(grid)
        if keys != set(PARAMETERS):
            raise ValueError(f"grid must have exactly the keys {PARAMETERS}, got {tuple(sorted(map(str, keys)))}")
        axes = []
        size = 1
        for name in PARAMETERS:
            raw = grid[name]
            values = _checks.as_vector(f"grid[{name!r}]", [raw] if np.isscalar(raw) else raw)
            if values.size == 0:
                raise ValueError(f"grid[{name!r}] must not be empty")
            axes.append(values)
            size *= values.size
        if size > MAX_STARTS:
            raise ValueError(f"grid has {size} starts; at most {MAX_STARTS} are allowed")
        return np.array(list(itertools.product(*axes)), dtype=np.float64).reshape(-1, len(PARAMETERS))
    starts = _checks.as_design("grid", grid)
    if starts.shape[1] != len(PARAMETERS) or starts.shape[0] == 0:
        raise ValueError(f"grid must be a dict of five sequences or an (S, 5) array, got shape {starts.shape}")
    if starts.shape[0] > MAX_STARTS:
        raise ValueError(f"grid has {starts.shape[0]} starts; at most {MAX_STARTS} are allowed")
    return starts


def _check_data(params, tokens, loss, exclude_highest):
    """Logs of the points used, and the indices of the k highest-loss points excluded."""
    n_params = _checks.as_positive_vector("params", params)
    d_tokens = _checks.as_positive_vector("tokens", tokens)
    losses = _checks.as_positive_vector("loss", loss)
    _checks.check_same_length("params", n_params, "tokens", d_tokens)
    _checks.check_same_length("params", n_params, "loss", losses)
    if len(losses) > MAX_POINTS:
        raise ValueError(f"loss has {len(losses)} points; at most {MAX_POINTS} are allowed")
    k = _validation.check_int("exclude_highest", exclude_highest, minimum=0)
    if len(losses) - k < MIN_POINTS:
        raise ValueError(
            f"exclude_highest={k} leaves {len(losses) - k} of {len(losses)} points; "
            f"the fit of {MIN_POINTS} parameters needs at least {MIN_POINTS}"
        )
    # Stable ascending order: among equal losses the later rows count as higher.
    order = np.argsort(losses, kind="stable")
    excluded = np.sort(order[len(losses) - k :]) if k else np.empty(0, dtype=np.int64)
    keep = np.ones(len(losses), dtype=bool)
    keep[excluded] = False
    logs = (np.log(n_params[keep]), np.log(d_tokens[keep]), np.log(losses[keep]))
    return logs, tuple(int(i) for i in excluded)


def fit_starts(log_params, log_tokens, log_loss, delta, starts, threads=None, backend="cpp") -> np.ndarray:
    """(S, 9) records (a, b, e, alpha, beta, objective, status, iterations, evaluations) of
    L-BFGS from each start; status indexes ``_scaling_law_twin.STATUSES``."""
    if backend == "numpy":
        return twin.fit_starts(log_params, log_tokens, log_loss, delta, starts, OPTIMIZER)
    from .. import _core

    return _core.fit.scaling_law_fit_starts(
        log_params, log_tokens, log_loss, delta, starts, *OPTIMIZER.arguments(), _validation.resolve_threads(threads)
    )


def resample_fits(
    log_params, log_tokens, log_loss, delta, theta0, seed, first_resample, count, threads=None, backend="cpp"
) -> np.ndarray:
    """(count, 9) records of bootstrap resamples first_resample .. first_resample + count - 1.

    Resample r draws n rows (pairs) from the counter-based stream (seed, r) (two row
    indices per draw, ``fit.resample_index``) and is refitted by L-BFGS from ``theta0``.
    A module-level function of plain arrays and ints, so blocks of resamples can be
    mapped to workers and concatenated in order (bit-identical to one call).
    """
    log_params, log_tokens, log_loss, theta0 = (
        np.ascontiguousarray(v, dtype=np.float64) for v in (log_params, log_tokens, log_loss, theta0)
    )
    if backend == "numpy":
        return twin.bootstrap(log_params, log_tokens, log_loss, delta, theta0, OPTIMIZER, seed, first_resample, count)
    from .. import _core

    return _core.fit.scaling_law_bootstrap(
        log_params,
        log_tokens,
        log_loss,
        delta,
        theta0,
        *OPTIMIZER.arguments(),
        seed,
        first_resample,
        count,
        _validation.resolve_threads(threads),
    )


def starts_block(log_params, log_tokens, log_loss, delta, starts, backend, first, count, threads) -> np.ndarray:
    """Records of starts [first, first + count) of ``starts`` (the runner's kernel for the grid)."""
    return fit_starts(log_params, log_tokens, log_loss, delta, starts[first : first + count], threads, backend)


def resamples_block(log_params, log_tokens, log_loss, delta, theta0, seed, backend, first, count, threads):
    """Records of resamples [first, first + count) (the runner's kernel for the bootstrap)."""
    return resample_fits(log_params, log_tokens, log_loss, delta, theta0, seed, first, count, threads, backend)


def fit_cost(n: int) -> float:
    """Cost units of one L-BFGS run on n points: EVALUATION_COST n EVALUATIONS_PER_FIT."""
    return EVALUATION_COST * EVALUATIONS_PER_FIT * n


def _scratch(n: int, backend: str) -> float:
    """Bytes one L-BFGS run holds: C++, the resampled logs and eight objective arrays (11 n
    doubles) and the row indices (n + 1 uint32); the twin, the resampled logs and the ~21
    n-vector temporaries of the numpy objective and gradient (24 n doubles)."""
    return (8.0 * 11.0 * n + 4.0 * (n + 1)) if backend == "cpp" else 8.0 * 24.0 * n


def footprint(what: str, count: int, n: int, backend: str, threads, fixed: float = 0.0) -> runner.Footprint:
    """Memory of ``count`` starts or resamples (``what`` names the count) on n points: a 9-value
    record each; per thread (C++) or per call (twin) one L-BFGS run's arrays (:func:`_scratch`);
    the twin's n row indices per resample of a block (int64, with the draws they come from:
    20 n bytes); once, the validated copies of the data, the order of the losses and the three
    logs (7 n doubles) and ``fixed``. tests/runner/test_memory.py holds the estimate to the
    peak resident memory of a fit of 10^6 points."""
    return runner.Footprint(
        arguments={what: count, "points": n, "threads": threads},
        result_per_item=8.0 * twin.RECORD,
        scratch_per_thread=_scratch(n, backend),
        twin_per_item=(20.0 * n if what == "n_resamples" else 40.0) + 8.0 * twin.RECORD,
        fixed=56.0 * n + fixed,
    )


def scaling_law(
    params,
    tokens,
    loss,
    form: str = "chinchilla",
    delta: float = 1e-3,
    exclude_highest: int = 0,
    grid=None,
    n_resamples: int = 0,
    seed: Optional[int] = 0,
    confidence_level: float = 0.95,
    flop_per_token_param: float = 6,
    backend: str = "cpp",
    threads=None,
    executor=None,
    progress: Optional[bool] = None,
    first_resample: int = 0,
) -> ScalingLawResult:
    """Fit L(N, D) = E + A / N^alpha + B / D^beta to (parameters, tokens, loss) points.

    Minimizes sum_i Huber_delta(log L_i - LSE(a - alpha log N_i, b - beta log D_i, e))
    (Hoffmann et al. 2022, Approach 3; Besiroglu et al. 2024) by L-BFGS from every
    start of ``grid`` (default: a, b in {0, 5, ..., 25}, e in {-1, -0.5, ..., 1}, alpha,
    beta in {0, 0.5, ..., 2}: 4,500 starts) and returns the best converged start.
    ``exclude_highest=k`` drops the k highest-loss points first. ``n_resamples > 0``
    adds a pairs bootstrap (each resample refitted from the estimate; resamples
    ``first_resample`` .. ``first_resample + n_resamples - 1`` on streams (seed, r); join
    ranges with ``ScalingLawResult.concatenate``) and percentile intervals at
    ``confidence_level``. ``flop_per_token_param`` is k in C = k N D for the
    compute-optimal quantities. ``backend="numpy"`` runs the scipy twin. ``executor``: None
    (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
    (:mod:`computelimits.runner`); the result does not depend on it.

    Parameters
    ----------
    params : array_like
        N, parameter counts (> 0).
    tokens : array_like
        D, training tokens (> 0).
    loss : array_like
        L, final losses (> 0).
    form : {"chinchilla"}, default "chinchilla"
        The functional form.
    delta : float, default 1e-3
        The Huber loss's threshold (> 0).
    exclude_highest : int, default 0
        Drop this many highest-loss points.
    grid : dict or array_like, optional
        Starts: a dict of five sequences keyed a, b, e, alpha, beta (their product) or an (S, 5) array.
    n_resamples : int, default 0
        Bootstrap resamples (0: no intervals).
    seed : int, default 0
        The random streams' seed.
    confidence_level : float, default 0.95
        The intervals' coverage probability.
    flop_per_token_param : float, default 6
        k in C = k N D.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or the scipy twin.
    threads : int, optional
        Worker threads (default every core); never changes the result.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where the bootstrap's resample ranges run (default: local threads); never changes the result.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    first_resample : int, default 0
        The first resample's stream: a range of a larger bootstrap, joined with ``ScalingLawResult.concatenate``.

    Returns
    -------
    ScalingLawResult
        ``A``, ``B``, ``E``, ``alpha``, ``beta``, the optimizer's outcome,
        ``confidence_interval(name)``, ``compute_optimal(C)`` and ``compute_for_loss(L)``.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> params = np.repeat([1e8, 3e8, 1e9, 3e9], 3)
    >>> tokens = np.tile([2e9, 2e10, 2e11], 4)
    >>> loss = 1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28  # Hoffmann et al.'s fit
    >>> one_start = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    >>> result = fit.scaling_law(params, tokens, loss, grid=one_start)
    >>> round(result.E, 3), round(result.alpha, 3), round(result.beta, 3), result.converged
    (1.69, 0.34, 0.28, True)
    """
    _checks.check_choice("form", form, FORMS)
    backend = _validation.check_backend(backend)
    delta = _validation.check_real("delta", delta, minimum=0.0, strict_minimum=True)
    (log_params, log_tokens, log_loss), excluded = _check_data(params, tokens, loss, exclude_highest)
    starts = starts_from_grid(grid)
    n_resamples = _validation.check_int("n_resamples", n_resamples, minimum=0, maximum=MAX_RESAMPLES)
    first_resample = _validation.check_int("first_resample", first_resample, minimum=0, maximum=2**63)
    seed = _validation.resolve_seed(seed)
    level = _validation.check_real("confidence_level", confidence_level, minimum=0.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"confidence_level must be < 1, got {level}")
    k = _validation.check_real("flop_per_token_param", flop_per_token_param, minimum=0.0, strict_minimum=True)
    if threads is not None:
        threads = _validation.resolve_threads(threads)
    n = len(log_loss)
    logs = (log_params, log_tokens, log_loss, delta)
    common = dict(executor=executor, threads=threads, backend=backend, progress=progress)
    pieces = runner.run(
        starts_block,
        (*logs, starts, backend),
        runner.plan_blocks(len(starts), fit_cost(n), 40.0 + 8.0 * twin.RECORD),
        description=f"scaling-law starts ({backend})",
        footprint=footprint("grid starts", len(starts), n, backend, threads, fixed=40.0 * len(starts)),
        **common,
    )
    records = runner.concatenate(pieces)
    converged = np.isin(records[:, 6], twin.CONVERGED) & np.isfinite(records[:, 5])
    candidates = converged if np.any(converged) else np.isfinite(records[:, 5])
    if not np.any(candidates):
        raise ValueError("the objective is not finite at any start of grid; check the data and the grid")
    objectives = np.where(candidates, records[:, 5], np.inf)
    best = int(np.argmin(objectives))  # the first index among equal objectives
    if not converged[best]:
        warnings.warn(
            ScalingLawConvergenceWarning(
                f"no start of the {len(starts)} converged ({twin.status_counts(records)}); the lowest finite "
                "objective is returned with converged=False"
            ),
            stacklevel=2,
        )
    theta = records[best, :5].copy()
    resamples = None
    if n_resamples:
        pieces = runner.run(
            resamples_block,
            (*logs, theta, seed, backend),
            runner.plan_blocks(n_resamples, fit_cost(n), 20.0 * n + 8.0 * twin.RECORD, first=first_resample),
            description=f"scaling-law bootstrap ({backend})",
            footprint=footprint("n_resamples", n_resamples, n, backend, threads),
            **common,
        )
        resamples = runner.concatenate(pieces)
    a, b, e, alpha, beta = (float(v) for v in theta)
    return ScalingLawResult(
        a=a,
        b=b,
        e=e,
        alpha=alpha,
        beta=beta,
        objective=float(records[best, 5]),
        converged=bool(converged[best]),
        form=form,
        delta=delta,
        n_points=n,
        n_excluded=len(excluded),
        excluded_indices=excluded,
        n_starts=len(starts),
        best_start=best,
        start_status_counts=twin.status_counts(records),
        flop_per_token_param=k,
        n_resamples=n_resamples,
        seed=seed,
        confidence_level=level,
        resample_status_counts=twin.status_counts(resamples) if resamples is not None else {},
        backend=backend,
        start_records=records,
        resample_records=resamples,
        first_resample=first_resample,
    )
