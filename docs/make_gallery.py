"""Draw every figure computelimits makes into docs/gallery/ and write docs/gallery.md.

    python docs/make_gallery.py            # from the repository root, with computelimits installed

Each entry of ``GALLERY`` names the function that draws the figure, the command that writes
it, and how the gallery's copy was made (the embedded paper dataset or a seeded simulation,
so the PNGs are the same on every run up to matplotlib's rendering). Figures are drawn at the
package's report size (``computelimits._figures``: 100 dpi, at most 1000 px wide).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 0


@dataclass(frozen=True)
class Entry:
    """One figure: its file name, title, the function that draws it, where the CLI writes it,
    what the gallery's copy shows, and the code that draws it (returning a matplotlib Figure)."""

    name: str
    title: str
    function: str
    command: str
    description: str
    draw: Callable[[], object]


def _imagenet():
    from computelimits import datasets
    from computelimits.report import empirical

    frame = datasets.paper_results("imagenet")
    return empirical.benchmark_points(frame, "imagenet", "hardware_burden_flop")


def _fit_compute_error():
    from computelimits import fit
    from computelimits.fit import plots

    compute, error, labels = _imagenet()
    result = fit.fit_compute_error(compute, error, model="polynomial")
    boot = fit.bootstrap_fit(result.fit, 1999, "pairs", "bca", 0.95, SEED, None, progress=False)
    ax = plots.plot_compute_error(
        result,
        boot.bootstrap_distribution[:2].T,
        targets=(0.05, 0.01),
        labels=labels,
        title="imagenet: polynomial model",
    )
    return ax.figure


def _benchmark_figure():
    from computelimits import fit
    from computelimits.report import empirical

    compute, error, labels = _imagenet()
    panels = []
    for model in fit.models.MODELS:
        result = fit.fit_compute_error(compute, error, model=model)
        boot = fit.bootstrap_fit(result.fit, 1999, "pairs", "bca", 0.95, SEED, None, progress=False)
        panels.append((model, result, boot))
    return empirical.benchmark_figure("imagenet", panels, labels)


def _projections():
    from computelimits import datasets, fit
    from computelimits.fit import plots
    from computelimits.report import empirical

    frame = datasets.paper_results()
    rows: List[dict] = []
    for benchmark, targets in empirical.PAPER_TARGETS.items():
        compute, error, _ = empirical.benchmark_points(frame, benchmark, "hardware_burden_flop")
        if len(compute) < empirical.MINIMUM_POINTS:
            continue
        with warnings.catch_warnings():  # singular resamples: their rows say so, as in the report
            warnings.simplefilter("ignore")
            projection = fit.project(
                compute, error, targets, n_resamples=1999, seed=SEED, benchmark=benchmark, progress=False
            )
        rows += [dict(row) for row in projection.rows]
    return plots.plot_projections(rows, log10_flop_range=empirical.PROJECTION_AXIS_RANGE).figure


def _compute_trend():
    from computelimits import datasets, fit
    from computelimits.fit import plots

    frame = datasets.paper_results()
    frame = frame[np.isfinite(frame["hardware_burden_flop"]) & np.isfinite(frame["year"])]
    years = frame["year"].to_numpy(float) + 0.5  # mid-year: the dataset gives the year only
    compute = frame["hardware_burden_flop"].to_numpy(float)
    trend = fit.doubling_time(years, compute, n_resamples=1999, seed=SEED, progress=False)
    ax = plots.plot_compute_trend(
        years, compute, trend, title="Hardware burden of the embedded paper results", ylabel="hardware burden (FLOP)"
    )
    return ax.figure


def _paper():
    from computelimits import simulate
    from computelimits.simulate import plots

    return plots.paper_figure(simulate.paper_experiment(200, seed=SEED, progress=False))


def _double_descent():
    from computelimits import simulate
    from computelimits.simulate import plots

    n = 100
    p = [10, 20, 30, 50, 70, 85, 95, 105, 120, 150, 200, 300, 500, 800]
    return plots.double_descent_figure(simulate.double_descent(n, p, 200, seed=SEED, progress=False))


def _sgd():
    from computelimits import simulate
    from computelimits.simulate import plots

    return plots.sgd_figure(simulate.sgd_scaling(reps=16, seed=SEED, progress=False))


