"""The status rules on crafted data: wrong sign, insignificant slope, beyond range, flat trends."""

import json
import math

import numpy as np
import pytest

from computelimits.fit import doubling_time, fit_compute_error, project
from computelimits.status import Status, describe

COMPUTE = 10.0 ** np.array([18.0, 19.0, 20.0, 21.0, 22.0, 23.0])


def _no_nan_or_inf(row):
    for key, value in row.items():
        if isinstance(value, float):
            assert math.isfinite(value), f"{key} = {value}"


def test_positive_slope_is_wrong_sign_not_a_tiny_compute():
    # Error grows with compute: the old code projected 1% error at 10^-1.27 FLOP.
    error = np.array([0.10, 0.12, 0.13, 0.16, 0.18, 0.21])
    result = project(COMPUTE, error, [0.01], ["polynomial"], n_resamples=199, seed=1)
    row = result.row("polynomial", 0.01)
    assert row["status"] == Status.WRONG_SIGN.value
    assert row["flop"] is None and row["usd"] is None and row["flop_low"] is None
    assert row["log10_flop"] < 18  # kept (log10), below the data, but not offered as FLOP
    assert describe(Status.WRONG_SIGN) in result.summary()
    assert "wrong sign" in result.to_frame()["status"].tolist()
    halving = fit_compute_error(COMPUTE, error).halving()
    assert halving.status is Status.WRONG_SIGN and halving.multiplier is None
    assert halving.describe() == "undetermined: the fitted trend has the wrong sign"


def test_insignificant_slope_gives_words_and_an_exclusive_fieller_set():
    # Slope -0.004 against noise of 0.1 decades: p ~ 0.9, like WMT EN-DE.
    error = 10 ** (-1.0 - 0.004 * np.log10(COMPUTE) + np.array([0.1, -0.1, 0.05, -0.08, 0.1, -0.05]))
    fit = fit_compute_error(COMPUTE, error)
    low, high = fit.fit.conf_int(0.05)[1]
    assert fit.slope < 0 and low < 0 < high
    boot = project(COMPUTE, error, [0.05], ["polynomial"], n_resamples=199, seed=2)
    fieller = project(COMPUTE, error, [0.05], ["polynomial"], interval="fieller")
    for result in (boot, fieller):
        row = result.row("polynomial", 0.05)
        assert row["status"] == Status.NOT_SIGNIFICANT.value
        assert row["flop"] is None and row["flop_low"] is None and row["flop_high"] is None
    assert fieller.rows[0]["interval_kind"] == "exclusive"
    assert "undetermined: the slope is not significant" in boot.summary()
    assert fit.halving().status is Status.NOT_SIGNIFICANT


def test_target_beyond_float_range_stays_in_log10():
    # The old code returned inf FLOP and NaN dollars for targets=[1e-30].
    error = 10 ** (0.5 - 0.05 * np.log10(COMPUTE) + np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0]))
    result = project(COMPUTE, error, [1e-30, 0.05], ["polynomial"], n_resamples=199, seed=3)
    far, near = result.rows
    assert far["status"] == Status.BEYOND_RANGE.value and far["log10_flop"] > 308
    assert far["flop"] is None and far["usd"] is None
    assert far["log10_usd"] == pytest.approx(far["log10_flop"] - math.log10(6.874e16))
    assert near["status"] == Status.OK.value and near["flop"] == pytest.approx(10 ** near["log10_flop"])
    for row in result.rows:
        _no_nan_or_inf(row)
    json.dumps(result.to_dict(), allow_nan=False)


def test_targets_are_error_rates_and_duplicates_keep_their_rows():
    error = 10 ** (0.5 - 0.05 * np.log10(COMPUTE) + np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0]))
    with pytest.raises(ValueError, match=r"targets .* got 5 \(a percentage\? 5% is 0\.05\)"):
        project(COMPUTE, error, [5], n_resamples=10)
    for bad in (1.0, -0.1, 0.0):
        with pytest.raises(ValueError, match="targets must be error rates"):
            project(COMPUTE, error, [bad], n_resamples=10)
    with pytest.raises(ValueError, match="targets must be finite"):
        project(COMPUTE, error, [float("nan")], n_resamples=10)
    with pytest.raises(ValueError, match="at least one"):
        project(COMPUTE, error, [], n_resamples=10)
    with pytest.raises(ValueError, match="interval must be one of"):
        project(COMPUTE, error, [0.1], interval="delta")
    result = project(COMPUTE, error, [0.05, 0.1, 0.05], ["polynomial"], n_resamples=99, seed=4)
    first, middle, last = result.rows
    assert [r["target_error"] for r in result.rows] == [0.05, 0.1, 0.05]
    assert first["log10_flop"] == last["log10_flop"] and first["log10_flop_low"] == last["log10_flop_low"]
    assert middle["log10_flop"] < first["log10_flop"]


def test_flat_and_declining_compute_trends_are_undetermined():
    years = np.linspace(2000, 2010, 30)
    noise = np.random.default_rng(0).normal(scale=1.0, size=30)
    flat = doubling_time(years, 1e20 * 2 ** (0.01 * (years - 2000) + noise), n_resamples=99, seed=0)
    era = flat.eras[0]
    # The old code printed a doubling time of -632 months for a flat series.
    assert era.status in (Status.NOT_SIGNIFICANT, Status.WRONG_SIGN)
    assert "undetermined" in flat.summary() and "undetermined" in repr(era)
    assert era.analytic.kind == "exclusive" or era.status is Status.WRONG_SIGN
    declining = doubling_time(years, 1e20 * 2 ** (-(years - 2000) + 0.1 * noise), n_resamples=99, seed=0)
    assert declining.eras[0].status is Status.WRONG_SIGN
    assert declining.to_frame()["status"].tolist() == ["wrong sign"]


def test_a_single_target_may_be_a_number_and_strings_are_refused():
    error = 10 ** (0.5 - 0.05 * np.log10(COMPUTE) + np.array([0.01, -0.01, 0.0, 0.01, -0.01, 0.0]))
    kwargs = dict(models=("polynomial",), n_resamples=50, seed=1, method="percentile")
    assert (
        project(COMPUTE, error, 0.1, **kwargs).rows[0]["log10_flop"]
        == (project(COMPUTE, error, [0.1], **kwargs).rows[0]["log10_flop"])
    )
    with pytest.raises(TypeError, match="targets must be a target error or a sequence"):
        project(COMPUTE, error, "0.1", **kwargs)
    with pytest.raises(TypeError, match="targets must be a real number"):
        project(COMPUTE, error, [None], **kwargs)
