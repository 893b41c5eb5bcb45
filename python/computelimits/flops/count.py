"""count() and training_flops(): forward/backward FLOPs of a model and of a training run.

Conventions (docs/flops.md): a multiply-accumulate (MAC) is 2 FLOP;
FLOP = 2 MAC + counted extras (bias, normalization, activation, softmax,
pooling, element-wise, each switchable in ``Convention``). Backward FLOPs are
input-gradient plus weight-gradient FLOPs (about 2x forward; a tensor gets a
gradient only when a layer upstream of it has parameters, so the first layer
computes none). A training run is per-example (forward + backward) FLOPs x
examples x epochs, or 6 N D for language models (Kaplan et al. 2020).
All totals are exact Python ints; every count is linear in the batch size, so
the backends count one example and the batch is multiplied in exactly.
``active_params`` are the parameters one forward pass reads: all of them, except
in a mixture of experts (router, top-k and shared experts only). Work a model could
not count (the ledger of ``from_torch``) is never a silent zero: it is carried into
every report as ``uncounted`` (and ``uncounted_params``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .._display import Display, ResultDisplay
from .._validation import check_backend, check_count, check_int
from . import _twin_base
from ._build import Model
from ._layer_base import KINDS
from ._ledger import UncountedOp, ledger_of
from ._twin import evaluate_model as _evaluate_twin
from .graph import Graph


@dataclass(frozen=True)
class Convention:
    """Which extra (non-MAC) FLOPs to count; ``macs`` never includes them.

    ``exploit_causal_mask`` counts only the query-key pairs a causal or
    sliding-window mask keeps (L(L+1)/2 for a causal L x L score matrix).
    """

    bias: bool = True
    normalization: bool = True
    activation: bool = True
    softmax: bool = True
    pooling: bool = True
    elementwise: bool = True
    exploit_causal_mask: bool = False

    def __post_init__(self) -> None:
        for key, value in asdict(self).items():
            if not isinstance(value, bool):
                raise TypeError(f"Convention.{key} must be True or False, got {value!r}")

    @classmethod
    def macs_only(cls) -> Convention:
        """No extras at all: FLOP = 2 x MAC (what most peer tools report)."""
        return cls(False, False, False, False, False, False)

    @property
    def flags(self) -> int:
        bits = (
            _twin_base.BIAS,
            _twin_base.NORMALIZATION,
            _twin_base.ACTIVATION,
            _twin_base.SOFTMAX,
            _twin_base.POOLING,
            _twin_base.ELEMENTWISE,
            _twin_base.EXPLOIT_CAUSAL,
        )
        return sum(bit for bit, on in zip(bits, asdict(self).values()) if on)


@dataclass(frozen=True)
class LayerRow:
    """One row of a FlopReport's per-layer table (counts for the whole batch)."""

    name: str
    type: str
    output_shape: Tuple[int, ...]
    macs: int
    extra_flops: int
    flops: int
    params: int
    active_params: int
    backward_input_flops: int
    backward_weight_flops: int
    activations: int


_TOTALS = (
    "macs",
    "flops",
    "extra_flops",
    "params",
    "active_params",
    "backward_flops",
    "backward_input_flops",
    "backward_weight_flops",
    "activations",
)


@dataclass(frozen=True, repr=False)
class FlopReport(ResultDisplay):
    """Forward and backward counts of a model at ``batch`` examples (exact ints).

    ``uncounted``: operators the model could not count (``from_torch``'s ledger; empty for models
    written with the catalogue), not included in any total; ``uncounted_params``: parameters only those
    operators read, not included in ``params``.
    """

    model: Optional[str]
    batch: int
    convention: Convention
    training: bool
    macs: int
    flops: int
    extra_flops: int
    params: int
    active_params: int
    backward_flops: int
    backward_input_flops: int
    backward_weight_flops: int
    activations: int
    layers: Tuple[LayerRow, ...] = field(default=())
    uncounted: Tuple[UncountedOp, ...] = field(default=())
    uncounted_params: int = 0

    @property
    def training_step_flops(self) -> int:
        """Forward + backward FLOPs of one step on this batch."""
        return self.flops + self.backward_flops

    def _display(self) -> Display:
        """The totals and the per-layer table, with a note listing what could not be counted."""
        display = super()._display()
        if not self.uncounted and not self.uncounted_params:
            return display
        note = "not counted (in no total): " + _uncounted_text(self.uncounted, self.uncounted_params)[2:]
        return display._replace(notes=(*display.notes, note))

    def __repr__(self) -> str:
        totals = ", ".join(f"{k}={getattr(self, k):_}" for k in _TOTALS)
        missing = _uncounted_text(self.uncounted, self.uncounted_params)
        return f"FlopReport(model={self.model!r}, batch={self.batch}, {totals}, layers={len(self.layers)}{missing})"

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "model": self.model,
            "batch": self.batch,
            "training": self.training,
            "convention": asdict(self.convention),
        }
        out.update({k: getattr(self, k) for k in _TOTALS})
        out["layers"] = [dict(asdict(row), output_shape=list(row.output_shape)) for row in self.layers]
        out["uncounted"] = [op.to_dict() for op in self.uncounted]
        out["uncounted_params"] = self.uncounted_params
        return out

    def to_frame(self):
        """Per-layer table as a pandas DataFrame (object dtype keeps exact ints). Each uncounted operator
        is a last row of type "uncounted" with its calls in place of the output shape and empty counts
        (None, never 0)."""
        import pandas as pd

        columns = list(LayerRow.__dataclass_fields__)
        rows = [[getattr(row, name) for name in columns] for row in self.layers]
        empty = [None] * (len(columns) - 3)
        rows += [[op.operator, "uncounted", f"{op.calls} calls", *empty] for op in self.uncounted]
        return pd.DataFrame(rows, columns=columns, dtype=object)


