"""Compute-versus-error regressions, bootstrap intervals, projections and trends.

- ``ols``: least squares by Householder QR (statsmodels-like ``OLSResult``).
- ``bootstrap_ols`` / ``bootstrap_fit`` / ``bootstrap``: streaming bootstrap
  (pairs, residual, wild, Poisson) with percentile, basic and BCa intervals.
- ``fit_compute_error``: the paper's polynomial and exponential models.
- ``project``: compute, dollars and CO2 needed to reach target errors.
- ``doubling_time``: log2(compute) against publication date.
- ``scaling_law``: Chinchilla-type fits of loss against parameters and tokens.

Every compute function takes ``backend="cpp"`` or ``backend="numpy"``.
"""

from .bootstrap import bootstrap, bootstrap_fit, bootstrap_ols, jackknife_coefficients
from .intervals import jackknife_acceleration
from .models import ComputeErrorFit, fit_compute_error, frontier_mask, halving_log10_multiplier, target_log10_compute
from .ols import OLSResult, ols
from .projections import ProjectionResult, co2_tonnes_for_flop, nyc_months, project, usd_for_flop
from .results import BootstrapResult, ConfidenceInterval
from .scaling_law import ScalingLawResult, scaling_law
from .trends import TrendResult, decimal_year, doubling_months, doubling_time

__all__ = [
    "BootstrapResult",
    "ComputeErrorFit",
    "ConfidenceInterval",
    "OLSResult",
    "ProjectionResult",
    "ScalingLawResult",
    "TrendResult",
    "bootstrap",
    "bootstrap_fit",
    "bootstrap_ols",
    "co2_tonnes_for_flop",
    "decimal_year",
    "doubling_months",
    "doubling_time",
    "fit_compute_error",
    "frontier_mask",
    "halving_log10_multiplier",
    "jackknife_acceleration",
    "jackknife_coefficients",
    "nyc_months",
    "ols",
    "project",
    "scaling_law",
    "target_log10_compute",
    "usd_for_flop",
]
