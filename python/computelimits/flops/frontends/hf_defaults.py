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
# Layer counts build one block of graph nodes each: beyond this the graph would take minutes and
# gigabytes to build (published models have at most a few hundred layers; sweep_transformer counts
# decoder stacks of any depth analytically).
MAX_LAYERS = 10_000
_LAYER_KEYS = ("num_hidden_layers", "n_layer", "num_layers", "num_decoder_layers")
# Keys whose None means something in transformers (no sliding window, no padding token); other keys
# with a default take a value of the default's type (None for hidden_size is a TypeError naming it).
_NULLABLE = ("sliding_window", "pad_token_id")
# Bounds of keys whose out-of-range values transformers would not build with (a modulo by a zero
# sparse step, a rotary part larger than the head).
_BOUNDS = {"decoder_sparse_step": (1, None), "partial_rotary_factor": (0.0, 1.0)}
# Integer keys are sizes and counts in [1, 2^62) (the layer catalogue's range), except these, where 0
# means "none" or a first index (padding token id 0, no sliding window, no sliding-window layers). A qwen2_moe shared expert of
# width 0 is refused (the layer catalogue has no zero-width MLP; transformers would build an empty one).
_ZERO_OK = ("pad_token_id", "max_window_layers", "sliding_window")


def _check_type(model_type: str, key: str, value: Any, default: Any) -> Any:
    """The value if it has the default's type (ints for int keys, ...); TypeError naming the key otherwise."""
    if value is None and default is not None and key not in FAMILIES[model_type].derived and key not in _NULLABLE:
        raise TypeError(f"{model_type} config key {key!r} must be of type {type(default).__name__}, got None")
    if value is not None and default is None and (key in _DERIVE or key in _NULLABLE) and key != "mlp_only_layers":
        default = 0  # a derived count (head_dim, num_key_value_heads...): an int when given
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
    for key, value in values.items():
        counted = (
            isinstance(family.defaults.get(key), int)
            or (key in _DERIVE and key != "mlp_only_layers")
            or key in _NULLABLE  # None by default (no window, no padding token), a count when given
        )
        if isinstance(value, int) and not isinstance(value, bool) and counted:  # sizes, given or derived
            low = 0 if key in _ZERO_OK else 1
            if not low <= value < 2**62:
                raise ValueError(f"{model_type} config key {key!r} must be an integer in [{low}, 2^62), got {value}")
    for key, (lower, upper) in _BOUNDS.items():
        bounded = values.get(key)
        if bounded is not None and not (lower <= bounded and (upper is None or bounded <= upper)):  # NaN fails too
            where = f">= {lower}" if upper is None else f"in [{lower}, {upper}]"
            raise ValueError(f"{model_type} config key {key!r} must be {where}, got {bounded!r}")
    for key in _LAYER_KEYS:
        if isinstance(values.get(key), int) and values[key] > MAX_LAYERS:
            raise ValueError(
                f"{model_type} config key {key!r}={values[key]} exceeds {MAX_LAYERS} layers, the most a model graph "
                "is built with (flops.sweep_transformer counts deeper decoder stacks)"
            )
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
    if "layer_types" in values:
        if values["layer_types"] is None:
            values["layer_types"] = _layer_types(values, model_type)
        _check_layer_types(model_type, values["layer_types"], values["num_hidden_layers"])
    if "mlp_only_layers" in values:
        _check_mlp_only_layers(model_type, values["mlp_only_layers"], values["num_hidden_layers"])
    return family, values


def _check_mlp_only_layers(model_type: str, layers: Any, num_hidden_layers: int) -> None:
    """A list of layer indices in [0, num_hidden_layers): the layers built with a dense MLP, not experts."""
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"{model_type} config key 'mlp_only_layers' must be a list of layer indices, got {layers!r}")
    bad = [i for i in layers if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < num_hidden_layers]
    if bad:
        raise ValueError(
            f"{model_type} config key 'mlp_only_layers' entries must be layer indices in "
            f"[0, num_hidden_layers={num_hidden_layers}), got {bad[0]!r} in {layers!r}"
        )


# The attention kinds a Qwen2 decoder layer is built with (transformers' Qwen2Attention); other entries of
# transformers' ALLOWED_LAYER_TYPES (chunked, linear, ...) are not Qwen2 layers and cannot be counted here.
LAYER_TYPES = ("full_attention", "sliding_attention")


def _check_layer_types(model_type: str, layer_types: Any, num_hidden_layers: int) -> None:
    """A list of num_hidden_layers entries of ``LAYER_TYPES`` (transformers' ``validate_layer_type`` rule)."""
    if not isinstance(layer_types, (list, tuple)):
        raise TypeError(
            f"{model_type} config key 'layer_types' must be a list of {num_hidden_layers} entries of "
            f"{LAYER_TYPES}, got {layer_types!r}"
        )
    if len(layer_types) != num_hidden_layers:
        raise ValueError(
            f"{model_type} config key 'layer_types' must have num_hidden_layers={num_hidden_layers} entries, "
            f"got {len(layer_types)}: {layer_types!r}"
        )
    unknown = [kind for kind in layer_types if not isinstance(kind, str) or kind not in LAYER_TYPES]
    if unknown:
        raise ValueError(
            f"{model_type} config key 'layer_types' entries must be in {LAYER_TYPES}, got {unknown[0]!r} "
            f"in {layer_types!r}"
        )