def _uncounted_text(ops: Tuple[UncountedOp, ...], params: int) -> str:
    """``, uncounted=[aten.erf x2, ...]`` (and the parameters only they read) for a repr; '' when none."""
    if not ops and not params:
        return ""
    text = f", uncounted=[{', '.join(str(op) for op in ops)}]"
    return text + (f", uncounted_params={params:_}" if params else "")


_CPP_KINDS: List[Any] = []


def _cpp_kinds() -> List[Any]:
    """The binding's Kind enum members, indexed by Python kind code (names must agree)."""
    if not _CPP_KINDS:
        from .. import _core

        _CPP_KINDS.extend(getattr(_core.flops.Kind, name) for name in KINDS)
    return _CPP_KINDS


def _evaluate(model: Any, flags: int, backend: str) -> List[Tuple[Any, ...]]:
    """Per node (shape, macs, extra, params, active_params, backward input, backward weight, activations)."""
    input_shapes, records = model.encode()
    if backend == "numpy":
        rows = []
        for node, backward in _evaluate_twin(input_shapes, records, 1, flags):
            rows.append(
                (
                    node.shape,
                    node.macs,
                    node.extra,
                    node.params,
                    node.active_params,
                    backward,
                    node.bwd_weight,
                    node.activations,
                )
            )
        return rows
    from .. import _core

    kinds = _cpp_kinds()
    return _core.flops.evaluate_model(
        [list(s) for s in input_shapes],
        [kinds[r[0]] for r in records],
        [r[1] for r in records],
        [r[2] for r in records],
        1,
        flags,
    )


def count(
    model: Any, batch: int = 1, convention: Optional[Convention] = None, training: bool = False, backend: str = "cpp"
) -> FlopReport:
    """Count MACs, FLOPs, params, backward FLOPs and activations of ``model`` at ``batch``.

    ``training=True`` selects train-mode normalization (batch statistics) and
    dropout masks. FLOP = 2 x MAC + extras counted under ``convention``
    (default: every extra counted). Formulas and their sources: docs/flops.md.

    Parameters
    ----------
    model : Sequential or Graph
        The model (built with the layer catalogue, a zoo builder or a front end).
    batch : int, default 1
        Examples per forward pass; every count is linear in it.
    convention : Convention, optional
        Which extras (biases, activations, softmax, pooling, element-wise) count as FLOPs.
    training : bool, default False
        Count train-mode normalization and dropout.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin (exactly equal counts).

    Returns
    -------
    FlopReport
        Exact int totals (``macs``, ``flops``, ``params``, ``backward_flops``, ...) and the
        per-layer rows (``to_frame()``).

    Examples
    --------
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> report = flops.count(mlp)
    >>> report.macs, report.flops, report.params  # 784*256 + 256*10 MACs; 2 MAC + biases + ReLU FLOPs
    (203264, 407050, 203530)
    >>> flops.count(mlp, batch=64).macs == 64 * report.macs
    True
    """
    if not isinstance(model, (Model, Graph)):
        raise TypeError(f"model must be a Sequential or Graph, got {type(model).__name__}")
    model._check_ready()
    batch = check_int("batch", batch, minimum=1)
    convention = Convention() if convention is None else convention
    if not isinstance(convention, Convention):
        raise TypeError(f"convention must be a flops.Convention, got {type(convention).__name__}")
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False, got {training!r}")
    check_backend(backend)
    flags = convention.flags | (_twin_base.TRAINING if training else 0)
    rows = []
    totals = [0] * 8  # macs, extra, params, active params, backward input, backward weight, activations, flops
    evaluated = _evaluate(model, flags, backend)
    for node, (shape, macs, extra, params, active, bwd_in, bwd_w, stored) in zip(model.nodes, evaluated):
        macs, extra, bwd_in, bwd_w, stored = macs * batch, extra * batch, bwd_in * batch, bwd_w * batch, stored * batch
        flop = 2 * macs + extra
        rows.append(
            LayerRow(
                node.label, node.layer.type, tuple(shape), macs, extra, flop, params, active, bwd_in, bwd_w, stored
            )
        )
        totals[0] += macs
        totals[1] += extra
        totals[2] += params
        totals[3] += active
        totals[4] += bwd_in
        totals[5] += bwd_w
        totals[6] += stored
        totals[7] += flop
    macs, extra, params, active, bwd_in, bwd_w, stored, flop = totals
    return FlopReport(
        model=model.name,
        batch=batch,
        convention=convention,
        training=training,
        macs=macs,
        flops=flop,
        extra_flops=extra,
        params=params,
        active_params=active,
        backward_flops=bwd_in + bwd_w,
        backward_input_flops=bwd_in,
        backward_weight_flops=bwd_w,
        activations=stored,
        layers=tuple(rows),
        uncounted=ledger_of(model),
        uncounted_params=int(getattr(model, "uncounted_params", 0)),
    )


