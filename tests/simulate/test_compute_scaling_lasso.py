"""compute_scaling(estimator="lasso"): the paper's regime (sparse truth, universal penalty, p = ratio n).

The measured slope of log10(excess risk) on log10(compute) is held to the slope of closed
forms derived independently here: the lasso's rate sigma^2 k ln p / n (Bickel, Ritov and
Tsybakov 2009), whose local slope against log n is -1 + 1/ln p, and its finite-n expected
risk given the true support (inverse-Wishart moments, von Rosen 1988).
"""

import importlib
import math
import warnings

import numpy as np
import pytest

from computelimits import simulate
from computelimits.exceptions import ConvergenceWarning
from computelimits.simulate import closed_forms
from computelimits.status import Status

SMALL = dict(estimator="lasso", true_features=3, reps=4, seed=2, n_resamples=50)


def _hand_support_risk(n, p, k, sigma, scale=1.0):
    # w_S = beta_S + W^-1 (X_S'e/n - alpha s), W = X_S'X_S/n: bias alpha^2 s'E[W^-2]s, variance sigma^2/n E tr W^-1.
    alpha2 = (scale * sigma) ** 2 * 2 * np.log(p) / n
    second = n**2 * (n - 1) / ((n - k) * (n - k - 1) * (n - k - 3))
    return k * alpha2 * second + sigma**2 * k * n / (n - k - 1) / n


def test_cells_are_lasso_path_fits_on_the_nested_design():
    result = simulate.compute_scaling((0.5, 2.0), (12, 20, 30), **SMALL)
    assert result.widths.tolist() == [[6, 10, 15], [24, 40, 60]]
    for r in range(result.reps):
        design = simulate.make_design(30, 60, k=3, signal=10.0, sigma=0.5, seed=2, replicate=r)
        for a in range(2):
            for i, n in enumerate((12, 20, 30)):
                p = int(result.widths[a, i])
                alpha = 0.5 * math.sqrt(2 * math.log(p) / n)
                fit = simulate.lasso_path(design.X[:n, :p], design.y[:n], [alpha], tol=1e-8)
                assert result.error[r, a, i] == pytest.approx(np.sum((fit.coef[0] - design.beta[:p]) ** 2), rel=1e-9)
                assert result.lasso_flops[r, a, i] == fit.flops[0]
                assert result.lasso_kkt[r, a, i] <= 1e-8 and result.lasso_sweeps[r, a, i] == fit.sweeps[0]
    np.testing.assert_array_equal(result.counted_flops, result.lasso_flops.mean(axis=0))
    np.testing.assert_array_equal(result.params_x_data, result.widths * np.array([12, 20, 30]))


def test_measured_slope_lies_in_its_interval_around_the_finite_n_theory():
    # Defaults (ratio 2, 10 true features, n = 200, 400, 800), 32 replicates.
    result = simulate.compute_scaling(estimator="lasso", reps=32, seed=0, n_resamples=999)
    n = np.array([200.0, 400.0, 800.0])
    p = np.ceil(2 * n)
    support = _hand_support_risk(n, p, 10, 0.5)
    rate = 0.5**2 * 10 * np.log(p) / n
    for item in result.exponents:
        x = np.log10(getattr(result, item.measure)[0])
        assert item.support_slope == pytest.approx(np.polyfit(x, np.log10(support), 1)[0], rel=1e-10)
        assert item.rate_slope == pytest.approx(np.polyfit(x, np.log10(rate), 1)[0], rel=1e-10)
        assert item.status is Status.OK
        assert item.slope_low <= item.support_slope <= item.slope_high, item
    # Against compute p n = 2 n^2 the rate's local slope is (-1 + 1/ln p) / 2: at the grid's middle p = 800,
    # -0.4252; the OLS slope over the grid is the mean of its local slopes.
    middle = (-1 + 1 / math.log(800)) / 2
    assert result.exponent().rate_slope == pytest.approx(middle, abs=2e-3)
    # The error level: within 3 SE of the expected risk given the support (false positives add ~1%).
    mean = result.error_mean[0]
    se = result.error[:, 0, :].std(axis=0, ddof=1) / math.sqrt(32)
    assert np.all(np.abs(mean - support) < 3 * se), (mean, support, se)


def test_root_error_exponent_is_twice_the_mean_squared_one():
    result = simulate.compute_scaling((2.0,), (20, 40, 80), **{**SMALL, "reps": 8})
    item = result.exponent()
    root_slope = np.polyfit(np.log10(result.params_x_data[0]), np.log10(np.sqrt(result.error_mean[0])), 1)[0]
    # sqrt of the mean error, not the mean of sqrt: the root of the same mean squared error.
    assert item.root_exponent == pytest.approx(-1 / root_slope, rel=1e-10) == pytest.approx(2 * item.exponent)
    assert item.status is Status.OK and (item.root_low, item.root_high) == (2 * item.low, 2 * item.high)
    assert item.describe(root=True) == f"{2 * item.exponent:.3g} [{2 * item.low:.3g}, {2 * item.high:.3g}]"
    row = result.exponent_frame().iloc[0]
    assert row["root_exponent"] == item.root_exponent and row["status"] == item.status.value


