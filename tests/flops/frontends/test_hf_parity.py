"""from_hf_config against transformers models under FlopCounterMode: every family, architecture, MoE, decode.

The oracle (conftest.py) builds the transformers model of the same config on the meta device with eager
attention and counts one forward with torch.utils.flop_counter.FlopCounterMode; params are
``sum(p.numel() for p in model.parameters())`` (tied weights once). Parity must be exact. Skips without
transformers.
"""

from __future__ import annotations

import pytest

from computelimits import flops

from .conftest import hf_decode_reference, hf_reference

SMALL = {"hidden_size": 96, "intermediate_size": 200, "num_hidden_layers": 3, "num_attention_heads": 6}
LLAMA = dict(SMALL, model_type="llama", num_key_value_heads=2, vocab_size=1000)
MOE = {"num_experts": 5, "moe_intermediate_size": 40, "shared_expert_intermediate_size": 72, "num_experts_per_tok": 2}

# (id, config, batch, seq_len)
CASES = [
    ("llama", LLAMA, 3, 7),
    ("llama-bias-tied", dict(LLAMA, attention_bias=True, mlp_bias=True, tie_word_embeddings=True), 1, 11),
    ("llama-head-dim", dict(LLAMA, head_dim=20, num_key_value_heads=3), 2, 5),
    ("llama-model", dict(LLAMA, architectures=["LlamaModel"]), 2, 9),
    (
        "llama-classifier",
        dict(LLAMA, architectures=["LlamaForSequenceClassification"], num_labels=5, pad_token_id=0),
        3,
        4,
    ),
    (
        "mistral-window",
        dict(SMALL, model_type="mistral", num_key_value_heads=2, vocab_size=1000, sliding_window=4),
        2,
        9,
    ),
    ("mixtral", dict(SMALL, model_type="mixtral", num_key_value_heads=3, vocab_size=1000, num_local_experts=5), 3, 7),
    ("qwen2", dict(SMALL, model_type="qwen2", num_key_value_heads=2, vocab_size=1000), 1, 13),
    (
        "qwen2-sliding-layers",
        dict(
            SMALL,
            model_type="qwen2",
            num_key_value_heads=1,
            vocab_size=1000,
            use_sliding_window=True,
            sliding_window=3,
            max_window_layers=1,
        ),
        2,
        6,
    ),
    ("qwen2_moe", dict(SMALL, model_type="qwen2_moe", num_key_value_heads=2, vocab_size=1000, **MOE), 3, 5),
    (
        "qwen2_moe-sparse-step",
        dict(
            SMALL,
            model_type="qwen2_moe",
            num_key_value_heads=2,
            vocab_size=1000,
            decoder_sparse_step=2,
            mlp_only_layers=[2],
            norm_topk_prob=True,
            **MOE,
        ),
        2,
        7,
    ),
    ("gemma", dict(SMALL, model_type="gemma", num_key_value_heads=1, head_dim=24, vocab_size=1000), 2, 7),
    (
        "phi3-partial-rotary",
        dict(
            SMALL,
            model_type="phi3",
            num_key_value_heads=2,
            vocab_size=1000,
            pad_token_id=0,
            eos_token_id=1,
            partial_rotary_factor=0.5,
            sliding_window=5,
        ),
        3,
        8,
    ),
    ("gpt2", {"model_type": "gpt2", "n_embd": 96, "n_head": 6, "n_layer": 3, "vocab_size": 1000}, 3, 7),
    (
        "gpt2-classifier-relu",
        {
            "model_type": "gpt2",
            "n_embd": 96,
            "n_head": 4,
            "n_layer": 2,
            "vocab_size": 1000,
            "n_inner": 150,
            "activation_function": "relu",
            "architectures": ["GPT2ForSequenceClassification"],
            "num_labels": 3,
            "pad_token_id": 0,
        },
        1,
        5,
    ),
    ("gpt_neox", dict(SMALL, model_type="gpt_neox", vocab_size=1000), 2, 7),
    ("gpt_neox-serial", dict(SMALL, model_type="gpt_neox", vocab_size=1000, use_parallel_residual=False), 1, 9),
    ("bert", dict(SMALL, model_type="bert", vocab_size=1000), 3, 7),
    ("bert-mlm", dict(SMALL, model_type="bert", vocab_size=1000, architectures=["BertForMaskedLM"]), 2, 5),
    ("bert-pretraining", dict(SMALL, model_type="bert", vocab_size=1000, architectures=["BertForPreTraining"]), 1, 9),
    (
        "bert-classifier",
        dict(
            SMALL,
            model_type="bert",
            vocab_size=1000,
            architectures=["BertForSequenceClassification"],
            id2label={0: "a", 1: "b", 2: "c"},
        ),
        2,
        7,
    ),
    (
        "bert-tokens",
        dict(SMALL, model_type="bert", vocab_size=1000, architectures=["BertForTokenClassification"]),
        2,
        3,
    ),
    ("bert-qa", dict(SMALL, model_type="bert", vocab_size=1000, architectures=["BertForQuestionAnswering"]), 1, 6),
    (
        "roberta",
        dict(SMALL, model_type="roberta", vocab_size=1000, max_position_embeddings=40, type_vocab_size=1),
        2,
        7,
    ),
    ("roberta-mlm", dict(SMALL, model_type="roberta", vocab_size=1000, architectures=["RobertaForMaskedLM"]), 3, 5),
    (
        "roberta-classifier",
        dict(SMALL, model_type="roberta", vocab_size=1000, architectures=["RobertaForSequenceClassification"]),
        2,
        7,
    ),
    (
        "t5",
        {
            "model_type": "t5",
            "d_model": 96,
            "d_kv": 20,
            "d_ff": 200,
            "num_layers": 3,
            "num_heads": 6,
            "vocab_size": 1000,
        },
        2,
        7,
    ),
    (
        "t5-gated-unequal-stacks",
        {
            "model_type": "t5",
            "d_model": 64,
            "d_kv": 16,
            "d_ff": 150,
            "num_layers": 2,
            "num_decoder_layers": 3,
            "num_heads": 3,
            "vocab_size": 500,
            "feed_forward_proj": "gated-gelu",
            "tie_word_embeddings": False,
        },
        3,
        5,
    ),
    (
        "t5-model",
        {
            "model_type": "t5",
            "d_model": 64,
            "num_layers": 2,
            "num_heads": 4,
            "d_kv": 16,
            "vocab_size": 500,
            "architectures": ["T5Model"],
        },
        1,
        9,
    ),
    (
        "t5-encoder",
        {
            "model_type": "t5",
            "d_model": 64,
            "num_layers": 2,
            "num_heads": 4,
            "d_kv": 16,
            "vocab_size": 500,
            "architectures": ["T5EncoderModel"],
        },
        2,
        9,
    ),
    ("vit", dict(SMALL, model_type="vit", image_size=40, patch_size=8), 2, None),
    (
        "vit-classifier-no-qkv-bias",
        dict(
            SMALL,
            model_type="vit",
            image_size=[24, 40],
            patch_size=8,
            qkv_bias=False,
            architectures=["ViTForImageClassification"],
            num_labels=7,
        ),
        3,
        None,
    ),
]


