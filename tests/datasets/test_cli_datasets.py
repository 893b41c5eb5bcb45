"""``computelimits datasets`` subcommand."""

import pandas as pd

from computelimits import datasets
from computelimits.cli import main


def test_summary_counts_match_the_dataset(capsys):
    assert main(["datasets", "summary"]) == 0
    total = capsys.readouterr().out.strip().splitlines()[-1].split()
    entries = datasets.paper_entries()
    assert total[0] == "total" and int(total[1]) == len(entries)


def test_export_round_trips(tmp_path, capsys):
    path = tmp_path / "coco.csv"
    assert main(["datasets", "export", str(path), "--benchmark", "mscoco"]) == 0
    frame = pd.read_csv(path)
    expected = datasets.paper_results("mscoco")
    assert len(frame) == len(expected)
    assert frame["hardware_burden_flop"].fillna(-1).tolist() == expected["hardware_burden_flop"].fillna(-1).tolist()


def test_summary_json_parses_and_matches_the_table(capsys):
    import json

    assert main(["datasets", "summary", "--json"]) == 0
    rows = {row["benchmark"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["total"]["entries"] == len(datasets.paper_entries())
    expected = sum(1 for e in datasets.paper_entries() if e["benchmark"] == "imagenet")
    assert rows["imagenet"]["entries"] == expected


def test_benchmark_and_metric_names_ignore_case_and_suggest(tmp_path, capsys):
    path = tmp_path / "coco.csv"
    assert main(["datasets", "export", str(path), "--benchmark", "MSCOCO", "--metric", "Box_AP"]) == 0
    assert len(pd.read_csv(path)) == len(datasets.paper_results("mscoco", "box_ap"))
    assert main(["datasets", "export", str(path), "--benchmark", "mscoc"]) == 2
    assert "did you mean mscoco" in capsys.readouterr().err
