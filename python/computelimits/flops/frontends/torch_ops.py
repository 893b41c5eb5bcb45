"""The operator table of ``from_torch``: which aten operator becomes which catalogue layer.

Names are aten packet names without the in-place underscore; the same table serves ``torch.export``
graphs (``linear``, ``conv2d``, ``layer_norm``...) and dispatched runs (``addmm``, ``convolution``,
``native_layer_norm``...). docs/frontends.md lists the table and what stays uncounted.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Sequence

from ..layers import ConcatLayer, LearnedTokens, RMSNorm, Select
from .torch_capture import OpCall, TensorRef
from .torch_ops_elementwise import (
    _activation,
    _binary,
    _dropout,
    _mean,
    _pool,
    _softmax,
    _unary_as_mul,
    _upsample,
)
from .torch_ops_layers import (
    _addmm,
    _arg,
    _attention,
    _baddbmm,
    _conv,
    _einsum,
    _embedding,
    _index,
    _linear,
    _mm,
    _norm,
)
from .torch_translate import Translator, Value, _numel, _tensors, chunk, copies

# Zero-cost views and copies whose output holds the same elements as their (first) input.
SAME_ELEMENTS = {
    "view", "reshape", "_unsafe_view", "flatten", "unflatten", "squeeze", "unsqueeze", "contiguous",
    "clone", "to", "_to_copy", "alias", "detach", "lift_fresh_copy", "t", "transpose", "permute",
    "view_as", "reshape_as", "type_as", "_reshape_alias", "movedim", "swapaxes", "numpy_T", "mT",
    "resolve_conj", "resolve_neg", "masked_fill", "copy", "expand_as", "dropout_eval",
}  # fmt: skip
# Data movement that changes the element count (0 FLOPs); the result enters the next layer as an input.
MOVES = {
    "expand", "repeat", "repeat_interleave", "index", "index_select", "gather", "take", "where",
    "constant_pad_nd", "pad", "roll", "flip", "zeros_like", "ones_like", "empty_like", "full_like", "fill",
    "zero", "scatter", "index_put", "index_copy", "slice_scatter", "select_scatter", "diagonal", "tril",
    "triu", "narrow", "as_strided", "stack", "bernoulli", "rand_like", "randn_like", "uniform", "normal",
}  # fmt: skip
# New tensors whose size is given explicitly: they never carry the batch, whatever they were created from.
CREATION = {
    "new_zeros", "new_ones", "new_empty", "new_full", "scalar_tensor", "zeros", "ones", "empty", "full",
    "arange", "linspace", "rand", "randn", "empty_strided", "tensor", "lift_fresh",
}  # fmt: skip
SKIP = {"_assert_tensor_metadata", "_assert_scalar", "sym_size", "sym_numel", "sym_stride", "_local_scalar_dense"}
RMS_NORM_CLASSES = ("RMSNorm", "T5LayerNorm")  # decomposed norm modules recognised by class name


# ---------------------------------------------------------------------------------------- data movement
def _select(t: Translator, call: OpCall) -> None:
    x = t.value(call.args[0])
    dim = t.pdim(x, int(call.args[1]))
    if dim is None or x.param is not None or x.node is None:
        return t.data_movement(call)
    base = f"{call.module}/select"
    t.emit(call, Select(dim=dim, index=int(call.args[2])), [t.tensor(x, base)], [x])


def _slices(t: Translator, call: OpCall) -> None:
    """slice / split / split_with_sizes / chunk / unbind: Reshape + Select per piece where possible."""
    x = t.value(call.args[0])
    op = call.op
    dim_arg = {"slice": (1, 0), "split": (2, 0), "split_with_sizes": (2, 0), "chunk": (2, 0), "unbind": (1, 0)}[op]
    raw_dim = _arg(call, dim_arg[0], "dim", dim_arg[1])
    dim = t.pdim(x, int(raw_dim))
    if dim is None or x.param is not None or x.node is None:
        return t.data_movement(call)
    size = x.ref.shape[int(raw_dim) % len(x.ref.shape)]
    if op == "slice":
        start, end, step = (_arg(call, i, n, d) for i, n, d in ((2, "start", 0), (3, "end", None), (4, "step", 1)))
        start = 0 if start is None else start % size if start < 0 else min(start, size)
        end = size if end is None else max(min(end if end >= 0 else end + size, size), start)
        if step != 1:
            return t.data_movement(call)
        pieces = [(start, end - start)]
    else:
        starts = [0]
        for ref in t.tensor_outputs(call):
            starts.append(starts[-1] + (1 if op == "unbind" else ref.shape[int(raw_dim) % len(ref.shape)]))
        pieces = [(s, e - s) for s, e in zip(starts, starts[1:])]
    base = f"{call.module}/{op}"
    node = t.tensor(x, base)
    for piece_ref, (start, length) in zip(call.outputs, pieces):
        t.output(piece_ref, [x], chunk(t, node, x.pshape, dim, start, length, base))


def _expand(t: Translator, call: OpCall) -> None:
    x, out = t.value(call.args[0]), t.first_output(call)
    source_lead = x.ref.shape[0] if len(x.ref.shape) == len(out.shape) else 1
    if not x.batched and x.param is None and out.shape and out.shape[0] == t.batch and source_lead == 1:
        value = t.output(out, [])  # a constant broadcast over the batch (token type ids): one example each
        value.batched, value.pshape, value.drop = True, out.shape[1:], 0
        return
    if x.param is not None or x.node is None or not x.batched:
        value = t.output(out, [x])
        if value is not None and x.param is not None:
            value.param, value.pshape = x.param, out.shape
        return
    value = t.output(out, [x])
    source = t.tensor(x, f"{call.module}/expand")
    if len(x.pshape) == len(value.pshape):
        value.node = copies(t, source, x.pshape, value.pshape, f"{call.module}/expand")


def _cat(t: Translator, call: OpCall) -> None:
    """ConcatLayer over one example's parts; a parameter part (a class token) is read as a model input."""
    parts = [t.value(r) for r in call.args[0] if _numel(r.shape)]
    dim = int(_arg(call, 1, "dim", 0))
    if len(parts) == 1:
        out = t.output(t.first_output(call), parts, parts[0].node)
        out.param = parts[0].param
        return
    lead = next((v for v in parts if v.batched), None)
    pdim = None if lead is None else t.pdim(lead, dim)
    if lead is None or pdim is None:
        return t.data_movement(call)
    base = f"{call.module}/cat"
    if _learned_tokens(t, call, parts, pdim, base):
        return
    inputs = []
    for value in parts:
        if not value.batched:  # a parameter or constant expanded over the batch: one example's slice
            if value.param is not None:
                t.unattributed.setdefault(value.param, []).append("aten.cat")
            stripped = t.strip(value.ref.shape)
            shape = stripped[0] if stripped is not None and len(stripped[0]) == len(lead.pshape) else value.ref.shape
            value = Value(value.ref, False, shape)
        inputs.append(t.tensor(value, base))
    t.emit(call, ConcatLayer(dim=pdim), inputs, parts)


