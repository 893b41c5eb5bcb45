"""Regression tests for the contract violations the fuzz tests found in fit (one test per finding, its reproducer)."""

import warnings

import numpy as np
import pytest
from scipy.stats import DegenerateDataWarning

from computelimits import exceptions, fit
from computelimits.fit import _scaling_law_twin


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_jackknife_of_a_leverage_one_point_warns(backend):
    # x = [0, 0, 0, 1]: the last point alone fixes the slope; without it the fit is undetermined.
    result = fit.ols([0.0, 0.0, 0.0, 1.0], [1.0, 2.0, 3.0, 5.0])
    with pytest.warns(exceptions.LeaveOneOutWarning, match="point 3 has leverage 1"):
        rows = fit.jackknife_coefficients(result, backend)
    # the other rows refit by hand: intercept = mean of the remaining y at x = 0, slope = 5 - intercept
    assert np.all(np.isnan(rows[3])) and np.allclose(rows[:3], [[2.5, 2.5], [2.0, 3.0], [1.5, 3.5]])


def test_jackknife_checks_its_arguments():
    result = fit.ols([0.0, 1.0, 2.0, 4.0], [1.0, 2.0, 3.5, 5.0])
    with pytest.raises(ValueError, match="backend"):
        fit.jackknife_coefficients(result, "fortran")
    with pytest.raises(TypeError, match="fit must be an OLSResult"):
        fit.jackknife_coefficients({"params": [1.0, 2.0]})


def test_real_arguments_beyond_float64_name_the_argument():
    # check_real converted with float() and let "int too large to convert to float" escape unnamed
    with pytest.raises(OverflowError, match=r"quantile is beyond float64's range .* got 10\^400.0"):
        fit.fieller_ratio(0.0, 0.0, 0.0, 0.0, 0.0, 10**400)


@pytest.mark.parametrize("function, name", [(fit.usd_for_flop, "flop"), (fit.nyc_months, "co2_tonnes")])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, [1.0, float("nan")], "1e20"])
def test_cost_conversions_refuse_what_is_not_an_amount(function, name, value):
    # they returned NaN (or a negative cost) silently
    with pytest.raises((ValueError, TypeError), match=name):
        function(value)
    expected = [1.0, 0.0] if function is fit.usd_for_flop else [6.874e16 / (56.5e6 / 12), 0.0]
    assert function([6.874e16, 0.0]).tolist() == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_ols_errors_from_the_core_name_x(backend):
    # "design column 0 is all zero" named no argument of ols(X, y)
    with pytest.raises(ValueError, match=r"^X: design column 0 is all zero \(the design is X\)"):
        fit.ols([0.0, 0.0, 0.0], [1.0, 2.0, 3.0], intercept=False, backend=backend)
    with pytest.raises(ValueError, match=r"^X: design is rank deficient .*\(the design is \[1, X\]"):
        fit.ols([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.0]], [1.0, 2.0, 3.0, 5.0], backend=backend)


def test_fieller_ratio_does_not_overflow_its_squares():
    # D = 1e160 made D^2 = inf and the interval NaN
    assert tuple(fit.fieller_ratio(0.0, 1e160, 0.0, 0.0, 0.0, 1.0)) == (0.0, 0.0, "bounded")
    # the set does not change when N, D and the standard errors are scaled together (exactly, by 2^500)
    scale = 2.0**500
    plain = fit.fieller_ratio(2.0, 4.0, 0.01, 0.04, 0.001, 1.96)
    assert (
        fit.fieller_ratio(2.0 * scale, 4.0 * scale, 0.01 * scale**2, 0.04 * scale**2, 0.001 * scale**2, 1.96) == plain
    )
    assert (
        fit.fieller_ratio(2.0 / scale, 4.0 / scale, 0.01 / scale**2, 0.04 / scale**2, 0.001 / scale**2, 1.96) == plain
    )
    # ends beyond float64 are refused, not returned as inf or NaN
    with pytest.raises(OverflowError, match="numerator / denominator"):
        fit.fieller_ratio(1e300, 1e-300, 0.0, 0.0, 0.0, 1.96)


