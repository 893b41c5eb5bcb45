"""Warning and exception classes raised by computelimits (one place, like ``numpy.exceptions``).

Each area adds its classes here, so users can filter them with
``warnings.filterwarnings("ignore", category=computelimits.exceptions.X)``.
"""

from __future__ import annotations

__all__ = ["ComputeLimitsWarning", "ConvergenceWarning", "ScalingLawConvergenceWarning"]


class ComputeLimitsWarning(UserWarning):
    """Base class of every warning computelimits emits."""


class ConvergenceWarning(ComputeLimitsWarning):
    """An iterative solver stopped at its iteration limit before meeting its tolerance (the result
    records the residual it reached)."""


class ScalingLawConvergenceWarning(ComputeLimitsWarning):
    """No start of a scaling-law fit met a convergence test; the best finite start is returned."""
