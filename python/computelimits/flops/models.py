"""Models: Sequential, Residual, Concat and Graph, flattened to one graph of layers.

Every model is flattened at construction into a list of nodes (label, layer,
inputs); shapes are inferred node by node with the layer catalogue, and an
inconsistency raises ValueError naming the node ("layer 3 (Conv2d): ...").
``to_json`` / ``load_model`` / ``save_model`` round-trip exactly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _twin, _twin_seq  # noqa: F401  (_twin_seq completes _twin)
from .layers import Add, ConcatLayer, Layer, layer_from_dict

FORMAT = "computelimits.flops/1"


@dataclass(frozen=True)
class Node:
    """One layer of a flattened model: its label, layer, input refs and output shape."""

    label: str
    layer: Layer
    inputs: Tuple[int, ...]  # >= 0: earlier node, -1-k: model input k
    shape: Tuple[int, ...]


class _Builder:
    def __init__(self, input_shapes: Sequence[Tuple[int, ...]]) -> None:
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.nodes: List[Node] = []

    def shape(self, ref: int) -> Tuple[int, ...]:
        return self.nodes[ref].shape if ref >= 0 else self.input_shapes[-1 - ref]

    def add(self, layer: Layer, inputs: Sequence[int], label: str) -> int:
        if not isinstance(layer, Layer):
            raise TypeError(f"layer {label} must be a Layer or a block, got {type(layer).__name__}")
        kind, args = layer.encode()
        try:
            node = _twin.evaluate_node(kind, args, [self.shape(r) for r in inputs], 1, 0)
        except (ValueError, OverflowError) as error:
            raise type(error)(f"layer {label} ({layer.type}): {error}") from None
        self.nodes.append(Node(label, layer, tuple(inputs), node.shape))
        return len(self.nodes) - 1


def _emit(builder: _Builder, item: Any, ref: int, label: str) -> int:
    """Add a layer or block reading ``ref``; returns the ref of its output."""
    if isinstance(item, Block):
        return item._emit(builder, ref, label)
    return builder.add(item, [ref], label)


def _emit_chain(builder: _Builder, items: Sequence[Any], ref: int, prefix: str) -> int:
    for index, item in enumerate(items):
        ref = _emit(builder, item, ref, f"{prefix}{index}")
    return ref


def _items(value: Any, what: str) -> List[Any]:
    if isinstance(value, Sequential):
        return list(value.layers)
    if isinstance(value, (Layer, Block)):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise TypeError(f"{what} must be a list of layers or a Sequential, got {type(value).__name__}")


def _item_dict(item: Any) -> Dict[str, Any]:
    return item.to_dict()


def _item_from_dict(data: Any) -> Any:
    if isinstance(data, dict) and data.get("type") in _BLOCKS:
        return _BLOCKS[data["type"]].from_dict(data)
    return layer_from_dict(data)


def _list_or_model(value: Any) -> Any:
    if isinstance(value, Sequential):
        return value.to_dict()
    return [_item_dict(item) for item in value]


def _list_or_model_from(data: Any) -> Any:
    if isinstance(data, dict):
        return Sequential.from_dict(data)
    if not isinstance(data, list):
        raise ValueError(f"expected a list of layers or a Sequential object, got {data!r}")
    return [_item_from_dict(item) for item in data]


class Block:
    """A composite usable as one layer inside a model (Sequential, Residual, Concat)."""

    name: Optional[str] = None

    def _emit(self, builder: _Builder, ref: int, label: str) -> int:  # pragma: no cover
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]


class Model(Block):
    """A model with known inputs: flattened nodes, shapes, JSON."""

    input_shapes: List[Tuple[int, ...]]
    nodes: List[Node]
    output_ref: int

    @property
    def output_shape(self) -> Tuple[int, ...]:
        return self.nodes[self.output_ref].shape if self.output_ref >= 0 else self.input_shapes[-1 - self.output_ref]

    def encode(self) -> Tuple[List[Tuple[int, ...]], List[Tuple[int, List[int], List[int]]]]:
        """(input shapes, node records (kind, args, inputs)) as both backends read them."""
        if getattr(self, "_encoded", None) is None:
            records = [(*n.layer.encode(), list(n.inputs)) for n in self.nodes]
            self._encoded = (list(self.input_shapes), records)
        return self._encoded

    def to_json(self) -> str:
        """Canonical JSON text (objects one key per line, scalar lists inline)."""
        return _dump(self.to_dict(), 0) + "\n"

    def _check_ready(self) -> None:
        if not self.nodes and not self.input_shapes:
            raise ValueError(f"{type(self).__name__} {self.name!r} has no input_shape, so it cannot be counted")


class Sequential(Model):
    """Layers applied in order to one input of shape ``input_shape`` (no batch dim)."""

    def __init__(
        self, layers: Sequence[Any], input_shape: Optional[Sequence[int]] = None, name: Optional[str] = None
    ) -> None:
        self.layers = _items(layers, "Sequential.layers")
        self.name = name
        self.input_shape = None if input_shape is None else _check_shape("Sequential.input_shape", input_shape)
        self.input_shapes, self.nodes, self.output_ref, self._encoded = [], [], -1, None
        if self.input_shape is not None:
            builder = _Builder([self.input_shape])
            self.output_ref = _emit_chain(builder, self.layers, -1, "")
            self.input_shapes, self.nodes = builder.input_shapes, builder.nodes

    def _emit(self, builder: _Builder, ref: int, label: str) -> int:
        if self.input_shape is not None and tuple(self.input_shape) != builder.shape(ref):
            raise ValueError(
                f"layer {label} (Sequential): input_shape={tuple(self.input_shape)} does not match "
                f"the incoming shape {builder.shape(ref)}"
            )
        return _emit_chain(builder, self.layers, ref, f"{label}.")

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"type": "Sequential"}
        if self.name is not None:
            out["name"] = self.name
        if self.input_shape is not None:
            out["input_shape"] = list(self.input_shape)
        out["layers"] = [_item_dict(item) for item in self.layers]
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Sequential:
        _expect_keys(data, "Sequential", {"type", "name", "input_shape", "layers"})
        return cls(
            [_item_from_dict(item) for item in data.get("layers", [])], data.get("input_shape"), data.get("name")
        )

    def __repr__(self) -> str:
        return (
            f"Sequential(name={self.name!r}, input_shape={self.input_shape}, "
            f"layers={len(self.layers)}, nodes={len(self.nodes)})"
        )


class Residual(Block):
    """output = body(x) + shortcut(x); shortcut None is the identity (an Add node is counted)."""

    def __init__(self, body: Any, shortcut: Any = None, name: Optional[str] = None) -> None:
        self.body, self.shortcut, self.name = body, shortcut, name
        self._body = _items(body, "Residual.body")
        self._shortcut = [] if shortcut is None else _items(shortcut, "Residual.shortcut")

    def _emit(self, builder: _Builder, ref: int, label: str) -> int:
        body = _emit_chain(builder, self._body, ref, f"{label}.body.")
        short = _emit_chain(builder, self._shortcut, ref, f"{label}.shortcut.")
        return builder.add(Add(), [body, short], f"{label}.add")

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"type": "Residual"}
        if self.name is not None:
            out["name"] = self.name
        out["body"] = _list_or_model(self.body if isinstance(self.body, Sequential) else self._body)
        if self.shortcut is not None:
            out["shortcut"] = _list_or_model(self.shortcut if isinstance(self.shortcut, Sequential) else self._shortcut)
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Residual:
        _expect_keys(data, "Residual", {"type", "name", "body", "shortcut"})
        shortcut = data.get("shortcut")
        return cls(
            _list_or_model_from(data.get("body", [])),
            None if shortcut is None else _list_or_model_from(shortcut),
            data.get("name"),
        )

    def __repr__(self) -> str:
        return f"Residual(body={len(self._body)} layers, shortcut={len(self._shortcut)} layers)"


class Concat(Block):
    """Branches applied to the same input, concatenated along ``dim`` (of the unbatched shape)."""

    def __init__(self, branches: Sequence[Any], dim: int = 0, name: Optional[str] = None) -> None:
        if not isinstance(branches, (list, tuple)) or not branches:
            raise ValueError(f"Concat.branches must be a non-empty list, got {branches!r}")
        self.branches, self.dim, self.name = list(branches), dim, name
        self._branches = [_items(b, f"Concat.branches[{i}]") for i, b in enumerate(self.branches)]
        ConcatLayer(dim=dim)  # validates dim

    def _emit(self, builder: _Builder, ref: int, label: str) -> int:
        outs = [_emit_chain(builder, b, ref, f"{label}.branch{i}.") for i, b in enumerate(self._branches)]
        return builder.add(ConcatLayer(dim=self.dim), outs, f"{label}.concat")

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"type": "Concat"}
        if self.name is not None:
            out["name"] = self.name
        out["branches"] = [
            _list_or_model(b if isinstance(b, Sequential) else items) for b, items in zip(self.branches, self._branches)
        ]
        out["dim"] = self.dim
        return out

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Concat:
        _expect_keys(data, "Concat", {"type", "name", "branches", "dim"})
        return cls([_list_or_model_from(b) for b in data.get("branches", [])], data.get("dim", 0), data.get("name"))

    def __repr__(self) -> str:
        return f"Concat(branches={len(self._branches)}, dim={self.dim})"


from .graph import Graph, _check_shape, _dump, _expect_keys  # noqa: E402

_BLOCKS = {"Sequential": Sequential, "Residual": Residual, "Concat": Concat}


def model_from_dict(data: Dict[str, Any]) -> Model:
    """Rebuild a Sequential or Graph from its ``to_dict()`` form."""
    if not isinstance(data, dict) or data.get("type") not in ("Sequential", "Graph"):
        raise ValueError(
            "a model file must hold a JSON object with type 'Sequential' or 'Graph', "
            f"got type {data.get('type') if isinstance(data, dict) else type(data).__name__!r}"
        )
    return Graph.from_dict(data) if data["type"] == "Graph" else Sequential.from_dict(data)


def load_model(source: Union[str, Path]) -> Model:
    """A model from a JSON file path or JSON text."""
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    else:
        text = Path(source).read_text()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"model JSON is not valid: {error}") from None
    return model_from_dict(data)


def save_model(model: Model, path: Union[str, Path]) -> None:
    """Write ``model.to_json()`` to ``path``."""
    Path(path).write_text(model.to_json())
