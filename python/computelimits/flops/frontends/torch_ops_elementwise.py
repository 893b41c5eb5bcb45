"""from_torch operators without parameters: element-wise arithmetic, activations, softmax, dropout, pooling."""

from __future__ import annotations

from .. import layers as catalogue
from ..layers import (
    GELU,
    Add,
    AdditiveEmbedding,
    Dropout,
    GlobalAvgPool,
    LearnedBias,
    LearnedScale,
    Mul,
    Permute,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Tanh,
    Upsample,
)
from .torch_capture import OpCall, TensorRef
from .torch_ops_layers import _arg, _ints
from .torch_translate import Translator, Value, _numel

ACTIVATIONS = {"relu": ReLU, "relu6": ReLU6, "silu": SiLU, "sigmoid": Sigmoid, "tanh": Tanh, "gelu": GELU}


# ---------------------------------------------------------------------------------------- element-wise
def _binary(t: Translator, call: OpCall) -> None:
    op = call.op
    layer_cls = Add if op in ("add", "sub", "rsub") else Mul
    base = f"{call.module}/{op}"
    operands = [t.value(a) if isinstance(a, TensorRef) else a for a in call.args[:2]]
    tensors = [v for v in operands if isinstance(v, Value)]
    if not tensors:
        return t.data_movement(call)
    operands = [t.align(v, tensors) if isinstance(v, Value) else v for v in operands]
    tensors = [v for v in operands if isinstance(v, Value)]
    params = [v for v in tensors if v.param is not None]
    acts = [v for v in tensors if v.param is None]
    if op == "add" and len(params) == 1 and len(acts) == 1 and len(acts[0].pshape) == 2:
        table, x = params[0], acts[0]
        rows = [s for s in table.ref.shape if s != 1]
        if len(rows) == 2 and rows[1] == x.pshape[1] and rows[0] >= x.pshape[0]:
            out = t.emit(call, AdditiveEmbedding(rows[0], rows[1]), [t.tensor(x, base)], [x])
            t.use_param(table.param, out.node)
            return
    if _learned_elementwise(t, call, operands, params, acts):
        return
    for name in (v.param for v in params):
        if name is not None:  # params holds only values reading a parameter
            t.unattributed.setdefault(name, []).append(f"aten.{op}")
    inputs = [t.tensor(v, base) if isinstance(v, Value) else t.scalar() for v in operands]
    if len(inputs) == 1:
        inputs.append(t.scalar())
    t.emit(call, layer_cls(), inputs, tensors)


def _learned_shape(t: Translator, weight: Value, x: Value):
    """The shape of one example's share of ``weight`` broadcast into ``x`` (leading 1s dropped), or None
    when it does not broadcast into one example without enlarging it."""
    full, shape = x.ref.shape, tuple(weight.ref.shape)
    while len(shape) > len(full) and shape[0] == 1:
        shape = shape[1:]
    if len(shape) > len(full):
        return None
    aligned = (1,) * (len(full) - len(shape)) + shape
    batch_dim = x.drop if x.drop is not None else (t._divided_dim(x) if x.pshape != full else None)
    if batch_dim is not None and aligned[batch_dim] != 1:
        return None  # one weight per example: not a learned tensor shared by the batch
    if x.drop is not None:
        aligned = aligned[: x.drop] + aligned[x.drop + 1 :]
    if len(aligned) != len(x.pshape) or any(w not in (1, size) for w, size in zip(aligned, x.pshape)):
        return None
    while len(aligned) > 1 and aligned[0] == 1:
        aligned = aligned[1:]
    return aligned


def _learned_elementwise(t: Translator, call: OpCall, operands, params, acts) -> bool:
    """An activation times (or plus) a parameter broadcast into it, read once: ConvNeXt's and CaiT's layer
    scale (``gamma * x``) is a LearnedScale, ``x + b`` a LearnedBias; ``x / w`` counts as a LearnedScale
    too (one FLOP per element). Returns False when the call is not of that form."""
    if len(params) != 1 or len(acts) != 1 or not acts[0].batched or params[0].param in t.used_params:
        return False
    weight, x = params[0], acts[0]
    if call.op in ("div", "sub", "rsub") and operands[1 if call.op != "rsub" else 0] is not weight:
        return False  # w / x and w - x are not x scaled or shifted by w (their input gradients differ)
    shape = _learned_shape(t, weight, x)
    if shape is None or _numel(shape) != _numel(t.capture.params.get(weight.param, weight.ref.shape)):
        return False  # a view or slice of a larger parameter: keep it listed
    layer = (LearnedBias if call.op in ("add", "sub", "rsub") else LearnedScale)(list(shape))  # x - w: b = -w
    out = t.emit(call, layer, [t.tensor(x, f"{call.module}/{call.op}")], [x])
    t.use_param(weight.param, out.node)
    return True


