"""Doubling-time regimes: per-era analytic intervals, Chow tests and the least-squares break date."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from computelimits.fit import chow_test, doubling_time
from computelimits.fit._numpy_twin import resample_indices
from computelimits.status import Status


def _two_eras(seed=9, n=80, split=2012.0):
    rng = np.random.default_rng(seed)
    years = np.sort(rng.uniform(2005, 2020, size=n))
    log2_c = np.where(years < split, 60 + 0.6 * (years - 2005), 60 + 0.6 * (split - 2005) + 2 * (years - split))
    return years, 2 ** (log2_c + rng.normal(scale=0.5, size=n))


def test_each_era_matches_a_hand_ols_with_t_intervals():
    years, compute = _two_eras()
    result = doubling_time(years, compute, breakpoints=[2012], n_resamples=499, seed=3)
    for era in result.eras:
        inside = (years >= era.start) & (years < era.end)
        hand = sm.OLS(np.log2(compute[inside]), sm.add_constant(years[inside])).fit()
        b = hand.params[1]
        b_low, b_high = hand.conf_int(0.05)[1]
        assert era.slope_log2_per_year == pytest.approx(b, rel=1e-10)
        assert era.doubling_months == pytest.approx(12 / b, rel=1e-10)
        assert era.status is Status.OK and era.analytic.kind == "bounded"
        assert (era.analytic.low, era.analytic.high) == pytest.approx((12 / b_high, 12 / b_low), rel=1e-9)
        assert era.points == int(inside.sum())
    frame = result.to_frame()
    assert {"status", "analytic_low", "analytic_high", "analytic_kind"} <= set(frame.columns)


def test_chow_statistic_against_a_hand_computation():
    years, compute = _two_eras()
    y = np.log2(compute)
    result = doubling_time(years, compute, breakpoints=[2012], n_resamples=99, seed=1)
    (test,) = result.chow
    before = years < 2012
    rss = lambda mask: sm.OLS(y[mask], sm.add_constant(years[mask])).fit().ssr  # noqa: E731
    pooled, separate = rss(np.ones_like(before)), rss(before) + rss(~before)
    f_hand = ((pooled - separate) / 2) / (separate / (len(y) - 4))
    assert test.f_statistic == pytest.approx(f_hand, rel=1e-9)
    assert test.p_value == pytest.approx(stats.f.sf(f_hand, 2, len(y) - 4), rel=1e-9)
    assert (test.df_num, test.df_den) == (2, len(y) - 4) and test.p_value < 1e-10
    # One line through a single regime: no evidence of a break.
    rng = np.random.default_rng(2)
    flat_years = np.linspace(2000, 2020, 60)
    single = chow_test(flat_years, 1.5 * flat_years + rng.normal(scale=0.5, size=60), 2010.0)
    assert single.p_value > 0.01


def test_three_eras_give_two_chow_tests_on_adjacent_eras():
    years, compute = _two_eras(n=120)
    result = doubling_time(years, compute, breakpoints=[2009, 2012], n_resamples=99, seed=1)
    assert [t.break_year for t in result.chow] == [2009, 2012]
    adjacent = (years >= 2009) & (years < np.inf)
    direct = chow_test(years[adjacent], np.log2(compute[adjacent]), 2012)
    assert result.chow[1].f_statistic == pytest.approx(direct.f_statistic, rel=1e-12)


def _brute_force_break(years, y, min_points):
    order = np.argsort(years, kind="stable")
    t, v = years[order], y[order]
    best, best_rss = None, np.inf
    for i in range(min_points, len(t) - min_points + 1):
        if t[i] <= t[i - 1] or len(np.unique(t[:i])) < 2 or len(np.unique(t[i:])) < 2:
            continue
        total = 0.0
        for part in (slice(0, i), slice(i, None)):
            coef = np.polyfit(t[part], v[part], 1)
            total += np.sum((v[part] - np.polyval(coef, t[part])) ** 2)
        if total < best_rss:
            best, best_rss = t[i], total
    return best, best_rss


def test_estimated_break_is_the_brute_force_minimum_with_a_bootstrap_interval():
    years, compute = _two_eras(seed=4, n=90)
    result = doubling_time(years, compute, estimate_break=True, min_era_points=8, n_resamples=400, seed=6)
    found = result.break_estimate
    hand, hand_rss = _brute_force_break(years, np.log2(compute), 8)
    assert found.year == pytest.approx(hand, abs=1e-9) and found.rss == pytest.approx(hand_rss, rel=1e-6)
    assert found.low <= found.year <= found.high and found.low < 2012 < found.high
    assert result.eras[0].end == found.year and len(result.chow) == 1
    # Resample 7 re-estimates the break on the rows drawn from stream (seed, 7).
    rows = resample_indices(6, 7, 1, len(years))[0]
    again, _ = _brute_force_break(years[rows], np.log2(compute[rows]), 8)
    assert found.distribution[7] == pytest.approx(again, abs=1e-9)
    assert np.quantile(found.distribution, 0.025) == pytest.approx(found.low)
    assert "estimated break" in result.summary()


def test_estimate_break_bad_arguments():
    years, compute = _two_eras()
    with pytest.raises(ValueError, match="not both"):
        doubling_time(years, compute, breakpoints=[2010], estimate_break=True, n_resamples=10)
    with pytest.raises(ValueError, match="no candidate date inside window"):
        doubling_time(years, compute, estimate_break=True, break_window=(1990, 1995), n_resamples=10)
    with pytest.raises(ValueError, match="min_era_points"):
        doubling_time(years, compute, estimate_break=True, min_era_points=2, n_resamples=10)
    with pytest.raises(ValueError, match="break_window"):
        doubling_time(years, compute, estimate_break=True, break_window=(2015, 2010), n_resamples=10)
    with pytest.raises(TypeError, match="estimate_break"):
        doubling_time(years, compute, estimate_break="yes", n_resamples=10)


def test_epoch_break_lands_near_2010(shared_data):
    frame = pd.read_csv(Path(shared_data) / "epoch" / "all_ml_systems.csv")
    frame = frame.dropna(subset=["Publication date", "Training compute (FLOP)"])
    frame = frame[frame["Training compute (FLOP)"] > 0]
    result = doubling_time(
        frame["Publication date"], frame["Training compute (FLOP)"], estimate_break=True, n_resamples=199, seed=2022
    )
    # Sevilla et al. (2022) place the start of the deep-learning era around 2010-2012.
    assert 2008 <= result.break_estimate.year <= 2013
    assert result.chow[0].p_value < 1e-6
    pre, post = result.eras
    assert 4.5 < post.doubling_months < 8.0 and pre.doubling_months > post.doubling_months
