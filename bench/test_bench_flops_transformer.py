"""Benchmark: counting Mixtral-8x7B (rotary GQA attention, 8-expert top-2 MoE) with the C++ core vs its numpy twin.

Both backends must give the published totals (46,702,792,704 parameters, 12,879,925,248
active) and the same report. Measure with:
python -m pytest bench/test_bench_flops_transformer.py --benchmark-enable --benchmark-min-rounds=5
"""

import pytest

from computelimits import flops


@pytest.fixture(scope="module")
def mixtral():
    # The zoo's Mixtral (its published config), so the file runs without the tests folder,
    # as `computelimits bench` runs it from an installed package.
    model = flops.zoo.get("mixtral_8x7b", seq_len=4096)
    model.encode()  # cache the layer records, shared by both backends
    return model


@pytest.mark.benchmark(group="flops-count-mixtral-8x7b")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_count_mixtral(benchmark, mixtral, backend):
    report = benchmark(flops.count, mixtral, batch=8, training=True, backend=backend)
    assert (report.params, report.active_params) == (46_702_792_704, 12_879_925_248)
    assert report == flops.count(mixtral, batch=8, training=True, backend="numpy")
