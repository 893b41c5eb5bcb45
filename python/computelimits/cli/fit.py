"""``computelimits fit``: fit error against compute, bootstrap it, project targets, draw it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np

from . import _cluster

COMPUTE_COLUMNS = ("hardware_burden_flop", "compute_flop", "flop", "compute", "hardware_burden_gflop")
# The CLI starts without importing computelimits.fit; tests/fit/test_cli.py holds these equal
# to fit.bootstrap.SCHEMES and fit.intervals.METHODS.
SCHEMES = ("pairs", "residual", "residual_hc2", "residual_hc3", "wild", "wild_hc2", "wild_hc3", "poisson")
METHODS = ("percentile", "basic", "bca", "studentized")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit",
        help="fit error against compute with bootstrap CIs and project target errors",
        description="Fit the paper's polynomial (log10 error on log10 compute) or exponential (error on "
        "log10 compute) model, bootstrap it, print the tables and write a PNG.",
    )
    source = parser.add_argument_group("data")
    source.add_argument(
        "--benchmark",
        help="benchmark name: from computelimits.datasets.paper_results, "
        "or the rows of --csv whose 'benchmark' column equals it",
    )
    source.add_argument("--csv", type=Path, help="CSV file with a compute column and an error (or accuracy) column")
    source.add_argument(
        "--compute-column",
        help=f"compute column (default: first of {', '.join(COMPUTE_COLUMNS)}; "
        "a name ending in _gflop is multiplied by 1e9)",
    )
    source.add_argument(
        "--error-column", default=None, help="error column, a fraction (default 'error', else 1 - 'accuracy')"
    )
    parser.add_argument("--model", choices=("polynomial", "exponential"), default="polynomial")
    parser.add_argument(
        "--frontier",
        choices=("year", "compute"),
        default=None,
        help="fit only the best-so-far points (by year or by compute)",
    )
    parser.add_argument(
        "--year-covariate",
        action="store_true",
        help="add publication year as a linear covariate (needs a 'year' column)",
    )
    parser.add_argument("--bootstrap", type=int, default=2000, metavar="B", help="resamples (default 2000)")
    parser.add_argument("--method", choices=METHODS, default="bca")
    parser.add_argument("--scheme", choices=SCHEMES, default="pairs", help="bootstrap scheme (docs/fit.md)")
    parser.add_argument("--confidence-level", type=float, default=0.95)
    parser.add_argument(
        "--target", type=float, action="append", metavar="ERROR", help="target error (fraction); repeat for several"
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--backend", choices=("cpp", "numpy"), default="cpp")
    parser.add_argument("--plot", type=Path, default=None, help="PNG path (default fit_<name>.png)")
    parser.add_argument("--no-plot", action="store_true", help="do not write the PNG")
    _cluster.add_arguments(parser)
    parser.set_defaults(handler=run)


def load_points(args):
    """(compute FLOP, error, year or None, labels, name) from --csv or --benchmark."""
    import pandas as pd

    if args.csv is not None:
        if not args.csv.is_file():
            raise FileNotFoundError(f"--csv file not found: {args.csv}")
        frame = pd.read_csv(args.csv)
        if args.benchmark:
            if "benchmark" not in frame.columns:
                raise ValueError(f"--benchmark {args.benchmark!r} given but {args.csv} has no 'benchmark' column")
            frame = frame[frame["benchmark"] == args.benchmark]
            if frame.empty:
                raise ValueError(f"--benchmark {args.benchmark!r} matches no row of {args.csv}")
        name = args.benchmark or args.csv.stem
    elif args.benchmark:
        from .. import datasets

        frame = datasets.paper_results(args.benchmark)
        name = args.benchmark
    else:
        raise ValueError("give --csv FILE or --benchmark NAME")
    column = args.compute_column or next((c for c in COMPUTE_COLUMNS if c in frame.columns), None)
    if column is None or column not in frame.columns:
        raise ValueError(f"compute column {column!r} not found; columns are {list(frame.columns)}")
    compute = frame[column].to_numpy(dtype=float) * (1e9 if column.endswith("_gflop") else 1.0)
    if args.error_column:
        if args.error_column not in frame.columns:
            raise ValueError(f"--error-column {args.error_column!r} not found; columns are {list(frame.columns)}")
        error = frame[args.error_column].to_numpy(dtype=float)
    elif "error" in frame.columns:
        error = frame["error"].to_numpy(dtype=float)
    elif "accuracy" in frame.columns:
        error = 1.0 - frame["accuracy"].to_numpy(dtype=float)
    else:
        raise ValueError(f"no 'error' or 'accuracy' column; columns are {list(frame.columns)}")
    year = frame["year"].to_numpy(dtype=float) if "year" in frame.columns else None
    labels = frame["model"].astype(str).to_numpy() if "model" in frame.columns else None
    known = np.isfinite(compute) & np.isfinite(error)
    if not np.all(known):
        print(f"{name}: dropped {int((~known).sum())} of {len(known)} rows without compute or error")
        compute, error = compute[known], error[known]
        year = None if year is None else year[known]
        labels = None if labels is None else labels[known]
    return compute, error, year, labels, name


def run(args) -> int:
    compute, error, year, labels, name = load_points(args)  # bad data fails before a cluster starts
    with _cluster.executor_for(args) as (executor, where):
        return _run(args, compute, error, year, labels, name, executor, where)


def _run(args, compute, error, year, labels, name, executor, where) -> int:
    from ..fit import bootstrap_fit, fit_compute_error, project
    from ..fit.plots import plot_compute_error, save

    fit = fit_compute_error(
        compute,
        error,
        args.model,
        year=year,
        frontier=args.frontier,
        backend=args.backend,
        year_covariate=args.year_covariate,
    )
    print(f"{name}: {fit.summary()}\n")
    boot = bootstrap_fit(
        fit.fit,
        args.bootstrap,
        args.scheme,
        args.method,
        args.confidence_level,
        args.seed,
        args.threads,
        args.backend,
        executor=executor,
    )
    print(boot.summary())
    print(f"resamples ran on {where}")
    print(
        f"compute multiplier that halves the error: {fit.halving(confidence_level=args.confidence_level).describe()}\n"
    )
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
            executor=executor,
        )
        print(projection.summary())
    if not args.no_plot:
        path: Optional[Path] = args.plot or Path(f"fit_{name}.png")
        coefficient_draws = boot.bootstrap_distribution[: len(fit.fit.params)].T
        ax = plot_compute_error(
            fit,
            coefficient_draws,
            targets=args.target or (),
            level=args.confidence_level,
            title=f"{name}: {args.model} model",
            labels=labels,
        )
        print(f"wrote {save(ax, path)}")
    return 0
