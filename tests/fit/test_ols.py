"""OLS by QR against the NIST StRD certified values and statsmodels."""

from pathlib import Path

import numpy as np
import pytest

from computelimits.exceptions import ConstantResponseWarning, FloatRangeWarning
from computelimits.fit import ols

from .nist_strd import exact_least_squares, log_relative_error, read_strd

DATASETS = [
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
]


@pytest.mark.filterwarnings("ignore::computelimits.exceptions.ExactFitWarning")  # Wampler1 is fitted exactly
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("name", DATASETS)
def test_nist_strd_certified_values(shared_data, name, backend):
    """Polynomial models are fitted with ``degree`` (powers formed in double-double): every
    certified value to >= 9 digits, Filip included (its float64 powers cap it at 7.6, below)."""
    data = read_strd(Path(shared_data) / "nist-strd" / f"{name}.dat")
    if data.degree:
        result = ols(data.x, data.y, intercept=data.intercept, backend=backend, degree=data.degree)
    else:
        result = ols(data.predictors(), data.y, intercept=data.intercept, backend=backend)
    required = 13.0 if name == "Filip" else 9.0
    digits = {
        "params": min(log_relative_error(e, c) for e, c in zip(result.params, data.params)),
        "sd": min(log_relative_error(e, c) for e, c in zip(result.bse, data.sd_params)),
        "residual_sd": log_relative_error(result.residual_sd, data.residual_sd),
        "rsquared": log_relative_error(result.rsquared, data.rsquared),
    }
    assert min(digits.values()) >= required, digits
    assert len(result.params) == len(data.params)


@pytest.mark.filterwarnings("ignore::computelimits.exceptions.ExactFitWarning")  # Wampler1 is fitted exactly
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("name", DATASETS)
def test_nist_strd_exact_solution_of_the_float64_design(shared_data, name, backend):
    """With the design as float64 (Vandermonde columns rounded), the fit equals the exact rational
    least-squares solution of those numbers. For Filip that solution is itself only 7.6 digits from
    the certified values: no float64-input method can do better, hence ``degree``."""
    data = read_strd(Path(shared_data) / "nist-strd" / f"{name}.dat")
    result = ols(data.predictors(), data.y, intercept=data.intercept, backend=backend)
    design = result.design
    exact = exact_least_squares(design, data.y)
    assert min(log_relative_error(e, c) for e, c in zip(result.params, exact)) >= 14.0
    if name == "Filip":
        assert 7.0 < min(log_relative_error(e, c) for e, c in zip(exact, data.params)) < 8.0


def test_degree_builds_exact_powers_and_predicts():
    x = np.linspace(-2.0, 3.0, 12)
    y = 1.0 - 2.0 * x + 0.5 * x**3
    fit = ols(x, y, degree=3)
    assert fit.names == ("const", "x", "x^2", "x^3")
    np.testing.assert_allclose(fit.params, [1.0, -2.0, 0.0, 0.5], atol=1e-13)
    np.testing.assert_allclose(
        fit.predict([0.5, 1.5]), 1.0 - 2.0 * np.array([0.5, 1.5]) + 0.5 * np.array([0.5, 1.5]) ** 3
    )
    with pytest.raises(ValueError, match="X must be a single column with degree=2"):
        ols(np.ones((5, 2)), np.arange(5.0), degree=2)
    with pytest.raises(OverflowError, match=r"X\*\*10 overflows"):
        ols(np.linspace(1e40, 2e40, 20), np.arange(20.0), degree=10)
    with pytest.raises(ValueError, match="degree must be >= 1"):
        ols(x, y, degree=0)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("x_scale, y_scale", [(1e160, 1.0), (1e-170, 1.0), (1.0, 1e160), (1.0, 1e-170), (1e100, 1e160)])
def test_extreme_scales_match_statsmodels_on_unscaled_data(backend, x_scale, y_scale):
    """Columns and y are equilibrated by powers of two: b_j scales as y_scale / x_scale, bse likewise,
    t, p and R^2 not at all. Whatever overflows float64 (ssr ~ y^2, (X'X)^-1 ~ 1/x^2) is flagged."""
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(13)
    x = rng.uniform(1.0, 10.0, size=(30, 2))
    y = 0.3 + x @ [0.5, -1.25] + rng.normal(size=30)
    theirs = sm.OLS(y, sm.add_constant(x)).fit()
    with pytest.warns(FloatRangeWarning) as caught:
        ours = ols(x * x_scale, y * y_scale, backend=backend)
    assert "exact" in str(caught[0].message)
    coefficient_scale = np.array([y_scale, y_scale / x_scale, y_scale / x_scale])
    np.testing.assert_allclose(ours.params / coefficient_scale, theirs.params, rtol=1e-12)
    np.testing.assert_allclose(ours.bse / coefficient_scale, theirs.bse, rtol=1e-12)
    np.testing.assert_allclose(ours.tvalues, theirs.tvalues, rtol=1e-12)
    np.testing.assert_allclose(ours.pvalues, theirs.pvalues, rtol=1e-10)
    assert ours.rsquared == pytest.approx(theirs.rsquared, rel=1e-13)
    assert ours.rsquared_adj == pytest.approx(theirs.rsquared_adj, rel=1e-13)
    assert ours.residual_sd / y_scale == pytest.approx(np.sqrt(theirs.scale), rel=1e-12)
    np.testing.assert_allclose(ours.resid / y_scale, theirs.resid, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.leverage, theirs.get_influence().hat_matrix_diag, rtol=1e-12)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_coefficients_beyond_float64_raise(backend):
    x = np.arange(1.0, 9.0)
    with pytest.raises(OverflowError, match=r"coefficient 1 .* overflows float64"):
        ols(x * 1e-200, (2.0 * x + 1.0) * 1e200, backend=backend)
    with pytest.raises(ValueError, match=r"coefficient 1 .* below float64's normal range"):
        ols(x * 1e200, (2.0 * x + 1.0) * 1e-200, backend=backend)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("intercept", [True, False])
