"""Every replicate and resample entry point gives bit-identical results on local threads, a
thread pool, a process pool and a real Dask LocalCluster, for any number of workers.

The reference is the local run (executor=None), one C++ call over the whole range; the
executors compute the same range in blocks (``few_blocks`` cuts each problem into six)
and the runner joins them.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest

from computelimits import flops, runner
from computelimits.fit import bootstrap_fit, bootstrap_ols, doubling_time, ols, project, scaling_law
from computelimits.simulate import compute_scaling, double_descent, paper_experiment, sgd_scaling

from .conftest import assert_identical

EXECUTORS = ("thread_pool", "process_pool", "dask_client")


@pytest.fixture(scope="module")
def thread_pool():
    with ThreadPoolExecutor(max_workers=3) as pool:
        yield pool


@pytest.fixture(scope="module")
def process_pool():
    # spawn: forking a process that runs threads (pytest's, Dask's) can deadlock the child
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(params=EXECUTORS)
def executor(request, few_blocks):
    return request.getfixturevalue(request.param)


def _line(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    return x, 1.5 + 0.3 * x + rng.normal(scale=0.5, size=n)


def _slope_doubling(params):
    return 12.0 / params[:, 1]


def _chinchilla(n=40, seed=0):
    """n (parameters, tokens, loss) points from Hoffmann et al.'s published law with 2% noise."""
    rng = np.random.default_rng(seed)
    params, tokens = np.exp(rng.uniform(18, 23, n)), np.exp(rng.uniform(20, 27, n))
    return params, tokens, (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.02, n))


def _two_eras(n=40):
    """Compute doubling every year until 2012, every four months after, with scatter."""
    years = np.linspace(2000, 2020, n)
    return years, 2.0 ** (np.where(years < 2012, years - 2000, 12 + 3 * (years - 2012)) + np.sin(np.arange(n)))


# A grid of 12 starts around the law (the default grid's 4,500 are too slow for every executor).
SCALING_GRID = {"a": [5.0, 7.0], "b": [5.0, 7.0, 9.0], "e": [0.5], "alpha": [0.3, 0.5], "beta": [0.3]}