def _learned_tokens(t: Translator, call: OpCall, parts: List[Value], pdim: int, base: str) -> bool:
    """Parameters expanded over the batch and prepended to (L, D) tokens: ViT's class token,
    cat((cls.expand(N, -1, -1), x), dim=1), and DeiT's class and distillation tokens, one LearnedTokens."""
    count = next((i for i, v in enumerate(parts) if v.param is None), len(parts))
    leading, rest = parts[:count], parts[count:]
    if not leading or len(rest) != 1 or not rest[0].batched or len(rest[0].pshape) != 2 or pdim != 0:
        return False
    width, total = rest[0].pshape[1], 0
    for value in leading:
        if value.param is None:  # leading holds the parts before the first non-parameter
            return False
        table = t.capture.params.get(value.param, ())
        tokens = _numel(table) // width if table else 0
        if not tokens or table[-1] != width or value.ref.shape[-2:] != (tokens, width) or value.param in t.used_params:
            return False
        total += tokens
    if len({value.param for value in leading}) != len(leading):
        return False
    out = t.emit(call, LearnedTokens(total, width), [t.tensor(rest[0], base)], rest)
    for value in leading:
        t.use_param(value.param, out.node)
    return True


# ---------------------------------------------------------------------------------------- the table
HANDLERS: Dict[str, Callable[[Translator, OpCall], None]] = {
    "linear": _linear, "addmm": _addmm, "mm": _mm, "bmm": _mm, "matmul": _mm, "mv": _mm, "dot": _mm,
    "baddbmm": _baddbmm,
    "conv1d": _conv, "conv2d": _conv, "conv3d": _conv, "convolution": _conv, "_convolution": _conv,
    "conv_transpose1d": _conv, "conv_transpose2d": _conv, "conv_transpose3d": _conv,
    "embedding": _embedding, "index": _index, "scaled_dot_product_attention": _attention,
    "einsum": _einsum,
    "layer_norm": _norm, "native_layer_norm": _norm, "group_norm": _norm, "native_group_norm": _norm,
    "batch_norm": _norm, "_native_batch_norm_legit_no_training": _norm, "_native_batch_norm_legit": _norm,
    "native_batch_norm": _norm, "rms_norm": _norm, "_fused_rms_norm": _norm,
    "add": _binary, "sub": _binary, "rsub": _binary, "mul": _binary, "div": _binary,
    "neg": _unary_as_mul, "pow": _unary_as_mul, "square": _unary_as_mul,
    "relu": _activation, "relu6": _activation, "hardtanh": _activation, "gelu": _activation,
    "silu": _activation, "sigmoid": _activation, "tanh": _activation,
    "softmax": _softmax, "_softmax": _softmax, "dropout": _dropout, "native_dropout": _dropout,
    "max_pool1d": _pool, "max_pool2d": _pool, "max_pool3d": _pool, "max_pool2d_with_indices": _pool,
    "max_pool3d_with_indices": _pool, "avg_pool1d": _pool, "avg_pool2d": _pool, "avg_pool3d": _pool,
    "adaptive_avg_pool1d": _pool, "adaptive_avg_pool2d": _pool, "adaptive_avg_pool3d": _pool,
    "_adaptive_avg_pool2d": _pool, "_adaptive_avg_pool3d": _pool, "adaptive_max_pool1d": _pool,
    "adaptive_max_pool2d": _pool, "adaptive_max_pool3d": _pool, "mean": _mean,
    "upsample_nearest1d": _upsample, "upsample_nearest2d": _upsample, "upsample_nearest3d": _upsample,
    "upsample_bilinear2d": _upsample,
    "select": _select, "slice": _slices, "split": _slices, "split_with_sizes": _slices, "chunk": _slices,
    "unbind": _slices, "expand": _expand, "cat": _cat,
}  # fmt: skip


