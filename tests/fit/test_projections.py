"""Projections against the paper's Computer Progress regression sample and its headline."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from computelimits.fit import co2_tonnes_for_flop, fit_compute_error, nyc_months, project, usd_for_flop


@pytest.fixture(scope="module")
def regression_subset(shared_data):
    frame = pd.read_csv(Path(shared_data) / "computerprogress" / "regression_subset_2021.csv")
    # Hardware burden is in GFLOP; accuracy is top-1 (ImageNet), AP/100, F1/100 or BLEU/100.
    frame["flop"] = frame["hardware_burden_gflop"] * 1e9
    frame["error"] = 1.0 - frame["accuracy"]
    return frame


def test_conversions_are_the_authors():
    assert usd_for_flop(6.874e16) == pytest.approx(1.0)
    assert co2_tonnes_for_flop(3.498e17 * 2204.62) == pytest.approx(1.0)
    assert nyc_months(56.5e6 / 12) == pytest.approx(1.0)


def test_rsquared_range_matches_the_paper(regression_subset):
    # Thompson et al. (2020, v1): R^2 from 0.29 (MS COCO) to 0.68 (SQuAD 1.1); WMT EN-DE ~0.
    rsquared = {
        name: fit_compute_error(group["flop"], group["error"]).rsquared
        for name, group in regression_subset.groupby("benchmark")
    }
    assert rsquared["mscoco"] == pytest.approx(0.29, abs=0.005)
    assert rsquared["squad1_1"] == pytest.approx(0.68, abs=0.005)
    assert rsquared["wmt2014_en_de"] < 0.01
    others = [value for key, value in rsquared.items() if key != "wmt2014_en_de"]
    assert min(others) == pytest.approx(0.29, abs=0.005) and max(others) == pytest.approx(0.68, abs=0.005)


def test_imagenet_five_percent_needs_about_1e28_flop(regression_subset):
    imagenet = regression_subset[regression_subset["benchmark"] == "imagenet"]
    result = project(
        imagenet["flop"], imagenet["error"], [0.05, 0.01], n_resamples=2000, seed=2021, benchmark="imagenet"
    )
    row = result.row("polynomial", 0.05)
    # The paper: ~1e28 FLOP (1e19 GFLOP), ~$1e11, CO2 on the order of NYC's for a month.
    assert 27.5 < row["log10_flop"] < 28.5
    assert row["flop_low"] < row["flop"] < row["flop_high"]
    assert row["usd"] == pytest.approx(row["flop"] / 6.874e16)
    assert 10.5 < np.log10(row["usd"]) < 11.5
    assert 0.3 < row["nyc_months"] < 30
    assert result.row("polynomial", 0.01)["flop"] > row["flop"]
    frame = result.to_frame()
    assert set(frame["model"]) == {"polynomial", "exponential"} and len(frame) == 4
    assert "imagenet" in result.summary()


def test_hardware_path_uses_hardware_estimate(regression_subset):
    hardware = pytest.importorskip("computelimits.hardware")  # costs are linear in FLOP: scaled from 1e20
    imagenet = regression_subset[regression_subset["benchmark"] == "imagenet"]
    settings = {"processor": "V100", "utilization": 0.4}
    result = project(
        imagenet["flop"],
        imagenet["error"],
        [0.05],
        ["polynomial"],
        n_resamples=200,
        method="percentile",
        seed=1,
        hardware=settings,
    )
    row = result.row("polynomial", 0.05)
    estimate = hardware.estimate(row["flop"], **settings)
    assert row["usd"] == pytest.approx(estimate.cost_usd)
    assert row["co2_tonnes"] == pytest.approx(estimate.co2_kg / 1000)


def test_bad_projection_arguments():
    with pytest.raises(ValueError, match=r"targets must be error rates in \(0, 1\), got 0"):
        project([1e18, 1e19, 1e20], [0.3, 0.2, 0.15], [0.0], n_resamples=10)
    with pytest.raises(ValueError, match="models must be one of"):
        project([1e18, 1e19, 1e20], [0.3, 0.2, 0.15], [0.1], ["cubic"], n_resamples=10)


def test_duplicate_and_nearly_equal_targets_each_get_their_row():
    """Issue 13 item 2: targets equal (or equal to 6 significant digits) used to collide."""
    compute = np.logspace(15, 22, 8)
    error = np.array([0.3, 0.25, 0.2, 0.18, 0.15, 0.12, 0.1, 0.09])
    targets = [0.05, 0.05, 0.0500000001]
    result = project(compute, error, targets, models=("polynomial",), n_resamples=200, seed=1, method="percentile")
    frame = result.to_frame()
    assert frame["target_error"].tolist() == targets
    single = project(compute, error, [0.05], models=("polynomial",), n_resamples=200, seed=1, method="percentile")
    row = single.to_frame().iloc[0]
    for k in (0, 1):
        assert frame["log10_flop"].iloc[k] == row["log10_flop"]
        assert frame["log10_flop_low"].iloc[k] == row["log10_flop_low"]
    assert frame["log10_flop"].iloc[2] == pytest.approx(row["log10_flop"], rel=1e-7)


def test_a_single_target_may_be_a_number_and_bad_targets_are_named():
    compute = np.logspace(15, 22, 8)
    error = np.array([0.3, 0.25, 0.2, 0.18, 0.15, 0.12, 0.1, 0.09])
    kwargs = dict(models=("polynomial",), n_resamples=100, seed=1, method="percentile")
    single = project(compute, error, 0.1, **kwargs).to_frame()
    listed = project(compute, error, [0.1], **kwargs).to_frame()
    assert single["log10_flop"].tolist() == listed["log10_flop"].tolist()
    with pytest.raises(TypeError, match="targets must be a target error or a sequence"):
        project(compute, error, "0.1", **kwargs)
    with pytest.raises(TypeError, match="targets must be a real number"):
        project(compute, error, [None], **kwargs)
