"""Well-known networks as flops models: ``available()``, ``get(name, **kwargs)``, or call by name.

Vision models (``vision.py``) follow torchvision's layouts exactly; language
models (``language.py``) follow the Hugging Face / paper configurations.
"""

from __future__ import annotations

from typing import Callable, Dict, List

_REGISTRY: Dict[str, Callable] = {}


def register(function: Callable) -> Callable:
    """Decorator: add a model builder to the zoo under its function name."""
    _REGISTRY[function.__name__] = function
    return function


def available() -> List[str]:
    """Names of every zoo model."""
    return sorted(_REGISTRY)


def get(name: str, **kwargs):
    """Build zoo model ``name`` with keyword arguments, e.g. ``get("resnet50", image_size=299)``."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown zoo model {name!r}; available: {available()}")
    return _REGISTRY[name](**kwargs)


from .language import bert_base, bert_large, gpt2, gpt3, transformer_base, transformer_big  # noqa: E402,F401
from .vision import alexnet, mobilenet_v2, resnet18, resnet50, vgg16  # noqa: E402,F401
