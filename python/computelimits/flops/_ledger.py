"""The ledger of work a model could not count: one ``UncountedOp`` per operator kind.

Front ends that record a model (``from_torch``) keep what no catalogue layer holds on the model
(``model.uncounted``); ``count`` copies it into every ``FlopReport`` and ``training_flops`` into every
``TrainingFlops``, so no caller sees such work silently counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Tuple


@dataclass(frozen=True)
class UncountedOp:
    """One operator the catalogue cannot count: how often it ran, on which shapes, in which modules, and why."""

    operator: str
    calls: int
    shapes: Tuple[Tuple[Tuple[int, ...], ...], ...] = ()  # the input shapes of up to 8 distinct calls
    modules: Tuple[str, ...] = ()  # up to 8 modules it ran in
    reason: str = "no catalogue layer"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "operator": self.operator,
            "calls": self.calls,
            "shapes": [[list(s) for s in shapes] for shapes in self.shapes],
            "modules": list(self.modules),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: Any) -> UncountedOp:
        """Rebuild an entry from its ``to_dict()`` form (a model file's ``uncounted`` list); ValueError naming
        the field otherwise."""
        if not isinstance(data, dict) or set(data) - {"operator", "calls", "shapes", "modules", "reason"}:
            raise ValueError(
                f"an uncounted entry must be an object with operator, calls, shapes, modules, reason; got {data!r}"
            )
        operator, calls = data.get("operator"), data.get("calls")
        if not isinstance(operator, str) or not operator:
            raise ValueError(f"uncounted.operator must be a non-empty string, got {operator!r}")
        if isinstance(calls, bool) or not isinstance(calls, int) or calls < 1:
            raise ValueError(f"uncounted.calls of {operator} must be an integer >= 1, got {calls!r}")
        try:
            shapes = tuple(tuple(tuple(int(v) for v in shape) for shape in call) for call in data.get("shapes", []))
        except (TypeError, ValueError):
            raise ValueError(
                f"uncounted.shapes of {operator} must be lists of shapes, got {data['shapes']!r}"
            ) from None
        modules, reason = data.get("modules", []), data.get("reason", "no catalogue layer")
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules) or not isinstance(reason, str):
            raise ValueError(f"uncounted.modules of {operator} must be a list of strings and reason a string")
        return cls(operator, calls, shapes, tuple(modules), reason)

    def __str__(self) -> str:
        return f"{self.operator} x{self.calls}"


def ledger_of(model: Any) -> Tuple[UncountedOp, ...]:
    """The uncounted operators a model carries (``model.uncounted``), or () for a model without a ledger."""
    return tuple(getattr(model, "uncounted", ()) or ())
