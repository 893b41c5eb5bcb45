"""``computelimits hardware`` subcommand: human units, --json, --precision, names, help text."""

import argparse
import json

import pytest

from computelimits.cli import build_parser, main


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_burden_matches_the_alexnet_closed_form(capsys):
    assert main(["hardware", "burden", "GTX 580", "--count", "2", "--hours", "132"]) == 0
    assert float(capsys.readouterr().out.split()[0]) == pytest.approx(2 * 1.581e12 * 132 * 3600, rel=1e-3)
    assert main(["hardware", "burden", "gtx-580", "--count", "2", "--days", "5.5", "--json"]) == 0
    out = _json(capsys)
    assert out["burden_flop"] == pytest.approx(2 * 512 * 1.544e9 * 2 * 5.5 * 86400, rel=1e-12)
    assert out["precision"] == "fp32" and out["processor"] == "GTX-580"


def test_estimate_prints_human_units_and_names_the_precision(capsys):
    # GPT-3 on one V100 at 28 TFLOP/s sustained: 3.14e23 / 28e12 s = 355 years (Lambda's figure).
    assert main(["hardware", "estimate", "3.14e23", "V100", "--precision", "FP16", "--utilization", str(28 / 125)]) == 0
    out = capsys.readouterr().out
    assert "355 years" in out and "at fp16" in out
    assert "$9.5M" in out  # 355.4 years x 8766 h x $3.06/h
    assert (
        main(["hardware", "estimate", "3.14e23", "V100", "--precision", "fp16", "--utilization", "0.224", "--json"])
        == 0
    )
    data = _json(capsys)
    assert data["wall_years"] == pytest.approx(3.14e23 / (125e12 * 0.224) / (365.25 * 86400), rel=1e-12)
    assert data["precision"] == "fp16" and data["cost_usd"] == pytest.approx(data["processor_hours"] * 3.06)


def test_default_precision_is_the_dense_bf16_peak_and_is_named(capsys):
    assert main(["hardware", "estimate", "1e21", "a100", "--count", "8", "--json"]) == 0
    data = _json(capsys)
    assert data["precision"] == "bf16" and data["peak_flops"] == 312e12
    assert "precision" in data["assumed"] and data["utilization"] == 0.375
    assert main(["hardware", "estimate", "1e21", "a100", "--count", "8"]) == 0
    out = capsys.readouterr().out
    assert "at bf16" in out and "precision bf16 (the processor's default)" in out
    # 1e21 / (8 x 312e12 x 0.375) s = 1.068e6 s = 12.4 days
    assert "12.4 days" in out


def test_counts_accept_e_notation_and_underscores(capsys):
    assert main(["hardware", "estimate", "1e24", "B200", "--count", "1e3", "--json"]) == 0
    assert _json(capsys)["count"] == 1000
    assert (
        main(["hardware", "estimate", "1_000_000_000_000_000_000_000_000", "B200", "--count", "1_024", "--json"]) == 0
    )
    assert _json(capsys)["count"] == 1024
    assert main(["hardware", "estimate", "1e24", "B200", "--count", "1.5"]) == 2
    assert "--count must be a whole number" in capsys.readouterr().err


def test_unknown_names_get_suggestions_and_bad_values_are_refused(capsys):
    assert main(["hardware", "estimate", "1e21", "H10O"]) == 2
    err = capsys.readouterr().err
    assert "'H10O' is not in the catalogue" in err and "did you mean H100" in err
    assert main(["hardware", "show", "mi300"]) == 2
    assert "did you mean MI300X" in capsys.readouterr().err
    assert main(["hardware", "estimate", "1e18", "V100", "--utilization", "1.5"]) == 2
    assert "utilization" in capsys.readouterr().err
    assert main(["hardware", "estimate", "1e18", "V100", "--precision", "fp8"]) == 2
    assert "no published peak" in capsys.readouterr().err
    assert main(["hardware", "estimate", "1e18", "V100", "--precision", "fp64"]) == 2
    assert "unknown --precision 'fp64'; did you mean fp4 or fp16?" in capsys.readouterr().err


def test_undetermined_energy_is_said_not_printed_as_a_number(capsys):
    assert main(["hardware", "estimate", "1e23", "tpu v5e", "--count", "256"]) == 0
    out = capsys.readouterr().out
    assert "energy           unknown (no board power)" in out and "no board power published for TPU-v5e" in out
    assert main(["hardware", "estimate", "1e23", "tpu v5e", "--board-power-watts", "200", "--json"]) == 0
    data = _json(capsys)
    hours = 1e23 / (197e12 * 0.375) / 3600
    assert data["energy_kwh"] == pytest.approx(200 * 1.56 * 0.43 * 1.1 * hours / 1000, rel=1e-12)


def test_list_and_show(capsys):
    assert main(["hardware", "list", "--kind", "tpu"]) == 0
    out = capsys.readouterr().out
    assert "TPU-v6e" in out and "TPU-v3" in out and "V100" not in out
    assert main(["hardware", "list", "--vendor", "intel", "--json"]) == 0
    assert {row["name"] for row in _json(capsys)} == {"Gaudi-2", "Gaudi-3"}
    assert main(["hardware", "list", "--vendor", "acme"]) == 2
    assert "vendors:" in capsys.readouterr().err
    assert main(["hardware", "show", "gb200", "--json"]) == 0
    data = _json(capsys)
    assert data["peak_fp4_flops"] == 10e15 and data["source_url"].startswith("https://")


def _all_actions(parser):
    for action in parser._actions:
        yield parser, action
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_actions(sub)


def test_every_hardware_option_has_help_text():
    parser = build_parser()
    top = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [
        f"{owner.prog} {action.dest}"
        for owner, action in _all_actions(top.choices["hardware"])
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) and not action.help
    ]
    assert missing == []