@dataclass(frozen=True)
class TrainingFlops(ResultDisplay):
    """FLOPs of a training run (exact ints; ``total_flop`` = forward + backward).

    ``uncounted``: operators the model could not count, not in any total (as in ``FlopReport``).
    """

    method: str
    total_flop: int
    forward_flop: int
    backward_flop: int
    per_example_flop: Optional[int]
    params: int
    examples: Optional[int]
    epochs: int
    tokens: Optional[int]
    batch: int
    uncounted: Tuple[UncountedOp, ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        out = asdict(self)
        out["uncounted"] = [op.to_dict() for op in self.uncounted]
        return out

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([self.to_dict()]).astype(object)


def training_flops(
    model: Any,
    examples: Optional[int] = None,
    epochs: int = 1,
    tokens: Optional[int] = None,
    batch: int = 1,
    method: str = "auto",
    convention: Optional[Convention] = None,
    backend: str = "cpp",
) -> TrainingFlops:
    """Training compute of ``model``.

    method="layers": (forward + backward FLOPs per example, train-mode counts)
    x examples x epochs. method="6nd": 6 x params x tokens x epochs (forward
    2ND, backward 4ND; Kaplan et al. 2020). "auto" picks "6nd" when ``tokens``
    is given, else "layers".

    Parameters
    ----------
    model : Sequential or Graph
        The model.
    examples : int, optional
        Training examples per epoch (method "layers").
    epochs : int, default 1
        Passes over the data.
    tokens : int, optional
        Training tokens per epoch (method "6nd").
    batch : int, default 1
        Examples per step (train-mode statistics are per batch).
    method : {"auto", "layers", "6nd"}, default "auto"
        How the run is counted.
    convention : Convention, optional
        Which extras count as FLOPs.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    TrainingFlops
        ``total_flop`` = ``forward_flop`` + ``backward_flop`` (exact ints) and the inputs used.

    Examples
    --------
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> flops.training_flops(mlp, examples=60_000, epochs=10).total_flop
    491532000000
    >>> flops.training_flops(mlp, tokens=10**9).total_flop  # 6 x 203,530 params x 1e9 tokens
    1221180000000000
    """
    if method not in ("auto", "layers", "6nd"):
        raise ValueError(f"method must be 'auto', 'layers' or '6nd', got {method!r}")
    epochs = check_int("epochs", epochs, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    if method == "auto":
        method = "6nd" if tokens is not None else "layers"
    report = count(model, batch=batch, convention=convention, training=True, backend=backend)
    if method == "6nd":
        if tokens is None:
            raise ValueError("method='6nd' needs tokens (the number of training tokens D)")
        tokens = check_count("tokens", tokens, minimum=1)
        forward = 2 * report.params * tokens * epochs
        backward = 4 * report.params * tokens * epochs
        return TrainingFlops(
            "6nd",
            forward + backward,
            forward,
            backward,
            None,
            report.params,
            None if examples is None else check_count("examples", examples, minimum=1),
            epochs,
            tokens,
            batch,
            report.uncounted,
        )
    if examples is None:
        raise ValueError("method='layers' needs examples (training examples per epoch)")
    examples = check_count("examples", examples, minimum=1)
    forward_each, backward_each = report.flops // batch, report.backward_flops // batch
    forward, backward = forward_each * examples * epochs, backward_each * examples * epochs
    return TrainingFlops(
        "layers",
        forward + backward,
        forward,
        backward,
        forward_each + backward_each,
        report.params,
        examples,
        epochs,
        None if tokens is None else int(tokens),
        batch,
        report.uncounted,
    )
