"""Modern LLMs and ViT-B/16, built from their published Hugging Face configs with ``from_hf_config``.

Every entry below is the architecture part of the model's ``config.json`` on the Hugging Face Hub (keys
equal to the family default are kept where the file has them); the source line names the file and the
paper. Parameter counts equal the published totals (Mixtral-8x7B: 46,702,792,704 total, 12,879,925,248
active per token) and the transformers models built from the same configs (tests/flops/test_zoo_llm.py).
Builders take ``seq_len`` (default: the config's ``max_position_embeddings``) and ``kv_cache`` (a decode
step with that many cached tokens, ``seq_len`` 1); ``flops.inference_flops("llama3_8b", ...)`` counts a
whole generation.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from ..frontends.hf_config import from_hf_config
from ._registry import register

#: name -> (config.json architecture keys, source)
CONFIGS: Dict[str, Tuple[Dict[str, Any], str]] = {
    "llama2_7b": (
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
         "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "vocab_size": 32000, "max_position_embeddings": 4096, "hidden_act": "silu", "tie_word_embeddings": False},
        "config.json of meta-llama/Llama-2-7b-hf; Touvron et al. 2023, Llama 2 (arXiv:2307.09288), Table 1",
    ),
    "llama3_8b": (
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "vocab_size": 128256, "max_position_embeddings": 8192, "hidden_act": "silu", "tie_word_embeddings": False},
        "config.json of meta-llama/Meta-Llama-3-8B; Dubey et al. 2024, The Llama 3 Herd of Models (arXiv:2407.21783)",
    ),
    "llama3_70b": (
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 8192,
         "intermediate_size": 28672, "num_hidden_layers": 80, "num_attention_heads": 64, "num_key_value_heads": 8,
         "vocab_size": 128256, "max_position_embeddings": 8192, "hidden_act": "silu", "tie_word_embeddings": False},
        "config.json of meta-llama/Meta-Llama-3-70B; Dubey et al. 2024 (arXiv:2407.21783), Table 3",
    ),
    "mistral_7b": (
        {"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "vocab_size": 32000, "max_position_embeddings": 32768, "sliding_window": 4096, "hidden_act": "silu",
         "tie_word_embeddings": False},
        "config.json of mistralai/Mistral-7B-v0.1; Jiang et al. 2023, Mistral 7B (arXiv:2310.06825), Table 1",
    ),
    "mixtral_8x7b": (
        {"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "vocab_size": 32000, "max_position_embeddings": 32768, "sliding_window": None, "num_local_experts": 8,
         "num_experts_per_tok": 2, "hidden_act": "silu", "tie_word_embeddings": False},
        "config.json of mistralai/Mixtral-8x7B-v0.1; Jiang et al. 2024, Mixtral of Experts (arXiv:2401.04088)",
    ),
    "qwen2_7b": (
        {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 3584,
         "intermediate_size": 18944, "num_hidden_layers": 28, "num_attention_heads": 28, "num_key_value_heads": 4,
         "vocab_size": 152064, "max_position_embeddings": 131072, "sliding_window": 131072,
         "use_sliding_window": False, "max_window_layers": 28, "hidden_act": "silu", "tie_word_embeddings": False},
        "config.json of Qwen/Qwen2-7B; Yang et al. 2024, Qwen2 Technical Report (arXiv:2407.10671), Table 1",
    ),
    "gemma_7b": (
        {"architectures": ["GemmaForCausalLM"], "model_type": "gemma", "hidden_size": 3072,
         "intermediate_size": 24576, "num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 16,
         "head_dim": 256, "vocab_size": 256000, "max_position_embeddings": 8192, "hidden_act": "gelu"},
        "config.json of google/gemma-7b; Gemma Team 2024, Gemma (arXiv:2403.08295), Table 1",
    ),
    "phi3_mini": (
        {"architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "hidden_size": 3072, "intermediate_size": 8192,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32, "vocab_size": 32064,
         "max_position_embeddings": 4096, "sliding_window": 2047, "hidden_act": "silu",
         "tie_word_embeddings": False},
        "config.json of microsoft/Phi-3-mini-4k-instruct; Abdin et al. 2024, Phi-3 Technical Report (arXiv:2404.14219)",
    ),
    "vit_b16": (
        {"architectures": ["ViTForImageClassification"], "model_type": "vit", "hidden_size": 768,
         "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072, "hidden_act": "gelu",
         "image_size": 224, "patch_size": 16, "num_channels": 3, "qkv_bias": True, "num_labels": 1000},
        "config.json of google/vit-base-patch16-224 (1000 ImageNet labels); Dosovitskiy et al. 2021 (arXiv:2010.11929)",
    ),
}  # fmt: skip


def config(name: str) -> Dict[str, Any]:
    """A copy of the published config of zoo LLM ``name`` (for ``from_hf_config`` or ``inference_flops``)."""
    if name not in CONFIGS:
        raise ValueError(f"unknown zoo LLM {name!r}; available: {sorted(CONFIGS)}")
    return dict(CONFIGS[name][0])


def _build(name: str, seq_len: Optional[int], kv_cache: Optional[int]):
    data = CONFIGS[name][0]
    length = data["max_position_embeddings"] if seq_len is None and kv_cache is None else seq_len
    if kv_cache is not None and seq_len is None:
        length = 1
    model = from_hf_config(dict(data), seq_len=length, kv_cache=kv_cache)
    model.name = name
    return model


@register
def llama2_7b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Llama 2 7B (Touvron et al. 2023): 6,738,415,616 parameters; seq_len defaults to its 4096 context.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.llama2_7b(seq_len=1))
    >>> report.params
    6738415616
    """
    return _build("llama2_7b", seq_len, kv_cache)


