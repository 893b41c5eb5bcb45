"""--workers and --scheduler on the command line."""

from __future__ import annotations

import json

import pytest

from computelimits.cli import main


def test_simulate_on_local_workers_writes_what_local_threads_write(tmp_path):
    pytest.importorskip("distributed")
    common = ["simulate", "double-descent", "--reps", "6", "--n", "30", "--seed", "3", "--no-progress"]
    assert main([*common, "--out", str(tmp_path / "threads")]) == 0
    assert main([*common, "--out", str(tmp_path / "workers"), "--workers", "2"]) == 0
    threads = json.loads((tmp_path / "threads" / "double_descent.json").read_text())
    workers = json.loads((tmp_path / "workers" / "double_descent.json").read_text())
    assert threads.pop("ran_on").startswith("local threads (")
    assert workers.pop("ran_on").startswith("a local Dask cluster of 2 workers (2 threads), scheduler tcp://127.0.0.1:")
    assert workers == threads
    csv = [(tmp_path / where / "double_descent.csv").read_text() for where in ("threads", "workers")]
    assert csv[0] == csv[1]


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--scheduler", "tcp://127.0.0.1:8786", "--workers", "2"], "give --scheduler or --workers, not both"),
        (["--workers", "0"], "--workers must be >= 1, got '0'"),
    ],
)
@pytest.mark.parametrize("command", [["simulate", "paper", "--reps", "1"], ["fit", "--benchmark", "imagenet"]])
def test_bad_cluster_flags_fail_before_any_work(command, flags, message, tmp_path, capsys):
    assert main([*command, *flags, *(["--out", str(tmp_path)] if command[0] == "simulate" else [])]) == 2
    assert message in capsys.readouterr().err


def test_reproduce_accepts_the_flags(capsys):
    assert main(["reproduce", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--scheduler ADDRESS" in text and "--workers N" in text
