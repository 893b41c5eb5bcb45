"""``computelimits fit``: fit error against compute, bootstrap it, project targets, draw it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from . import _args, _cluster
from ._tables import compute_and_error
from ._text import table

MODELS = ("polynomial", "exponential")
FRONTIERS = ("year", "compute")
# The CLI starts without importing computelimits.fit; tests/fit/test_cli.py holds these equal
# to fit.bootstrap.SCHEMES and fit.intervals.METHODS.
SCHEMES = ("pairs", "residual", "residual_hc2", "residual_hc3", "wild", "wild_hc2", "wild_hc3", "poisson")
METHODS = ("percentile", "basic", "bca", "studentized")
BACKENDS = ("cpp", "numpy")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit error against compute with bootstrap CIs and project target errors",
        description="Fit the paper's polynomial (log10 error on log10 compute) or exponential (error on "
        "log10 compute) model, bootstrap it, print the tables and write a PNG. Errors are fractions; an "
        "accuracy or error column in percent (every value in (1, 100]) is detected and divided by 100.",
    )
    source = parser.add_argument_group("data")
    source.add_argument(
        "--benchmark",
        help="benchmark name (any case): one of the embedded dataset's, or the rows of --csv whose "
        "'benchmark' column equals it",
    )
    source.add_argument("--csv", type=Path, help="CSV file with a compute column and an error (or accuracy) column")
    source.add_argument(
        "--compute-column",
        help="compute column (default: the first of hardware_burden_flop, compute_flop, flop, compute, "
        "hardware_burden_gflop, hardware_burden; a name ending in _gflop, or hardware_burden, is in GFLOP)",
    )
    source.add_argument(
        "--error-column",
        default=None,
        help="error column, a fraction or percent (default 'error', else 1 - 'accuracy'); a column named "
        "*accuracy* or *score* is turned into error = 1 - accuracy",
    )
    parser.add_argument(
        "--model",
        type=_args.choice("--model", MODELS),
        choices=MODELS,
        default="polynomial",
        help="polynomial (default): log10 error = a + b log10 compute; exponential: error = a + b log10 compute",
    )
    parser.add_argument(
        "--frontier",
        type=_args.choice("--frontier", FRONTIERS),
        choices=FRONTIERS,
        default=None,
        help="fit only the best-so-far points (by year or by compute)",
    )
    parser.add_argument(
        "--year-covariate",
        action="store_true",
        help="add publication year as a linear covariate (needs a 'year' column)",
    )
    parser.add_argument(
        "--bootstrap",
        type=_args.count("--bootstrap", 1),
        default=2000,
        metavar="B",
        help="bootstrap resamples (default 2000; 1e4 and 10_000 work)",
    )
    parser.add_argument(
        "--method",
        type=_args.choice("--method", METHODS),
        choices=METHODS,
        default="bca",
        help="bootstrap interval: bca (default), percentile, basic or studentized (docs/fit.md)",
    )
    parser.add_argument(
        "--scheme",
        type=_args.choice("--scheme", SCHEMES),
        choices=SCHEMES,
        default="pairs",
        help="bootstrap scheme: pairs (default), residual, wild or poisson; residual and wild also with "
        "HC2/HC3 leverage corrections (docs/fit.md)",
    )
    parser.add_argument(
        "--confidence-level",
        type=_args.probability("--confidence-level"),
        default=0.95,
        help="confidence level of every interval, in (0, 1) (default 0.95)",
    )
    parser.add_argument(
        "--target",
        type=_args.probability("--target"),
        nargs="+",
        action="extend",
        metavar="ERROR",
        help="target errors as fractions in (0, 1), e.g. --target 0.05 0.01 (repeatable); "
        "project the compute, dollars and CO2 each needs",
    )
    parser.add_argument("--seed", type=_args.seed(), default=2020, help="random seed of the bootstrap (default 2020)")
    parser.add_argument("--threads", type=_args.threads(), default=None, help="worker threads (default: every core)")
    parser.add_argument(
        "--backend",
        type=_args.choice("--backend", BACKENDS),
        choices=BACKENDS,
        default="cpp",
        help="cpp (default) or its numpy twin",
    )
    parser.add_argument("--plot", type=Path, default=None, help="PNG path (default fit_<name>.png)")
    parser.add_argument("--no-plot", action="store_true", help="do not write the PNG")
    parser.add_argument(
        "--json", action="store_true", help="print the results as JSON for machines (notes go to stderr)"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _cluster.add_arguments(parser)
    parser.set_defaults(handler=run)


def load_points(args, note=print):
    """(compute FLOP, error, year or None, labels, name) from --csv or --benchmark."""
    import numpy as np
    import pandas as pd

    from .. import _names

    if args.csv is not None:
        if not args.csv.is_file():
            raise FileNotFoundError(f"--csv file not found: {args.csv}")
        frame = pd.read_csv(args.csv)
        name = args.csv.stem
        if args.benchmark:
            if "benchmark" not in frame.columns:
                raise ValueError(f"--benchmark {args.benchmark!r} given but {args.csv} has no 'benchmark' column")
            present = sorted({str(b) for b in frame["benchmark"].dropna()})
            name = _names.match_name(args.benchmark, present, f"--benchmark (in {args.csv.name})")
            frame = frame[frame["benchmark"].astype(str) == name]
    elif args.benchmark:
        from .. import datasets

        name = _names.match_name(args.benchmark, datasets.BENCHMARKS, "--benchmark")
        frame = datasets.paper_results(name)
    else:
        raise ValueError("give --csv FILE or --benchmark NAME")
    compute, error = compute_and_error(frame, args.compute_column, args.error_column, note)
    year = frame["year"].to_numpy(dtype=float) if "year" in frame.columns else None
    labels = frame["model"].astype(str).to_numpy() if "model" in frame.columns else None
    known = np.isfinite(compute) & np.isfinite(error)
    if not np.all(known):
        note(f"{name}: dropped {int((~known).sum())} of {len(known)} rows without compute or error")
        compute, error = compute[known], error[known]
        year = None if year is None else year[known]
        labels = None if labels is None else labels[known]
    return compute, error, year, labels, name


def _cost(row, key: str, formatter) -> str:
    """A cost in human units; "beyond a float" when only its log10 exists; "-" when undetermined."""
    from ..status import Status, describe

    if row[key] is not None:
        return formatter(row[key])
    return describe(Status.BEYOND_RANGE) if row.get("log10_" + key) is not None else "-"


def projection_lines(projection) -> List[str]:
    """The projection as a table in human units: FLOP as 10^x with its interval, dollars and CO2 at
    the authors' conversions, or the status in words where the data do not determine it."""
    from .._units import format_co2_kg, format_usd
    from ..fit.projections import interval_words
    from ..status import Status, describe

    rows = []
    for row in projection.rows:
        status = Status(row["status"])
        if status is not Status.OK:
            rows.append([row["model"], f"{row['target_error']:g}", describe(status), "-", "-", "-"])
            continue
        rows.append(
            [
                row["model"],
                f"{row['target_error']:g}",
                f"10^{row['log10_flop']:.2f}",
                interval_words(row),
                _cost(row, "usd", format_usd),
                _cost(row, "co2_tonnes", lambda tonnes: format_co2_kg(tonnes * 1000.0)),
            ]
        )
    level = f"{projection.confidence_level:.0%}"
    head = f"Projection for {projection.benchmark} ({projection.method} bootstrap, B={projection.n_resamples})"
    header = ["model", "target error", "FLOP", f"{level} interval (FLOP)", "USD", "CO2"]
    return [head, *table(header, rows)]


