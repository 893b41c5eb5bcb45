"""Well-known networks as flops models: ``names()``, ``get(name, **kwargs)``, ``builder(name)``, or call by name.

Vision models (``vision.py``) follow torchvision's layouts exactly; language
models (``language.py``) follow the Hugging Face / paper configurations, and the
modern LLMs (``llm.py``) are built from their published Hugging Face configs. Model
files register themselves in ``_registry.py`` (``from ._registry import register``).
"""

from __future__ import annotations

from ._registry import available, builder, canonical_name, get, names, register
from .language import bert_base, bert_large, gpt2, gpt3, transformer_base, transformer_big
from .llm import gemma_7b, llama2_7b, llama3_8b, llama3_70b, mistral_7b, mixtral_8x7b, phi3_mini, qwen2_7b, vit_b16
from .vision import alexnet, mobilenet_v2, resnet18, resnet50, vgg16

__all__ = [
    "alexnet",
    "available",
    "bert_base",
    "bert_large",
    "builder",
    "canonical_name",
    "gemma_7b",
    "get",
    "gpt2",
    "gpt3",
    "llama2_7b",
    "llama3_8b",
    "llama3_70b",
    "mistral_7b",
    "mixtral_8x7b",
    "mobilenet_v2",
    "names",
    "phi3_mini",
    "qwen2_7b",
    "register",
    "resnet18",
    "resnet50",
    "transformer_base",
    "transformer_big",
    "vgg16",
    "vit_b16",
]
