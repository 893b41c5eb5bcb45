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
    assert "argument --reps: --reps must be >= 1, got '0'" in capsys.readouterr().err


def test_double_descent_prints_a_table_of_the_engine_numbers(tmp_path, capsys):
    from computelimits import simulate

    argv = ["simulate", "Double-Descent", "--reps", "2e1", "--n", "30", "--seed", "3", "--out", str(tmp_path)]
    assert main([*argv, "--no-progress"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "double descent: n = 30, 20 replicates, seed 3"
    header = next(line for line in lines if line.split()[:3] == ["p", "p/n", "min-norm"])
    rows = {int(line.split()[0]): line.split() for line in lines[lines.index(header) + 2 :] if line[:1] == " "}
    summary = json.loads((tmp_path / "double_descent.json").read_text())["summary"]
    direct = simulate.double_descent(30, summary["p"], 20, seed=3, progress=False)
    for p, mean, exact in zip(direct.p, direct.excess_risk_mean, direct.excess_risk_exact):
        assert rows[int(p)][2] == f"{mean:.4g}" and rows[int(p)][4] == f"{exact:.4g}"
    assert "wrote" in lines[-1]


def test_sgd_table_and_json(tmp_path, capsys):
    argv = ["simulate", "sgd", "--reps", "3", "--seed", "1", "--out", str(tmp_path), "--no-progress"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "target excess risk" in out and "least FLOPs" in out
    assert main([*argv, "--json"]) == 0
    captured = capsys.readouterr()
    parsed = json.loads(captured.out)
    assert parsed["experiment"] == "sgd_scaling" and parsed["reps"] == 3
    assert "wrote" in captured.err and parsed == json.loads((tmp_path / "sgd_scaling.json").read_text())


def test_paper_table_marks_unreached_levels_in_words(tmp_path, capsys):
    argv = ["simulate", "paper", "--reps", "2", "--out", str(tmp_path), "--no-progress", "--json"]
    assert main(argv) == 0
    parsed = json.loads(capsys.readouterr().out)
    assert None in parsed["compute_to_reach"]["flops"]  # not reached: null, never Infinity
    text = (tmp_path / "paper.json").read_text()
    assert "Infinity" not in text and "NaN" not in text
    assert main(argv[:-1]) == 0
    assert "never" in capsys.readouterr().out


def test_unknown_experiment_suggests(capsys):
    assert main(["simulate", "double_descnt"]) == 2
    assert "did you mean double-descent" in capsys.readouterr().err
