"""Figures stay finite when a target error lies absurdly far beyond the data."""

import numpy as np

from computelimits import fit
from computelimits.fit import plots


def test_far_target_does_not_overflow_the_axis():
    compute = np.array([1e18, 1e19, 1e20, 1e21, 1e22])
    error = np.array([0.30, 0.29, 0.29, 0.28, 0.28])  # slope ~ -0.008 decades per decade
    result = fit.fit_compute_error(compute, error)
    far = result.log10_compute_for_error(0.01)
    assert far > 22 + plots.MAX_EXTRAPOLATION_DECADES  # the target is out of drawing range
    ax = plots.plot_compute_error(result, targets=(0.01, 0.25))
    low, high = ax.get_xlim()
    assert np.isfinite(low) and np.isfinite(high) and high < 10.0 ** (22 + plots.MAX_EXTRAPOLATION_DECADES + 2)
    plots._pyplot().close(ax.figure)
