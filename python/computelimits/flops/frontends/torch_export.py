"""``from_torch(module, example_inputs)``: a flops model built from a torch module's operator graph.

torch stays optional (``pip install computelimits[torch]``): it is imported inside ``from_torch`` only.
The call is recorded with ``torch.export`` (non-strict) or, when export fails, from one dispatched run on
fake tensors (``torch_capture.py``); the operators become catalogue layers (``torch_ops.py``,
``torch_translate.py``). Nothing is counted silently as zero: operators without a catalogue layer are
listed in ``model.uncounted`` (operator, calls, shapes, modules) and named by an
``UncountedOperatorWarning``; parameters only such operators read are listed in
``model.unattributed_params``.

MACs and parameters equal ``torch.utils.flop_counter.FlopCounterMode`` exactly on torchvision's
classification models and on Hugging Face models built from configs (tests/flops/frontends); the
remaining disagreements (CPU scaled-dot-product attention, ``dot``/``mv``) are listed in docs/frontends.md.
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, Optional, Sequence, Tuple

from ...exceptions import TorchExportFallbackWarning, UncountedOperatorWarning, UncountedParameterWarning
from .._ledger import UncountedOp
from ..graph import Graph
from ..layers import Identity


class TorchGraph(Graph):
    """A ``Graph`` recorded from a torch module, with the ledger of what it could not count.

    ``uncounted``: operators without a catalogue layer (``UncountedOp`` each); ``unattributed_params``:
    {parameter: (numel, operators reading it)} for parameters no counted layer holds; ``uncounted_params``: their
    total numel, the parameters not in ``count(model).params``; ``unused_params``: parameters
    the recorded call never read; ``capture``: "export" or "dispatch"; ``capture_note``: how it was
    recorded; ``example_batch``: the batch of the example inputs (counts are per example, like every
    flops model: ``count(model, batch=model.example_batch)`` counts the example call).
    """

    def __init__(self, inputs: Dict[str, Sequence[int]], name: Optional[str] = None) -> None:
        super().__init__(inputs, name)
        self.uncounted: Tuple[UncountedOp, ...] = ()
        self.unattributed_params: Dict[str, Tuple[int, Tuple[str, ...]]] = {}
        self.unused_params: Dict[str, int] = {}
        self.capture, self.capture_note, self.example_batch = "", "", 1

    def ledger_frame(self):
        """The uncounted operators as a pandas DataFrame (operator, calls, shapes, modules, reason)."""
        import pandas as pd

        return pd.DataFrame([op.to_dict() for op in self.uncounted], columns=list(UncountedOp.__dataclass_fields__))

    def layer_frame(self, report: Any):
        """The per-layer table of ``report`` (a count of this model): ``report.to_frame()``, whose last rows
        are the uncounted operators (type "uncounted", counts left empty, never 0)."""
        return report.to_frame()

    def __repr__(self) -> str:
        return (
            f"TorchGraph(name={self.name!r}, nodes={len(self.nodes)}, capture={self.capture!r}, "
            f"uncounted={[op.operator for op in self.uncounted]}, unattributed_params={len(self.unattributed_params)})"
        )


def _check_inputs(example_inputs: Any, example_kwargs: Any) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    import torch

    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    if not isinstance(example_inputs, (tuple, list)):
        raise TypeError(f"example_inputs must be a tensor or a tuple of inputs, got {type(example_inputs).__name__}")
    if example_kwargs is None:
        example_kwargs = {}
    if not isinstance(example_kwargs, dict):
        raise TypeError(f"example_kwargs must be a dict, got {type(example_kwargs).__name__}")
    return tuple(example_inputs), dict(example_kwargs)


def from_torch(
    module: Any, example_inputs: Any, example_kwargs: Optional[Dict[str, Any]] = None, name: Optional[str] = None
) -> TorchGraph:
    """Build a flops model from ``module(*example_inputs, **example_kwargs)``.

    The leading dim of the first input is the batch: shapes are per example and
    ``count(model, batch=model.example_batch)`` counts the example call. MACs follow the catalogue
    (Linear T I O, Matmul batch m k n, Conv C_o C_i/g K S_o: docs/flops.md), which is what
    ``torch.utils.flop_counter.FlopCounterMode`` counts for mm/addmm/bmm/convolution, so the two agree
    exactly; the remaining differences are in docs/frontends.md. Use meta tensors (``torch.device("meta")``)
    for the module and the inputs to count models of any size without memory. Needs torch
    (``pip install 'computelimits[torch]'``).

    Parameters
    ----------
    module : torch.nn.Module
        The model.
    example_inputs : tuple of torch.Tensor
        Positional inputs of one call (batch first).
    example_kwargs : dict, optional
        Keyword inputs of that call.
    name : str, optional
        The model's name (default the module's class name).

    Returns
    -------
    TorchGraph
        A ``Graph`` with ``example_batch`` and the ledger of operators it could not count.

    Examples
    --------
    >>> import torch  # doctest: +SKIP
    >>> from computelimits import flops
    >>> with torch.device("meta"):  # doctest: +SKIP
    ...     module = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    ...     model = flops.from_torch(module, (torch.empty(32, 784),))
    >>> flops.count(model, batch=model.example_batch).macs  # doctest: +SKIP
    6504448
    """
    try:
        import torch
    except ImportError:  # pragma: no cover - exercised only without torch
        raise ImportError("flops.from_torch needs torch: pip install 'computelimits[torch]'") from None
    from .torch_capture import capture
    from .torch_ops import collapse_rms_norm, rms_norm_groups, translate_call
    from .torch_translate import Translator

    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    args, kwargs = _check_inputs(example_inputs, example_kwargs)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be a string, got {name!r}")
    recorded = capture(module, args, kwargs)
    if recorded.method == "dispatch":
        warnings.warn(f"from_torch: {recorded.note}", TorchExportFallbackWarning, stacklevel=2)
    translator = Translator(recorded)
    groups = rms_norm_groups(recorded.calls)
    index = 0
    while index < len(recorded.calls):
        last = groups.get(index)
        if last is not None and collapse_rms_norm(translator, recorded.calls[index : last + 1]):
            index = last + 1
            continue
        translate_call(translator, recorded.calls[index])
        index += 1
    return _finish(translator, recorded, name or type(module).__name__)


def _finish(translator: Any, recorded: Any, name: str) -> TorchGraph:
    graph = TorchGraph(translator.inputs or {"input": (1,)}, name=name)
    for node, layer, inputs in translator.nodes:
        graph.add(layer, inputs, name=node)
    if not translator.nodes:  # nothing countable: keep the model countable (0) while the ledger says why
        graph.add(Identity(), [next(iter(graph.inputs))], name="nothing_counted")
    params = recorded.params
    graph.uncounted = tuple(entry.frozen() for entry in translator.ledger.values())
    graph.unattributed_params = {
        p: (_numel(params.get(p, ())), tuple(dict.fromkeys(ops)))
        for p, ops in translator.unattributed.items()
        if p not in translator.used_params
    }
    graph.uncounted_params = sum(numel for numel, _ in graph.unattributed_params.values())
    graph.unused_params = {
        p: _numel(shape)
        for p, shape in params.items()
        if p not in translator.used_params and p not in translator.unattributed
    }
    graph.capture, graph.capture_note, graph.example_batch = recorded.method, recorded.note, translator.batch
    _warn(graph)
    return graph


def _numel(shape: Sequence[int]) -> int:
    out = 1
    for size in shape:
        out *= size
    return out


def _warn(graph: TorchGraph) -> None:
    if graph.uncounted:
        listed = ", ".join(f"{op.operator} x{op.calls}" for op in graph.uncounted)
        warnings.warn(
            f"from_torch({graph.name}): {len(graph.uncounted)} operator kinds have no catalogue layer and are not "
            f"counted: {listed} (see model.uncounted)",
            UncountedOperatorWarning,
            stacklevel=3,
        )
    if graph.unattributed_params:
        listed = ", ".join(f"{p} ({n})" for p, (n, _) in list(graph.unattributed_params.items())[:8])
        warnings.warn(
            f"from_torch({graph.name}): {graph.uncounted_params} parameters are read only by operators without a "
            f"parameter-holding catalogue layer and are not in params: {listed} (see model.unattributed_params)",
            UncountedParameterWarning,
            stacklevel=3,
        )
