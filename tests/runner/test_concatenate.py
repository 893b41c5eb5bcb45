"""Ranges computed apart join into one result: concatenate and from_distribution."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from computelimits.fit import BootstrapResult, ScalingLawResult, bootstrap, bootstrap_ols, scaling_law
from computelimits.fit.intervals import jackknife_acceleration
from computelimits.fit.scaling_law import resample_fits
from computelimits.simulate import (
    DoubleDescentResult,
    PaperResult,
    SgdScalingResult,
    double_descent,
    paper_experiment,
    sgd_scaling,
)

from .conftest import assert_identical

PAPER = dict(p=60, sizes=[12, 24, 40, 90], seed=11, progress=False)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_paper_ranges_join_into_one_run(backend):
    whole = paper_experiment(5, backend=backend, **PAPER)
    parts = [
        paper_experiment(2, backend=backend, **PAPER),
        paper_experiment(3, first_replicate=2, backend=backend, **PAPER),
    ]
    assert_identical(PaperResult.concatenate(*parts), whole)


@pytest.mark.filterwarnings("ignore::computelimits.exceptions.OneReplicateWarning")  # reps=1 pieces on purpose
def test_double_descent_and_sgd_ranges_join_into_one_run():
    dd = dict(n=20, p=[5, 10, 30, 40], seed=12, progress=False)
    assert_identical(
        DoubleDescentResult.concatenate(double_descent(reps=3, **dd), double_descent(reps=2, first_replicate=3, **dd)),
        double_descent(reps=5, **dd),
    )
    sgd = dict(sizes=(20, 40), p=10, k=5, epochs=3, seed=13, progress=False)
    assert_identical(
        SgdScalingResult.concatenate(
            sgd_scaling(reps=1, **sgd),
            sgd_scaling(reps=2, first_replicate=1, **sgd),
            sgd_scaling(reps=1, first_replicate=3, **sgd),
        ),
        sgd_scaling(reps=4, **sgd),
    )


def test_concatenate_refuses_what_does_not_join():
    first = paper_experiment(2, **PAPER)
    with pytest.raises(ValueError, match=r"expected results\[1\]\.first_replicate=2, got 3"):
        PaperResult.concatenate(first, paper_experiment(2, first_replicate=3, **PAPER))
    with pytest.raises(ValueError, match="must share seed"):
        PaperResult.concatenate(first, paper_experiment(2, first_replicate=2, **{**PAPER, "seed": 99}))
    with pytest.raises(ValueError, match="must share settings"):
        PaperResult.concatenate(first, paper_experiment(2, first_replicate=2, sigma=0.7, **PAPER))
    with pytest.raises(TypeError, match="must be a PaperResult"):
        PaperResult.concatenate(first, double_descent(20, [5, 40], 2, first_replicate=2, seed=11))
    with pytest.raises(ValueError, match="at least one"):
        PaperResult.concatenate()


def _line(n=40):
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 10, n)
    return x, 1.0 + 0.5 * x + rng.normal(size=n)


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_bootstrap_ranges_join_into_one_run(method):
    x, y = _line()
    common = dict(method=method, seed=21, progress=False)
    whole = bootstrap_ols(x, y, 500, **common)
    parts = [bootstrap_ols(x, y, 120, **common), bootstrap_ols(x, y, 380, first_resample=120, **common)]
    joined = BootstrapResult.concatenate(*parts)
    assert_identical(joined, whole)
    assert joined.first_resample == 0 and joined.n_resamples == 500
    with pytest.raises(ValueError, match="consecutive"):
        BootstrapResult.concatenate(parts[1], parts[0])
    with pytest.raises(ValueError, match="must share seed"):
        BootstrapResult.concatenate(parts[0], bootstrap_ols(x, y, 10, first_resample=120, **{**common, "seed": 3}))


def test_bootstrap_numpy_ranges_agree_to_rounding():
    # The twin's BLAS products round a row by its place in the block: ranges cut elsewhere agree to ~1 ulp.
    x, y = _line()
    common = dict(method="bca", seed=21, backend="numpy", progress=False)
    whole = bootstrap_ols(x, y, 500, **common)
    joined = BootstrapResult.concatenate(
        bootstrap_ols(x, y, 250, **common), bootstrap_ols(x, y, 250, first_resample=250, **common)
    )
    np.testing.assert_allclose(joined.bootstrap_distribution, whole.bootstrap_distribution, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(joined.confidence_interval.low, whole.confidence_interval.low, rtol=1e-12)


def test_from_distribution_percentile_and_basic_are_numpy_quantiles():
    rng = np.random.default_rng(0)
    distribution = rng.gamma(2.0, size=(2, 1001))
    estimate = np.array([2.0, 1.9])
    alpha = (1 - 0.9) / 2  # scipy's convention, 0.04999999999999999 in binary
    q = np.quantile(distribution, [alpha, 1 - alpha], axis=1)  # numpy's linear rule
    result = BootstrapResult.from_distribution(
        ["a", "b"], estimate, distribution, method="percentile", confidence_level=0.9
    )
    np.testing.assert_array_equal(result.confidence_interval.low, q[0])
    np.testing.assert_array_equal(result.confidence_interval.high, q[1])
    np.testing.assert_allclose(result.standard_error, distribution.std(axis=1, ddof=1), rtol=1e-14)
    basic = BootstrapResult.from_distribution(["a", "b"], estimate, distribution, method="basic", confidence_level=0.9)
    np.testing.assert_allclose(basic.confidence_interval.low, 2 * estimate - q[1], rtol=1e-15)
    single = BootstrapResult.from_distribution("a", 2.0, distribution[0], method="percentile", confidence_level=0.9)
    assert single.confidence_interval.low == q[0, 0] and isinstance(single.estimate, float)


def test_from_distribution_bca_follows_efron_and_tibshirani():
    # Efron and Tibshirani (1993) eq. 14.9-14.15, evaluated here with scipy.special and numpy
    data = np.array([52, 104, 146, 10, 51, 30, 40, 27, 46], dtype=float)  # the mouse data
    distribution = bootstrap(data, n_resamples=4000, method="percentile", seed=2).bootstrap_distribution
    estimate = data.mean()
    jackknife = (data.sum() - data) / (len(data) - 1)
    result = BootstrapResult.from_distribution(
        "mean", estimate, distribution, method="bca", jackknife=jackknife[None, :]
    )
    z0 = special.ndtri((np.sum(distribution < estimate) + np.sum(distribution <= estimate)) / (2 * distribution.size))
    d = jackknife.mean() - jackknife
    a = np.sum(d**3) / (6 * np.sum(d**2) ** 1.5)
    assert result.acceleration == pytest.approx(0.0658752720662613, rel=1e-12)
    assert result.acceleration == pytest.approx(a, rel=1e-12)
    assert result.bias_correction == pytest.approx(z0, rel=1e-12)
    z = special.ndtri([0.025, 0.975])
    levels = special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
    low, high = np.quantile(distribution, levels)
    assert result.confidence_interval.low == pytest.approx(low, rel=1e-12)
    assert result.confidence_interval.high == pytest.approx(high, rel=1e-12)
    # the same interval from the acceleration alone, as concatenate uses it
    again = BootstrapResult.from_distribution(
        "mean", estimate, distribution, method="bca", acceleration=[jackknife_acceleration(jackknife)]
    )
    assert again.confidence_interval == result.confidence_interval


def test_from_distribution_validates():
    with pytest.raises(ValueError, match="same statistics"):
        BootstrapResult.from_distribution(["a", "b"], [1.0], np.zeros((1, 5)))
    with pytest.raises(ValueError, match="method must be one of"):
        BootstrapResult.from_distribution("a", 1.0, np.zeros(5), method="studentised")
    with pytest.raises(ValueError, match="jackknife values or the acceleration"):
        BootstrapResult.from_distribution("a", 1.0, np.arange(5.0), method="bca")


def _chinchilla(n=30, seed=4):
    rng = np.random.default_rng(seed)
    params, tokens = np.exp(rng.uniform(18, 23, n)), np.exp(rng.uniform(20, 27, n))
    return params, tokens, (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.02, n))


CHINCHILLA_GRID = {"a": [5.0, 7.0], "b": [6.0, 8.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_scaling_law_resample_ranges_join_into_one_run(backend):
    data = _chinchilla()
    common = dict(grid=CHINCHILLA_GRID, seed=31, backend=backend, progress=False)
    whole = scaling_law(*data, n_resamples=25, **common)
    parts = [
        scaling_law(*data, n_resamples=10, **common),
        scaling_law(*data, n_resamples=4, first_resample=10, **common),
        scaling_law(*data, n_resamples=11, first_resample=14, **common),
    ]
    joined = ScalingLawResult.concatenate(*parts)
    assert_identical(joined, whole)
    assert joined.first_resample == 0 and joined.n_resamples == 25
    assert_identical(joined.confidence_intervals, whole.confidence_intervals)
    assert_identical(joined.to_frame().to_numpy(), whole.to_frame().to_numpy())


def test_scaling_law_from_distribution_is_the_bootstrap_of_records_computed_anywhere():
    data = _chinchilla()
    common = dict(grid=CHINCHILLA_GRID, progress=False)
    whole = scaling_law(*data, n_resamples=25, seed=31, **common)
    point = scaling_law(*data, **common)
    assert point.resample_records is None
    logs = [np.log(values) for values in data]
    records = [resample_fits(*logs, 1e-3, point.theta, 31, first, count) for first, count in ((0, 12), (12, 13))]
    attached = ScalingLawResult.from_distribution(point, np.concatenate(records), seed=31)
    assert_identical(attached, whole)
    # a later range, attached as such, joins after the first
    head = ScalingLawResult.from_distribution(point, records[0], seed=31)
    tail = ScalingLawResult.from_distribution(point, records[1], seed=31, first_resample=12)
    assert_identical(ScalingLawResult.concatenate(head, tail), whole)


def test_scaling_law_concatenate_refuses_what_does_not_join():
    data = _chinchilla()
    common = dict(grid=CHINCHILLA_GRID, seed=31, progress=False)
    first = scaling_law(*data, n_resamples=5, **common)
    with pytest.raises(ValueError, match=r"expected results\[1\]\.first_resample=5, got 6"):
        ScalingLawResult.concatenate(first, scaling_law(*data, n_resamples=5, first_resample=6, **common))
    with pytest.raises(ValueError, match="must share seed"):
        ScalingLawResult.concatenate(
            first, scaling_law(*data, n_resamples=5, first_resample=5, **{**common, "seed": 3})
        )
    other_data = scaling_law(*_chinchilla(seed=5), n_resamples=5, first_resample=5, **common)
    with pytest.raises(ValueError, match="must share a; results"):
        ScalingLawResult.concatenate(first, other_data)
    with pytest.raises(ValueError, match="must share confidence_level"):
        ScalingLawResult.concatenate(
            first, scaling_law(*data, n_resamples=5, first_resample=5, confidence_level=0.9, **common)
        )
    with pytest.raises(ValueError, match=r"results\[1\] has no bootstrap"):
        ScalingLawResult.concatenate(first, scaling_law(*data, **common))
    with pytest.raises(TypeError, match="must be a ScalingLawResult"):
        ScalingLawResult.concatenate(first, paper_experiment(2, **PAPER))
    with pytest.raises(ValueError, match="at least one"):
        ScalingLawResult.concatenate()


def test_scaling_law_from_distribution_validates_the_records():
    point = scaling_law(*_chinchilla(), grid=CHINCHILLA_GRID, progress=False)
    good = np.tile([6.0, 7.0, 0.5, 0.3, 0.3, 1e-3, 0.0, 12.0, 15.0], (3, 1))
    with pytest.raises(ValueError, match=r"must be a \(B, 9\) array .* got shape \(3, 5\)"):
        ScalingLawResult.from_distribution(point, good[:, :5], seed=1)
    with pytest.raises(ValueError, match=r"got shape \(0, 9\)"):
        ScalingLawResult.from_distribution(point, good[:0], seed=1)
    bad = good.copy()
    bad[2, 6] = 6.0
    with pytest.raises(ValueError, match=r"resample_records\[2, 6\] \(status\) is not a valid status: 6.0"):
        ScalingLawResult.from_distribution(point, bad, seed=1)
    bad = good.copy()
    bad[1, 8] = 2.5
    with pytest.raises(ValueError, match=r"resample_records\[1, 8\] \(evaluations\)"):
        ScalingLawResult.from_distribution(point, bad, seed=1)
    with pytest.raises(TypeError, match="fit must be a ScalingLawResult"):
        ScalingLawResult.from_distribution(object(), good, seed=1)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        ScalingLawResult.from_distribution(point, good, seed=-1)
    attached = ScalingLawResult.from_distribution(point, good, seed=1, confidence_level=0.5)
    assert attached.resample_status_counts["converged (gradient)"] == 3 and attached.confidence_level == 0.5