def test_chow_test_checks_its_arguments():
    # lists raised "'<' not supported between instances of 'list' and 'float'"; a side with too
    # few points raised ols' "y needs more observations than parameters", about neither t nor the break
    t = [2000.0, 2001.0, 2002.0, 2003.0, 2004.0, 2005.0, 2006.0]
    y = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0]
    assert fit.chow_test(t, y, 2003.5) == fit.chow_test(np.array(t), np.array(y), 2003.5)
    with pytest.raises(ValueError, match=r"t before break_year=2001.5 needs at least 3 points, got 2"):
        fit.chow_test(t, y, 2001.5)
    with pytest.raises(ValueError, match="t and y must have the same length"):
        fit.chow_test(t, y[:-1], 2003.5)
    with pytest.raises(TypeError, match="y must hold real numbers"):
        fit.chow_test(t, ["1"] * 7, 2003.5)
    with pytest.raises(ValueError, match="break_year must be finite"):
        fit.chow_test(t, y, float("nan"))


def test_doubling_time_with_too_few_dates_names_dates():
    # no dates with estimate_break=True reached numpy: "non-broadcastable output operand ..."
    with pytest.raises(ValueError, match="dates needs at least 3 points, got 0"):
        fit.doubling_time([], [], estimate_break=True, n_resamples=10, seed=1)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_nan_results_come_with_a_named_warning(backend):
    # one resample: the standard error (ddof=1) was NaN without a word
    with pytest.warns(Warning, match="standard error is undefined") as caught:
        result = fit.bootstrap_ols([0.0, 1.0, 3.0], [0.0, 1.0, 2.0], 1, method="percentile", seed=0, backend=backend)
    assert np.isnan(result.standard_error).all()
    assert {type(w.message).__name__ for w in caught} == {"DegenerateDataWarning"}
    # a bootstrap-t distribution with infinite T* and an infinite jackknife spread gave numpy's bare
    # "invalid value encountered in subtract" RuntimeWarnings besides the named one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.bootstrap([0.0, 1.0], "mean", 1, "studentized", 0.95, 7, 1, backend)
        fit.bootstrap_ols(np.array([0, 0, 0, 1]), np.array([0, 2, 0, 1]), 1, "pairs", "bca", 0.95, 0, 1, backend)
    assert caught and {type(w.message).__name__ for w in caught} == {"DegenerateDataWarning"}


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("scale", [2.0**520, 1e160, 2.0**-560, 1e-170])
def test_bootstrap_follows_the_scale_of_y(backend, scale):
    # y x 1e160: standard errors were inf and BCa intervals NaN; y x 1e-170: standard errors were 0
    x = np.linspace(1.0, 5.0, 20)
    y = 2.0 - 0.5 * x + np.sin(7.0 * x)
    exact = scale in (2.0**520, 2.0**-560)  # powers of two scale every operation exactly
    for method in ("percentile", "bca"):
        base = fit.bootstrap_ols(x, y, 200, method=method, seed=1, backend=backend)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", exceptions.FloatRangeWarning)  # ssr, cov_params of the fit itself
            scaled = fit.bootstrap_ols(x, y * scale, 200, method=method, seed=1, backend=backend)
        for got, want in [
            (scaled.confidence_interval.low[:2] / scale, base.confidence_interval.low[:2]),
            (scaled.confidence_interval.high[:2] / scale, base.confidence_interval.high[:2]),
            (scaled.standard_error[:2] / scale, base.standard_error[:2]),
            (scaled.confidence_interval.low[2], base.confidence_interval.low[2]),  # R^2 is scale-free
        ]:
            np.testing.assert_allclose(got, want, rtol=0 if exact else 4e-15)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scaled = fit.bootstrap_ols(x, y * scale, 100, method="studentized", seed=1, backend=backend)
    # the reason, beside the fit's own ssr/cov_params range warning and the NaN endpoint's
    assert any("bootstrap-t needs the covariance" in str(w.message) for w in caught)
    assert {type(w.message).__name__ for w in caught} <= {"FloatRangeWarning", "DegenerateDataWarning"}
    assert np.isnan(scaled.confidence_interval.low[:2]).all()


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_mean_near_the_float64_limit(backend):
    # the mean, the centring and the BCa jackknife summed 1.6e308s to inf; basic's 2 t overflowed
    values = [1.7e308, 1.6e308, 1.5e308, 1.65e308]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in ("percentile", "basic", "bca"):
            result = fit.bootstrap(values, "mean", 200, method, seed=1, backend=backend)
            assert result.estimate == pytest.approx(1.6125e308, rel=1e-15)
            low, high = result.confidence_interval.low, result.confidence_interval.high
            assert 1.5e308 <= low < result.estimate < high <= 1.7e308, (method, low, high)
    # only the intercept-only fit's own statistics (ssr, cov_params) are out of range, and say so
    assert {type(w.message).__name__ for w in caught} == {"FloatRangeWarning"}


