"""Compute-versus-error regressions, bootstrap intervals, projections and trends.

- ``ols``: least squares by Householder QR (statsmodels-like ``OLSResult``).
- ``bootstrap_ols`` / ``bootstrap_fit`` / ``bootstrap``: streaming bootstrap
  (pairs, residual, wild, Poisson) with percentile, basic and BCa intervals.
- ``fit_compute_error``: the paper's polynomial and exponential models.
- ``project``: compute, dollars and CO2 needed to reach target errors.
- ``doubling_time``: log2(compute) against publication date, eras, Chow tests, break dates.
- ``fieller_ratio`` / ``inverse_prediction_interval``: Fieller's (1954) interval for a ratio.
- ``scaling_law``: Chinchilla-type fits of loss against parameters and tokens.

Derived numbers carry a ``computelimits.status.Status``: read them only when it is OK.

Every compute function takes ``backend="cpp"`` or ``backend="numpy"``.
"""

from .bootstrap import bootstrap_fit, bootstrap_ols
from .bootstrap_mean import bootstrap
from .costs import co2_tonnes_for_flop, nyc_months, usd_for_flop
from .fieller import FiellerInterval, fieller_ratio, inverse_prediction_interval
from .intervals import jackknife_acceleration
from .jackknife import jackknife_coefficients
from .models import ComputeErrorFit, fit_compute_error, frontier_mask, halving_log10_multiplier, target_log10_compute
from .ols import OLSResult, ols
from .projections import ProjectionResult, project
from .regimes import BreakEstimate, ChowTest, chow_test
from .results import BootstrapResult, ConfidenceInterval
from .scaling_law import ScalingLawResult, scaling_law
from .status_rules import HalvingMultiplier, slope_status
from .trends import EraTrend, TrendResult, decimal_year, doubling_months, doubling_time

__all__ = [
    "BootstrapResult",
    "BreakEstimate",
    "ChowTest",
    "ComputeErrorFit",
    "ConfidenceInterval",
    "EraTrend",
    "FiellerInterval",
    "HalvingMultiplier",
    "OLSResult",
    "ProjectionResult",
    "ScalingLawResult",
    "TrendResult",
    "bootstrap",
    "bootstrap_fit",
    "bootstrap_ols",
    "chow_test",
    "co2_tonnes_for_flop",
    "decimal_year",
    "doubling_months",
    "doubling_time",
    "fieller_ratio",
    "fit_compute_error",
    "frontier_mask",
    "halving_log10_multiplier",
    "inverse_prediction_interval",
    "jackknife_acceleration",
    "jackknife_coefficients",
    "nyc_months",
    "ols",
    "project",
    "scaling_law",
    "slope_status",
    "target_log10_compute",
    "usd_for_flop",
]