def _unary_as_mul(t: Translator, call: OpCall) -> None:
    """neg x = x * -1; pow(x, n) for n = 2, 3, 4 is n - 1 multiplies per element (square: n = 2)."""
    x = t.value(call.args[0])
    if not isinstance(call.args[0], TensorRef):
        return t.uncounted(call)
    base = f"{call.module}/{call.op}"
    power = 2 if call.op == "square" else _arg(call, 1, "exponent") if call.op == "pow" else 1
    power = int(power) if isinstance(power, float) and power.is_integer() else power
    if power not in (1, 2, 3, 4):
        return t.uncounted(call, f"pow with exponent {power!r}")
    source = t.tensor(x, base)
    node = source if power > 1 else t.scalar()
    for _ in range(max(power - 2, 0)):
        node = t.add(Mul(), [node, source], f"{base}/mul")
    t.emit(call, Mul(), [source, node], [x])


def _activation(t: Translator, call: OpCall) -> None:
    x = t.value(call.args[0])
    op = call.op
    if op == "hardtanh":
        low, high = _arg(call, 1, "min_val", -1.0), _arg(call, 2, "max_val", 1.0)
        if (low, high) != (0.0, 6.0):
            return t.uncounted(call, f"hardtanh({low}, {high}) is not ReLU6")
        op = "relu6"
    layer = GELU(approximate=_arg(call, 1, "approximate", "none")) if op == "gelu" else ACTIVATIONS[op]()
    t.emit(call, layer, [t.tensor(x, f"{call.module}/{op}")], [x])


def _softmax(t: Translator, call: OpCall) -> None:
    x = t.value(call.args[0])
    dim = t.pdim(x, int(call.args[1]))
    if dim is None:
        return t.uncounted(call, "softmax over the batch dim")
    t.emit(call, Softmax(dim=dim), [t.tensor(x, f"{call.module}/softmax")], [x])


def _dropout(t: Translator, call: OpCall) -> None:
    x = t.value(call.args[0])
    p, train = float(_arg(call, 1, "p", 0.5)), bool(_arg(call, 2, "train", True))
    if not train or p == 0.0:
        return t.same_elements(call)
    out = t.emit(call, Dropout(p), [t.tensor(x, f"{call.module}/dropout")], [x])
    for extra in call.outputs[1:]:
        t.output(extra, [out])


def _pool(t: Translator, call: OpCall) -> None:
    op, x = call.op, t.value(call.args[0])
    dims = int(op.rstrip("d")[-1]) if op[-2].isdigit() else 2
    base = f"{call.module}/{op}"
    if "adaptive" in op:
        kind = "AdaptiveMaxPool" if "max" in op else "AdaptiveAvgPool"
        layer = getattr(catalogue, f"{kind}{dims}d")(list(call.args[1]))
    else:
        kernel = _ints(call.args[1], dims)
        stride = _arg(call, 2, "stride") or kernel
        padding = _arg(call, 3, "padding", 0)
        if "max" in op:
            dilation, ceil = _arg(call, 4, "dilation", 1), _arg(call, 5, "ceil_mode", False)
            if any(d != 1 for d in _ints(dilation, dims)):
                return t.uncounted(call, "dilated max pooling")
        else:
            ceil = _arg(call, 4, "ceil_mode", False)
        kind = "MaxPool" if "max" in op else "AvgPool"
        layer = getattr(catalogue, f"{kind}{dims}d")(kernel, _ints(stride, dims), _ints(padding, dims), bool(ceil))
    out = t.emit(call, layer, [t.tensor(x, base)], [x])
    for extra in call.outputs[1:]:  # max_pool2d_with_indices' indices
        t.output(extra, [out])


def _mean(t: Translator, call: OpCall) -> None:
    """mean over dims of one example: the reduced dims moved last (a zero-cost Permute when they are not
    trailing already), Reshape (rows, k) + GlobalAvgPool (n additions, 1 per element)."""
    x = t.value(call.args[0])
    example_dims = {t.pdim(x, int(d)) for d in _arg(call, 1, "dim", None) or range(len(x.ref.shape))}
    if None in example_dims:
        return t.uncounted(call, "mean over the batch dim")
    dims = sorted(d for d in example_dims if d is not None)
    rank = len(x.pshape)
    base = f"{call.module}/mean"
    node = t.tensor(x, base)
    kept = [d for d in range(rank) if d not in dims]
    if kept and dims != list(range(rank - len(dims), rank)):
        node = t.add(Permute(kept + dims), [node], f"{base}/permute")
    width = _numel([x.pshape[d] for d in dims])
    node = t.reshaped(node, (_numel(x.pshape) // width, width), base)
    t.emit(call, GlobalAvgPool(), [node], [x])


def _upsample(t: Translator, call: OpCall) -> None:
    """(N, C, spatial...) -> the output's spatial size; a tensor without the batch (a table interpolated
    each call, as BEiT's relative position bias) is read as (C, spatial...) when its N is 1."""
    x, out = t.value(call.args[0]), t.first_output(call)
    mode = "bilinear" if "bilinear" in call.op else "nearest"
    if "bicubic" in call.op or "trilinear" in call.op or "linear1d" in call.op:
        return t.uncounted(call)
    base = f"{call.module}/upsample"
    spatial = len(out.shape) - 2
    node = t.tensor(x, base)
    shape = t.shapes[node]
    if len(shape) == spatial + 2 and shape[0] == 1:
        node = t.reshaped(node, shape[1:], base)
    t.emit(call, Upsample(size=list(out.shape[2:]), mode=mode), [node], [x])
