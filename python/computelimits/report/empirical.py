"""The report's empirical sections: regressions per benchmark, projections, the compute trend."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np

from .. import _figures, fit
from ..fit import plots as fit_plots
from ..fit.fieller import constant_over_slope_interval

# Target errors of the paper's Table 2 ("Implications of achieving performance
# benchmarks"), with 3% and 2% added for ImageNet as steps towards 1%.
PAPER_TARGETS: Dict[str, Sequence[float]] = {
    "imagenet": (0.05, 0.03, 0.02, 0.01),
    "mscoco": (0.30, 0.10),
    "squad1_1": (0.02, 0.01),
    "conll2003": (0.02, 0.01),
    "wmt2014_en_fr": (0.30, 0.10),
    "wmt2014_en_de": (0.30, 0.10),
}

# Benchmarks need this many points with compute before a fit is reported.
MINIMUM_POINTS = 5

# The projection figure shows 10^15 to 10^60 FLOP.
PROJECTION_AXIS_RANGE = (15.0, 60.0)


@dataclass(frozen=True)
class BenchmarkFit:
    """One model fitted to one benchmark: bootstrap intervals of slope and R^2, the slope's
    status, the halving multiplier (log10, linear only when determined) and the implied
    exponent e = -1/b of compute against 1/error with Fieller's (t-based) interval and the
    bootstrap interval of b mapped through -1/b (None unless b's interval lies below zero)."""

    benchmark: str
    model: str
    points: int
    slope: float
    slope_low: float
    slope_high: float
    intercept: float
    rsquared: float
    rsquared_low: float
    rsquared_high: float
    status: str
    log10_halving_multiplier: float
    halving_multiplier: Optional[float]
    halving_text: str
    exponent: float
    exponent_low: float
    exponent_high: float
    exponent_kind: str
    exponent_bootstrap_low: Optional[float]
    exponent_bootstrap_high: Optional[float]
    figure: Optional[str]

    def to_dict(self) -> Dict[str, object]:
        from dataclasses import asdict

        return asdict(self)


def benchmark_points(frame, benchmark: str, compute_column: str):
    """(compute FLOP, error fraction, labels) of the rows of ``benchmark`` with both figures."""
    rows = frame[(frame["benchmark"] == benchmark)]
    rows = rows[np.isfinite(rows[compute_column].astype(float)) & np.isfinite(rows["error"].astype(float))]
    rows = rows[(rows[compute_column].astype(float) > 0) & (rows["error"].astype(float) > 0)]
    return (rows[compute_column].to_numpy(float), rows["error"].to_numpy(float), rows["model"].astype(str).tolist())


def fit_benchmarks(
    frame, compute_column: str, figures: Path, *, n_resamples: int, seed: int, threads, progress, executor=None
) -> List[BenchmarkFit]:
    """Polynomial and exponential fits, BCa pairs-bootstrap intervals and one figure per benchmark."""
    results = []
    for benchmark in PAPER_TARGETS:
        compute, error, labels = benchmark_points(frame, benchmark, compute_column)
        if len(compute) < MINIMUM_POINTS or np.ptp(np.log10(compute)) == 0:
            continue
        figure_name = f"fit_{benchmark}.png"
        panels = []
        for model in fit.models.MODELS:
            result = fit.fit_compute_error(compute, error, model=model)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                boot = fit.bootstrap_fit(
                    result.fit, n_resamples, "pairs", "bca", 0.95, seed, threads, progress=progress, executor=executor
                )  # statistics: a, b, R^2 of each resample
            panels.append((model, result, boot))
            low, high = boot.confidence_interval.low, boot.confidence_interval.high
            halving = result.halving()
            exponent = constant_over_slope_interval(result.fit, -1.0)
            bootstrap_bounded = bool(high[1] < 0)  # b's interval below zero: -1/b maps it to a bounded one
            results.append(
                BenchmarkFit(
                    benchmark,
                    model,
                    len(compute),
                    result.slope,
                    float(low[1]),
                    float(high[1]),
                    result.intercept,
                    result.rsquared,
                    float(low[-1]),
                    float(high[-1]),
                    result.status().value,
                    halving.log10_multiplier,
                    halving.multiplier,
                    halving.describe(),
                    -1.0 / result.slope,
                    exponent.low,
                    exponent.high,
                    exponent.kind,
                    -1.0 / float(low[1]) if bootstrap_bounded else None,
                    -1.0 / float(high[1]) if bootstrap_bounded else None,
                    figure_name,
                )
            )
        _figures.save_figure(benchmark_figure(benchmark, panels, labels), figures / figure_name)
    return results


def benchmark_figure(benchmark: str, panels, labels: Sequence[str]):
    """One panel per (model, fit, bootstrap) on one shared compute axis (the range that shows
    every panel's data and target reaches), frontier points labelled without overlaps."""
    targets = PAPER_TARGETS.get(benchmark, ())
    figure, axes = _figures.new_figure(len(panels), width=_figures.MAX_WIDTH_INCHES, height=4.2)
    axes = np.atleast_1d(axes)
    shared = fit_plots.compute_axis_range([result for _, result, _ in panels], targets)
    for ax, (model, result, boot) in zip(axes, panels):
        fit_plots.plot_compute_error(
            result,
            boot.bootstrap_distribution[:2].T,
            targets=targets,
            title=f"{benchmark}: {model} model",
            ax=ax,
            log10_compute_range=shared,
        )
    _figures.freeze_layout(figure)
    for ax, (_, result, _) in zip(axes, panels):
        fit_plots.label_frontier(ax, result, labels)
    return figure


def project_benchmarks(
    frame, compute_column: str, figures: Path, *, n_resamples: int, seed: int, threads, progress, executor=None
):
    """Compute, USD and CO2 to reach each benchmark's target errors, with BCa intervals."""
    rows = []
    for benchmark, targets in PAPER_TARGETS.items():
        compute, error, _ = benchmark_points(frame, benchmark, compute_column)
        if len(compute) < MINIMUM_POINTS or np.ptp(np.log10(compute)) == 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            projection = fit.project(
                compute,
                error,
                targets,
                n_resamples=n_resamples,
                seed=seed,
                threads=threads,
                benchmark=benchmark,
                progress=progress,
                executor=executor,
            )
        rows += [dict(row) for row in projection.rows]
    figure_name = "projections.png" if rows else None
    if figure_name is not None:
        ax = fit_plots.plot_projections(rows, log10_flop_range=PROJECTION_AXIS_RANGE)
        _figures.save_figure(ax.figure, figures / figure_name)
    return rows, figure_name


@dataclass(frozen=True)
class TrendData:
    """The trend split at 2010 (with Chow's test), the trend at the estimated break, and the data."""

    trend: fit.TrendResult
    estimated: fit.TrendResult
    years: np.ndarray
    compute: np.ndarray
    count: int
    figure: str


def compute_trend(
    epoch_csv: str,
    figures: Path,
    *,
    n_resamples: int,
    seed: int,
    threads,
    progress,
    breakpoints: Sequence[float] = (2010.0,),
    min_era_points: int = 10,
    executor=None,
) -> TrendData:
    """Doubling time of training compute from an Epoch AI table, per era, with BCa and analytic
    intervals, Chow tests, and the least-squares break date with its bootstrap interval."""
    from .. import datasets

    table = datasets.load_epoch(epoch_csv)
    table = table[np.isfinite(table["training_compute_flop"].astype(float)) & table["publication_date"].notna()]
    table = table[table["training_compute_flop"].astype(float) > 0]
    years = fit.decimal_year(table["publication_date"])
    compute = table["training_compute_flop"].to_numpy(float)
    common = dict(n_resamples=n_resamples, seed=seed, threads=threads, progress=progress, executor=executor)
    trend = fit.doubling_time(years, compute, breakpoints=list(breakpoints), **common)
    estimated = fit.doubling_time(years, compute, estimate_break=True, min_era_points=min_era_points, **common)
    ax = fit_plots.plot_compute_trend(years, compute, trend, title="Training compute of ML systems (Epoch AI)")
    _figures.save_figure(ax.figure, figures / "trend.png")
    return TrendData(trend, estimated, years, compute, len(compute), "trend.png")
