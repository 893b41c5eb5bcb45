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
    "FloatRangeWarning",
    "ScalingLawConvergenceWarning",
    "TorchExportFallbackWarning",
    "UncountedOperatorWarning",
    "UncountedParameterWarning",
]


class ComputeLimitsWarning(UserWarning):
    """Base class of every warning computelimits emits."""


class ConstantResponseWarning(ComputeLimitsWarning):
    """The response is constant (total sum of squares 0), so R^2 is undefined and reported as NaN."""


class FloatRangeWarning(ComputeLimitsWarning):
    """A reported quantity (a sum of squares, a covariance) lies outside float64's range and holds inf
    or 0; the quantities computed in scaled form (coefficients, standard errors, R^2) are exact."""


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
