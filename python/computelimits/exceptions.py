"""Warning and exception classes raised by computelimits (one place, like ``numpy.exceptions``).

Each area adds its classes here, so users can filter them with
``warnings.filterwarnings("ignore", category=computelimits.exceptions.X)``.
"""

from __future__ import annotations

__all__ = [
    "ComputeLimitsWarning",
    "ConstantResponseWarning",
    "ConvergenceWarning",
    "DivergenceWarning",
    "ExactFitWarning",
    "FloatRangeWarning",
    "LeaveOneOutWarning",
    "OneReplicateWarning",
    "ScalingLawConvergenceWarning",
    "TorchExportFallbackWarning",
    "UncountedOperatorWarning",
    "UncountedParameterWarning",
]


class ComputeLimitsWarning(UserWarning):
    """Base class of every warning computelimits emits."""


class ConstantResponseWarning(ComputeLimitsWarning):
    """The response is constant (total sum of squares 0), so R^2 is undefined and reported as NaN."""


class ExactFitWarning(ComputeLimitsWarning):
    """Least squares fitted y exactly (every residual 0): the standard errors are 0, so the t-values are
    infinite (NaN for a zero coefficient) and the p-values 0, as statsmodels reports them."""


class FloatRangeWarning(ComputeLimitsWarning):
    """A reported quantity (a sum of squares, a covariance) lies outside float64's range and holds inf
    or 0; the quantities computed in scaled form (coefficients, standard errors, R^2) are exact."""


class LeaveOneOutWarning(ComputeLimitsWarning):
    """A point has leverage 1, so the fit without it is undetermined: its leave-one-out row is NaN."""


class OneReplicateWarning(ComputeLimitsWarning):
    """A simulation ran one replicate: its standard errors and confidence intervals are NaN (they need
    two or more); concatenate it with other replicate ranges, or run more."""


class ConvergenceWarning(ComputeLimitsWarning):
    """An iterative solver stopped at its iteration limit before meeting its tolerance (the result
    records the residual it reached)."""


class DivergenceWarning(ComputeLimitsWarning):
    """Gradient descent or SGD diverged (the loss became non-finite or grew past 1e100 times its
    start); the result holds the last finite iterate and ``diverged=True``."""


class ScalingLawConvergenceWarning(ConvergenceWarning):
    """No start of a scaling-law fit met a convergence test; the best finite start is returned."""


class UncountedOperatorWarning(ComputeLimitsWarning):
    """``flops.from_torch`` met operators the layer catalogue cannot count; the model's ``uncounted`` lists them."""


class UncountedParameterWarning(ComputeLimitsWarning):
    """``flops.from_torch`` could not attribute parameters to a counted layer; ``unattributed_params`` lists them."""


class TorchExportFallbackWarning(ComputeLimitsWarning):
    """``torch.export`` failed, so ``flops.from_torch`` recorded the operators of one dispatched run instead."""
