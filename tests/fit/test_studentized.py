"""Leverage-adjusted schemes, per-resample covariances and bootstrap-t intervals; the scale-free
rank test (issue 13 item 1); the scheme and covariance-kind registries."""

import numpy as np
import pytest

from computelimits import _core, _random
from computelimits.fit import _numpy_twin, _studentize, bootstrap, bootstrap_fit, bootstrap_ols, ols
from computelimits.fit.bootstrap import SCHEMES, kernel_scheme, resample_coefficients, resampled_residuals
from computelimits.fit.intervals import studentized_bounds

SM = pytest.importorskip("statsmodels.api")


def _data(n=30, seed=5, hetero=True):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 4, size=n)
    return x, 1.5 + 0.8 * x + rng.normal(size=n) * (0.3 + x if hetero else 1.0)


def test_registries_agree_with_the_compiled_enums():
    assert list(_core.fit.Scheme.__members__) == list(_numpy_twin.KERNEL_SCHEMES)
    assert list(_core.fit.CovarianceKind.__members__) == list(_numpy_twin.COVARIANCE_KINDS)
    assert set(_studentize.SCHEME_COVARIANCE) == set(SCHEMES)
    assert set(_studentize.SCHEME_COVARIANCE.values()) <= set(_numpy_twin.COVARIANCE_KINDS)
    for scheme in SCHEMES:
        for weights in ("rademacher", "mammen"):
            assert kernel_scheme(scheme, weights) in _numpy_twin.KERNEL_SCHEMES
    with pytest.raises(TypeError):  # the binding takes the enum, not a magic integer
        y = _data()[1][:3]
        _core.fit.bootstrap_ols(np.ones((3, 1)), y, y, y, 0, 0, True, 1, 0, 5, 1)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("scale", [1e7, 2.0**40, 1e-9])
def test_rank_test_is_scale_free(backend, scale):
    """Item 1: bootstrap_ols(x * 1e7, y) gave NaN intervals (pivot^2 against the unscaled X'WX)."""
    x, y = _data(n=20, hetero=False)
    kwargs = dict(n_resamples=400, method="bca", seed=3, backend=backend)
    reference = bootstrap_ols(x, y, **kwargs)
    scaled = bootstrap_ols(x * scale, y, **kwargs)
    assert np.all(np.isfinite(scaled.confidence_interval.low))
    factor = np.array([1.0, 1.0 / scale, 1.0])
    np.testing.assert_allclose(
        scaled.bootstrap_distribution, reference.bootstrap_distribution * factor[:, None], rtol=1e-9
    )
    np.testing.assert_allclose(scaled.confidence_interval.high, reference.confidence_interval.high * factor, rtol=1e-9)
    if scale == 2.0**40:  # powers of two scale exactly
        assert scaled.bootstrap_distribution[1].tobytes() == (reference.bootstrap_distribution[1] / scale).tobytes()


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_raw_flop_compute_bootstraps(backend):
    """Item 1's second reproducer: compute in raw FLOP (1e15 to 1e22)."""
    compute = np.logspace(15, 22, 8)
    errors = np.array([0.3, 0.25, 0.2, 0.18, 0.15, 0.12, 0.1, 0.09])
    result = bootstrap_ols(compute, errors, 500, method="percentile", seed=1, backend=backend)
    in_units = bootstrap_ols(compute / 1e18, errors, 500, method="percentile", seed=1, backend=backend)
    assert np.all(np.isfinite(result.confidence_interval.low))
    np.testing.assert_allclose(result.confidence_interval.low[1] * 1e18, in_units.confidence_interval.low[1], rtol=1e-9)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("weights", ["rademacher", "mammen"])
def test_cpp_and_twin_agree_on_covariances_and_intervals(scheme, weights):
    x, y = _data()
    kwargs = dict(n_resamples=300, scheme=scheme, wild_weights=weights, method="studentized", seed=11)
    cpp = bootstrap_ols(x, y, threads=2, **kwargs)
    twin = bootstrap_ols(x, y, backend="numpy", **kwargs)
    np.testing.assert_allclose(cpp.bootstrap_distribution, twin.bootstrap_distribution, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cpp.confidence_interval.low, twin.confidence_interval.low, rtol=1e-9)
    np.testing.assert_allclose(cpp.confidence_interval.high, twin.confidence_interval.high, rtol=1e-9)
    fit = ols(x, y)
    kind = _studentize.SCHEME_COVARIANCE[scheme]
    a = resample_coefficients(fit, 200, scheme, 4, 2, "cpp", weights, 0, False, kind)
    b = resample_coefficients(fit, 200, scheme, 4, 2, "numpy", weights, 0, False, kind)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-13)
    one = resample_coefficients(fit, 200, scheme, 4, 1, "cpp", weights, 0, False, kind)
    assert one.tobytes() == a.tobytes()


