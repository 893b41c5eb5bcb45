"""What ``count`` and ``training_flops`` take and return: the counting ``Convention``, the per-layer
``LayerRow``, the model's ``FlopReport`` and a run's ``TrainingFlops`` (exact ints; docs/flops.md).

Operators a model could not count are carried as ``uncounted`` in every report, never as zero.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Tuple

from .._display import Display, ResultDisplay
from . import _twin_base
from ._ledger import UncountedOp


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
