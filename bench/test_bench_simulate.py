"""C++ core against its numpy twin for the simulate area (same group, same answer).

Measure with ``--benchmark-enable --benchmark-min-rounds=3``; with benchmarks disabled
(the project default) each body runs once at reduced sizes as a correctness check.
"""

import functools
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from computelimits.simulate import estimators, make_design, paper_experiment, sgd_scaling


@pytest.fixture
def full(benchmark):
    """True when benchmarks are measured (stated sizes), False in the disabled CI run."""
    return not benchmark.disabled


def _paper_args(full):
    # Measured at the default model and grid; replicates reduced because the numpy twin
    # needs seconds per replicate (the time is linear in replicates).
    if full:
        return dict(reps=4, seed=1)
    return dict(reps=2, seed=1, p=120, sizes=[20, 40, 80, 160, 240])


@pytest.mark.benchmark(group="simulate-paper")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_paper_experiment(benchmark, backend, full):
    args = _paper_args(full)
    result = benchmark.pedantic(
        paper_experiment,
        kwargs=dict(threads=2, backend=backend, progress=False, **args),
        rounds=3 if full else 1,
        iterations=1,
    )
    reference = paper_experiment(threads=2, backend="cpp" if backend == "numpy" else "numpy", progress=False, **args)
    np.testing.assert_allclose(result.performance, reference.performance, atol=1e-7)
    benchmark.extra_info["flops_spent_per_replicate"] = float(result.flops_spent.mean())


def _sgd_args(full, batch):
    if full:
        return dict(sizes=(2000,), p=200, epochs=50, reps=32, batch_size=batch, seed=2)
    return dict(sizes=(200,), p=40, epochs=3, reps=2, batch_size=batch, seed=2)


@pytest.mark.benchmark(group="simulate-sgd")
@pytest.mark.parametrize("batch", [1, 32])
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_sgd(benchmark, backend, batch, full):
    args = _sgd_args(full, batch)
    result = benchmark.pedantic(
        sgd_scaling,
        kwargs=dict(threads=2, backend=backend, progress=False, **args),
        rounds=3 if full else 1,
        iterations=1,
    )
    small = dict(args, reps=2, epochs=2)
    cpp = sgd_scaling(threads=2, backend="cpp", progress=False, **small)
    twin = sgd_scaling(threads=2, backend="numpy", progress=False, **small)
    np.testing.assert_allclose(cpp.excess, twin.excess, rtol=1e-8)
    np.testing.assert_allclose(result.excess[:2, :, :2], cpp.excess, rtol=1e-8)


@functools.cache
def _numpy_gemm_flops_per_second(n, p):
    """The machine's GEMM rate as numpy (multi-threaded BLAS) reaches it: the best of ten
    X'Y products, measured once per session so both backends are judged against one figure."""
    X = np.random.default_rng(0).standard_normal((n, p))
    Y = X.copy()  # a distinct operand, so numpy runs a general GEMM rather than SYRK
    best = np.inf
    for _ in range(10):
        start = time.perf_counter()
        X.T @ Y
        best = min(best, time.perf_counter() - start)
    return 2.0 * n * p * p / best


def _fit_pair(designs, backend):
    """OLS by Cholesky on each design: the C++ kernels one per core (how the experiments
    spread replicates over threads), the numpy twin one after another on multi-threaded BLAS."""

    def fit(design):
        return estimators.ols(design.X, design.y, method="cholesky", backend=backend)

    if backend == "numpy":
        return [fit(design) for design in designs]
    with ThreadPoolExecutor(max_workers=len(designs)) as pool:
        return list(pool.map(fit, designs))


@pytest.mark.benchmark(group="simulate-dense")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_dense_gram_throughput(benchmark, backend, full):
    """OLS by Cholesky (Gram-dominated) on two designs with the machine's two cores:
    counted FLOP/s as a fraction of numpy's measured (multi-threaded) GEMM FLOP/s."""
    n, p = (4000, 1000) if full else (400, 100)
    designs = [make_design(n, p, seed=seed) for seed in (3, 4)]
    fits = benchmark.pedantic(_fit_pair, args=(designs, backend), rounds=3 if full else 1, iterations=1)
    for design, fit in zip(designs, fits):
        np.testing.assert_allclose(fit.coef, np.linalg.lstsq(design.X, design.y, rcond=None)[0], rtol=1e-8, atol=1e-10)
    if full:
        gemm = _numpy_gemm_flops_per_second(n, p)
        rate = sum(fit.flops for fit in fits) / benchmark.stats.stats.min
        benchmark.extra_info.update(counted_gflops=rate / 1e9, numpy_gemm_gflops=gemm / 1e9, fraction=rate / gemm)
