"""Bootstrap result objects, shaped like scipy.stats.bootstrap's BootstrapResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .._confidence import ConfidenceInterval
from .._display import Display, ResultDisplay

__all__ = ["BootstrapResult", "ConfidenceInterval"]


#: The intervals a distribution alone determines (from_distribution, concatenate).
DISTRIBUTION_METHODS = ("percentile", "basic", "bca")


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
    no standard error to studentize with. The resamples are numbers ``first_resample`` ..
    ``first_resample + n_resamples - 1`` of the (seed, b) streams: results over
    consecutive ranges join with :meth:`concatenate`, and :meth:`from_distribution`
    builds a result from resampled values computed elsewhere.
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
    first_resample: int = 0

    @classmethod
    def from_distribution(
        cls,
        names: Any,
        estimate: Any,
        distribution: Any,
        *,
        method: str = "percentile",
        confidence_level: float = 0.95,
        scheme: str = "pairs",
        seed: int = 0,
        first_resample: int = 0,
        jackknife: Optional[Any] = None,
        acceleration: Optional[Any] = None,
        backend: str = "cpp",
        threads=None,
    ) -> BootstrapResult:
        """The result for resampled values already computed: intervals by ``method`` with
        scipy.stats.bootstrap's conventions (``fit.intervals``) and standard errors (ddof=1).

        ``distribution``: (B,) for one statistic (scalar bounds) or (k, B); ``estimate``:
        the statistics on the data, (k,); BCa needs ``jackknife`` (k, n) leave-one-out values
        or the ``acceleration`` (k,) computed from them.
        """
        from .. import _validation
        from .intervals import confidence_bounds, standard_errors

        if method not in DISTRIBUTION_METHODS:
            raise ValueError(
                f"method must be one of {DISTRIBUTION_METHODS} (a studentized interval needs each resample's "
                f"standard error, not only its value), got {method!r}"
            )
        level = _validation.check_real("confidence_level", confidence_level, minimum=0.0, strict_minimum=True)
        if level >= 1.0:
            raise ValueError(f"confidence_level must be < 1, got {level}")
        names = (names,) if isinstance(names, str) else tuple(names)
        values = np.asarray(distribution, dtype=np.float64)
        if values.ndim not in (1, 2) or values.shape[-1] < 1:
            raise ValueError(f"distribution must be (B,) or (k, B) with B >= 1, got shape {values.shape}")
        rows = np.atleast_2d(values)
        estimates = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
        if not len(names) == rows.shape[0] == estimates.size:
            raise ValueError(
                f"names, estimate and distribution must describe the same statistics, got {len(names)} names, "
                f"{estimates.size} estimates and {rows.shape[0]} distribution rows"
            )
        low, high, z0, a = confidence_bounds(
            rows, estimates, method, level, jackknife, backend, threads, acceleration=acceleration
        )
        standard_error = standard_errors(rows, backend, threads)
        first_resample = _validation.check_int("first_resample", first_resample, minimum=0, maximum=2**63)
        if values.ndim == 1:
            scalar = lambda v: None if v is None else float(v[0])  # noqa: E731
            return cls(
                names,
                float(estimates[0]),
                ConfidenceInterval(float(low[0]), float(high[0])),
                values,
                float(standard_error[0]),
                method,
                scheme,
                level,
                values.shape[-1],
                seed,
                scalar(z0),
                scalar(a),
                first_resample=first_resample,
            )
        return cls(
            names,
            estimates,
            ConfidenceInterval(low, high),
            values,
            standard_error,
            method,
            scheme,
            level,
            values.shape[-1],
            seed,
            z0,
            a,
            first_resample=first_resample,
        )

    @classmethod
    def concatenate(cls, *results: BootstrapResult, backend: str = "cpp", threads=None) -> BootstrapResult:
        """Join results over consecutive resample ranges of one bootstrap (same data, statistics,
        seed, scheme, method and level): the intervals are recomputed from the joined
        distribution (BCa with the pieces' common acceleration), bit-identical to one run
        over the whole range."""
        if not results:
            raise ValueError("concatenate needs at least one result, got none")
        base = results[0]
        expected = base.first_resample
        for index, result in enumerate(results):
            if not isinstance(result, BootstrapResult):
                raise TypeError(f"results[{index}] must be a BootstrapResult, got {type(result).__name__}")
            for name in ("names", "method", "scheme", "confidence_level", "seed"):
                if getattr(result, name) != getattr(base, name):
                    raise ValueError(f"results to concatenate must share {name}; results[{index}] differs")
            for name in ("estimate", "acceleration"):
                mine, theirs = getattr(result, name), getattr(base, name)
                if (mine is None) != (theirs is None) or (
                    mine is not None and not np.array_equal(mine, theirs, equal_nan=True)
                ):
                    raise ValueError(f"results to concatenate must share {name}; results[{index}] differs")
            if result.first_resample != expected:
                raise ValueError(
                    f"resample ranges must be consecutive: expected results[{index}].first_resample={expected}, "
                    f"got {result.first_resample}"
                )
            expected += result.n_resamples
        return cls.from_distribution(
            base.names,
            base.estimate,
            np.concatenate([np.asarray(r.bootstrap_distribution) for r in results], axis=-1),
            method=base.method,
            confidence_level=base.confidence_level,
            scheme=base.scheme,
            seed=base.seed,
            first_resample=base.first_resample,
            acceleration=base.acceleration,
            backend=backend,
            threads=threads,
        )

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
            "first_resample": self.first_resample,
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
            self.first_resample,
        )

    def __repr__(self) -> str:
        rows = self._rows()
        parts = ", ".join(
            f"{name}={est:.6g} [{lo:.6g}, {hi:.6g}]"
            for name, est, lo, hi in zip(self.names, rows["estimate"], rows["low"], rows["high"])
        )
        return f"BootstrapResult({parts}; {self.method}, {self.scheme}, B={self.n_resamples})"
