"""``computelimits flops`` with Hugging Face configs, --inference, --precision, e-notation, and examples/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from computelimits import flops, hardware
from computelimits.cli import main
from computelimits.cli.flops import _table

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TINY = {
    "model_type": "llama",
    "hidden_size": 64,
    "intermediate_size": 160,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 500,
}


def _write(tmp_path, data, name="config.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_a_hugging_face_config_is_recognised(tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["flops", _write(tmp_path, TINY), "--seq-len", "9", "--batch", "3", "--json", str(out)]) == 0
    expected = flops.count(flops.from_hf_config(TINY, seq_len=9), batch=3)
    assert json.loads(out.read_text())["report"]["macs"] == expected.macs
    assert f"{expected.macs:,} MACs" in capsys.readouterr().out


def test_inference_with_precision_and_hardware(tmp_path, capsys):
    out = tmp_path / "gen.json"
    argv = [
        "flops",
        "llama3_8b",
        "--inference",
        "--prompt",
        "1e3",
        "--generate",
        "200",
        "--precision",
        "bf16",
        "--hardware",
        "A100",
        "--json",
        str(out),
    ]
    assert main(argv) == 0
    saved = json.loads(out.read_text())
    expected = flops.inference_flops("llama3_8b", 1000, 200, precision="bf16")
    assert saved["inference"]["total_flops"] == expected.total_flops
    assert saved["inference"]["kv_cache_bytes"] == expected.kv_cache_bytes
    estimate = hardware.estimate(float(expected.total_flops), "A100", utilization=0.3, precision="bf16")
    assert saved["hardware"]["wall_seconds"] == estimate.wall_seconds
    printed = capsys.readouterr().out
    assert "prefill" in printed and "KV cache" in printed and f"{expected.total_flops:,} FLOP" in printed


def test_training_tokens_accept_e_notation(tmp_path):
    out = tmp_path / "train.json"
    assert main(["flops", _write(tmp_path, TINY), "--seq-len", "16", "--tokens", "1e12", "--json", str(out)]) == 0
    expected = flops.training_flops(flops.from_hf_config(TINY, seq_len=16), tokens=10**12)
    assert json.loads(out.read_text())["training"]["total_flop"] == expected.total_flop


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["flops", "CONFIG"], "needs --seq-len"),
        (["flops", "CONFIG", "--seq-len", "8", "--image-size", "32"], "--image-size does not apply"),
        (["flops", "llama3_8b", "--tokens", "2.5e0"], "--tokens must be a whole number"),
        (["flops", "llama3_8b", "--prompt", "10"], "apply with --inference"),
        (["flops", "llama3_8b", "--inference"], "needs --prompt"),
        (["flops", "llama3_8b", "--inference", "--prompt", "8", "--precision", "fp64"], "precision must be one of"),
        (["flops", "bert_base", "--inference", "--prompt", "8"], "not built from a Hugging Face config"),
        (["flops", "llama3_8b", "--inference", "--prompt", "8", "--tokens", "100"], "does not combine"),
        (["flops", "llama3_8b", "--batch", "0"], "--batch must be >= 1"),
    ],
)
def test_bad_arguments_exit_2_naming_them(tmp_path, capsys, argv, message):
    argv = [_write(tmp_path, TINY) if a == "CONFIG" else a for a in argv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_mixture_of_experts_tables_show_active_parameters(capsys):
    assert main(["flops", "mixtral_8x7b", "--seq-len", "16"]) == 0
    printed = capsys.readouterr().out
    assert "active" in printed.splitlines()[0]
    assert "46,702,792,704 (12,879,925,248 active per token)" in printed


def test_uncounted_operators_appear_in_the_table():
    torch = pytest.importorskip("torch")
    with torch.device("meta"):
        module, x = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Hardswish()), torch.empty(2, 8)
    with pytest.warns(Warning):
        model = flops.from_torch(module, (x,))
    lines = _table(flops.count(model))
    assert lines[-1].split()[:2] == ["aten.hardswish", "uncounted"]


def test_the_example_files_count_as_their_closed_forms(capsys):
    """examples/: an MNIST MLP, a CIFAR ResNet, a small MoE transformer graph and Mixtral's HF config."""
    mlp = flops.count(flops.load_model(EXAMPLES / "mnist_mlp.json"))
    assert (mlp.params, mlp.macs) == (784 * 512 + 512 + 512 * 512 + 512 + 5120 + 10, 784 * 512 + 512 * 512 + 5120)
    cnn = flops.count(flops.load_model(EXAMPLES / "cifar_resnet.json"))
    conv = lambda cin, cout, side: cin * cout * 9 * side * side  # noqa: E731 - 3x3 'same' convolution MACs
    assert cnn.macs == conv(3, 32, 32) + 2 * conv(32, 32, 32) + conv(32, 64, 16) + 2 * conv(64, 64, 16) + 640
    moe = flops.count(flops.load_model(EXAMPLES / "tiny_moe_transformer.json"))
    attention = 2 * 256 * 256 + 2 * 256 * 64  # q, o; k, v with 2 KV heads of 32
    expert = 3 * 256 * 512
    assert moe.params == 8000 * 256 + 2 * (2 * 256 + attention + 256 * 4 + 4 * expert) + 256
    assert moe.active_params == moe.params - 2 * 2 * expert
    assert main(["flops", str(EXAMPLES / "mixtral_8x7b_config.json"), "--seq-len", "8", "--no-table"]) == 0
    assert "46,702,792,704" in capsys.readouterr().out