def run(args) -> int:
    def note(text: str) -> None:
        print(text, file=sys.stderr if args.json else sys.stdout)

    compute, error, year, labels, name = load_points(args, note)  # bad data fails before a cluster starts
    with _cluster.executor_for(args) as (executor, where):
        return _run(args, compute, error, year, labels, name, executor, where)


def _run(args, compute, error, year, labels, name, executor, where) -> int:
    from .. import _json
    from ..fit import bootstrap_fit, fit_compute_error, project
    from ..fit.plots import plot_compute_error, save

    progress = False if args.no_progress or args.json else None
    fit = fit_compute_error(
        compute,
        error,
        args.model,
        year=year,
        frontier=args.frontier,
        backend=args.backend,
        year_covariate=args.year_covariate,
    )
    boot = bootstrap_fit(
        fit.fit,
        args.bootstrap,
        args.scheme,
        args.method,
        args.confidence_level,
        args.seed,
        args.threads,
        args.backend,
        progress=progress,
        executor=executor,
    )
    halving = fit.halving(confidence_level=args.confidence_level)
    projection = None
    if args.target:
        projection = project(
            compute,
            error,
            args.target,
            [args.model],
            frontier=args.frontier,
            year=year,
            year_covariate=args.year_covariate,
            n_resamples=args.bootstrap,
            scheme=args.scheme,
            method=args.method,
            confidence_level=args.confidence_level,
            seed=args.seed,
            threads=args.threads,
            backend=args.backend,
            benchmark=name,
            progress=progress,
            executor=executor,
        )
    figure: Optional[Path] = None
    if not args.no_plot:
        coefficient_draws = boot.bootstrap_distribution[: len(fit.fit.params)].T
        ax = plot_compute_error(
            fit,
            coefficient_draws,
            targets=args.target or (),
            confidence_level=args.confidence_level,
            title=f"{name}: {args.model} model",
            labels=labels,
        )
        figure = save(ax, args.plot or Path(f"fit_{name}.png"))
    if args.json:
        out = {
            "name": name,
            "points": len(compute),
            "fit": fit.to_dict(),
            "status": fit.status(args.confidence_level).value,
            "bootstrap": boot.to_dict(),
            "halving": halving.to_dict(),
            "projection": None if projection is None else projection.to_dict(),
            "figure": figure,
            "ran_on": where,
        }
        print(_json.dumps(out, indent=2))
        return 0
    print(f"{name}: {fit.summary()}\n")
    print(boot.summary())
    print(f"resamples ran on {where}")
    print(f"compute multiplier that halves the error: {halving.describe()}\n")
    if projection is not None:
        print("\n".join(projection_lines(projection)))
    if figure is not None:
        print(f"wrote {figure}")
    return 0
