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
