"""The compiled core is reentrant: kernels called from several Python threads at once give the serial answers.

Every kernel releases the GIL, so these calls overlap inside C++ even on a GIL build; the extension
modules also declare themselves free-threading safe (docs/architecture.md, "Free-threaded Python").
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from computelimits import _core, flops, simulate
from computelimits import fit as fitting


def _bootstrap(seed):
    x = np.linspace(1.0, 5.0, 40)
    y = 2.0 - 0.5 * x + np.sin(7.0 * x)
    return fitting.bootstrap_ols(x, y, 300, scheme="wild", method="bca", seed=seed, threads=1).bootstrap_distribution


def _min_norm(seed):
    rng = np.random.default_rng(seed)
    return simulate.min_norm(rng.standard_normal((30, 80)), rng.standard_normal(30)).coef


def _sweep(seed):
    return flops.sweep_transformer([2, 12 + seed], [256, 512], [128, 1024], 50257, [4, 8], threads=1).counts["macs"]


def _count(seed):
    return flops.count(flops.zoo.resnet18(), batch=1 + seed % 3).macs


def _normals(seed):
    return _core.common.normal_matrix(seed, 0, 8, 0, 500, 1)


def test_concurrent_calls_match_serial_calls():
    jobs = [(kernel, seed) for kernel in (_bootstrap, _min_norm, _sweep, _count, _normals) for seed in range(4)]
    serial = [kernel(seed) for kernel, seed in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(lambda job: job[0](job[1]), jobs * 2))
    for index, result in enumerate(concurrent):
        np.testing.assert_array_equal(result, serial[index % len(jobs)])
