"""Absurd sizes fail at validation in both backends; memory is checked before allocating,
and the estimates track what the kernels really use."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from computelimits import _memory, flops, runner
from computelimits.fit import bootstrap_ols, doubling_time, scaling_law
from computelimits.simulate import (
    compute_scaling,
    double_descent,
    gradient_descent,
    lasso_path,
    paper_experiment,
    sgd_scaling,
)

BACKENDS = ("cpp", "numpy")


@pytest.fixture
def eight_gib(monkeypatch):
    """The memory available, fixed at 8 GiB whatever the machine has."""
    monkeypatch.setenv(_memory.ENVIRONMENT_VARIABLE, "8G")


def _fails_fast(error, call, *fragments):
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        call()
    assert time.perf_counter() - started < 2.0, "the check must come before any work"
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))


@pytest.mark.parametrize("backend", BACKENDS)
def test_absurd_replicate_counts_raise_at_validation(backend):
    x = np.arange(10.0)
    y = 2 * x + np.sin(x)
    _fails_fast(ValueError, lambda: paper_experiment(10**12, backend=backend), "reps", "1000000000")
    _fails_fast(ValueError, lambda: double_descent(20, [5, 40], 10**12, backend=backend), "reps")
    _fails_fast(ValueError, lambda: sgd_scaling(reps=10**12, backend=backend), "reps")
    _fails_fast(ValueError, lambda: bootstrap_ols(x, y, 10**12, backend=backend), "n_resamples")


def _chinchilla(n=30):
    rng = np.random.default_rng(0)
    params, tokens = np.exp(rng.uniform(18, 23, n)), np.exp(rng.uniform(20, 27, n))
    return params, tokens, (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.02, n))


ONE_START = {"a": [6.0], "b": [6.0], "e": [0.5], "alpha": [0.34], "beta": [0.28]}
YEARS = np.linspace(2000, 2020, 40)
COMPUTE = 2.0 ** (np.where(YEARS < 2012, YEARS - 2000, 12 + 3 * (YEARS - 2012)) + np.sin(np.arange(40)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_absurd_resample_counts_of_the_resampling_loops_raise_at_validation(backend):
    _fails_fast(
        ValueError,
        lambda: scaling_law(*_chinchilla(), grid=ONE_START, n_resamples=10**12, backend=backend),
        "n_resamples must be <= 10000000, got 1000000000000",
    )
    _fails_fast(
        ValueError,
        lambda: doubling_time(YEARS, COMPUTE, estimate_break=True, n_resamples=10**12, backend=backend),
        "n_resamples must be <= 1000000000, got 1000000000000",
    )
    _fails_fast(
        ValueError,
        lambda: compute_scaling((2.0,), (20, 40, 80), reps=4, n_resamples=10**12, backend=backend),
        "n_resamples must be <= 10000000, got 1000000000000",
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_resampling_results_that_cannot_fit_raise_memory_error(backend, monkeypatch):
    monkeypatch.setenv(_memory.ENVIRONMENT_VARIABLE, "256M")
    # 10^7 refits keep 9 doubles each, twice (the blocks and their join): 1.3 GiB
    _fails_fast(
        MemoryError,
        lambda: scaling_law(*_chinchilla(), grid=ONE_START, n_resamples=10**7, backend=backend, progress=False),
        f"scaling-law bootstrap ({backend})(n_resamples=10000000, points=30",
        "256.0 MiB is available",
    )
    # 10^9 break dates, twice: 14.9 GiB
    _fails_fast(
        MemoryError,
        lambda: doubling_time(
            YEARS, COMPUTE, estimate_break=True, n_resamples=10**9, backend=backend, min_era_points=6, progress=False
        ),
        "break-date bootstrap(n_resamples=1000000000, points=40)",
    )
    # 10^7 resamples of 2 ratios x 2 compute measures: 610 MiB of slopes
    _fails_fast(
        MemoryError,
        lambda: compute_scaling((0.5, 2.0), (20, 40, 80), reps=4, n_resamples=10**7, backend=backend, progress=False),
        "exponent bootstrap(n_resamples=10000000, reps=4, cells (ratios x n_values)=6)",
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_results_that_cannot_fit_raise_memory_error(backend, eight_gib):
    # 10^8 replicates of the default paper grid keep ~116 GB of per-replicate results
    _fails_fast(
        MemoryError,
        lambda: paper_experiment(10**8, backend=backend, progress=False),
        "reps=100000000",
        "8.0 GiB is available",
        "COMPUTELIMITS_MEMORY_LIMIT",
    )
    # 2^33 grid points of counts: 5 int64 columns each
    _fails_fast(
        MemoryError,
        lambda: flops.sweep_transformer(
            np.arange(1, 2**11 + 1), [64], np.arange(1, 2**11 + 1), np.arange(1, 2**11 + 1), [1], backend=backend
        ),
        "configurations=8589934592",
    )


@pytest.mark.filterwarnings("ignore::computelimits.exceptions.OneReplicateWarning")  # reps=1 pieces on purpose
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_design_too_large_for_memory_names_its_arguments(backend, eight_gib):
    # 2^21 rows x 1000 features: a 16 GiB design per thread (the n p <= 2^31 case)
    _fails_fast(
        MemoryError,
        lambda: paper_experiment(1, sizes=[20, 2**21], threads=1, backend=backend, progress=False),
        "paper_experiment(",
        "max(sizes)=2097152",
        "p=1000",
        "threads=1",
    )
    _fails_fast(
        MemoryError,
        lambda: double_descent(2**16, [100, 2**15], 1, threads=2, backend=backend, progress=False),
        "n=65536",
        "max(p)=32768",
        "threads=2",
    )


def test_sweep_grids_beyond_the_cap_raise():
    axis = np.arange(1, 2**14 + 1)  # 2^42 configurations
    _fails_fast(
        ValueError, lambda: flops.sweep_transformer(axis, [64], axis, axis, [1]), "4398046511104 configurations"
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_estimators_check_memory_first(backend, eight_gib, monkeypatch):
    X = np.random.default_rng(0).normal(size=(10, 50_000))
    y = X[:, 0]
    # the lasso's Gram matrix alone: 50,000^2 doubles = 18.6 GiB
    _fails_fast(MemoryError, lambda: lasso_path(X, y, [0.1], backend=backend), "p=50000")
    # one loss value per epoch if every epoch runs: 8 GB for 10^9 epochs
    monkeypatch.setenv(_memory.ENVIRONMENT_VARIABLE, "1G")
    _fails_fast(
        MemoryError, lambda: gradient_descent(X[:, :5], y, step_size=0.1, epochs=10**9, backend=backend), "epochs"
    )


def test_a_dask_block_larger_than_a_workers_memory_limit_raises_before_submitting():
    class ClientWithSmallWorkers:
        """Duck-typed dask.distributed.Client whose workers have 1 GiB each; nothing may be submitted."""

        def scheduler_info(self):
            return {"workers": {"tcp://a": {"memory_limit": 2**30, "nthreads": 1}}}

        def submit(self, *args, **kwargs):
            raise AssertionError("submitted a block that cannot fit")

        scatter = cancel = map = submit

    with pytest.raises(MemoryError, match="one block of 1 on one worker") as caught:
        paper_experiment(4, sizes=[20, 400_000], executor=ClientWithSmallWorkers(), progress=False)
    assert "the worker's memory limit" in str(caught.value)


@pytest.mark.parametrize(
    "text, expected",
    [("17179869184", 2**34), ("16G", 2**34), ("16GiB", 2**34), ("512m", 2**29), ("1.5K", 1536), ("0", None)],
)
def test_the_memory_override(monkeypatch, text, expected):
    monkeypatch.setenv(_memory.ENVIRONMENT_VARIABLE, text)
    assert _memory.available_memory()[0] == expected


def test_a_malformed_override_names_the_variable(monkeypatch):
    monkeypatch.setenv(_memory.ENVIRONMENT_VARIABLE, "lots")
    with pytest.raises(ValueError, match="COMPUTELIMITS_MEMORY_LIMIT"):
        _memory.available_memory()


def test_available_memory_matches_meminfo(monkeypatch):
    monkeypatch.delenv(_memory.ENVIRONMENT_VARIABLE, raising=False)
    try:
        with open("/proc/meminfo") as handle:
            text = handle.read()
    except OSError:
        pytest.skip("no /proc/meminfo on this system")
    meminfo = int(next(line for line in text.splitlines() if line.startswith("MemAvailable:")).split()[1]) * 1024
    available, source = _memory.available_memory()
    # the figure is MemAvailable (or the smaller cgroup room); memory moves a little between the two reads
    assert available <= meminfo * 1.05 + 2**26
    assert source in ("MemAvailable in /proc/meminfo", "the cgroup memory limit")


PEAK = """
import importlib, sys
import numpy as np
def status(key):
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) * 1024 for line in handle if line.startswith(key + ":"))
def start():
    # getrusage's maxrss survives fork and exec (it would start at pytest's size); VmHWM is this
    # process's own peak, and writing 5 to clear_refs resets it to the current RSS (Linux >= 4.0)
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
    return status("VmRSS")
