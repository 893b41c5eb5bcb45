"""Bootstrap result objects, shaped like scipy.stats.bootstrap's BootstrapResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .._confidence import ConfidenceInterval
from .._display import Display, ResultDisplay

__all__ = ["BootstrapResult", "ConfidenceInterval"]


@dataclass(frozen=True, repr=False)
class BootstrapResult(ResultDisplay):
    """Bootstrap of one or more statistics.

    ``estimate`` is the statistic on the data, ``confidence_interval`` a
    ``ConfidenceInterval`` (``low, high = result.confidence_interval``, as scipy's),
    ``bootstrap_distribution`` holds the B resampled values
    (shape (B,) for one statistic, (k, B) for several), ``standard_error`` is
    their standard deviation with ddof=1 (as scipy). ``bias_correction`` (z0) and
    ``acceleration`` (a) are set for BCa. ``interval_methods`` (studentized only) names
    the interval of each statistic: "studentized", or "percentile" for R^2, which has
    no standard error to studentize with.
    """

    names: tuple
    estimate: Any
    confidence_interval: ConfidenceInterval
    bootstrap_distribution: np.ndarray = field(compare=False)
    standard_error: Any
    method: str
    scheme: str
    confidence_level: float
    n_resamples: int
    seed: int
    bias_correction: Optional[Any] = None
    acceleration: Optional[Any] = None
    interval_methods: Optional[tuple] = None

    def _rows(self):
        def row(value):
            return np.full(len(self.names), np.nan) if value is None else np.atleast_1d(np.asarray(value, float))

        return {
            "estimate": row(self.estimate),
            "low": row(self.confidence_interval.low),
            "high": row(self.confidence_interval.high),
            "standard_error": row(self.standard_error),
            "bias_correction": row(self.bias_correction),
            "acceleration": row(self.acceleration),
        }

    def to_frame(self):
        """One row per statistic: estimate, low, high, standard_error, z0, a (and the interval's
        method when they differ by statistic)."""
        import pandas as pd

        frame = pd.DataFrame(self._rows(), index=list(self.names))
        if self.interval_methods is not None:
            frame["interval"] = list(self.interval_methods)
        return frame

    def to_dict(self) -> Dict[str, Any]:
        rows = self._rows()
        return {
            "names": list(self.names),
            **{key: value.tolist() for key, value in rows.items()},
            "method": self.method,
            "scheme": self.scheme,
            "confidence_level": self.confidence_level,
            "n_resamples": self.n_resamples,
            "seed": self.seed,
            "interval_methods": None if self.interval_methods is None else list(self.interval_methods),
        }

    def _display(self) -> Display:
        rows = self._rows()
        columns = {"statistic": list(self.names), **{key: rows[key] for key in ("estimate", "low", "high")}}
        columns["standard_error"] = rows["standard_error"]
        for key in ("bias_correction", "acceleration"):
            if not np.all(np.isnan(rows[key])):
                columns[key] = rows[key]
        if self.interval_methods is not None:
            columns["interval"] = list(self.interval_methods)
        return Display(
            "Bootstrap",
            (
                ("scheme", self.scheme),
                ("interval method", self.method),
                ("confidence level", self.confidence_level),
                ("resamples (B)", self.n_resamples),
                ("seed", self.seed),
            ),
            tuple(columns),
            tuple(zip(*columns.values())),
        )

    def statistic(self, name: str) -> BootstrapResult:
        """The single-statistic result for ``name`` (scalar bounds, (B,) distribution)."""
        if name not in self.names:
            raise ValueError(f"name must be one of {self.names}, got {name!r}")
        if len(self.names) == 1:
            return self
        k = self.names.index(name)

        def pick(value):
            return None if value is None else float(np.asarray(value)[k])

        return BootstrapResult(
            (name,),
            pick(self.estimate),
            ConfidenceInterval(pick(self.confidence_interval.low), pick(self.confidence_interval.high)),
            np.asarray(self.bootstrap_distribution)[k],
            pick(self.standard_error),
            self.method,
            self.scheme,
            self.confidence_level,
            self.n_resamples,
            self.seed,
            pick(self.bias_correction),
            pick(self.acceleration),
            None if self.interval_methods is None else (self.interval_methods[k],),
        )

    def __repr__(self) -> str:
        rows = self._rows()
        parts = ", ".join(
            f"{name}={est:.6g} [{lo:.6g}, {hi:.6g}]"
            for name, est, lo, hi in zip(self.names, rows["estimate"], rows["low"], rows["high"])
        )
        return f"BootstrapResult({parts}; {self.method}, {self.scheme}, B={self.n_resamples})"
