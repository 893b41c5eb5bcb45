"""``computelimits reproduce``: Thompson et al. (2020)'s whole analysis as one report.

Sections: (1) compute of canonical models, (2) the theory simulations, (3) error
against compute per benchmark, (4) projections of the compute, dollars and CO2
that target errors would take, (5) the compute trend (with an Epoch AI table).
Writes report.md, report.html, results.json and figures/*.png into ``out``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional

from .. import _validation, runner
from .._display import Display, ResultDisplay
from .._json import json_safe
from .._progress import Progress
from .._units import format_co2_kg, format_count, format_duration, format_usd
from ..status import Status, describe
from . import canonical, empirical, theory
from . import trends as report_trends
from .document import Document, format_flop, format_interval


@dataclass(frozen=True)
class Settings:
    """Sizes of each step; ``QUICK`` trades precision for a run of a few seconds."""

    paper_reps: int
    paper_sizes: Optional[tuple]
    double_descent_n: int
    double_descent_reps: int
    bootstrap_resamples: int
    scaling_n_values: tuple
    scaling_reps: int
    lasso_n_values: tuple
    lasso_reps: int


FULL = Settings(
    paper_reps=1000,
    paper_sizes=None,
    double_descent_n=100,
    double_descent_reps=400,
    bootstrap_resamples=4999,
    scaling_n_values=(50, 100, 200, 400, 800),
    scaling_reps=64,
    lasso_n_values=(200, 400, 800),
    lasso_reps=64,
)
QUICK = Settings(
    paper_reps=20,
    paper_sizes=(20, 40, 80, 160, 320, 640),
    double_descent_n=60,
    double_descent_reps=40,
    bootstrap_resamples=499,
    scaling_n_values=(25, 50, 100, 200),
    scaling_reps=16,
    lasso_n_values=(100, 200, 400),
    lasso_reps=16,
)

# Columns a --data table needs for the regressions and projections.
REQUIRED_DATA_COLUMNS = ("benchmark", "error", "hardware_burden_flop")


@dataclass(frozen=True)
class ReproduceResult(ResultDisplay):
    """Where the report went and every number in it (``results``, as in results.json)."""

    out: Path
    report_markdown: Path
    report_html: Path
    results_json: Path
    figures: tuple
    results: Dict[str, Any]
    seconds: float

    def _display(self) -> Display:
        facts = (
            ("report (HTML)", str(self.report_html)),
            ("report (Markdown)", str(self.report_markdown)),
            ("numbers (JSON)", str(self.results_json)),
            ("figures", f"{len(self.figures)} in {self.out / 'figures'}"),
            ("seed", self.results.get("seed")),
            ("ran on", self.results.get("ran_on")),
            ("took", format_duration(self.seconds)),
        )
        return Display("Reproduced report", facts)

    def __repr__(self) -> str:
        return f"ReproduceResult(out={str(self.out)!r}, figures={len(self.figures)}, seconds={self.seconds:.3g})"


def _finite(value):
    """JSON-safe numbers: NaN and inf become null; numpy scalars become Python numbers."""
    return json_safe(value)


def _load_results_table(data: Optional[str]):
    """The embedded dataset, or a user's CSV (Computer Progress format or standard columns)."""
    from .. import datasets

    if data is None:
        return datasets.paper_results(), "the embedded paper dataset (computelimits.datasets.paper_results)"
    with open(data, encoding="utf-8") as handle:
        header = handle.readline()
    if "hardware_burden" in header and "accuracy" in header and "hardware_burden_flop" not in header:
        return datasets.load_computerprogress(data), f"{data} (Computer Progress format)"
    frame = datasets.load_csv(data)
    missing = [c for c in REQUIRED_DATA_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"--data {data!r} lacks the columns {missing}; it needs {list(REQUIRED_DATA_COLUMNS)} "
            "(or accuracy in place of error), see docs/datasets.md"
        )
    return frame, f"{data}"