def peak():
    return status("VmHWM")
which = sys.argv[1]
if which == "paper_experiment":
    module = importlib.import_module("computelimits.simulate.paper")
    module.paper_experiment(1, p=50, sizes=[20, 60], seed=1, threads=1, progress=False)
    before = start()
    module.paper_experiment(1, p=1000, sizes=[20, 6000], seed=1, threads=1, progress=False)
    footprint = module._footprint(1, [20, 6000], 1000, 1)
    items = 1
elif which == "double_descent":
    module = importlib.import_module("computelimits.simulate.double_descent")
    module.double_descent(20, [5, 40], 1, seed=1, threads=1, progress=False)
    before = start()
    module.double_descent(3000, [500, 1000, 6000], 1, seed=1, threads=1, progress=False)
    footprint = module._footprint(1, 3000, [500, 1000, 6000], 1)
    items = 1
elif which == "sgd_scaling":
    module = importlib.import_module("computelimits.simulate.sgd_scaling")
    module.sgd_scaling((20, 40), p=10, k=5, epochs=2, reps=1, seed=1, threads=1, progress=False)
    before = start()
    module.sgd_scaling([2000, 8000], p=500, epochs=2, reps=1, seed=1, threads=1, progress=False)
    footprint = module._footprint(1, [2000, 8000], [500, 500], 2, 1)
    items = 1
