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


def test_counts_are_exact_from_e_notation(capsys):
    from computelimits import flops

    model = flops.zoo.get("gpt2")
    assert main(["flops", "gpt2", "--tokens", "1e24", "--no-table", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 6 N D with D exactly 10^24 (a float 1e24 is 999,999,999,999,999,983,222,784).
    assert out["training"]["total_flop"] == flops.training_flops(model, tokens=10**24).total_flop
    assert out["training"]["tokens"] == 10**24
    assert main(["flops", "alexnet", "--examples", "1_281_167", "--epochs", "9e1", "--no-table", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = flops.training_flops(flops.zoo.get("alexnet"), examples=1_281_167, epochs=90)
    assert out["training"]["total_flop"] == expected.total_flop


def test_json_alone_prints_json_on_stdout(capsys):
    assert main(["flops", "resnet50", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)["report"]
    assert report["macs"] == 4_089_184_256 and report["params"] == 25_557_032
    assert "4,089,184,256 MACs" in captured.err  # the text still shows, on stderr


def test_the_issue_command_runs_in_human_units_naming_the_precision(capsys):
    from computelimits import flops, hardware

    assert main(["flops", "gpt2", "--training", "--tokens", "1e9", "--hardware", "A100", "--no-table"]) == 0
    out = capsys.readouterr().out
    total = flops.training_flops(flops.zoo.get("gpt2"), tokens=10**9).total_flop
    expected = hardware.estimate(float(total), "A100", workload="llm")
    assert expected.precision == "bf16" and "at bf16" in out
    assert f"wall time        {expected.wall_seconds / 3600:.1f} hours" in out
    assert "HardwareEstimate(" not in out and "e-0" not in out
    assert main(["flops", "gpt2", "--tokens", "1e9", "--hardware", "A100", "--precision", "fp32", "--json"]) == 0
    estimate = json.loads(capsys.readouterr().out)["hardware"]
    assert estimate["precision"] == "fp32"
    assert (
        estimate["wall_seconds"]
        == hardware.estimate(float(total), "A100", workload="llm", precision="fp32").wall_seconds
    )


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


def test_a_tiny_run_prints_its_small_cost_energy_and_co2_not_zeros(capsys):
    # The issue's "flops resnet50 --hardware A100": one forward pass, ~66 us on an A100 at its bf16 peak.
    assert main(["flops", "resnet50", "--hardware", "A100", "--no-table"]) == 0
    out = capsys.readouterr().out
    flop = float(flops.count(flops.zoo.resnet50()).flops)
    a100 = hardware.get_processor("A100")
    peak, utilization, usd_per_hour = 312e12, hardware.UTILIZATION_OTHER, a100.cloud_usd_per_hour
    seconds = flop / (peak * utilization)  # Epoch AI's hardware method: FLOP / (peak x utilization)
    hours = seconds / 3600
    watts = (
        a100.board_power_watts
        * hardware.SERVER_TO_CHIP_POWER_BY_FAMILY["A100"]
        * hardware.AVERAGE_POWER_FRACTION_GPU
        * hardware.PUE_HYPERSCALER
    )
    assert f"wall time        {seconds * 1e6:.1f} us" in out
    assert f"processor-hours  {hours:.2g}" in out
    assert f"cost             ${hours * usd_per_hour:.2g} at" in out
    assert f"energy           {watts * hours:.2g} Wh" in out
    assert f"CO2              {watts * hours * hardware.GRID_KG_CO2_PER_KWH:.2g} g CO2" in out
    assert "$0.00" not in out and " 0.0 " not in out
