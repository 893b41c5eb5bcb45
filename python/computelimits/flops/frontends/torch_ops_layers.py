"""from_torch operators that hold parameters or MACs: matmul family, attention, einsum, conv, lookups, norms."""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from .. import layers as catalogue
from ..layers import Add, Embedding, GroupNorm, LayerNorm, Linear, Matmul, Mul, RMSNorm, Softmax, Transpose
from .torch_capture import OpCall, TensorRef
from .torch_translate import Translator, Value, _numel


def _arg(call: OpCall, index: int, name: str, default: Any = None) -> Any:
    if len(call.args) > index:
        return call.args[index]
    return call.kwargs.get(name, default)


def _ints(value: Any, count: int) -> List[int]:
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return [int(v) for v in values] * (count if len(values) == 1 else 1)


# ---------------------------------------------------------------------------------------- matmul family
def _matmul(t: Translator, call: OpCall, a: Value, b: Value, bias: Optional[Value] = None) -> None:
    """a @ b (+ bias): Linear when b (or a) is a parameter matrix, Matmul between activations."""
    base = f"{call.module}/{call.op}"
    if b.param is not None and len(b.pshape) == 2 and a.param is None:
        k, n = b.pshape
        vector = bias is not None and len(bias.ref.shape) == 1 and bias.ref.shape[0] == n
        bias_param = bias.param if bias is not None and vector else None  # a (n,) parameter: the Linear's bias
        layer = Linear(k, n, bias=bias_param is not None, shared_weight=b.param in t.used_params)
        out = t.emit(call, layer, [t.tensor(a, base)], [a])
        t.use_param(b.param, out.node)
        if bias_param is not None:
            t.use_param(bias_param, out.node)
        elif bias is not None:
            _add_bias(t, call, out, bias)
        return
    if b.param is not None and len(b.pshape) == 1 and a.param is None and a.pshape:
        # x @ w with a parameter vector (torch's mv/dot): a Linear(k, 1) without bias, the same k MACs per row
        layer = Linear(b.pshape[0], 1, bias=False, shared_weight=b.param in t.used_params)
        out = t.emit(call, layer, [t.tensor(a, base)], [a])
        t.use_param(b.param, out.node)
        if bias is not None:
            _add_bias(t, call, out, bias)
        return
    if a.param is not None and len(a.pshape) == 2 and b.param is None and len(b.pshape) >= 2:
        m, k = a.pshape
        x = t.tensor(b, base)
        swapped = b.pshape[:-2] + (b.pshape[-1], b.pshape[-2])  # W x = (x^T W^T)^T: same MACs
        layer = Linear(k, m, bias=False, shared_weight=a.param in t.used_params)
        node = t.add(layer, [t.reshaped(x, swapped, base)], base)
        t.use_param(a.param, node)
        out = t.output(t.first_output(call), [b], node)
        if bias is not None:
            _add_bias(t, call, out, bias)
        return
    for operand in (a, b):
        if operand.param is not None:
            t.unattributed.setdefault(operand.param, []).append(f"aten.{call.op}")
    out = t.emit(call, Matmul(), [t.tensor(a, base), t.tensor(b, base)], [a, b])
    if bias is not None:
        _add_bias(t, call, out, bias)


def _add_bias(t: Translator, call: OpCall, out: Value, bias: Value) -> None:
    base = f"{call.module}/{call.op}"
    if bias.param is not None:
        t.unattributed.setdefault(bias.param, []).append(f"aten.{call.op}")
    out.node = t.add(Add(), [t.tensor(out, base), t.tensor(bias, base)], f"{base}/bias")


def _linear(t, call):
    x, w, b = (t.value(r) if isinstance(r, TensorRef) else None for r in (call.args + (None, None))[:3])
    if w is not None and w.param is not None and len(w.ref.shape) == 2:
        w = Value(w.ref, False, (w.ref.shape[1], w.ref.shape[0]), param=w.param)  # weight is (out, in)
    if x is None or w is None:
        raise ValueError(f"{call.op}: input and weight must be recorded tensors, got {call.args[:2]!r}")
    _matmul(t, call, x, w, b)


