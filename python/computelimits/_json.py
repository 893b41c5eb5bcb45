"""JSON that is valid everywhere: no NaN or Infinity tokens (which ``json.dumps`` writes by default).

``json_safe`` turns a NaN or infinite float into ``null`` (results always say why beside it, in a
``status``), numpy scalars and arrays into Python numbers and lists, enums into their values,
paths into strings and tuples into lists. ``dumps`` then refuses anything left non-finite.
"""

from __future__ import annotations

import enum
import json
import math
from pathlib import PurePath
from typing import Any


def json_safe(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None and numpy/enum/path values made plain."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k.value if isinstance(k, enum.Enum) else k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, PurePath):
        return str(value)
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps(json_safe(value))`` with ``allow_nan=False`` (a leftover NaN is an error, not a token)."""
    return json.dumps(json_safe(value), allow_nan=False, **kwargs)
