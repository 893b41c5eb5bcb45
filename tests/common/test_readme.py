"""The README's quick-start block runs as written, and the values its comments quote are what it computes."""

import json
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"

# A Llama-3-8B config.json as Hugging Face ships it (keys the quick start's from_hf_config call reads).
LLAMA3_8B_CONFIG = {
    "architectures": ["LlamaForCausalLM"],
    "model_type": "llama",
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "vocab_size": 128256,
    "max_position_embeddings": 8192,
    "rope_theta": 500000.0,
    "tie_word_embeddings": False,
}


def quick_start_block():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no python block"
    return blocks[0]


def test_quick_start_runs_and_its_quoted_values_hold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps(LLAMA3_8B_CONFIG))
    namespace = {}
    exec(compile(quick_start_block(), str(README), "exec"), namespace)
    flops = namespace["flops"]
    # Values quoted in the README's comments, from independent sources: torchvision's ResNet-50
    # (25,557,032 parameters), Brown et al.'s 6ND for GPT-3, Mistral AI's Mixtral-8x7B card, Meta's
    # Llama 3 8B (8.03B parameters; KV cache 2 x 32 layers x 8 KV heads x 128 x 1280 tokens x 2 bytes).
    assert (namespace["report"].macs, namespace["report"].params) == (4_089_184_256, 25_557_032)
    gpt3_params = flops.count(flops.zoo.gpt3(size="175B")).params
    assert namespace["run"].total_flop == 6 * gpt3_params * 300_000_000_000  # Kaplan et al.'s C = 6ND
    mixtral = flops.count(flops.zoo.get("mixtral_8x7b"))
    assert (mixtral.active_params, mixtral.params) == (12_879_925_248, 46_702_792_704)
    assert flops.count(namespace["llama"]).params == 8_030_261_248
    kv = flops.inference_flops("llama3_8b", prompt_tokens=1024, generated_tokens=256).kv_cache_bytes
    assert kv == 2 * 32 * 8 * 128 * (1024 + 256) * 2
    low, high = namespace["boot"].confidence_interval
    assert (low <= high).all()
    optimal = namespace["law"].compute_optimal(5.76e23)
    from computelimits.status import Status

    assert optimal.status == (Status.OK,) and optimal.interval_status == (Status.OK,)
    # the data were drawn from alpha = 0.34: the fitted exponent's interval holds it
    alpha_low, alpha_high = namespace["law"].confidence_interval("alpha")
    assert alpha_low < 0.34 < alpha_high