def translate_call(t: Translator, call: OpCall) -> None:
    """Turn one recorded call into layers (or ledger entries)."""
    if call.op in SKIP:
        return
    if call.op in CREATION:
        for ref in call.outputs:
            t.output(ref, [])
        return
    if not any(ref is not None and ref.floating for ref in call.outputs):
        return t.data_movement(call)  # integer / boolean work (masks, positions): not floating point
    if all(ref is None or not _numel(ref.shape) for ref in call.outputs):
        return t.data_movement(call)  # empty tensors (a zero-width slice): no work
    handler = HANDLERS.get(call.op)
    if handler is not None:
        try:
            return handler(t, call)
        except (ValueError, TypeError, OverflowError) as error:
            return t.uncounted(call, f"could not map: {error}")
    if call.op in SAME_ELEMENTS:
        return t.same_elements(call)
    if call.op in MOVES:
        return t.data_movement(call)
    t.uncounted(call)


def is_rms_norm_module(module_type: str) -> bool:
    return module_type.rsplit(".", 1)[-1].endswith(RMS_NORM_CLASSES)


def rms_norm_groups(calls: Sequence[OpCall]) -> Dict[int, int]:
    """{index of a decomposed RMSNorm module's first call: index of its last call}."""
    groups, start = {}, None
    for i, call in enumerate(calls):
        inside = is_rms_norm_module(call.module_type)
        if inside and (start is None or calls[start].module != call.module):
            if start is not None:
                groups[start] = i - 1
            start = i
        elif not inside and start is not None:
            groups[start] = i - 1
            start = None
    if start is not None:
        groups[start] = len(calls) - 1
    return groups


def collapse_rms_norm(t: Translator, calls: Sequence[OpCall]) -> bool:
    """Count a decomposed RMSNorm module (pow, mean, rsqrt, mul... by weight) as one RMSNorm layer."""
    produced = {ref.key for call in calls for ref in call.outputs if ref is not None}
    reads = [r for call in calls for r in _refs(call) if r.key not in produced]
    params = {name for name in (t.value(r).param for r in reads) if name is not None}
    acts = {r.key: t.value(r) for r in reads if t.value(r).param is None and r.floating and t.value(r).batched}
    last = calls[-1].outputs[0]
    if len(acts) != 1 or len(params) > 1 or last is None:
        return False
    x = next(iter(acts.values()))
    width = x.pshape[-1] if x.pshape else 0
    if params and _numel(t.capture.params.get(next(iter(params)), (0,))) != width:
        return False
    if last.shape != x.ref.shape:
        return False
    base = f"{calls[0].module}/rms_norm"
    node = t.add(RMSNorm(width, elementwise_affine=bool(params)), [t.tensor(x, base)], base)
    t.output(last, [x], node)
    for name in params:
        t.use_param(name, node)
    return True


def _refs(call: OpCall) -> List[TensorRef]:
    return _tensors(call.args) + _tensors(call.kwargs)


__all__ = ["HANDLERS", "collapse_rms_norm", "rms_norm_groups", "translate_call"]