def _addmm(t, call):
    bias, a, b = (t.value(r) for r in call.args[:3])
    _matmul(t, call, a, b, bias)


def _mm(t, call):
    _matmul(t, call, t.value(call.args[0]), t.value(call.args[1]))


def _baddbmm(t, call):
    c, a, b = (t.value(r) for r in call.args[:3])
    _matmul(t, call, a, b, c)


def _attention(t: Translator, call: OpCall) -> None:
    """scaled_dot_product_attention: Matmul(q, k^T), scale, mask, Softmax, Matmul(weights, v).

    Grouped-query heads (fewer K/V heads) broadcast in the Matmul, the same MACs as repeating them.
    """
    q, k, v = (t.value(r) for r in call.args[:3])
    mask = _arg(call, 3, "attn_mask")
    base = f"{call.module}/attention"
    heads, kv_heads = q.pshape[-3] if len(q.pshape) > 2 else 1, k.pshape[-3] if len(k.pshape) > 2 else 1
    lead, lq, d, lk, dv = q.pshape[:-3], q.pshape[-2], q.pshape[-1], k.pshape[-2], v.pshape[-1]
    q_shape: Tuple[int, ...]
    k_shape: Tuple[int, ...]
    v_shape: Tuple[int, ...]
    if heads != kv_heads:
        group = heads // kv_heads
        q_shape, k_shape, v_shape = (kv_heads, group, lq, d), (kv_heads, 1, d, lk), (kv_heads, 1, lk, dv)
    else:
        q_shape, k_shape, v_shape = (heads, lq, d), (heads, d, lk), (heads, lk, dv)
    query = t.reshaped(t.tensor(q, base), lead + q_shape, base)
    keys = t.reshaped(t.tensor(k, base), k.pshape[:-3] + k_shape, base)  # k^T: same elements, same MACs
    scores = t.add(Matmul(), [query, keys], f"{base}/scores")
    scores = t.add(Mul(), [scores, t.scalar()], f"{base}/scale")
    if isinstance(mask, TensorRef) and mask.floating:
        scores = t.add(Add(), [scores, t.tensor(t.align(t.value(mask), [q]), base)], f"{base}/mask")
    weights = t.add(Softmax(dim=-1), [scores], f"{base}/softmax")
    values = t.reshaped(t.tensor(v, base), v.pshape[:-3] + v_shape, base)
    t.emit(call, Matmul(), [weights, values], [q, k, v])


def _einsum(t: Translator, call: OpCall) -> None:
    """Two-operand einsum as torch runs it: a batched matmul (batch, m, k) @ (batch, k, n)."""
    equation, operands = call.args[0].replace(" ", ""), [t.value(r) for r in call.args[1]]
    if len(operands) != 2 or "..." in equation or "->" not in equation:
        return t.uncounted(call, "einsum other than two operands with an explicit output")
    (left, right), out = equation.split("->")[0].split(","), equation.split("->")[1]
    a, b = operands
    size = dict(zip(left, a.ref.shape)) | dict(zip(right, b.ref.shape))
    batch = [c for c in left if c in right and c in out]
    rows, cols = [c for c in left if c not in right], [c for c in right if c not in left]
    inner = [c for c in left if c in right and c not in out]
    if set(rows) - set(out) or set(cols) - set(out):
        return t.uncounted(call, "einsum with a dim summed in one operand only")
    prod = lambda letters: _numel([size[c] for c in letters])  # noqa: E731
    share = t.batch if any(v.batched for v in operands) else 1
    if prod(batch) % share:
        return t.uncounted(call, "einsum contracts over the batch")
    count = prod(batch) // share
    base = f"{call.module}/einsum"
    shapes = ((count, prod(rows), prod(inner)), (count, prod(inner), prod(cols)))
    nodes = []
    for value, shape in zip(operands, shapes):
        node = t.tensor(value, base)
        if _numel(t.shapes[node]) != _numel(shape):
            return t.uncounted(call, "einsum operands do not carry the batch in a batch dim")
        nodes.append(t.reshaped(node, shape, base))
    t.emit(call, Matmul(), nodes, operands)


