"""compute_scaling's lasso regime: the C++ kernel against its numpy twin (same group, same answer).

Measure with ``--benchmark-enable --benchmark-min-rounds=3`` (the defaults' grid, n = 200,
400, 800 at p = 2n, 4 replicates); with benchmarks disabled (the project default) the body
runs once at reduced sizes as a correctness check.
"""

import numpy as np
import pytest

from computelimits.simulate import compute_scaling


@pytest.fixture
def full(benchmark):
    """True when benchmarks are measured (stated sizes), False in the disabled CI run."""
    return not benchmark.disabled


@pytest.mark.benchmark(group="simulate-lasso-scaling")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_lasso_scaling(benchmark, backend, full):
    args = dict(estimator="lasso", reps=4, seed=3, n_resamples=200, threads=2, progress=False)
    if not full:
        args.update(n_values=(20, 40, 80), true_features=3, reps=3)
    result = benchmark.pedantic(
        compute_scaling, kwargs=dict(backend=backend, **args), rounds=3 if full else 1, iterations=1
    )
    reference = compute_scaling(backend="cpp" if backend == "numpy" else "numpy", **args)
    np.testing.assert_allclose(result.error, reference.error, rtol=1e-9)
    np.testing.assert_allclose(result.lasso_flops, reference.lasso_flops, rtol=1e-12)
    benchmark.extra_info["counted_flops_per_replicate"] = float(result.lasso_flops.sum(axis=(1, 2)).mean())
