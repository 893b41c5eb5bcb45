"""Front ends: flops models built from the models users already have.

* ``from_torch(module, example_inputs)``: a torch module's operator graph (torch imported only there);
* ``from_hf_config(config, seq_len=...)``: a Hugging Face ``config.json``, without torch or transformers.

Guide and tables: docs/frontends.md.
"""

from __future__ import annotations

from .hf_config import HFSource, architectures, from_hf_config, load_hf_config
from .hf_defaults import FAMILIES, supported_families
from .torch_export import TorchGraph, from_torch

__all__ = [
    "FAMILIES",
    "HFSource",
    "TorchGraph",
    "architectures",
    "from_hf_config",
    "from_torch",
    "load_hf_config",
    "supported_families",
]
