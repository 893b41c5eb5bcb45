"""The lasso cells of ``compute_scaling``: the C++ kernel (``lasso_scaling.cpp``) and its numpy twin.

Replicate r draws one isotropic design of the largest size (n_max x p_max, the first k
features carrying equal coefficients with beta'beta = signal) from stream (seed, r); the
cell (n, p) fits its leading n rows and p columns from w = 0 by active-set coordinate
descent on the Gram matrix (``lasso_gram_solve``, the kernel of ``paper_experiment``) at
the universal penalty alpha = lasso_scale sigma sqrt(2 ln p / n) (Bickel, Ritov and
Tsybakov 2009). Per cell: the excess risk ||w - beta||^2, the counted FLOPs of a fit from
scratch (Gram n p (p + 1) + X'y 2 n p + the coordinate-descent work), the KKT residual and
the sweeps.
"""

from __future__ import annotations

import math

import numpy as np

from .. import runner
from . import _twin
from .designs import draw_numpy


def _cpp_block(k, signal, sigma, sizes, widths, lasso_scale, lasso_tol, max_sweeps, seed, first, count, threads):
    """Replicates [first, first + count) on the C++ core: (excess, flops, kkt, sweeps) [replicate, cell]."""
    from .. import _core

    return _core.simulate.lasso_scaling(
        k, signal, sigma, sizes, widths, lasso_scale, lasso_tol, max_sweeps, seed, first, count, threads
    )


def _numpy_block(k, signal, sigma, sizes, widths, lasso_scale, lasso_tol, max_sweeps, seed, first, count, threads):
    """The numpy twin of the C++ kernel (``threads`` unused), one replicate at a time."""
    n_max, p_max, cells = max(sizes), max(widths), len(sizes)
    out = [np.empty((count, cells)) for _ in range(4)]
    for r in range(count):
        X, _, y, beta = draw_numpy(n_max, p_max, k, "isotropic", 0.0, signal, sigma, seed, first + r)
        for cell, (n, p) in enumerate(zip(sizes, widths)):
            block = X[:n, :p]
            gram, c = block.T @ block, block.T @ y[:n]
            alpha = lasso_scale * sigma * math.sqrt(2.0 * math.log(p) / n)
            w = np.zeros(p)
            counters = {"flops": _twin.gram_flops(n, p) + 2.0 * n * p, "sweeps": 0}
            out[2][r, cell] = _twin.lasso_gram_solve(gram, c, float(n), alpha, w, lasso_tol, max_sweeps, counters)
            out[0][r, cell] = float(np.sum((w - beta[:p]) ** 2))
            out[1][r, cell] = counters["flops"]
            out[3][r, cell] = counters["sweeps"]
    return tuple(out)


def _replicate_cost(sizes, widths) -> float:
    """Cost units of one replicate: normals (~30 per draw) and per cell the Gram n p^2 and
    about ten sweeps of p^2."""
    n_max, p_max = max(sizes), max(widths)
    return 30.0 * n_max * p_max + sum(n * p * p + 10.0 * p * p for n, p in zip(sizes, widths))


def _footprint(reps, sizes, widths, threads) -> runner.Footprint:
    """Per replicate 4 values per cell; per thread the design (n_max p_max), the largest cell's
    Gram matrix and the lasso's active columns (2 p^2)."""
    n_max, p_max = max(sizes), max(widths)
    return runner.Footprint(
        arguments={"reps": reps, "max(n)": n_max, "max(p)": p_max, "threads": threads},
        result_per_item=32.0 * len(sizes),
        scratch_per_thread=8.0 * (n_max * p_max + 2.0 * p_max * p_max + 2.0 * n_max + 8.0 * p_max),
    )


def lasso_cells(
    k,
    signal,
    sigma,
    sizes,
    widths,
    lasso_scale,
    lasso_tol,
    max_sweeps,
    *,
    reps,
    seed,
    threads,
    backend,
    progress,
    executor=None,
):
    """(excess, flops, kkt, sweeps), each [replicate, cell], for cells (sizes[i], widths[i]);
    replicates in blocks by :func:`computelimits.runner.run` (local threads or ``executor``)."""
    sizes, widths = [int(n) for n in sizes], [int(p) for p in widths]
    pieces = runner.run(
        _cpp_block if backend == "cpp" else _numpy_block,
        (k, signal, sigma, sizes, widths, lasso_scale, lasso_tol, max_sweeps, seed),
        runner.plan_blocks(reps, _replicate_cost(sizes, widths)),
        executor=executor,
        threads=threads,
        backend=backend,
        progress=progress,
        description="compute_scaling (lasso)",
        footprint=_footprint(reps, sizes, widths, threads),
    )
    return tuple(runner.concatenate([piece[i] for piece in pieces]) for i in range(4))
