"""The empirical exponent -1/b and the halving multiplier with their statuses and Fieller intervals."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from computelimits.fit import fit_compute_error
from computelimits.fit.fieller import constant_over_slope_interval
from computelimits.status import Status


def test_imagenet_exponent_on_the_paper_regression_subset(shared_data):
    frame = pd.read_csv(Path(shared_data) / "computerprogress" / "regression_subset_2021.csv")
    imagenet = frame[frame["benchmark"] == "imagenet"]
    result = fit_compute_error(imagenet["hardware_burden_gflop"] * 1e9, 1 - imagenet["accuracy"])
    # 13 points, slope -0.0733: compute grows like (1/error)^13.6 (the "about 13.6").
    assert -1 / result.slope == pytest.approx(13.6, abs=0.05)
    interval = constant_over_slope_interval(result.fit, -1.0)
    assert interval.kind == "bounded" and interval.low < 13.6 < interval.high
    halving = result.halving()
    assert halving.status is Status.OK
    assert halving.multiplier == pytest.approx(2 ** (1 / 0.07334), rel=1e-3)  # ~12,700x (docs/fit.md)
    assert halving.describe().endswith("x") and "," in halving.describe()


def test_constant_over_slope_is_the_mapped_t_interval():
    rng = np.random.default_rng(3)
    x = rng.uniform(15, 25, size=40)
    y = 0.3 - 0.05 * x + rng.normal(scale=0.1, size=40)
    result = fit_compute_error(10**x, 10**y)
    hand = sm.OLS(y, sm.add_constant(x)).fit()
    b_low, b_high = hand.conf_int(0.05)[1]
    interval = constant_over_slope_interval(result.fit, -1.0)
    assert (interval.low, interval.high) == pytest.approx((-1 / b_low, -1 / b_high), rel=1e-9)
    halving = result.halving()
    log2 = math.log10(2)
    assert halving.log10_multiplier == pytest.approx(-log2 / hand.params[1], rel=1e-10)
    assert (halving.interval.low, halving.interval.high) == pytest.approx((-log2 / b_low, -log2 / b_high), rel=1e-9)
    assert halving.to_dict()["status"] == "ok"