@pytest.mark.parametrize("models", [None, 3, ()])
def test_project_names_models(models):
    # None and 3 raised "'NoneType' object is not iterable"; () returned a projection with no rows
    with pytest.raises((TypeError, ValueError), match="models must"):
        fit.project([1e18, 1e19, 1e20, 1e21], [0.4, 0.3, 0.25, 0.2], 0.1, models, n_resamples=20, seed=1)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_ols_exact_fit_says_why_t_is_infinite(backend):
    # y = x exactly: bse 0 and tvalues inf without a word (statsmodels gives the same numbers)
    with pytest.warns(exceptions.ExactFitWarning, match="fitted exactly"):
        result = fit.ols([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], intercept=False, backend=backend)
    assert result.params.tolist() == [1.0] and result.bse.tolist() == [0.0] and np.isinf(result.tvalues[0])


def test_fit_errors_from_ols_name_the_callers_arguments():
    # bootstrap_ols(x, y) and chow_test(t, y) passed on ols' "X: ..." messages
    with pytest.raises(ValueError, match=r"^x and y: X: coefficient 1 .* below float64's normal range"):
        fit.bootstrap_ols([0.0, 0.0, 1.0, 1e160], [0, 0, 3, 1], 10, seed=0)
    t = [2000.0, 2001.0, 2002.0, 2003.0, 2004.0, 2005.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", exceptions.FloatRangeWarning)  # a side's fit: ssr beyond float64
        with pytest.raises(OverflowError, match=r"^t and y: X: coefficient 0 .* overflows float64"):
            fit.chow_test(t, [1e308, -1e308, 1e308, -1e308, 1e308, -1e308], 2002.5)
    # dates=None raised "too many indices for array: array is 0-dimensional"
    with pytest.raises(TypeError, match="dates must hold real numbers"):
        fit.doubling_time(None, [])


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_jackknife_at_the_float64_limit_says_so(backend):
    # leave-one-out coefficients overflowed to +-inf without a word
    with pytest.warns(exceptions.FloatRangeWarning, match="ssr"):
        result = fit.ols([0.0, 0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 0.0, 0.0, 1.7e308])
    with pytest.warns(exceptions.FloatRangeWarning, match="leave-one-out"):
        rows = fit.jackknife_coefficients(result, backend)
    assert np.isinf(rows).any()


def test_scaling_law_predictions_name_their_arguments():
    # predict({...}, ...) raised "float() argument must be ... not 'dict'", unequal lengths numpy's
    # broadcast message, and compute_for_loss(['x']) "could not convert string to float"
    params = np.logspace(7, 10, 8)
    tokens = params * np.linspace(200.0, 20.0, 8)
    loss = 1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28
    grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    result = fit.scaling_law(params, tokens, loss, grid=grid, progress=False)
    with pytest.raises(TypeError, match=r"^params must hold real numbers"):
        result.predict({"a": 1}, [1e9])
    with pytest.raises(
        ValueError, match=r"^params and tokens must broadcast to one shape, got shapes \(2,\) and \(3,\)"
    ):
        result.predict([1e9, 2e9], [1e10, 2e10, 3e10])
    with pytest.raises(TypeError, match=r"^target_loss must hold real numbers"):
        result.compute_for_loss(["x"])
    # the formula itself, at a point of the fit: L = E + A / N^alpha + B / D^beta
    want = result.E + result.A / 1e9**result.alpha + result.B / 2e10**result.beta
    assert result.predict(1e9, 2e10) == pytest.approx(want, rel=1e-12)


def _bare(caught):
    return [str(w.message) for w in caught if w.category is RuntimeWarning]


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_near_float64_limit_warns_by_name(backend):
    # recentring residuals near 1.7e308 overflowed with numpy's bare "overflow encountered in subtract"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.bootstrap_ols([0.0, 1.0, -1.0, 0.0], [0, 0, 0, 1.7e308], 3, "residual_hc3", seed=0, backend=backend)
        fitted = fit.ols([1e300, 0.0, -1e300], [0.0, 1.7e308, 1.7e308], backend=backend)
    assert not _bare(caught)
    assert any(w.category is exceptions.FloatRangeWarning and "fittedvalues" in str(w.message) for w in caught)
    assert not np.all(np.isfinite(fitted.fittedvalues))


def test_bootstrap_mean_errors_name_data():
    # the intercept-only fit's "X: coefficient 0 ... below float64's normal range" named no argument of the call
    with pytest.raises(ValueError, match=r"^data: X: coefficient 0 .* below float64's normal range"):
        fit.bootstrap([0.0, 5e-324], "mean", 1, "percentile")


def test_scaling_law_twin_with_a_huge_delta():
    # the twin's Huber evaluated delta (|r| - delta / 2) everywhere: overflow warnings at delta = 1e160
    params = np.geomspace(1e7, 1e10, 6)
    tokens = 20.0 * params
    loss = 1.7 + 400.0 / params**0.34 + 410.0 / tokens**0.28
    grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.scaling_law(params, tokens, loss, delta=1e160, grid=grid, backend="numpy")
        theta = np.array([5.0, 5.0, 0.5, 0.3, 0.3])
        logs = (np.log(params), np.log(tokens), np.log(loss))
        value, _ = _scaling_law_twin.objective(theta, *logs, 1e160)
    assert not _bare(caught)
    # delta beyond every residual: the Huber loss is half the sum of squared log residuals
    predicted = np.log(np.exp(5.0) / params**0.3 + np.exp(5.0) / tokens**0.3 + np.exp(0.5))
    assert value == pytest.approx(0.5 * np.sum((np.log(loss) - predicted) ** 2), rel=1e-12)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_t_with_an_infinite_endpoint_says_so(backend):
    # resamples with a zero standard error make T* infinite: the interval was inf without a word
    with pytest.warns(DegenerateDataWarning, match="bootstrap-t interval is unbounded"):
        result = fit.bootstrap_ols([1.0, 0.0, 0.0, -3.0], [0, 0, 1, 0], 21, "residual_hc2", "studentized", seed=0)
    assert np.isinf(result.confidence_interval.high).any()


def test_basic_interval_from_an_infinite_statistic_warns_by_name():
    # 2 t - q with t and q infinite gave numpy's bare "invalid value encountered in subtract"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = fit.ols([1.7e308, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 858.0, 0.0, 492.0])
        fit.bootstrap_fit(
            fitted,
            4,
            "residual",
            "basic",
            seed=3,
            threads=1,
            include_coefficients=False,
            first_resample=1,
            derived={"ratio": lambda b: b[:, 0] / b[:, 1]},
        )
    assert not _bare(caught)
    assert any(w.category in (DegenerateDataWarning, exceptions.FloatRangeWarning) for w in caught)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_doubling_time_rank_deficient_era_names_dates(backend):
    # dates a few nanoseconds apart pass the constant check but not the QR's rank test, whose
    # "X: design is rank deficient" named no argument of doubling_time
    dates = np.array([0, 0, 0, 0, 3586], dtype=object)
    with pytest.raises(ValueError, match=r"^dates and compute in era .*rank deficient"):
        fit.doubling_time(dates, np.ones(5), backend=backend)
