"""Turning a recorded operator list (``torch_capture.Capture``) into catalogue nodes.

Shapes: like every flops model, the nodes see one example. The batch is the leading dim N of the first
input; a tensor computed from the inputs loses its first dim divisible by N (dropped when equal to N,
divided otherwise, so ``view(N * L, E)`` and ``(N, L, E)`` both become L rows of E). Tensors that do not
depend on the inputs (buffers, constants, parameters) keep their shapes. Work on them is therefore
counted once per example, as everything else is.

What becomes what (``torch_ops.py`` holds the operator table):

* operators with catalogue layers (linear/mm/bmm/matmul, convolutions, embedding, norms, activations,
  pooling, element-wise arithmetic...) become those layers; parameters are attributed to the layer that
  consumes them (a parameter read twice is ``shared_weight`` the second time);
* views and copies (view, reshape, transpose, permute, expand, slice, select, cat, where...) move data and
  cost 0 FLOPs: they become zero-cost shape layers (Reshape, Select, ConcatLayer) where that keeps the data
  flow, else the next counted layer reads a model input of the right shape;
* operators on integer or boolean tensors (masks, positions) are not floating-point work;
* every other operator is **uncounted**: it goes into the ledger (operator, calls, shapes, modules) and the
  layers after it read its output as a model input. Parameters read only by such operators are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple, overload

from .. import _twin
from .._ledger import UncountedOp
from ..layers import ConcatLayer, Layer, Reshape, Select
from .torch_capture import Capture, OpCall, TensorRef

MAX_COPIES = 64  # expand/repeat as a concatenation of at most this many copies; beyond, a model input


@dataclass
class Value:
    """A recorded tensor as the translator sees it."""

    ref: TensorRef
    batched: bool  # computed from the model inputs (carries the batch)
    pshape: Tuple[int, ...]  # shape of one example
    drop: Optional[int] = None  # index (in ref.shape) of the batch dim when it was dropped
    node: Optional[str] = None  # the graph tensor holding it (its shape may differ by a view)
    param: Optional[str] = None  # parameter name, also for views of a parameter


@dataclass
class LedgerEntry:
    """The ledger row of one operator while the calls are translated (frozen into an ``UncountedOp``)."""

    operator: str
    calls: int = 0
    shapes: List[Tuple[Tuple[int, ...], ...]] = field(default_factory=list)
    modules: List[str] = field(default_factory=list)
    reason: str = "no catalogue layer"

    def frozen(self) -> UncountedOp:
        return UncountedOp(self.operator, self.calls, tuple(self.shapes), tuple(self.modules), self.reason)


def _numel(shape: Sequence[int]) -> int:
    out = 1
    for size in shape:
        out *= size
    return out


def layer_shape(layer: Layer, shapes: Sequence[Tuple[int, ...]]) -> Tuple[int, ...]:
    """The catalogue's output shape of ``layer`` on ``shapes`` (ValueError if they do not fit)."""
    kind, args = layer.record()
    return tuple(_twin.evaluate_node(kind, args, [tuple(s) for s in shapes], 1, 0).shape)


