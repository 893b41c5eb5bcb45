"""The ``computelimits fit`` subcommand on CSV input."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from computelimits.cli import main
from computelimits.fit import fit_compute_error


def test_fit_csv_prints_tables_and_writes_png(tmp_path, capsys):
    rng = np.random.default_rng(1)
    log_c = rng.uniform(18, 23, size=25)
    frame = pd.DataFrame(
        {
            "compute": 10**log_c,
            "error": 10 ** (1.0 - 0.08 * log_c + rng.normal(scale=0.05, size=25)),
            "year": np.arange(25) % 8 + 2012,
        }
    )
    path = tmp_path / "points.csv"
    frame.to_csv(path, index=False)
    png = tmp_path / "fit.png"
    code = main(["fit", "--csv", str(path), "--bootstrap", "300", "--target", "0.05", "--plot", str(png)])
    out = capsys.readouterr().out
    assert code == 0
    expected = fit_compute_error(frame["compute"], frame["error"])
    assert f"{expected.slope:.6g}" in out and "Projection" in out and "bca" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    covariate = fit_compute_error(frame["compute"], frame["error"], year=frame["year"], year_covariate=True)
    code = main(
        [
            "fit",
            "--csv",
            str(path),
            "--bootstrap",
            "200",
            "--method",
            "percentile",
            "--year-covariate",
            "--target",
            "0.05",
            "--no-plot",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and f"{covariate.fit.params[2]:.6g}" in out
    frontier = fit_compute_error(frame["compute"], frame["error"], year=frame["year"], frontier="compute")
    code = main(
        [
            "fit",
            "--csv",
            str(path),
            "--bootstrap",
            "200",
            "--method",
            "percentile",
            "--frontier",
            "compute",
            "--no-plot",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and f"observations  {frontier.fit.nobs}\n" in out


def test_fit_csv_benchmark_filter_on_the_paper_subset(shared_data, tmp_path, capsys):
    path = Path(shared_data) / "computerprogress" / "regression_subset_2021.csv"
    code = main(
        [
            "fit",
            "--csv",
            str(path),
            "--benchmark",
            "squad1_1",
            "--bootstrap",
            "200",
            "--method",
            "percentile",
            "--model",
            "exponential",
            "--no-plot",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "squad1_1: exponential model" in out and re.search(r"\nR\^2 +0\.55", out)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit"], "give --csv FILE or --benchmark NAME"),
        (["fit", "--csv", "/nonexistent/points.csv"], "--csv file not found"),
    ],
)
def test_fit_cli_errors(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_fit_benchmark_uses_paper_results(tmp_path, capsys):
    datasets = pytest.importorskip("computelimits.datasets")
    frame = datasets.paper_results("imagenet")
    known = frame.dropna(subset=["hardware_burden_flop", "error"])
    expected = fit_compute_error(known["hardware_burden_flop"], known["error"])
    code = main(
        [
            "fit",
            "--benchmark",
            "imagenet",
            "--bootstrap",
            "200",
            "--method",
            "percentile",
            "--plot",
            str(tmp_path / "imagenet.png"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and re.search(rf"\nR\^2 +{expected.rsquared:.6g}\n", out)
    assert (tmp_path / "imagenet.png").exists()


def test_cli_choices_are_the_library_registries():
    from computelimits.cli import fit as fit_command
    from computelimits.fit.bootstrap import SCHEMES
    from computelimits.fit.intervals import METHODS

    assert fit_command.SCHEMES == SCHEMES and fit_command.METHODS == METHODS
