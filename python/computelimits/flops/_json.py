"""Model JSON helpers: canonical text, depth-checked parsing, and field checks.

``dump`` writes the canonical text (objects one key per line, a layer and scalar
lists inline) iteratively; ``parse`` refuses texts nested deeper than a model may
be before handing them to ``json.loads``, whose decoder recurses.
"""

from __future__ import annotations

import json
import numbers
import re
from types import GeneratorType
from typing import Any, Tuple

from ._layer_base import MAX_SIZE
from ._nesting import MAX_NESTING, nested

#: Each level of blocks adds at most 3 JSON levels (an object, its branch list, a branch),
#: plus a few for the model and a layer's lists.
JSON_MAX_DEPTH = 3 * MAX_NESTING + 10
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def check_shape(field: str, shape: Any) -> Tuple[int, ...]:
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (list, tuple)):
        raise TypeError(f"{field} must be a list of positive integers, got {shape!r}")
    out = []
    for value in shape:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not 1 <= int(value) < MAX_SIZE:
            raise ValueError(f"{field} must hold integers in [1, 2^62), got {list(shape)!r}")
        out.append(int(value))
    return tuple(out)


def expect_keys(data: Any, what: str, allowed: set) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{what} must be a JSON object, got {data!r}")
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{what} has unknown fields {sorted(unknown, key=str)}; allowed: {sorted(allowed)}")


def json_depth(text: str) -> int:
    """Deepest nesting of objects and arrays in a JSON text (strings skipped)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(text: str) -> Any:
    """``json.loads`` of a model text, refusing nesting beyond JSON_MAX_DEPTH with a ValueError."""
    depth = json_depth(text)
    if depth > JSON_MAX_DEPTH:
        raise ValueError(
            f"model JSON nests {depth} levels deep; the limit is {JSON_MAX_DEPTH} "
            f"(blocks may nest {MAX_NESTING} levels)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"model JSON is not valid: {error}") from None
    except RecursionError:
        raise ValueError(
            f"model JSON nests {depth} levels, more than the Python stack left at this call allows"
        ) from None


def _flat(value: Any) -> bool:
    return not isinstance(value, (dict, list, tuple)) or (
        isinstance(value, (list, tuple)) and all(not isinstance(w, (dict, list, tuple)) for w in value)
    )


def _inline(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json.dumps(v) for v in value) + "]"
    return json.dumps(value)


def _dump_steps(value: Any, level: int):
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        if "type" in value and all(_flat(v) for v in value.values()):
            return "{" + ", ".join(f"{json.dumps(str(k))}: {_inline(v)}" for k, v in value.items()) + "}"
        items = []
        for key, item in value.items():
            text = yield (item, level + 1)
            items.append(f"{inner}{json.dumps(str(key))}: {text}")
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    parts = []
    for item in value:
        text = yield (item, level + 1)
        parts.append(inner + text)
    return "[\n" + ",\n".join(parts) + "\n" + pad + "]"


def _dump_step(request: Tuple[Any, int]) -> Any:
    value, level = request
    if _flat(value):
        return _inline(value)
    return _dump_steps(value, level)


def dump(value: Any) -> str:
    """Deterministic JSON: objects and lists of objects one item per line, scalar lists inline."""
    result = _dump_step((value, 0))
    if isinstance(result, GeneratorType):
        result = nested(_dump_step, (value, 0), JSON_MAX_DEPTH, "JSON objects and arrays")
    return result
