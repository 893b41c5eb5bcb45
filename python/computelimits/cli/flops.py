"""``computelimits flops MODEL``: per-layer FLOP table, totals, training run and hardware estimate."""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path
from typing import Any, Dict, List


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "flops",
        help="count the FLOPs of a zoo model or a JSON model file",
        description="Per-layer MACs, FLOPs (2 x MAC + extras), parameters and backward FLOPs of MODEL, "
        "a zoo name (see --list) or a JSON model file; optionally a whole training run and its "
        "time, cost, energy and CO2 on a processor.",
    )
    parser.add_argument("model", nargs="?", metavar="MODEL", help="zoo model name or path to a JSON model file")
    parser.add_argument("--list", action="store_true", help="list the zoo models and exit")
    parser.add_argument("--batch", type=int, default=1, help="examples per forward pass (default 1)")
    parser.add_argument("--seq-len", type=int, help="sequence length (zoo language models)")
    parser.add_argument("--image-size", type=int, help="input image side (zoo vision models)")
    parser.add_argument("--size", help="model size for gpt2 (small|medium|large|xl) and gpt3 (125M..175B)")
    parser.add_argument("--src-len", type=int, help="source length (transformer_base/transformer_big)")
    parser.add_argument("--tgt-len", type=int, help="target length (transformer_base/transformer_big)")
    parser.add_argument("--json", metavar="FILE", help="also write the report as JSON to FILE")
    parser.add_argument(
        "--training", action="store_true", help="train-mode counts; with --examples, the FLOPs of a whole training run"
    )
    parser.add_argument("--examples", type=int, help="training examples per epoch")
    parser.add_argument("--epochs", type=int, default=1, help="training epochs (default 1)")
    parser.add_argument("--tokens", type=int, help="training tokens: use 6 x params x tokens")
    parser.add_argument("--macs-only", action="store_true", help="count no extras (FLOP = 2 x MAC)")
    parser.add_argument(
        "--exploit-causal-mask", action="store_true", help="count only the query-key pairs a causal/window mask keeps"
    )
    parser.add_argument("--hardware", metavar="NAME", help="processor for a time/cost/energy estimate, e.g. V100")
    parser.add_argument("--count", type=int, default=1, help="number of processors (default 1)")
    parser.add_argument(
        "--utilization",
        type=float,
        default=None,
        help="fraction of peak achieved (default 0.3 with --tokens, else 0.4)",
    )
    parser.add_argument("--no-table", action="store_true", help="print totals only")
    parser.set_defaults(handler=run)


# Options passed through to the zoo builder that accepts them.
ZOO_OPTIONS = ("seq_len", "image_size", "size", "src_len", "tgt_len")


def _load(args: argparse.Namespace):
    from .. import flops

    if Path(args.model).is_file() or args.model.endswith(".json"):
        for option in ZOO_OPTIONS:
            if getattr(args, option) is not None:
                raise ValueError(f"--{option.replace('_', '-')} applies to zoo models, not to a JSON file")
        return flops.load_model(args.model)
    if args.model not in flops.zoo.available():
        raise ValueError(f"MODEL {args.model!r} is neither a file nor a zoo model; zoo: {flops.zoo.available()}")
    builder = flops.zoo._REGISTRY[args.model]
    accepted = inspect.signature(builder).parameters
    kwargs: Dict[str, Any] = {}
    for option in ZOO_OPTIONS:
        value = getattr(args, option)
        if value is not None:
            if option not in accepted:
                raise ValueError(f"--{option.replace('_', '-')} does not apply to zoo model {args.model!r}")
            kwargs[option] = value
    return flops.zoo.get(args.model, **kwargs)


def _human(value: float) -> str:
    for unit, scale in (("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.3f}{unit}"
    return f"{value:g}"


def _table(report) -> List[str]:
    header = f"{'layer':<24} {'type':<18} {'output':<18} {'MACs':>11} {'FLOPs':>11} {'params':>11} {'backward':>11}"
    lines = [header, "-" * len(header)]
    for row in report.layers:
        shape = "x".join(str(s) for s in row.output_shape) or "scalar"
        lines.append(
            f"{row.name[:24]:<24} {row.type[:18]:<18} {shape[:18]:<18} {_human(row.macs):>11} "
            f"{_human(row.flops):>11} {_human(row.params):>11} "
            f"{_human(row.backward_input_flops + row.backward_weight_flops):>11}"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    from .. import flops

    if args.list:
        print("\n".join(flops.zoo.available()))
        return 0
    if not args.model:
        raise ValueError("MODEL is required (a zoo name or a JSON model file); see --list")
    if args.count < 1:
        raise ValueError(f"--count must be >= 1, got {args.count}")
    model = _load(args)
    convention = flops.Convention(exploit_causal_mask=args.exploit_causal_mask)
    if args.macs_only:
        convention = flops.Convention(False, False, False, False, False, False, args.exploit_causal_mask)
    training = args.training or args.examples is not None or args.tokens is not None
    report = flops.count(model, batch=args.batch, convention=convention, training=training)
    out: Dict[str, Any] = {"report": report.to_dict()}
    if not args.no_table:
        print("\n".join(_table(report)))
    print(f"model {report.model or args.model}: batch {report.batch}, {len(report.layers)} layers")
    print(f"  forward   {report.macs:,} MACs, {report.flops:,} FLOP ({report.extra_flops:,} extra)")
    print(f"  params    {report.params:,}")
    print(
        f"  backward  {report.backward_flops:,} FLOP (input grads {report.backward_input_flops:,}, "
        f"weight grads {report.backward_weight_flops:,})"
    )
    total = report.flops
    if args.examples is not None or args.tokens is not None:
        run_flops = flops.training_flops(
            model,
            examples=args.examples,
            epochs=args.epochs,
            tokens=args.tokens,
            batch=args.batch,
            convention=convention,
        )
        out["training"] = run_flops.to_dict()
        total = run_flops.total_flop
        print(f"  training  {run_flops.total_flop:,} FLOP ({run_flops.total_flop:.3e}; method {run_flops.method})")
    elif training:
        total = report.training_step_flops
        print(f"  one training step {total:,} FLOP")
    if args.hardware:
        from .. import hardware

        utilization = args.utilization if args.utilization is not None else (0.3 if args.tokens else 0.4)
        estimate = hardware.estimate(float(total), args.hardware, count=args.count, utilization=utilization)
        out["hardware"] = estimate.to_dict()
        print(f"  hardware  {estimate!r}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2, default=str) + "\n")
    return 0
