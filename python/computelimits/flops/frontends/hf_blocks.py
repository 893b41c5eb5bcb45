"""Building blocks shared by the Hugging Face builders: activations, MLPs, heads, split-bias attention.

Everything here adds catalogue layers to a ``Graph``; the builders (``hf_decoders.py``,
``hf_encoders.py``) name the nodes after the transformers modules they stand for.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from ..graph import Graph
from ..layers import (
    GELU,
    ConcatLayer,
    GatedMLP,
    Linear,
    Matmul,
    Mul,
    ReLU,
    Reshape,
    RotaryEmbedding,
    SiLU,
    Softmax,
    Transpose,
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


def gated_mlp(embed: int, hidden: int, activation: str, bias: bool) -> GatedMLP:
    return GatedMLP(embed, hidden, activation=activation, bias=bias)


def split_bias_attention(
    graph: Graph,
    x: str,
    name: str,
    *,
    length: int,
    embed: int,
    heads: int,
    kv_heads: int,
    head_dim: int,
    qkv_bias: bool,
    out_bias: bool,
    rotary_dim: int,
    kv_cache: Optional[int],
    scale: str,
) -> str:
    """Attention whose Q/K/V projections and output projection differ in bias (Qwen2: qkv only; ViT with
    ``qkv_bias=False``: output only), built from catalogue primitives because ``MultiheadAttention`` has one
    bias flag. Same MACs, params and extras as MultiheadAttention would count:

    q, k, v = Linear(E, H d), Linear(E, H_kv d), Linear(E, H_kv d); RoPE on the first ``rotary_dim`` features
    of q and k; scores = q k^T (grouped-query heads broadcast: (H_kv, g, L, d) @ (H_kv, 1, d, L_k)); times the
    1/sqrt(d) read from the model input ``scale`` (shape (1,)); Softmax; weights @ v; Linear(H d, E).
    A decode step (``kv_cache=P``) concatenates the new key and value to model inputs holding P cached ones.
    """
    group = heads // kv_heads
    q = graph.add(Linear(embed, heads * head_dim, bias=qkv_bias), [x], name=f"{name}.q_proj")
    k = graph.add(Linear(embed, kv_heads * head_dim, bias=qkv_bias), [x], name=f"{name}.k_proj")
    v = graph.add(Linear(embed, kv_heads * head_dim, bias=qkv_bias), [x], name=f"{name}.v_proj")
    heads_first = []
    for tensor, count, label in ((q, heads, "q"), (k, kv_heads, "k"), (v, kv_heads, "v")):
        split = graph.add(Reshape([length, count, head_dim]), [tensor], name=f"{name}.{label}_heads")
        heads_first.append(graph.add(Transpose(0, 1), [split], name=f"{name}.{label}_transpose"))
    q, k, v = heads_first
    if rotary_dim:
        q = graph.add(RotaryEmbedding(head_dim, rotary_dim), [q], name=f"{name}.q_rotary")
        k = graph.add(RotaryEmbedding(head_dim, rotary_dim), [k], name=f"{name}.k_rotary")
    keys = length
    if kv_cache is not None:
        for label, tensor in (("keys", k), ("values", v)):
            cached = f"past_{label}:{kv_cache}"  # (H_kv, P, d), an input the builder declared
            joined = graph.add(ConcatLayer(dim=1), [cached, tensor], name=f"{name}.{label}_cache")
            k, v = (joined, v) if label == "keys" else (k, joined)
        keys = kv_cache + 1
    query = graph.add(Reshape([kv_heads, group, length, head_dim]), [q], name=f"{name}.q_groups")
    k_t = graph.add(Transpose(1, 2), [k], name=f"{name}.k_t")
    k_t = graph.add(Reshape([kv_heads, 1, head_dim, keys]), [k_t], name=f"{name}.k_groups")
    scores = graph.add(Matmul(), [query, k_t], name=f"{name}.scores")
    scores = graph.add(Mul(), [scores, scale], name=f"{name}.scale")
    weights = graph.add(Softmax(-1), [scores], name=f"{name}.softmax")
    values = graph.add(Reshape([kv_heads, 1, keys, head_dim]), [v], name=f"{name}.v_groups")
    context = graph.add(Matmul(), [weights, values], name=f"{name}.context")
    context = graph.add(Reshape([heads, length, head_dim]), [context], name=f"{name}.context_heads")
    context = graph.add(Transpose(0, 1), [context], name=f"{name}.context_transpose")
    context = graph.add(Reshape([length, heads * head_dim]), [context], name=f"{name}.context_merge")
    return graph.add(Linear(heads * head_dim, embed, bias=out_bias), [context], name=f"{name}.o_proj")
