"""Front ends: flops models built from the models users already have.

* ``from_torch(module, example_inputs)``: a torch module's operator graph (torch imported only there);
* ``from_hf_config(config, seq_len=...)``: a Hugging Face ``config.json``, without torch or transformers.

Guide and tables: docs/frontends.md.
"""

from __future__ import annotations

from .torch_export import TorchGraph, from_torch

__all__ = ["TorchGraph", "from_torch"]
