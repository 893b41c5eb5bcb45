"""The simulate subcommand writes CSV, JSON and a PNG figure per experiment."""

import json

import pandas as pd
import pytest

from computelimits.cli import main


@pytest.mark.parametrize("experiment, name", [("double-descent", "double_descent"), ("sgd", "sgd_scaling")])
def test_cli_writes_outputs(tmp_path, experiment, name):
    code = main(
        [
            "simulate",
            experiment,
            "--reps",
            "3",
            "--seed",
            "1",
            "--threads",
            "2",
            "--n",
            "30",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert code == 0
    frame = pd.read_csv(tmp_path / f"{name}.csv")
    summary = json.loads((tmp_path / f"{name}.json").read_text())
    assert summary["reps"] == 3 and len(frame) > 1
    assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_cli_rejects_bad_reps(tmp_path, capsys):
    assert main(["simulate", "double-descent", "--reps", "0", "--out", str(tmp_path)]) == 2
    assert "reps must be >= 1" in capsys.readouterr().err
