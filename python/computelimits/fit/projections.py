"""What reaching a target error would cost: FLOP, dollars and CO2, with a status and CIs.

For each model and target the statistic is the inverse prediction log10 C*
(``models.target_log10_compute``), kept in log10 so nothing overflows; its
interval is the bootstrap interval of log10 C* (``interval="bootstrap"``) or
Fieller's set for the ratio (f(target) - a)/b (``interval="fieller"``, see
``fieller``). Every row carries a ``Status`` (``status_rules.slope_status``, then
``status_rules.range_status``): the linear FLOP, USD and CO2 are given only when the
status is OK and the number fits a float. Interval endpoints map to FLOP, USD and
CO2 monotonically. Dollars and CO2 come from ``costs``: the authors' conversions
(Thompson et al. 2020), or with ``hardware`` the processor's price, power and grid.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from .._display import ResultDisplay, Summary, as_html
from ..status import Status, describe
from . import _checks
from .bootstrap import bootstrap_fit
from .costs import (  # noqa: F401  (re-exported: fit.projections.usd_for_flop and the rates keep working)
    FLOP_PER_LB_CO2,
    FLOP_PER_USD,
    LB_PER_TONNE,
    NYC_MONTH_TONNES_CO2,
    co2_tonnes_for_flop,
    log10_costs,
    nyc_months,
    usd_for_flop,
)
from .fieller import inverse_prediction_interval
from .models import MODELS, compute_error_data, design_for, target_log10_compute
from .ols import ols
from .status_rules import linear_value, range_status, slope_status

INTERVALS = ("bootstrap", "fieller")


def _endpoint_values(suffix: str, log10_flop: Optional[float], status: Status, hardware) -> Dict[str, Any]:
    """log10 and linear FLOP, USD, t CO2 and NYC-months of one estimate or interval end."""
    logs = {"log10_flop": log10_flop, **log10_costs(log10_flop, hardware)}
    values = {}
    for key, value in logs.items():
        values[key + suffix] = value
        values[key[len("log10_") :] + suffix] = linear_value(value, status) if value is not None else None
    return values


def _finite_or_none(value: float) -> Optional[float]:
    return float(value) if math.isfinite(value) else None


def _row_interval(kind_source, low: float, high: float):
    """(low, high, kind) of an interval: Fieller's kind, or for a bootstrap interval "bounded" when
    both ends are finite numbers and "undetermined" when the bootstrap could not give one (NaN end:
    a singular resample or a degenerate distribution)."""
    if kind_source is not None:
        return _finite_or_none(kind_source.low), _finite_or_none(kind_source.high), kind_source.kind
    if math.isfinite(low) and math.isfinite(high):
        return float(low), float(high), "bounded"
    return None, None, "undetermined"


def interval_words(row: Dict[str, Any], formatter=lambda v: f"10^{v:.2f}") -> str:
    """A row's log10 FLOP interval in words: "[10^24.2, 10^41.2]", "two-sided infinite: ...", or the status."""
    status = Status(row["status"])
    if status is not Status.OK:
        return describe(status)
    kind, low, high = row["interval_kind"], row["log10_flop_low"], row["log10_flop_high"]
    if kind == "bounded":
        return f"[{formatter(low)}, {formatter(high)}]"
    if kind == "exclusive":
        return f"two-sided infinite: at most {formatter(low)} or at least {formatter(high)}"
    if kind == "undetermined":
        return "undetermined: a bootstrap resample was singular or the distribution degenerate"
    return "unbounded"


@dataclass(frozen=True, repr=False)
class ProjectionResult(ResultDisplay):
    """One row per (model, target error), in the order given: status, log10 and linear FLOP,
    USD, t CO2 and NYC-months, with interval bounds (``_low``/``_high``) and ``interval_kind``."""

    benchmark: Optional[str]
    rows: tuple = field(compare=False)
    confidence_level: float = 0.95
    method: str = "bca"
    n_resamples: int = 0
    seed: int = 0
    interval: str = "bootstrap"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(list(self.rows))

    def to_dict(self) -> Dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "rows": [dict(row) for row in self.rows],
            "confidence_level": self.confidence_level,
            "method": self.method,
            "n_resamples": self.n_resamples,
            "seed": self.seed,
            "interval": self.interval,
        }

    def row(self, model: str, target_error: float) -> Dict[str, Any]:
        """The first row for ``model`` and ``target_error``."""
        for row in self.rows:
            if row["model"] == model and np.isclose(row["target_error"], target_error):
                return dict(row)
        raise ValueError(f"no row for model={model!r}, target_error={target_error!r}")

    def summary(self) -> Summary:
        """A table with log10 FLOP and its interval, or the status in words where undetermined
        (as text; as HTML, the facts and ``to_frame()``)."""
        lines = []
        for row in self.rows:
            status = Status(row["status"])
            value = f"10^{row['log10_flop']:.2f} FLOP" if status is Status.OK else describe(status)
            usd = row["usd"]
            cost = f", ${usd:.3g}" if usd is not None else ""
            bounds = f"; {self.confidence_level:.0%} {self.interval} interval {interval_words(row)}"
            lines.append(
                f"  {row['model']:<11} target {row['target_error']:<8g} {value}{cost}"
                + (bounds if status is Status.OK else "")
            )
        interval = self.interval if self.interval == "fieller" else f"{self.method} bootstrap, B={self.n_resamples}"
        head = f"Projection{' for ' + self.benchmark if self.benchmark else ''} ({interval})"
        return Summary(head + "\n" + "\n".join(lines), as_html(self._display()))

    def __repr__(self) -> str:
        parts = "; ".join(
            f"{r['model']} {r['target_error']:g}: "
            + (f"10^{r['log10_flop']:.3g} FLOP" if r["status"] == Status.OK.value else describe(r["status"]))
            for r in self.rows
        )
        return f"ProjectionResult({self.benchmark or ''} {parts})"


