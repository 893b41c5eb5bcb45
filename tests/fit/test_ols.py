"""OLS by QR against the NIST StRD certified values and statsmodels."""

from pathlib import Path

import numpy as np
import pytest

from computelimits.fit import ols

from .nist_strd import log_relative_error, read_strd

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


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("name", DATASETS)
def test_nist_strd_certified_values(shared_data, name, backend):
    data = read_strd(Path(shared_data) / "nist-strd" / f"{name}.dat")
    result = ols(data.predictors(), data.y, intercept=data.intercept, backend=backend)
    required = 7.0 if name == "Filip" else 9.0
    digits = {
        "params": min(log_relative_error(e, c) for e, c in zip(result.params, data.params)),
        "sd": min(log_relative_error(e, c) for e, c in zip(result.bse, data.sd_params)),
        "residual_sd": log_relative_error(result.residual_sd, data.residual_sd),
        "rsquared": log_relative_error(result.rsquared, data.rsquared),
    }
    assert min(digits.values()) >= required, digits
    assert len(result.params) == len(data.params)


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
