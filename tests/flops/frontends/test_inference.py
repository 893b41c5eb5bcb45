"""inference_flops: prefill and every decode step equal the transformers model under FlopCounterMode;
the decode array equals step-by-step counts; memory follows its closed form; bad input is named."""

from __future__ import annotations

import numpy as np
import pytest

from computelimits import flops
from computelimits.flops.inference import BYTES_PER_ELEMENT, inference_flops

from .conftest import hf_decode_reference, hf_reference

SMALL = {"hidden_size": 96, "intermediate_size": 200, "num_hidden_layers": 3, "num_attention_heads": 6}
MODELS = {
    "llama": dict(SMALL, model_type="llama", num_key_value_heads=2, vocab_size=1000),
    "mistral-window": dict(SMALL, model_type="mistral", num_key_value_heads=3, vocab_size=1000, sliding_window=7),
    "mixtral": dict(SMALL, model_type="mixtral", num_key_value_heads=2, vocab_size=1000, num_local_experts=3),
    "qwen2-sliding": dict(
        SMALL,
        model_type="qwen2",
        num_key_value_heads=2,
        vocab_size=1000,
        use_sliding_window=True,
        sliding_window=6,
        max_window_layers=1,
    ),
    "gpt2": {"model_type": "gpt2", "n_embd": 96, "n_head": 6, "n_layer": 2, "vocab_size": 1000},
    "gpt_neox": dict(SMALL, model_type="gpt_neox", vocab_size=1000),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_prefill_and_each_decode_step_equal_flop_counter_mode(name, transformers_module):
    config, batch, prompt, steps = MODELS[name], 2, 5, 4  # steps cross the windows of 7 and 6
    result = inference_flops(config, prompt_tokens=prompt, generated_tokens=steps, batch=batch)
    assert result.prefill_macs == hf_reference(config, batch, prompt)[1]
    assert list(result.decode_macs) == hf_decode_reference(config, batch, prompt, steps)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_decode_array_equals_step_by_step_counts(name):
    config, prompt, steps = MODELS[name], 3, 9
    result = inference_flops(config, prompt, steps, batch=3)
    steps_counted = [
        flops.count(flops.from_hf_config(config, seq_len=1, kv_cache=prompt + i), batch=3) for i in range(steps)
    ]
    assert result.decode_macs.dtype == np.int64
    assert list(result.decode_macs) == [r.macs for r in steps_counted]
    assert list(result.decode_flops) == [r.flops for r in steps_counted]
    assert result.decode_total_macs == sum(r.macs for r in steps_counted)
    assert result.total_flops == result.prefill_flops + sum(r.flops for r in steps_counted)


def test_memory_follows_its_closed_form():
    config = MODELS["mistral-window"]  # 3 layers, 3 KV heads of 16, window 7
    result = inference_flops(config, 4, 10, batch=5, precision="fp8")
    held = min(4 + 10, 7)
    assert result.kv_cache_bytes == 3 * 2 * 5 * (3 * 16) * held * 1
    assert result.weight_bytes == result.params * 1
    half = inference_flops(config, 4, 10, batch=5, precision="int4")
    assert half.weight_bytes == -(-result.params // 2)
    assert BYTES_PER_ELEMENT["bf16"] == 2 and BYTES_PER_ELEMENT["fp32"] == 4


def test_long_generations_are_exact_and_zoo_names_work():
    """Llama-3-8B generating 8000 tokens after 100: the sum of an arithmetic series, and the last step."""
    result = inference_flops("llama3_8b", prompt_tokens=100, generated_tokens=8000)
    first, last = (flops.count(flops.zoo.llama3_8b(kv_cache=c)).macs for c in (100, 8099))
    assert result.decode_macs[0] == first and result.decode_macs[-1] == last
    assert result.decode_total_macs == 8000 * (first + last) // 2
    assert result.model == "LlamaForCausalLM" and len(result.to_frame()) == 8001


def test_counts_beyond_int64_stay_exact():
    result = inference_flops(flops.zoo.llama3_70b(seq_len=4), 4, 3, batch=10**9)
    assert isinstance(result.decode_macs, tuple)
    assert result.decode_macs[2] == flops.count(flops.zoo.llama3_70b(kv_cache=6), batch=10**9).macs > 2**63


def test_results_print_and_serialize():
    result = inference_flops(MODELS["llama"], 5, 2)
    assert "prefill_flops=" in repr(result) and "(bf16)" in repr(result)
    data = result.to_dict()
    assert data["decode_macs"] == [int(v) for v in result.decode_macs] and data["total_macs"] == result.total_macs
    assert list(result.to_frame()["call"]) == ["prefill", "decode 0", "decode 1"]
    assert inference_flops(MODELS["llama"], 5, 0).decode_total_flops == 0


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((MODELS["llama"], 0, 5), {}, ValueError, "prompt_tokens must be >= 1"),
        ((MODELS["llama"], 5, -1), {}, ValueError, "generated_tokens must be >= 0"),
        ((MODELS["llama"], 5.5, 1), {}, ValueError, "prompt_tokens must be a whole number"),
        ((MODELS["llama"], 5, 1), {"batch": 0}, ValueError, "batch must be >= 1"),
        ((MODELS["llama"], 5, 1), {"precision": "fp64"}, ValueError, "precision must be one of"),
        (({"model_type": "t5"}, 5, 1), {}, ValueError, "decoder-only"),
        (({"model_type": "vit"}, 5, 1), {}, ValueError, "decoder-only"),
        ((flops.zoo.bert_base(), 5, 1), {}, ValueError, "not built from a Hugging Face config"),
        (("resnet18", 5, 1), {}, ValueError, "not built from a Hugging Face config"),
        (("no_such_model", 5, 1), {}, ValueError, "neither a config file nor a zoo model"),
        (({"model_type": "gpt2"}, 1000, 30), {}, ValueError, "n_positions=1024"),
    ],
)
def test_bad_input_is_named(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        inference_flops(*args, **kwargs)


def test_e_notation_counts_are_accepted():
    assert inference_flops(MODELS["llama"], 1e1, 2e0).prompt_tokens == 10