def reproduce(
    out: Any = "computelimits-report",
    *,
    quick: bool = False,
    seed: int = 0,
    threads: Any = None,
    epoch_csv: Optional[str] = None,
    data: Optional[str] = None,
    progress: Optional[bool] = None,
    executor: Any = None,
) -> ReproduceResult:
    """Run every engine and write the report. Same seed, same numbers, wherever it runs:
    ``executor`` (None for local threads, a ``concurrent.futures.Executor`` or a
    ``dask.distributed.Client``, see :mod:`computelimits.runner`) runs the replicates and
    resamples; the report and results.json say where (``ran_on``).

    Parameters
    ----------
    out : str or pathlib.Path, default "computelimits-report"
        The folder written: report.md, report.html, results.json and figures/.
    quick : bool, default False
        Small replicate and resample counts (a smoke test of every section, in seconds).
    seed : int, default 0
        Seed of every random stream; the same seed gives the same numbers.
    threads : int, optional
        Worker threads (default every core); never changes the numbers.
    epoch_csv : str, optional
        Epoch AI's ML systems table (CSV), which adds the compute-trend section.
    data : str, optional
        A results table (CSV: Computer Progress format or the standard columns) to fit in place of
        the embedded paper dataset.
    progress : bool, optional
        Show a progress bar (default: when the output is a terminal).
    executor : optional
        None (local threads), a ``concurrent.futures.Executor`` or a ``dask.distributed.Client``.

    Returns
    -------
    ReproduceResult
        The paths written, ``results`` (every number, as in results.json) and the seconds taken.

    Examples
    --------
    >>> from computelimits import report
    >>> result = report.reproduce(getfixture("tmp_path"), quick=True, seed=7, progress=False)
    >>> sorted(path.name for path in result.out.iterdir())
    ['figures', 'report.html', 'report.md', 'results.json']
    >>> result.results["seed"]
    7
    """
    started = time.perf_counter()
    seed = _validation.check_int("seed", seed, minimum=0, maximum=2**64 - 1)
    if executor is None:
        threads = _validation.resolve_threads(threads)
    ran_on = runner.describe(executor, threads)
    settings = QUICK if quick else FULL
    if epoch_csv is not None and not Path(epoch_csv).is_file():  # fail before minutes of work, not after
        raise FileNotFoundError(f"--epoch-csv {str(epoch_csv)!r} is not a file")
    out = Path(out)
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    frame, data_label = _load_results_table(data)
    results: Dict[str, Any] = {"settings": settings.__dict__, "seed": seed, "data": data_label, "ran_on": ran_on}
    doc = Document(
        "The computational limits of deep learning, reproduced",
        preamble=[
            f"Generated by computelimits {_version()} with seed {seed}"
            f"{' (--quick: small replicate counts, for a smoke test)' if quick else ''}. "
            "Thompson, Greenewald, Lee and Manso, 'The Computational Limits of Deep Learning' "
            "(arXiv:2007.05558). Every number here is also in results.json.",
            f"Ran on {ran_on}.",
        ],
    )
    steps = 5 if epoch_csv else 4
    with Progress(steps, "reproduce", enabled=progress) as bar:
        _compute_section(doc, results)
        bar.advance()
        fits = empirical.fit_benchmarks(
            frame,
            "hardware_burden_flop",
            figures,
            n_resamples=settings.bootstrap_resamples,
            seed=seed,
            threads=threads,
            progress=False,
            executor=executor,
        )
        theory.theory_section(doc, results, figures, settings, seed, threads, fits, executor)
        bar.advance()
        _regression_section(doc, results, fits, data_label, settings)
        bar.advance()
        _projection_section(doc, results, frame, figures, settings, seed, threads, executor)
        bar.advance()
        if epoch_csv:
            report_trends.trend_section(doc, results, epoch_csv, figures, settings, seed, threads, executor)
            bar.advance()
        else:
            report_trends.contrast_without_data(doc, results)
    seconds = time.perf_counter() - started
    results["seconds"] = seconds
    markdown, page, json_path = out / "report.md", out / "report.html", out / "results.json"
    markdown.write_text(doc.to_markdown(), encoding="utf-8")
    page.write_text(doc.to_html(), encoding="utf-8")
    clean = _finite(results)
    json_path.write_text(json.dumps(clean, indent=2), encoding="utf-8")
    written = tuple(sorted(str(p.relative_to(out)) for p in figures.glob("*.png")))
    return ReproduceResult(out, markdown, page, json_path, written, clean, seconds)


def _version() -> str:
    from .. import __version__

    return __version__