def test_constant_response_warns_and_gives_nan_rsquared(backend, intercept):
    sm = pytest.importorskip("statsmodels.api")
    x = np.arange(1.0, 7.0)
    y = np.full(6, 0.0 if not intercept else 2.5)
    with pytest.warns(ConstantResponseWarning, match="total sum of squares is 0"):
        ours = ols(x, y, intercept=intercept, backend=backend)
    assert np.isnan(ours.rsquared) and np.isnan(ours.rsquared_adj)
    with np.errstate(all="ignore"):
        theirs = sm.OLS(y, sm.add_constant(x) if intercept else x).fit()
        assert not np.isfinite(theirs.rsquared)  # statsmodels: 1 - RSS/0, NaN or -inf as the rounding falls
    np.testing.assert_allclose(ours.params, theirs.params, atol=1e-15)


@pytest.mark.parametrize(
    "x, y, error, match",
    [
        (["1", "2", "3", "4"], [1.0, 2.0, 3.0, 5.0], TypeError, "X must hold real numbers, got <U1"),
        (
            np.array(["1", "2", "3", "4"], dtype=object),
            [1.0, 2.0, 3.0, 5.0],
            TypeError,
            "X must hold real numbers, got '1' \\(str\\)",
        ),
        ([1.0, 2.0, 3.0, 4.0], ["1", "2", "3", "5"], TypeError, "y must hold real numbers"),
        ([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 1j], TypeError, "y must hold real numbers, got complex"),
        ([1.0, 2.0, 3.0, 10**400], [1.0, 2.0, 3.0, 4.0], OverflowError, "X holds a number too large for float64"),
    ],
)
def test_text_and_non_real_data_are_rejected(x, y, error, match):
    with pytest.raises(error, match=match):
        ols(x, y)


@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_matches_statsmodels_on_random_data(backend, intercept):
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 3)) * [1.0, 10.0, 0.1] + [0.0, 5.0, 2.0]
    y = 0.5 + x @ [1.0, -0.2, 3.0] + rng.standard_t(5, size=60)
    ours = ols(x, y, intercept=intercept, backend=backend)
    theirs = sm.OLS(y, sm.add_constant(x) if intercept else x).fit()
    np.testing.assert_allclose(ours.params, theirs.params, rtol=1e-11)
    np.testing.assert_allclose(ours.bse, theirs.bse, rtol=1e-11)
    np.testing.assert_allclose(ours.tvalues, theirs.tvalues, rtol=1e-11)
    np.testing.assert_allclose(ours.pvalues, theirs.pvalues, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(ours.conf_int(0.1), theirs.conf_int(0.1), rtol=1e-11)
    np.testing.assert_allclose(ours.resid, theirs.resid, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.fittedvalues, theirs.fittedvalues, rtol=1e-11)
    assert ours.rsquared == pytest.approx(theirs.rsquared, rel=1e-12)
    assert ours.rsquared_adj == pytest.approx(theirs.rsquared_adj, rel=1e-12)
    assert ours.scale == pytest.approx(theirs.scale, rel=1e-11)
    assert ours.df_resid == theirs.df_resid and ours.nobs == theirs.nobs


def test_backends_agree_and_results_are_readable():
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 10, size=40)
    y = 2.0 - 0.7 * x + rng.normal(size=40)
    a, b = ols(x, y), ols(x, y, backend="numpy")
    np.testing.assert_allclose(a.params, b.params, rtol=1e-13)
    np.testing.assert_allclose(a.leverage, b.leverage, rtol=1e-12)
    # Leverages of a design with an intercept sum to p (trace of the hat matrix).
    assert a.leverage.sum() == pytest.approx(2.0, rel=1e-12)
    assert "const" in repr(a) and "rsquared" in repr(a)
    frame = a.to_frame()
    assert list(frame.index) == ["const", "x1"]
    assert a.to_dict()["nobs"] == 40
    assert "R^2" in a.summary()
    np.testing.assert_allclose(a.predict([[1.0], [2.0]]), a.params[0] + a.params[1] * np.array([1.0, 2.0]))


@pytest.mark.parametrize(
    "bad, match",
    [
        (dict(X=[1.0, np.nan, 3.0, 4.0], y=[1, 2, 3, 4]), r"X must be finite, got nan"),
        (dict(X=[1.0, 2.0, 3.0, 4.0], y=[1, np.inf, 3, 4]), r"y must be finite, got inf"),
        (dict(X=[2.0, 2.0, 2.0, 2.0], y=[1, 2, 3, 4]), r"constant"),
        (dict(X=[1.0, 2.0], y=[1, 2]), r"more observations than parameters"),
        (dict(X=[1.0, 2.0, 3.0], y=[1, 2]), r"same length"),
    ],
)
def test_bad_input_names_argument(bad, match):
    with pytest.raises(ValueError, match=match):
        ols(bad["X"], bad["y"])


def test_collinear_design_is_rejected():
    x = np.arange(10.0)
    with pytest.raises(ValueError, match="rank deficient"):
        ols(np.column_stack([x, 2 * x]), x + 1.0)
    with pytest.raises(TypeError, match="intercept"):
        ols(x, x, intercept="yes")