# name -> function(executor, backend) -> result; small sizes, several blocks each under few_blocks.
ENTRY_POINTS = {
    "bootstrap_ols": lambda executor, backend: bootstrap_ols(
        *_line(), 300, method="bca", seed=3, backend=backend, executor=executor, progress=False
    ),
    "bootstrap_fit": lambda executor, backend: bootstrap_fit(
        ols(*_line(seed=1), backend=backend),
        240,
        "wild",
        "percentile",
        seed=4,
        backend=backend,
        derived={"doubling": _slope_doubling},
        executor=executor,
        progress=False,
    ),
    "project": lambda executor, backend: project(
        10.0 ** np.linspace(15, 20, 12),
        0.4 * (10.0 ** np.linspace(15, 20, 12) / 1e15) ** -0.1 * np.exp(np.sin(np.arange(12)) / 10),
        [0.05],
        n_resamples=200,
        seed=5,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "doubling_time": lambda executor, backend: doubling_time(
        np.linspace(2000, 2020, 16),
        2.0 ** (0.5 * np.linspace(0, 20, 16) + np.cos(np.arange(16))),
        breakpoints=[2010],
        n_resamples=200,
        seed=6,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "paper_experiment": lambda executor, backend: paper_experiment(
        6, p=60, sizes=[12, 24, 40, 90], seed=7, backend=backend, executor=executor, progress=False
    ),
    "double_descent": lambda executor, backend: double_descent(
        20, [5, 10, 30, 40], 6, seed=8, backend=backend, executor=executor, progress=False
    ),
    "sgd_scaling": lambda executor, backend: sgd_scaling(
        (20, 40), p=10, k=5, epochs=3, reps=6, seed=9, backend=backend, executor=executor, progress=False
    ),
    "compute_scaling (lasso)": lambda executor, backend: compute_scaling(
        (2.0,),
        (40, 80, 160),
        estimator="lasso",
        reps=6,
        true_features=5,
        n_resamples=50,
        seed=10,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "scaling_law": lambda executor, backend: scaling_law(
        *_chinchilla(),
        grid=SCALING_GRID,
        n_resamples=30,
        seed=12,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "doubling_time (estimate_break)": lambda executor, backend: doubling_time(
        *_two_eras(),
        estimate_break=True,
        min_era_points=6,
        n_resamples=150,
        seed=13,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "compute_scaling (min_norm)": lambda executor, backend: compute_scaling(
        (0.5, 2.0),
        (20, 40, 80),
        reps=6,
        n_resamples=80,
        method="bca",
        seed=14,
        backend=backend,
        executor=executor,
        progress=False,
    ),
    "sweep_transformer": lambda executor, backend: flops.sweep_transformer(
        [1, 2], [64, 128], [16, 32], [100, 5000], [1, 2, 4], backend=backend, executor=executor
    ),
}


# Runner calls per entry point, each cut into six blocks by few_blocks: the scaling law's starts and
# resamples; the break date's resamples and the two eras' bootstraps; compute_scaling's replicates
# (one double_descent run per size, three) and the exponents' bootstrap.
RESAMPLING_RUNS = {"scaling_law": 2, "doubling_time (estimate_break)": 3, "compute_scaling (min_norm)": 4}


@pytest.mark.parametrize("entry_point", list(ENTRY_POINTS))
def test_cpp_entry_points_are_bit_identical_on_every_executor(entry_point, executor):
    run = ENTRY_POINTS[entry_point]
    assert_identical(run(executor, "cpp"), run(None, "cpp"), entry_point)


@pytest.mark.parametrize(
    "entry_point",
    [
        "bootstrap_ols",
        "paper_experiment",
        "sweep_transformer",
        "scaling_law",
        "doubling_time (estimate_break)",
        "compute_scaling (min_norm)",
    ],
)
def test_numpy_twins_are_bit_identical_on_every_executor(entry_point, executor):
    # The twin's local run walks the same blocks one after another, BLAS on one thread as in
    # the tasks (BLAS rounds a row by its thread count and its place in a product).
    run = ENTRY_POINTS[entry_point]
    assert_identical(run(executor, "numpy"), run(None, "numpy"), entry_point)


# The part of each result that numpy kernels compute row by row, whatever the blocks (the eras'
# bootstrap twin is not: its BLAS products round by their place in a block, see docs/distributed.md).
BLOCKWISE_PART = {
    "scaling_law": lambda result: result,
    "doubling_time (estimate_break)": lambda result: result.break_estimate,
    "compute_scaling (min_norm)": lambda result: result,
}


@pytest.mark.parametrize("entry_point", list(BLOCKWISE_PART))
def test_numpy_resampling_blocks_join_bit_for_bit(entry_point, monkeypatch):
    # Locally a numpy kernel walks the runner's blocks too, so the executors above compare six
    # blocks with six blocks: here one block (the default plan for these sizes) against six.
    run, part = ENTRY_POINTS[entry_point], BLOCKWISE_PART[entry_point]
    reference = part(run(None, "numpy"))
    monkeypatch.setattr(runner, "BLOCK_WORK", 1.0)
    monkeypatch.setattr(runner, "MAX_BLOCKS", 6)
    assert_identical(part(run(None, "numpy")), reference, entry_point)


class CountingExecutor(ThreadPoolExecutor):
    """A thread pool that counts the blocks submitted to it."""

    def __init__(self, workers):
        super().__init__(max_workers=workers)
        self.submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        return super().submit(*args, **kwargs)


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("entry_point", ["bootstrap_ols", "paper_experiment", "double_descent", "sgd_scaling"])
def test_worker_count_never_changes_a_result(entry_point, workers, few_blocks):
    run = ENTRY_POINTS[entry_point]
    reference = run(None, "cpp")
    with CountingExecutor(workers) as pool:
        assert_identical(run(pool, "cpp"), reference, f"{entry_point} on {workers} workers")
    assert pool.submitted == 6


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("entry_point", list(RESAMPLING_RUNS))
def test_worker_count_never_changes_a_resampling_result(entry_point, workers, few_blocks):
    run = ENTRY_POINTS[entry_point]
    reference = run(None, "cpp")
    with CountingExecutor(workers) as pool:
        assert_identical(run(pool, "cpp"), reference, f"{entry_point} on {workers} workers")
    assert pool.submitted == 6 * RESAMPLING_RUNS[entry_point]


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_thread_count_per_task_never_changes_a_result(threads, few_blocks, thread_pool):
    reference = ENTRY_POINTS["paper_experiment"](None, "cpp")
    result = paper_experiment(
        6, p=60, sizes=[12, 24, 40, 90], seed=7, threads=threads, executor=thread_pool, progress=False
    )
    assert_identical(result, reference)


def test_dask_run_leaves_no_tasks_behind(dask_client, few_blocks):
    result = ENTRY_POINTS["paper_experiment"](dask_client, "cpp")
    assert result.reps == 6
    # the blocks and the scattered arguments are released once gathered: the scheduler forgets them
    deadline = time.monotonic() + 10
    while (
        dask_client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert dask_client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0


def test_describe_names_where_it_ran(dask_client, thread_pool):
    assert runner.describe(None, 2) == "local threads (2)"
    assert runner.describe(thread_pool) == "ThreadPoolExecutor (3 workers)"
    text = runner.describe(dask_client)
    assert text.startswith("a local Dask cluster of 2 workers (2 threads), scheduler tcp://127.0.0.1:")


def test_fit_cli_on_a_running_scheduler(dask_client, tmp_path, capsys):
    from computelimits.cli import main

    address = dask_client.scheduler.address
    arguments = ["fit", "--benchmark", "imagenet", "--bootstrap", "300", "--target", "0.05", "--no-plot"]
    assert main(arguments) == 0
    local = capsys.readouterr().out
    assert main([*arguments, "--scheduler", address]) == 0
    remote = capsys.readouterr().out
    assert f"resamples ran on a Dask cluster of 2 workers (2 threads), scheduler {address}" in remote
    # every table line is the same; only the "ran on" line differs
    assert [line for line in local.splitlines() if "ran on" not in line] == [
        line for line in remote.splitlines() if "ran on" not in line
    ]


@pytest.mark.slow
def test_the_whole_report_is_the_same_on_a_cluster(dask_client, tmp_path):
    import json

    from computelimits.cli import main

    for name, extra in (("local", []), ("cluster", ["--scheduler", dask_client.scheduler.address])):
        assert (
            main(["reproduce", "--quick", "--seed", "7", "--out", str(tmp_path / name), "--no-progress", *extra]) == 0
        )
    local, cluster = (json.loads((tmp_path / name / "results.json").read_text()) for name in ("local", "cluster"))
    assert cluster["ran_on"].startswith("a Dask cluster of 2 workers")
    assert "Ran on a Dask cluster of 2 workers" in (tmp_path / "cluster" / "report.md").read_text()
    for results in (local, cluster):
        results.pop("seconds"), results.pop("ran_on")
    assert cluster == local
