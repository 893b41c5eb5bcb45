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
    """Rebuild a Sequential or Graph from its ``to_dict()`` form.

    Parameters
    ----------
    data : dict
        A JSON object with ``"type": "Sequential"`` or ``"Graph"``.

    Returns
    -------
    Sequential or Graph

    Examples
    --------
    >>> import json
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> flops.model_from_dict(json.loads(mlp.to_json()))
    Sequential(name=None, input_shape=(784,), layers=3, nodes=3)
    """
    if not isinstance(data, dict) or data.get("type") not in ("Sequential", "Graph"):
        kind = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ValueError(f"a model file must hold a JSON object with type 'Sequential' or 'Graph', got type {kind!r}")
    return Graph.from_dict(data) if data["type"] == "Graph" else Sequential.from_dict(data)


def load_model(source: Union[str, Path]) -> Union[Model, Graph]:
    """A model from a JSON file path or JSON text (the canonical form ``model.to_json()`` writes).

    Parameters
    ----------
    source : str or pathlib.Path
        A path, or the JSON text itself.

    Returns
    -------
    Sequential or Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> flops.count(flops.load_model(mlp.to_json())).macs
    203264
    """
    if not isinstance(source, (str, Path)):
        raise TypeError(f"source must be JSON text or a file path, got {type(source).__name__}")
    if isinstance(source, str) and not source.strip():
        raise ValueError("source must be JSON text or a file path, got an empty string")
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        text = source
    else:
        text = Path(source).read_text()
    return model_from_dict(parse(text))


def save_model(model: Union[Model, Graph], path: Union[str, Path]) -> None:
    """Write ``model.to_json()`` to ``path``; ``load_model(path)`` rebuilds the same model.

    Parameters
    ----------
    model : Sequential or Graph
        The model.
    path : str or pathlib.Path
        The file to write.

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "mlp.json")
    ...     flops.save_model(mlp, path)
    ...     flops.count(flops.load_model(path)).params
    203530
    """
    Path(path).write_text(model.to_json())
