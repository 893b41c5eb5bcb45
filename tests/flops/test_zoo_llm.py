"""Zoo LLMs built from published configs: parameter totals from closed forms, the published Mixtral figures,
and the transformers models built from the same configs (MACs under FlopCounterMode, parameters)."""

from __future__ import annotations

import importlib.util

import pytest

from computelimits import flops
from computelimits.flops.zoo.llm import CONFIGS, config

LLMS = [name for name in CONFIGS if name != "vit_b16"]


def _closed_form_params(c):
    """Decoder-only params from the config numbers: embedding, per-layer attention / MLP / norms, head."""
    e, layers, heads, vocab = c["hidden_size"], c["num_hidden_layers"], c["num_attention_heads"], c["vocab_size"]
    kv, d = c.get("num_key_value_heads", heads), c.get("head_dim", e // heads)
    attention = 2 * e * heads * d + 2 * e * kv * d  # q and o, k and v (Vaswani et al. 2017; GQA: Ainslie et al. 2023)
    if c["model_type"] == "qwen2":
        attention += heads * d + 2 * kv * d  # q/k/v biases only (Qwen2 report)
    mlp = 3 * e * c["intermediate_size"]  # SwiGLU / GeGLU: gate, up, down (Shazeer 2020)
    if c["model_type"] == "mixtral":
        mlp = c["num_local_experts"] * mlp + e * c["num_local_experts"]  # experts + router
    tied = c.get("tie_word_embeddings", c["model_type"] == "gemma")
    return vocab * e * (1 if tied else 2) + layers * (attention + mlp + 2 * e) + e


@pytest.mark.parametrize("name", LLMS)
def test_llm_params_equal_the_closed_form_of_their_config(name):
    report = flops.count(flops.zoo.get(name, seq_len=3))
    assert report.params == _closed_form_params(CONFIGS[name][0])


def test_mixtral_params_equal_the_published_totals():
    """Mixtral 8x7B: 46,702,792,704 parameters, 12,879,925,248 active per token (Jiang et al. 2024)."""
    report = flops.count(flops.zoo.mixtral_8x7b(seq_len=1))
    assert (report.params, report.active_params) == (46_702_792_704, 12_879_925_248)


def test_vit_b16_params_equal_the_closed_form():
    e, layers, patches = 768, 12, (224 // 16) ** 2
    per_layer = 4 * e * e + 4 * e + 2 * e * 3072 + 3072 + e + 4 * e  # attention, MLP, two LayerNorms
    embeddings = 3 * 16 * 16 * e + e + e + (patches + 1) * e  # patch conv (+bias), class token, positions
    expected = embeddings + layers * per_layer + 2 * e + e * 1000 + 1000  # final LayerNorm, classifier
    assert flops.count(flops.zoo.vit_b16()).params == expected == 86_567_656


@pytest.mark.skipif(importlib.util.find_spec("transformers") is None, reason="needs transformers")
@pytest.mark.parametrize("name", [*LLMS, "vit_b16"])
def test_zoo_models_equal_the_transformers_models_of_their_configs(name):
    pytest.importorskip("torch")
    from .frontends.conftest import hf_reference

    seq_len = None if name == "vit_b16" else 5
    params, macs = hf_reference(config(name), 1, seq_len)
    model = flops.zoo.vit_b16() if name == "vit_b16" else flops.zoo.get(name, seq_len=5)
    report = flops.count(model)
    assert (report.params, report.macs) == (params, macs)


def test_zoo_llm_builders_check_their_arguments():
    with pytest.raises(ValueError, match="seq_len must be >= 1"):
        flops.zoo.llama3_8b(seq_len=0)
    with pytest.raises(ValueError, match="unknown zoo LLM"):
        config("llama5")
    decode = flops.zoo.mistral_7b(kv_cache=5000)  # a decode step: 5000 cached tokens, window 4096
    assert flops.zoo.mistral_7b(kv_cache=4095).nodes[-1].shape == decode.nodes[-1].shape
    assert flops.count(decode).macs == flops.count(flops.zoo.mistral_7b(kv_cache=4095)).macs
