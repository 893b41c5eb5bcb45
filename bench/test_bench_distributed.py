"""The replicate runner's overhead: the default 1000-replicate paper experiment on 2 local
threads against a 2-worker Dask LocalCluster (single-threaded worker processes).

Both compute replicates [0, 1000) of seed 2020; the cluster's blocks are joined in order
and must equal the local run bit for bit. The target is cluster <= 1.15 x local. It takes
minutes, so it runs only with ``--benchmark-enable``:

    python -m pytest bench/test_bench_distributed.py --benchmark-enable

The two variants alternate round by round, so a machine that gets busier during the run
slows both alike; ``extra_info["cluster_over_local"]`` is the ratio of the medians (printed
with ``-s``). The ratio is recorded, not asserted: on a shared machine it moves with the load.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from computelimits.simulate import paper_experiment

REPS, SEED, ROUNDS = 1000, 2020, 3


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        paper_experiment(2, seed=SEED, executor=client, progress=False)  # workers import the package once
        yield client


@pytest.mark.benchmark(group="distributed: paper_experiment, 1000 replicates")
def test_paper_experiment_local_threads_against_a_local_cluster(benchmark, request):
    """One round = the local run then the cluster run (pytest-benchmark times the pair);
    each half is timed on its own into extra_info."""
    if benchmark.disabled:
        pytest.skip("runs only with --benchmark-enable (several minutes)")
    cluster_client = request.getfixturevalue("cluster_client")  # started only when measuring
    runs = {"local": dict(threads=2), "cluster": dict(executor=cluster_client)}
    seconds = {name: [] for name in runs}
    results = {}

    def one_round():
        for name, where in runs.items():
            started = time.perf_counter()
            results[name] = paper_experiment(REPS, seed=SEED, progress=False, **where)
            seconds[name].append(time.perf_counter() - started)

    benchmark.pedantic(one_round, rounds=ROUNDS, iterations=1)
    for field in ("nmse", "flops", "lasso_kkt", "flops_spent"):
        np.testing.assert_array_equal(getattr(results["cluster"], field), getattr(results["local"], field))
    local, cluster = (float(np.median(seconds[name])) for name in runs)
    benchmark.extra_info.update(
        local_seconds=seconds["local"], cluster_seconds=seconds["cluster"], cluster_over_local=cluster / local
    )
    print(
        f"\npaper_experiment({REPS}): local {seconds['local']} s, cluster {seconds['cluster']} s, "
        f"median ratio {cluster / local:.3f} (target <= 1.15)"
    )
