"""Canonical training runs for the report's compute table, each traced to its paper.

Training FLOPs come from the FLOP engine (``flops.training_flops``); time and cost
come from ``hardware.estimate`` on the original hardware and on one H100. Only
the run descriptions (data seen, hardware, reported wall time) are typed in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

IMAGENET_TRAIN_IMAGES = 1_281_167  # ILSVRC-2012 training set


@dataclass(frozen=True)
class CanonicalRun:
    """One published training run.

    ``examples`` x ``epochs`` for per-layer counting, or ``tokens`` for the 6ND
    rule; ``reported_days`` is the wall time the paper states on ``hardware``.
    """

    label: str
    zoo_name: str
    zoo_kwargs: Dict[str, object]
    hardware: str
    processor_count: int
    reported_days: Optional[float]
    source: str
    examples: Optional[int] = None
    epochs: Optional[float] = None
    tokens: Optional[float] = None
    precision: str = "fp32"


CANONICAL_RUNS = (
    CanonicalRun(
        "AlexNet",
        "alexnet",
        {},
        "GTX 580",
        2,
        5.5,
        "Krizhevsky et al. 2012: ~90 epochs of ImageNet on two GTX 580 3GB, five to six days",
        examples=IMAGENET_TRAIN_IMAGES,
        epochs=90,
    ),
    CanonicalRun(
        "VGG-16",
        "vgg16",
        {},
        "GTX Titan Black",
        4,
        17.5,
        "Simonyan & Zisserman 2015 (arXiv:1409.1556): 74 epochs on four Titan Black, 2-3 weeks",
        examples=IMAGENET_TRAIN_IMAGES,
        epochs=74,
    ),
    CanonicalRun(
        "ResNet-50",
        "resnet50",
        {},
        "P100",
        8,
        29 / 24,
        "Goyal et al. 2017 (arXiv:1706.02677): 90 epochs on eight Tesla P100 in 29 hours",
        examples=IMAGENET_TRAIN_IMAGES,
        epochs=90,
    ),
    CanonicalRun(
        "BERT-base",
        "bert_base",
        {"seq_len": 512},
        "TPU v2",
        16,
        4.0,
        "Devlin et al. 2019 (arXiv:1810.04805): 1M steps x 256 sequences x 512 tokens on 4 Cloud TPUs "
        "(16 chips), 4 days",
        tokens=1_000_000 * 256 * 512,
        precision="bf16",
    ),
    CanonicalRun(
        "BERT-large",
        "bert_large",
        {"seq_len": 512},
        "TPU v2",
        64,
        4.0,
        "Devlin et al. 2019 (arXiv:1810.04805): same data on 16 Cloud TPUs (64 chips), 4 days",
        tokens=1_000_000 * 256 * 512,
        precision="bf16",
    ),
    CanonicalRun(
        "Transformer (big)",
        "transformer_big",
        {},
        "P100",
        8,
        3.5,
        "Vaswani et al. 2017 (arXiv:1706.03762): 300k steps x ~25k target tokens on eight P100, 3.5 days",
        tokens=300_000 * 25_000,
    ),
    CanonicalRun(
        "GPT-3 175B",
        "gpt3",
        {"size": "175B"},
        "V100",
        1,
        None,
        "Brown et al. 2020 (arXiv:2005.14165): 300B tokens on V100s (count not published; one V100 shown)",
        tokens=300e9,
        precision="fp16",
    ),
)


@dataclass(frozen=True)
class CanonicalCost:
    """Counts and costs of one canonical run (FLOP, seconds, USD)."""

    label: str
    params: int
    forward_macs: int
    training_flop: int
    training_method: str
    hardware: str
    processor_count: int
    reported_seconds: Optional[float]
    implied_utilization: Optional[float]
    original_seconds: float
    original_usd: Optional[float]
    h100_seconds: float
    h100_usd: Optional[float]
    source: str

    def to_dict(self) -> Dict[str, object]:
        from dataclasses import asdict

        return asdict(self)


def canonical_costs(
    runs=CANONICAL_RUNS, *, utilization: float = 0.4, h100: str = "H100 SXM", h100_precision: str = "bf16"
) -> list:
    """Training FLOPs of each run from the FLOP engine, and its time and cost.

    Original hardware: ``hardware.estimate`` at ``utilization`` of the run's
    precision peak, next to the paper's reported wall time and the utilization
    that time implies (FLOP / (count x peak x seconds)). H100: one
    ``h100`` at ``utilization`` of its ``h100_precision`` dense peak.
    """
    from .. import flops, hardware

    costs = []
    for run in runs:
        model = flops.zoo.get(run.zoo_name, **run.zoo_kwargs)
        report = flops.count(model)
        if run.tokens is not None:
            training = flops.training_flops(model, tokens=int(run.tokens))
        else:
            training = flops.training_flops(model, examples=run.examples, epochs=run.epochs)
        total = int(training.total_flop)
        original = hardware.estimate(
            total, run.hardware, count=run.processor_count, utilization=utilization, precision=run.precision
        )
        on_h100 = hardware.estimate(total, h100, count=1, utilization=utilization, precision=h100_precision)
        reported = None if run.reported_days is None else run.reported_days * 86400.0
        implied = None
        if reported is not None:
            peak = hardware.get_processor(run.hardware).peak(run.precision)
            implied = total / (run.processor_count * peak * reported)
        costs.append(
            CanonicalCost(
                run.label,
                int(report.params),
                int(report.macs),
                total,
                training.method,
                run.hardware,
                run.processor_count,
                reported,
                implied,
                original.wall_seconds,
                original.cost_usd,
                on_h100.wall_seconds,
                on_h100.cost_usd,
                run.source,
            )
        )
    return costs
