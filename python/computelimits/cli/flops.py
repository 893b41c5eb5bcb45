"""``computelimits flops MODEL``: per-layer FLOP table, totals, training run, inference and hardware estimate.

MODEL is a zoo name, a JSON model file (``flops.save_model``) or a Hugging Face ``config.json`` (a JSON
object with ``model_type``). Counts accept e-notation (``--tokens 1e12``).
"""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path
from typing import Any, Dict, List

from . import _args


def register(subparsers: Any) -> None:
    from ..hardware import UTILIZATION_LLM, UTILIZATION_OTHER

    parser = subparsers.add_parser(
        "flops",
        help="count the FLOPs of a zoo model, a JSON model file or a Hugging Face config.json",
        description="Per-layer MACs, FLOPs (2 x MAC + extras), parameters and backward FLOPs of MODEL: a zoo "
        "name (see --list), a JSON model file or a Hugging Face config.json; optionally a whole training run, "
        "a text generation (--inference) and their time, cost, energy and CO2 on a processor.",
    )
    parser.add_argument("model", nargs="?", metavar="MODEL", help="zoo name, JSON model file or HF config.json")
    parser.add_argument("--list", action="store_true", help="list the zoo models and exit")
    parser.add_argument(
        "--batch", type=_args.count("--batch", 1), default=1, help="examples per forward pass (default 1)"
    )
    parser.add_argument("--seq-len", type=_args.count("--seq-len", 1), help="sequence length (zoo LLMs, HF configs)")
    parser.add_argument("--decoder-seq-len", type=_args.count("--decoder-seq-len", 1), help="T5 decoder length")
    parser.add_argument(
        "--image-size", type=_args.count("--image-size", 1), help="input image side (zoo vision models)"
    )
    parser.add_argument("--size", help="model size for gpt2 (small|medium|large|xl) and gpt3 (125M..175B)")
    parser.add_argument("--src-len", type=_args.count("--src-len", 1), help="source length (transformer_base/big)")
    parser.add_argument("--tgt-len", type=_args.count("--tgt-len", 1), help="target length (transformer_base/big)")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="--json alone: print the results as JSON for machines (the text goes to stderr); "
        "--json FILE: also write them to FILE",
    )
    parser.add_argument(
        "--training", action="store_true", help="train-mode counts; with --examples, the FLOPs of a whole training run"
    )
    parser.add_argument(
        "--examples", type=_args.count("--examples", 1), help="training examples per epoch (1e6 allowed)"
    )
    parser.add_argument("--epochs", type=_args.count("--epochs", 1), default=1, help="training epochs (default 1)")
    parser.add_argument("--tokens", type=_args.count("--tokens", 1), help="training tokens: 6 x params x tokens (1e12)")
    parser.add_argument(
        "--inference", action="store_true", help="count a generation: prefill of --prompt, --generate decode steps"
    )
    parser.add_argument("--prompt", type=_args.count("--prompt", 1), help="prompt tokens for --inference")
    parser.add_argument(
        "--generate", type=_args.count("--generate", 0), default=0, help="tokens generated (--inference)"
    )
    parser.add_argument(
        "--precision",
        help="number format: bytes of weights and KV cache for --inference (default bf16) and the peak rate "
        "of --hardware (default: hardware.estimate's)",
    )
    parser.add_argument("--macs-only", action="store_true", help="count no extras (FLOP = 2 x MAC)")
    parser.add_argument(
        "--exploit-causal-mask", action="store_true", help="count only the query-key pairs a causal/window mask keeps"
    )
    parser.add_argument("--hardware", metavar="NAME", help="processor for a time/cost/energy estimate, e.g. V100")
    parser.add_argument("--count", type=_args.count("--count", 1), default=1, help="number of processors (default 1)")
    parser.add_argument(
        "--utilization",
        type=_args.positive_real("--utilization", 1.0),
        default=None,
        help=f"fraction of peak achieved (default: {UTILIZATION_LLM} for decoder-only language models, --tokens "
        f"and --inference, else {UTILIZATION_OTHER}: hardware's Epoch AI defaults, Sevilla et al. 2022)",
    )
    parser.add_argument("--no-table", action="store_true", help="print totals only")
    parser.set_defaults(handler=run)


