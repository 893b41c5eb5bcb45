"""The zoo's one registry: model builders by name.

Model files register their builders with ``@register`` (``from ._registry import
register``); ``zoo/__init__.py`` imports the model files and re-exports
``available`` and ``get``. Keeping the registry here, not in ``__init__``, is
what keeps the model files free of an import circle with the package.
"""

from __future__ import annotations

from typing import Callable, Dict, List

_REGISTRY: Dict[str, Callable] = {}


def register(function: Callable) -> Callable:
    """Decorator: add a model builder to the zoo under its function name.

    Parameters
    ----------
    function : callable
        A builder returning a ``Sequential`` or ``Graph``; its keyword arguments are the model's options.

    Returns
    -------
    callable
        ``function`` itself.

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.zoo.register(flops.zoo.resnet18)
    Traceback (most recent call last):
    ...
    ValueError: zoo model 'resnet18' is already registered
    """
    if function.__name__ in _REGISTRY:
        raise ValueError(f"zoo model {function.__name__!r} is already registered")
    _REGISTRY[function.__name__] = function
    return function


def available() -> List[str]:
    """Names of every zoo model, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.zoo.available()[:3]
    ['alexnet', 'bert_base', 'bert_large']
    """
    return sorted(_REGISTRY)


def get(name: str, **kwargs):
    """Build zoo model ``name`` with keyword arguments, e.g. ``get("resnet50", image_size=299)``.

    Parameters
    ----------
    name : str
        A name from ``available()``.
    **kwargs
        The builder's options.

    Returns
    -------
    Sequential or Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.count(flops.zoo.get("resnet50")).macs
    4089184256
    """
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"unknown zoo model {name!r}; available: {available()}")
    return _REGISTRY[name](**kwargs)
