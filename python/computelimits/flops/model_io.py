"""Reading and writing model files: ``model_from_dict``, ``load_model``, ``save_model``.

A model file holds the canonical JSON of a ``Sequential`` or a ``Graph``
(``model.to_json()``); ``save_model(load_model(f))`` reproduces ``f`` byte for
byte. Texts nested deeper than models may nest are refused with a ValueError
before parsing (``_json.parse``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Union

from ._build import Model
from ._json import parse
from .graph import Graph
from .models import Sequential


def model_from_dict(data: Dict[str, Any]) -> Union[Model, Graph]:
    """Rebuild a Sequential or Graph from its ``to_dict()`` form."""
    if not isinstance(data, dict) or data.get("type") not in ("Sequential", "Graph"):
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"a model file must hold a JSON object with type 'Sequential' or 'Graph', got type {kind!r}")
    return Graph.from_dict(data) if data["type"] == "Graph" else Sequential.from_dict(data)


def load_model(source: Union[str, Path]) -> Union[Model, Graph]:
    """A model from a JSON file path or JSON text."""
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    else:
        text = Path(source).read_text()
    return model_from_dict(parse(text))


def save_model(model: Union[Model, Graph], path: Union[str, Path]) -> None:
    """Write ``model.to_json()`` to ``path``."""
    Path(path).write_text(model.to_json())
