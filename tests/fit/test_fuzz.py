"""Fuzzing: arbitrary inputs either fit or raise ValueError/TypeError, never crash or return silent NaN."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from computelimits.fit import bootstrap_ols, fit_compute_error, ols

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64), st.sampled_from([0.0, -1.0, 1e-300, 1e300])
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(values, values), min_size=0, max_size=8))
def test_fit_compute_error_fuzz(points):
    compute = [c for c, _ in points]
    error = [e for _, e in points]
    try:
        result = fit_compute_error(compute, error)
    except ValueError as problem:
        assert str(problem)
        return
    assert np.all(np.isfinite(result.fit.params))


@pytest.mark.filterwarnings("ignore:The bootstrap confidence interval cannot be calculated")
@pytest.mark.filterwarnings("ignore::computelimits.exceptions.ConstantResponseWarning")  # constant y: R^2 is NaN
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=0, max_size=7),
    st.sampled_from(["pairs", "residual", "wild", "poisson"]),
    st.sampled_from(["cpp", "numpy"]),
)
def test_bootstrap_ols_fuzz(points, scheme, backend):
    x = [a for a, _ in points]
    y = [b for _, b in points]
    try:
        result = bootstrap_ols(x, y, 50, scheme=scheme, method="percentile", seed=1, backend=backend)
    except ValueError as problem:
        assert str(problem)
        return
    except Warning:  # pragma: no cover - warnings are not errors here
        return
    assert result.bootstrap_distribution.shape == (3, 50)


@pytest.mark.parametrize("bad", [["a", "b", "c"], [[1.0, 2.0], [3.0]], None])
def test_ols_rejects_non_numeric(bad):
    with pytest.raises((TypeError, ValueError)):
        ols(bad, [1.0, 2.0, 3.0])
