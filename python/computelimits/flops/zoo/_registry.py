"""The zoo's one registry: model builders by name.

Model files register their builders with ``@register`` (``from ._registry import
register``); ``zoo/__init__.py`` imports the model files and re-exports the public
accessors ``names``, ``builder`` and ``get``. Keeping the registry here, not in
``__init__``, is what keeps the model files free of an import circle with the package.
Names are looked up case-insensitively ("ResNet50" is ``resnet50``, "bert-base" is ``bert_base``); an
unknown name raises ValueError listing the close matches (``computelimits._names``, the package's one
rule for names).
"""

from __future__ import annotations

from typing import Callable, Dict, List

from ..._names import close_matches, name_key

_REGISTRY: Dict[str, Callable] = {}


def register(function: Callable) -> Callable:
    """Decorator: add a model builder to the zoo under its function name."""
    if function.__name__.lower() in (name.lower() for name in _REGISTRY):
        raise ValueError(f"zoo model {function.__name__!r} is already registered")
    _REGISTRY[function.__name__] = function
    return function


def names() -> List[str]:
    """Names of every zoo model, sorted."""
    return sorted(_REGISTRY)


def available() -> List[str]:
    """Names of every zoo model (the same list as ``names()``)."""
    return names()


def canonical_name(name: str) -> str:
    """The registered spelling of zoo model ``name`` (case-insensitive); ValueError with close matches."""
    if not isinstance(name, str):
        raise TypeError(f"zoo model name must be a string, got {type(name).__name__}")
    by_key = {name_key(key): key for key in _REGISTRY}
    if name_key(name) in by_key:
        return by_key[name_key(name)]
    close = close_matches(name, names())
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    raise ValueError(f"unknown zoo model {name!r}; {hint}available: {names()}")


def builder(name: str) -> Callable:
    """The builder function of zoo model ``name`` (its signature lists the options it takes)."""
    return _REGISTRY[canonical_name(name)]


def get(name: str, **kwargs):
    """Build zoo model ``name`` with keyword arguments, e.g. ``get("resnet50", image_size=299)``."""
    return builder(name)(**kwargs)
