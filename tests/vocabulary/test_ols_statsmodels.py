"""OLSResult.cov_params() and conf_int(alpha) against statsmodels on the same data, and the
deprecated array-style use of cov_params."""

import numpy as np
import pytest

from computelimits import fit

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def pair():
    rng = np.random.default_rng(12)
    x = rng.normal(size=(40, 3))
    y = 1.5 + x @ np.array([0.7, -2.0, 0.3]) + rng.normal(scale=0.5, size=40)
    return fit.ols(x, y), sm.OLS(y, sm.add_constant(x)).fit()


def test_cov_params_matches_statsmodels(pair):
    ours, theirs = pair
    np.testing.assert_allclose(ours.cov_params(), theirs.cov_params(), rtol=1e-10)
    assert ours.cov_params().shape == (4, 4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"column": 2},
        {"column": [0, 3]},
        {"r_matrix": [0.0, 1.0, -1.0, 0.0]},
        {"r_matrix": [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]},
        {"r_matrix": [[0.0, 1.0, 0.0, 0.0]], "other": [[1.0, 0.0, 0.0, 2.0]]},
        {"scale": 2.5},
        {"scale": 2.5, "column": [1, 2]},
    ],
)
def test_cov_params_arguments_match_statsmodels(pair, kwargs):
    ours, theirs = pair
    mine = ours.cov_params(**kwargs)
    reference = theirs.cov_params(**{k: np.asarray(v) if isinstance(v, list) else v for k, v in kwargs.items()})
    assert np.shape(mine) == np.shape(reference)
    np.testing.assert_allclose(mine, reference, rtol=1e-10)


def test_cov_params_with_a_given_covariance_matches_statsmodels(pair):
    ours, theirs = pair
    given = np.diag([1.0, 2.0, 3.0, 4.0]) + 0.1
    np.testing.assert_allclose(
        ours.cov_params(cov_p=given, r_matrix=[[1.0, 1.0, 0.0, 0.0]]),
        theirs.cov_params(cov_p=given, r_matrix=np.array([[1.0, 1.0, 0.0, 0.0]])),
        rtol=1e-12,
    )


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01, 0.5])
def test_conf_int_matches_statsmodels(pair, alpha):
    ours, theirs = pair
    interval = ours.conf_int(alpha)
    assert interval.shape == (4, 2)
    np.testing.assert_allclose(interval, theirs.conf_int(alpha), rtol=1e-10)
    np.testing.assert_allclose(ours.conf_int(alpha=alpha), theirs.conf_int(alpha=alpha), rtol=1e-10)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"column": 1, "r_matrix": [0, 1, 0, 0]}, "column must be given without r_matrix"),
        ({"other": [0, 1, 0, 0]}, "other can only be given with r_matrix"),
        ({"column": 7}, "column must be coefficient indices"),
        ({"column": 1.5}, "column must be coefficient indices"),
        ({"r_matrix": [1.0, 2.0]}, "r_matrix must be 1-D or 2-D with 4 columns"),
        ({"cov_p": np.eye(3)}, r"cov_p must have shape \(4, 4\)"),
        ({"scale": -1.0}, "scale must be >= 0"),
    ],
)
def test_cov_params_bad_arguments_name_themselves(pair, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pair[0].cov_params(**kwargs)


def test_cov_params_as_an_array_still_works_and_warns(pair):
    ours, _ = pair
    expected = ours.cov_params()
    uses = {
        "index": lambda c: c[1, 1],
        "numpy function": lambda c: np.diag(c),
        "asarray": lambda c: np.asarray(c),
        "operator": lambda c: c * 2.0,
        "matmul": lambda c: np.ones(4) @ c,
        "attribute": lambda c: c.shape,
        "len": lambda c: len(c),
    }
    reference = {
        "index": expected[1, 1],
        "numpy function": np.diag(expected),
        "asarray": expected,
        "operator": expected * 2.0,
        "matmul": np.ones(4) @ expected,
        "attribute": expected.shape,
        "len": 4,
    }
    for name, use in uses.items():
        with pytest.warns(DeprecationWarning, match=r"OLSResult.cov_params is a method.*call OLSResult.cov_params\(\)"):
            value = use(ours.cov_params)
        np.testing.assert_array_equal(value, reference[name], err_msg=name)


def test_calling_cov_params_does_not_warn(pair, recwarn):
    pair[0].cov_params()
    pair[0].cov_params(column=0)
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_summary_and_to_frame_take_confidence_level(pair):
    ours, _ = pair
    frame = ours.to_frame(confidence_level=0.9)
    np.testing.assert_allclose(frame["ci_low_0.9"], ours.conf_int(0.1)[:, 0], rtol=1e-14)
    assert "90% Student-t intervals" in ours.summary(confidence_level=0.9)


@pytest.mark.parametrize("method", ["to_frame", "summary"])
def test_alpha_in_summary_and_to_frame_is_deprecated(pair, method):
    ours, _ = pair
    with pytest.warns(
        DeprecationWarning, match=rf"OLSResult.{method}\(alpha=...\) is deprecated: use confidence_level"
    ):
        old_keyword = getattr(ours, method)(alpha=0.1)
    with pytest.warns(DeprecationWarning, match="confidence_level"):
        old_positional = getattr(ours, method)(0.1)
    new = getattr(ours, method)(confidence_level=0.9)
    assert str(old_keyword) == str(old_positional) == str(new)
    with pytest.raises(TypeError, match="both confidence_level and its deprecated form alpha"):
        getattr(ours, method)(0.1, confidence_level=0.8)
