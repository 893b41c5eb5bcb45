"""The ``computelimits fit`` subcommand on CSV input."""

import json
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


def _points(tmp_path, column="error", scale=1.0, accuracy=False):
    rng = np.random.default_rng(3)
    log_c = rng.uniform(18, 23, size=20)
    error = 10 ** (0.5 - 0.06 * log_c + rng.normal(scale=0.03, size=20))
    values = (1 - error if accuracy else error) * scale
    path = tmp_path / f"{column}_{scale:g}.csv"
    pd.DataFrame({"compute": 10**log_c, column: values}).to_csv(path, index=False)
    return path, 10**log_c, error


def test_several_targets_after_one_flag(tmp_path, capsys):
    path, compute, error = _points(tmp_path)
    argv = ["fit", "--csv", str(path), "--bootstrap", "1e2", "--target", "0.05", "0.01", "--no-plot"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    # The same rows as the Python API with both targets, dollars in human units.
    from computelimits import _units
    from computelimits.fit import project

    expected = project(compute, error, [0.05, 0.01], ["polynomial"], n_resamples=100, seed=2020)
    lines = [line.split() for line in out.splitlines() if line.strip().startswith("polynomial")]
    assert [line[1] for line in lines] == ["0.05", "0.01"]
    for line, row in zip(lines, expected.rows):
        assert line[2] == f"10^{row['log10_flop']:.2f}" and line[5] == _units.format_usd(row["usd"])


@pytest.mark.parametrize(
    "value, hint",
    [("5", "5 looks like a percentage: pass 0.05"), ("0", "strictly between 0 and 1"), ("1", "pass 0.01"), ("x", "")],
)
def test_targets_outside_zero_one_are_refused_with_a_hint(value, hint, capsys):
    assert main(["fit", "--benchmark", "imagenet", "--target", value]) == 2
    err = capsys.readouterr().err
    assert "argument --target" in err and hint in err


@pytest.mark.parametrize("column, accuracy", [("accuracy", True), ("top1_accuracy", True), ("error", False)])
def test_percent_columns_are_detected_and_converted(tmp_path, capsys, column, accuracy):
    percent, compute, error = _points(tmp_path, column, 100.0, accuracy)
    fraction, _, _ = _points(tmp_path, column, 1.0, accuracy)
    extra = [] if column in ("accuracy", "error") else ["--error-column", column]
    assert main(["fit", "--csv", str(percent), "--bootstrap", "99", "--no-plot", "--json", *extra]) == 0
    captured = capsys.readouterr()
    assert f"column '{column}' is in percent" in captured.err
    from_percent = json.loads(captured.out)
    assert main(["fit", "--csv", str(fraction), "--bootstrap", "99", "--no-plot", "--json", *extra]) == 0
    from_fraction = json.loads(capsys.readouterr().out)
    assert from_percent["fit"]["params"] == pytest.approx(from_fraction["fit"]["params"], rel=1e-9)
    expected = fit_compute_error(compute, error)
    assert from_percent["fit"]["params"] == pytest.approx(expected.fit.params, rel=1e-9)


def test_a_column_mixing_fractions_and_percent_is_refused(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_text("compute,accuracy\n1e18,0.70\n1e19,76.1\n1e20,0.80\n1e21,0.85\n1e22,0.9\n")
    assert main(["fit", "--csv", str(path), "--no-plot"]) == 2
    err = capsys.readouterr().err
    assert "'accuracy' mixes fractions and percentages (e.g. 0.7 and 76.1)" in err


def test_fit_json_parses_and_matches_the_engine(tmp_path, capsys):
    path, compute, error = _points(tmp_path)
    png = tmp_path / "fit.png"
    argv = ["fit", "--csv", str(path), "--bootstrap", "199", "--target", "0.05", "--json", "--plot", str(png)]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    expected = fit_compute_error(compute, error)
    assert out["fit"]["params"] == pytest.approx(expected.fit.params, rel=1e-12)
    assert out["projection"]["rows"][0]["target_error"] == 0.05
    assert out["figure"] == str(png) and png.exists() and out["points"] == 20


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit", "--benchmark", "IMAGENET", "--bootstrap", "99", "--no-plot"], None),
        (["fit", "--benchmark", "imagenett", "--no-plot"], "did you mean imagenet"),
        (["fit", "--benchmark", "imagenet", "--method", "BCA", "--bootstrap", "99", "--no-plot"], None),
        (["fit", "--benchmark", "imagenet", "--method", "bcaa", "--no-plot"], "did you mean bca"),
    ],
)
def test_names_ignore_case_and_suggest(argv, message, capsys):
    if message is None:
        assert main(argv) == 0
        assert "imagenet: polynomial model" in capsys.readouterr().out
        return
    assert main(argv) == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("flag, value", [("--bootstrap", "1e3"), ("--bootstrap", "1_000"), ("--seed", "2e3")])
def test_counts_take_e_notation_and_underscores(flag, value, capsys):
    assert main(["fit", "--benchmark", "imagenet", flag, value, "--no-plot", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    key = "n_resamples" if flag == "--bootstrap" else "seed"
    assert out["bootstrap"][key] == int(float(value.replace("_", "")))


def test_a_fractional_count_names_the_option(capsys):
    assert main(["fit", "--benchmark", "imagenet", "--bootstrap", "250.5", "--no-plot"]) == 2
    assert "argument --bootstrap: --bootstrap must be a whole number" in capsys.readouterr().err


def test_cli_choices_are_the_library_registries():
    from computelimits.cli import fit as fit_command
    from computelimits.fit.bootstrap import SCHEMES
    from computelimits.fit.intervals import METHODS

    assert fit_command.SCHEMES == SCHEMES and fit_command.METHODS == METHODS
