"""What reaching a target error would cost: FLOP, dollars and CO2, with bootstrap CIs.

For each model and target the statistic bootstrapped is the inverse prediction
log10 C* (``models.target_log10_compute``); its interval endpoints map to FLOP,
USD and CO2 monotonically. Conversions (the authors' public site, Thompson et
al. 2020 / computerprogress.com): $1 per 6.874e16 FLOP; 1 lb CO2 per 3.498e17
FLOP; 1 tonne = 2204.62 lb; New York City emits 56.5 Mt CO2 a year, so one
NYC-month = 56.5e6 / 12 t. With ``hardware`` (keyword arguments of
``computelimits.hardware.estimate``, e.g. ``{"processor": "V100",
"utilization": 0.4}``) dollars and CO2 come from the processor's price, power
and the grid intensity instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation
from . import _checks
from .bootstrap import bootstrap_fit
from .models import MODELS, compute_error_data, design_for, target_log10_compute
from .ols import ols

FLOP_PER_USD = 6.874e16
FLOP_PER_LB_CO2 = 3.498e17
LB_PER_TONNE = 2204.62
NYC_MONTH_TONNES_CO2 = 56.5e6 / 12.0


def usd_for_flop(flop):
    """Dollars at the authors' rate, $1 per 6.874e16 FLOP."""
    return np.asarray(flop, dtype=float) / FLOP_PER_USD


def co2_tonnes_for_flop(flop):
    """Tonnes of CO2 at 1 lb per 3.498e17 FLOP and 2204.62 lb per tonne."""
    return np.asarray(flop, dtype=float) / FLOP_PER_LB_CO2 / LB_PER_TONNE


def nyc_months(co2_tonnes):
    """CO2 expressed in months of New York City's emissions (56.5 Mt / 12)."""
    return np.asarray(co2_tonnes, dtype=float) / NYC_MONTH_TONNES_CO2


def _costs(flop: float, hardware: Optional[Dict[str, Any]]):
    if hardware is None:
        usd, tonnes = float(usd_for_flop(flop)), float(co2_tonnes_for_flop(flop))
    else:
        from .. import hardware as hardware_area

        estimate = hardware_area.estimate(flop, **hardware)
        usd, tonnes = estimate.cost_usd, estimate.co2_kg / 1000.0
    return usd, tonnes, float(nyc_months(tonnes))


@dataclass(frozen=True, repr=False)
class ProjectionResult:
    """One row per (model, target error): FLOP, USD, t CO2 and NYC-months with CI bounds."""

    benchmark: Optional[str]
    rows: tuple = field(compare=False)
    confidence_level: float = 0.95
    method: str = "bca"
    n_resamples: int = 0
    seed: int = 0

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
        }

    def row(self, model: str, target_error: float) -> Dict[str, Any]:
        for row in self.rows:
            if row["model"] == model and np.isclose(row["target_error"], target_error):
                return dict(row)
        raise ValueError(f"no row for model={model!r}, target_error={target_error!r}")

    def summary(self) -> str:
        frame = self.to_frame()
        columns = ["model", "target_error", "flop", "flop_low", "flop_high", "usd", "co2_tonnes", "nyc_months"]
        head = (
            f"Projection{' for ' + self.benchmark if self.benchmark else ''} "
            f"({self.confidence_level:.0%} {self.method} CI, B={self.n_resamples})"
        )
        return head + "\n" + frame[columns].to_string(index=False, float_format=lambda v: f"{v:.3g}")

    def __repr__(self) -> str:
        parts = "; ".join(f"{r['model']} {r['target_error']:g}: {r['flop']:.3g} FLOP" for r in self.rows)
        return f"ProjectionResult({self.benchmark or ''} {parts})"


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
    executor: Any = None,
) -> ProjectionResult:
    """Compute (FLOP), dollars and CO2 needed to reach each target error, per model.

    ``compute`` in FLOP, ``error`` and ``targets`` as fractions. Every model is
    bootstrapped with the same seed; the statistic is log10 C* =
    (f(target) - a - c year) / b; the year term only with ``year_covariate=True``
    (``projection_year`` then defaults to the latest fitted year). ``year`` is
    also what ``frontier="year"`` sorts by. ``executor`` runs the resamples
    (:mod:`computelimits.runner`: None for local threads, a
    ``concurrent.futures.Executor`` or a ``dask.distributed.Client``).
    """
    if isinstance(models, str):
        models = (models,)
    for model in models:
        _checks.check_choice("models", model, MODELS)
    targets = [_validation.check_real("targets", t, minimum=0.0, strict_minimum=True) for t in targets]
    if not targets:
        raise ValueError("targets must hold at least one error, got none")
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
        derived = {f"log10_flop@{t:g}": target_log10_compute(t, model, projection_year) for t in targets}
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
        for k, target in enumerate(targets):
            values = {}
            for label, log10_flop in (
                ("", boot.estimate[k]),
                ("_low", boot.confidence_interval.low[k]),
                ("_high", boot.confidence_interval.high[k]),
            ):
                flop = 10.0**log10_flop if np.isfinite(log10_flop) else np.nan
                usd, tonnes, months = _costs(flop, hardware) if np.isfinite(flop) else (np.nan,) * 3
                values.update(
                    {
                        f"log10_flop{label}": float(log10_flop),
                        f"flop{label}": flop,
                        f"usd{label}": usd,
                        f"co2_tonnes{label}": tonnes,
                        f"nyc_months{label}": months,
                    }
                )
            rows.append(
                {
                    "benchmark": benchmark,
                    "model": model,
                    "target_error": target,
                    "slope": float(fit.params[1]),
                    "rsquared": fit.rsquared,
                    "points": int(mask.sum()),
                    **values,
                }
            )
    return ProjectionResult(benchmark, tuple(rows), confidence_level, method, n_resamples, seed)
