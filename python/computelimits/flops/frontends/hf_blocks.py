"""Building blocks shared by the Hugging Face builders: activations and MLPs.

Everything here adds catalogue layers to a ``Graph``; the builders (``hf_decoders.py``,
``hf_encoders.py``) name the nodes after the transformers modules they stand for.
"""

from __future__ import annotations

from typing import Any, Dict

from ..layers import (
    GELU,
    GatedMLP,
    Layer,
    Linear,
    ReLU,
    SiLU,
)

#: transformers activation names (``ACT2FN`` keys) -> GatedMLP activation; the plain layer follows it.
ACTIVATIONS: Dict[str, str] = {
    "silu": "silu",
    "swish": "silu",
    "gelu": "gelu",
    "gelu_new": "gelu_tanh",
    "gelu_fast": "gelu_tanh",
    "gelu_pytorch_tanh": "gelu_tanh",
    "relu": "relu",
}


def activation_name(family: str, key: str, value: Any) -> str:
    """The GatedMLP activation of a transformers activation name; ValueError naming the key otherwise."""
    if value not in ACTIVATIONS:
        raise ValueError(f"{family} config key {key!r}={value!r} is not supported; supported: {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[value]


def activation_layer(name: str) -> Any:
    """The plain (ungated) activation layer for a GatedMLP activation name."""
    return {
        "silu": SiLU(),
        "gelu": GELU(approximate="none"),
        "gelu_tanh": GELU(approximate="tanh"),
        "relu": ReLU(),
    }[name]


def mlp(embed: int, hidden: int, activation: str, bias: bool) -> list:
    """Linear(E, H) - activation - Linear(H, E): GPT-2, GPT-NeoX, BERT, ViT, T5 v1.0 feed-forward blocks."""
    return [Linear(embed, hidden, bias=bias), activation_layer(activation), Linear(hidden, embed, bias=bias)]


def gated_mlp(embed: int, hidden: int, activation: str, bias: bool) -> Layer:
    return GatedMLP(embed, hidden, activation=activation, bias=bias)