@register
def llama3_8b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Llama 3 8B (Dubey et al. 2024): grouped-query attention (8 KV heads), 128256-token vocabulary.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.llama3_8b(seq_len=1))
    >>> report.params
    8030261248
    """
    return _build("llama3_8b", seq_len, kv_cache)


@register
def llama3_70b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Llama 3 70B (Dubey et al. 2024): 80 layers of width 8192, 8 KV heads.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.llama3_70b(seq_len=1))
    >>> report.params
    70553706496
    """
    return _build("llama3_70b", seq_len, kv_cache)


@register
def mistral_7b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Mistral 7B v0.1 (Jiang et al. 2023): sliding-window attention over 4096 tokens.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.mistral_7b(seq_len=1))
    >>> report.params
    7241732096
    """
    return _build("mistral_7b", seq_len, kv_cache)


@register
def mixtral_8x7b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Mixtral 8x7B (Jiang et al. 2024): 8 SwiGLU experts, 2 per token; 46.7B parameters, 12.9B active.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.mixtral_8x7b(seq_len=1))
    >>> report.params, report.active_params
    (46702792704, 12879925248)
    """
    return _build("mixtral_8x7b", seq_len, kv_cache)


@register
def qwen2_7b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Qwen2 7B (Yang et al. 2024): biases on the Q/K/V projections only, 4 KV heads.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.qwen2_7b(seq_len=1))
    >>> report.params
    7615616512
    """
    return _build("qwen2_7b", seq_len, kv_cache)


@register
def gemma_7b(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Gemma 7B (Gemma Team 2024): head_dim 256 (16 x 256 = 4096 != 3072), GeGLU, tied 256000-token head.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.gemma_7b(seq_len=1))
    >>> report.params
    8537680896
    """
    return _build("gemma_7b", seq_len, kv_cache)


@register
def phi3_mini(seq_len: Optional[int] = None, kv_cache: Optional[int] = None):
    """Phi-3-mini 4k (Abdin et al. 2024): 32 layers of 3072, sliding window of 2047 tokens.

    Parameters
    ----------
    seq_len : int, optional
        Tokens per example (default the model's context length; 1 with ``kv_cache``).
    kv_cache : int, optional
        Build one decode step with this many tokens already cached.

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.phi3_mini(seq_len=1))
    >>> report.params
    3821079552
    """
    return _build("phi3_mini", seq_len, kv_cache)


@register
def vit_b16():
    """ViT-B/16 (Dosovitskiy et al. 2021) at 224 x 224 with its 1000-class head (ViTForImageClassification).

    Returns
    -------
    Graph
        Built by ``from_hf_config`` from the published config.

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.vit_b16())
    >>> report.params
    86567656
    """
    model = from_hf_config(config("vit_b16"))
    model.name = "vit_b16"
    return model
