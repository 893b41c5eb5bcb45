"""Models and blocks: Sequential, Residual, ParallelResidual and Concat.

Every model is flattened at construction into a list of nodes (label, layer,
inputs); shapes are inferred node by node with the layer catalogue, and an
inconsistency raises ValueError naming the node ("layer 3 (Conv2d): ...").
The general ``Graph`` is in ``graph.py``; reading and writing model files in
``model_io.py``. Blocks nest up to ``MAX_NESTING`` levels, walked iteratively.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Dict, List, Optional, Type

from ._build import Block, Builder, Model, Node, Step, chain, emit, items_of
from ._json import check_shape, expect_keys
from ._layer_base import layer_from_dict
from ._nesting import MAX_NESTING, nested
from .layers import Add, ConcatLayer

_ADD = Add()  # layers are immutable: every residual sum shares one Add

__all__ = [
    "MAX_NESTING",
    "Block",
    "Concat",
    "Model",
    "Node",
    "ParallelResidual",
    "Residual",
    "Sequential",
    "item_from_dict",
]


def _chain_dict(value: Any, items: List[Any]) -> Step:
    """JSON of a chain: the Sequential's own object when one was given, else the list of items."""
    if isinstance(value, Sequential):
        return (yield value)
    out = []
    for item in items:
        out.append((yield item))
    return out


def _chain_from(data: Any, what: str) -> Step:
    """Items (or a Sequential) from a chain's JSON: a list of layers/blocks or a Sequential object."""
    if isinstance(data, dict) and data.get("type") == "Sequential":
        return (yield data)
    if not isinstance(data, list):
        raise ValueError(f"{what} must be a list of layers or a Sequential object, got {data!r}")
    out = []
    for item in data:
        out.append((yield item))
    return out


def _from_dict_step(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("type"), str) and data["type"] in _BLOCKS:
        return _BLOCKS[data["type"]]._from_dict_steps(data)
    return layer_from_dict(data)


def item_from_dict(data: Any) -> Any:
    """A layer or block from its ``to_dict()`` form (any nesting, walked iteratively)."""
    return nested(_from_dict_step, data, MAX_NESTING, "blocks")


class _FromDict:
    """``Block.from_dict(data)``: rebuild the block from its ``to_dict()`` form."""

    @classmethod
    def _from_dict_steps(cls, data: Dict[str, Any]) -> Step:  # pragma: no cover - every block overrides
        raise NotImplementedError

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Any:
        roots = [cls._from_dict_steps(data)]
        return nested(lambda d: roots.pop() if roots else _from_dict_step(d), None, MAX_NESTING, "blocks")


class Sequential(_FromDict, Model):
    """Layers applied in order to one input of shape ``input_shape`` (no batch dim)."""

    def __init__(
        self, layers: Sequence[Any], input_shape: Optional[Sequence[int]] = None, name: Optional[str] = None
    ) -> None:
        self.layers = items_of(layers, "Sequential.layers")
        self.name = name
        self.input_shape = None if input_shape is None else check_shape("Sequential.input_shape", input_shape)
        self.input_shapes, self.nodes, self.output_ref, self._encoded = [], [], -1, None
        if self.input_shape is not None:
            builder = Builder([self.input_shape])
            self.output_ref = emit(builder, self, -1, "")
            self.input_shapes, self.nodes = builder.input_shapes, builder.nodes

    def _plan(self, builder: Builder, ref: int, label: str) -> Step:
        if self.input_shape is not None and tuple(self.input_shape) != builder.shape(ref):
            raise ValueError(
                f"layer {label} (Sequential): input_shape={tuple(self.input_shape)} does not match "
                f"the incoming shape {builder.shape(ref)}"
            )
        return (yield from chain(self.layers, ref, f"{label}." if label else ""))

    def _dict_steps(self) -> Step:
        out: Dict[str, Any] = {"type": "Sequential"}
        if self.name is not None:
            out["name"] = self.name
        if self.input_shape is not None:
            out["input_shape"] = list(self.input_shape)
        out["layers"] = yield from _chain_dict(None, self.layers)
        return out

    @classmethod
    def _from_dict_steps(cls, data: Dict[str, Any]) -> Step:
        expect_keys(data, "Sequential", {"type", "name", "input_shape", "layers"})
        layers = yield from _chain_from(data.get("layers", []), "Sequential.layers")
        return cls(layers, data.get("input_shape"), data.get("name"))

    def __repr__(self) -> str:
        return (
            f"Sequential(name={self.name!r}, input_shape={self.input_shape}, "
            f"layers={len(self.layers)}, nodes={len(self.nodes)})"
        )


class Residual(_FromDict, Block):
    """output = body(x) + shortcut(x); shortcut None is the identity (an Add node is counted)."""

    def __init__(self, body: Any, shortcut: Any = None, name: Optional[str] = None) -> None:
        self.body, self.shortcut, self.name = body, shortcut, name
        self._body = items_of(body, "Residual.body")
        self._shortcut = [] if shortcut is None else items_of(shortcut, "Residual.shortcut")

    def _plan(self, builder: Builder, ref: int, label: str) -> Step:
        body = yield from chain(self._body, ref, f"{label}.body.")
        short = yield from chain(self._shortcut, ref, f"{label}.shortcut.")
        return builder.add(_ADD, [body, short], f"{label}.add")

    def _dict_steps(self) -> Step:
        out: Dict[str, Any] = {"type": "Residual"}
        if self.name is not None:
            out["name"] = self.name
        out["body"] = yield from _chain_dict(self.body, self._body)
        if self.shortcut is not None:
            out["shortcut"] = yield from _chain_dict(self.shortcut, self._shortcut)
        return out

    @classmethod
    def _from_dict_steps(cls, data: Dict[str, Any]) -> Step:
        expect_keys(data, "Residual", {"type", "name", "body", "shortcut"})
        body = yield from _chain_from(data.get("body", []), "Residual.body")
        shortcut = data.get("shortcut")
        if shortcut is not None:
            shortcut = yield from _chain_from(shortcut, "Residual.shortcut")
        return cls(body, shortcut, data.get("name"))

    def __repr__(self) -> str:
        return f"Residual(body={len(self._body)} layers, shortcut={len(self._shortcut)} layers)"


