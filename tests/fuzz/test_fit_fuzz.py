"""Fuzz the fit area: ols, the bootstraps, fit_compute_error, project, doubling_time, Fieller, Chow.

Each call raises a documented error naming its argument, or returns finite numbers, or flags the
non-finite ones (a non-OK status, a named warning); see _contract.py.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from computelimits import exceptions, fit
from computelimits.fit.bootstrap import SCHEMES as BOOTSTRAP_SCHEMES

from ._contract import Faults, any_float, assert_finite_or_flagged, attempt, examples, finite_float, odd_scalars

sizes = st.integers(0, 9)
backends = st.sampled_from(["cpp", "numpy"])
bad_backends = st.sampled_from(["fortran", None, 1, "CPP"])
positive = st.one_of(st.floats(1e-6, 1e30), st.sampled_from([1e-300, 1e300, 1.0, 7.0]))
positive_ints = st.integers(1, 10**9)
errors = st.one_of(st.floats(1e-6, 0.999), st.sampled_from([1e-300, 0.5, 0.9999999]))
years = st.floats(1950, 2030)
year_ints = st.integers(1950, 2030)
levels = st.sampled_from([0.95, 0.5, 0.999])
bad_levels = st.one_of(any_float, odd_scalars)
resamples = st.integers(1, 40)
SCHEMES = st.sampled_from(BOOTSTRAP_SCHEMES)
METHODS = st.sampled_from(["percentile", "basic", "bca", "studentized"])
bad_choices = st.sampled_from(["jackknife", None, 3, "PAIRS"])


@examples(1.0)
@given(n=sizes, k=st.integers(0, 3), data=st.data())
def test_ols(n, k, data):
    f = Faults(data, ["X", "y", "intercept", "degree", "backend"])
    X = f.array("X", (n,) if k == 0 else (n, k))
    y = f.array("y", (n,))
    intercept = f.draw("intercept", st.booleans())
    degree = f.draw("degree", st.one_of(st.none(), st.integers(1, 4)))
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(fit.ols, f.names, X, y, intercept, backend, degree=degree)
    if outcome.error is None:
        result = outcome.result
        assert np.all(np.isfinite(result.params)) and np.all(np.isfinite(result.resid))
        if not np.isfinite(result.rsquared):
            assert outcome.warned(exceptions.ConstantResponseWarning), result.rsquared
        if not (np.isfinite(result.ssr) and np.all(np.isfinite(result.cov_params()))):
            assert outcome.warned(exceptions.FloatRangeWarning), (result.ssr, result.cov_params())
        assert_finite_or_flagged(outcome)


@examples(1.0)
@given(n=sizes, data=st.data())
def test_bootstrap_ols(n, data):
    f = Faults(data, ["x", "y", "n_resamples", "scheme", "method", "confidence_level", "seed", "backend"])
    x, y = f.array("x", (n,)), f.array("y", (n,))
    n_resamples = f.draw("n_resamples", resamples)
    scheme, method = f.draw("scheme", SCHEMES, bad_choices), f.draw("method", METHODS, bad_choices)
    level = f.draw("confidence_level", levels, bad_levels)
    seed = f.draw("seed", st.integers(0, 2**64 - 1))
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(fit.bootstrap_ols, f.names, x, y, n_resamples, scheme, method, level, seed, 1, backend)
    if outcome.error is None:
        result = outcome.result
        assert result.bootstrap_distribution.shape == (len(result.names), n_resamples)
        assert np.all(np.isfinite(result.estimate[:-1]))
        assert_finite_or_flagged(outcome, result.confidence_interval)
        assert_finite_or_flagged(outcome, result.standard_error)


@examples(0.7)
@given(n=sizes, data=st.data())
def test_bootstrap_mean(n, data):
    f = Faults(data, ["data", "n_resamples", "method", "confidence_level", "backend"])
    values = f.array("data", (n,))
    n_resamples = f.draw("n_resamples", resamples)
    method = f.draw("method", METHODS, bad_choices)
    level = f.draw("confidence_level", levels, bad_levels)
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(fit.bootstrap, f.names, values, "mean", n_resamples, method, level, 7, 1, backend)
    if outcome.error is None:
        assert math.isfinite(outcome.result.estimate)
        assert_finite_or_flagged(outcome, outcome.result.confidence_interval)


@examples(0.5)
@given(n=st.integers(3, 9), data=st.data())
def test_bootstrap_fit_and_jackknife(n, data):
    f = Faults(data, ["n_resamples", "scheme", "method", "include_coefficients", "first_resample", "backend"])
    x, y = (
        data.draw(st.lists(finite_float, min_size=n, max_size=n)),
        data.draw(st.lists(finite_float, min_size=n, max_size=n)),
    )
    fitted = attempt(fit.ols, ["X", "y"], x, y)
    if fitted.error is not None:
        return
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(
        fit.bootstrap_fit,
        f.names,
        fitted.result,
        f.draw("n_resamples", resamples),
        f.draw("scheme", SCHEMES, bad_choices),
        f.draw("method", METHODS, bad_choices),
        seed=3,
        threads=1,
        backend=backend,
        include_coefficients=f.draw("include_coefficients", st.booleans()),
        first_resample=f.draw("first_resample", st.integers(0, 2**63)),
        derived={"ratio": lambda b: b[:, 0] / b[:, 1]},
    )
    if outcome.error is None:
        assert_finite_or_flagged(outcome, outcome.result.confidence_interval)
    jack = attempt(fit.jackknife_coefficients, ["backend"], fitted.result, backend)
    if jack.error is None:
        assert jack.result.shape == (n, 2)
        if not np.all(np.isfinite(jack.result)):  # leverage 1, or data at float64's limit
            assert jack.warned(exceptions.LeaveOneOutWarning) or jack.warned(exceptions.FloatRangeWarning)


@examples(1.0)
@given(n=sizes, data=st.data(), with_year=st.booleans())
def test_fit_compute_error(n, data, with_year):
    names = ["compute", "error", "model", "year", "frontier", "year_covariate", "backend"]
    f = Faults(data, names)
    compute = f.array("compute", (n,), positive, positive_ints)
    error = f.array("error", (n,), errors, None)
    model = f.draw("model", st.sampled_from(["polynomial", "exponential"]), bad_choices)
    year = f.array("year", (n,), years, year_ints) if with_year else None
    frontier = f.draw("frontier", st.sampled_from([None, "year", "compute"]), bad_choices)
    year_covariate = f.draw("year_covariate", st.booleans())
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(
        fit.fit_compute_error, names + ["X", "y"], compute, error, model, year, frontier, backend, year_covariate
    )
    if outcome.error is None:
        assert np.all(np.isfinite(outcome.result.fit.params))
        assert_finite_or_flagged(outcome)


@examples(0.5)
@given(n=sizes, data=st.data())
def test_project(n, data):
    f = Faults(data, ["compute", "error", "targets", "models", "interval", "method", "backend"])
    compute = f.array("compute", (n,), positive, positive_ints)
    error = f.array("error", (n,), errors, None)
    targets = f.draw(
        "targets",
        st.one_of(st.floats(1e-9, 0.999), st.lists(st.floats(1e-9, 0.999), min_size=1, max_size=3)),
        st.one_of(odd_scalars, st.just([0.1, 0.1, 0.1000001]), st.lists(any_float, max_size=3)),
    )
    models = f.draw("models", st.sampled_from([("polynomial", "exponential"), "polynomial"]), bad_choices)
    interval = f.draw("interval", st.sampled_from(["bootstrap", "fieller"]), bad_choices)
    method = f.draw("method", st.sampled_from(["percentile", "bca", "studentized"]), bad_choices)
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(
        fit.project,
        f.names + ["X", "y"],
        compute,
        error,
        targets,
        models,
        n_resamples=30,
        method=method,
        seed=1,
        threads=1,
        backend=backend,
        interval=interval,
        progress=False,
    )
    if outcome.error is None:
        count = len(fit.projections.check_targets(targets)) * (1 if isinstance(models, str) else len(models))
        assert len(outcome.result.rows) == count
        for row in outcome.result.rows:
            if row["status"] == "ok":
                assert math.isfinite(row["log10_flop"]), row


date_texts = st.lists(
    st.sampled_from(["2020-01-01", "2021-06-30", "1999-12-31", "2010-03", "not a date", "", "2020-13-01"]), max_size=9
)


@examples(0.5)
@given(n=st.integers(0, 12), data=st.data(), as_text=st.booleans())
def test_doubling_time(n, data, as_text):
    f = Faults(data, ["dates", "compute", "breakpoints", "estimate_break", "min_era_points", "backend"])
    dates = f.draw("dates", date_texts) if as_text else f.array("dates", (n,), years, year_ints)
    compute = f.array("compute", (len(dates) if isinstance(dates, (list, np.ndarray)) else n,), positive, positive_ints)
    breakpoints = f.draw(
        "breakpoints", st.one_of(st.none(), st.lists(years, max_size=2)), st.lists(any_float, max_size=3)
    )
    estimate_break = f.draw("estimate_break", st.booleans())
    min_era_points = f.draw("min_era_points", st.integers(2, 5))
    backend = f.draw("backend", backends, bad_backends)
    outcome = attempt(
        fit.doubling_time,
        f.names,
        dates,
        compute,
        breakpoints,
        20,
        seed=2,
        threads=1,
        backend=backend,
        progress=False,
        estimate_break=estimate_break,
        min_era_points=min_era_points,
    )
    if outcome.error is None:
        for era in outcome.result.eras:
            assert np.all(np.isfinite(era.fit.params))
            if era.status.determined:
                assert math.isfinite(era.doubling_months), era


@examples(1.0)
@given(data=st.data())
def test_fieller_ratio(data):
    names = ["numerator", "denominator", "var_numerator", "var_denominator", "covariance", "quantile"]
    f = Faults(data, names)
    values = [f.draw(name, finite_float, st.one_of(any_float, odd_scalars)) for name in names]
    outcome = attempt(fit.fieller_ratio, names, *values)
    if outcome.error is None:
        interval = outcome.result
        assert not (math.isnan(interval.low) or math.isnan(interval.high)), interval
        if interval.kind == "bounded":
            assert math.isfinite(interval.low) and math.isfinite(interval.high) and interval.low <= interval.high


@examples(0.5)
@given(n=st.integers(0, 14), data=st.data())
def test_chow_test(n, data):
    f = Faults(data, ["t", "y", "break_year"])
    t, y = f.array("t", (n,), years, year_ints), f.array("y", (n,))
    break_year = f.draw("break_year", years, st.one_of(any_float, odd_scalars))
    outcome = attempt(fit.chow_test, f.names, t, y, break_year)
    assert_finite_or_flagged(outcome)


@examples(0.5)
@given(n=st.integers(0, 3), data=st.data(), scalar=st.booleans())
def test_cost_conversions(n, data, scalar):
    which = data.draw(st.sampled_from(["usd_for_flop", "co2_tonnes_for_flop", "nyc_months"]), "function")
    name = "co2_tonnes" if which == "nyc_months" else "flop"
    f = Faults(data, [name])
    amount = f.draw(name, positive, st.one_of(any_float, odd_scalars)) if scalar else f.array(name, (n,), positive)
    outcome = attempt(getattr(fit, which), [name], amount)
    assert_finite_or_flagged(outcome)


def test_fieller_projection_of_a_flat_trend_gives_a_status_not_a_numpy_warning():
    # finding: log10(error) is constant, so the polynomial slope is exactly 0 and the point estimate
    # (log10 0.5 - a) / b was 0/0, with numpy's bare "invalid value encountered in divide"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit.project([1, 1, 0.5], [0.5, 0.5, 0.5], 0.5, interval="fieller")
    assert {record.category for record in caught} == {exceptions.ConstantResponseWarning}
    polynomial = result.rows[0]
    assert polynomial["model"] == "polynomial" and polynomial["slope"] == 0.0
    assert polynomial["status"] == "wrong sign" and polynomial["log10_flop"] is None
    assert polynomial["interval_kind"] == "unbounded"


@pytest.mark.parametrize("scheme", ["wild_hc2", "residual_hc2"])
def test_hc2_residuals_of_a_leverage_one_point_take_no_square_root_of_a_negative(scheme):
    # finding (ci budget 500): x = [0, 95, 0] fits the middle point exactly; its 1 - h rounded to -2.2e-16,
    # and sqrt(1 - h) raised numpy's bare "invalid value encountered in sqrt" before the row was masked
    from computelimits.fit.bootstrap import resampled_residuals

    result = fit.ols([0.0, 95.0, 0.0], [1.0, 5.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        residuals = resampled_residuals(result, scheme)
    # by hand: intercept 2 (the mean of y at x = 0), residuals [-1, 0, 1], leverages [1/2, 1, 1/2];
    # e / sqrt(1 - h) = [-sqrt 2, 0 (masked), sqrt 2], whose mean is already 0 for the residual bootstrap
    assert residuals == pytest.approx([-(2**0.5), 0.0, 2**0.5], rel=1e-15, abs=1e-15)
