"""Benchmarks: counting a zoo model and a 100,000-configuration transformer sweep, C++ vs numpy twin.

Measure with: python -m pytest bench/test_bench_flops.py --benchmark-enable --benchmark-min-rounds=3
"""

import numpy as np
import pytest

from computelimits import flops

GRID = dict(
    layers=np.arange(1, 51),
    d_model=np.arange(64, 64 * 21, 64),
    seq_len=[128, 256, 512, 1024, 2048],
    vocab=[32000, 50257, 65536, 100000, 128000],
    heads=[1, 2, 4, 8],
)  # 50 x 20 x 5 x 5 x 4 = 100,000


@pytest.fixture(scope="module")
def resnet50():
    model = flops.zoo.resnet50()
    model.encode()  # cache the layer records, shared by both backends
    return model


@pytest.fixture(scope="module")
def sweep_reference():
    return flops.sweep_transformer(**GRID, backend="numpy")


@pytest.mark.benchmark(group="flops-count-resnet50")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_count_resnet50(benchmark, resnet50, backend):
    report = benchmark(flops.count, resnet50, batch=32, training=True, backend=backend)
    assert (report.macs, report.params) == (32 * 4_089_184_256, 25_557_032)
    assert report == flops.count(resnet50, batch=32, training=True, backend="numpy")


@pytest.mark.benchmark(group="flops-sweep-100k")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_sweep_100k(benchmark, sweep_reference, backend):
    result = benchmark(flops.sweep_transformer, **GRID, backend=backend)
    assert len(result) == 100_000
    for column in result.counts:
        np.testing.assert_array_equal(result[column], sweep_reference[column])