elif which == "scaling_law":
    module = importlib.import_module("computelimits.fit.scaling_law")
    n = 1_000_000
    rng = np.random.default_rng(0)
    params, tokens = np.exp(rng.uniform(18, 23, n)), np.exp(rng.uniform(20, 27, n))
    loss = (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.02, n))
    grid = {"a": [6.0], "b": [6.0], "e": [0.5], "alpha": [0.34], "beta": [0.28]}
    module.scaling_law(params[:50], tokens[:50], loss[:50], grid=grid, n_resamples=2, seed=1, threads=1)
    before = start()
    module.scaling_law(params, tokens, loss, grid=grid, n_resamples=2, seed=1, threads=1)
    footprint = module.footprint("n_resamples", 2, n, "cpp", 1)
    items = 2
else:
    module = importlib.import_module("computelimits.fit.bootstrap")
    blocks = importlib.import_module("computelimits.fit._bootstrap_blocks")
    from computelimits.fit import ols
    n = 2_000_000
    rng = np.random.default_rng(0)
    fit = ols(rng.uniform(size=n), rng.normal(size=n))
    module.bootstrap_fit(ols(np.arange(10.0), np.arange(10.0) ** 1.5), 10, seed=1, threads=1)
    before = start()
    module.bootstrap_fit(fit, 20, method="bca", seed=1, threads=1)
    footprint = blocks.footprint(20, n, 2, 3, 1)
    items = 20
estimate = footprint.fixed + footprint.scratch_per_thread + 2 * items * footprint.result_per_item
print(peak() - before, estimate)
"""


@pytest.mark.parametrize(
    "entry_point", ["paper_experiment", "double_descent", "sgd_scaling", "bootstrap_fit", "scaling_law"]
)
def test_estimates_track_the_measured_peak(entry_point):
    """Peak resident memory of one call on one thread (VmHWM, in a fresh process) against the
    runner's estimate: within a factor of 3 either way, and never far below."""
    if not os.access("/proc/self/clear_refs", os.W_OK):
        pytest.skip("needs Linux's /proc/self/clear_refs to measure a peak")
    output = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PEAK), entry_point], capture_output=True, text=True, check=True
    ).stdout
    measured, estimate = (float(v) for v in output.split())
    slack = 16 * 2**20  # allocator and interpreter noise
    assert measured <= 1.25 * estimate + slack, (measured / 2**20, estimate / 2**20)
    assert estimate <= 3.0 * measured + slack, (measured / 2**20, estimate / 2**20)
    assert estimate > 2**25  # a problem large enough for the comparison to mean something


def test_plan_blocks_bound_work_bytes_and_count(monkeypatch):
    plan = runner.plan_blocks(1000, item_cost=2**30, item_bytes=0)
    assert plan.size == 16 and plan.count == 63  # 2^34 units a block
    plan = runner.plan_blocks(10**6, item_cost=1.0, item_bytes=2**20)
    assert plan.size == 128  # 2^27 bytes a block
    plan = runner.plan_blocks(10**9, item_cost=2**40)
    assert plan.size == 100_000 and plan.count == runner.MAX_BLOCKS
    blocks = runner.plan_blocks(1003, item_cost=2**31, first=7).blocks()
    assert blocks[0] == (7, 8) and blocks[-1] == (7 + 1000, 3)
    assert sum(count for _, count in blocks) == 1003
    assert all(a + n == b for (a, n), (b, _) in zip(blocks, blocks[1:]))