GALLERY = (
    Entry(
        "fit_compute_error.png",
        "Error against compute, one model",
        "computelimits.fit.plots.plot_compute_error",
        "computelimits fit --benchmark imagenet --target 0.05 0.01",
        "ImageNet top-1 error against hardware burden (the embedded paper dataset), the polynomial model "
        "log10(error) = a + b log10(compute), its 95% percentile band from 1999 pairs-bootstrap resamples and "
        "the target errors as dashed lines. Only the Pareto-frontier models are named, and a name that would "
        "overlap another, the legend or a target's tag is left out.",
        _fit_compute_error,
    ),
    Entry(
        "report_benchmark_imagenet.png",
        "Error against compute, both models (report section 3)",
        "computelimits.report.empirical.benchmark_figure",
        "computelimits reproduce (figures/fit_<benchmark>.png)",
        "The report's figure per benchmark: the polynomial and exponential models side by side on one shared "
        "compute axis, wide enough to show where each model reaches the paper's target errors.",
        _benchmark_figure,
    ),
    Entry(
        "projections.png",
        "What the target errors would cost (report section 4)",
        "computelimits.fit.plots.plot_projections",
        "computelimits reproduce (figures/projections.png)",
        "log10 of the compute each benchmark needs to reach the paper's target errors (Table 2), with 95% BCa "
        "intervals clipped to 10^15-10^60 FLOP. Undetermined projections are hatched and say why; the dotted "
        "line is what $100 billion buys at the authors' $1 per 6.874e16 FLOP.",
        _projections,
    ),
    Entry(
        "compute_trend.png",
        "Compute against publication date (report section 5)",
        "computelimits.fit.plots.plot_compute_trend",
        "computelimits reproduce --epoch-csv FILE (figures/trend.png)",
        "log-compute against date with the fitted doubling time and its 95% BCa interval. The report draws it "
        "from Epoch AI's table, split into eras; the gallery's copy uses the hardware burden of the embedded "
        "paper results (one era, dated mid-year) so that it needs no download.",
        _compute_trend,
    ),
    Entry(
        "simulate_paper.png",
        "The paper's simulation (report section 2)",
        "computelimits.simulate.plots.paper_figure",
        "computelimits simulate paper (simulate-out/paper.png)",
        "Oracle, expert, flexible and lasso models on 1000 candidate features, 10 of them true (200 replicates): "
        "(a) performance -log10(normalized MSE) against the sample size with its 95% band, (b) the FLOPs each "
        "model spends for each performance.",
        _paper,
    ),
    Entry(
        "simulate_double_descent.png",
        "Double descent (report section 2)",
        "computelimits.simulate.plots.double_descent_figure",
        "computelimits simulate double-descent (simulate-out/double_descent.png)",
        "Excess risk of minimum-norm least squares and optimal ridge against p/n at n = 100 (200 replicates, "
        "95% error bars) beside the exact finite-sample expectation (Belkin, Hsu and Xu 2019) and the ridge "
        "limit.",
        _double_descent,
    ),
    Entry(
        "simulate_sgd.png",
        "SGD: compute against accuracy",
        "computelimits.simulate.plots.sgd_figure",
        "computelimits simulate sgd (simulate-out/sgd_scaling.png)",
        "(a) SGD's mean excess risk against its cumulative FLOPs for each sample size (16 replicates); (b) the "
        "least compute that reaches each target excess risk against 1/target, with the fitted exponent or, when "
        "too few targets are reached, the reason in words.",
        _sgd,
    ),
)


def markdown(entries=GALLERY) -> str:
    """docs/gallery.md for ``entries``."""
    lines = [
        "# Gallery",
        "",
        "Every figure computelimits draws, made by `docs/make_gallery.py` (run it from the repository root "
        "to redraw them; seed 0). Each is drawn at the size the report shows it: 100 dpi, at most 1000 px "
        "wide, no text smaller than 8 pt. See [report.md](report.md) for the report they come from.",
        "",
    ]
    for entry in entries:
        lines += [
            f"## {entry.title}",
            "",
            f"![{entry.title}](gallery/{entry.name})",
            "",
            entry.description,
            "",
            f"Drawn by `{entry.function}`; written by `{entry.command}`.",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Redraw docs/gallery/*.png and docs/gallery.md.")
    parser.add_argument("--out", type=Path, default=HERE / "gallery", help="PNG folder (default: docs/gallery)")
    parser.add_argument(
        "--page", type=Path, default=HERE / "gallery.md", help="page to write (default: docs/gallery.md)"
    )
    parser.add_argument("--only", nargs="+", default=None, help="draw only these file names")
    args = parser.parse_args(argv)
    from computelimits import _figures

    args.out.mkdir(parents=True, exist_ok=True)
    for entry in GALLERY:
        if args.only and entry.name not in args.only:
            continue
        path = _figures.save_figure(entry.draw(), args.out / entry.name)
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")
    args.page.write_text(markdown(), encoding="utf-8")
    print(f"wrote {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
