"""Regression tests for the contract violations the fuzz tests found (one test per finding, its reproducer)."""

import numpy as np
import pytest

from computelimits import exceptions, fit


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_jackknife_of_a_leverage_one_point_warns(backend):
    # x = [0, 0, 0, 1]: the last point alone fixes the slope; without it the fit is undetermined.
    result = fit.ols([0.0, 0.0, 0.0, 1.0], [1.0, 2.0, 3.0, 5.0])
    with pytest.warns(exceptions.LeaveOneOutWarning, match="point 3 has leverage 1"):
        rows = fit.jackknife_coefficients(result, backend)
    # the other rows refit by hand: intercept = mean of the remaining y at x = 0, slope = 5 - intercept
    assert np.all(np.isnan(rows[3])) and np.allclose(rows[:3], [[2.5, 2.5], [2.0, 3.0], [1.5, 3.5]])


def test_jackknife_checks_its_arguments():
    result = fit.ols([0.0, 1.0, 2.0, 4.0], [1.0, 2.0, 3.0, 5.0])
    with pytest.raises(ValueError, match="backend"):
        fit.jackknife_coefficients(result, "fortran")
    with pytest.raises(TypeError, match="fit must be an OLSResult"):
        fit.jackknife_coefficients({"params": [1.0, 2.0]})