@pytest.mark.parametrize(("config", "batch", "seq_len"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_macs_and_params_equal_the_transformers_model(config, batch, seq_len, transformers_module):
    decoder_len = 4 if config["model_type"] == "t5" else None
    params, macs = hf_reference(config, batch, seq_len, decoder_len)
    model = flops.from_hf_config(config, seq_len=seq_len, decoder_seq_len=decoder_len)
    report = flops.count(model, batch=batch)
    assert (report.params, report.macs) == (params, macs)


DECODE_CASES = [  # generation runs the causal-LM models
    c for c in CASES if c[1]["model_type"] not in ("bert", "roberta", "t5", "vit") and "architectures" not in c[1]
]


@pytest.mark.parametrize("config", [c[1] for c in DECODE_CASES], ids=[c[0] for c in DECODE_CASES])
def test_decode_steps_equal_one_token_calls_with_a_dynamic_cache(config, transformers_module):
    """Token i of a generation attends over prompt + i + 1 keys (window-limited in sliding layers)."""
    prompt, steps, batch = 6, 3, 2
    expected = hf_decode_reference(config, batch, prompt, steps)
    got = [
        flops.count(flops.from_hf_config(config, seq_len=1, kv_cache=prompt + i), batch=batch).macs
        for i in range(steps)
    ]
    assert got == expected


def test_mixture_of_experts_counts_the_active_path_and_every_parameter(transformers_module):
    config = dict(SMALL, model_type="mixtral", num_key_value_heads=2, vocab_size=1000, num_local_experts=6)
    params, macs = hf_reference(config, 2, 5)
    report = flops.count(flops.from_hf_config(config, seq_len=5), batch=2)
    assert (report.params, report.macs) == (params, macs)
    expert = 3 * 96 * 200  # one SwiGLU expert: gate, up and down projections
    assert report.params - report.active_params == 3 * (6 - 2) * expert  # 3 layers, 4 idle experts each
