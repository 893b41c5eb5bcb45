"""Regression tests for the contract violations the fuzz tests found in flops (front ends and model files) (one test per finding, its reproducer)."""

import pytest

from computelimits import flops


@pytest.mark.parametrize(
    "config, fragment",
    [
        # 2**40 layers built a graph for hours (gigabytes of nodes) instead of refusing
        ({"model_type": "llama", "num_hidden_layers": 2**40}, "'num_hidden_layers'=1099511627776 exceeds 10000 layers"),
        # a zero sparse step raised "integer modulo by zero"
        (
            {"model_type": "qwen2_moe", "decoder_sparse_step": 0},
            r"'decoder_sparse_step' must be an integer in \[1, 2\^62\)",
        ),
        # a rotary part above 1 named MultiheadAttention.rotary_dim
        ({"model_type": "gpt_neox", "partial_rotary_factor": 2.0}, r"'partial_rotary_factor' must be in \[0.0, 1.0\]"),
        # sizes out of range named Embedding.embedding_dim or Graph.inputs['pixel_values']
        ({"model_type": "gpt_neox", "hidden_size": 2**63}, r"'hidden_size' must be an integer in \[1, 2\^62\)"),
        ({"model_type": "vit", "num_channels": 0}, r"'num_channels' must be an integer in \[1, 2\^62\)"),
        ({"model_type": "bert", "type_vocab_size": 0}, r"'type_vocab_size' must be an integer in \[1, 2\^62\)"),
    ],
)
def test_from_hf_config_names_the_config_key(config, fragment):
    with pytest.raises(ValueError, match=fragment):
        flops.from_hf_config(config, seq_len=None if config["model_type"] == "vit" else 4)


@pytest.mark.parametrize(
    "config",
    [
        {"model_type": "llama", "head_dim": ""},  # "can't multiply sequence by non-int of type 'float'"
        {"model_type": "phi3", "num_key_value_heads": ""},  # named MultiheadAttention.num_kv_heads
        {"model_type": "mixtral", "sliding_window": "0"},  # named MultiheadAttention.window
        {"model_type": "llama", "hidden_size": None},  # "'NoneType' object cannot be interpreted as an integer"
    ],
)
def test_from_hf_config_type_errors_name_the_key(config):
    key = next(k for k in config if k != "model_type")
    with pytest.raises(TypeError, match=f"config key '{key}' must be of type int"):
        flops.from_hf_config(config, seq_len=4)


def test_from_hf_config_overflow_names_seq_len_and_inference_names_its_tokens():
    # the int64 overflow of a layer count named only the layer
    with pytest.raises(OverflowError, match=r"^gemma config with seq_len=1099511627776: layer "):
        flops.from_hf_config({"model_type": "gemma", "num_hidden_layers": 1}, seq_len=2**40)
    # prompt_tokens = 2^62 was reported as Graph.inputs['input_ids']
    with pytest.raises(
        ValueError, match=r"prompt_tokens \+ generated_tokens = 4611686018427387904 must be below 2\^62"
    ):
        flops.inference_flops({"model_type": "llama", "num_hidden_layers": 1}, 2**62, 0)


@pytest.mark.parametrize("source, error", [("", ValueError), ("  ", ValueError), (5, TypeError), (None, TypeError)])
def test_load_model_names_source(source, error):
    # "" read the current directory (IsADirectoryError); 5 opened file descriptor 5
    with pytest.raises(error, match="source must be JSON text or a file path"):
        flops.load_model(source)


@pytest.mark.parametrize(
    "config, fragment",
    [
        ({"model_type": "roberta", "pad_token_id": None}, "'pad_token_id' must be an integer"),
        ({"model_type": "mixtral", "sliding_window": 2**63}, r"'sliding_window' must be an integer in \[0, 2\^62\)"),
        ({"model_type": "mistral", "sliding_window": -1}, "'sliding_window'"),
    ],
)
def test_from_hf_config_nullable_keys_are_checked(config, fragment):
    with pytest.raises(ValueError, match=fragment):
        flops.from_hf_config(config, seq_len=8)


def test_from_hf_config_sliding_window_zero_means_none():
    # transformers reads a falsy sliding_window as "no window": the counts must equal None's
    zero = flops.count(flops.from_hf_config({"model_type": "mistral", "sliding_window": 0}, seq_len=64))
    absent = flops.count(flops.from_hf_config({"model_type": "mistral", "sliding_window": None}, seq_len=64))
    assert zero.macs == absent.macs and zero.flops == absent.flops


def test_from_hf_config_vit_image_beyond_the_catalogue_names_image_size():
    # image_size = 2^40 reached a Reshape of 2^72 patches: "Reshape.shape must be an integer in [1, 2^62)"
    with pytest.raises(ValueError, match=r"image_size=1099511627776 .* beyond 2\^62"):
        flops.from_hf_config({"model_type": "vit", "image_size": 2**40})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5, 1.5])
def test_from_hf_config_rotary_fraction_outside_the_unit_interval_names_the_key(value):
    # a NaN partial_rotary_factor passed the bounds check and failed with "cannot convert float NaN to integer"
    with pytest.raises(ValueError, match="'partial_rotary_factor' must be in"):
        flops.from_hf_config({"model_type": "gpt_neox", "partial_rotary_factor": value}, seq_len=4)
