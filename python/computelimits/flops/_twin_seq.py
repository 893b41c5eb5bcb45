"""Python twin, sequence layers: attention and recurrent layers.

Mirrors cpp/src/flops/layers_sequence.cpp (same formulas, same checked operations).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Tuple

from ._twin_base import (
    ACTIVATION,
    BIAS,
    ELEMENTWISE,
    EXPLOIT_CAUSAL,
    NORMALIZATION,
    RNN_GATES,
    SOFTMAX,
    NodeCount,
    _match,
    _need,
    add,
    attention_pairs,
    mul,
)


def attention(args: Sequence[int], shapes, batch: int, flags: int) -> NodeCount:
    """Projections + scores/values 2 B Lq Lk d MACs (d = heads x head_dim), see docs/flops.md."""
    (embed, heads, kv_heads, head_dim, kv_dim, kv_seq_len, causal, window, kv_cache, bias) = args[:10]
    rotary, qk_norm, norm_across_heads, buckets, bias_shared, scale_scores, out_bias = args[10:17]
    if len(shapes) not in (1, 2):
        raise ValueError(f"takes 1 input (query) or 2 (query, memory), got {len(shapes)}")
    x = tuple(shapes[0])
    _need(x, 2, "length, embed_dim")
    _match("embed_dim", embed, x[1], x)
    length = x[0]
    exploit = bool(flags & EXPLOIT_CAUSAL)
    if len(shapes) == 2:
        memory = tuple(shapes[1])
        _need(memory, 2, "memory length, kv_dim")
        _match("kv_dim", kv_dim, memory[1], memory)
        if kv_seq_len and memory[0] != kv_seq_len:
            raise ValueError(f"kv_seq_len={kv_seq_len} does not match memory length {memory[0]}")
        if causal or window or kv_cache >= 0:
            raise ValueError("causal/window/kv_cache apply to self-attention, not to a memory input")
        kv_rows, pairs = memory[0], mul(length, memory[0])
    elif kv_seq_len:
        kv_rows, pairs = kv_seq_len, mul(length, kv_seq_len)
    else:
        if kv_dim != embed:
            raise ValueError(
                f"kv_dim={kv_dim} differs from embed_dim={embed}: cross-attention needs kv_seq_len or a memory input"
            )
        if kv_cache >= 0:
            if length != 1:
                raise ValueError(f"kv_cache decode step takes a single token, got input length {length}")
            keys = add(kv_cache, 1)
            if window and exploit:
                keys = min(keys, window)
            kv_rows, pairs = 1, keys
        else:
            kv_rows = length
            pairs = attention_pairs(length, bool(causal), window) if exploit else mul(length, length)
    inner, kv_inner = mul(heads, head_dim), mul(kv_heads, head_dim)
    proj_q = mul(batch, length, embed, inner)
    proj_kv = mul(2, batch, kv_rows, kv_dim, kv_inner)
    proj_o = mul(batch, length, inner, embed)
    scores = mul(2, batch, pairs, inner)
    macs = add(proj_q, proj_kv, proj_o, scores)
    bias_flops = 0  # bias: the Q, K and V projections; out_bias: the output projection
    if flags & BIAS:
        bias_flops = add(
            add(mul(batch, length, inner), mul(2, batch, kv_rows, kv_inner)) if bias else 0,
            mul(batch, length, embed) if out_bias else 0,
        )
    score_elements = mul(batch, heads, pairs)
    softmax = mul(6 if scale_scores else 5, score_elements) if flags & SOFTMAX else 0
    # Rotary: 3 FLOPs (x cos + rotate_half(x) sin) per rotated feature of every query and key head.
    rope = 0
    if rotary and flags & ELEMENTWISE:
        rope = mul(3, add(mul(batch, length, heads), mul(batch, kv_rows, kv_heads)), rotary)
    # QK-norm over the new queries and keys: RMSNorm 3 + 1 per element, LayerNorm 5 + 1 (+ 1 bias).
    normed = add(mul(batch, length, inner), mul(batch, kv_rows, kv_inner)) if qk_norm else 0
    norm_bias = 1 if qk_norm == 2 and bias else 0
    norm_on = bool(flags & NORMALIZATION)
    norm_stats = mul(5 if qk_norm == 2 else 3, normed) if norm_on else 0
    norm_scale = mul(1 + norm_bias, normed) if norm_on else 0
    norm_grad = mul(2 + norm_bias, normed) if norm_on else 0
    # T5 relative position bias: one add per kept score; the table is read, its gradient scatter-added.
    bias_add = score_elements if buckets and flags & ELEMENTWISE else 0
    extra = add(bias_flops, softmax, rope, norm_stats, norm_scale, bias_add)
    norm_width = (add(inner, kv_inner) if norm_across_heads else mul(2, head_dim)) if qk_norm else 0
    params = add(
        mul(embed, inner),
        mul(2, kv_dim, kv_inner),
        mul(inner, embed),
        add(inner, mul(2, kv_inner)) if bias else 0,
        embed if out_bias else 0,
        mul(1 + norm_bias, norm_width),
        mul(buckets, heads) if buckets and not bias_shared else 0,
    )
    if len(shapes) == 2:
        external: Tuple[int, ...] = (mul(2, proj_q), mul(2, proj_kv))
    elif kv_seq_len:
        external = (mul(2, proj_q),)
    else:
        external = (add(mul(2, proj_q), mul(2, proj_kv)),)
    internal = add(mul(2, proj_o), mul(2, 2, scores), softmax, rope, norm_stats)
    weight = add(
        mul(2, proj_q), mul(2, proj_kv), mul(2, proj_o), bias_flops, norm_grad, score_elements if buckets else 0
    )
    stored = add(
        mul(2, batch, length, inner),
        mul(2, batch, kv_rows, kv_inner),
        mul(2, score_elements),
        mul(batch, length, embed),
        normed,
    )
    return NodeCount(x, macs, extra, params, internal, external, weight, stored)


def recurrent(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """Elman RNN / LSTM / GRU: per step and direction g H (in + H) MACs, g = 1 / 4 / 3."""
    input_size, hidden, layers, bias, bidirectional = args
    gates, act_cost, ew_cost = RNN_GATES[name]
    _need(x, 2, "length, input_size")
    _match("input_size", input_size, x[1], x)
    length, directions = x[0], 2 if bidirectional else 1
    steps = mul(batch, length, directions)
    # Layer 0 reads input_size features, layers 1.. read directions x hidden.
    bias_params = mul(2, gates, hidden) if bias else 0
    first = mul(gates, hidden, add(input_size, hidden))
    rest = mul(gates, hidden, add(mul(directions, hidden), hidden))
    macs = add(mul(steps, first), mul(steps, rest, layers - 1))
    params = add(mul(directions, add(first, bias_params)), mul(directions, add(rest, bias_params), layers - 1))
    first_input_macs = mul(steps, gates, hidden, input_size)
    units = mul(steps, layers, hidden)
    bias_flops = mul(units, 2, gates) if bias and flags & BIAS else 0
    act = mul(units, act_cost) if flags & ACTIVATION else 0
    ew = mul(units, ew_cost) if flags & ELEMENTWISE else 0
    internal = add(mul(2, macs - first_input_macs), act, ew)
    return NodeCount(
        (length, mul(directions, hidden)),
        macs,
        add(bias_flops, act, ew),
        params,
        internal,
        (mul(2, first_input_macs),),
        add(mul(2, macs), bias_flops),
        mul(units, gates + 1),
    )
