"""When the data determine a number derived from a fitted slope: the status rules, and the halving
multiplier that carries its status.

In order: ``WRONG_SIGN`` when the slope b has the wrong sign, ``NOT_SIGNIFICANT`` when b's t
interval includes zero (``slope_status``), ``BEYOND_RANGE`` when the number does not fit a float
(``range_status``), else ``OK``; the linear value is given only when the status is OK and it fits
(``linear_value``). Numbers are kept in log10 so nothing overflows.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any, Dict, Optional

from .._display import ResultDisplay
from ..status import Status, describe
from .fieller import FiellerInterval
from .ols import OLSResult

# log10 of the largest finite float and of the smallest normal one: a number whose
# log10 lies outside [LOG10_FLOAT_MIN, LOG10_FLOAT_MAX] does not fit a float.
LOG10_FLOAT_MAX = math.log10(sys.float_info.max)
LOG10_FLOAT_MIN = math.log10(sys.float_info.min)


def slope_status(fit: OLSResult, confidence_level: float = 0.95, expected_sign: int = -1) -> Status:
    """The status rules for a quantity derived from the slope b = params[1].

    ``WRONG_SIGN`` when b has the wrong sign (b >= 0 where error should fall with compute,
    ``expected_sign=-1``; b <= 0 where compute should grow over time, ``expected_sign=+1``);
    else ``NOT_SIGNIFICANT`` when the t interval b +- t_{df, (1+level)/2} se(b) includes zero;
    else ``OK``.

    Parameters
    ----------
    fit : OLSResult
        A fit whose second coefficient is the slope.
    confidence_level : float, default 0.95
        The level of the slope's t interval.
    expected_sign : {-1, +1}, default -1
        The sign the slope must have.

    Returns
    -------
    Status

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> fit.slope_status(fit.fit_compute_error(10**log10_compute, error).fit)
    <Status.OK: 'ok'>
    """
    slope = float(fit.params[1])
    if not slope * expected_sign > 0:
        return Status.WRONG_SIGN
    low, high = fit.conf_int(1.0 - confidence_level)[1]
    if low <= 0.0 <= high:
        return Status.NOT_SIGNIFICANT
    return Status.OK


def range_status(status: Status, log10_value: Optional[float]) -> Status:
    """``status``, or ``BEYOND_RANGE`` when it is ``OK`` but 10^log10_value does not fit a float."""
    if status is not Status.OK:
        return status
    if log10_value is None or not math.isfinite(log10_value):
        return Status.BEYOND_RANGE
    if not LOG10_FLOAT_MIN <= log10_value <= LOG10_FLOAT_MAX:
        return Status.BEYOND_RANGE
    return Status.OK


def linear_value(log10_value: Optional[float], status: Status = Status.OK) -> Optional[float]:
    """10^log10_value when ``status`` is OK and the number fits a float, else None."""
    if log10_value is None or status is not Status.OK or range_status(Status.OK, log10_value) is not Status.OK:
        return None
    return float(10.0**log10_value)


@dataclass(frozen=True)
class HalvingMultiplier(ResultDisplay):
    """The compute multiplier that halves the error, kept as log10, with its status.

    ``multiplier`` is 10^log10_multiplier only when ``status`` is OK and it fits a float;
    ``interval`` is Fieller's set for log10_multiplier (a constant over the slope).
    """

    log10_multiplier: float
    status: Status
    interval: FiellerInterval

    @property
    def multiplier(self) -> Optional[float]:
        return linear_value(self.log10_multiplier, self.status)

    def describe(self) -> str:
        """The multiplier as a report prints it: "12,700x", or the status in words."""
        multiplier = self.multiplier
        if multiplier is None:  # status not OK (or not a float)
            return describe(self.status if self.status is not Status.OK else Status.BEYOND_RANGE)
        if multiplier >= 1e6:
            return f"10^{self.log10_multiplier:.2f}x"
        return f"{multiplier:,.0f}x" if multiplier >= 100 else f"{multiplier:.3g}x"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "log10_multiplier": self.log10_multiplier,
            "multiplier": self.multiplier,
            "status": str(self.status),
            "interval_low": self.interval.low,
            "interval_high": self.interval.high,
            "interval_kind": self.interval.kind,
        }
