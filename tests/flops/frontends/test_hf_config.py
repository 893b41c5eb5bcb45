"""from_hf_config without torch: loading, bad input named, closed forms, no torch/transformers import."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

from computelimits import flops
from computelimits.flops.frontends import architectures, supported_families

TINY = {
    "model_type": "llama",
    "hidden_size": 64,
    "intermediate_size": 160,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 500,
}


def _llama_closed_form(c, length):
    """Params and MACs of a Llama causal LM from its config numbers (Touvron et al. 2023, untied head)."""
    e, f, layers, heads, kv, vocab = (
        c[k]
        for k in (
            "hidden_size",
            "intermediate_size",
            "num_hidden_layers",
            "num_attention_heads",
            "num_key_value_heads",
            "vocab_size",
        )
    )
    d = e // heads
    per_layer = e * heads * d * 2 + 2 * e * kv * d + 3 * e * f + 2 * e  # q, o, k, v, SwiGLU, two RMSNorm weights
    params = 2 * vocab * e + layers * per_layer + e
    macs = (
        length * (layers * (e * heads * d * 2 + 2 * e * kv * d + 3 * e * f) + e * vocab)
        + layers * 2 * length**2 * heads * d
    )
    return params, macs


def test_a_dict_a_file_and_a_config_object_give_the_same_model(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(TINY))
    holder = SimpleNamespace(to_dict=lambda: dict(TINY))
    counts = {
        (r.params, r.macs)
        for r in (flops.count(flops.from_hf_config(c, seq_len=9)) for c in (TINY, path, str(path), holder))
    }
    assert counts == {_llama_closed_form(TINY, 9)}


def test_missing_keys_take_the_family_defaults():
    """Llama's defaults (LlamaConfig: 32 layers of 4096, 11008 FFN, 32000 tokens) give Llama-1/2-7B."""
    report = flops.count(flops.from_hf_config({"model_type": "llama"}, seq_len=1))
    assert report.params == 6_738_415_616  # Touvron et al. 2023 (Llama 2), the 7B checkpoint's parameter count


def test_model_keeps_its_origin():
    model = flops.from_hf_config(TINY, seq_len=5)
    assert model.hf_source.architecture == "LlamaForCausalLM" and model.hf_source.values["head_dim"] == 16
    assert model.hf_source.is_decoder and model.name == "LlamaForCausalLM"


@pytest.mark.parametrize(
    ("config", "kwargs", "error", "match"),
    [
        ({"hidden_size": 64}, {"seq_len": 4}, ValueError, "'model_type'"),
        ({"model_type": "falcon"}, {"seq_len": 4}, ValueError, r"'falcon'.*supported families: \['bert'"),
        (dict(TINY, architectures=["LlamaForTokenClassification"]), {"seq_len": 4}, ValueError, "LlamaForCausalLM"),
        (dict(TINY, num_key_value_heads=3), {"seq_len": 4}, ValueError, "inconsistent heads"),
        (dict(TINY, hidden_size=66), {"seq_len": 4}, ValueError, "inconsistent heads"),
        ({"model_type": "gpt2", "n_embd": 100, "n_head": 3}, {"seq_len": 4}, ValueError, "inconsistent heads"),
        (
            {"model_type": "mixtral", "num_local_experts": 2, "num_experts_per_tok": 3},
            {"seq_len": 4},
            ValueError,
            "num_experts_per_tok=3",
        ),
        (dict(TINY, hidden_act="mish"), {"seq_len": 4}, ValueError, "'hidden_act'='mish'"),
        (dict(TINY, hidden_size="64"), {"seq_len": 4}, TypeError, "'hidden_size'"),
        (TINY, {}, ValueError, "seq_len is required"),
        (TINY, {"seq_len": 0}, ValueError, "seq_len must be >= 1"),
        (TINY, {"seq_len": -3}, ValueError, "seq_len must be >= 1"),
        (TINY, {"seq_len": 1, "kv_cache": -1}, ValueError, "kv_cache must be >= 0"),
        (TINY, {"seq_len": 4, "kv_cache": 7}, ValueError, "seq_len=1"),
        (TINY, {"seq_len": 4, "decoder_seq_len": 3}, ValueError, "decoder_seq_len"),
        ({"model_type": "bert"}, {"seq_len": 1, "kv_cache": 3}, ValueError, "decoder-only"),
        ({"model_type": "vit"}, {"seq_len": 4}, ValueError, "image_size"),
        ({"model_type": "gpt2"}, {"seq_len": 1025}, ValueError, "n_positions=1024"),
        ({"model_type": "roberta", "max_position_embeddings": 514}, {"seq_len": 513}, ValueError, "512 positions"),
        ({"model_type": "vit", "patch_size": 300}, {}, ValueError, "patch_size"),
        (["not", "a", "config"], {"seq_len": 4}, TypeError, "config must be"),
    ],
)
def test_bad_input_is_named(config, kwargs, error, match):
    with pytest.raises(error, match=match):
        flops.from_hf_config(config, **kwargs)


def test_bad_files_are_named(tmp_path):
    with pytest.raises(ValueError, match="is not a file"):
        flops.from_hf_config(tmp_path / "missing.json", seq_len=3)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        flops.from_hf_config(bad, seq_len=3)


def test_every_family_lists_its_architectures():
    for family in supported_families():
        names = architectures(family)
        assert names and len(set(names)) == len(names)


def test_from_hf_config_imports_neither_torch_nor_transformers():
    code = (
        "import sys; from computelimits import flops; "
        "m = flops.from_hf_config({'model_type': 'mixtral', 'num_hidden_layers': 2}, seq_len=3); flops.count(m); "
        "print(sorted(k for k in ('torch', 'transformers') if k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