def _branches(value: Any, what: str) -> List[List[Any]]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{what} must be a non-empty list, got {value!r}")
    return [items_of(b, f"{what}[{i}]") for i, b in enumerate(value)]


class ParallelResidual(_FromDict, Block):
    """output = shortcut(x) + sum of branch(x), as GPT-NeoX, GPT-J and Falcon compute attention and MLP.

    Each branch (and the shortcut, default the identity) is a list of layers or a
    Sequential reading the same input; the sum needs one ``Add`` per branch: the
    branches are added in order, then the shortcut (labels ``i.branchB.j``,
    ``i.shortcut.j``, ``i.add0``, ``i.add1``, ...).
    """

    def __init__(self, branches: Sequence[Any], shortcut: Any = None, name: Optional[str] = None) -> None:
        self._branches = _branches(branches, "ParallelResidual.branches")
        self.branches, self.shortcut, self.name = list(branches), shortcut, name
        self._shortcut = [] if shortcut is None else items_of(shortcut, "ParallelResidual.shortcut")

    def _plan(self, builder: Builder, ref: int, label: str) -> Step:
        outs = []
        for index, branch in enumerate(self._branches):
            outs.append((yield from chain(branch, ref, f"{label}.branch{index}.")))
        short = yield from chain(self._shortcut, ref, f"{label}.shortcut.")
        total = outs[0]
        for index, out in enumerate([*outs[1:], short]):
            total = builder.add(_ADD, [total, out], f"{label}.add{index}")
        return total

    def _dict_steps(self) -> Step:
        out: Dict[str, Any] = {"type": "ParallelResidual"}
        if self.name is not None:
            out["name"] = self.name
        branches = []
        for given, items in zip(self.branches, self._branches):
            branches.append((yield from _chain_dict(given, items)))
        out["branches"] = branches
        if self.shortcut is not None:
            out["shortcut"] = yield from _chain_dict(self.shortcut, self._shortcut)
        return out

    @classmethod
    def _from_dict_steps(cls, data: Dict[str, Any]) -> Step:
        expect_keys(data, "ParallelResidual", {"type", "name", "branches", "shortcut"})
        given = data.get("branches")
        if not isinstance(given, list) or not given:
            raise ValueError(f"ParallelResidual.branches must be a non-empty list, got {given!r}")
        branches = []
        for index, branch in enumerate(given):
            branches.append((yield from _chain_from(branch, f"ParallelResidual.branches[{index}]")))
        shortcut = data.get("shortcut")
        if shortcut is not None:
            shortcut = yield from _chain_from(shortcut, "ParallelResidual.shortcut")
        return cls(branches, shortcut, data.get("name"))

    def __repr__(self) -> str:
        return f"ParallelResidual(branches={len(self._branches)}, shortcut={len(self._shortcut)} layers)"


class Concat(_FromDict, Block):
    """Branches applied to the same input, concatenated along ``dim`` (of the unbatched shape)."""

    def __init__(self, branches: Sequence[Any], dim: int = 0, name: Optional[str] = None) -> None:
        self._branches = _branches(branches, "Concat.branches")
        self.branches, self.dim, self.name = list(branches), dim, name
        ConcatLayer(dim=dim)  # validates dim

    def _plan(self, builder: Builder, ref: int, label: str) -> Step:
        outs = []
        for index, branch in enumerate(self._branches):
            outs.append((yield from chain(branch, ref, f"{label}.branch{index}.")))
        return builder.add(ConcatLayer(dim=self.dim), outs, f"{label}.concat")

    def _dict_steps(self) -> Step:
        out: Dict[str, Any] = {"type": "Concat"}
        if self.name is not None:
            out["name"] = self.name
        branches = []
        for given, items in zip(self.branches, self._branches):
            branches.append((yield from _chain_dict(given, items)))
        out["branches"] = branches
        out["dim"] = self.dim
        return out

    @classmethod
    def _from_dict_steps(cls, data: Dict[str, Any]) -> Step:
        expect_keys(data, "Concat", {"type", "name", "branches", "dim"})
        given = data.get("branches", [])
        if not isinstance(given, list):
            raise ValueError(f"Concat.branches must be a non-empty list, got {given!r}")
        branches = []
        for index, branch in enumerate(given):
            branches.append((yield from _chain_from(branch, f"Concat.branches[{index}]")))
        return cls(branches, data.get("dim", 0), data.get("name"))

    def __repr__(self) -> str:
        return f"Concat(branches={len(self._branches)}, dim={self.dim})"


_BLOCKS: Dict[str, Type[_FromDict]] = {
    "Sequential": Sequential,
    "Residual": Residual,
    "ParallelResidual": ParallelResidual,
    "Concat": Concat,
}
