"""The per-family defaults table agrees with transformers' config classes (skips without transformers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from computelimits.flops.frontends.hf_defaults import FAMILIES, resolve, supported_families


def _transformers_value(config, key):
    """The value the transformers model uses: the config's, or what the modeling code derives from None."""
    if key == "partial_rotary_factor":
        return config.rope_parameters.get("partial_rotary_factor", 1.0)
    value = getattr(config, key, None)
    if value is None and key == "n_inner":  # GPT2Block: inner_dim = n_inner if not None else 4 * hidden_size
        return 4 * config.n_embd
    if value is None and key == "head_dim":  # the attention modules: hidden_size // num_attention_heads
        return config.hidden_size // config.num_attention_heads
    return value


@pytest.mark.parametrize("model_type", sorted(FAMILIES))
def test_every_default_equals_the_transformers_class_default(model_type, transformers_module):
    family = FAMILIES[model_type]
    config = getattr(transformers_module, family.config_class)()
    assert config.model_type == model_type
    _, values = resolve(model_type, {})
    for key in family.defaults:
        assert values[key] == _transformers_value(config, key), key


SMALL = {"hidden_size": 96, "num_attention_heads": 6, "num_hidden_layers": 5, "intermediate_size": 200}
PARTIAL = {
    "llama": dict(SMALL, num_key_value_heads=2),
    "mistral": dict(SMALL, head_dim=24, sliding_window=None),
    "mixtral": dict(SMALL),
    "qwen2": dict(SMALL, use_sliding_window=True, sliding_window=7, max_window_layers=2),
    "qwen2_moe": dict(SMALL, use_sliding_window=True, max_window_layers=3, mlp_only_layers=[1]),
    "gemma": dict(SMALL, head_dim=24, num_key_value_heads=1),
    "phi3": dict(SMALL, rope_parameters={"rope_type": "default", "rope_theta": 1e4, "partial_rotary_factor": 0.5}),
    "gpt2": {"n_embd": 96, "n_head": 6},
    "gpt_neox": dict(SMALL, rotary_pct=0.5),
    "bert": dict(SMALL, id2label={0: "a", 1: "b", 2: "c"}),
    "roberta": dict(SMALL),
    "t5": {"d_model": 96, "num_layers": 3, "feed_forward_proj": "gated-gelu"},
    "vit": dict(SMALL, image_size=64, patch_size=8),
}


@pytest.mark.parametrize("model_type", sorted(FAMILIES))
def test_derived_defaults_follow_transformers(model_type, transformers_module):
    """Keys transformers derives from others (head_dim, kv heads, layer types...) resolve the same way."""
    family = FAMILIES[model_type]
    given = PARTIAL[model_type]
    config = getattr(transformers_module, family.config_class)(**given)
    _, values = resolve(model_type, given)
    for key in family.defaults:
        assert values[key] == _transformers_value(config, key), key


def test_supported_families_are_the_issue_list():
    assert supported_families() == sorted(
        [
            "llama",
            "mistral",
            "mixtral",
            "qwen2",
            "qwen2_moe",
            "gemma",
            "phi3",
            "gpt2",
            "gpt_neox",
            "bert",
            "roberta",
            "t5",
            "vit",
        ]
    )


def test_bad_key_types_name_the_key():
    with pytest.raises(TypeError, match="'hidden_size'"):
        resolve("llama", {"hidden_size": "4096"})
    with pytest.raises(TypeError, match="'tie_word_embeddings'"):
        resolve("gemma", {"tie_word_embeddings": 1})
    with pytest.raises(ValueError, match="'num_attention_heads'"):
        resolve("llama", {"num_attention_heads": 0})


DOCS = Path(__file__).resolve().parents[3] / "docs" / "frontends.md"


def _shown(default):
    """How docs/frontends.md prints a default: JSON spelling, strings quoted."""
    if default is None or isinstance(default, bool):
        return {None: "null", True: "true", False: "false"}[default]
    return f'"{default}"' if isinstance(default, str) else str(default)


def test_the_docs_table_lists_every_family_key_and_default():
    rows = {line.split("|")[1].strip(): line for line in DOCS.read_text().splitlines() if line.startswith("| ")}
    for name, family in FAMILIES.items():
        row = rows[name]
        assert family.config_class in row
        for key, default in family.defaults.items():
            assert f"{key} {_shown(default)}" in row, (name, key)


def test_the_docs_zoo_table_matches_the_counts():
    from computelimits import flops

    rows = [
        line.split("|") for line in DOCS.read_text().splitlines() if line.startswith("| ") and "_" in line.split("|")[1]
    ]
    listed = {r[1].strip(): r for r in rows if r[1].strip() in flops.zoo.available()}
    assert len(listed) == 9
    for name, row in listed.items():
        report = flops.count(flops.zoo.get(name) if name == "vit_b16" else flops.zoo.get(name, seq_len=1))
        assert row[3].strip() == f"{report.params:,}"
        assert row[4].strip() == ("same" if report.active_params == report.params else f"{report.active_params:,}")
