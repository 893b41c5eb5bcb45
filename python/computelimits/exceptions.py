"""Warning and exception classes raised by computelimits (one place, like ``numpy.exceptions``).

Each area adds its classes here, so users can filter them with
``warnings.filterwarnings("ignore", category=computelimits.exceptions.X)``.
"""

from __future__ import annotations

__all__ = [
    "ComputeLimitsWarning",
    "ScalingLawConvergenceWarning",
    "TorchExportFallbackWarning",
    "UncountedOperatorWarning",
    "UncountedParameterWarning",
]


class ComputeLimitsWarning(UserWarning):
    """Base class of every warning computelimits emits."""


class ScalingLawConvergenceWarning(ComputeLimitsWarning):
    """No start of a scaling-law fit met a convergence test; the best finite start is returned."""


class UncountedOperatorWarning(ComputeLimitsWarning):
    """``flops.from_torch`` met operators the layer catalogue cannot count; the model's ``uncounted`` lists them."""


class UncountedParameterWarning(ComputeLimitsWarning):
    """``flops.from_torch`` could not attribute parameters to a counted layer; ``unattributed_params`` lists them."""


class TorchExportFallbackWarning(ComputeLimitsWarning):
    """``torch.export`` failed, so ``flops.from_torch`` recorded the operators of one dispatched run instead."""
