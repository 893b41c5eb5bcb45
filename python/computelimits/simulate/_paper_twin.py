"""numpy twin of the paper experiment kernel (cpp/src/simulate/paper.cpp), one replicate at a time."""

from __future__ import annotations

import math

import numpy as np

from . import _twin
from .designs import draw_numpy, sigma_quadratic_form

try:  # scipy is optional; without it triangular systems go through numpy's general solver
    from scipy.linalg import solve_triangular as _solve_triangular
except ImportError:  # pragma: no cover

    def _solve_triangular(a, b, lower=False, trans=0):
        return np.linalg.solve(a.T if trans else a, b)


def _leading_ols(gram, c, m):
    return _twin._cholesky_solve(gram[:m, :m], c[:m], "paper_experiment: leading Gram block")


def _small_ols_flops(n, m):
    return _twin.gram_flops(n, m) + 2.0 * n * m + _twin.cholesky_flops(m) + 2.0 * m * m


def paper_replicate(
    p, k, covariance, rho, signal, sigma, sizes, expert_k, lasso_scale, lasso_tol, lasso_max_sweeps, seed, replicate
):
    """(nmse [size, model], flops [size, model], lasso_kkt [size], spent) for one replicate."""
    n_max = int(sizes[-1])
    X, _, y, beta = draw_numpy(n_max, p, k, covariance, rho, signal, sigma, seed, replicate)
    count = len(sizes)
    nmse, flops, kkt = np.empty((count, 4)), np.empty((count, 4)), np.empty(count)
    gram, c, lasso_w = np.zeros((p, p)), np.zeros(p), np.zeros(p)
    factor = np.zeros((0, 0))
    total, previous = 0.0, 0
    score = lambda estimate: sigma_quadratic_form(estimate - beta, covariance, rho) / signal  # noqa: E731
    for g, n in enumerate(int(s) for s in sizes):
        block, added = X[previous:n], n - previous
        gram += block.T @ block
        c += block.T @ y[previous:n]
        total += _twin.gram_flops(added, p) + 2.0 * added * p
        for column, m in ((0, k), (1, expert_k)):
            estimate = np.zeros(p)
            estimate[:m] = _leading_ols(gram, c, m)
            nmse[g, column] = score(estimate)
            flops[g, column] = _small_ols_flops(n, m)
            total += _twin.cholesky_flops(m) + 2.0 * m * m
        if n >= p:
            estimate = _twin._cholesky_solve(gram, c, "paper_experiment: X'X (flexible OLS)")
            flops[g, 2] = _small_ols_flops(n, p)
            total += _twin.cholesky_flops(p) + 2.0 * p * p
        else:
            old = factor.shape[0]
            lower21 = block @ X[:old].T
            if old:
                lower21 = _solve_triangular(factor, lower21.T, lower=True).T
            schur = block @ block.T - lower21 @ lower21.T
            lower22 = _twin._cholesky(schur, f"paper_experiment: X X' at n={n}; keep sample sizes away from p")
            factor = np.block([[factor, np.zeros((old, added))], [lower21, lower22]])
            total += (
                2.0 * added * old * p
                + added * (added + 1) * p
                + added * old * old
                + added * (added + 1) * old
                + _twin.cholesky_flops(added)
            )
            dual = _solve_triangular(factor, _solve_triangular(factor, y[:n], lower=True), lower=True, trans=1)
            estimate = X[:n].T @ dual
            flops[g, 2] = _twin.gram_flops(p, n) + _twin.cholesky_flops(n) + 2.0 * n * n + 2.0 * n * p
            total += 2.0 * n * n + 2.0 * n * p
        nmse[g, 2] = score(estimate)
        alpha = lasso_scale * sigma * math.sqrt(2.0 * math.log(p) / n)
        counters = {"flops": 0.0, "sweeps": 0}
        kkt[g] = _twin.lasso_gram_solve(gram, c, float(n), alpha, lasso_w, lasso_tol, lasso_max_sweeps, counters)
        nmse[g, 3] = score(lasso_w)
        flops[g, 3] = _twin.gram_flops(n, p) + 2.0 * n * p + counters["flops"]
        total += counters["flops"]
        previous = n
    return nmse, flops, kkt, total


def paper_block(
    p, k, covariance, rho, signal, sigma, sizes, expert_k, lasso_scale, lasso_tol, lasso_max_sweeps, seed, first, count
):
    """Replicates first .. first + count - 1, stacked like the C++ kernel's outputs."""
    parts = [
        paper_replicate(
            p,
            k,
            covariance,
            rho,
            signal,
            sigma,
            sizes,
            expert_k,
            lasso_scale,
            lasso_tol,
            lasso_max_sweeps,
            seed,
            first + r,
        )
        for r in range(count)
    ]
    return (
        np.stack([q[0] for q in parts]),
        np.stack([q[1] for q in parts]),
        np.stack([q[2] for q in parts]),
        np.array([q[3] for q in parts]),
    )
