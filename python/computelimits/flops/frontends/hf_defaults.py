"""Per-family defaults of Hugging Face configs: the keys ``from_hf_config`` reads and their defaults.

A ``config.json`` downloaded from the Hub omits every key equal to its class default, so a missing key
takes the default of that family's transformers config class (transformers 5.x,
``transformers/models/<family>/configuration_<family>.py``). Defaults that transformers derives from
other keys (``head_dim``, ``num_key_value_heads``, ``layer_types``...) are written as rules in
``DERIVED`` and applied in ``resolve``. tests/flops/frontends/test_hf_defaults.py checks every entry
against ``transformers.<Class>()`` when transformers is installed; docs/frontends.md prints the table.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Tuple

from .hf_families import FAMILIES, Family


def supported_families() -> List[str]:
    """The ``model_type`` values ``from_hf_config`` builds.

    Returns
    -------
    list of str
        The families, sorted.

    Examples
    --------
    >>> from computelimits.flops import frontends
    >>> frontends.supported_families()
    ['bert', 'gemma', 'gpt2', 'gpt_neox', 'llama', 'mistral', 'mixtral', 'phi3', 'qwen2', 'qwen2_moe', 'roberta', 't5', 'vit']
    """
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
    if values.get("head_dim", 0) is None and values["hidden_size"] % values["num_attention_heads"]:
        raise ValueError(
            f"{model_type} config: num_attention_heads={values['num_attention_heads']} does not divide "
            f"hidden_size={values['hidden_size']} and no head_dim is given (inconsistent heads)"
        )
    for key, rule in _DERIVE.items():
        if key in values and values[key] is None:
            values[key] = rule(values)
    if "layer_types" in values and values["layer_types"] is None:
        values["layer_types"] = _layer_types(values, model_type)
    return family, values