# ---------------------------------------------------------------------------------------- parameters
def _conv(t: Translator, call: OpCall) -> None:
    op = call.op
    x, w = t.value(call.args[0]), t.value(call.args[1])
    b = _arg(call, 2, "bias")
    b = t.value(b) if isinstance(b, TensorRef) else None
    if w.param is None:
        return t.uncounted(call, "convolution weight is not a parameter")
    dims = len(w.ref.shape) - 2
    if op in ("convolution", "_convolution"):
        stride, padding, dilation, transposed, out_pad, groups = (call.args[i] for i in range(3, 9))
    elif op.startswith("conv_transpose"):
        stride, padding, out_pad, groups, dilation = (
            _arg(call, i, n, d)
            for i, n, d in (
                (3, "stride", 1),
                (4, "padding", 0),
                (5, "output_padding", 0),
                (6, "groups", 1),
                (7, "dilation", 1),
            )
        )
        transposed = True
    else:
        stride, padding, dilation, groups = (
            _arg(call, i, n, d)
            for i, n, d in ((3, "stride", 1), (4, "padding", 0), (5, "dilation", 1), (6, "groups", 1))
        )
        transposed, out_pad = False, 0
    groups = int(groups)
    kernel = list(w.ref.shape[2:])
    base = f"{call.module}/{op}"
    source = None
    if isinstance(padding, str):
        if padding == "same" and not transposed:
            padding, source = _same_padding(t, x, kernel, _ints(dilation, dims), base)
            if source is None:
                return t.uncounted(call, f"padding='same' on an input of shape {x.pshape} per example")
        elif padding == "valid":
            padding = 0
        else:
            return t.uncounted(call, f"padding={padding!r}")
    if transposed:
        cls = getattr(catalogue, f"ConvTranspose{dims}d")
        layer = cls(
            w.ref.shape[0],
            w.ref.shape[1] * groups,
            kernel,
            _ints(stride, dims),
            _ints(padding, dims),
            _ints(out_pad, dims),
            groups,
            b is not None and b.param is not None,
            _ints(dilation, dims),
        )
    else:
        cls = getattr(catalogue, f"Conv{dims}d")
        layer = cls(
            w.ref.shape[1] * groups,
            w.ref.shape[0],
            kernel,
            _ints(stride, dims),
            _ints(padding, dims),
            _ints(dilation, dims),
            groups,
            b is not None and b.param is not None,
        )
    out = t.emit(call, layer, [source or t.tensor(x, base)], [x])
    t.use_param(w.param, out.node)
    if b is not None and b.param is not None:
        t.use_param(b.param, out.node)


