"""``computelimits simulate paper|double-descent|sgd``: run an experiment, write CSV/JSON/PNG."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import _cluster


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="simulate over-parameterized least squares and SGD",
        description="Run a simulation and write <name>.csv, <name>.json and <name>.png.",
    )
    parser.add_argument("experiment", choices=["paper", "double-descent", "sgd"])
    parser.add_argument(
        "--reps", type=int, default=None, help="replicates (defaults: paper 1000, double-descent 400, sgd 32)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--first-replicate", type=int, default=0)
    parser.add_argument("--backend", choices=["cpp", "numpy"], default="cpp")
    parser.add_argument("--n", type=int, default=100, help="double-descent: sample size")
    parser.add_argument("--out", type=Path, default=Path("simulate-out"))
    parser.add_argument("--no-progress", action="store_true")
    _cluster.add_arguments(parser)
    parser.set_defaults(handler=run)


def _json_default(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return str(value)


def run(args) -> int:
    with _cluster.executor_for(args) as (executor, where):
        return _run(args, executor, where)


def _run(args, executor, where) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from ..simulate import double_descent, paper_experiment, plots, sgd_scaling

    common = dict(
        seed=args.seed,
        threads=args.threads,
        first_replicate=args.first_replicate,
        backend=args.backend,
        progress=False if args.no_progress else None,
        executor=executor,
    )
    if args.experiment == "paper":
        result = paper_experiment(1000 if args.reps is None else args.reps, **common)
        figure, name = plots.paper_figure(result), "paper"
        extra = {"compute_to_reach": result.compute_frame().to_dict(orient="list")}
    elif args.experiment == "double-descent":
        n = args.n
        p = np.unique(np.round(np.geomspace(0.1 * n, 10 * n, 25)).astype(int))
        p = p[np.abs(p - n) >= 5]
        result = double_descent(n, p, 400 if args.reps is None else args.reps, **common)
        figure, name, extra = plots.double_descent_figure(result), "double_descent", {}
    else:
        result = sgd_scaling(reps=32 if args.reps is None else args.reps, **common)
        figure, name = plots.sgd_figure(result), "sgd_scaling"
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
    (args.out / f"{name}.json").write_text(json.dumps(summary, indent=1, default=_json_default))
    figure.savefig(args.out / f"{name}.png", dpi=120)
    print(f"wrote {args.out / name}.csv, .json and .png (ran on {where})")
    return 0
