"""Compute trends: log2(compute) against publication date gives a doubling time.

Model (Sevilla et al. 2022, "Compute Trends Across Three Eras of Machine
Learning"; Amodei and Hernandez 2018): log2(C) = a + b t with t in decimal
years, so compute doubles every 12 / b months. With ``breakpoints`` the dates
are cut into eras [-inf, t1), [t1, t2), ..., [tk, inf) and each era gets its own
independent fit (segments are not forced to join). The interval is the
bootstrap interval of the statistic 12 / b.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from . import _checks
from .bootstrap import bootstrap_fit
from .ols import OLSResult, ols
from .results import BootstrapResult


def decimal_year(dates: Any) -> np.ndarray:
    """Dates as decimal years: year + elapsed fraction of that year. Numbers pass through."""
    values = np.asarray(dates)
    if values.dtype.kind in "iuf":
        return _checks.as_vector("dates", values)
    import pandas as pd

    try:
        stamps = pd.to_datetime(pd.Series(np.asarray(dates, dtype=object)), errors="raise")
    except (ValueError, TypeError) as error:
        raise ValueError(f"dates must be dates or decimal years, got {values[:3]!r}...") from error
    if stamps.isna().any():
        index = int(np.flatnonzero(stamps.isna().to_numpy())[0])
        raise ValueError(f"dates must be valid dates, got {values[index]!r} at index {index}")
    start = pd.to_datetime(stamps.dt.year.astype(str) + "-01-01")
    end = pd.to_datetime((stamps.dt.year + 1).astype(str) + "-01-01")
    return (stamps.dt.year + (stamps - start) / (end - start)).to_numpy(dtype=float)


def doubling_months(params: np.ndarray) -> np.ndarray:
    """12 / b for each row of a coefficient array [a, b]."""
    with np.errstate(divide="ignore"):
        return 12.0 / np.atleast_2d(params)[:, 1]


@dataclass(frozen=True, repr=False)
class EraTrend:
    """One era's fit: ``doubling_months`` with its bootstrap interval."""

    start: float
    end: float
    points: int
    slope_log2_per_year: float
    doubling_months: float
    low: float
    high: float
    fit: OLSResult = field(compare=False)
    bootstrap: BootstrapResult = field(compare=False)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "points": self.points,
            "slope_log2_per_year": self.slope_log2_per_year,
            "doubling_months": self.doubling_months,
            "low": self.low,
            "high": self.high,
            "rsquared": self.fit.rsquared,
        }

    def __repr__(self) -> str:
        return (
            f"EraTrend([{self.start:g}, {self.end:g}), n={self.points}, doubling {self.doubling_months:.3g} "
            f"months [{self.low:.3g}, {self.high:.3g}])"
        )


@dataclass(frozen=True, repr=False)
class TrendResult:
    eras: tuple
    confidence_level: float
    method: str

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([era.to_dict() for era in self.eras])

    def to_dict(self) -> Dict[str, Any]:
        return {
            "eras": [era.to_dict() for era in self.eras],
            "confidence_level": self.confidence_level,
            "method": self.method,
        }

    def summary(self) -> str:
        head = f"Compute doubling time by era ({self.confidence_level:.0%} {self.method} bootstrap CI)"
        return head + "\n" + self.to_frame().to_string(index=False, float_format=lambda v: f"{v:.4g}")

    def __repr__(self) -> str:
        return "TrendResult(" + "; ".join(repr(era) for era in self.eras) + ")"


def doubling_time(
    dates: Any,
    compute: Any,
    breakpoints: Optional[Sequence[float]] = None,
    n_resamples: int = 9999,
    scheme: str = "pairs",
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    progress: Optional[bool] = None,
    executor: Any = None,
) -> TrendResult:
    """Doubling time in months of ``compute`` (FLOP, > 0) over ``dates``, per era.

    ``dates``: datetimes/strings or decimal years. ``breakpoints``: increasing
    decimal years splitting the eras. Each era needs >= 3 points and distinct dates.
    ``executor`` runs the resamples (:mod:`computelimits.runner`: None for local
    threads, a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).
    """
    years = decimal_year(dates)
    compute = _checks.as_positive_vector("compute", compute)
    _checks.check_same_length("dates", years, "compute", compute)
    edges = [] if breakpoints is None else [_validation.check_real("breakpoints", b) for b in breakpoints]
    if any(b2 <= b1 for b1, b2 in zip(edges, edges[1:])):
        raise ValueError(f"breakpoints must be increasing, got {list(edges)}")
    bounds = [-np.inf, *edges, np.inf]
    seed = _validation.resolve_seed(seed)
    eras = []
    for start, end in zip(bounds[:-1], bounds[1:]):
        inside = (years >= start) & (years < end)
        label = f"era [{start:g}, {end:g})"
        _checks.check_enough_points(f"dates in {label}", int(inside.sum()))
        _checks.check_not_constant(f"dates in {label}", years[inside])
        fit = ols(years[inside], np.log2(compute[inside]), backend=backend, names=["const", "year"])
        boot = bootstrap_fit(
            fit,
            n_resamples,
            scheme,
            method,
            confidence_level,
            seed,
            threads,
            backend,
            derived={"doubling_months": doubling_months},
            include_coefficients=False,
            progress=progress,
            executor=executor,
        )
        eras.append(
            EraTrend(
                float(start),
                float(end),
                int(inside.sum()),
                float(fit.params[1]),
                float(boot.estimate[0]),
                float(boot.confidence_interval.low[0]),
                float(boot.confidence_interval.high[0]),
                fit,
                boot,
            )
        )
    return TrendResult(tuple(eras), boot.confidence_level, method)