def test_support_risk_closed_form_matches_monte_carlo_wishart_moments():
    # E s'(X_S'X_S/n)^-2 s and E tr (X_S'X_S/n)^-1 by direct simulation of Gaussian X_S.
    rng = np.random.default_rng(4)
    n, k, draws = 40, 5, 40_000
    Z = rng.normal(size=(draws, n, k))
    W = np.einsum("rni,rnj->rij", Z, Z) / n
    inverse = np.linalg.inv(W)
    s = np.ones(k)
    bias = np.einsum("i,rij,rjl,l->r", s, inverse, inverse, s)
    variance = np.trace(inverse, axis1=1, axis2=2) / n
    p, sigma = 300, 0.7
    alpha2 = sigma**2 * 2 * math.log(p) / n
    monte_carlo = alpha2 * bias + sigma**2 * variance
    se = monte_carlo.std() / math.sqrt(draws)
    assert closed_forms.lasso_support_risk(n, p, k, sigma) == pytest.approx(monte_carlo.mean(), abs=4 * se)
    assert closed_forms.lasso_support_risk(k + 3, p, k, sigma) == math.inf


def test_support_risk_tends_to_the_rate_with_its_constant():
    # As n grows: k (alpha^2 + sigma^2/n) = sigma^2 k (2 ln p + 1) / n, i.e. the rate times (2 + 1/ln p).
    n = np.array([1e6, 1e8])
    p = 3 * n
    ratio = closed_forms.lasso_support_risk(n, p, 10, 1.3) / closed_forms.lasso_rate(n, p, 10, 1.3)
    np.testing.assert_allclose(ratio, 2 + 1 / np.log(p), rtol=1e-4)


@pytest.mark.parametrize("ratios", [(2.0,), (0.5, 3.0)])
def test_backends_agree(ratios):
    cpp = simulate.compute_scaling(ratios, (12, 20, 30), backend="cpp", **SMALL)
    twin = simulate.compute_scaling(ratios, (12, 20, 30), backend="numpy", **SMALL)
    np.testing.assert_allclose(cpp.error, twin.error, rtol=1e-9)
    np.testing.assert_allclose(cpp.lasso_flops, twin.lasso_flops, rtol=1e-12)
    np.testing.assert_array_equal(cpp.lasso_sweeps, twin.lasso_sweeps)
    assert cpp.exponents[0].slope == pytest.approx(twin.exponents[0].slope, rel=1e-8)


def test_same_seed_same_answer_for_any_thread_count():
    kwargs = dict(SMALL, reps=6, seed=9)
    one = simulate.compute_scaling((2.0, 0.5), (12, 20, 30), threads=1, **kwargs)
    two = simulate.compute_scaling((2.0, 0.5), (12, 20, 30), threads=2, **kwargs)
    np.testing.assert_array_equal(one.error, two.error)
    np.testing.assert_array_equal(one.lasso_flops, two.lasso_flops)
    assert one.exponents == two.exponents


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(true_features=61), ValueError, r"true_features must be <= p = 60 \(the smallest cell: ratio 2, n = 30\)"),
        (dict(true_features=0), ValueError, "true_features must be >= 1, got 0"),
        (dict(true_features=2.5), TypeError, "true_features must be an integer"),
        (dict(lasso_scale=0.0), ValueError, "lasso_scale must be > 0"),
        (dict(lasso_scale=-1.0), ValueError, "lasso_scale must be > 0"),
        (dict(lasso_scale=math.nan), ValueError, "lasso_scale"),
        (dict(sigma=0.0), ValueError, "sigma must be > 0 for the lasso"),
        (dict(signal=-1.0), ValueError, "signal must be >= 0"),
        (dict(sigma=1e101), ValueError, "sigma must be <= 1e[+]100"),
        (dict(signal=1e101), ValueError, "signal must be <= 1e[+]100"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate.compute_scaling((2.0,), (30, 60, 90), estimator="lasso", reps=3, **kwargs)


def test_a_design_beyond_2_to_the_31_entries_is_refused_before_drawing():
    with pytest.raises(ValueError, match="n_values and ratios: the largest design, 40000 x 80000"):
        simulate.compute_scaling((2.0,), (10000, 20000, 40000), estimator="lasso", reps=3)


def test_a_fit_stopped_by_the_sweep_limit_warns(monkeypatch):
    module = importlib.import_module("computelimits.simulate.compute_scaling")
    monkeypatch.setattr(module, "LASSO_MAX_SWEEPS", 1)
    with pytest.warns(ConvergenceWarning, match="lasso fits stopped after 1 sweeps"):
        result = simulate.compute_scaling((2.0,), (12, 20, 30), **SMALL)
    assert result.lasso_kkt.max() > 1e-8
    monkeypatch.undo()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulate.compute_scaling((2.0,), (12, 20, 30), **SMALL)
