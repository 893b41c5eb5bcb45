"""Projection intervals: Fieller's set by hand and against the delta method, the bootstrap by direct quantiles."""

import math

import numpy as np
import pytest
from scipy import stats

from computelimits.fit import FiellerInterval, fieller_ratio, inverse_prediction_interval, ols, project
from computelimits.fit._numpy_twin import resample_indices


def _inside(theta, n, d, vnn, vdd, vnd, q):
    """Fieller's defining inequality, evaluated directly."""
    return (n - theta * d) ** 2 <= q * q * (vnn - 2 * theta * vnd + theta * theta * vdd)


@pytest.mark.parametrize(
    "args, kind",
    [
        ((10.0, 2.0, 1.0, 0.1, 0.05, 2.0), "bounded"),
        ((10.0, 0.5, 1.0, 0.25, 0.0, 2.0), "exclusive"),
        ((0.1, 0.1, 1.0, 1.0, 0.0, 2.0), "unbounded"),
    ],
)
def test_fieller_against_a_hand_computation(args, kind):
    n, d, vnn, vdd, vnd, q = args
    result = fieller_ratio(*args)
    assert result.kind == kind
    # Hand: the roots of (d^2 - q^2 vdd) t^2 - 2 (n d - q^2 vnd) t + (n^2 - q^2 vnn) = 0.
    a, b, c = d * d - q * q * vdd, n * d - q * q * vnd, n * n - q * q * vnn
    roots = np.sort(np.roots([a, -2 * b, c]))
    if kind in ("bounded", "exclusive"):  # the two real roots: the ends of the interval or of the gap
        assert (result.low, result.high) == pytest.approx(tuple(roots), rel=1e-12)
    else:
        assert np.iscomplexobj(roots) and math.isinf(result.low) and math.isinf(result.high)
    # And membership on a grid agrees with the kind.
    grid = np.linspace(-200, 200, 40001)
    member = _inside(grid, n, d, vnn, vdd, vnd, q)
    if kind == "bounded":
        expected = (grid >= result.low) & (grid <= result.high)
    elif kind == "exclusive":
        expected = (grid <= result.low) | (grid >= result.high)
    else:
        expected = np.ones_like(grid, dtype=bool)
    assert np.array_equal(member, expected)


def test_fieller_words_say_the_kind():
    assert FiellerInterval(1.0, 2.0, "bounded").describe() == "[1, 2]"
    assert "two-sided infinite" in FiellerInterval(1.0, 2.0, "exclusive").describe()
    assert FiellerInterval(-math.inf, math.inf, "unbounded").describe() == "unbounded: the whole line"
    with pytest.raises(ValueError, match="var_numerator"):
        fieller_ratio(1.0, 1.0, -1.0, 1.0, 0.0, 2.0)
    with pytest.raises(ValueError, match="quantile"):
        fieller_ratio(1.0, 1.0, 1.0, 1.0, 0.0, 0.0)


def test_fieller_approaches_the_delta_method_on_well_determined_data():
    rng = np.random.default_rng(11)
    x = rng.uniform(15, 25, size=400)
    y = 1.0 - 0.08 * x + rng.normal(scale=0.02, size=400)
    fit = ols(x, y)
    level = math.log10(0.05)
    interval = inverse_prediction_interval(fit, level, 0.95)
    a, b = fit.params
    theta = (level - a) / b
    gradient = np.array([-1.0 / b, -(level - a) / b**2])
    se = math.sqrt(gradient @ fit.cov_params() @ gradient)
    q = stats.t.ppf(0.975, fit.df_resid)
    assert interval.kind == "bounded"
    # |b| / se(b) ~ 230: Fieller's ends agree with theta +- q se to about 1% of the half-width
    # (the set is slightly asymmetric, its centre shifted by O(q^2 se(b)^2 / b^2) relative terms).
    assert interval.low == pytest.approx(theta - q * se, abs=1e-2 * q * se)
    assert interval.high == pytest.approx(theta + q * se, abs=1e-2 * q * se)
    # With the slope known 10x less precisely the two differ by more: the agreement is not by construction.
    noisy = ols(x, 1.0 - 0.08 * x + rng.normal(scale=0.6, size=400))
    wide = inverse_prediction_interval(noisy, level, 0.95)
    a, b = noisy.params
    gradient = np.array([-1.0 / b, -(level - a) / b**2])
    se_noisy = math.sqrt(gradient @ noisy.cov_params() @ gradient)
    centre_shift = abs((wide.low + wide.high) / 2 - (level - a) / b) / (q * se_noisy)
    assert centre_shift > abs((interval.low + interval.high) / 2 - theta) / (q * se)


