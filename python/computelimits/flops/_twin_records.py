"""Python twin of cpp/src/flops/records.cpp: every layer record's arguments, checked.

The C++ core validates the records it is given because its binding is reachable
with any integers; this twin raises the same ValueError messages, so both
backends refuse the same records in the same words.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any, Dict, List, Tuple

from ._layer_base import KINDS

MAX_SIZE = 2**62
SIZE, COUNT, FLAG, DIM = "size", "count", "flag", "dim"
_RANGES = {
    SIZE: (1, MAX_SIZE - 1, "in [1, 2^62)"),
    COUNT: (0, MAX_SIZE - 1, "in [0, 2^62)"),
    FLAG: (0, 1, "0 or 1"),
    DIM: (-64, 64, "in [-64, 64]"),
}
_NO_ARGS = {
    "GlobalAvgPool",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Tanh",
    "Matmul",
    "Add",
    "Mul",
    "Flatten",
    "Dropout",
    "Identity",
}
# Fixed-length records: (field, range) per argument.
_FIXED: Dict[str, List[Tuple[str, Any]]] = {
    "Linear": [("in_features", SIZE), ("out_features", SIZE), ("bias", FLAG), ("shared_weight", FLAG)],
    "BatchNorm": [("spatial_dims", (1, 3)), ("num_features", SIZE), ("affine", FLAG)],
    "GELU": [("approximate_tanh", FLAG)],
    "Softmax": [("dim", DIM)],
    "Concat": [("dim", DIM)],
    "Embedding": [("num_embeddings", SIZE), ("embedding_dim", SIZE), ("shared_weight", FLAG)],
    "AdditiveEmbedding": [("num_embeddings", SIZE), ("embedding_dim", SIZE)],
    "RNN": [("input_size", SIZE), ("hidden_size", SIZE), ("num_layers", SIZE), ("bias", FLAG), ("bidirectional", FLAG)],
    "Select": [("dim", DIM), ("index", (-MAX_SIZE + 1, MAX_SIZE - 1))],
    "GatedMLP": [("embed_dim", SIZE), ("hidden_dim", SIZE), ("activation", (0, 3)), ("bias", FLAG)],
    "Transpose": [("dim0", DIM), ("dim1", DIM)],
    "LearnedTokens": [("num_tokens", SIZE), ("embedding_dim", SIZE)],
    "MultiheadAttention": [
        ("embed_dim", SIZE),
        ("num_heads", SIZE),
        ("num_kv_heads", SIZE),
        ("head_dim", SIZE),
        ("kv_dim", SIZE),
        ("kv_seq_len", COUNT),
        ("causal", FLAG),
        ("window", COUNT),
        ("kv_cache", (-1, MAX_SIZE - 1)),
        ("bias", FLAG),
        ("rotary_dim", COUNT),
        ("qk_norm", (0, 2)),
        ("qk_norm_across_heads", FLAG),
        ("relative_position_bias", COUNT),
        ("relative_position_bias_shared", FLAG),
        ("scale_scores", FLAG),
        ("out_bias", FLAG),
    ],
    "MixtureOfExperts": [
        ("embed_dim", SIZE),
        ("expert_hidden_dim", SIZE),
        ("num_experts", SIZE),
        ("top_k", SIZE),
        ("activation", (0, 3)),
        ("gated", FLAG),
        ("router", (0, 1)),
        ("normalize_top_k", FLAG),
        ("num_shared_experts", COUNT),
        ("shared_hidden_dim", COUNT),
        ("shared_expert_gate", FLAG),
        ("bias", FLAG),
    ],
    "RotaryEmbedding": [("head_dim", SIZE), ("rotary_dim", SIZE)],
}
_FIXED["LSTM"] = _FIXED["GRU"] = _FIXED["RNN"]
_FIXED["GroupNorm"] = [("num_groups", SIZE), ("num_channels", SIZE), ("affine", FLAG)]
_RELATED = {"GroupNorm", "MultiheadAttention", "MixtureOfExperts", "RotaryEmbedding"}


class _Record:
    def __init__(self, name: str, args: Sequence[int]) -> None:
        self.name, self.args = name, args

    def error(self, message: str):
        raise ValueError(f"{self.name} record: {message}")

    def size_is(self, count: int) -> None:
        if len(self.args) != count:
            self.error(f"has {len(self.args)} arguments, expected {count}")

    def size_at_least(self, count: int) -> None:
        if len(self.args) < count:
            self.error(f"has {len(self.args)} arguments, expected at least {count}")

    def field(self, i: int, name: str, allowed) -> int:
        v = self.args[i]
        low, high, text = _RANGES[allowed] if isinstance(allowed, str) else (*allowed, "")
        if not low <= v <= high:
            self.error(f"{name}={v} must be {text or f'in [{low}, {high}]'}")
        return v

    def fields(self, first: int, count: int, name: str, allowed) -> None:
        for j in range(count):
            self.field(first + j, name, allowed)

    def dims(self) -> int:
        self.size_at_least(1)
        return self.field(0, "spatial_dims", (1, 3))

    def divides(self, groups: int, group_name: str, value: int, name: str) -> None:
        if value % groups:
            self.error(f"{group_name}={groups} does not divide {name}={value}")


def check_record(kind: int, args: Sequence[int]) -> None:
    """ValueError naming the kind and field when a record's arguments are out of range or inconsistent."""
    if not 0 <= kind < len(KINDS):
        raise ValueError(f"unknown layer kind {kind}")
    name = KINDS[kind]
    r = _Record(name, args)
    if name in _NO_ARGS:
        r.size_is(0)
    elif name in _FIXED:
        fields = _FIXED[name]
        r.size_is(len(fields))
        for i, (field, allowed) in enumerate(fields):
            r.field(i, field, allowed)
        if name in _RELATED:
            _relations(r, name, {field: args[i] for i, (field, _) in enumerate(fields)})
    elif name in ("Conv", "ConvTranspose"):
        d = r.dims()
        transposed = name == "ConvTranspose"
        r.size_is(5 + (5 if transposed else 4) * d)
        ci, co = r.field(1, "in_channels", SIZE), r.field(2, "out_channels", SIZE)
        groups = r.field(3, "groups", SIZE)
        r.field(4, "bias", FLAG)
        r.fields(5, d, "kernel_size", SIZE)
        r.fields(5 + d, d, "stride", SIZE)
        r.fields(5 + 2 * d, d, "padding", COUNT)
        if transposed:
            r.fields(5 + 3 * d, d, "output_padding", COUNT)
        r.fields(5 + (4 if transposed else 3) * d, d, "dilation", SIZE)
        r.divides(groups, "groups", ci, "in_channels")
        r.divides(groups, "groups", co, "out_channels")
    elif name in ("LayerNorm", "RMSNorm"):
        head = 2 if name == "LayerNorm" else 1
        r.size_at_least(head + 1)
        r.field(0, "elementwise_affine", FLAG)
        if head == 2:
            r.field(1, "bias", FLAG)
        r.fields(head, len(args) - head, "normalized_shape", SIZE)
    elif name in ("MaxPool", "AvgPool"):
        d = r.dims()
        r.size_is(2 + 3 * d)
        r.field(1, "ceil_mode", FLAG)
        r.fields(2, d, "kernel_size", SIZE)
        r.fields(2 + d, d, "stride", SIZE)
        r.fields(2 + 2 * d, d, "padding", COUNT)
        for j in range(d):
            if args[2 + 2 * d + j] > args[2 + j] // 2:
                r.error(f"padding={args[2 + 2 * d + j]} must be at most half of kernel_size={args[2 + j]}")
    elif name in ("AdaptiveAvgPool", "AdaptiveMaxPool"):
        d = r.dims()
        r.size_is(1 + d)
        r.fields(1, d, "output_size", COUNT)
    elif name == "Upsample":
        r.size_at_least(3)
        r.field(0, "bilinear", FLAG)
        by_size = r.field(1, "by_size", FLAG)
        count = r.field(2, "entries", (1, 3))
        r.size_is(3 + count)
        for j in range(count):
            if by_size:
                r.field(3 + j, "size", SIZE)
                continue
            scale = struct.unpack("<d", struct.pack("<q", args[3 + j]))[0]
            if not (math.isfinite(scale) and 0.0 < scale < 2.0**31):
                r.error(f"scale_factor={_cpp_double(scale)} must be a finite number in (0, 2^31)")
    elif name == "Reshape":
        r.size_at_least(1)
        for j, v in enumerate(args):
            if v != -1:
                r.field(j, "shape", SIZE)
        if list(args).count(-1) > 1:
            r.error("shape may contain -1 at most once")
    elif name == "LearnedElementwise":
        r.size_at_least(2)
        if len(args) > 65:
            r.error(f"has {len(args) - 1} dims, at most 64 allowed")
        r.field(0, "op", (0, 1))
        r.fields(1, len(args) - 1, "shape", SIZE)
    elif name == "Permute":
        r.size_at_least(1)
        if len(args) > 64:
            r.error(f"has {len(args)} dims, at most 64 allowed")
        r.fields(0, len(args), "dims", DIM)