def _explicit_resample(fit, scheme, weights, seed, r):
    """(X*, y*) of resample r, rebuilt from the random streams and the scheme's definition."""
    n = fit.nobs
    if scheme in ("pairs", "poisson"):
        assert scheme == "pairs"
        rows = _numpy_twin.resample_indices(seed, r, 1, n)[0]
        return fit.design[rows], fit.response[rows]
    pool = resampled_residuals(fit, scheme)
    if scheme.startswith("residual"):
        drawn = pool[_numpy_twin.resample_indices(seed, r, 1, n)[0]]
    else:
        u = _random.uniform_matrix(seed, r, 1, 0, n)[0]
        if weights == "rademacher":
            v = np.where(u < 0.5, -1.0, 1.0)
        else:
            v = np.where(u < (np.sqrt(5) + 1) / (2 * np.sqrt(5)), -(np.sqrt(5) - 1) / 2, (np.sqrt(5) + 1) / 2)
        drawn = pool * v
    return fit.design, fit.fittedvalues + drawn


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize(
    "scheme, weights", [("pairs", "rademacher"), ("residual_hc3", "rademacher"), ("wild_hc2", "mammen")]
)
def test_resample_covariances_equal_statsmodels_on_the_explicit_resample(backend, scheme, weights):
    """The kernel's b* and covariance of resample r equal statsmodels' OLS (HC3 or nonrobust) of
    that resample built explicitly: leverage-adjusted residuals e_i / (1 - h_i) or e_i / sqrt(1 - h_i)."""
    x, y = _data(n=18)
    fit = ols(x, y)
    kind = _studentize.SCHEME_COVARIANCE[scheme]
    draws = resample_coefficients(fit, 6, scheme, 21, 1, backend, weights, 0, False, kind)
    covariances = _studentize.covariance_matrices(draws[3:], 2)
    for r in range(6):
        design, response = _explicit_resample(fit, scheme, weights, 21, r)
        theirs = SM.OLS(response, design).fit(cov_type="HC3" if kind == "hc3" else "nonrobust")
        np.testing.assert_allclose(draws[:2, r], theirs.params, rtol=1e-10)
        np.testing.assert_allclose(covariances[r], theirs.cov_params(), rtol=1e-9)


def test_studentized_interval_from_its_definition():
    """[b - q(0.975) se, b - q(0.025) se] with q the quantiles of (b* - b) / se*, se the HC3
    standard error of statsmodels on the data."""
    x, y = _data()
    result = bootstrap_ols(x, y, 2000, method="studentized", seed=8)
    fit = ols(x, y)
    draws = resample_coefficients(fit, 2000, "pairs", 8, 2, "cpp", "rademacher", 0, False, "hc3")
    se_star = np.sqrt(_studentize.covariance_matrices(draws[3:], 2)[:, 1, 1])
    t = (draws[1] - fit.params[1]) / se_star
    se = SM.OLS(y, SM.add_constant(x)).fit(cov_type="HC3").bse[1]
    expected = (fit.params[1] - np.quantile(t, 0.975) * se, fit.params[1] - np.quantile(t, 0.025) * se)
    np.testing.assert_allclose(
        (result.confidence_interval.low[1], result.confidence_interval.high[1]), expected, rtol=1e-12
    )
    assert result.interval_methods == ("studentized", "studentized", "percentile")
    alpha = (1 - 0.95) / 2
    assert np.quantile(result.bootstrap_distribution[2], alpha) == result.confidence_interval.low[2]
    assert "interval" in result.to_frame().columns and result.statistic("x1").interval_methods == ("studentized",)


def test_studentized_bounds_by_hand():
    t = np.array([[-2.0, -1.0, 0.0, 1.0, 3.0]])
    low, high = studentized_bounds(t, [10.0], [2.0], 0.5)
    assert low[0] == 10.0 - np.quantile(t[0], 0.75) * 2.0 and high[0] == 10.0 - np.quantile(t[0], 0.25) * 2.0


def test_derived_statistics_use_the_delta_method():
    """A derived statistic equal to a coefficient gets that coefficient's interval; a ratio's
    standard error matches the analytic gradient's delta method."""
    x, y = _data()
    fit = ols(x, y)
    derived = {"slope": lambda b: b[:, 1], "ratio": lambda b: b[:, 0] / b[:, 1]}
    result = bootstrap_fit(fit, 1000, method="studentized", seed=2, derived=derived)
    assert result.confidence_interval.low[3] == pytest.approx(result.confidence_interval.low[1], rel=1e-8)
    assert result.confidence_interval.high[3] == pytest.approx(result.confidence_interval.high[1], rel=1e-8)
    covariance = _studentize.fit_covariance(fit, "hc3")
    a, b = fit.params
    gradient = np.array([1.0 / b, -a / b**2])
    steps = _studentize.difference_steps(fit.params, np.sqrt(np.diag(covariance)))
    numeric = _studentize.delta_standard_errors(derived["ratio"], fit.params[None, :], covariance[None], steps)[0]
    assert numeric == pytest.approx(np.sqrt(gradient @ covariance @ gradient), rel=1e-8)
    projection = bootstrap_fit(fit, 1000, method="studentized", seed=2, derived=derived, include_coefficients=False)
    assert projection.interval_methods == ("studentized", "studentized")
    np.testing.assert_allclose(projection.confidence_interval.low, result.confidence_interval.low[3:], rtol=1e-12)


def test_mean_studentized_and_hc_scaling_of_residual_schemes():
    data = np.random.default_rng(2).gamma(2.0, size=40)
    result = bootstrap(data, "mean", n_resamples=4000, method="studentized", seed=3)
    assert result.names == ("mean",) and result.confidence_interval.low < data.mean() < result.confidence_interval.high
    stats = pytest.importorskip("scipy.stats")
    theirs = stats.bootstrap((data,), np.mean, n_resamples=4000, method="bca", rng=4)
    assert result.confidence_interval.low == pytest.approx(
        theirs.confidence_interval.low, abs=0.1 * theirs.standard_error
    )
    x, y = _data()
    fit = ols(x, y)
    h = fit.leverage
    np.testing.assert_allclose(resampled_residuals(fit, "wild_hc3"), fit.resid / (1 - h), rtol=1e-14)
    hc2 = fit.resid / np.sqrt(1 - h)
    np.testing.assert_allclose(resampled_residuals(fit, "residual_hc2"), hc2 - hc2.mean(), rtol=1e-12, atol=1e-15)