def _compute_section(doc: Document, results: Dict[str, Any]) -> None:
    costs = canonical.canonical_costs()
    results["compute_table"] = [cost.to_dict() for cost in costs]
    section = doc.section("What canonical models cost to train")
    section.paragraph(
        "Parameters and forward MACs (batch 1) from the FLOP engine; training FLOPs per layer "
        "(forward + backward x examples x epochs) for vision models and 6ND for language models. "
        "Time and cost at 40% utilization of the processor's peak (Epoch AI's default for non-LLMs), "
        "on the original hardware and on one H100 SXM at its dense BF16 peak; 'implied utilization' "
        "is training FLOPs / (processors x peak x the wall time the paper reports). Costs use the catalogue's "
        "typical cloud price per processor-hour, where it lists one."
    )
    rows = []
    for cost in costs:
        rows.append(
            [
                cost.label,
                format_count(cost.params),
                format_count(cost.forward_macs),
                format_flop(cost.training_flop),
                f"{cost.processor_count} x {cost.hardware}",
                "not published" if cost.reported_seconds is None else format_duration(cost.reported_seconds),
                "-" if cost.implied_utilization is None else f"{cost.implied_utilization:.2f}",
                format_duration(cost.original_seconds),
                "no cloud price" if cost.original_usd is None else format_usd(cost.original_usd),
                format_duration(cost.h100_seconds),
                "no cloud price" if cost.h100_usd is None else format_usd(cost.h100_usd),
            ]
        )
    section.table(
        [
            "model",
            "params",
            "forward MACs",
            "training FLOP",
            "original hardware",
            "reported time",
            "implied utilization",
            "time at 40%",
            "cost",
            "time on 1 H100",
            "H100 cost",
        ],
        rows,
    )
    section.paragraph("Sources: " + "; ".join(f"{c.label}: {c.source}" for c in costs) + ".")


def _regression_section(doc, results, fits, data_label, settings) -> None:
    results["regressions"] = [f.to_dict() for f in fits]
    section = doc.section("Error against compute, per benchmark")
    section.paragraph(
        f"Data: {data_label}. Compute is the hardware burden (processors x peak FP32 FLOP/s x training "
        "seconds). Polynomial model: log10(error) = a + b log10(compute); exponential: error = a + b "
        f"log10(compute). Intervals: 95% BCa, pairs bootstrap, B = {settings.bootstrap_resamples}. "
        f"Benchmarks with fewer than {empirical.MINIMUM_POINTS} points are left out. Status: 'wrong sign' when "
        "the error grows with compute (b >= 0), 'slope not significant' when b's 95% t interval includes zero; "
        "a halving multiplier is printed only when the slope is determined."
    )
    section.table(
        ["benchmark", "model", "n", "slope b", "95% CI", "R^2", "R^2 95% CI", "status", "compute to halve error"],
        [
            [
                f.benchmark,
                f.model,
                f.points,
                f"{f.slope:.4f}",
                format_interval(f.slope_low, f.slope_high, ".4f"),
                f"{f.rsquared:.2f}",
                format_interval(f.rsquared_low, f.rsquared_high, ".2f"),
                f.status,
                f.halving_text,
            ]
            for f in fits
        ],
    )
    for name in sorted({f.figure for f in fits}):
        section.figure(f"figures/{name}", f"{name[4:-4]}: error against hardware burden, both models")


def _cost_cell(row, key: str, formatter) -> str:
    value = row[key]
    if value is None:
        log10_value = row["log10_" + key]
        return describe(Status.BEYOND_RANGE) if log10_value is not None else "n/a"
    return formatter(value)


def _projection_section(doc, results, frame, figures, settings, seed, threads, executor=None) -> None:
    from ..fit.projections import interval_words

    rows, figure = empirical.project_benchmarks(
        frame,
        "hardware_burden_flop",
        figures,
        n_resamples=settings.bootstrap_resamples,
        seed=seed,
        threads=threads,
        progress=False,
        executor=executor,
    )
    results["projections"] = rows
    section = doc.section("What the target errors would cost")
    section.paragraph(
        "Inverse prediction of the fitted models, kept in log10 (10^x FLOP), with 95% BCa intervals of log10 "
        "compute. Dollars and CO2 use the authors' conversions: $1 per 6.874e16 FLOP, 1 lb CO2 per 3.498e17 FLOP, "
        "and New York City's 56.5 Mt per year for 'NYC-months'. A projection is printed only when the data "
        "determine it: otherwise the row says why (the slope is not significant, has the wrong sign, or the "
        "number is beyond the range of a float)."
    )
    table_rows = []
    for r in rows:
        status = Status(r["status"])
        if status is not Status.OK:
            words = describe(status)
            table_rows.append([r["benchmark"], r["model"], f"{r['target_error']:.0%}", words, "-", "-", "-", "-"])
            continue
        table_rows.append(
            [
                r["benchmark"],
                r["model"],
                f"{r['target_error']:.0%}",
                f"10^{r['log10_flop']:.2f}",
                interval_words(r),
                _cost_cell(r, "usd", format_usd),
                _cost_cell(r, "co2_tonnes", lambda tonnes: format_co2_kg(tonnes * 1000.0)),
                _cost_cell(r, "nyc_months", lambda v: f"{v:.3g}"),
            ]
        )
    section.table(
        ["benchmark", "model", "target error", "FLOP", "95% CI (FLOP)", "USD", "CO2", "NYC-months"], table_rows
    )
    if figure:
        section.figure(f"figures/{figure}", "Compute needed for each target error; hatched rows are undetermined")