class Translator:
    """Builds the node list; ``torch_ops.translate_call`` handles one operator call."""

    def __init__(self, capture: Capture) -> None:
        self.capture = capture
        first = next((t for t in capture.inputs if t.shape), None)
        self.batch = first.shape[0] if first is not None else 1
        self.inputs: Dict[str, Tuple[int, ...]] = {}
        self.nodes: List[Tuple[str, Layer, List[str]]] = []
        self.shapes: Dict[str, Tuple[int, ...]] = {}
        self.values: Dict[int, Value] = {}
        self.used_params: Dict[str, str] = {}  # parameter -> the node that counts it
        self.unattributed: Dict[str, List[str]] = {}  # parameter -> operators that read it uncounted
        self.ledger: Dict[str, LedgerEntry] = {}
        self.names: Dict[str, int] = {}
        self._inferred: Dict[Tuple[Any, ...], Tuple[int, ...]] = {}
        for tensor in capture.inputs:
            value = self._new(tensor, batched=bool(tensor.shape) and tensor.shape[0] == self.batch)
            value.node = self._input(tensor.name, value.pshape)

    # ------------------------------------------------------------------ values and shapes
    def strip(self, shape: Tuple[int, ...]) -> Optional[Tuple[Tuple[int, ...], Optional[int]]]:
        """(shape of one example, index of the dropped dim or None); None if no dim holds the batch."""
        for i, size in enumerate(shape):
            if size % self.batch == 0:
                if size == self.batch:
                    return shape[:i] + shape[i + 1 :], i
                return shape[:i] + (size // self.batch,) + shape[i + 1 :], None
        return None

    def _new(self, ref: TensorRef, batched: bool) -> Value:
        pshape, drop = ref.shape, None
        if batched:
            stripped = self.strip(ref.shape)
            if stripped is None:
                batched = False
            else:
                pshape, drop = stripped
        value = Value(ref, batched, pshape, drop, param=ref.name if ref.origin == "param" else None)
        self.values[ref.key] = value
        return value

    def example_shape(self, ref: TensorRef, batched: bool) -> Tuple[int, ...]:
        stripped = self.strip(ref.shape) if batched else None
        return ref.shape if stripped is None else stripped[0]

    def align(self, value: Value, like: Sequence[Value]) -> Value:
        """A constant laid out over the batch (a mask built for N examples) read as one example's slice."""
        if value.batched or value.param is not None:
            return value
        for other in like:
            drop = other.drop
            if drop is None or not other.batched or len(other.ref.shape) != len(value.ref.shape):
                continue
            if value.ref.shape[drop] in (self.batch, 1):
                shape = value.ref.shape[:drop] + value.ref.shape[drop + 1 :]
                aligned = Value(value.ref, True, shape, drop, None, None)
                aligned.node = value.node if value.node and self.shapes[value.node] == shape else None
                return aligned
        return value

    def value(self, ref: TensorRef) -> Value:
        return self.values.get(ref.key) or self._new(ref, batched=False)

    @staticmethod
    def first_output(call: OpCall) -> TensorRef:
        """The tensor ``call`` returns first; a ValueError names the operator when it returned no tensor."""
        ref = call.outputs[0] if call.outputs else None
        if ref is None:
            raise ValueError(f"{call.op} records no tensor output")
        return ref

    @staticmethod
    def tensor_outputs(call: OpCall) -> List[TensorRef]:
        """Every output of ``call``; a ValueError names the operator when one of them is not a tensor."""
        refs = [ref for ref in call.outputs if ref is not None]
        if len(refs) != len(call.outputs):
            raise ValueError(f"{call.op} records a non-tensor output among {len(call.outputs)} outputs")
        return refs

    @overload
    def output(self, ref: TensorRef, like: Sequence[Value], node: Optional[str] = None) -> Value: ...

    @overload
    def output(
        self, ref: Optional[TensorRef], like: Sequence[Value], node: Optional[str] = None
    ) -> Optional[Value]: ...

    def output(self, ref: Optional[TensorRef], like: Sequence[Value], node: Optional[str] = None) -> Optional[Value]:
        """Register an operator's output: batched when an input is; ``node`` holds it if given."""
        if ref is None:
            return None
        value = self._new(ref, batched=any(v.batched for v in like))
        value.node = node
        return value

    def pdim(self, value: Value, dim: int) -> Optional[int]:
        """``dim`` of the full tensor as a dim of one example; None when it is the batch dim."""
        rank = len(value.ref.shape)
        dim = dim % rank if rank else 0
        if not value.batched or value.drop is None:
            if value.batched and value.pshape != value.ref.shape and dim == self._divided_dim(value):
                return None
            return dim
        if dim == value.drop:
            return None
        return dim if dim < value.drop else dim - 1

    @staticmethod
    def _divided_dim(value: Value) -> int:
        return next(i for i, (a, b) in enumerate(zip(value.ref.shape, value.pshape)) if a != b)

    # ------------------------------------------------------------------ graph building
    def unique(self, base: str) -> str:
        base = base or "root"
        count = self.names.get(base, 0)
        self.names[base] = count + 1
        return base if count == 0 else f"{base}.{count}"

    def _input(self, name: str, shape: Tuple[int, ...]) -> str:
        name = self.unique(f"input:{name}")
        self.inputs[name] = tuple(shape) or (1,)
        self.shapes[name] = self.inputs[name]
        return name

    def zeros(self, shape: Tuple[int, ...]) -> str:
        """A model input holding zeros of ``shape`` (the padding torch concatenates): constants, no work."""
        return self._input("zeros", shape)

    def scalar(self) -> str:
        """The model input of shape (1,) that scalar operands of element-wise layers read."""
        if "scalar" not in self.shapes:
            self.inputs["scalar"] = (1,)
            self.shapes["scalar"] = (1,)
        return "scalar"

    def add(self, layer: Layer, inputs: Sequence[str], base: str) -> str:
        shapes = tuple(self.shapes[i] for i in inputs)
        key = (layer.key, shapes)
        shape = self._inferred.get(key)
        if shape is None:  # a pure function of (record, input shapes): repeated blocks are inferred once
            shape = self._inferred[key] = layer_shape(layer, shapes)
        name = self.unique(base)
        self.nodes.append((name, layer, list(inputs)))
        self.shapes[name] = shape
        return name

    def tensor(self, value: Value, base: str) -> str:
        """A graph tensor holding ``value`` with its example shape (a Reshape, or a model input)."""
        if value.node is None or _numel(self.shapes[value.node]) != _numel(value.pshape):
            value.node = self._input(value.ref.name, value.pshape)
        elif self.shapes[value.node] != value.pshape:
            value.node = self.add(Reshape(list(value.pshape) or [1]), [value.node], f"{base}/reshape")
        return value.node

    def reshaped(self, node: str, shape: Sequence[int], base: str) -> str:
        if self.shapes[node] == tuple(shape):
            return node
        return self.add(Reshape(list(shape)), [node], f"{base}/reshape")

    def emit(self, call: OpCall, layer: Layer, inputs: Sequence[str], like: Sequence[Value]) -> Value:
        """Add ``layer`` for ``call`` and register its first output (checked against the recorded size)."""
        base = f"{call.module}/{call.op}" if call.module else call.op
        node = self.add(layer, inputs, base)
        out = self.output(call.outputs[0], like, node)
        if out is None:
            raise ValueError(f"{call.op} records no tensor output")
        if _numel(self.shapes[node]) != _numel(out.pshape):
            raise ValueError(f"layer output {self.shapes[node]} does not match the recorded {out.pshape}")
        return out

    def use_param(self, name: Optional[str], node: Optional[str]) -> bool:
        """Attribute parameter ``name`` to ``node``; True if another layer already counts it (shared)."""
        shared = name in self.used_params
        if name is not None:
            self.used_params.setdefault(name, node or "")
        return shared

    # ------------------------------------------------------------------ uncounted work
    def uncounted(self, call: OpCall, reason: str = "no catalogue layer") -> None:
        tensors = [self.value(t) for t in _tensors(call.args) + _tensors(call.kwargs)]
        key = f"aten.{call.op}" if call.overload else call.op
        entry = self.ledger.setdefault(key, LedgerEntry(key, reason=reason))
        entry.calls += 1
        shapes = tuple(v.ref.shape for v in tensors if v.param is None)
        if shapes not in entry.shapes and len(entry.shapes) < 8:
            entry.shapes.append(shapes)
        if call.module not in entry.modules and len(entry.modules) < 8:
            entry.modules.append(call.module)
        for value in tensors:
            if value.param is not None:
                self.unattributed.setdefault(value.param, []).append(key)
        for ref in call.outputs:
            self.output(ref, tensors)

    def same_elements(self, call: OpCall) -> None:
        """A zero-cost view or copy holding the same elements: it reads its input's graph tensor."""
        x = self.value(call.args[0])
        out = self.output(call.outputs[0], [x], x.node)
        if out is not None:
            out.param = x.param  # a view of a parameter (W.t() before mm) still is that parameter

    def data_movement(self, call: OpCall) -> None:
        """A zero-cost copy whose result the next counted layer reads as a model input. A parameter it reads
        is listed (unattributed, unless a counted layer holds it too): read, never silently "unused"."""
        tensors = [self.value(t) for t in _tensors(call.args) + _tensors(call.kwargs)]
        for value in tensors:
            if value.param is not None:
                self.unattributed.setdefault(value.param, []).append(f"aten.{call.op}")
        for ref in call.outputs:
            self.output(ref, tensors)


def _tensors(tree: Any) -> List[TensorRef]:
    if isinstance(tree, TensorRef):
        return [tree]
    if isinstance(tree, (list, tuple)):
        return [t for item in tree for t in _tensors(item)]
    if isinstance(tree, dict):
        return [t for item in tree.values() for t in _tensors(item)]
    return []


def copies(
    translator: Translator, node: str, shape: Tuple[int, ...], target: Tuple[int, ...], base: str
) -> Optional[str]:
    """``expand``: concatenate copies along each broadcast dim (zero cost, keeps the data flow)."""
    if len(shape) != len(target) or _numel(target) > MAX_COPIES * _numel(shape):
        return None
    current, now = node, list(shape)
    for dim, (size, want) in enumerate(zip(shape, target)):
        if size == want:
            continue
        if size != 1:
            return None
        now[dim] = want
        current = translator.add(ConcatLayer(dim=dim), [current] * want, f"{base}/expand")
    return current if tuple(now) == tuple(target) else None


def chunk(translator: Translator, node: str, shape: Tuple[int, ...], dim: int, start: int, length: int, base: str):
    """``x.narrow(dim, start, length)`` as Reshape + Select when ``length`` divides ``start`` and the size."""
    size = shape[dim]
    if length == size and start == 0:
        return node
    if length <= 0 or start % length or size % length:
        return None
    split = shape[:dim] + (size // length, length) + shape[dim + 1 :]
    node = translator.reshaped(node, split, base)
    return translator.add(Select(dim=dim, index=start // length), [node], f"{base}/slice")
