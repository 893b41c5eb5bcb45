"""Well-known networks as flops models: ``available()``, ``get(name, **kwargs)``, or call by name.

Vision models (``vision.py``) follow torchvision's layouts exactly; language
models (``language.py``) follow the Hugging Face / paper configurations. Model
files register themselves in ``_registry.py`` (``from ._registry import register``).
"""

from __future__ import annotations

from ._registry import _REGISTRY, available, get, register  # noqa: F401  (cli/flops.py reads _REGISTRY)
from .language import bert_base, bert_large, gpt2, gpt3, transformer_base, transformer_big
from .vision import alexnet, mobilenet_v2, resnet18, resnet50, vgg16

__all__ = [
    "alexnet",
    "available",
    "bert_base",
    "bert_large",
    "get",
    "gpt2",
    "gpt3",
    "mobilenet_v2",
    "register",
    "resnet18",
    "resnet50",
    "transformer_base",
    "transformer_big",
    "vgg16",
]
