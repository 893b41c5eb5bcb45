"""Compute-versus-error regressions, bootstrap intervals, projections and trends.

- ``ols``: least squares by Householder QR (statsmodels-like ``OLSResult``).
- ``bootstrap_ols`` / ``bootstrap_fit`` / ``bootstrap``: streaming bootstrap
  (pairs, residual, wild, Poisson) with percentile, basic and BCa intervals.
- ``fit_compute_error``: the paper's polynomial and exponential models.
- ``project``: compute, dollars and CO2 needed to reach target errors.
- ``doubling_time``: log2(compute) against publication date.

Every compute function takes ``backend="cpp"`` or ``backend="numpy"``.
"""

from .bootstrap import bootstrap, bootstrap_fit, bootstrap_ols, jackknife_coefficients
from .intervals import jackknife_acceleration
from .ols import OLSResult, ols
from .results import BootstrapResult, ConfidenceInterval

__all__ = ["BootstrapResult", "ConfidenceInterval", "OLSResult", "bootstrap", "bootstrap_fit",
           "bootstrap_ols", "jackknife_acceleration", "jackknife_coefficients", "ols"]
