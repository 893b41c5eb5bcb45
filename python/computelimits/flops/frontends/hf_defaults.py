"""Per-family defaults of Hugging Face configs: the keys ``from_hf_config`` reads and their defaults.

A ``config.json`` downloaded from the Hub omits every key equal to its class default, so a missing key
takes the default of that family's transformers config class (transformers 5.x,
``transformers/models/<family>/configuration_<family>.py``). Defaults that transformers derives from
other keys (``head_dim``, ``num_key_value_heads``, ``layer_types``...) are written as rules in
``DERIVED`` and applied in ``resolve``. tests/flops/frontends/test_hf_defaults.py checks every entry
against ``transformers.<Class>()`` when transformers is installed; docs/frontends.md prints the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Tuple


@dataclass(frozen=True)
class Family:
    """One supported ``model_type``: its transformers config class, defaults and derived keys."""

    model_type: str
    config_class: str
    defaults: Mapping[str, Any]
    derived: Mapping[str, str]  # key -> the rule transformers applies when the key is absent or None
    default_architecture: str  # built when the config names no architecture


_LLAMA_LIKE_DERIVED = {
    "num_key_value_heads": "num_attention_heads",
    "head_dim": "hidden_size // num_attention_heads",
}

FAMILIES: Dict[str, Family] = {
    "llama": Family(
        "llama",
        "LlamaConfig",
        {
            "vocab_size": 32000,
            "hidden_size": 4096,
            "intermediate_size": 11008,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": None,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 2048,
            "tie_word_embeddings": False,
            "attention_bias": False,
            "mlp_bias": False,
        },
        _LLAMA_LIKE_DERIVED,
        "LlamaForCausalLM",
    ),
    "mistral": Family(
        "mistral",
        "MistralConfig",
        {
            "vocab_size": 32000,
            "hidden_size": 4096,
            "intermediate_size": 14336,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 131072,
            "tie_word_embeddings": False,
            "sliding_window": 4096,
        },
        _LLAMA_LIKE_DERIVED,
        "MistralForCausalLM",
    ),
    "mixtral": Family(
        "mixtral",
        "MixtralConfig",
        {
            "vocab_size": 32000,
            "hidden_size": 4096,
            "intermediate_size": 14336,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": 8,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 131072,
            "tie_word_embeddings": False,
            "sliding_window": None,
            "num_local_experts": 8,
            "num_experts_per_tok": 2,
        },
        _LLAMA_LIKE_DERIVED,
        "MixtralForCausalLM",
    ),
    "qwen2": Family(
        "qwen2",
        "Qwen2Config",
        {
            "vocab_size": 151936,
            "hidden_size": 4096,
            "intermediate_size": 22016,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": 32,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 32768,
            "tie_word_embeddings": False,
            "use_sliding_window": False,
            "sliding_window": 4096,
            "max_window_layers": 28,
            "layer_types": None,
        },
        {
            **_LLAMA_LIKE_DERIVED,
            "sliding_window": "sliding_window if use_sliding_window else None",
            "layer_types": "'sliding_attention' for layers i >= max_window_layers when sliding_window, else 'full_attention'",
        },
        "Qwen2ForCausalLM",
    ),
    "qwen2_moe": Family(
        "qwen2_moe",
        "Qwen2MoeConfig",
        {
            "vocab_size": 151936,
            "hidden_size": 2048,
            "intermediate_size": 5632,
            "num_hidden_layers": 24,
            "num_attention_heads": 16,
            "num_key_value_heads": 16,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 32768,
            "tie_word_embeddings": False,
            "use_sliding_window": False,
            "sliding_window": 4096,
            "max_window_layers": 28,
            "layer_types": None,
            "decoder_sparse_step": 1,
            "moe_intermediate_size": 1408,
            "shared_expert_intermediate_size": 5632,
            "num_experts_per_tok": 4,
            "num_experts": 60,
            "norm_topk_prob": False,
            "mlp_only_layers": None,
            "qkv_bias": True,
        },
        {
            **_LLAMA_LIKE_DERIVED,
            "sliding_window": "sliding_window if use_sliding_window else 0",
            "layer_types": "'sliding_attention' for even layers i < max_window_layers when use_sliding_window, "
            "else 'full_attention'",
            "mlp_only_layers": "[]",
        },
        "Qwen2MoeForCausalLM",
    ),
    "gemma": Family(
        "gemma",
        "GemmaConfig",
        {
            "vocab_size": 256000,
            "hidden_size": 3072,
            "intermediate_size": 24576,
            "num_hidden_layers": 28,
            "num_attention_heads": 16,
            "num_key_value_heads": 16,
            "head_dim": 256,
            "hidden_act": "gelu_pytorch_tanh",
            "max_position_embeddings": 8192,
            "tie_word_embeddings": True,
            "attention_bias": False,
        },
        _LLAMA_LIKE_DERIVED,
        "GemmaForCausalLM",
    ),
    "phi3": Family(
        "phi3",
        "Phi3Config",
        {
            "vocab_size": 32064,
            "hidden_size": 3072,
            "intermediate_size": 8192,
            "num_hidden_layers": 32,
            "num_attention_heads": 32,
            "num_key_value_heads": None,
            "head_dim": None,
            "hidden_act": "silu",
            "max_position_embeddings": 4096,
            "tie_word_embeddings": False,
            "sliding_window": None,
            "partial_rotary_factor": 1.0,
        },
        {
            **_LLAMA_LIKE_DERIVED,
            "partial_rotary_factor": "rope_parameters['partial_rotary_factor'] (or the legacy key)",
        },
        "Phi3ForCausalLM",
    ),
    "gpt2": Family(
        "gpt2",
        "GPT2Config",
        {
            "vocab_size": 50257,
            "n_positions": 1024,
            "n_embd": 768,
            "n_layer": 12,
            "n_head": 12,
            "n_inner": None,
            "activation_function": "gelu_new",
            "tie_word_embeddings": True,
            "add_cross_attention": False,
        },
        {"n_inner": "4 * n_embd"},
        "GPT2LMHeadModel",
    ),
    "gpt_neox": Family(
        "gpt_neox",
        "GPTNeoXConfig",
        {
            "vocab_size": 50432,
            "hidden_size": 6144,
            "num_hidden_layers": 44,
            "num_attention_heads": 64,
            "intermediate_size": 24576,
            "hidden_act": "gelu",
            "max_position_embeddings": 2048,
            "tie_word_embeddings": False,
            "use_parallel_residual": True,
            "attention_bias": True,
            "partial_rotary_factor": 0.25,
        },
        {"partial_rotary_factor": "rope_parameters['partial_rotary_factor'] (legacy key rotary_pct)"},
        "GPTNeoXForCausalLM",
    ),
    "bert": Family(
        "bert",
        "BertConfig",
        {
            "vocab_size": 30522,
            "hidden_size": 768,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "intermediate_size": 3072,
            "hidden_act": "gelu",
            "max_position_embeddings": 512,
            "type_vocab_size": 2,
            "pad_token_id": 0,
            "tie_word_embeddings": True,
            "is_decoder": False,
            "add_cross_attention": False,
            "num_labels": 2,
        },
        {"num_labels": "len(id2label) when id2label is given"},
        "BertModel",
    ),
    "roberta": Family(
        "roberta",
        "RobertaConfig",
        {
            "vocab_size": 50265,
            "hidden_size": 768,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "intermediate_size": 3072,
            "hidden_act": "gelu",
            "max_position_embeddings": 512,
            "type_vocab_size": 2,
            "pad_token_id": 1,
            "tie_word_embeddings": True,
            "is_decoder": False,
            "add_cross_attention": False,
            "num_labels": 2,
        },
        {"num_labels": "len(id2label) when id2label is given"},
        "RobertaModel",
    ),
    "t5": Family(
        "t5",
        "T5Config",
        {
            "vocab_size": 32128,
            "d_model": 512,
            "d_kv": 64,
            "d_ff": 2048,
            "num_layers": 6,
            "num_decoder_layers": None,
            "num_heads": 8,
            "relative_attention_num_buckets": 32,
            "feed_forward_proj": "relu",
            "num_labels": 2,
        },
        {"num_decoder_layers": "num_layers", "num_labels": "len(id2label) when id2label is given"},
        "T5ForConditionalGeneration",
    ),
    "vit": Family(
        "vit",
        "ViTConfig",
        {
            "hidden_size": 768,
            "num_hidden_layers": 12,
            "num_attention_heads": 12,
            "intermediate_size": 3072,
            "hidden_act": "gelu",
            "image_size": 224,
            "patch_size": 16,
            "num_channels": 3,
            "qkv_bias": True,
            "pooler_output_size": None,
            "pooler_act": "tanh",
            "num_labels": 2,
        },
        {"pooler_output_size": "hidden_size", "num_labels": "len(id2label) when id2label is given"},
        "ViTModel",
    ),
}


def supported_families() -> List[str]:
    """The ``model_type`` values ``from_hf_config`` builds."""
    return sorted(FAMILIES)


def _rotary_factor(config: Mapping[str, Any], default: float) -> Any:
    """transformers 5 keeps it in rope_parameters; Hub files also use rope_scaling, partial_rotary_factor, rotary_pct."""
    for holder in ("rope_parameters", "rope_scaling"):
        params = config.get(holder)
        if isinstance(params, dict) and params.get("partial_rotary_factor") is not None:
            return params["partial_rotary_factor"]
    for legacy in ("partial_rotary_factor", "rotary_pct"):
        if config.get(legacy) is not None:
            return config[legacy]
    return default


def _layer_types(values: Dict[str, Any], model_type: str) -> List[str]:
    layers, window = values["num_hidden_layers"], values["sliding_window"]
    if model_type == "qwen2":
        return [
            "sliding_attention" if window is not None and i >= values["max_window_layers"] else "full_attention"
            for i in range(layers)
        ]
    return [
        "sliding_attention"
        if (i + 1) % 2 and i < values["max_window_layers"] and values["use_sliding_window"]
        else "full_attention"
        for i in range(layers)
    ]


_DERIVE: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "num_key_value_heads": lambda v: v["num_attention_heads"],
    "head_dim": lambda v: v["hidden_size"] // v["num_attention_heads"],
    "n_inner": lambda v: 4 * v["n_embd"],
    "num_decoder_layers": lambda v: v["num_layers"],
    "pooler_output_size": lambda v: v["hidden_size"],
    "mlp_only_layers": lambda v: [],
}


_SHAPE_KEYS = ("image_size", "patch_size")  # an int or a (height, width) pair; checked by the ViT builder
_DERIVED_FROM = ("num_attention_heads", "hidden_size", "n_embd", "num_layers")


def _check_type(model_type: str, key: str, value: Any, default: Any) -> Any:
    """The value if it has the default's type (ints for int keys, ...); TypeError naming the key otherwise."""
    if value is None or default is None or key in _SHAPE_KEYS:
        return value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise TypeError(f"{model_type} config key {key!r} must be of type {type(default).__name__}, got {value!r}")
    return value


