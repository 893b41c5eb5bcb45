"""Coverage of 95% bootstrap intervals for the slope at n = 25 (issue 13, "Also").

Data sets y = 1.5 + 0.8 x + e with x ~ U(0, 4) and e ~ N(0, 1) (homoskedastic) or
e ~ (0.3 + x) N(0, 1) (heteroskedastic); each interval's coverage of the true slope 0.8 is
measured over many data sets with its Monte Carlo standard error sqrt(c (1 - c) / R).
Percentile and BCa intervals undercover at this size; the bootstrap-t (studentized)
intervals come close to 0.95. The fast test runs in the default suite; the full one
(``slow``, ~1-2 minutes) runs with COMPUTELIMITS_SLOW=1 and gives the figures in docs/fit.md.
"""

import os

import numpy as np
import pytest

from computelimits.fit import bootstrap_fit, ols

SLOPE = 0.8
INTERVALS = {
    "pairs percentile": ("pairs", "percentile"),
    "pairs bca": ("pairs", "bca"),
    "pairs studentized": ("pairs", "studentized"),
    "wild studentized": ("wild", "studentized"),
    "wild_hc3 percentile": ("wild_hc3", "percentile"),
    "wild_hc3 studentized": ("wild_hc3", "studentized"),
    "residual_hc3 percentile": ("residual_hc3", "percentile"),
    "residual_hc3 studentized": ("residual_hc3", "studentized"),
}
FAST = ("pairs percentile", "pairs bca", "pairs studentized", "wild studentized")


def coverage(design: str, datasets: int, names=tuple(INTERVALS), n: int = 25, resamples: int = 999, seed: int = 0):
    """{interval: (coverage, Monte Carlo SE)} over ``datasets`` simulated data sets."""
    rng = np.random.default_rng([seed, design == "heteroskedastic"])
    hits = dict.fromkeys(names, 0)
    for r in range(datasets):
        x = rng.uniform(0.0, 4.0, size=n)
        noise = rng.normal(size=n) * (0.3 + x if design == "heteroskedastic" else 1.0)
        fit = ols(x, 1.5 + SLOPE * x + noise)
        for name in names:
            scheme, method = INTERVALS[name]
            result = bootstrap_fit(fit, resamples, scheme, method, seed=r, threads=1).statistic("x1")
            hits[name] += result.confidence_interval.low <= SLOPE <= result.confidence_interval.high
    out = {}
    for name, count in hits.items():
        rate = count / datasets
        out[name] = (rate, float(np.sqrt(rate * (1.0 - rate) / datasets)))
    return out


def _check(measured, datasets, design, full):
    """Percentile and BCa undercover (below 0.95; by more than 3 SE in the full run), the
    percentile interval at 0.92 +- 3 SE as measured; every studentized interval within 3 SE of
    0.95 or strictly better than the percentile one (the residual schemes only where their
    exchangeable-errors assumption holds)."""
    nominal_se = np.sqrt(0.95 * 0.05 / datasets)
    percentile, percentile_se = measured["pairs percentile"]
    assert abs(percentile - 0.92) <= 3 * percentile_se, percentile
    for name in ("pairs percentile", "pairs bca"):
        assert measured[name][0] < 0.95 - (3 * nominal_se if full else 0.0), (name, measured[name])
    for name, (rate, _) in measured.items():
        if name.endswith("studentized") and not (name.startswith("residual") and design == "heteroskedastic"):
            assert abs(rate - 0.95) <= 3 * nominal_se or rate > percentile, (name, rate)
    assert measured["pairs studentized"][0] > percentile


@pytest.mark.parametrize("design", ["homoskedastic", "heteroskedastic"])
def test_small_sample_coverage_fast(design):
    datasets = 300
    measured = coverage(design, datasets, FAST)
    _check(measured, datasets, design, full=False)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("COMPUTELIMITS_SLOW"), reason="set COMPUTELIMITS_SLOW=1 (takes 1-2 minutes)")
@pytest.mark.parametrize("design", ["homoskedastic", "heteroskedastic"])
def test_small_sample_coverage_full(design):
    datasets = 2000
    measured = coverage(design, datasets, seed=1)
    print(design, {name: f"{rate:.3f} +- {se:.3f}" for name, (rate, se) in measured.items()})
    _check(measured, datasets, design, full=True)
