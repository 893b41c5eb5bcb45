"""``computelimits reproduce --quick`` end to end: sections, figures and numbers against the engines."""

import json

import numpy as np
import pytest

from computelimits import datasets, fit, hardware
from computelimits.cli import main

from .checks import bad_tokens as _bad_tokens


def test_report_has_every_section_and_figure(report):
    markdown = (report / "report.md").read_text()
    for title in (
        "What canonical models cost to train",
        "Theory: compute must grow faster than data",
        "Error against compute, per benchmark",
        "What the target errors would cost",
        "The compute trend",
    ):
        assert title in markdown
    page = (report / "report.html").read_text()
    assert page.count("<section id=") == 5 and '<table class="sortable"' in page
    # Without --epoch-csv the trend section holds the published contrast only.
    assert "needs --epoch-csv" in markdown and "3.4" in markdown
    for figure in ("theory_paper.png", "theory_double_descent.png", "fit_imagenet.png", "projections.png"):
        path = report / "figures" / figure
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"figures/{figure}" in markdown


def test_compute_table_matches_the_flop_engine(report):
    results = json.loads((report / "results.json").read_text())
    rows = {row["label"]: row for row in results["compute_table"]}
    # Exact figures the peer tools agree on (docs/flops.md), not recomputed from the report's own code.
    assert rows["AlexNet"]["forward_macs"] == 714_188_480 and rows["AlexNet"]["params"] == 61_100_840
    assert rows["ResNet-50"]["forward_macs"] == 4_089_184_256
    # GPT-3: Brown et al. Table D.1, 3.14e23 FLOP.
    assert rows["GPT-3 175B"]["training_flop"] == pytest.approx(3.14e23, rel=0.01)
    # AlexNet: training FLOP / (2 GTX 580 x peak x 5.5 days) is the implied utilization.
    peak = hardware.get_processor("GTX 580").peak("fp32")
    expected = rows["AlexNet"]["training_flop"] / (2 * peak * 5.5 * 86400)
    assert rows["AlexNet"]["implied_utilization"] == pytest.approx(expected)
    # A cell the data leave empty says why in words, never "n/a".
    markdown = (report / "report.md").read_text()
    table = markdown[markdown.index("What canonical models cost to train") : markdown.index("Sources:")]
    assert "n/a" not in table
    assert ("no cloud price" in table) == any(row["original_usd"] is None for row in rows.values())
    assert ("not published" in table) == any(row["reported_seconds"] is None for row in rows.values())


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
    assert five["status"] == "ok" and row["status"] == "ok"
    assert row["halving_multiplier"] == pytest.approx(2 ** (-1 / direct.slope), rel=1e-12)


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


def test_trend_section_with_an_epoch_table(epoch_report, shared_data):
    results = json.loads((epoch_report / "results.json").read_text())
    modern = results["trend"]["eras"][-1]
    # Sevilla et al. (2022): training compute doubles about every 6 months since 2010.
    assert 4 <= modern["doubling_months"] <= 8 and modern["status"] == "ok"
    assert modern["analytic_low"] < modern["doubling_months"] < modern["analytic_high"]
    assert results["trend"]["chow"][0]["p_value"] < 1e-6
    assert 2005 <= results["trend"]["estimated_break"]["break_estimate"]["year"] <= 2015
    markdown = (epoch_report / "report.md").read_text()
    assert "The compute trend" in markdown and "Chow test" in markdown and "before 2010" in markdown
    # The report names the table the user gave, not the folders of the machine it ran on.
    assert "from all_ml_systems.csv" in markdown and str(shared_data) not in markdown


def test_openai_against_epoch_contrast(epoch_report):
    rows = {r["label"]: r for r in json.loads((epoch_report / "results.json").read_text())["trend"]["contrast"]}
    records = rows["OpenAI, largest runs (record setters)"]
    # Amodei and Hernandez (2018): 3.4 months over 2012-2018, from the record-setting runs.
    assert records["published_months"] == 3.4 and records["status"] == "ok"
    assert records["low"] <= 3.4 <= records["high"]
    # Sevilla et al. (2022): about 6 months since 2010, over all systems.
    epoch = rows["Epoch AI, deep-learning era"]
    assert 5.0 <= epoch["months"] <= 7.5 and epoch["low"] < epoch["months"] < epoch["high"]
    # All systems of 2012-2018 double more slowly than the record setters.
    assert rows["same window, all systems"]["months"] > records["months"]


def test_the_token_check_is_precise():
    assert _bad_tokens("$nan, [nan, nan], -inf, Infinity, inf.") == ["Infinity", "inf", "nan"]
    assert _bad_tokens("two-sided infinite; information; finance; nano; nanny") == []


