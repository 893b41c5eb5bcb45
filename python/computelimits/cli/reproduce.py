"""``computelimits reproduce``: the paper's whole analysis as one report."""

from __future__ import annotations

from . import _args, _cluster


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reproduce",
        help="reproduce the paper's analysis as a report (the main job)",
        description="Reproduce Thompson et al. (2020) end to end: compute of canonical models, the "
        "theory simulations, error-versus-compute regressions with bootstrap intervals, projections of "
        "the compute, dollars and CO2 that target errors take, and (with --epoch-csv) the compute trend. "
        "Writes DIR/report.md, DIR/report.html, DIR/results.json and DIR/figures/*.png.",
    )
    parser.add_argument(
        "--out", default="computelimits-report", metavar="DIR", help="output folder (default: ./computelimits-report)"
    )
    parser.add_argument("--quick", action="store_true", help="small replicate counts: a smoke test in seconds")
    parser.add_argument("--seed", type=_args.seed(), default=0, help="random seed (default 0); same seed, same numbers")
    parser.add_argument("--threads", type=_args.threads(), default=None, help="worker threads (default: all cores)")
    parser.add_argument(
        "--epoch-csv", default=None, metavar="FILE", help="Epoch AI model table (CSV) for the compute-trend section"
    )
    parser.add_argument(
        "--data",
        default=None,
        metavar="FILE",
        help="results table to fit instead of the embedded dataset: Computer Progress "
        "format or a CSV with the standard columns (docs/datasets.md)",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _cluster.add_arguments(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..report.reproduce import reproduce

    with _cluster.executor_for(args) as (executor, where):
        result = reproduce(
            args.out,
            quick=args.quick,
            seed=args.seed,
            threads=args.threads,
            epoch_csv=args.epoch_csv,
            data=args.data,
            progress=False if args.no_progress else None,
            executor=executor,
        )
    print(
        f"wrote {result.report_markdown}, {result.report_html}, {result.results_json} "
        f"and {len(result.figures)} figures in {result.seconds:.1f} s on {where}"
    )
    return 0
