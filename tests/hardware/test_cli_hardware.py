"""``computelimits hardware`` subcommand."""

import pytest

from computelimits.cli import main


def test_burden_and_estimate(capsys):
    assert main(["hardware", "burden", "GTX 580", "--count", "2", "--hours", "132"]) == 0
    assert float(capsys.readouterr().out.split()[0]) == pytest.approx(2 * 1.581e12 * 132 * 3600, rel=1e-3)
    assert main(["hardware", "estimate", "3.14e23", "V100", "--precision", "fp16", "--utilization", str(28 / 125)]) == 0
    out = capsys.readouterr().out
    years = float(out.split("wall_years:")[1].split()[0])
    assert years == pytest.approx(355.36, abs=0.01)


def test_list_and_errors(capsys):
    assert main(["hardware", "list", "--kind", "tpu"]) == 0
    out = capsys.readouterr().out
    assert "TPU-v3" in out and "V100" not in out
    assert main(["hardware", "burden", "Z80", "--hours", "1"]) == 2
    assert "Z80" in capsys.readouterr().err
    assert main(["hardware", "estimate", "1e18", "V100", "--utilization", "1.5"]) == 2
    assert "utilization" in capsys.readouterr().err
