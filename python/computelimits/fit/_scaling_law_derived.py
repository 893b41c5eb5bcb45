"""Derived answers of a scaling-law fit (compute-optimal allocation, compute for a loss) and their intervals.

Intervals are bootstrap percentile intervals (``fit.intervals``, scipy's conventions)
of each quantity over the resampled parameter rows. A quantity that a resample cannot
give (an exponent <= 0) makes its interval undetermined; a +inf draw (a target below
that resample's E, a value beyond a float) is kept as +inf and the endpoints it reaches
are +inf, with a status saying why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

import numpy as np

from .._confidence import ConfidenceInterval
from .._display import ResultDisplay
from ..status import Status, describe
from .intervals import confidence_bounds

FLOAT_LOG10_LIMIT = 308.0  # |log10 x| above this does not fit a float


def percentile_intervals(distribution, estimate, level: float, infinite_status: Status):
    """(low, high, interval statuses) of each row of a (k, B) distribution.

    Rows with a NaN or -inf draw are undetermined (NaN, ``WRONG_SIGN``). +inf draws
    sort last: an endpoint whose order statistics (numpy's linear rule at
    (B - 1) p) reach them is +inf with ``infinite_status``.
    """
    distribution = np.atleast_2d(np.asarray(distribution, dtype=np.float64))
    estimate = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
    k, b = distribution.shape
    low, high = np.full(k, np.nan), np.full(k, np.nan)
    statuses = [Status.WRONG_SIGN] * k
    usable = ~(np.isnan(distribution) | np.isneginf(distribution)).any(axis=1)
    if np.any(usable):
        values = distribution[usable]
        infinite = np.isposinf(values)
        finite_top = np.where(infinite, -np.inf, values).max(axis=1, initial=0.0)
        values = np.where(infinite, finite_top[:, None], values)
        lo, hi, _, _ = confidence_bounds(values, np.nan_to_num(estimate[usable]), "percentile", level)
        tail = (1.0 - level) / 2.0
        for probability, endpoint in ((tail, lo), (1.0 - tail, hi)):
            virtual = (b - 1) * probability
            last = math.floor(virtual) + (1 if virtual > math.floor(virtual) else 0)
            endpoint[last >= b - infinite.sum(axis=1)] = np.inf
        low[usable], high[usable] = lo, hi
        for row, index in enumerate(np.flatnonzero(usable)):
            statuses[index] = Status.OK if np.isfinite(hi[row]) and np.isfinite(lo[row]) else infinite_status
    return low, high, statuses


def plain(value):
    """JSON-ready: floats (None for non-finite), lists, strings for statuses."""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


def _from_log10(log10_values) -> Tuple[np.ndarray, Tuple[Status, ...]]:
    """10^x where it fits a float (else NaN with BEYOND_RANGE)."""
    log10_values = np.asarray(log10_values, dtype=np.float64)
    fits = np.abs(log10_values) <= FLOAT_LOG10_LIMIT
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.where(fits, 10.0 ** np.where(fits, log10_values, 0.0), np.nan)
    return values, tuple(Status.OK if f else Status.BEYOND_RANGE for f in fits)


@dataclass(frozen=True, repr=False)
class ComputeOptimal(ResultDisplay):
    """The compute-optimal allocation at each compute C (FLOP), with C = k N D.

    ``log10_params`` = log10 N*, ``log10_tokens`` = log10 D*, ``loss`` = L*(C),
    ``tokens_per_parameter`` = D*/N*; ``params`` and ``tokens`` are 10^log10 where that
    fits a float. Each ``*_interval`` is a ``ConfidenceInterval`` of arrays (None without a
    bootstrap). ``status`` per C: ``WRONG_SIGN`` when the fitted alpha or beta is <= 0,
    ``BEYOND_RANGE`` when L* or D*/N* does not fit a float (then inf). ``interval_status``
    per C: the first of ``WRONG_SIGN`` (a resample with an exponent <= 0) or ``BEYOND_RANGE``
    (an endpoint beyond a float) that any of the four intervals has, else ``OK``.
    """

    compute_flop: np.ndarray
    log10_params: np.ndarray
    log10_tokens: np.ndarray
    loss: np.ndarray
    tokens_per_parameter: np.ndarray
    status: Tuple[Status, ...]
    log10_params_interval: Optional[ConfidenceInterval] = None
    log10_tokens_interval: Optional[ConfidenceInterval] = None
    loss_interval: Optional[ConfidenceInterval] = None
    tokens_per_parameter_interval: Optional[ConfidenceInterval] = None
    interval_status: Tuple[Status, ...] = ()

    @property
    def params(self) -> np.ndarray:
        return _from_log10(self.log10_params)[0]

    @property
    def tokens(self) -> np.ndarray:
        return _from_log10(self.log10_tokens)[0]

    def to_frame(self):
        """One row per compute: the estimates, their interval endpoints and statuses."""
        import pandas as pd

        columns: Dict[str, Any] = {"compute_flop": self.compute_flop}
        for name in ("log10_params", "log10_tokens", "loss", "tokens_per_parameter"):
            columns[name] = getattr(self, name)
            interval = getattr(self, name + "_interval")
            if interval is not None:
                columns[name + "_low"], columns[name + "_high"] = interval.low, interval.high
        columns["status"] = [s.value for s in self.status]
        if self.interval_status:
            columns["interval_status"] = [s.value for s in self.interval_status]
        return pd.DataFrame(columns)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready fields: lists, statuses as words, non-finite numbers as None."""
        return {key: plain(value) for key, value in self.__dict__.items()}

    def __repr__(self) -> str:
        parts = [
            f"C={c:.3g}: N*=10^{p:.3f}, D*=10^{t:.3f}, L*={loss:.4g} ({s.value})"
            for c, p, t, loss, s in zip(self.compute_flop, self.log10_params, self.log10_tokens, self.loss, self.status)
        ]
        return "ComputeOptimal(" + "; ".join(parts) + ")"