def check_targets(targets: Any) -> list:
    """Target error rates as floats in (0, 1), in the order given; a single number is one target.

    ValueError naming ``targets`` (with a hint when a value looks like a percentage), TypeError
    for strings and non-numbers.
    """
    if isinstance(targets, numbers.Real) or (isinstance(targets, np.ndarray) and targets.ndim == 0):
        targets = [targets]  # one target error given as a number
    if isinstance(targets, (str, bytes)) or not isinstance(targets, Iterable):
        raise TypeError(f"targets must be a target error or a sequence of them, got {targets!r}")
    values = [_validation.check_real("targets", t) for t in targets]
    if not values:
        raise ValueError("targets must hold at least one error, got none")
    for value in values:
        if not 0.0 < value < 1.0:
            hint = f" (a percentage? {value:g}% is {value / 100:g})" if 1.0 < value < 100.0 else ""
            raise ValueError(f"targets must be error rates in (0, 1), got {value:g}{hint}")
    return values


def project(
    compute: Any,
    error: Any,
    targets: Iterable[float],
    models: Sequence[str] = MODELS,
    *,
    year: Any = None,
    projection_year: Optional[float] = None,
    frontier: Optional[str] = None,
    n_resamples: int = 9999,
    scheme: str = "pairs",
    method: str = "bca",
    confidence_level: float = 0.95,
    seed: Optional[int] = None,
    threads=None,
    backend: str = "cpp",
    hardware: Optional[Dict[str, Any]] = None,
    benchmark: Optional[str] = None,
    progress: Optional[bool] = None,
    year_covariate: bool = False,
    interval: str = "bootstrap",
    executor: Any = None,
) -> ProjectionResult:
    """Compute (FLOP), dollars and CO2 needed to reach each target error, per model, with a status.

    ``compute`` in FLOP, ``error`` and ``targets`` as fractions (0 < target < 1;
    duplicates give one row each, in the order given). The estimate is log10 C* =
    (f(target) - a - c year) / b (f = log10 or identity); the year term only with
    ``year_covariate=True`` (``projection_year`` then defaults to the latest fitted
    year; ``year`` is also what ``frontier="year"`` sorts by). ``interval="bootstrap"``:
    every model bootstrapped with the same seed, the interval of log10 C*;
    ``interval="fieller"``: Fieller's (1954) set for the ratio, which may be bounded,
    two-sided infinite (``interval_kind="exclusive"``) or the whole line
    (``"unbounded"``). ``status``: wrong sign (b >= 0), slope not significant (the
    slope's t interval at ``confidence_level`` includes 0), beyond range (C* does not
    fit a float), else ok. Costs: ``usd_for_flop``, ``co2_tonnes_for_flop`` and
    ``nyc_months`` (the authors' rates), or the processor's with ``hardware``. ``executor``
    runs the resamples (:mod:`computelimits.runner`: None for local threads, a
    ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).

    Parameters
    ----------
    compute : array_like
        Compute of each point (FLOP, > 0).
    error : array_like
        Error of each point (a fraction, > 0).
    targets : iterable of float
        Target errors, each in (0, 1).
    models : sequence of {"polynomial", "exponential"}, default both
        The models to fit.
    year : array_like, optional
        Publication years (``frontier="year"``, ``year_covariate``).
    projection_year : float, optional
        The year at which to read a fit with a year term.
    frontier : {None, "year", "compute"}, optional
        Fit the best-so-far points only.
    n_resamples : int, default 9999
        Bootstrap resamples.
    scheme : str, default "pairs"
        The bootstrap scheme (``bootstrap_ols``).
    method : {"percentile", "basic", "bca", "studentized"}, default "bca"
        The bootstrap interval.
    confidence_level : float, default 0.95
        The level of the intervals and of the significance rule.
    seed : int, optional
        The random streams' seed.
    threads : int, optional
        Worker threads (default every core).
    backend : {"cpp", "numpy"}, default "cpp"
        Who computes.
    hardware : dict, optional
        Keyword arguments of ``hardware.estimate`` (e.g. ``{"processor": "A100"}``) to cost
        the compute with a processor's price, power and grid instead of the authors' rates.
    benchmark : str, optional
        A label for the result.
    progress : bool, optional
        Show a progress bar (default: when the run is long).
    year_covariate : bool, default False
        Add the c year term.
    interval : {"bootstrap", "fieller"}, default "bootstrap"
        How the interval of log10 C* is formed.
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``
        (:mod:`computelimits.runner`); the result does not depend on it.

    Returns
    -------
    ProjectionResult
        One row per (model, target): status, log10 and linear FLOP, USD, t CO2 and NYC-months
        with their interval bounds.

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits import fit
    >>> log10_compute = np.arange(18.0, 24.0)
    >>> error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    >>> result = fit.project(10**log10_compute, error, [0.05], ["polynomial"], n_resamples=500, seed=1)
    >>> print(result.summary())
    Projection (bca bootstrap, B=500)
      polynomial  target 0.05     10^42.02 FLOP, $1.53e+25; 95% bootstrap interval [10^39.79, 10^45.30]
    """
    if isinstance(models, str):
        models = (models,)
    if not isinstance(models, Iterable):
        raise TypeError(f"models must be a model name or a sequence of them, got {models!r}")
    models = tuple(models)
    if not models:
        raise ValueError(f"models must name at least one of {MODELS}, got none")
    for model in models:
        _checks.check_choice("models", model, MODELS)
    _checks.check_choice("interval", interval, INTERVALS)
    targets = check_targets(targets)
    if year_covariate and year is None:
        raise ValueError("year_covariate=True needs year, got None")
    compute, error, year, mask = compute_error_data(compute, error, year, frontier)
    covariate = year if year_covariate else None
    if covariate is not None and projection_year is None:
        projection_year = float(np.max(year[mask]))
    if covariate is None:
        projection_year = None
    seed = _validation.resolve_seed(seed)
    rows = []
    for model in models:
        design, response, names = design_for(model, compute, error, covariate, mask)
        fit = ols(design, response, backend=backend, names=names)
        slope_low, slope_high = fit.conf_int(1.0 - confidence_level)[1]
        base_status = slope_status(fit, confidence_level)
        levels = [math.log10(t) if model == "polynomial" else t for t in targets]
        if interval == "bootstrap":
            derived = {
                f"log10_flop[{k}]": target_log10_compute(t, model, projection_year) for k, t in enumerate(targets)
            }
            boot = bootstrap_fit(
                fit,
                n_resamples,
                scheme,
                method,
                confidence_level,
                seed,
                threads,
                backend,
                derived=derived,
                include_coefficients=False,
                progress=progress,
                executor=executor,
            )
            estimates = [float(v) for v in boot.estimate]
            bounds = [
                _row_interval(None, lo, hi)
                for lo, hi in zip(boot.confidence_interval.low, boot.confidence_interval.high)
            ]
        else:
            # a zero slope (status WRONG_SIGN, never OK) makes the point estimate 0/0 or x/0: the row's
            # status says why, so numpy's bare divide warning is not raised on top of it
            with np.errstate(divide="ignore", invalid="ignore"):
                estimates = [
                    float(target_log10_compute(t, model, projection_year)(fit.params[None, :])[0]) for t in targets
                ]
            bounds = [
                _row_interval(inverse_prediction_interval(fit, level, confidence_level, projection_year), 0.0, 0.0)
                for level in levels
            ]
        for target, estimate, (low, high, kind) in zip(targets, estimates, bounds):
            status = range_status(base_status, estimate)
            interval_status = status if kind == "bounded" else Status.NOT_SIGNIFICANT
            rows.append(
                {
                    "benchmark": benchmark,
                    "model": model,
                    "target_error": target,
                    "status": status.value,
                    "slope": float(fit.params[1]),
                    "slope_low": float(slope_low),
                    "slope_high": float(slope_high),
                    "rsquared": fit.rsquared,
                    "points": int(mask.sum()),
                    "interval": interval,
                    "interval_kind": kind,
                    **_endpoint_values("", _finite_or_none(estimate), status, hardware),
                    **_endpoint_values("_low", low, range_status(interval_status, low), hardware),
                    **_endpoint_values("_high", high, range_status(interval_status, high), hardware),
                }
            )
    n_used = n_resamples if interval == "bootstrap" else 0
    return ProjectionResult(benchmark, tuple(rows), confidence_level, method, n_used, seed, interval)
