"""Doubling times of training compute, on synthetic data and Epoch AI's table."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from computelimits.fit import decimal_year, doubling_time


def test_decimal_year():
    values = decimal_year(["2020-01-01", "2020-07-02", "2021-01-01"])
    np.testing.assert_allclose(values, [2020.0, 2020 + 183 / 366, 2021.0])
    np.testing.assert_allclose(decimal_year([2019.5, 2020.25]), [2019.5, 2020.25])
    with pytest.raises(ValueError, match="dates must be"):
        decimal_year(["2020-01-01", "not a date"])


def test_doubling_time_is_twelve_over_the_log2_slope():
    rng = np.random.default_rng(9)
    years = np.sort(rng.uniform(2005, 2020, size=80))
    true_months = np.where(years < 2012, 20.0, 6.0)
    log2_c = np.where(years < 2012, 60 + 12 / 20 * (years - 2005), 60 + 12 / 20 * 7 + 2 * (years - 2012))
    compute = 2 ** (log2_c + rng.normal(scale=0.5, size=80))
    result = doubling_time(years, compute, breakpoints=[2012], n_resamples=999, seed=3)
    for era, months in zip(result.eras, (20.0, 6.0)):
        inside = (years >= era.start) & (years < era.end)
        slope = np.polyfit(years[inside], np.log2(compute[inside]), 1)[0]
        assert era.doubling_months == pytest.approx(12 / slope, rel=1e-12)
        assert era.low < months < era.high
    assert len(result.to_frame()) == 2 and "doubling" in result.summary()
    assert true_months.min() == 6.0
    with pytest.raises(ValueError, match="breakpoints must be increasing"):
        doubling_time(years, compute, breakpoints=[2015, 2010])
    with pytest.raises(ValueError, match="at least 3 points"):
        doubling_time(years, compute, breakpoints=[2019.99])


def test_epoch_post_2010_doubling_time(shared_data):
    frame = pd.read_csv(Path(shared_data) / "epoch" / "all_ml_systems.csv")
    frame = frame.dropna(subset=["Publication date", "Training compute (FLOP)"])
    frame = frame[frame["Training compute (FLOP)"] > 0]
    result = doubling_time(
        frame["Publication date"], frame["Training compute (FLOP)"], breakpoints=[2010], n_resamples=999, seed=2022
    )
    pre, post = result.eras
    # Sevilla et al. (2022): ~6 months since 2010 (deep-learning era), ~20 months before.
    assert 4.5 < post.doubling_months < 8.0 and post.low < post.doubling_months < post.high
    assert 14.0 < pre.doubling_months < 30.0