def test_project_fieller_rows_and_kinds():
    rng = np.random.default_rng(5)
    log_c = rng.uniform(18, 24, size=20)
    error = 10 ** (0.5 - 0.06 * log_c + rng.normal(scale=0.05, size=20))
    result = project(10**log_c, error, [0.05], ["polynomial"], interval="fieller")
    row = result.row("polynomial", 0.05)
    fit = ols(log_c, np.log10(error))
    hand = inverse_prediction_interval(fit, math.log10(0.05), 0.95)
    assert row["interval"] == "fieller" and row["interval_kind"] == "bounded" and row["status"] == "ok"
    assert (row["log10_flop_low"], row["log10_flop_high"]) == pytest.approx((hand.low, hand.high), rel=1e-12)
    assert row["flop_low"] == pytest.approx(10**hand.low, rel=1e-12)
    assert result.n_resamples == 0 and "fieller" in result.summary()


def test_bootstrap_interval_is_the_direct_quantile():
    rng = np.random.default_rng(8)
    n, resamples, seed = 25, 2000, 123
    log_c = rng.uniform(16, 24, size=n)
    error = 10 ** (0.4 - 0.07 * log_c + rng.normal(scale=0.05, size=n))
    result = project(
        10**log_c, error, [0.05, 0.02], ["polynomial"], n_resamples=resamples, method="percentile", seed=seed
    )
    # Direct: the same pairs resamples (stream (seed, b)), each refitted by np.polyfit.
    index = resample_indices(seed, 0, resamples, n)
    for target in (0.05, 0.02):
        values = []
        for rows in index:
            b, a = np.polyfit(log_c[rows], np.log10(error[rows]), 1)
            values.append((math.log10(target) - a) / b)
        low, high = np.quantile(values, [0.025, 0.975])
        row = result.row("polynomial", target)
        assert row["log10_flop_low"] == pytest.approx(low, rel=1e-9)
        assert row["log10_flop_high"] == pytest.approx(high, rel=1e-9)
        assert row["interval_kind"] == "bounded"


def test_fieller_with_a_year_term_uses_the_covariances_of_a_and_c():
    import statsmodels.api as sm

    rng = np.random.default_rng(12)
    log_c = rng.uniform(17, 24, size=30)
    year = np.round(2010 + (log_c - 17) + rng.normal(scale=1.0, size=30))
    log_e = 12.0 - 0.05 * log_c - 0.006 * year + rng.normal(scale=0.03, size=30)
    result = project(10**log_c, 10**log_e, [0.05], ["polynomial"], year=year, year_covariate=True, interval="fieller")
    row = result.row("polynomial", 0.05)
    hand = sm.OLS(log_e, sm.add_constant(np.column_stack([log_c, year]))).fit()
    a, b, c = hand.params
    cov = hand.cov_params()
    latest = year.max()
    g = np.array([-1.0, 0.0, -latest])  # numerator log10(0.05) - a - c year
    h = np.array([0.0, 1.0, 0.0])
    q = stats.t.ppf(0.975, hand.df_resid)
    expected = fieller_ratio(math.log10(0.05) - a - c * latest, b, g @ cov @ g, h @ cov @ h, g @ cov @ h, q)
    assert row["log10_flop"] == pytest.approx((math.log10(0.05) - a - c * latest) / b, rel=1e-9)
    assert (row["log10_flop_low"], row["log10_flop_high"]) == pytest.approx((expected.low, expected.high), rel=1e-8)
    assert row["interval_kind"] == expected.kind
