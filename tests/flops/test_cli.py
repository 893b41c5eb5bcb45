"""The ``computelimits flops`` subcommand."""

import json

from computelimits import flops, hardware
from computelimits.cli import main


def test_zoo_model_table_and_json(tmp_path, capsys):
    out_file = tmp_path / "report.json"
    assert main(["flops", "alexnet", "--json", str(out_file)]) == 0
    printed = capsys.readouterr().out
    assert "714,188,480 MACs" in printed and "61,100,840" in printed and "MaxPool2d" in printed
    report = json.loads(out_file.read_text())["report"]
    assert report["macs"] == 714_188_480 and len(report["layers"]) == 22


def test_json_model_file_training_run_and_hardware(tmp_path, capsys):
    model = flops.Sequential(
        [flops.Conv2d(3, 8, 3), flops.ReLU(), flops.Flatten(), flops.Linear(8 * 30 * 30, 10)],
        input_shape=(3, 32, 32),
        name="small",
    )
    path = tmp_path / "small.json"
    flops.save_model(model, path)
    out_file = tmp_path / "run.json"
    argv = [
        "flops",
        str(path),
        "--examples",
        "50000",
        "--epochs",
        "3",
        "--batch",
        "4",
        "--hardware",
        "V100",
        "--count",
        "2",
        "--json",
        str(out_file),
        "--no-table",
    ]
    assert main(argv) == 0
    saved = json.loads(out_file.read_text())
    expected = flops.training_flops(model, examples=50000, epochs=3, batch=4)
    assert saved["training"]["total_flop"] == expected.total_flop
    estimate = hardware.estimate(float(expected.total_flop), "V100", count=2, utilization=0.4)
    assert saved["hardware"]["wall_seconds"] == estimate.wall_seconds
    assert f"{expected.total_flop:,} FLOP" in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys):
    assert main(["flops", "resnet51"]) == 2
    assert "neither a file nor a zoo model" in capsys.readouterr().err
    assert main(["flops", "alexnet", "--seq-len", "10"]) == 2
    assert "--seq-len does not apply" in capsys.readouterr().err
    assert main(["flops", "alexnet", "--batch", "0"]) == 2


def test_zoo_size_and_length_options_reach_the_builder(capsys):
    from computelimits import flops

    assert main(["flops", "gpt3", "--size", "13B", "--no-table"]) == 0
    expected = flops.count(flops.zoo.gpt3(size="13B"))
    out = capsys.readouterr().out
    assert f"{expected.macs:,} MACs" in out and f"{expected.params:,}" in out
    assert main(["flops", "transformer_big", "--src-len", "64", "--tgt-len", "32", "--no-table"]) == 0
    expected = flops.count(flops.zoo.transformer_big(src_len=64, tgt_len=32))
    assert f"{expected.macs:,} MACs" in capsys.readouterr().out
    assert main(["flops", "resnet50", "--size", "xl"]) == 2
    assert "--size does not apply" in capsys.readouterr().err


def test_zoo_names_match_any_case_and_unknown_names_get_suggestions(capsys):
    assert main(["flops", "ResNet18", "--no-table"]) == 0
    assert f"{flops.count(flops.zoo.resnet18()).macs:,} MACs" in capsys.readouterr().out
    assert main(["flops", "resnet51"]) == 2
    assert "did you mean 'resnet50', 'resnet18'?" in capsys.readouterr().err
    assert main(["flops", "--list"]) == 0
    assert capsys.readouterr().out.split() == flops.zoo.names()


def test_the_default_utilization_is_hardwares_for_the_workload(tmp_path, capsys):
    """Decoder-only language models (and --tokens, --inference) take hardware.UTILIZATION_LLM, the others
    UTILIZATION_OTHER (Sevilla et al. 2022); --utilization overrides both."""
    cases = [
        (["alexnet"], hardware.UTILIZATION_OTHER),
        (["llama3_8b", "--seq-len", "16"], hardware.UTILIZATION_LLM),
        (["llama3_8b", "--seq-len", "16", "--utilization", "0.55"], 0.55),
        (["gpt2", "--tokens", "1e9"], hardware.UTILIZATION_LLM),
    ]
    for argv, utilization in cases:
        out_file = tmp_path / "out.json"
        assert main(["flops", *argv, "--hardware", "H100", "--no-table", "--json", str(out_file)]) == 0
        saved = json.loads(out_file.read_text())["hardware"]
        assert saved["utilization"] == utilization
        assert ("utilization" in saved["assumed"]) == (utilization != 0.55)
    capsys.readouterr()
