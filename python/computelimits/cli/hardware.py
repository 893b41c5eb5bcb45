"""``computelimits hardware``: list the catalogue, hardware burden, time/cost/energy estimates."""

from __future__ import annotations

import argparse

from .. import hardware


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "hardware",
        help="processor catalogue; burden; time, cost, energy, CO2",
        description="Processor catalogue and training-run estimates.",
    )
    actions = parser.add_subparsers(dest="hardware_action", metavar="ACTION", help="list, burden or estimate")

    listing = actions.add_parser("list", help="print the catalogue")
    listing.add_argument("--kind", choices=["gpu", "tpu"], default=None, help="only GPUs or only TPUs")
    listing.set_defaults(handler=_list)

    burden = actions.add_parser("burden", help="peak x count x seconds (FLOP)")
    burden.add_argument("processor", help="processor name, e.g. V100")
    burden.add_argument("--count", type=int, default=1, help="number of processors (default 1)")
    burden.add_argument("--hours", type=float, required=True, help="training hours")
    burden.set_defaults(handler=_burden)

    est = actions.add_parser("estimate", help="wall time, cost, energy and CO2 of FLOP")
    est.add_argument("flop", type=float, help="FLOP to compute")
    est.add_argument("processor", help="processor name, e.g. V100")
    est.add_argument("--count", type=int, default=1, help="number of processors (default 1)")
    est.add_argument("--utilization", type=float, default=0.4, help="fraction of peak achieved (default 0.4)")
    est.add_argument("--precision", default="fp32", help="peak rate to use (default fp32)")
    est.add_argument("--usd-per-hour", type=float, default=None, help="USD per processor-hour")
    est.add_argument("--pue", type=float, default=1.1, help="power usage effectiveness (default 1.1)")
    est.add_argument("--grid-kg-co2-per-kwh", type=float, default=0.429, help="grid carbon intensity")
    est.set_defaults(handler=_estimate)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _list(args: argparse.Namespace) -> int:
    frame = hardware.catalogue_frame()
    if args.kind:
        frame = frame[frame["kind"] == args.kind]
    columns = [
        "name",
        "kind",
        "release_year",
        "peak_fp32_flops",
        "peak_bf16_flops",
        "peak_fp16_flops",
        "board_power_watts",
        "cloud_usd_per_hour",
    ]
    print(frame[columns].to_string(index=False))
    return 0


def _burden(args: argparse.Namespace) -> int:
    flop = hardware.hardware_burden(args.processor, args.count, args.hours * 3600.0)
    print(f"{flop:.6g} FLOP")
    return 0


def _estimate(args: argparse.Namespace) -> int:
    result = hardware.estimate(
        args.flop,
        args.processor,
        count=args.count,
        utilization=args.utilization,
        precision=args.precision,
        usd_per_hour=args.usd_per_hour,
        pue=args.pue,
        grid_kg_co2_per_kwh=args.grid_kg_co2_per_kwh,
    )
    for key, value in result.to_dict().items():
        print(f"{key:>22}: {value}")
    print(f"{'wall_years':>22}: {result.wall_years:.6g}")
    return 0