def resolve(model_type: str, config: Mapping[str, Any]) -> Tuple[Family, Dict[str, Any]]:
    """The values of every key the family reads: the config's, else the class default, else the derived rule.

    Returns (family, values). Only the keys of ``Family.defaults`` are returned; types are checked later
    by the builders, which name the key of any bad value.
    """
    family = FAMILIES[model_type]
    values: Dict[str, Any] = {}
    for key, default in family.defaults.items():
        if key == "partial_rotary_factor":
            value = _rotary_factor(config, default)
        elif key == "num_labels":
            labels = config.get("id2label")
            value = config.get("num_labels", len(labels) if isinstance(labels, dict) else default)
        else:
            value = config.get(key, default)
        values[key] = _check_type(model_type, key, value, default)
    for key in _DERIVED_FROM:
        if key in values and values[key] < 1:
            raise ValueError(f"{model_type} config key {key!r} must be >= 1, got {values[key]}")
    if model_type in ("qwen2", "qwen2_moe") and not values["use_sliding_window"]:
        values["sliding_window"] = None if model_type == "qwen2" else 0
    for key, rule in _DERIVE.items():
        if key in values and values[key] is None:
            values[key] = rule(values)
    if "layer_types" in values and values["layer_types"] is None:
        values["layer_types"] = _layer_types(values, model_type)
    return family, values
