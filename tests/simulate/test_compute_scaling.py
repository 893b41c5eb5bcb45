"""compute_scaling: errors from the reused kernels, counted FLOPs, the exponent and its interval;
and the sgd_scaling exponent at p_per_n = 1 (once NaN)."""

import math

import numpy as np
import pytest

from computelimits import simulate
from computelimits.fit._numpy_twin import resample_indices
from computelimits.simulate.compute_scaling import scaling_exponent
from computelimits.status import Status

N_VALUES = (20, 40, 80)


@pytest.fixture(scope="module")
def min_norm_result():
    return simulate.compute_scaling((0.5, 2.0), N_VALUES, reps=24, seed=5, n_resamples=400, method="percentile")


def test_errors_are_double_descent_min_norm_risks(min_norm_result):
    r = min_norm_result
    assert r.widths.tolist() == [[10, 20, 40], [40, 80, 160]]
    for i, n in enumerate(N_VALUES):
        direct = simulate.double_descent(n, r.widths[:, i], 24, seed=5, sigma=1.0)
        np.testing.assert_array_equal(r.error[:, :, i], direct.min_norm_excess)
    np.testing.assert_array_equal(r.params_x_data, r.widths * np.array(N_VALUES))


def test_counted_flops_are_the_estimators_own_count(min_norm_result):
    rng = np.random.default_rng(0)
    for r_index, ratio in enumerate(min_norm_result.ratios):
        for i, n in enumerate(N_VALUES):
            p = int(min_norm_result.widths[r_index, i])
            X, y = rng.normal(size=(n, p)), rng.normal(size=n)
            counted = (simulate.min_norm if p > n else simulate.ols)(X, y, **({} if p > n else {"method": "cholesky"}))
            assert min_norm_result.counted_flops[r_index, i] == pytest.approx(counted.flops, rel=1e-12), (ratio, n)


def test_exponent_is_minus_one_over_a_hand_slope(min_norm_result):
    for item in min_norm_result.exponents:
        r = list(min_norm_result.ratios).index(item.ratio)
        compute = getattr(min_norm_result, item.measure)[r]
        slope = np.polyfit(np.log10(compute), np.log10(min_norm_result.error[:, r, :].mean(axis=0)), 1)[0]
        assert item.slope == pytest.approx(slope, rel=1e-10)
        assert item.exponent == pytest.approx(-1 / slope, rel=1e-10)


def test_interval_is_the_direct_quantile_over_resampled_replicates(min_norm_result):
    item = min_norm_result.exponent(2.0, "params_x_data")
    errors = min_norm_result.error[:, 1, :]
    x = np.log10(min_norm_result.params_x_data[1])
    index = resample_indices(5, 0, 400, errors.shape[0])
    slopes = [np.polyfit(x, np.log10(errors[rows].mean(axis=0)), 1)[0] for rows in index]
    low, high = np.quantile(slopes, [0.025, 0.975])
    assert (item.slope_low, item.slope_high) == pytest.approx((low, high), rel=1e-9)


def test_the_exact_expected_slope_lies_in_the_interval(min_norm_result):
    # Belkin, Hsu and Xu (2019): E risk = sigma^2 p/(n-p-1) (p < n), signal(1-n/p) + sigma^2 n/(p-n-1) (p > n).
    for item in min_norm_result.exponents:
        r = list(min_norm_result.ratios).index(item.ratio)
        n, p = np.array(N_VALUES, float), min_norm_result.widths[r].astype(float)
        exact = np.where(p < n, p / (n - p - 1), (1 - n / p) + n / (p - n - 1))
        compute = getattr(min_norm_result, item.measure)[r]
        hand = np.polyfit(np.log10(compute), np.log10(exact), 1)[0]
        assert item.exact_slope == pytest.approx(hand, rel=1e-10)
        assert item.slope_low <= item.exact_slope <= item.slope_high


def test_status_rules_of_the_exponent():
    compute = np.array([1e4, 1e5, 1e6, 1e7])
    rng = np.random.default_rng(1)
    falling = (compute**-0.5)[None, :] * np.exp(rng.normal(scale=0.05, size=(20, 4)))
    common = dict(ratio=1.5, measure="params_x_data", n_resamples=300, method="bca", confidence_level=0.95, seed=0)
    ok = scaling_exponent(falling, compute, **common)
    assert ok.status is Status.OK and ok.exponent == pytest.approx(2.0, rel=0.05)
    assert ok.low < ok.exponent < ok.high and ok.describe().startswith("2")
    flat = np.exp(rng.normal(scale=0.3, size=(20, 4)))
    assert scaling_exponent(flat, compute, **common).status in (Status.NOT_SIGNIFICANT, Status.WRONG_SIGN)
    rising = (compute**0.3)[None, :] * np.exp(rng.normal(scale=0.05, size=(20, 4)))
    wrong = scaling_exponent(rising, compute, **common)
    assert wrong.status is Status.WRONG_SIGN and wrong.low is None
    assert wrong.describe() == "undetermined: the fitted trend has the wrong sign"


