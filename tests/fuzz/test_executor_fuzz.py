"""Fuzz the executor= and threads= arguments of every entry point that runs on the replicate runner.

Contract: an executor that is not None, a concurrent.futures.Executor or a Dask client, and a thread
count that is not a positive integer, raise TypeError/ValueError naming ``executor`` or ``threads``;
a valid pair gives the answer of the serial run, bit for bit (same seed, same answer).
"""

import concurrent.futures

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from computelimits import fit, simulate

from ._contract import attempt, examples

_x = np.linspace(1.0, 5.0, 12)
_wiggle = np.sin(7.0 * _x)
_grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
_params = np.logspace(7, 10, 8)
_tokens = _params * np.linspace(200.0, 20.0, 8)

#: Small, fast calls of each runner entry point (the same arguments every time, seeded).
CALLS = {
    "bootstrap": lambda **kw: fit.bootstrap([1.0, 2.0, 3.0, 4.0, 5.0], "mean", 30, seed=1, **kw),
    "bootstrap_ols": lambda **kw: fit.bootstrap_ols(_x, 2.0 - 0.5 * _x + _wiggle, 30, seed=1, **kw),
    "project": lambda **kw: fit.project(
        10 ** np.linspace(15, 20, 12),
        0.5 * 10 ** (-0.1 * np.linspace(0, 5, 12)) * np.exp(0.01 * _wiggle),
        [0.1],
        n_resamples=20,
        seed=1,
        **kw,
    ),
    "doubling_time": lambda **kw: fit.doubling_time(
        np.linspace(2000, 2010, 12),
        10 ** (0.3 * np.linspace(0, 10, 12) + 0.1 * _wiggle),
        n_resamples=20,
        seed=1,
        **kw,
    ),
    "scaling_law": lambda **kw: fit.scaling_law(
        _params, _tokens, 1.69 + 406.4 / _params**0.34 + 410.7 / _tokens**0.28, grid=_grid, n_resamples=6, **kw
    ),
    "paper_experiment": lambda **kw: simulate.paper_experiment(reps=2, sizes=[20], p=12, k=1, expert_k=1, seed=0, **kw),
    "double_descent": lambda **kw: simulate.double_descent(n=10, p=[5, 20], reps=2, seed=0, **kw),
    "sgd_scaling": lambda **kw: simulate.sgd_scaling(
        sizes=[20, 40], p=10, k=2, epochs=2, targets=[0.5], reps=2, seed=0, **kw
    ),
    "compute_scaling": lambda **kw: simulate.compute_scaling(
        ratios=[2.0], n_values=[8, 12, 16], reps=3, n_resamples=20, seed=0, epochs=3, **kw
    ),
    "compute_scaling_lasso": lambda **kw: simulate.compute_scaling(
        ratios=[2.0], n_values=[20, 30, 40], estimator="lasso", true_features=2, reps=3, n_resamples=20, seed=0, **kw
    ),
}

bad_executors = st.sampled_from([object(), "threads", 2, True, print, concurrent.futures.ThreadPoolExecutor])
bad_threads = st.sampled_from([0, -1, 1.5, "2", 10**30, [2]])


@pytest.fixture(scope="module")
def pool():
    with concurrent.futures.ThreadPoolExecutor(2) as executor:
        yield executor


@pytest.fixture(scope="module")
def serial():
    """Each entry point's answer on local threads, computed once."""
    return {name: call(progress=False) for name, call in CALLS.items()}


def _same(got, want):
    pd.testing.assert_frame_equal(got.to_frame(), want.to_frame(), check_exact=True)


@examples(1.0)
@given(name=st.sampled_from(sorted(CALLS)), data=st.data())
def test_executor_and_threads(pool, serial, name, data):
    corrupt = data.draw(st.sampled_from([None, None, "executor", "threads"]), "corrupt")
    use_pool = data.draw(st.booleans(), "pool")
    executor = data.draw(bad_executors, "executor") if corrupt == "executor" else (pool if use_pool else None)
    threads = data.draw(bad_threads if corrupt == "threads" else st.sampled_from([None, 1, 2]), "threads")
    outcome = attempt(CALLS[name], ["executor", "threads"], executor=executor, threads=threads, progress=False)
    if corrupt is not None:
        assert outcome.error is not None, (
            f"{name} accepted {corrupt}={executor if corrupt == 'executor' else threads!r}"
        )
        return
    assert outcome.error is None, outcome.error
    _same(outcome.result, serial[name])