@pytest.mark.parametrize("which", ["report", "epoch_report"])
def test_no_nan_inf_or_absurd_numbers_anywhere(which, request):
    out = request.getfixturevalue(which)
    for name in ("report.md", "report.html", "results.json"):
        text = (out / name).read_text()
        assert _bad_tokens(text) == [], name
        assert "$nan" not in text.lower()
    results = json.loads((out / "results.json").read_text())
    json.dumps(results, allow_nan=False)
    for fit_row in results["regressions"]:
        # A multiplier is given only when the slope is determined: no 7.67e+137x.
        if fit_row["status"] != "ok":
            assert fit_row["halving_multiplier"] is None
        else:
            assert 1 < fit_row["halving_multiplier"] < 1e15
    for row in results["projections"]:
        if row["status"] != "ok":
            assert row["flop"] is None and row["usd"] is None
    markdown = (out / "report.md").read_text()
    assert "undetermined: the slope is not significant" in markdown


def test_theory_section_sets_the_exponents_side_by_side(report):
    results = json.loads((report / "results.json").read_text())
    exponents = results["theory"]["exponents"]
    assert exponents["paper_bound"] == 4
    frame = datasets.paper_results("imagenet")
    frame = frame[np.isfinite(frame["hardware_burden_flop"])]
    direct = fit.fit_compute_error(frame["hardware_burden_flop"], frame["error"])
    imagenet = next(r for r in exponents["benchmarks"] if r["benchmark"] == "imagenet")
    # -1/b of the hand fit; the "about 13.6" is the Computer Progress subset's (test_models_exponent).
    assert imagenet["exponent"] == pytest.approx(-1 / direct.slope, rel=1e-12)
    assert imagenet["status"] == "ok" and imagenet["exponent_low"] < 13.6 < imagenet["exponent_high"]
    for name in ("lasso", "min_norm", "sgd"):
        measured = exponents["compute_scaling"][name]["exponents"]
        assert {m["measure"] for m in measured} == {"params_x_data", "counted_flops"}
        for item in measured:
            assert item["status"] in {"ok", "slope not significant", "wrong sign"}
            assert item["root_exponent"] == pytest.approx(2 * item["exponent"])
    markdown = (report / "report.md").read_text()
    assert "The exponent of compute against 1/error" in markdown and ">= 4" in markdown


def test_theory_headline_is_the_lasso_regime_measured_by_the_engine(report):
    from computelimits import simulate
    from computelimits.report.reproduce import QUICK

    lasso = json.loads((report / "results.json").read_text())["theory"]["exponents"]["compute_scaling"]["lasso"]
    direct = simulate.compute_scaling(
        (2.0,),
        QUICK.lasso_n_values,
        estimator="lasso",
        reps=QUICK.lasso_reps,
        seed=7,
        n_resamples=QUICK.bootstrap_resamples,
    )
    np.testing.assert_allclose(lasso["error_mean"], direct.error_mean[0], rtol=1e-12)
    item = next(m for m in lasso["exponents"] if m["measure"] == "params_x_data")
    expected = direct.exponent(2.0, "params_x_data")
    assert item["status"] == "ok" and item["exponent"] == pytest.approx(expected.exponent, rel=1e-12)
    assert (item["root_low"], item["root_high"]) == pytest.approx((2 * expected.low, 2 * expected.high), rel=1e-12)
    # The error keeps falling while p = 2n grows (sparse truth, lasso), unlike the min-norm floor.
    assert np.all(np.diff(lasso["error_mean"]) < 0) and lasso["widths"] == [200, 400, 800]
    markdown = (report / "report.md").read_text()
    headline = markdown.index("The paper's regime, measured")
    assert headline < markdown.index("The contrast: no penalty, a floor")
    assert f"e_root = {2 * expected.exponent:.3g} [{2 * expected.low:.3g}, {2 * expected.high:.3g}]" in markdown


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
        (["--seed", "-1"], "argument --seed: --seed must be >= 0, got '-1'"),
        (["--seed", "1.5"], "argument --seed: --seed must be a whole number"),
        (["--threads", "0"], "argument --threads: --threads must be >= 1, got '0'"),
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


def test_singular_resamples_and_wrong_signs_render_as_words(tmp_path):
    # ImageNet: two compute values, so many pairs resamples are singular (NaN BCa ends);
    # SQuAD: error grows with compute (wrong sign).
    rows = ["benchmark,model,error,hardware_burden_flop"]
    rows += [
        f"imagenet,m{k},{e},{c}"
        for k, (e, c) in enumerate([(0.30, 1e18), (0.28, 1e18), (0.31, 1e18), (0.29, 1e18), (0.20, 1e20), (0.22, 1e20)])
    ]
    rows += [
        f"squad1_1,s{k},{e},{c}"
        for k, (e, c) in enumerate([(0.10, 1e18), (0.12, 1e19), (0.09, 1e20), (0.13, 1e21), (0.11, 1e22)])
    ]
    data = tmp_path / "data.csv"
    data.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    assert main(["reproduce", "--quick", "--out", str(out), "--data", str(data), "--no-progress"]) == 0
    for name in ("report.md", "report.html", "results.json"):
        assert _bad_tokens((out / name).read_text()) == [], name
    markdown = (out / "report.md").read_text()
    assert "undetermined: a bootstrap resample was singular" in markdown
    assert "undetermined: the fitted trend has the wrong sign" in markdown
    results = json.loads((out / "results.json").read_text())
    squad = [r for r in results["projections"] if r["benchmark"] == "squad1_1"]
    assert squad and all(r["status"] == "wrong sign" and r["flop"] is None for r in squad)
