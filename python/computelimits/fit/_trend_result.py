"""The results of ``doubling_time``: ``EraTrend`` (one era's doubling time, its intervals and
status) and ``TrendResult`` (the eras, the Chow tests at each break and the estimated break)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from .._confidence import ConfidenceInterval
from .._display import Display, ResultDisplay, Summary, as_html, frame_table
from ..status import Status, describe
from .fieller import FiellerInterval
from .ols import OLSResult
from .regimes import BreakEstimate
from .results import BootstrapResult


@dataclass(frozen=True, repr=False)
class EraTrend(ResultDisplay):
    """One era's fit: ``doubling_months`` with its ``status``, bootstrap (``low``, ``high``) and
    analytic (``analytic``, a ``FiellerInterval``) intervals. Read the number only when
    ``status`` is OK."""

    start: float
    end: float
    points: int
    slope_log2_per_year: float
    doubling_months: float
    low: float
    high: float
    fit: OLSResult = field(compare=False)
    bootstrap: BootstrapResult = field(compare=False)
    status: Status
    analytic: FiellerInterval

    @property
    def confidence_interval(self) -> ConfidenceInterval:
        """The bootstrap interval of the doubling time in months, ``(low, high)``."""
        return ConfidenceInterval(self.low, self.high)

    def describe(self) -> str:
        """ "6.35 months" or the status in words."""
        if self.status is not Status.OK:
            return describe(self.status)
        return f"{self.doubling_months:.3g} months"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "points": self.points,
            "status": self.status.value,
            "slope_log2_per_year": self.slope_log2_per_year,
            "doubling_months": self.doubling_months,
            "low": self.low,
            "high": self.high,
            "analytic_low": self.analytic.low,
            "analytic_high": self.analytic.high,
            "analytic_kind": self.analytic.kind,
            "rsquared": self.fit.rsquared,
        }

    def __repr__(self) -> str:
        if self.status is not Status.OK:
            return f"EraTrend([{self.start:g}, {self.end:g}), n={self.points}, {describe(self.status)})"
        return (
            f"EraTrend([{self.start:g}, {self.end:g}), n={self.points}, doubling {self.doubling_months:.3g} "
            f"months [{self.low:.3g}, {self.high:.3g}])"
        )


@dataclass(frozen=True, repr=False)
class TrendResult(ResultDisplay):
    """Eras, Chow tests at each break (``chow``) and the estimated break (``break_estimate``) if asked."""

    eras: tuple
    confidence_level: float
    method: str
    chow: tuple = ()
    break_estimate: Optional[BreakEstimate] = None

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([era.to_dict() for era in self.eras])

    def to_dict(self) -> Dict[str, Any]:
        return {
            "eras": [era.to_dict() for era in self.eras],
            "confidence_level": self.confidence_level,
            "method": self.method,
            "chow": [test.to_dict() for test in self.chow],
            "break_estimate": None if self.break_estimate is None else self.break_estimate.to_dict(),
        }

    def _display(self) -> Display:
        header, rows, _ = frame_table(self.to_frame())
        facts = (("confidence level", self.confidence_level), ("bootstrap interval", self.method))
        return Display("Compute doubling time by era", facts, header, rows, tuple(self._lines()[1:]))

    def summary(self) -> Summary:
        """The doubling time of each era with its intervals, the Chow tests and the estimated break
        (as text; as HTML, a table of the eras)."""
        return Summary("\n".join(self._lines()), as_html(self._display()))

    def _lines(self) -> list:
        level = f"{self.confidence_level:.0%}"
        lines = [f"Compute doubling time by era ({level} {self.method} bootstrap and analytic t intervals)"]
        for era in self.eras:
            if era.status is Status.OK:
                text = (
                    f"{era.doubling_months:.4g} months, bootstrap [{era.low:.4g}, {era.high:.4g}], "
                    f"analytic {era.analytic.describe()}"
                )
            else:
                text = describe(era.status)
            lines.append(f"  [{era.start:g}, {era.end:g}) n={era.points}: {text}")
        for test in self.chow:
            lines.append(
                f"  Chow test at {test.break_year:.4g}: F({test.df_num}, {test.df_den}) = {test.f_statistic:.4g}, "
                f"p = {test.p_value:.3g}"
            )
        if self.break_estimate is not None:
            b = self.break_estimate
            lines.append(
                f"  estimated break {b.year:.4g}, {level} percentile bootstrap [{b.low:.4g}, {b.high:.4g}] "
                f"({b.candidates} candidate dates, >= {b.min_era_points} points per era)"
            )
        return lines

    def __repr__(self) -> str:
        return "TrendResult(" + "; ".join(repr(era) for era in self.eras) + ")"
