"""Bootstrap benchmarks: the C++ kernel against its numpy twin and scipy.stats.bootstrap.

With --benchmark-disable (the project default) each body runs once at a small
size as a correctness check; with --benchmark-enable the sizes of the issue are
used (n = 1,000 / B = 10,000 percentile; n = 100,000 / B = 2,000 BCa). The
1,000,000-row memory check runs in a subprocess at full size only when
COMPUTELIMITS_BENCH_HUGE=1.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from computelimits.fit import bootstrap_ols

HUGE = os.environ.get("COMPUTELIMITS_BENCH_HUGE") == "1"


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(15, 22, size=n)
    y = 0.8 - 0.07 * x + rng.normal(scale=0.1, size=n) * (0.5 + 0.1 * (x - 15))
    return x, y


def _slope(x, y, axis=-1):
    xc = x - x.mean(axis=axis, keepdims=True)
    return (xc * y).sum(axis=axis) / (xc * xc).sum(axis=axis)


def _sizes(benchmark, full, small):
    return small if benchmark.disabled else full


@pytest.mark.benchmark(group="pairs percentile, n=1000, B=10000")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_pairs_percentile(benchmark, backend):
    n, b = 1000, _sizes(benchmark, 10_000, 1_000)
    x, y = _data(n)
    result = benchmark(bootstrap_ols, x, y, b, method="percentile", seed=1, backend=backend)
    reference = bootstrap_ols(x, y, b, method="percentile", seed=1, backend="cpp" if backend == "numpy" else "numpy")
    np.testing.assert_allclose(result.confidence_interval.low, reference.confidence_interval.low, rtol=1e-10)
    np.testing.assert_allclose(result.confidence_interval.high, reference.confidence_interval.high, rtol=1e-10)


@pytest.mark.benchmark(group="pairs percentile, n=1000, B=10000")
def test_pairs_percentile_scipy(benchmark):
    stats = pytest.importorskip("scipy.stats")
    n, b = 1000, _sizes(benchmark, 10_000, 1_000)
    x, y = _data(n)
    result = benchmark(
        stats.bootstrap, (x, y), _slope, paired=True, vectorized=True, n_resamples=b, method="percentile", rng=2
    )
    ours = bootstrap_ols(x, y, b, method="percentile", seed=1).statistic("x1")
    tolerance = 8 * result.standard_error / np.sqrt(b) * 10
    assert abs(ours.confidence_interval.low - result.confidence_interval.low) < tolerance
    assert abs(ours.confidence_interval.high - result.confidence_interval.high) < tolerance


@pytest.mark.benchmark(group="BCa, n=100000, B=2000")
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bca_large(benchmark, backend):
    n, b = _sizes(benchmark, (100_000, 2_000), (20_000, 100))
    x, y = _data(n, seed=1)
    result = benchmark.pedantic(
        bootstrap_ols,
        (x, y, b),
        dict(method="bca", seed=3, backend=backend),
        rounds=1 if backend == "numpy" else 3,
        iterations=1,
    )
    other = bootstrap_ols(x, y, b, method="bca", seed=3, backend="numpy" if backend == "cpp" else "cpp")
    np.testing.assert_allclose(result.confidence_interval.low, other.confidence_interval.low, rtol=1e-9)
    np.testing.assert_allclose(result.acceleration, other.acceleration, rtol=1e-8)


@pytest.mark.benchmark(group="BCa scaling in n, B=2000 (scipy's jackknife is O(n^2))")
@pytest.mark.parametrize("n", [500, 1000, 2000, 4000])
@pytest.mark.parametrize("tool", ["scipy", "cpp"])
def test_bca_scaling(benchmark, tool, n):
    stats = pytest.importorskip("scipy.stats")
    if benchmark.disabled and n > 500:
        pytest.skip("scaling sizes run only with --benchmark-enable")
    b = _sizes(benchmark, 2_000, 200)
    x, y = _data(n, seed=2)
    if tool == "scipy":
        result = benchmark.pedantic(
            stats.bootstrap,
            ((x, y), _slope),
            dict(paired=True, vectorized=True, n_resamples=b, method="BCa", rng=1),
            rounds=3,
            iterations=1,
        )
        low, high, se = result.confidence_interval.low, result.confidence_interval.high, result.standard_error
    else:
        result = benchmark(bootstrap_ols, x, y, b, method="bca", seed=1).statistic("x1")
        low, high, se = result.confidence_interval.low, result.confidence_interval.high, result.standard_error
    reference = bootstrap_ols(x, y, 20_000, method="bca", seed=7).statistic("x1")
    tolerance = 0.3 * se * np.sqrt(2_000 / b)
    assert abs(low - reference.confidence_interval.low) < tolerance
    assert abs(high - reference.confidence_interval.high) < tolerance


def test_one_million_rows_bounded_memory():
    """Peak RSS (VmHWM) of a pairs BCa bootstrap at n = 1e6, B = 1000, in a fresh process."""
    n, b = (1_000_000, 1_000) if HUGE else (100_000, 20)
    script = textwrap.dedent(f"""
        import resource, time
        import numpy as np
        from computelimits.fit import bootstrap_ols

        def peak_kib():
            # VmHWM is this process's own high-water mark (ru_maxrss can carry the parent's across fork/exec).
            try:
                with open("/proc/self/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            return float(line.split()[1])
            except OSError:
                pass
            return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)

        rng = np.random.default_rng(0)
        x = rng.uniform(15, 22, size={n}); y = 0.8 - 0.07 * x + rng.normal(scale=0.1, size={n})
        before = peak_kib()
        start = time.perf_counter()
        result = bootstrap_ols(x, y, {b}, method="bca", seed=1, progress=False)
        seconds = time.perf_counter() - start
        peak = peak_kib()
        print(before, peak, seconds, result.confidence_interval.low[1], result.confidence_interval.high[1])
    """)
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    before_kb, peak_kb, seconds, low, high = (float(v) for v in output.split())
    print(
        f"\nn={n} B={b}: peak RSS {peak_kb / 1024:.0f} MiB (before bootstrap {before_kb / 1024:.0f} MiB), "
        f"{seconds:.2f} s, slope CI [{low:.6f}, {high:.6f}]"
    )
    # A B x n double array alone would be 8 * n * B bytes (8 GB at full size); allow ~40 n-vectors.
    assert (peak_kb - before_kb) * 1024 < 40 * 8 * n + 50e6
    assert low < -0.07 < high


@pytest.mark.skipif(not HUGE, reason="set COMPUTELIMITS_BENCH_HUGE=1 (takes ~1 minute)")
def test_bca_extrapolated_speedup_over_scipy():
    """scipy's BCa cannot run at n = 100,000 (its jackknife holds n x (n-1) values, 80 GB).

    Time scipy (batch=500 to bound its memory) at n = 8,000-32,000, fit its jackknife
    cost (BCa minus percentile time) as c n^2 on the largest size and its resampling
    cost as linear in n, extrapolate to n = 100,000 and compare with our measured time.
    """
    import time

    stats = pytest.importorskip("scipy.stats")
    timings = {}
    for n in (8_000, 16_000, 32_000):
        x, y = _data(n, seed=2)
        row = {}
        for method in ("percentile", "BCa"):
            start = time.perf_counter()
            stats.bootstrap(
                (x, y), _slope, paired=True, vectorized=True, n_resamples=2_000, method=method, rng=1, batch=500
            )
            row[method] = time.perf_counter() - start
        timings[n] = row
    x, y = _data(100_000, seed=1)
    ours = min(_time(lambda: bootstrap_ols(x, y, 2_000, method="bca", seed=3)) for _ in range(3))
    largest = max(timings)
    jackknife = (timings[largest]["BCa"] - timings[largest]["percentile"]) * (100_000 / largest) ** 2
    resampling = timings[largest]["percentile"] * 100_000 / largest
    print(
        f"\nscipy timings {timings}; extrapolated scipy BCa at n=1e5: {jackknife + resampling:.0f} s; "
        f"ours {ours:.3f} s; ratio {(jackknife + resampling) / ours:.0f}x"
    )
    assert (jackknife + resampling) / ours >= 100


def _time(function):
    import time

    start = time.perf_counter()
    function()
    return time.perf_counter() - start
