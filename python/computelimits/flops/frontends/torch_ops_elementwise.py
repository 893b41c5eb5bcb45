"""from_torch operators without parameters: element-wise arithmetic, activations, softmax, dropout, pooling."""

from __future__ import annotations

from .. import layers as catalogue
from ..layers import (
    GELU,
    Add,
    AdditiveEmbedding,
    Dropout,
    GlobalAvgPool,
    Mul,
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
    for value in params:
        t.unattributed.setdefault(value.param, []).append(f"aten.{op}")
    inputs = [t.tensor(v, base) if isinstance(v, Value) else t.scalar() for v in operands]
    if len(inputs) == 1:
        inputs.append(t.scalar())
    t.emit(call, layer_cls(), inputs, tensors)


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
    """mean over trailing dims of one example: Reshape (rows, k) + GlobalAvgPool (n additions, 1 per element)."""
    x = t.value(call.args[0])
    dims = sorted(
        {t.pdim(x, int(d)) for d in _arg(call, 1, "dim", None) or range(len(x.ref.shape))},
        key=lambda d: -1 if d is None else d,
    )
    rank = len(x.pshape)
    if None in dims or dims != list(range(rank - len(dims), rank)) or len(dims) == rank:
        return t.uncounted(call, "mean over leading or batch dims")
    base = f"{call.module}/mean"
    width = _numel(x.pshape[rank - len(dims) :])
    node = t.reshaped(t.tensor(x, base), (_numel(x.pshape) // width, width), base)
    t.emit(call, GlobalAvgPool(), [node], [x])


def _upsample(t: Translator, call: OpCall) -> None:
    x, out = t.value(call.args[0]), call.outputs[0]
    mode = "bilinear" if "bilinear" in call.op else "nearest"
    if "bicubic" in call.op or "trilinear" in call.op or "linear1d" in call.op:
        return t.uncounted(call)
    size = list(t.example_shape(out, x.batched)[1:])
    t.emit(call, Upsample(size=size, mode=mode), [t.tensor(x, f"{call.module}/upsample")], [x])
