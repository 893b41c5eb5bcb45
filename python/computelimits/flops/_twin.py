"""Python twin of the C++ layer catalogue (cpp/src/flops/layers*.cpp) and model walk (model.cpp).

Same records, same formulas, same order of checked operations: every partial
product or sum above 2^63 - 1 raises OverflowError, exactly where the C++ core's
checked arithmetic does. ``evaluate_node`` counts one layer (dense, convolution,
normalization, pooling, activation and shape layers here; attention and
recurrent layers in ``_twin_seq``; gated MLP, mixture of experts, rotary,
permutes and learned tokens in ``_twin_transformer``); ``evaluate_model`` walks
a flattened graph and propagates which tensors need gradients. Formulas: docs/flops.md.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any, Dict, List, Tuple

from ._layer_base import KINDS, MAX_SIZE
from ._twin_base import (  # noqa: F401  (the convention flags are re-exported for sweep.py)
    ACTIVATION,
    ACTIVATION_COST,
    BIAS,
    ELEMENTWISE,
    EXPLOIT_CAUSAL,
    GELU_TANH_COST,
    NORMALIZATION,
    POOLING,
    RNN_GATES,
    SOFTMAX,
    TRAINING,
    NodeCount,
    _broadcast,
    _match,
    _need,
    adaptive_window_total,
    add,
    mul,
    numel,
    tensor_elements,
)
from ._twin_records import check_record
from ._twin_seq import attention, recurrent
from ._twin_transformer import gated_mlp, learned_elementwise, learned_tokens, mixture, permute, rotary


def evaluate_node(
    kind: int, args: Sequence[int], shapes: Sequence[Tuple[int, ...]], batch: int, flags: int
) -> NodeCount:
    """Counts of one layer record on input ``shapes`` (no batch dim) for ``batch`` examples.

    Checks the record (``_twin_records.check_record``), the batch, the flags and every
    input shape first, and that no tensor read or written has 2^63 elements or more.
    """
    check_record(kind, args)
    if batch < 1:
        raise ValueError(f"batch must be >= 1, got {batch}")
    if not 0 <= flags <= 255:
        raise ValueError(f"flags={flags} has unknown bits (allowed: 0-255)")
    for shape in shapes:
        if any(not 1 <= v < MAX_SIZE for v in shape):
            raise ValueError(f"input shape {tuple(shape)} has a size outside [1, 2^62)")
        tensor_elements(shape, "input shape")
    name = KINDS[kind]
    if name not in ("MultiheadAttention", "Concat") and len(shapes) != (2 if name in ("Matmul", "Add", "Mul") else 1):
        raise ValueError(f"takes {2 if name in ('Matmul', 'Add', 'Mul') else 1} input(s), got {len(shapes)}")
    node = _dispatch(name, args, shapes, batch, flags)
    tensor_elements(node.shape, "output shape")
    if node.active_params is None:
        node.active_params = node.params
    return node


def _dispatch(name: str, args: Sequence[int], shapes, batch: int, flags: int) -> NodeCount:
    on = lambda flag: bool(flags & flag)  # noqa: E731
    x = tuple(shapes[0]) if shapes else ()
    out: Any  # an output shape, built as a list or a tuple per layer kind
    if name == "Linear":
        i, o, bias, shared = args
        if not x:
            raise ValueError(f"expects an input (..., {i}), got the scalar input shape ()")
        _match("in_features", i, x[-1], x)
        rows = mul(batch, numel(x[:-1]))
        macs = mul(rows, i, o)
        bias_flops = mul(rows, o) if bias and on(BIAS) else 0
        return NodeCount(
            x[:-1] + (o,),
            macs,
            bias_flops,
            add(0 if shared else mul(i, o), o if bias else 0),
            0,
            (mul(2, macs),),
            add(mul(2, macs), bias_flops),
            mul(rows, o),
        )
    if name in ("Conv", "ConvTranspose"):
        d, ci, co, g, bias = args[:5]
        k, s, p = args[5 : 5 + d], args[5 + d : 5 + 2 * d], args[5 + 2 * d : 5 + 3 * d]
        op = args[5 + 3 * d : 5 + 4 * d] if name == "ConvTranspose" else [0] * d
        dil = args[-d:]
        _need(x, d + 1, "channels, spatial...")
        _match("in_channels", ci, x[0], x)
        out = []
        for j in range(d):
            span = add(mul(dil[j], k[j] - 1), 1)
            if name == "Conv":
                room = add(x[1 + j], mul(2, p[j])) - span
                if room < 0:
                    raise ValueError(
                        f"kernel_size={k[j]} (dilation {dil[j]}) is larger than the padded input "
                        f"{x[1 + j]} + 2*{p[j]} in spatial dim {j}"
                    )
                out.append(room // s[j] + 1)
            else:
                if not (op[j] < s[j] or op[j] < dil[j]):
                    raise ValueError(f"output_padding={op[j]} must be smaller than stride or dilation")
                size = add(mul(x[1 + j] - 1, s[j]), span, op[j]) - mul(2, p[j])
                if size < 1:
                    raise ValueError(f"padding={p[j]} leaves no output in spatial dim {j}")
                out.append(size)
        spatial_out, spatial_in = numel(out), numel(x[1:])
        kernel = numel(k)
        macs = mul(batch, co, ci // g, kernel, spatial_in if name == "ConvTranspose" else spatial_out)
        outputs = mul(batch, co, spatial_out)
        bias_flops = outputs if bias and on(BIAS) else 0
        params = add(mul(co, ci // g, kernel), co if bias else 0)
        return NodeCount(
            (co,) + tuple(out), macs, bias_flops, params, 0, (mul(2, macs),), add(mul(2, macs), bias_flops), outputs
        )
    if name in ("BatchNorm", "LayerNorm", "GroupNorm", "RMSNorm"):
        n = mul(batch, numel(x))
        if name == "BatchNorm":
            d, c, affine = args
            _need(x, (1, 2) if d == 1 else d + 1, "channels, spatial...")
            _match("num_features", c, x[0], x)
            params, stats, scale = (mul(2, c) if affine else 0), (5 if on(TRAINING) else 2), (2 if affine else 0)
            if not on(TRAINING):
                scale = 0  # eval mode folds the affine map into one scale and shift
            grad = 3 if affine else 0
        elif name == "GroupNorm":
            g, c, affine = args
            _need(x, tuple(range(1, 9)), "channels, ...")
            _match("num_channels", c, x[0], x)
            params, stats, scale, grad = (mul(2, c) if affine else 0), 5, (2 if affine else 0), (3 if affine else 0)
        else:
            affine, has_bias = args[0], (args[1] if name == "LayerNorm" else 0)
            dims = tuple(args[2:] if name == "LayerNorm" else args[1:])
            if tuple(x[len(x) - len(dims) :]) != dims or len(x) < len(dims):
                raise ValueError(
                    f"normalized_shape={tuple(dims)} does not match the trailing dims of input shape {tuple(x)}"
                )
            width = numel(dims)
            params = mul(width, 2 if affine and has_bias else 1) if affine else 0
            stats = 5 if name == "LayerNorm" else 3
            scale = (1 + has_bias) if affine else 0
            grad = (2 + has_bias) if affine else 0
        if not on(NORMALIZATION):
            stats = scale = grad = 0
        return NodeCount(x, 0, mul(n, stats + scale), params, 0, (mul(n, stats),), mul(n, grad), n)
    if name in ("MaxPool", "AvgPool", "AdaptiveAvgPool", "AdaptiveMaxPool", "GlobalAvgPool"):
        if name == "GlobalAvgPool":
            _need(x, tuple(range(2, 9)), "channels, spatial...")
            ops = mul(batch, numel(x)) if on(POOLING) else 0
            return NodeCount((x[0],), 0, ops, 0, 0, (ops,), 0, mul(batch, x[0]))
        d = args[0]
        _need(x, d + 1, "channels, spatial...")
        out, window_total = [], 1
        if name in ("MaxPool", "AvgPool"):
            ceil_mode, k, s, p = args[1], args[2 : 2 + d], args[2 + d : 2 + 2 * d], args[2 + 2 * d : 2 + 3 * d]
            for j in range(d):
                room = add(x[1 + j], mul(2, p[j])) - k[j]
                if room < 0:
                    raise ValueError(
                        f"kernel_size={k[j]} is larger than the padded input {x[1 + j]} + 2*{p[j]} in spatial dim {j}"
                    )
                size = (room + s[j] - 1) // s[j] + 1 if ceil_mode else room // s[j] + 1
                if ceil_mode and mul(size - 1, s[j]) >= add(x[1 + j], p[j]):
                    size -= 1  # torch: the last window must start inside the input or left padding
                out.append(size)
            window_total = mul(numel(out), numel(k))
        else:
            for j in range(d):
                size = args[1 + j] or x[1 + j]
                out.append(size)
                window_total = mul(window_total, adaptive_window_total(x[1 + j], size))
        ops = mul(batch, x[0], window_total) if on(POOLING) else 0
        return NodeCount((x[0],) + tuple(out), 0, ops, 0, 0, (ops,), 0, mul(batch, x[0], numel(out)))
    if name in ACTIVATION_COST or name == "Softmax":
        if name == "Softmax" and (not x or not -len(x) <= args[0] < len(x)):
            raise ValueError(f"dim={args[0]} is out of range for input shape {tuple(x)}")
        n = mul(batch, numel(x))
        if name == "Softmax":
            ops = mul(n, 5) if on(SOFTMAX) else 0
        else:
            cost = GELU_TANH_COST if name == "GELU" and args[0] else ACTIVATION_COST[name]
            ops = mul(n, cost) if on(ACTIVATION) else 0
        return NodeCount(x, 0, ops, 0, 0, (ops,), 0, n)
    if name == "Embedding":
        vocab, width, shared = args
        out = x + (width,)
        n = mul(batch, numel(out))
        return NodeCount(out, 0, 0, 0 if shared else mul(vocab, width), 0, (0,), n, n)
    if name == "AdditiveEmbedding":
        positions, width = args
        _need(x, 2, "length, width")
        _match("embedding_dim", width, x[1], x)
        if x[0] > positions:
            raise ValueError(f"num_embeddings={positions} is smaller than the input length {x[0]}")
        n = mul(batch, numel(x))
        return NodeCount(x, 0, n if on(ELEMENTWISE) else 0, mul(positions, width), 0, (0,), n, n)
    if name == "MultiheadAttention":
        return attention(args, shapes, batch, flags)
    if name == "Matmul":
        a, b = shapes
        if not a or not b:
            raise ValueError(f"matmul operands must have rank >= 1, got {tuple(a)} and {tuple(b)}")
        a2 = (1,) + tuple(a) if len(a) == 1 else tuple(a)
        b2 = tuple(b) + (1,) if len(b) == 1 else tuple(b)
        if a2[-1] != b2[-2]:
            raise ValueError(f"matmul inner sizes differ: {tuple(a)} @ {tuple(b)}")
        lead = _broadcast(a2[:-2], b2[:-2])
        out = lead + ((a2[-2],) if len(a) > 1 else ()) + ((b2[-1],) if len(b) > 1 else ())
        macs = mul(batch, numel(lead), a2[-2], a2[-1], b2[-1])
        return NodeCount(out, macs, 0, 0, 0, (mul(2, macs), mul(2, macs)), 0, mul(batch, numel(out)))
    if name in RNN_GATES:
        return recurrent(name, args, x, batch, flags)
    if name == "Upsample":
        bilinear, by_size, count = args[:3]
        values = args[3 : 3 + count]
        _need(x, (2, 3, 4), "channels, spatial...")
        spatial_dims = len(x) - 1
        if count not in (1, spatial_dims):
            raise ValueError(
                f"{'size' if by_size else 'scale_factor'} has {count} entries for {spatial_dims} spatial dims"
            )
        if bilinear and spatial_dims != 2:
            raise ValueError(f"mode='bilinear' needs 2 spatial dims, got input shape {tuple(x)}")
        out = []
        for j in range(spatial_dims):
            v = values[j if count > 1 else 0]
            if by_size:
                out.append(v)
            else:
                size = math.floor(float(x[1 + j]) * struct.unpack("<d", struct.pack("<q", v))[0])
                if not 1 <= size < 2**62:
                    raise ValueError(f"scale_factor gives output size {size} in spatial dim {j}")
                out.append(int(size))
        shape = (x[0],) + tuple(out)
        n = mul(batch, numel(shape))
        ops = mul(n, 7) if bilinear and on(POOLING) else 0
        return NodeCount(shape, 0, ops, 0, 0, (ops,), 0, n)
    if name in ("Add", "Mul"):
        out = _broadcast(shapes[0], shapes[1])
        n = mul(batch, numel(out))
        ops = n if on(ELEMENTWISE) else 0
        grads = (0, 0) if name == "Add" else (ops, ops)
        return NodeCount(out, 0, ops, 0, 0, grads, 0, n)
    if name in ("Flatten", "Reshape", "Identity", "Dropout", "Select"):
        out = x
        if name == "Flatten":
            out = (numel(x),)
        elif name == "Reshape":
            known = numel([v for v in args if v != -1])
            total = numel(x)
            if -1 in args:
                if total % known:
                    raise ValueError(f"shape={list(args)} cannot hold the {total} elements of {tuple(x)}")
                out = tuple(total // known if v == -1 else v for v in args)
            else:
                out = tuple(args)
            if numel(out) != total:
                raise ValueError(f"shape={list(args)} has {numel(out)} elements, input {tuple(x)} has {total}")
        elif name == "Select":
            dim, index = args
            if not -len(x) <= dim < len(x):
                raise ValueError(f"dim={dim} is out of range for input shape {tuple(x)}")
            dim %= len(x)
            if not -x[dim] <= index < x[dim]:
                raise ValueError(f"index={index} is out of range for size {x[dim]} of input shape {tuple(x)}")
            out = x[:dim] + x[dim + 1 :]
        n = mul(batch, numel(out))
        ops = n if name == "Dropout" and on(TRAINING) and on(ELEMENTWISE) else 0
        stored = n if name == "Dropout" and on(TRAINING) else 0
        return NodeCount(out, 0, ops, 0, 0, (ops,), 0, stored)
    if name == "Concat":
        if not shapes:
            raise ValueError("takes one or more inputs, got none")
        dim = args[0]
        rank = len(shapes[0])
        if not -rank <= dim < rank:
            raise ValueError(f"dim={dim} is out of range for input shape {tuple(shapes[0])}")
        dim %= rank
        total = 0
        for shape in shapes:
            if len(shape) != rank or any(shape[j] != shapes[0][j] for j in range(rank) if j != dim):
                raise ValueError(f"input shapes {[tuple(s) for s in shapes]} differ outside dim {dim}")
            total = add(total, shape[dim])
        out = tuple(shapes[0][:dim]) + (total,) + tuple(shapes[0][dim + 1 :])
        return NodeCount(out, 0, 0, 0, 0, (0,) * len(shapes), 0, mul(batch, numel(out)))
    if name in _TRANSFORMER:
        return _TRANSFORMER[name](name, args, x, batch, flags)
    raise ValueError(f"unknown layer kind {name}")  # pragma: no cover - check_record refused it


_TRANSFORMER = {
    "GatedMLP": gated_mlp,
    "MixtureOfExperts": mixture,
    "RotaryEmbedding": rotary,
    "Permute": permute,
    "Transpose": permute,
    "LearnedTokens": learned_tokens,
    "LearnedElementwise": learned_elementwise,
}


def evaluate_model(
    input_shapes: Sequence[Tuple[int, ...]], nodes: Sequence[Tuple[int, List[int], List[int]]], batch: int, flags: int
) -> List[Tuple[NodeCount, int]]:
    """Count every node of a flattened graph; returns (NodeCount, backward_input_flops) per node.

    ``nodes[i] = (kind, args, inputs)`` with inputs >= 0 naming earlier nodes and -1-k
    naming model input k. A tensor needs a gradient when a layer upstream of it has
    parameters (the rule autograd applies); a layer's input-gradient FLOPs count only
    for inputs that need one, its internal backward only when it or an input needs it.
    Identical (record, input shapes) pairs are counted once and share their NodeCount.
    """
    shapes: List[Tuple[int, ...]] = []
    needs_grad: List[bool] = []
    results = []
    counted: Dict[Tuple[Any, ...], NodeCount] = {}  # a node's counts depend only on (record, input shapes)
    for index, (kind, args, inputs) in enumerate(nodes):
        in_shapes, in_grad = [], []
        for ref in inputs:
            if ref >= 0:
                if ref >= index:
                    raise ValueError(f"node {index} reads node {ref}, which is not earlier")
                in_shapes.append(shapes[ref])
                in_grad.append(needs_grad[ref])
            else:
                if -1 - ref >= len(input_shapes):
                    raise ValueError(f"node {index} reads model input {-1 - ref}, which does not exist")
                in_shapes.append(tuple(input_shapes[-1 - ref]))
                in_grad.append(False)
        key = (kind, tuple(args), tuple(in_shapes))
        node = counted.get(key)
        if node is None:
            node = counted[key] = evaluate_node(kind, args, in_shapes, batch, flags)
        backward = 0
        for cost, grad in zip(node.bwd_external, in_grad):
            if grad:
                backward = add(backward, cost)
        trained = node.params > 0 or node.bwd_weight > 0 or any(in_grad)  # own or shared weights
        if trained:
            backward = add(backward, node.bwd_internal)
        shapes.append(node.shape)
        needs_grad.append(trained)
        results.append((node, backward))
    return results
