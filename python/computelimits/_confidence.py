"""The confidence interval type and the confidence level check shared by every area."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import _validation


class ConfidenceInterval(NamedTuple):
    """A confidence interval ``(low, high)``, as scipy.stats returns one: it unpacks
    (``low, high = result.confidence_interval``) and has ``.low``/``.high``; floats for one
    statistic, arrays for several."""

    low: Any
    high: Any


def check_confidence_level(value: Any, name: str = "confidence_level") -> float:
    """``value`` as a float in (0, 1), the probability that the interval covers the true value."""
    level = _validation.check_real(name, value, minimum=0.0, strict_minimum=True)
    if level >= 1.0:
        raise ValueError(f"{name} must be < 1 (a probability such as 0.95), got {level}")
    return level
