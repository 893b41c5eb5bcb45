"""Regression tests for the contract violations the fuzz tests found in simulate (one test per finding, its reproducer)."""

import warnings

import numpy as np
import pytest

from computelimits import exceptions, simulate
from computelimits.simulate import closed_forms


def test_simulate_one_replicate_says_its_spread_is_undefined():
    # reps=1 gave NaN standard errors and confidence intervals without a word
    with pytest.warns(exceptions.OneReplicateWarning, match="reps=1"):
        result = simulate.paper_experiment(reps=1, sizes=[20], p=12, k=1, expert_k=1, seed=0, threads=1, progress=False)
    assert np.isnan(result.to_frame()["performance_se"]).all()


def test_closed_forms_scalar_arguments_and_small_penalties():
    # a list where a number belongs raised "only 0-dimensional arrays can be converted to Python scalars"
    with pytest.raises(TypeError, match="gamma must be a number"):
        closed_forms.marchenko_pastur_stieltjes(-1.0, [1.0])
    with pytest.raises(TypeError, match="signal must be a number"):
        closed_forms.min_norm_risk_limit(2.0, [1.0, 2.0], 1.0)
    # m(z) as 2 / (b + root): z = -1e-300 divided by z * z = 0 (ZeroDivisionError); the old
    # form lost digits to cancellation near 0
    m, dm = closed_forms.marchenko_pastur_stieltjes(-1e-300, 0.5)
    assert (m, dm) == (pytest.approx(2.0, rel=1e-15), pytest.approx(8.0, rel=1e-12))  # 1/(1-g), 1/(1-g)^3
    with pytest.raises(OverflowError, match=r"ridge_lambda=1e-300 with gamma=1\.0"):
        closed_forms.ridge_risk_limit(1.0, 1e-300, 1e300, 0.0)
    # a zero singular value with lambda = 0 gave 0/0 RuntimeWarnings; its limit is bias ||v'beta||^2, no variance
    assert closed_forms.ridge_conditional_risk([[0.0]], [2.0], 0.0, 1.0) == 4.0


def test_marchenko_pastur_transform_against_its_integral():
    # m(z) = int dF(s) / (s - z) over the MP density (gamma < 1), by quadrature (scipy)
    from scipy import integrate

    gamma, z = 0.4, -0.7
    low, high = (1 - gamma**0.5) ** 2, (1 + gamma**0.5) ** 2

    def density(s):
        return ((high - s) * (s - low)) ** 0.5 / (2 * np.pi * gamma * s)

    expected = integrate.quad(lambda s: density(s) / (s - z), low, high)[0]
    derivative = integrate.quad(lambda s: density(s) / (s - z) ** 2, low, high)[0]
    m, dm = closed_forms.marchenko_pastur_stieltjes(z, gamma)
    assert m == pytest.approx(expected, rel=1e-9) and dm == pytest.approx(derivative, rel=1e-9)


def test_simulate_scale_and_rounding_findings():
    # simulate.ols passed on "design column 0 is all zero", naming no argument
    with pytest.raises(ValueError, match=r"^X: design column 0 is all zero"):
        simulate.ols([[0.0], [0.0]], [0.0, 0.0])
    # ||P_null beta||^2 came out -2.2e-16 by rounding: a negative risk
    assert closed_forms.ridge_conditional_risk([[0, 1, 0], [1, 0, 0], [0, 0, 0]], [0, 0, 1], 1e-300, 0.0) >= 0.0
    # replicate means of 1e161 overflowed the SE's squares: SE inf, CI (-inf, inf) with a bare RuntimeWarning
    _, se = simulate._results.mean_se(np.array([[4.45340616e156], [6.90253081e161]]))
    assert np.isfinite(se).all() and se[0] == pytest.approx(
        np.std([4.45340616e-5, 6.90253081], ddof=1) * 1e161 / 2**0.5
    )


