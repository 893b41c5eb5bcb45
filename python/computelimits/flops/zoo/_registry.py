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
    """Decorator: add a model builder to the zoo under its function name.

    Names are unique regardless of case.

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
    if function.__name__.lower() in (name.lower() for name in _REGISTRY):
        raise ValueError(f"zoo model {function.__name__!r} is already registered")
    _REGISTRY[function.__name__] = function
    return function


def names() -> List[str]:
    """Names of every zoo model, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.zoo.names()[:3]
    ['alexnet', 'bert_base', 'bert_large']
    """
    return sorted(_REGISTRY)


def available() -> List[str]:
    """Names of every zoo model (the same list as ``names()``).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.zoo.available() == flops.zoo.names()
    True
    """
    return names()


def canonical_name(name: str) -> str:
    """The registered spelling of zoo model ``name`` (case-insensitive); ValueError with close matches.

    Case is ignored and hyphens read as underscores; an unknown name raises ValueError with
    ``difflib`` close matches (ratio >= 0.6).

    Parameters
    ----------
    name : str
        A model name as a user may write it.

    Returns
    -------
    str

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.zoo.canonical_name("ResNet50"), flops.zoo.canonical_name("mobilenet-v2")
    ('resnet50', 'mobilenet_v2')
    >>> flops.zoo.canonical_name("resnet5O")
    Traceback (most recent call last):
    ...
    ValueError: unknown zoo model 'resnet5O'; did you mean 'resnet50', ...
    """
    if not isinstance(name, str):
        raise TypeError(f"zoo model name must be a string, got {type(name).__name__}")
    by_key = {name_key(key): key for key in _REGISTRY}
    if name_key(name) in by_key:
        return by_key[name_key(name)]
    close = close_matches(name, names())
    hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
    raise ValueError(f"unknown zoo model {name!r}; {hint}available: {names()}")


def builder(name: str) -> Callable:
    """The builder function of zoo model ``name`` (its signature lists the options it takes).

    Parameters
    ----------
    name : str
        A model name (case-insensitive, see ``canonical_name``).

    Returns
    -------
    callable

    Examples
    --------
    >>> import inspect
    >>> from computelimits import flops
    >>> str(inspect.signature(flops.zoo.builder("ResNet50")))
    "(image_size: 'int' = 224, num_classes: 'int' = 1000) -> 'Sequential'"
    """
    return _REGISTRY[canonical_name(name)]


def get(name: str, **kwargs):
    """Build zoo model ``name`` with keyword arguments, e.g. ``get("resnet50", image_size=299)``.

    Parameters
    ----------
    name : str
        A model name (case-insensitive, see ``canonical_name``).
    **kwargs
        The builder's options.

    Returns
    -------
    Sequential or Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.count(flops.zoo.get("ResNet50")).macs
    4089184256
    """
    return builder(name)(**kwargs)