def _relations(r: _Record, name: str, v) -> None:
    """Checks between the fields of fixed-length records (same order as records.cpp)."""
    if name == "GroupNorm":
        r.divides(v["num_groups"], "num_groups", v["num_channels"], "num_channels")
    elif name == "MultiheadAttention":
        r.divides(v["num_kv_heads"], "num_kv_heads", v["num_heads"], "num_heads")
        if v["rotary_dim"] > v["head_dim"] or v["rotary_dim"] % 2:
            r.error(f"rotary_dim={v['rotary_dim']} must be even and at most head_dim={v['head_dim']}")
        if v["kv_seq_len"] and (v["causal"] or v["window"]):
            r.error(f"causal/window apply to self-attention, not to cross-attention over kv_seq_len={v['kv_seq_len']}")
        if v["kv_seq_len"] and v["kv_cache"] >= 0:
            r.error("kv_cache (a decode step) cannot be combined with kv_seq_len")
        if v["relative_position_bias_shared"] and not v["relative_position_bias"]:
            r.error("relative_position_bias_shared=1 needs relative_position_bias buckets")
    elif name == "MixtureOfExperts":
        if v["top_k"] > v["num_experts"]:
            r.error(f"top_k={v['top_k']} exceeds num_experts={v['num_experts']}")
        if (v["num_shared_experts"] == 0) != (v["shared_hidden_dim"] == 0):
            r.error(
                f"shared_hidden_dim={v['shared_hidden_dim']} and num_shared_experts={v['num_shared_experts']} "
                "must both be 0 or both positive"
            )
        if v["shared_expert_gate"] and not v["num_shared_experts"]:
            r.error("shared_expert_gate=1 needs shared experts")
    elif name == "RotaryEmbedding" and (v["rotary_dim"] > v["head_dim"] or v["rotary_dim"] % 2):
        r.error(f"rotary_dim={v['rotary_dim']} must be even and at most head_dim={v['head_dim']}")


def _cpp_double(value: float) -> str:
    """A double as C++'s std::to_string prints it (fixed, 6 decimals)."""
    if math.isnan(value):
        return "-nan" if math.copysign(1.0, value) < 0 else "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.6f}"