def test_closed_forms_overflow_only_where_the_branch_is_used():
    # n = 2^63, p = 1 selects sigma^2 p / (n - p - 1) = 0; the unused branch overflowed with a bare warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert closed_forms.min_norm_risk(2**63, 1, 1e300, 0.0) == 0.0
        assert np.isinf(closed_forms.min_norm_risk(10, [9, 10, 11], 1.0, 1.0)).all()
    assert not [w for w in caught if w.category is RuntimeWarning]
    with pytest.raises(OverflowError, match="sigma=1e"):  # a used branch beyond float64 says so: 10 sigma^2
        closed_forms.min_norm_risk(10, 12, 1.0, 1e154)
    with pytest.raises(OverflowError, match="sigma=1e"):
        closed_forms.lasso_rate(1, 1e10, 1e10, 1e150)


def test_sgd_scaling_refuses_a_noise_scale_that_overflows():
    # sigma = 1.7e308 reached the core, which said "min_norm: y must contain only finite values"
    with pytest.raises(ValueError, match="sigma must be <= 1e"):
        simulate.sgd_scaling([4], p=10, k=1, sigma=1.7e308, reps=2, epochs=1, batch_size=1)


def test_closed_forms_without_noise_are_finite_at_the_interpolation_threshold():
    # sigma = 0: exact recovery for p <= n and the null-space bias signal (1 - n/p) for p > n, so the
    # ridgeless limit at gamma = 1 is 0 (it was inf); with noise the threshold stays infinite
    assert closed_forms.min_norm_risk(10, [9, 10, 11, 12], 2.0, 0.0) == pytest.approx([0.0, 0.0, 2.0 / 11.0, 2.0 / 6.0])
    assert closed_forms.min_norm_risk_limit([0.5, 1.0, 2.0], 2.0, 0.0) == pytest.approx([0.0, 0.0, 1.0])
    assert closed_forms.ridge_risk_limit(1.0, 0.0, 1e300, 0.0) == 0.0
    assert np.isinf(closed_forms.min_norm_risk_limit(1.0, 2.0, 1.0))


def test_optimal_ridge_lambda_overflow_names_signal():
    # sigma^2 gamma / signal with a subnormal signal overflowed with numpy's bare "overflow in scalar divide"
    with pytest.raises(OverflowError, match=r"signal=2\.2"):
        closed_forms.optimal_ridge_lambda(1.0, 2.225073858507e-311, 1.0)


def test_p_beyond_int64_is_refused_by_name():
    # p = 2^63 raised "Python int too large to convert to C long"
    with pytest.raises(ValueError, match="p must be <= 2147483648"):
        simulate.paper_experiment(2, p=2**63, sizes=[3], k=1, expert_k=1)
    with pytest.raises(ValueError, match="p must be <= 2147483648"):
        simulate.sgd_scaling([4], p=2**63, k=1, reps=2, epochs=1, batch_size=1)
    with pytest.raises(ValueError, match="p_per_n must be <= "):
        simulate.sgd_scaling([4], p_per_n=1e300, k=1, reps=2, epochs=1, batch_size=1)


def test_lasso_alpha_max_near_the_float64_limit():
    # X'y summed +-3.4e308 to inf - inf = NaN, a bare matmul warning, and a NaN penalty grid
    X = np.zeros((7, 3))
    X[1, 1], X[6, 1] = -2.0, 2.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cancelling = simulate.estimators.lasso_alpha_max(X, np.array([0, 1.7e308, 0, 0, 0, 0, 1.7e308]))
        adding = simulate.estimators.lasso_alpha_max(X, np.array([0, 1.7e308, 0, 0, 0, 0, -1.7e308]))
    assert not [w for w in caught if w.category is RuntimeWarning]
    assert cancelling == 0.0
    assert adding == pytest.approx(1.7e308 / 7 * 4, rel=1e-15)  # (2 + 2) 1.7e308 / n, computed scaled
    with pytest.raises(OverflowError, match="X and y"):
        simulate.estimators.lasso_alpha_max(X * 1e10, np.array([0, 1.7e308, 0, 0, 0, 0, -1.7e308]))
