"""Flattening models into nodes: the builder, the Block and Model bases, and the iterative walk.

Every model is flattened at construction into a list of nodes (label, layer,
inputs) whose shapes are inferred one by one with the twin's ``evaluate_node``.
Blocks nest (a Residual inside a Residual...); every walk over them runs through
``_nesting.nested``, iteratively, up to ``MAX_NESTING`` levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from . import _twin
from ._json import dump
from ._layer_base import Layer
from ._nesting import MAX_NESTING, Step, nested


@dataclass(frozen=True)
class Node:
    """One layer of a flattened model: its label, layer, input refs and output shape."""

    label: str
    layer: Layer
    inputs: Tuple[int, ...]  # >= 0: earlier node, -1-k: model input k
    shape: Tuple[int, ...]


class Builder:
    """Appends nodes, inferring each output shape (and checking the layer) with the twin.

    Shape inference is a pure function of (layer record, input shapes), so each distinct pair is
    evaluated once per builder: the 80 identical decoder layers of Llama-3-70B cost a handful of twin
    evaluations, not 480. Only results are kept; a record that fails is evaluated (and fails, naming
    its node) every time.
    """

    def __init__(self, input_shapes: Sequence[Tuple[int, ...]]) -> None:
        self.input_shapes = [tuple(s) for s in input_shapes]
        self.nodes: List[Node] = []
        self._inferred: Dict[Tuple[Any, ...], Tuple[int, ...]] = {}

    def shape(self, ref: int) -> Tuple[int, ...]:
        return self.nodes[ref].shape if ref >= 0 else self.input_shapes[-1 - ref]

    def add(self, layer: Layer, inputs: Sequence[int], label: str) -> int:
        if not isinstance(layer, Layer):
            raise TypeError(f"layer {label} must be a Layer or a block, got {type(layer).__name__}")
        shapes = tuple([self.shape(r) for r in inputs])
        key = (layer.key, shapes)
        shape = self._inferred.get(key)
        if shape is None:
            kind, args = layer.record()
            try:
                shape = _twin.evaluate_node(kind, args, list(shapes), 1, 0).shape
            except (ValueError, OverflowError) as error:
                raise type(error)(f"layer {label} ({layer.type}): {error}") from None
            self._inferred[key] = shape
        self.nodes.append(Node(label, layer, tuple(inputs), shape))
        return len(self.nodes) - 1


class Block:
    """A composite usable as one layer inside a model (Sequential, Residual, Concat, ParallelResidual).

    Subclasses give ``_plan`` (flattening), ``_dict_steps`` (JSON form) and
    ``_from_dict_steps`` as generators that yield their sub-items, so ``nested``
    walks any depth iteratively.
    """

    name: Any = None

    def _plan(self, builder: Builder, ref: int, label: str) -> Step:  # pragma: no cover - every block overrides
        raise NotImplementedError

    def _dict_steps(self) -> Step:  # pragma: no cover - every block overrides
        raise NotImplementedError

    def to_dict(self) -> dict:
        """JSON form (built iteratively, any nesting depth up to MAX_NESTING)."""
        return nested(_dict_step, self, MAX_NESTING, "blocks")

    def to_json(self) -> str:
        """Canonical JSON text (objects one key per line, scalar lists inline)."""
        return dump(self.to_dict()) + "\n"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]


def _dict_step(item: Any) -> Any:
    return item._dict_steps() if isinstance(item, Block) else item.to_dict()


def chain(items: Sequence[Any], ref: int, prefix: str) -> Step:
    """Yield each item of a chain reading the previous one's output; returns the last ref."""
    for index, item in enumerate(items):
        ref = yield (item, ref, f"{prefix}{index}")
    return ref


def emit(builder: Builder, item: Any, ref: int, label: str) -> int:
    """Add a layer or block reading ``ref`` (blocks flattened iteratively); returns its output ref."""

    def step(request: Tuple[Any, int, str]) -> Any:
        item, ref, label = request
        if isinstance(item, Block):
            return item._plan(builder, ref, label)
        return builder.add(item, [ref], label)

    return nested(step, (item, ref, label), MAX_NESTING, "blocks")


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
            self._encoded = encode_nodes(self.input_shapes, self.nodes)
        return self._encoded

    def _check_ready(self) -> None:
        if not self.nodes and not self.input_shapes:
            raise ValueError(f"{type(self).__name__} {self.name!r} has no input_shape, so it cannot be counted")


def encode_nodes(input_shapes: Sequence[Tuple[int, ...]], nodes: Sequence[Node]):
    return list(input_shapes), [(*n.layer.record(), list(n.inputs)) for n in nodes]


def items_of(value: Any, what: str) -> List[Any]:
    """A chain of layers/blocks from a list, one layer or block, or a Sequential's layers."""
    from_model = getattr(value, "layers", None)
    if isinstance(value, Model) and from_model is not None:
        return list(from_model)
    if isinstance(value, (Layer, Block)):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise TypeError(f"{what} must be a list of layers or a Sequential, got {type(value).__name__}")
