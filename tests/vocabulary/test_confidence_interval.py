"""Every confidence interval the package returns is a ConfidenceInterval (low, high) that unpacks,
with the field names of scipy.stats' ConfidenceInterval."""

import numpy as np
import pytest
import scipy.stats

from computelimits import fit
from computelimits.fit import ConfidenceInterval


def _check(interval, low, high):
    assert isinstance(interval, ConfidenceInterval) and isinstance(interval, tuple)
    unpacked_low, unpacked_high = interval
    np.testing.assert_array_equal(unpacked_low, low)
    np.testing.assert_array_equal(unpacked_high, high)
    np.testing.assert_array_equal(interval.low, low)
    np.testing.assert_array_equal(interval.high, high)


def test_fields_are_scipys():
    result = scipy.stats.bootstrap((np.arange(10.0),), np.mean, n_resamples=99, random_state=0)
    assert ConfidenceInterval._fields == type(result.confidence_interval)._fields == ("low", "high")
    low, high = result.confidence_interval  # scipy's unpacks the same way
    assert low < high


@pytest.fixture(scope="module")
def line():
    rng = np.random.default_rng(5)
    x = np.linspace(0.0, 10.0, 30)
    return x, 2.0 + 0.5 * x + rng.normal(scale=0.3, size=30)


def test_bootstrap_results_unpack(line):
    x, y = line
    several = fit.bootstrap_ols(x, y, n_resamples=300, seed=1)
    low, high = several.confidence_interval
    assert low.shape == high.shape == (3,) and np.all(low < high)
    _check(several.confidence_interval, low, high)
    one = several.statistic("x1")
    low1, high1 = one.confidence_interval
    assert isinstance(low1, float) and (low1, high1) == (low[1], high[1])
    mean = fit.bootstrap(y, "mean", n_resamples=300, seed=1)
    low_mean, high_mean = mean.confidence_interval
    assert low_mean < float(np.mean(y)) < high_mean


def test_trend_eras_and_break_unpack():
    rng = np.random.default_rng(8)
    years = np.linspace(2000.0, 2020.0, 60)
    log2 = np.where(years < 2010, 0.5 * (years - 2000), 5 + 2.0 * (years - 2010)) + rng.normal(scale=0.3, size=60)
    result = fit.doubling_time(years, 2.0**log2, n_resamples=200, seed=3, estimate_break=True)
    assert len(result.eras) == 2
    for era in result.eras:
        _check(era.confidence_interval, era.low, era.high)
        low, high = era.confidence_interval
        assert low < era.doubling_months < high
    estimate = result.break_estimate
    low, high = estimate.confidence_interval
    _check(estimate.confidence_interval, estimate.low, estimate.high)
    assert low <= estimate.year <= high


def test_scaling_law_intervals_unpack():
    rng = np.random.default_rng(2)
    params = 10 ** rng.uniform(7, 10, 40)
    tokens = 10 ** rng.uniform(9, 12, 40)
    loss = (1.7 + 400 / params**0.34 + 410 / tokens**0.28) * np.exp(rng.normal(scale=0.01, size=40))
    grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    result = fit.scaling_law(params, tokens, loss, grid=grid, n_resamples=40, seed=1)
    low, high = result.confidence_interval("alpha")
    assert low <= result.alpha <= high
    assert all(isinstance(v, ConfidenceInterval) for v in result.confidence_intervals.values())
    optimal = result.compute_optimal([1e21, 1e22])
    low, high = optimal.loss_interval
    _check(optimal.loss_interval, low, high)
    low, high = result.predict_interval([1e9], [1e11])
    assert low[0] <= high[0]
