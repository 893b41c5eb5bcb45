"""``computelimits hardware``: the processor catalogue, hardware burden and time/cost/energy/CO2 estimates.

``add_estimate_options`` and ``estimate_from_args`` are shared with other
commands that estimate time (``computelimits flops --hardware``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict, Iterable, List

from .. import _units, hardware
from . import _args


def add_estimate_options(parser: argparse.ArgumentParser, *, count: bool = True, utilization: bool = True) -> None:
    """The options of a time/cost/energy estimate (``count``/``utilization`` False when the caller has its own)."""
    if count:
        parser.add_argument(
            "--count",
            type=_args.count("--count", 1),
            default=1,
            help="number of processors (default 1; 1e3 and 1_000 work)",
        )
    parser.add_argument(
        "--precision",
        type=_args.choice("--precision", hardware.PRECISIONS),
        default=None,
        help=f"peak rate to use: {', '.join(hardware.PRECISIONS)} (default: the processor's dense BF16, "
        "else FP16 tensor, else FP32 peak)",
    )
    if utilization:
        parser.add_argument(
            "--utilization",
            type=_args.real("--utilization", 0.0),
            default=None,
            help="fraction of peak achieved, in (0, 1] (default: Epoch AI's 0.3 for --workload llm, 0.4 for "
            "other, 0.375 when the workload is not given)",
        )
    parser.add_argument(
        "--workload",
        choices=hardware.WORKLOADS,
        default=None,
        help="what is trained, for the default utilization: llm or other",
    )
    parser.add_argument(
        "--usd-per-hour",
        type=_args.real("--usd-per-hour", 0.0),
        default=None,
        help="price of one processor-hour in USD (default: the catalogue's on-demand price)",
    )
    parser.add_argument(
        "--operator",
        choices=hardware.OPERATORS,
        default="hyperscaler",
        help="who runs the data centre, for the default PUE: hyperscaler (1.1, default) or other (1.25)",
    )
    parser.add_argument(
        "--pue",
        type=_args.real("--pue", 1.0),
        default=None,
        help="power usage effectiveness, >= 1 (default by operator)",
    )
    parser.add_argument(
        "--server-power-ratio",
        type=_args.real("--server-power-ratio", 1.0),
        default=None,
        help="server power per processor over its board power (default: Epoch AI's ratio; 1 for board power only)",
    )
    parser.add_argument(
        "--power-fraction",
        type=_args.real("--power-fraction", 0.0),
        default=None,
        help="average draw as a fraction of server power (default: 0.75 GPUs, 0.43 TPUs; 1 for peak draw)",
    )
    parser.add_argument(
        "--board-power-watts",
        type=_args.real("--board-power-watts", 0.0),
        default=None,
        help="board power in W (default: the catalogue's; needed for processors that publish none)",
    )
    parser.add_argument(
        "--grid-kg-co2-per-kwh",
        type=_args.real("--grid-kg-co2-per-kwh", 0.0),
        default=hardware.GRID_KG_CO2_PER_KWH,
        help=f"grid carbon intensity (default {hardware.GRID_KG_CO2_PER_KWH}, a world-average order)",
    )


def estimate_from_args(flop: float, processor: str, args: argparse.Namespace) -> hardware.HardwareEstimate:
    """``hardware.estimate`` with the options ``add_estimate_options`` added (missing ones take defaults)."""
    return hardware.estimate(
        flop,
        processor,
        count=getattr(args, "count", 1),
        utilization=getattr(args, "utilization", None),
        precision=getattr(args, "precision", None),
        usd_per_hour=getattr(args, "usd_per_hour", None),
        pue=getattr(args, "pue", None),
        grid_kg_co2_per_kwh=getattr(args, "grid_kg_co2_per_kwh", hardware.GRID_KG_CO2_PER_KWH),
        workload=getattr(args, "workload", None),
        operator=getattr(args, "operator", "hyperscaler"),
        server_power_ratio=getattr(args, "server_power_ratio", None),
        power_fraction=getattr(args, "power_fraction", None),
        board_power_watts=getattr(args, "board_power_watts", None),
    )


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    parser.add_argument(
        "--epoch-csv",
        metavar="PATH",
        help="first merge Epoch AI's ML hardware table from this CSV (CC BY 4.0; catalogue entries win)",
    )


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "hardware",
        help="processor catalogue; burden; time, cost, energy, CO2",
        description="Processor catalogue (GPUs, TPUs, other accelerators) and training-run estimates. "
        "Processor names are matched case-insensitively, with suggestions for near misses.",
    )
    actions = parser.add_subparsers(
        dest="hardware_action", metavar="ACTION", help="list, show, burden or estimate (ACTION --help for more)"
    )

    listing = actions.add_parser("list", help="print the catalogue", description="Print the processor catalogue.")
    listing.add_argument("--kind", choices=hardware.KINDS, default=None, help="only this kind of processor")
    listing.add_argument("--vendor", default=None, help="only this vendor (e.g. NVIDIA, AMD, Google, Intel)")
    _common(listing)
    listing.set_defaults(handler=_list)

    show = actions.add_parser("show", help="one processor's figures and sources", description="Show one processor.")
    show.add_argument("processor", help="processor name or alias, e.g. H100, 'tpu v5e', mi300x")
    _common(show)
    show.set_defaults(handler=_show)

    burden = actions.add_parser(
        "burden",
        help="hardware burden: peak x count x time (FLOP)",
        description="Hardware burden (Thompson et al. 2020): peak FLOP/s x processors x seconds, FP32 for GPUs.",
    )
    burden.add_argument("processor", help="processor name or alias, e.g. 'GTX 580'")
    burden.add_argument("--count", type=_args.count("--count", 1), default=1, help="number of processors (default 1)")
    span = burden.add_mutually_exclusive_group(required=True)
    span.add_argument("--hours", type=_args.real("--hours", 0.0), help="training time in hours")
    span.add_argument("--days", type=_args.real("--days", 0.0), help="training time in days")
    burden.add_argument(
        "--precision",
        type=_args.choice("--precision", hardware.PRECISIONS),
        default=None,
        help="peak rate to use (default: FP32, or the TPU's bf16 rate)",
    )
    _common(burden)
    burden.set_defaults(handler=_burden)

    est = actions.add_parser(
        "estimate",
        help="wall time, cost, energy and CO2 of a FLOP budget",
        description="Wall time, processor-hours, cost, energy and CO2 of FLOP floating-point operations "
        "(Epoch AI's hardware method and cost-model defaults; see docs/hardware.md).",
    )
    est.add_argument("flop", type=_args.real("FLOP", 0.0), metavar="FLOP", help="total operations, e.g. 3.14e23")
    est.add_argument("processor", help="processor name or alias, e.g. V100, b200, 'TPU v6e'")
    add_estimate_options(est)
    _common(est)
    est.set_defaults(handler=_estimate)
    parser.set_defaults(handler=lambda args: (parser.print_help(), 2)[1])


def _merge_epoch(args: argparse.Namespace) -> None:
    if getattr(args, "epoch_csv", None):
        load = hardware.load_epoch_hardware(args.epoch_csv)
        if not args.json:
            print(
                f"merged {args.epoch_csv}: {len(load.added)} added, {len(load.kept)} matched the catalogue, "
                f"{len(load.skipped)} skipped (data: Epoch AI, CC BY 4.0)"
            )


def _tera(value: Any) -> str:
    return "-" if value is None else f"{value / 1e12:,.4g}"


def _table(processors: Iterable[hardware.Processor]) -> List[str]:
    header = (
        f"{'name':<16} {'vendor':<7} {'kind':<11} {'released':<10} {'FP32':>7} {'TF32':>7} {'FP16':>7} "
        f"{'BF16':>7} {'FP8':>7} {'FP4':>7} {'INT8':>7} {'board W':>8} {'$/hour':>7}"
    )
    lines = [header, "-" * len(header)]
    for p in processors:
        rates = " ".join(f"{_tera(p.peak_flops.get(k)):>7}" for k in ("fp32", "tf32", "fp16", "bf16", "fp8", "fp4"))
        power = "-" if p.board_power_watts is None else f"{p.board_power_watts:g}"
        price = "-" if p.cloud_usd_per_hour is None else f"{p.cloud_usd_per_hour:.3g}"
        lines.append(
            f"{p.name[:16]:<16} {p.vendor[:7]:<7} {p.kind:<11} {p.release_date or p.release_year!s:<10} {rates} "
            f"{_tera(p.peak_flops.get('int8')):>7} {power:>8} {price:>7}"
        )
    lines.append("Peak rates in TFLOP/s (INT8 in TOP/s), dense; '-' = not published. Sources: hardware show NAME.")
    return lines


def _list(args: argparse.Namespace) -> int:
    _merge_epoch(args)
    chosen = hardware.processors(args.kind, args.vendor)
    if args.vendor and not chosen:
        vendors = sorted({p.vendor for p in hardware.processors()})
        raise ValueError(f"--vendor {args.vendor!r} matches no processor; vendors: {', '.join(vendors)}")
    if args.json:
        print(json.dumps([p.to_dict() for p in chosen], indent=2))
    else:
        print("\n".join(_table(chosen)))
    return 0


def _show(args: argparse.Namespace) -> int:
    _merge_epoch(args)
    proc = hardware.get_processor(args.processor)
    if args.json:
        print(json.dumps(proc.to_dict(), indent=2))
        return 0
    rates = ", ".join(
        f"{k} {_units.format_rate(v, 'OP/s' if k == 'int8' else 'FLOP/s')}" for k, v in proc.peak_flops.items()
    )
    rows: Dict[str, Any] = {
        "name": proc.name,
        "aliases": ", ".join(proc.aliases) or "-",
        "vendor / kind": f"{proc.vendor} {proc.kind}",
        "released": proc.release_date or proc.release_year,
        "dense peaks": rates,
        "default precision": f"{proc.default_precision} (burden: {proc.burden_precision})",
        "board power": "not published"
        if proc.board_power_watts is None
        else _units.format_power_watts(proc.board_power_watts),
        "price": "-" if proc.cloud_usd_per_hour is None else f"${proc.cloud_usd_per_hour:.4g} per processor-hour",
        "price source": proc.price_source or "-",
        "source": proc.source,
        "source url": proc.source_url or "-",
        "note": proc.note or "-",
    }
    for key, value in rows.items():
        print(f"{key:>18}: {value}")
    return 0


def _burden(args: argparse.Namespace) -> int:
    _merge_epoch(args)
    seconds = args.hours * 3600.0 if args.hours is not None else args.days * 86400.0
    proc = hardware.get_processor(args.processor)
    flop = hardware.hardware_burden(proc, args.count, seconds, precision=args.precision)
    precision = args.precision or proc.burden_precision
    if args.json:
        out = dict(processor=proc.name, count=args.count, seconds=seconds, precision=precision, burden_flop=flop)
        print(json.dumps(out, indent=2))
    else:
        print(
            f"{flop:.6g} FLOP hardware burden ({_units.format_flop(flop)}): {args.count:,} x {proc.name} at "
            f"{precision} peak for {_units.format_duration(seconds)}"
        )
    return 0


def _estimate(args: argparse.Namespace) -> int:
    _merge_epoch(args)
    result = estimate_from_args(args.flop, args.processor, args)
    if args.json:
        out = result.to_dict()
        out["wall_days"] = result.wall_days
        out["wall_years"] = result.wall_years
        print(json.dumps(out, indent=2))
    else:
        print(str(result))
    return 0
