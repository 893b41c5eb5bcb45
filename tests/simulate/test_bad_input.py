"""Bad input gives clear errors naming the argument; divergence is reported, never a silent NaN."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from computelimits.exceptions import ConvergenceWarning, DivergenceWarning
from computelimits.simulate import (
    closed_forms,
    double_descent,
    estimators,
    gradient_descent,
    make_design,
    min_norm,
    ols,
    paper_experiment,
    sgd,
    sgd_scaling,
)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(n=10, p=0), "p must be >= 1"),
        (dict(n=10, p=-3), "p must be >= 1"),
        (dict(n=0, p=5), "n must be >= 1"),
        (dict(n=10, p=5, k=6), "k must be <= p=5"),
        (dict(n=10, p=5, sigma=-1.0), "sigma must be >= 0"),
        (dict(n=10, p=5, sigma=math.nan), "sigma must be finite"),
        (dict(n=10, p=5, signal=math.inf), "signal must be finite"),
        (dict(n=10, p=5, covariance="ar1", rho=1.0), "rho must be in \\(-1, 1\\)"),
        (dict(n=10, p=5, covariance="equicorrelated", rho=-0.1), "rho must be in \\[0, 1\\)"),
        (dict(n=10, p=5, covariance="toeplitz"), "covariance must be one of"),
        (dict(n=10, p=5, backend="fortran"), "backend must be one of"),
    ],
)
def test_make_design_rejects(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_design(seed=1, **kwargs)


def test_type_errors_name_argument():
    with pytest.raises(TypeError, match="n must be an integer"):
        make_design(2.5, 3, seed=1)
    with pytest.raises(TypeError, match="sigma must be a real number"):
        make_design(5, 3, sigma="big", seed=1)


def test_estimators_reject_bad_data():
    X = np.ones((1, 3))
    with pytest.raises(ValueError, match="n >= 2"):
        min_norm(X, np.ones(1))
    X = np.random.default_rng(0).standard_normal((5, 3))
    with pytest.raises(ValueError, match="X must contain only finite values"):
        ols(np.where(X > 1, np.nan, X), np.ones(5))
    with pytest.raises(ValueError, match="X has 5 rows but y has 4"):
        ols(X, np.ones(4))
    with pytest.raises(ValueError, match="ols needs n >= p"):
        ols(X.T, np.ones(3))
    with pytest.raises(ValueError, match=r"rank-deficient|rank deficient"):
        ols(np.column_stack([X[:, 0], X[:, 0]]), np.ones(5), method="cholesky")
    for step in (math.nan, math.inf, -1.0, 0.0):
        with pytest.raises(ValueError, match="step_size"):
            sgd(X, np.ones(5), step_size=step, seed=1)
        with pytest.raises(ValueError, match="step_size"):
            gradient_descent(X, np.ones(5), step_size=step)
    with pytest.raises(ValueError, match="batch_size must be <= 5"):
        sgd(X, np.ones(5), step_size=0.1, batch_size=6, seed=1)
    with pytest.raises(ValueError, match="lambdas"):
        estimators.ridge_path(X, np.ones(5), [-1.0])
    with pytest.raises(ValueError, match="alphas"):
        estimators.lasso_path(X, np.ones(5), [math.nan])
    # Containers and text that numpy cannot read as numbers (found by the fuzz run of CI's hypothesis).
    for bad in ({}, "abc", ["1"], [[0.1, 0.2]]):
        with pytest.raises((TypeError, ValueError), match="lambdas"):
            estimators.ridge_path(X, np.ones(5), bad)
        with pytest.raises((TypeError, ValueError), match="alphas"):
            estimators.lasso_path(X, np.ones(5), bad)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_divergence_is_reported(backend):
    design = make_design(40, 20, seed=3)
    with pytest.warns(DivergenceWarning, match=r"sgd diverged after \d+ epochs with step_size=5"):
        fit = sgd(design.X, design.y, step_size=5.0, epochs=200, seed=1, backend=backend)
    assert fit.diverged and np.all(np.isfinite(fit.coef)) and fit.epochs_run < 200
    with pytest.warns(DivergenceWarning, match="gradient_descent diverged"):
        fit = gradient_descent(design.X, design.y, step_size=50.0, epochs=2000, backend=backend)
    assert fit.diverged and np.all(np.isfinite(fit.coef))
    with pytest.raises(ValueError, match=r"SGD diverged .*step_size=5.0"):
        sgd_scaling((20, 30), p=20, step_size=5.0, epochs=200, reps=2, seed=1, backend=backend)


def test_experiments_reject():
    with pytest.raises(ValueError, match="p must differ from n=30"):
        double_descent(30, [10, 31], 5, seed=1)
    with pytest.raises(ValueError, match="n must be >= 2"):
        double_descent(1, [10], 5, seed=1)
    with pytest.raises(ValueError, match="p must all be >= 1"):
        double_descent(30, [0, 10], 5, seed=1)
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        double_descent(30, [10], 5, seed=1, sigma=-0.5)
    with pytest.raises(ValueError, match="ridge_lambda"):
        double_descent(30, [10], 5, seed=1, ridge_lambda=math.nan)
    for bad in ({}, "abc", [0.1, 0.2], [[0.1]]):
        with pytest.raises((TypeError, ValueError), match="ridge_lambda"):
            double_descent(30, [10, 40, 50], 5, seed=1, ridge_lambda=bad)
    with pytest.raises(ValueError, match="k must be <= p=5"):
        paper_experiment(2, p=5, k=6, sizes=[10, 20], seed=1)
    with pytest.raises(ValueError, match="sizes must be strictly increasing"):
        paper_experiment(2, p=50, sizes=[40, 30], seed=1)
    with pytest.raises(ValueError, match="sizes must all be >= 12"):
        paper_experiment(2, p=50, sizes=[5, 30], seed=1)
    with pytest.raises(ValueError, match="sigma must be finite"):
        paper_experiment(2, p=50, sizes=[20, 30], seed=1, sigma=math.nan)
    with pytest.raises(ValueError, match="reps must be >= 1"):
        paper_experiment(0, seed=1)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        sgd_scaling(seed=-1)
    with pytest.raises(ValueError, match="k must be <= the smallest p=5"):
        sgd_scaling((10, 20), p=5, seed=1)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(-3, 40),
    p=st.integers(-3, 40),
    k=st.integers(-2, 45),
    sigma=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(0.5)),
    rho=st.one_of(st.floats(-2, 2), st.just(math.nan)),
    covariance=st.sampled_from(["isotropic", "equicorrelated", "ar1"]),
)
def test_fuzz_make_design_errors_or_finite(n, p, k, sigma, rho, covariance):
    try:
        design = make_design(n, p, k=k, sigma=sigma, rho=rho, covariance=covariance, seed=2)
    except (ValueError, TypeError):
        return
    assert np.all(np.isfinite(design.X)) and np.all(np.isfinite(design.y))
    assert design.X.shape == (n, p)


@settings(max_examples=40, deadline=None)
@given(
    step=st.floats(allow_nan=True, allow_infinity=True, width=64), batch=st.integers(-1, 8), epochs=st.integers(-1, 5)
)
def test_fuzz_sgd_never_silent_nan(step, batch, epochs):
    design = make_design(8, 5, seed=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = sgd(design.X, design.y, step_size=step, batch_size=batch, epochs=epochs, seed=1)
        except (ValueError, TypeError):
            return
    assert np.all(np.isfinite(fit.coef))
    assert fit.diverged or np.all(np.isfinite(fit.train_loss))
    assert fit.diverged == any(issubclass(w.category, DivergenceWarning) for w in caught)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: paper_experiment(2, p=50, sizes=[20, 30], seed=1, sigma=1e300), ValueError, "sigma must be <= 1e"),
        (lambda: paper_experiment(2, p=50, sizes=[20, 30], seed=1, signal=1e200), ValueError, "signal must be <= 1e"),
        (lambda: double_descent(30, [10, 50], 2, seed=1, sigma=1e200), ValueError, "sigma must be <= 1e"),
        (lambda: double_descent(2**63, [10], 2, seed=1), ValueError, "n must be <= 2147483648"),
        (lambda: double_descent(30, [10, 2**70], 2, seed=1), ValueError, "p must all be <= 2147483648"),
        (lambda: paper_experiment(2, p=50, sizes=[1e19], seed=1), ValueError, "sizes must all be <= 2147483648"),
        (lambda: paper_experiment(2, p=50, sizes=[20.5, 30], seed=1), TypeError, "sizes must hold integers"),
        (lambda: paper_experiment(2, p=50, sizes=["20", "30"], seed=1), TypeError, "sizes must hold integers"),
        (lambda: paper_experiment(2, p=50, sizes=[20, 49], seed=1), ValueError, "sizes must differ from p=50 by at"),
        (lambda: paper_experiment(2, p=50, sizes=[50, 80], seed=1), ValueError, "sizes must differ from p=50 by at"),
        (lambda: paper_experiment(2, p=50, sizes=[20, 51], seed=1), ValueError, "sizes must differ from p=50 by at"),
    ],
)
def test_issue_13_experiment_reproducers_raise_naming_the_argument(call, error, match):
    """Items 9 and 11 and the n = p +- 1 refusal: before, NMSE inf, an errno OverflowError, C-long
    overflow and a size reported as -9223372036854775808."""
    with pytest.raises(error, match=match):
        call()


def test_integral_float_sizes_are_accepted_exactly():
    a = paper_experiment(2, p=30, sizes=[20.0, 40.0], seed=3, threads=1)
    b = paper_experiment(2, p=30, sizes=[20, 40], seed=3, threads=1)
    assert a.nmse.tobytes() == b.nmse.tobytes() and a.sizes.dtype == np.int64


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: closed_forms.ridge_risk_limit(0.5, -1.0, 1.0, 1.0),
            ValueError,
            "ridge_lambda must be finite and >= 0",
        ),
        (lambda: closed_forms.ridge_risk_limit(0.0, 0.1, 1.0, 1.0), ValueError, "gamma must be finite and > 0"),
        (lambda: closed_forms.ridge_risk_limit(math.nan, 0.1, 1.0, 1.0), ValueError, "gamma must be finite and > 0"),
        (lambda: closed_forms.min_norm_risk_limit(0.0, 1.0, 1.0), ValueError, "gamma must be finite and > 0"),
        (lambda: closed_forms.min_norm_risk_limit([0.5, -2.0], 1.0, 1.0), ValueError, "gamma must be finite and > 0"),
        (lambda: closed_forms.optimal_ridge_lambda(math.inf, 1.0, 1.0), ValueError, "gamma must be finite and > 0"),
        (lambda: closed_forms.optimal_ridge_lambda(0.5, 0.0, 1.0), ValueError, "signal must be finite and > 0"),
        (lambda: closed_forms.marchenko_pastur_stieltjes(0.5, 2.0), ValueError, "z must be < 0"),
        (lambda: closed_forms.min_norm_risk(10, 5, -1.0, 1.0), ValueError, "signal must be finite and >= 0"),
        (lambda: closed_forms.min_norm_risk(10, 0, 1.0, 1.0), ValueError, "p must be finite and >= 1"),
        (lambda: closed_forms.min_norm_risk(10, 5, 1.0, 1e200), OverflowError, "sigma\\*\\*2 overflows"),
        (lambda: closed_forms.ridge_risk_limit(0.5, 0.1, 1.0, "1"), TypeError, "sigma must hold real numbers"),
    ],
)
def test_closed_forms_reject_out_of_domain_arguments(call, error, match):
    """Item 14: a negative lambda was treated as 0, gamma = 0 raised ZeroDivisionError, gamma = NaN gave inf."""
    with pytest.raises(error, match=match):
        call()


def test_closed_forms_still_give_their_values():
    # lambda = 0 is the min-norm limit; at gamma = 1 both are infinite (a value, not an error)
    assert closed_forms.ridge_risk_limit(0.5, 0.0, 2.0, 1.0) == closed_forms.min_norm_risk_limit(0.5, 2.0, 1.0) == 1.0
    assert closed_forms.min_norm_risk_limit(1.0, 1.0, 1.0) == math.inf
    assert closed_forms.min_norm_risk(10, 10, 1.0, 1.0) == math.inf
    assert closed_forms.min_norm_risk(10, 5, 1.0, 0.5) == pytest.approx(0.25 * 5 / 4)


def test_an_overflowed_simulated_quantity_raises_naming_sigma_and_signal():
    from computelimits.simulate._common import check_finite_result

    check_finite_result(np.array([1.0, 2.0]), "the NMSE", sigma=1.0, signal=2.0)
    with pytest.raises(OverflowError, match=r"the NMSE overflowed float64 for sigma=1e\+100, signal=1e-100"):
        check_finite_result(np.array([1.0, np.inf]), "the NMSE", sigma=1e100, signal=1e-100)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_lasso_that_stops_at_max_sweeps_warns_and_records_it(backend):
    """Item 10: a lasso path stopped by max_sweeps with a KKT residual of ~0.09 returned silently."""
    design = make_design(10, 30, k=3, seed=0)
    with pytest.warns(ConvergenceWarning, match=r"lasso_path did not converge for \d+ of 20 alphas"):
        path = estimators.lasso_path(design.X, design.y, max_sweeps=1, backend=backend)
    assert path.converged[0] and not np.all(path.converged)
    np.testing.assert_array_equal(path.converged, path.kkt_residual <= 1e-10)
    assert path.to_frame()["converged"].tolist() == path.converged.tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        converged = estimators.lasso_path(design.X, design.y, backend=backend)
    assert np.all(converged.converged)


def test_paper_lasso_that_stops_at_max_sweeps_warns():
    with pytest.warns(ConvergenceWarning, match="the lasso did not converge in"):
        result = paper_experiment(2, p=40, sizes=[20, 60], seed=1, lasso_max_sweeps=1, threads=1)
    assert not np.all(result.lasso_converged)
    np.testing.assert_array_equal(result.lasso_converged, result.lasso_kkt <= 1e-8)