# Options passed through to the zoo builder that accepts them.
ZOO_OPTIONS = ("seq_len", "image_size", "size", "src_len", "tgt_len")


def _hf_config(path: Path) -> Any:
    """The JSON object in ``path`` if it is a Hugging Face config (it has ``model_type``), else None."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and "model_type" in data else None


def _load(args: argparse.Namespace):
    from .. import flops

    if Path(args.model).is_file() or args.model.endswith(".json"):
        config = _hf_config(Path(args.model)) if Path(args.model).is_file() else None
        if config is not None:
            for option in ("image_size", "size", "src_len", "tgt_len"):
                if getattr(args, option) is not None:
                    raise ValueError(f"--{option.replace('_', '-')} does not apply to a Hugging Face config")
            if config["model_type"] != "vit" and args.seq_len is None:
                raise ValueError("a Hugging Face config of a text model needs --seq-len (tokens per example)")
            return flops.from_hf_config(config, seq_len=args.seq_len, decoder_seq_len=args.decoder_seq_len)
        for option in (*ZOO_OPTIONS, "decoder_seq_len"):
            if getattr(args, option) is not None:
                raise ValueError(
                    f"--{option.replace('_', '-')} applies to zoo models and HF configs, not to a JSON model file"
                )
        return flops.load_model(args.model)
    try:
        builder = flops.zoo.builder(args.model)
    except ValueError as error:
        raise ValueError(f"MODEL {args.model!r} is neither a file nor a zoo model ({error})") from None
    if args.decoder_seq_len is not None:
        raise ValueError("--decoder-seq-len applies to T5 Hugging Face configs")
    accepted = inspect.signature(builder).parameters
    kwargs: Dict[str, Any] = {}
    for option in ZOO_OPTIONS:
        value = getattr(args, option)
        if value is not None:
            if option not in accepted:
                raise ValueError(f"--{option.replace('_', '-')} does not apply to zoo model {args.model!r}")
            kwargs[option] = value
    return builder(**kwargs)


def _human(value: float) -> str:
    for unit, scale in (("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.3f}{unit}"
    return f"{value:g}"


def _table(report) -> List[str]:
    """Per-layer rows; an ``active`` column for mixtures of experts; uncounted operators last."""
    moe = any(row.active_params != row.params for row in report.layers)
    header = f"{'layer':<24} {'type':<18} {'output':<18} {'MACs':>11} {'FLOPs':>11} {'params':>11}"
    header += f" {'active':>11}" * moe + f" {'backward':>11}"
    lines = [header, "-" * len(header)]
    for row in report.layers:
        shape = "x".join(str(s) for s in row.output_shape) or "scalar"
        line = (
            f"{row.name[-24:]:<24} {row.type[:18]:<18} {shape[:18]:<18} {_human(row.macs):>11} "
            f"{_human(row.flops):>11} {_human(row.params):>11}"
        )
        line += f" {_human(row.active_params):>11}" * moe
        lines.append(line + f" {_human(row.backward_input_flops + row.backward_weight_flops):>11}")
    for op in report.uncounted:
        lines.append(f"{op.operator[-24:]:<24} {'uncounted':<18} {f'{op.calls} calls':<18} {'?':>11} {'?':>11}")
    return lines


def _inference(args: argparse.Namespace, model: Any, convention: Any, out: Dict[str, Any]) -> int:
    from .. import flops

    if args.prompt is None:
        raise ValueError("--inference needs --prompt N (prompt tokens)")
    result = flops.inference_flops(
        model, args.prompt, args.generate, batch=args.batch, precision=args.precision or "bf16", convention=convention
    )
    out["inference"] = result.to_dict()
    print(
        f"model {result.model}: generation of {result.generated_tokens} tokens after {result.prompt_tokens}, batch {result.batch}"
    )
    print(f"  prefill   {result.prefill_macs:,} MACs, {result.prefill_flops:,} FLOP")
    if result.generated_tokens:
        print(
            f"  decode    {result.decode_total_macs:,} MACs, {result.decode_total_flops:,} FLOP "
            f"(token 0: {int(result.decode_flops[0]):,} FLOP, token {result.generated_tokens - 1}: "
            f"{int(result.decode_flops[-1]):,} FLOP)"
        )
    print(f"  total     {result.total_macs:,} MACs, {result.total_flops:,} FLOP ({result.total_flops:.3e})")
    print(f"  params    {result.params:,} ({result.active_params:,} active per token)")
    print(f"  memory    weights {result.weight_bytes:,} B, KV cache {result.kv_cache_bytes:,} B ({result.precision})")
    return result.total_flops


def run(args: argparse.Namespace) -> int:
    import contextlib
    import sys

    from .. import _json

    if args.json == "-":  # JSON alone on stdout: the text goes to stderr
        with contextlib.redirect_stdout(sys.stderr):
            out = _count(args)
        print(_json.dumps(out, indent=2, default=str))
        return 0
    out = _count(args)
    if args.json:
        Path(args.json).write_text(_json.dumps(out, indent=2, default=str) + "\n")
    return 0


def _count(args: argparse.Namespace) -> Dict[str, Any]:
    """Print the counts (and estimate) and return them as a dict for --json."""
    from .. import flops

    if args.list:
        print("\n".join(flops.zoo.names()))
        return {"zoo": flops.zoo.names()}
    if not args.model:
        raise ValueError("MODEL is required (a zoo name, a JSON model file or a HF config.json); see --list")
    if args.inference and (args.examples is not None or args.tokens is not None or args.training):
        raise ValueError("--inference counts a generation; it does not combine with --training/--examples/--tokens")
    if not args.inference and (args.prompt is not None or args.generate):
        raise ValueError("--prompt and --generate apply with --inference")
    model = _load(args)
    convention = flops.Convention(exploit_causal_mask=args.exploit_causal_mask)
    if args.macs_only:
        convention = flops.Convention(False, False, False, False, False, False, args.exploit_causal_mask)
    out: Dict[str, Any] = {}
    if args.inference:
        total = _inference(args, model, convention, out)
    else:
        total = _forward_and_training(args, model, convention, out)
    if args.hardware:
        from .hardware import estimate_from_args

        if getattr(args, "workload", None) is None:  # hardware's default utilization for this workload
            args.workload = _workload(args, model)
        estimate = estimate_from_args(float(total), args.hardware, args)
        out["hardware"] = estimate.to_dict()
        print("  hardware  " + str(estimate).replace("\n", "\n            "))
    return out


def _workload(args: argparse.Namespace, model: Any) -> str:
    """hardware.estimate's workload: "llm" for a training run in tokens, a generation or a decoder-only
    language model from a Hugging Face config (zoo LLMs included), else "other"."""
    source = getattr(model, "hf_source", None)
    language = source is not None and source.is_decoder
    return "llm" if args.tokens is not None or args.inference or language else "other"


def _forward_and_training(args: argparse.Namespace, model: Any, convention: Any, out: Dict[str, Any]) -> int:
    from .. import flops

    training = args.training or args.examples is not None or args.tokens is not None
    report = flops.count(model, batch=args.batch, convention=convention, training=training)
    out["report"] = report.to_dict()
    if not args.no_table:
        print("\n".join(_table(report)))
    print(f"model {report.model or args.model}: batch {report.batch}, {len(report.layers)} layers")
    print(f"  forward   {report.macs:,} MACs, {report.flops:,} FLOP ({report.extra_flops:,} extra)")
    active = f" ({report.active_params:,} active per token)" if report.active_params != report.params else ""
    if report.uncounted_params:
        active += f"; {report.uncounted_params:,} more read only by uncounted operators"
    print(f"  params    {report.params:,}{active}")
    if report.uncounted:
        print(f"  uncounted {', '.join(str(op) for op in report.uncounted)} (not in any total)")
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
    return total
