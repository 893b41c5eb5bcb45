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
        "AlexNet", "alexnet", {}, "GTX 580", 2, 5.5,
        "Krizhevsky et al. 2012: ~90 epochs of ImageNet on two GTX 580 3GB, five to six days",
        examples=IMAGENET_TRAIN_IMAGES, epochs=90),
    CanonicalRun(
        "VGG-16", "vgg16", {}, "GTX Titan Black", 4, 17.5,
        "Simonyan & Zisserman 2015 (arXiv:1409.1556): 74 epochs on four Titan Black, 2-3 weeks",
        examples=IMAGENET_TRAIN_IMAGES, epochs=74),
    CanonicalRun(
        "ResNet-50", "resnet50", {}, "P100", 8, 29 / 24,
        "Goyal et al. 2017 (arXiv:1706.02677): 90 epochs on eight Tesla P100 in 29 hours",
        examples=IMAGENET_TRAIN_IMAGES, epochs=90),
    CanonicalRun(
        "BERT-base", "bert_base", {"seq_len": 512}, "TPU v2", 16, 4.0,
        "Devlin et al. 2019 (arXiv:1810.04805): 1M steps x 256 sequences x 512 tokens on 4 Cloud TPUs "
        "(16 chips), 4 days",
        tokens=1_000_000 * 256 * 512),
    CanonicalRun(
        "BERT-large", "bert_large", {"seq_len": 512}, "TPU v2", 64, 4.0,
        "Devlin et al. 2019 (arXiv:1810.04805): same data on 16 Cloud TPUs (64 chips), 4 days",
        tokens=1_000_000 * 256 * 512),
    CanonicalRun(
        "Transformer (big)", "transformer_big", {}, "P100", 8, 3.5,
        "Vaswani et al. 2017 (arXiv:1706.03762): 300k steps x ~25k target tokens on eight P100, 3.5 days",
        tokens=300_000 * 25_000),
    CanonicalRun(
        "GPT-3 175B", "gpt3", {"size": "175B"}, "V100", 1, None,
        "Brown et al. 2020 (arXiv:2005.14165): 300B tokens on V100s (count not published; one V100 shown)",
        tokens=300e9, precision="fp16"),
)
