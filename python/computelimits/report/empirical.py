"""The report's empirical sections: regressions per benchmark, projections, the compute trend."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np

from .. import fit
from ..fit import plots as fit_plots
from ..fit.fieller import constant_over_slope_interval
from ..status import Status

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
        plt = fit_plots._pyplot()
        figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        for ax, model in zip(axes, fit.models.MODELS):
            result = fit.fit_compute_error(compute, error, model=model)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                boot = fit.bootstrap_fit(
                    result.fit, n_resamples, "pairs", "bca", 0.95, seed, threads, progress=progress, executor=executor
                )  # statistics: a, b, R^2 of each resample
            low, high = boot.confidence_interval.low, boot.confidence_interval.high
            halving = result.halving()
            exponent = constant_over_slope_interval(result.fit, -1.0)
            bootstrap_bounded = bool(high[1] < 0)  # b's interval below zero: -1/b maps it to a bounded one
            fit_plots.plot_compute_error(
                result,
                boot.bootstrap_distribution[:2].T,
                targets=PAPER_TARGETS[benchmark],
                labels=labels,
                title=f"{benchmark}: {model} model",
                ax=ax,
            )
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
        figure.tight_layout()
        figure.savefig(figures / figure_name, dpi=110)
        plt.close(figure)
    return results


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
    if rows:
        _projection_figure(rows, figures / figure_name)
    return rows, figure_name


def _projection_figure(rows, path: Path) -> None:
    """Save ``projection_axes(rows)`` as a PNG."""
    plt = fit_plots._pyplot()
    figure = projection_axes(rows).figure
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def projection_axes(rows):
    """log10 FLOP to reach each target with its interval, on a fixed window of sensible compute.

    Only determined rows (status ok, bounded interval) get a bar; the others get a hatched
    box across the axis labelled with their status in words, so no undetermined interval is drawn.
    """
    from matplotlib.patches import Rectangle

    from ..fit.projections import interval_words
    from ..status import describe

    plt = fit_plots._pyplot()
    _, ax = plt.subplots(figsize=(9, 0.5 + 0.28 * len(rows)))
    left, right = PROJECTION_AXIS_RANGE
    for y, row in enumerate(rows):
        color = "C0" if row["model"] == "polynomial" else "C1"
        status = Status(row["status"])
        if status is not Status.OK:
            ax.add_patch(
                Rectangle((left, y - 0.3), right - left, 0.6, fill=False, hatch="///", edgecolor="0.75", lw=0.5)
            )
            ax.annotate(
                describe(status),
                ((left + right) / 2, y),
                fontsize=6,
                ha="center",
                va="center",
                color="0.3",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
            continue
        centre = row["log10_flop"]
        if row["interval_kind"] == "bounded":
            low = min(max(row["log10_flop_low"], left), right)
            high = min(max(row["log10_flop_high"], left), right)
            ax.plot([low, high], [y, y], color=color, lw=2, alpha=0.6)
        else:
            ax.annotate(interval_words(row), (right, y), fontsize=6, ha="right", va="bottom", color="0.3")
        if left <= centre <= right:
            ax.plot(centre, y, "o", color=color)
        else:
            ax.annotate(f"10^{centre:.0f}", (right, y), fontsize=6, ha="right", va="bottom")
    labels = [f"{r['benchmark']} {r['target_error']:.0%} ({r['model']})" for r in rows]
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlim(left, right)
    ax.set_ylim(len(rows) - 0.5, -1.0)
    ax.set_xlabel("log10 FLOP needed (hardware burden); bars: 95% BCa intervals; hatched: undetermined")
    dollars_100bn = np.log10(fit.projections.FLOP_PER_USD * 1e11)
    ax.axvline(dollars_100bn, color="0.5", ls=":", lw=1)
    ax.annotate("$100 billion", (dollars_100bn, -0.6), fontsize=7, color="0.4")
    return ax


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
    plt = fit_plots._pyplot()
    ax = fit_plots.plot_compute_trend(years, compute, trend, title="Training compute of ML systems (Epoch AI)")
    ax.figure.savefig(figures / "trend.png", dpi=110)
    plt.close(ax.figure)
    return TrendData(trend, estimated, years, compute, len(compute), "trend.png")
