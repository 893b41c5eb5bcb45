"""``computelimits simulate paper|double-descent|sgd``: run an experiment, print a summary table,
write CSV/JSON/PNG."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, List

import numpy as np

from . import _args, _cluster
from ._text import number, table

EXPERIMENTS = ("paper", "double-descent", "sgd")
DEFAULT_REPS = {"paper": 1000, "double-descent": 400, "sgd": 32}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate over-parameterized least squares and SGD",
        description="Run a simulation, print a summary table and write <name>.csv (every summary row), "
        "<name>.json (the settings and summaries) and <name>.png (the figure) into --out.",
    )
    parser.add_argument(
        "experiment",
        type=_args.choice("EXPERIMENT", EXPERIMENTS),
        choices=EXPERIMENTS,
        help="paper (Thompson et al.'s oracle/expert/flexible/lasso), double-descent (min-norm and ridge "
        "against p/n) or sgd (SGD compute against accuracy)",
    )
    parser.add_argument(
        "--reps",
        type=_args.count("--reps", 1),
        default=None,
        help="replicates (defaults: paper 1000, double-descent 400, sgd 32; 1e3 works)",
    )
    parser.add_argument("--seed", type=_args.seed(), default=0, help="random seed (default 0); same seed, same numbers")
    parser.add_argument("--threads", type=_args.threads(), default=None, help="worker threads (default: every core)")
    parser.add_argument(
        "--first-replicate",
        type=_args.count("--first-replicate", 0),
        default=0,
        help="index of the first replicate (default 0): runs of [0, R) and [R, 2R) concatenate to [0, 2R)",
    )
    parser.add_argument(
        "--backend",
        type=_args.choice("--backend", ("cpp", "numpy")),
        choices=("cpp", "numpy"),
        default="cpp",
        help="cpp (default) or its numpy twin",
    )
    parser.add_argument(
        "--n", type=_args.count("--n", 2), default=100, help="double-descent: the sample size n (default 100)"
    )
    parser.add_argument("--out", type=Path, default=Path("simulate-out"), help="output folder (default simulate-out)")
    parser.add_argument(
        "--json", action="store_true", help="print the summary as JSON for machines instead of the table"
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _cluster.add_arguments(parser)
    parser.set_defaults(handler=run)


def _paper_lines(result) -> List[str]:
    levels = result.confidence_level
    lines = [
        f"paper experiment: {result.reps} replicates, seed {result.seed}",
        f"performance -log10(normalized MSE), mean [{levels:.0%} CI]",
    ]
    rows = []
    for i, n in enumerate(result.sizes):
        row = [str(int(n))]
        for m in range(len(result.models)):
            mean, low, high = (
                result.performance_mean[i, m],
                result.performance_ci_low[i, m],
                result.performance_ci_high[i, m],
            )
            interval = f" [{low:.2f}, {high:.2f}]" if np.isfinite(low) and np.isfinite(high) else ""
            row.append(f"{mean:.2f}{interval}")
        rows.append(row)
    lines += table(["n", *result.models], rows)
    lines.append("FLOPs to reach each performance (mean over replicates; never: not reached at these sizes)")
    reach = result.compute_to_reach
    rows = [
        [f"{level:g}", *[number(v, ".3g") if np.isfinite(v) else "never" for v in reach[i]]]
        for i, level in enumerate(result.levels)
    ]
    lines += table(["performance", *result.models], rows)
    return lines


def _double_descent_lines(result) -> List[str]:
    lines = [
        f"double descent: n = {result.n}, {result.reps} replicates, seed {result.seed}",
        "excess risk ||b - beta||^2: Monte Carlo mean (SE) beside the closed forms",
    ]
    rows = []
    for i in np.argsort(result.gamma):
        rows.append(
            [
                str(int(result.p[i])),
                f"{result.gamma[i]:.2f}",
                f"{result.excess_risk_mean[i]:.4g}",
                number(result.excess_risk_se[i], ".2g"),
                f"{result.excess_risk_exact[i]:.4g}",
                f"{result.ridge_excess_risk_mean[i]:.4g}",
                f"{result.ridge_excess_risk_limit[i]:.4g}",
            ]
        )
    header = ["p", "p/n", "min-norm", "SE", "exact", "optimal ridge", "ridge limit"]
    return lines + table(header, rows)


def _sgd_lines(result) -> List[str]:
    from ..status import Status, describe

    lines = [f"SGD scaling: {result.reps} replicates, seed {result.seed}, sizes {', '.join(map(str, result.sizes))}"]
    frame = result.target_frame()
    rows = [
        [
            f"{r.target:g}",
            f"{r.inverse_target:.3g}",
            number(r.flops, ".3g") if np.isfinite(r.flops) else "never",
            str(int(r.n)) if np.isfinite(r.flops) else "-",
        ]
        for r in frame.itertuples()
    ]
    lines += table(["target excess risk", "1/target", "least FLOPs", "at n"], rows)
    if result.exponent_status is Status.OK:
        lines.append(f"compute ~ (1/target)^a with a = {result.exponent:.3g}")
    else:
        lines.append(f"exponent a: {describe(result.exponent_status)}")
    return lines


def run(args) -> int:
    with _cluster.executor_for(args) as (executor, where):
        return _run(args, executor, where)


def _run(args, executor, where) -> int:
    from .. import _figures, _json
    from ..simulate import double_descent, paper_experiment, plots, sgd_scaling

    _figures.pyplot()  # Agg unless a backend is already set up
    reps = DEFAULT_REPS[args.experiment] if args.reps is None else args.reps
    common = dict(
        seed=args.seed,
        threads=args.threads,
        first_replicate=args.first_replicate,
        backend=args.backend,
        progress=False if args.no_progress or args.json else None,
        executor=executor,
    )
    extra: Dict[str, Any] = {}
    result: Any  # PaperResult, DoubleDescentResult or SgdScalingResult
    if args.experiment == "paper":
        result = paper_experiment(reps, **common)
        figure, name, lines = plots.paper_figure(result), "paper", _paper_lines(result)
        extra = {"compute_to_reach": result.compute_frame().to_dict(orient="list")}
    elif args.experiment == "double-descent":
        n = args.n
        p = np.unique(np.round(np.geomspace(0.1 * n, 10 * n, 25)).astype(int))
        p = p[(np.abs(p - n) >= 5) & (p >= 1)]
        result = double_descent(n, p, reps, **common)
        figure, name, lines = plots.double_descent_figure(result), "double_descent", _double_descent_lines(result)
    else:
        result = sgd_scaling(reps=reps, **common)
        figure, name, lines = plots.sgd_figure(result), "sgd_scaling", _sgd_lines(result)
        extra = {
            "exponent": result.exponent,
            "exponent_status": str(result.exponent_status),
            "targets": result.target_frame().to_dict(orient="list"),
        }
    args.out.mkdir(parents=True, exist_ok=True)
    result.to_frame().to_csv(args.out / f"{name}.csv", index=False)
    summary = {
        "experiment": name,
        "reps": result.reps,
        "seed": result.seed,
        "first_replicate": result.first_replicate,
        "ran_on": where,
        "summary": result.to_frame().to_dict(orient="list"),
        **extra,
    }
    (args.out / f"{name}.json").write_text(_json.dumps(summary, indent=1))
    _figures.save_figure(figure, args.out / f"{name}.png")
    written = f"wrote {args.out / name}.csv, .json and .png (ran on {where})"
    if args.json:
        print(_json.dumps(summary, indent=1))
        print(written, file=sys.stderr)
        return 0
    print("\n".join(lines))
    print(written)
    return 0
