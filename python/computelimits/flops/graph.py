"""The general Graph model: named inputs, nodes reading named tensors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ._build import Block, Builder, emit, encode_nodes
from ._json import check_shape, dump, expect_keys
from ._layer_base import Layer
from ._ledger import UncountedOp
from .models import item_from_dict


class Graph:
    """A model over named inputs: ``g = Graph({"src": (L, E)}); g.add(layer, ["src"], name="enc")``.

    ``add`` returns the node's name; a block (Sequential/Residual/Concat) takes one
    input. ``output`` is the last node added unless ``set_output(name)`` says otherwise.
    ``uncounted`` / ``uncounted_params``: the ledger of work a recorded model could not count
    (``from_torch``); empty for graphs written by hand. ``count`` reports it, the JSON keeps it.
    """

    uncounted: Tuple[UncountedOp, ...] = ()
    uncounted_params: int = 0
    hf_source: Any  # set by from_hf_config only: the family, architecture and resolved config keys

    def __init__(self, inputs: Mapping[str, Sequence[int]], name: Optional[str] = None) -> None:
        if not isinstance(inputs, dict) or not inputs:
            raise ValueError(f"Graph.inputs must be a non-empty dict of name -> shape, got {inputs!r}")
        self.name = name
        self.inputs = {str(k): check_shape(f"Graph.inputs[{k!r}]", v) for k, v in inputs.items()}
        self._builder = Builder(list(self.inputs.values()))
        self.input_shapes = self._builder.input_shapes
        self.nodes = self._builder.nodes
        self._refs: Dict[str, int] = {k: -1 - i for i, k in enumerate(self.inputs)}
        self._entries: List[Dict[str, Any]] = []
        self._output: Optional[str] = None
        self._encoded = None

    def add(self, layer: Any, inputs: Sequence[str], name: Optional[str] = None) -> str:
        """Add ``layer`` reading the named tensors ``inputs``; returns the new node's name."""
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, (list, tuple)) or not all(isinstance(s, str) for s in inputs):
            raise TypeError(f"Graph.add inputs must be a list of tensor names, got {inputs!r}")
        name = f"node{len(self._entries)}" if name is None else str(name)
        if name in self._refs:
            raise ValueError(f"Graph node name {name!r} is already used")
        for source in inputs:
            if source not in self._refs:
                raise ValueError(
                    f"Graph node {name!r} reads {source!r}, which is neither an input nor an "
                    f"earlier node; known: {sorted(self._refs)}"
                )
        refs = [self._refs[s] for s in inputs]
        if isinstance(layer, Block):
            if len(refs) != 1:
                raise ValueError(f"Graph node {name!r}: a {type(layer).__name__} block takes one input")
            ref = emit(self._builder, layer, refs[0], name)
        elif isinstance(layer, Layer):
            ref = self._builder.add(layer, refs, name)
        else:
            raise TypeError(f"Graph node {name!r} must be a Layer or a block, got {type(layer).__name__}")
        self._refs[name] = ref
        self._entries.append({"name": name, "layer": layer, "inputs": list(inputs)})
        self._encoded = None
        return name

    def set_output(self, name: str) -> None:
        """Make the tensor ``name`` (a node or an input) the graph's output (default: the last node)."""
        if name not in self._refs:
            raise ValueError(f"Graph output {name!r} is not a node or input; known: {sorted(self._refs)}")
        self._output = name

    @property
    def output(self) -> str:
        """Name of the output tensor."""
        if self._output is not None:
            return self._output
        if not self._entries:
            raise ValueError("Graph has no nodes")
        return self._entries[-1]["name"]

    @property
    def output_ref(self) -> int:
        return self._refs[self.output]

    @property
    def output_shape(self) -> Tuple[int, ...]:
        ref = self.output_ref
        return self.nodes[ref].shape if ref >= 0 else self.input_shapes[-1 - ref]

    def encode(self):
        """(input shapes, node records (kind, args, inputs)) as both backends read them."""
        if self._encoded is None:
            self._encoded = encode_nodes(self.input_shapes, self.nodes)
        return self._encoded

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"type": "Graph"}
        if self.name is not None:
            out["name"] = self.name
        out["inputs"] = {k: list(v) for k, v in self.inputs.items()}
        out["nodes"] = [
            {"name": e["name"], "layer": e["layer"].to_dict(), "inputs": e["inputs"]} for e in self._entries
        ]
        if self._output is not None:
            out["output"] = self._output
        if self.uncounted:  # a recorded model's ledger travels with it: never a silent zero after a reload
            out["uncounted"] = [op.to_dict() for op in self.uncounted]
        if self.uncounted_params:
            out["uncounted_params"] = self.uncounted_params
        return out

    def to_json(self) -> str:
        """Canonical JSON text (objects one key per line, scalar lists inline)."""
        return dump(self.to_dict()) + "\n"

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> Graph:
        expect_keys(data, "Graph", {"type", "name", "inputs", "nodes", "output", "uncounted", "uncounted_params"})
        graph = cls(data.get("inputs", {}), data.get("name"))
        nodes = data.get("nodes", [])
        if not isinstance(nodes, list):
            raise ValueError(f"Graph.nodes must be a list of node objects, got {nodes!r}")
        for entry in nodes:
            expect_keys(entry, "Graph node", {"name", "layer", "inputs"})
            graph.add(item_from_dict(entry.get("layer")), entry.get("inputs", []), entry.get("name"))
        if "output" in data:
            graph.set_output(data["output"])
        ledger = data.get("uncounted", [])
        if not isinstance(ledger, list):
            raise ValueError(f"Graph.uncounted must be a list of uncounted operators, got {ledger!r}")
        graph.uncounted = tuple(UncountedOp.from_dict(entry) for entry in ledger)
        params = data.get("uncounted_params", 0)
        if isinstance(params, bool) or not isinstance(params, int) or params < 0:
            raise ValueError(f"Graph.uncounted_params must be an integer >= 0, got {params!r}")
        graph.uncounted_params = params
        return graph

    def _check_ready(self) -> None:
        if not self._entries:
            raise ValueError(f"Graph {self.name!r} has no nodes")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Graph) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Graph(name={self.name!r}, inputs={self.inputs}, nodes={len(self.nodes)}, output={self.output!r})"
