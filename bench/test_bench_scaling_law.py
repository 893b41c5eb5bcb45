"""Scaling-law fit benchmark: the C++ core (all cores, and one thread) against its scipy twin (L-BFGS-B), same group.

With --benchmark-enable: the 4,500-start default grid on 250 points (the twin takes
minutes; one round). With --benchmark-disable (the project default) each body runs
once on a 32-start grid as a correctness check. Both assert the same optimum: the
best objectives agree to 1e-6 (relative).
"""

import numpy as np
import pytest

from computelimits.fit import scaling_law

REDUCED_GRID = {"a": [0, 10], "b": [0, 10], "e": [-1, 1], "alpha": [0.5, 1.5], "beta": [0.5, 1.5]}


def _data(n=250, seed=0):
    """Hoffmann et al.'s Approach-3 law with 2% lognormal noise over the Chinchilla runs' N and D."""
    rng = np.random.default_rng(seed)
    params = np.exp(rng.uniform(np.log(7e7), np.log(1.6e10), n))
    tokens = np.exp(rng.uniform(np.log(5e8), np.log(5e11), n))
    loss = (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(0.02 * rng.standard_normal(n))
    return params, tokens, loss


_RESULTS = {}  # (backend, full grid) -> result, so the slow twin runs once per session


def _reference(backend, full):
    if (backend, full) not in _RESULTS:
        _RESULTS[backend, full] = scaling_law(*_data(), grid=None if full else REDUCED_GRID, backend=backend)
    return _RESULTS[backend, full]


@pytest.mark.benchmark(group="scaling law, 4500 starts, n=250")
@pytest.mark.parametrize(
    ("backend", "threads"), [("numpy", None), ("cpp", None), ("cpp", 1)], ids=["numpy", "cpp", "cpp-1-thread"]
)
def test_scaling_law_fit(benchmark, backend, threads):
    full = not benchmark.disabled
    grid = None if full else REDUCED_GRID
    rounds = 1 if backend == "numpy" else 5
    options = dict(grid=grid, backend=backend, threads=threads)
    result = benchmark.pedantic(scaling_law, _data(), options, rounds=rounds, iterations=1)
    _RESULTS.setdefault((backend, full), result)
    other = _reference("cpp" if backend == "numpy" else "numpy", full)
    assert result.n_starts == (4500 if full else 32)
    assert result.converged and other.converged
    assert abs(result.objective - other.objective) <= 1e-6 * other.objective
    np.testing.assert_allclose(result.theta, other.theta, rtol=0, atol=1e-4)