@dataclass(frozen=True, repr=False)
class ComputeForLoss(ResultDisplay):
    """The smallest compute (FLOP) whose compute-optimal loss equals each target.

    ``log10_flop`` is the answer in log10; ``flop`` holds 10^log10_flop where the status
    is ``OK`` and NaN elsewhere. ``status``: ``UNREACHABLE`` for a target <= E (the fitted
    irreducible loss; no compute reaches it), ``WRONG_SIGN`` for alpha or beta <= 0,
    ``BEYOND_RANGE`` when the compute does not fit a float. ``unreachable_fraction`` is
    the share of resamples whose E is >= the target; when it passes the upper tail the
    interval is unbounded above (+inf, ``interval_status`` ``UNREACHABLE``).
    """

    target_loss: np.ndarray
    log10_flop: np.ndarray
    flop: np.ndarray
    status: Tuple[Status, ...]
    log10_flop_interval: Optional[ConfidenceInterval] = None
    interval_status: Tuple[Status, ...] = ()
    unreachable_fraction: Optional[np.ndarray] = None

    def describe(self) -> Tuple[str, ...]:
        """Each answer in words: the compute, or why there is none."""
        out = []
        for log10_flop, status in zip(self.log10_flop, self.status):
            out.append(f"10^{log10_flop:.3f} FLOP" if status is Status.OK else describe(status))
        return tuple(out)

    def to_frame(self):
        """One row per target: log10 compute (NaN where undetermined), compute, statuses, interval."""
        import pandas as pd

        columns: Dict[str, Any] = {
            "target_loss": self.target_loss,
            "log10_flop": np.where(
                [s is Status.OK or s is Status.BEYOND_RANGE for s in self.status], self.log10_flop, np.nan
            ),
            "flop": self.flop,
            "status": [s.value for s in self.status],
        }
        if self.log10_flop_interval is not None:
            columns["log10_flop_low"] = self.log10_flop_interval.low
            columns["log10_flop_high"] = self.log10_flop_interval.high
            columns["interval_status"] = [s.value for s in self.interval_status]
            columns["unreachable_fraction"] = self.unreachable_fraction
        return pd.DataFrame(columns)

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready fields: lists, statuses as words, non-finite numbers as None."""
        return {key: plain(value) for key, value in self.__dict__.items()}

    def __repr__(self) -> str:
        parts = [f"L={t:.4g}: {text}" for t, text in zip(self.target_loss, self.describe())]
        return "ComputeForLoss(" + "; ".join(parts) + ")"
