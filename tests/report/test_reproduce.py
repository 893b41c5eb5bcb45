"""``computelimits reproduce --quick`` end to end: sections, figures and numbers against the engines."""

import json

import numpy as np
import pytest

from computelimits import datasets, fit, hardware
from computelimits.cli import main


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["reproduce", "--quick", "--out", str(out), "--seed", "7", "--no-progress"]) == 0
    return out


def test_report_has_every_section_and_figure(report):
    markdown = (report / "report.md").read_text()
    for title in (
        "What canonical models cost to train",
        "Theory: compute must grow faster than data",
        "Error against compute, per benchmark",
        "What the target errors would cost",
    ):
        assert title in markdown
    page = (report / "report.html").read_text()
    assert page.count("<h2>") == 4 and "<table>" in page
    for figure in ("theory_paper.png", "theory_double_descent.png", "fit_imagenet.png", "projections.png"):
        path = report / "figures" / figure
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"figures/{figure}" in markdown


def test_compute_table_matches_the_flop_engine(report):
    results = json.loads((report / "results.json").read_text())
    rows = {row["label"]: row for row in results["compute_table"]}
    # Published exact figures (REFERENCE.md table), not recomputed from the report's own code.
    assert rows["AlexNet"]["forward_macs"] == 714_188_480 and rows["AlexNet"]["params"] == 61_100_840
    assert rows["ResNet-50"]["forward_macs"] == 4_089_184_256
    # GPT-3: Brown et al. Table D.1, 3.14e23 FLOP.
    assert rows["GPT-3 175B"]["training_flop"] == pytest.approx(3.14e23, rel=0.01)
    # AlexNet: training FLOP / (2 GTX 580 x peak x 5.5 days) is the implied utilization.
    peak = hardware.get_processor("GTX 580").peak("fp32")
    expected = rows["AlexNet"]["training_flop"] / (2 * peak * 5.5 * 86400)
    assert rows["AlexNet"]["implied_utilization"] == pytest.approx(expected)


def test_regressions_and_projections_match_the_fit_engine(report):
    results = json.loads((report / "results.json").read_text())
    frame = datasets.paper_results("imagenet")
    frame = frame[np.isfinite(frame["hardware_burden_flop"])]
    direct = fit.fit_compute_error(frame["hardware_burden_flop"], frame["error"], model="polynomial")
    row = next(r for r in results["regressions"] if r["benchmark"] == "imagenet" and r["model"] == "polynomial")
    assert row["points"] == len(frame)
    assert row["slope"] == pytest.approx(direct.slope, rel=1e-12)
    assert row["rsquared"] == pytest.approx(direct.rsquared, rel=1e-12)
    assert row["slope_low"] <= row["slope"] <= row["slope_high"]
    five = next(
        r
        for r in results["projections"]
        if r["benchmark"] == "imagenet" and r["model"] == "polynomial" and r["target_error"] == 0.05
    )
    assert five["log10_flop"] == pytest.approx(direct.log10_compute_for_error(0.05), rel=1e-12)
    # The paper's headline: ImageNet at 5% error needs ~1e28 FLOP.
    assert 27 <= five["log10_flop"] <= 29
    # Authors' conversion: $1 per 6.874e16 FLOP.
    assert five["usd"] == pytest.approx(five["flop"] / 6.874e16)


def test_theory_numbers_come_from_the_simulator(report):
    results = json.loads((report / "results.json").read_text())
    table = results["theory"]["double_descent"]["table"]
    for p, exact in zip(table["p"], table["excess_risk_exact"]):
        n = results["theory"]["double_descent"]["n"]
        # Belkin, Hsu and Xu (2019) finite-sample expectation, sigma = signal = 1.
        closed = p / (n - p - 1) if p < n else (1 - n / p) + n / (p - n - 1)
        assert exact == pytest.approx(closed, rel=1e-12)


def test_same_seed_same_numbers(report, tmp_path):
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--seed", "7", "--no-progress"]) == 0
    first = json.loads((report / "results.json").read_text())
    second = json.loads((tmp_path / "results.json").read_text())
    first.pop("seconds"), second.pop("seconds")
    assert first == second


def test_trend_section_with_an_epoch_table(shared_data, tmp_path):
    epoch = shared_data / "epoch" / "all_ml_systems.csv"
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--epoch-csv", str(epoch), "--no-progress"]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    modern = results["trend"]["eras"][-1]
    # Sevilla et al. (2022): training compute doubles about every 6 months since 2010.
    assert 4 <= modern["doubling_months"] <= 8
    assert "The compute trend" in (tmp_path / "report.md").read_text()


def test_paper_data_reproduces_the_published_r_squared_range(shared_data, tmp_path):
    data = shared_data / "computerprogress" / "regression_subset_2021.csv"
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--data", str(data), "--no-progress"]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    r2 = {r["benchmark"]: r["rsquared"] for r in results["regressions"] if r["model"] == "polynomial"}
    assert r2["mscoco"] == pytest.approx(0.29, abs=0.01) and r2["squad1_1"] == pytest.approx(0.68, abs=0.01)
    assert r2["wmt2014_en_de"] < 0.05


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--seed", "-1"], "seed"),
        (["--threads", "0"], "threads"),
        (["--epoch-csv", "/no/such/file.csv"], "--epoch-csv"),
    ],
)
def test_bad_arguments_are_named(tmp_path, capsys, extra, message):
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--no-progress", *extra]) == 2
    assert message in capsys.readouterr().err


def test_data_without_the_needed_columns_is_named(tmp_path, capsys):
    table = tmp_path / "table.csv"
    table.write_text("model,year\nA,2020\n")
    assert main(["reproduce", "--quick", "--out", str(tmp_path), "--data", str(table), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "table.csv" in err and "hardware_burden_flop" in err