def _same_padding(t: Translator, x: Value, kernel: List[int], dilation: List[int], base: str):
    """torch's padding="same" (stride 1): d (k - 1) padding per spatial dim, d (k - 1) // 2 on each side and,
    when that is odd (an even kernel), one more on the right, which torch adds by padding the input with
    zeros first. Returns (symmetric padding, graph tensor of the input with the extra zeros concatenated:
    a zero-cost ConcatLayer with a zeros model input), or (None, None) when x is not (C, spatial...)."""
    node = t.tensor(x, base)
    shape = list(t.shapes[node])
    if len(shape) != len(kernel) + 1:
        return None, None
    symmetric = []
    for j, (k, d) in enumerate(zip(kernel, dilation)):
        total = d * (k - 1)
        symmetric.append(total // 2)
        if total % 2:
            zeros = shape[: 1 + j] + [1] + shape[2 + j :]
            node = t.add(catalogue.ConcatLayer(dim=1 + j), [node, t.zeros(tuple(zeros))], f"{base}/pad")
            shape[1 + j] += 1
    return symmetric, node


def _embedding(t: Translator, call: OpCall) -> None:
    w, ids = t.value(call.args[0]), t.value(call.args[1])
    if w.param is None or len(w.ref.shape) != 2:
        return t.data_movement(call)
    base = f"{call.module}/embedding"
    layer = Embedding(w.ref.shape[0], w.ref.shape[1], shared_weight=w.param in t.used_params)
    out = t.emit(call, layer, [t.tensor(ids, base)], [ids])
    t.use_param(w.param, out.node)


def _index(t: Translator, call: OpCall) -> None:
    """param[ids] (MoE expert weights, tables) or param[:, ids] (LeViT's attention biases) is a lookup:
    Embedding(size of the indexed dim, the other elements); else data movement."""
    source, indices = t.value(call.args[0]), call.args[1]
    given = [i for i, index in enumerate(indices) if index is not None]
    if source.param is None or len(given) != 1 or not isinstance(indices[given[0]], TensorRef):
        return t.data_movement(call)
    ids = t.value(indices[given[0]])
    rows = source.ref.shape[given[0]]
    width = _numel(source.ref.shape) // rows
    base = f"{call.module}/index"
    out = t.emit(
        call, Embedding(rows, width, shared_weight=source.param in t.used_params), [t.tensor(ids, base)], [ids]
    )
    t.use_param(source.param, out.node)


# ---------------------------------------------------------------------------------------- norms
def _norm(t: Translator, call: OpCall) -> None:
    op, x = call.op, t.value(call.args[0])
    base = f"{call.module}/{op}"
    refs = [a if isinstance(a, TensorRef) else None for a in call.args]
    if op in ("layer_norm", "native_layer_norm"):
        w, b = refs[2] if len(refs) > 2 else None, refs[3] if len(refs) > 3 else None
        layer = LayerNorm(list(call.args[1]), elementwise_affine=w is not None, bias=b is not None)
    elif op in ("rms_norm", "_fused_rms_norm"):
        w, b = refs[2] if len(refs) > 2 else None, None
        layer = RMSNorm(list(call.args[1]), elementwise_affine=w is not None)
    elif op in ("group_norm", "native_group_norm"):
        w, b = refs[2] if len(refs) > 2 else None, refs[3] if len(refs) > 3 else None
        groups = call.args[1] if op == "group_norm" else call.args[6]
        if len(x.ref.shape) < 2 or not x.pshape or x.pshape[0] != x.ref.shape[1]:
            return t.uncounted(call, f"group_norm whose channels are not dim 0 of one example {x.pshape}")
        layer = GroupNorm(int(groups), x.pshape[0], affine=w is not None)
    else:  # batch_norm, _native_batch_norm_legit_no_training, native_batch_norm, ...
        w, b = refs[1], refs[2]
        return _batch_norm(t, call, x, w, b, base)
    out = t.emit(call, layer, [t.tensor(x, base)], [x])
    for ref in (w, b):
        if ref is not None and t.value(ref).param is not None:
            t.use_param(t.value(ref).param, out.node)


def _batch_norm(t: Translator, call: OpCall, x: Value, w: Any, b: Any, base: str) -> None:
    """BatchNorm over torch's channel dim 1 of (N, C, ...). When the batch was folded into the rows, (N L, C)
    as LeViT flattens its tokens, one example is (L, C): BatchNorm1d reads it transposed, (C, L)."""
    channels = x.ref.shape[1] if len(x.ref.shape) > 1 else x.ref.shape[0]
    rank, node = len(x.pshape), t.tensor(x, base)
    transposed = rank == 2 and x.pshape[0] != channels and x.pshape[1] == channels
    if not x.pshape or (x.pshape[0] != channels and not transposed):
        return t.uncounted(call, f"batch_norm whose {channels} channels are not a dim of one example {x.pshape}")
    layer = getattr(catalogue, f"BatchNorm{1 if rank <= 2 else rank - 1}d")(channels, affine=w is not None)
    if transposed:
        node = t.add(layer, [t.add(Transpose(0, 1), [node], f"{base}/channels_first")], base)
        out = t.emit(call, Transpose(0, 1), [node], [x])
    else:
        out = t.emit(call, layer, [node], [x])
    for ref in (w, b):
        if ref is not None and t.value(ref).param is not None:
            t.use_param(t.value(ref).param, node if transposed else out.node)
