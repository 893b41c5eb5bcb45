"""``computelimits datasets``: summarise or export the embedded paper dataset."""

from __future__ import annotations

import argparse

from .. import datasets
from . import _args


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "datasets", help="the embedded paper dataset", description="Summarise or export the embedded paper dataset."
    )
    actions = parser.add_subparsers(dest="datasets_action", metavar="ACTION", help="summary or export")
    summary = actions.add_parser("summary", help="entries and compute coverage per benchmark")
    summary.add_argument("--json", action="store_true", help="print the table as JSON for machines")
    summary.set_defaults(handler=_summary)
    export = actions.add_parser("export", help="write paper_results() as CSV")
    export.add_argument("output", help="CSV path ('-' for stdout)")
    export.add_argument(
        "--benchmark",
        type=_args.choice("--benchmark", datasets.BENCHMARKS),
        choices=datasets.BENCHMARKS,
        default=None,
        help="only this benchmark (any case; default: all)",
    )
    metrics = ["primary", "all", *dict.fromkeys(m for names in datasets.METRICS.values() for m in names)]
    export.add_argument(
        "--metric",
        type=_args.choice("--metric", metrics),
        choices=metrics,
        default="primary",
        help="primary (default: each benchmark's headline metric), all, or a metric name",
    )
    export.set_defaults(handler=_export)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _summary(args: argparse.Namespace) -> int:
    import pandas as pd

    entries = pd.DataFrame(datasets.paper_entries())
    burden = entries["hardware_burden_flop"].notna()
    network = entries["network_computation_flop"].notna()
    table = pd.DataFrame(
        {
            "entries": entries.groupby("benchmark").size(),
            "hardware_burden": burden.groupby(entries["benchmark"]).sum(),
            "network_computation": network.groupby(entries["benchmark"]).sum(),
            "either": (burden | network).groupby(entries["benchmark"]).sum(),
        }
    ).reindex(datasets.BENCHMARKS)
    table.loc["total"] = table.sum()
    if args.json:
        from .. import _json

        rows = [{"benchmark": name, **row} for name, row in table.astype(int).to_dict(orient="index").items()]
        print(_json.dumps(rows, indent=2))
        return 0
    print(table.to_string())
    return 0


def _export(args: argparse.Namespace) -> int:
    frame = datasets.paper_results(args.benchmark, args.metric)
    if args.output == "-":
        print(frame.to_csv(index=False), end="")
    else:
        frame.to_csv(args.output, index=False)
        print(f"wrote {len(frame)} rows to {args.output}")
    return 0