def test_sgd_cells_are_sgd_scaling_runs():
    result = simulate.compute_scaling((2.0,), (10, 20, 40), estimator="sgd", reps=4, seed=3, epochs=3, n_resamples=50)
    for i, n in enumerate((10, 20, 40)):
        direct = simulate.sgd_scaling([n], p_per_n=2.0, reps=4, seed=3, epochs=3, sigma=1.0)
        np.testing.assert_array_equal(result.error[:, 0, i], direct.excess[:, 0, -1])
        assert result.counted_flops[0, i] == 3 * direct.epoch_flops[0]
    assert len(result.exponent_frame()) == 2 and len(result.to_frame()) == 3


@pytest.mark.parametrize("estimator", ["min_norm", "sgd"])
def test_backends_agree(estimator):
    kwargs = dict(reps=4, seed=2, n_resamples=50, epochs=2, estimator=estimator)
    cpp = simulate.compute_scaling((2.0,), (10, 20, 40), backend="cpp", **kwargs)
    twin = simulate.compute_scaling((2.0,), (10, 20, 40), backend="numpy", **kwargs)
    np.testing.assert_allclose(cpp.error, twin.error, rtol=1e-9)
    assert cpp.exponents[0].slope == pytest.approx(twin.exponents[0].slope, rel=1e-8)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="ratios: ratio 1 gives p = 20 at n = 20"):
        simulate.compute_scaling((1.0,), (20, 40, 80), reps=4)
    with pytest.raises(ValueError, match="reps must be >= 3"):
        simulate.compute_scaling((2.0,), (20, 40, 80), reps=2)
    with pytest.raises(ValueError, match="n_values needs at least 3"):
        simulate.compute_scaling((2.0,), (20, 40), reps=4)
    with pytest.raises(ValueError, match="estimator must be one of"):
        simulate.compute_scaling((2.0,), (20, 40, 80), reps=4, estimator="ridge")
    with pytest.raises(ValueError, match="ratios must be > 0"):
        simulate.compute_scaling((0.0,), (20, 40, 80), reps=4)
    with pytest.raises(ValueError, match="ratios must be distinct"):
        simulate.compute_scaling((2.0, 2.0), (20, 40, 80), reps=4)
    with pytest.raises(ValueError, match="method must be one of"):
        simulate.compute_scaling((2.0,), (20, 40, 80), reps=4, method="normal")


def test_sgd_scaling_exponent_at_p_per_n_one_is_undetermined_not_nan():
    # Reproduced first: at p_per_n = 1 only one target is reached and the exponent was NaN.
    result = simulate.sgd_scaling((50, 100, 300), p_per_n=1, reps=4, seed=0, epochs=20)
    assert result.targets_reached < 2
    assert result.exponent is None and result.exponent_status is Status.TOO_FEW_POINTS
    fine = simulate.sgd_scaling((50, 100, 300), reps=4, seed=0, epochs=20)
    assert fine.exponent_status is Status.OK and math.isfinite(fine.exponent)


def test_an_insignificant_slope_still_bounds_the_exponent_from_below():
    from computelimits.simulate import ScalingExponent

    item = ScalingExponent(2.0, "params_x_data", -0.001, -0.01, 0.005, 1000.0, None, None, Status.NOT_SIGNIFICANT)
    # b in [-0.01, 0.005]: if the error falls at all (b < 0), e = -1/b >= -1/(-0.01) = 100.
    assert item.lower_bound == pytest.approx(100.0)
    assert item.describe() == "undetermined: the slope is not significant (e >= 100 if the error falls at all)"
    assert item.to_dict()["lower_bound"] == pytest.approx(100.0) and item.to_dict()["status"] == "slope not significant"
    wrong = ScalingExponent(2.0, "params_x_data", 0.001, -0.01, 0.005, -1000.0, None, None, Status.WRONG_SIGN)
    assert wrong.lower_bound is None


@pytest.mark.parametrize("estimator", ["min_norm", "sgd"])
def test_same_seed_same_answer_for_any_thread_count(estimator):
    kwargs = dict(reps=6, seed=9, n_resamples=100, epochs=2, estimator=estimator)
    one = simulate.compute_scaling((2.0,), (10, 20, 40), threads=1, **kwargs)
    two = simulate.compute_scaling((2.0,), (10, 20, 40), threads=2, **kwargs)
    np.testing.assert_array_equal(one.error, two.error)
    assert one.exponents == two.exponents
