"""Python twin, transformer-era layers: gated MLP, mixture of experts, rotary, permutes, learned tensors.

Mirrors cpp/src/flops/layers_mixture.cpp and the permute / learned-token / learned element-wise parts
of cpp/src/flops/layers_shape.cpp (same formulas, same checked operations). A gated
MLP counts what the catalogue gives for its parts (Linear gate, activation, Linear
up, Mul, Linear down); a mixture of experts counts the active path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Tuple

from ._twin_base import (
    ACTIVATION,
    BIAS,
    ELEMENTWISE,
    MLP_ACTIVATION_COST,
    SOFTMAX,
    NodeCount,
    _match,
    _need,
    _shape_text,
    add,
    mul,
    numel,
)


@dataclass(frozen=True)
class MlpCount:
    """Counts of a (gated or plain) MLP of width H over ``rows`` rows of width E."""

    projection: int = 0  # MACs of one E x H projection over the rows
    macs: int = 0
    extra: int = 0
    bias_flops: int = 0
    params: int = 0
    bwd_external: int = 0
    bwd_internal: int = 0
    bwd_weight: int = 0
    activations: int = 0


def mlp_params(embed: int, hidden: int, gated: bool, bias: bool) -> int:
    """(2 or 3) E H weights + (2 H or H) + E biases."""
    inputs = 2 if gated else 1
    return add(mul(inputs + 1, embed, hidden), add(mul(inputs, hidden), embed) if bias else 0)


def mlp(rows: int, embed: int, hidden: int, gated: bool, activation: int, bias: bool, flags: int) -> MlpCount:
    inputs = 2 if gated else 1
    projection = mul(rows, embed, hidden)
    macs = mul(inputs + 1, projection)
    hidden_n, out_n = mul(rows, hidden), mul(rows, embed)
    bias_flops = add(mul(inputs, hidden_n), out_n) if bias and flags & BIAS else 0
    act = mul(hidden_n, MLP_ACTIVATION_COST[activation]) if flags & ACTIVATION else 0
    product = hidden_n if gated and flags & ELEMENTWISE else 0
    return MlpCount(
        projection=projection,
        macs=macs,
        extra=add(bias_flops, act, product),
        bias_flops=bias_flops,
        params=mlp_params(embed, hidden, gated, bias),
        bwd_external=mul(2, inputs, projection),
        bwd_internal=add(mul(2, projection), act, mul(2, product)),
        bwd_weight=add(mul(2, macs), bias_flops),
        activations=add(mul(4 if gated else 2, hidden_n), out_n),
    )


def _token_rows(x: Tuple[int, ...], embed: int, batch: int) -> int:
    if not x:
        raise ValueError(f"expects an input (..., {embed}), got the scalar input shape ()")
    _match("embed_dim", embed, x[-1], x)
    return mul(batch, numel(x[:-1]))


def gated_mlp(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """SwiGLU / GeGLU: MACs 3 T E H; extras bias + T H (activation + 1 product)."""
    embed, hidden, activation, bias = args
    m = mlp(_token_rows(x, embed, batch), embed, hidden, True, activation, bool(bias), flags)
    return NodeCount(x, m.macs, m.extra, m.params, m.bwd_internal, (m.bwd_external,), m.bwd_weight, m.activations)


def mixture(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """Router + top-k routed experts per token + shared experts (active path); params count every expert."""
    embed, hidden, experts, top_k, activation, gated, sigmoid_router, normalize, _, shared_width, gate, bias = args
    elementwise = bool(flags & ELEMENTWISE)
    rows = _token_rows(x, embed, batch)
    routed = mul(rows, top_k)
    # Router: Linear(E, experts, no bias), softmax (5 per score) or sigmoid (3), top-k by k max passes.
    router_macs = mul(rows, embed, experts)
    scores = mul(rows, experts)
    if sigmoid_router:
        router_act = mul(scores, 3) if flags & ACTIVATION else 0
    else:
        router_act = mul(scores, 5) if flags & SOFTMAX else 0
    select = mul(scores, top_k) if elementwise else 0
    renormalize = mul(routed, 2) if normalize and elementwise else 0
    expert = mlp(routed, embed, hidden, bool(gated), activation, bool(bias), flags)
    weighting = mul(routed, embed) if elementwise else 0  # routing weight x expert output
    combine = mul(rows, top_k - 1, embed) if elementwise else 0  # sum of the k outputs
    shared = MlpCount()
    gate_macs = gate_act = gate_product = shared_add = gate_stored = 0
    if shared_width:
        shared = mlp(rows, embed, shared_width, bool(gated), activation, bool(bias), flags)
        shared_add = mul(rows, embed) if elementwise else 0
        if gate:
            gate_macs = mul(rows, embed)
            gate_act = mul(rows, 3) if flags & ACTIVATION else 0
            gate_product = mul(rows, embed) if elementwise else 0
            gate_stored = add(mul(2, rows), mul(rows, embed))
    macs = add(router_macs, expert.macs, shared.macs, gate_macs)
    extra = add(
        router_act,
        select,
        renormalize,
        expert.extra,
        weighting,
        combine,
        shared.extra,
        gate_act,
        gate_product,
        shared_add,
    )
    expert_params = mlp_params(embed, hidden, bool(gated), bool(bias))
    always = add(mul(embed, experts), shared.params, embed if gate else 0)
    params = add(always, mul(experts, expert_params))
    active = add(always, mul(top_k, expert_params))
    external = add(mul(2, router_macs), expert.bwd_external, shared.bwd_external, mul(2, gate_macs))
    internal = add(
        router_act,
        renormalize,
        expert.bwd_internal,
        mul(2, weighting),
        shared.bwd_internal,
        gate_act,
        mul(2, gate_product),
    )
    weight = add(mul(2, router_macs), expert.bwd_weight, shared.bwd_weight, mul(2, gate_macs))
    stored = add(
        mul(2, scores),
        expert.activations,
        mul(routed, embed),
        mul(rows, embed),
        shared.activations,
        gate_stored,
        mul(rows, embed) if shared_width else 0,
    )
    return NodeCount(x, macs, extra, params, internal, (external,), weight, stored, active)


def rotary(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """RoPE on (..., head_dim): 3 FLOPs per rotated feature (x cos + rotate_half(x) sin)."""
    head_dim, rotary_dim = args
    if not x:
        raise ValueError(f"expects an input (..., {head_dim}), got the scalar input shape ()")
    _match("head_dim", head_dim, x[-1], x)
    vectors = mul(batch, numel(x[:-1]))
    ops = mul(3, vectors, rotary_dim) if flags & ELEMENTWISE else 0
    return NodeCount(x, 0, ops, 0, 0, (ops,), 0, mul(batch, numel(x)))


def permute(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """Permute(dims) / Transpose(dim0, dim1): a view, zero cost."""
    rank = len(x)
    if name == "Permute" and len(args) != rank:
        raise ValueError(f"dims={tuple(args)} has {len(args)} entries for input shape {tuple(x)}")
    dims = []
    for d in args:
        if not -rank <= d < rank:
            raise ValueError(f"dim {d} is out of range for input shape {tuple(x)}")
        dims.append(d % rank)
    if name == "Transpose":
        order = list(range(rank))
        order[dims[0]], order[dims[1]] = order[dims[1]], order[dims[0]]
    else:
        if len(set(dims)) != rank:
            raise ValueError(f"dims={tuple(args)} is not a permutation of the input dims")
        order = dims
    return NodeCount(tuple(x[d] for d in order), 0, 0, 0, 0, (0,), 0, 0)


def learned_tokens(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """Prepend num_tokens learned vectors to (L, D): params n D, weight gradient N n D, no FLOPs."""
    tokens, width = args
    _need(x, 2, "length, width")
    _match("embedding_dim", width, x[1], x)
    shape = (add(x[0], tokens), x[1])
    n = mul(batch, numel(shape))
    return NodeCount(shape, 0, 0, mul(tokens, width), 0, (0,), mul(batch, tokens, width), n)


def learned_elementwise(name: str, args: Sequence[int], x, batch: int, flags: int) -> NodeCount:
    """x * w (op 0, layer scale) or x + b (op 1) with a learned tensor broadcast into x: 1 FLOP per element."""
    scale, shape = args[0] == 0, tuple(args[1:])
    fits = len(shape) <= len(x) and all(shape[len(shape) - 1 - i] in (1, x[len(x) - 1 - i]) for i in range(len(shape)))
    if not fits:
        raise ValueError(f"shape={_shape_text(shape)} does not broadcast into input shape {_shape_text(x)}")
    n = mul(batch, numel(x))
    ops = n if flags & ELEMENTWISE else 0
    return NodeCount(tuple(x), 0, ops, numel(shape), 0, (ops if scale else 0,), n, n)
