"""Recording the aten operators of one call of a torch module (torch is imported only in here).

Two ways, in this order:

1. ``torch.export.export(module, args, kwargs, strict=False)``: the exported graph's ``call_function``
   nodes, their argument tensors' shapes from ``node.meta["val"]``, module names from
   ``node.meta["nn_module_stack"]``, parameters and buffers from the graph signature.
2. When export fails (an output type export cannot flatten, data-dependent Python...), one run of the
   module under a ``TorchDispatchMode`` on fake tensors records every operator it dispatches; module
   names come from global forward hooks. ``Capture.method`` says which one produced the record.

Both give the same record: a list of ``OpCall`` whose tensor arguments are ``TensorRef`` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple


@dataclass(frozen=True)
class TensorRef:
    """One tensor of the recorded call: its shape (batch included), dtype class and where it came from."""

    key: int
    shape: Tuple[int, ...]
    floating: bool
    origin: str  # "input", "param", "buffer", "const" or "op"
    name: str  # input name, parameter/buffer name, or the producing node's name


@dataclass(frozen=True)
class OpCall:
    """One operator call: ``op`` is the aten packet name without the in-place underscore ("add", "linear")."""

    op: str
    overload: str
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]
    outputs: Tuple[Optional[TensorRef], ...]
    module: str  # innermost module's path, "" for the root module
    module_type: str  # its qualified class name
    name: str


@dataclass
class Capture:
    method: str  # "export" or "dispatch"
    note: str
    inputs: List[TensorRef] = field(default_factory=list)
    calls: List[OpCall] = field(default_factory=list)
    params: Dict[str, Tuple[int, ...]] = field(default_factory=dict)  # every parameter once, by name


def _op_name(target: Any) -> Tuple[str, str]:
    schema = getattr(target, "_schema", None)
    if schema is None:
        return str(getattr(target, "__name__", target)), ""
    name = schema.name.split("::")[-1]
    if name.endswith("_") and not name.endswith("__"):
        name = name[:-1]
    return name, schema.overload_name or "default"


def _is_floating(tensor: Any) -> bool:
    return bool(tensor.dtype.is_floating_point or tensor.dtype.is_complex)


def _flatten_inputs(args: Sequence[Any], kwargs: Dict[str, Any]) -> List[Tuple[str, Any]]:
    import torch

    out = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, torch.Tensor):
            out.append((prefix, value))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                walk(f"{prefix}.{i}", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}", item)

    for i, value in enumerate(args):
        walk(f"input{i}", value)
    for key, value in kwargs.items():
        walk(str(key), value)
    return out


def _unique_params(module: Any) -> Dict[str, Tuple[int, ...]]:
    return {name: tuple(p.shape) for name, p in module.named_parameters()}  # tied tensors once


def _canonical_names(module: Any) -> Dict[str, str]:
    """Every name of every parameter and buffer -> the first name of that tensor (tied weights share one)."""
    first: Dict[int, str] = {}
    out: Dict[str, str] = {}
    named = list(module.named_parameters(remove_duplicate=False)) + list(module.named_buffers(remove_duplicate=False))
    for name, tensor in named:
        out[name] = first.setdefault(id(tensor), name)
    return out


# ---------------------------------------------------------------------------------------------- export
def capture_export(module: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Capture:
    """Record ``module(*args, **kwargs)`` with torch.export (non-strict); raises what export raises."""
    import operator

    import torch

    program = torch.export.export(module, tuple(args), dict(kwargs) or None, strict=False)
    capture = Capture("export", "torch.export.export(strict=False)", params=_unique_params(module))
    specs = {spec.arg.name: spec for spec in program.graph_signature.input_specs if hasattr(spec.arg, "name")}
    canonical = _canonical_names(module)
    values: Dict[Any, Any] = {}
    counter = [0]

    def ref(val: Any, origin: str, name: str) -> Any:
        if isinstance(val, torch.Tensor):
            counter[0] += 1
            return TensorRef(counter[0], tuple(int(s) for s in val.shape), _is_floating(val), origin, name)
        if isinstance(val, (list, tuple)):
            return tuple(ref(v, origin, f"{name}.{i}") for i, v in enumerate(val))
        return None

    def convert(arg: Any) -> Any:
        if isinstance(arg, torch.fx.Node):
            return values.get(arg)
        if isinstance(arg, (list, tuple)):
            return type(arg)(convert(a) for a in arg)
        if isinstance(arg, dict):
            return {k: convert(v) for k, v in arg.items()}
        return arg

    for node in program.graph.nodes:
        val = node.meta.get("val")
        if node.op == "placeholder":
            spec = specs.get(node.name)
            kind = spec.kind.name if spec is not None else "USER_INPUT"
            origin = {"PARAMETER": "param", "BUFFER": "buffer", "CONSTANT_TENSOR": "const"}.get(kind, "input")
            target = spec.target if spec is not None and spec.target else node.name
            target = canonical.get(target, target)
            values[node] = ref(val, origin, str(target))
            if origin == "input" and isinstance(values[node], TensorRef):
                capture.inputs.append(values[node])
        elif node.op == "call_function":
            if node.target is operator.getitem:
                source = values.get(node.args[0])
                values[node] = source[node.args[1]] if isinstance(source, tuple) else None
                continue
            op, overload = _op_name(node.target)
            out = ref(val, "op", node.name)
            values[node] = out
            outputs = out if isinstance(out, tuple) else (out,)
            stack = list(node.meta.get("nn_module_stack", {}).values())
            path, kind = stack[-1] if stack else ("", type(module).__qualname__)
            kind = kind if isinstance(kind, str) else f"{kind.__module__}.{kind.__qualname__}"
            capture.calls.append(
                OpCall(
                    op, overload, convert(tuple(node.args)), convert(dict(node.kwargs)), outputs, path, kind, node.name
                )
            )
    return capture


# -------------------------------------------------------------------------------------------- dispatch
def capture_dispatch(module: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any], note: str) -> Capture:
    """Record the operators one call dispatches, on fake tensors (parameters may be real or meta)."""
    import torch
    from torch._subclasses.fake_tensor import FakeTensorMode
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_map

    capture = Capture("dispatch", note, params=_unique_params(module))
    known: Dict[int, TensorRef] = {}
    alive: List[Any] = []  # keeps recorded tensors alive so their ids stay unique
    counter = [0]
    names = {id(m): path for path, m in module.named_modules(remove_duplicate=False)}
    stack: List[Tuple[str, str]] = [("", f"{type(module).__module__}.{type(module).__qualname__}")]

    def register(tensor: Any, origin: str, name: str) -> TensorRef:
        counter[0] += 1
        out = TensorRef(counter[0], tuple(int(s) for s in tensor.shape), _is_floating(tensor), origin, name)
        known[id(tensor)] = out
        alive.append(tensor)
        return out

    for name, tensor in module.named_parameters():
        register(tensor, "param", name)
    for name, tensor in module.named_buffers():
        register(tensor, "buffer", name)

    def lookup(value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            return known.get(id(value)) or register(value, "const", f"const{counter[0] + 1}")
        return value

    class Recorder(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, f_args=(), f_kwargs=None):
            f_kwargs = f_kwargs or {}
            ref_args = tree_map(lookup, tuple(f_args))
            ref_kwargs = tree_map(lookup, dict(f_kwargs))
            out = func(*f_args, **f_kwargs)
            op, overload = _op_name(func)
            name = f"{op}_{len(capture.calls)}"
            flat = out if isinstance(out, (list, tuple)) else (out,)
            outputs = tuple(
                register(o, "op", name if len(flat) == 1 else f"{name}.{i}") if isinstance(o, torch.Tensor) else None
                for i, o in enumerate(flat)
            )
            path, kind = stack[-1]
            capture.calls.append(OpCall(op, overload, ref_args, ref_kwargs, outputs, path, kind, name))
            return out

    def enter(mod, *_):
        stack.append((names.get(id(mod), "?"), f"{type(mod).__module__}.{type(mod).__qualname__}"))

    def leave(mod, *_):
        if len(stack) > 1:
            stack.pop()

    fake_mode = FakeTensorMode(allow_non_fake_inputs=True)
    hooks = [
        torch.nn.modules.module.register_module_forward_pre_hook(enter),
        torch.nn.modules.module.register_module_forward_hook(leave),
    ]
    try:
        with fake_mode:
            fake = tree_map(lambda v: fake_mode.from_tensor(v) if isinstance(v, torch.Tensor) else v, (args, kwargs))
            fake_args, fake_kwargs = fake
            for name, tensor in _flatten_inputs(fake_args, fake_kwargs):
                capture.inputs.append(register(tensor, "input", name))
            with Recorder(), torch.no_grad():
                module(*fake_args, **fake_kwargs)
    finally:
        for hook in hooks:
            hook.remove()
    stack.clear()
    return capture


def capture(module: Any, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Capture:
    """Export first; on failure record one dispatched run and keep export's error as the note."""
    try:
        return capture_export(module, args, kwargs)
    except Exception as error:  # export raises many types (Unsupported, UserError, RuntimeError...)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        note = f"torch.export failed ({type(error).__name__}: {first[:200]}); recorded one dispatched run instead"
        return capture_dispatch(module, args, kwargs, note)
