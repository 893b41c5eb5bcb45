"""Every result class prints as a readable text block (``__str__``), keeps a one-line ``__repr__``,
renders as HTML tables in Jupyter (``_repr_html_``), and has a ``summary()`` whose repr is its text."""

import importlib
import pkgutil

import numpy as np
import pytest

import computelimits
from computelimits import fit, flops, hardware, simulate
from computelimits._display import Display, ResultDisplay, Summary, as_html, as_text


def _all_modules():
    for info in pkgutil.walk_packages(computelimits.__path__, "computelimits."):
        if (
            not info.name.startswith(("computelimits.cli", "computelimits._core"))
            and info.name != "computelimits.__main__"
        ):
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """One instance of every result class, from small real calls."""
    epoch_csv = tmp_path_factory.mktemp("epoch") / "hardware.csv"
    epoch_csv.write_text(
        "Hardware name,Manufacturer,Type,Release date,FP32 (single precision) performance (FLOP/s)\n"
        "New GPU,Acme,GPU,2024-05-01,5e13\nV100,NVIDIA,GPU,2017-06-21,1.4e13\n"
    )
    x = np.arange(10.0)
    y = 1.0 + 0.5 * x + np.array([0.1, -0.1, 0.05, 0, -0.05, 0.1, -0.1, 0, 0.05, -0.05])
    log10_compute = np.arange(18.0, 24.0)
    error = 10 ** (0.8 - 0.05 * log10_compute + np.array([0.01, -0.02, 0.015, -0.01, 0.005, 0.0]))
    model = fit.fit_compute_error(10**log10_compute, error)
    years = np.linspace(2000.0, 2020.0, 40)
    log2 = np.where(years < 2010, 0.5 * (years - 2000), 5 + 2.0 * (years - 2010)) + 0.1 * np.sin(7 * years)
    trend = fit.doubling_time(years, 2.0**log2, n_resamples=100, seed=3, estimate_break=True)
    params = np.repeat([1e8, 3e8, 1e9, 3e9], 3)
    tokens = np.tile([2e9, 2e10, 2e11], 4)
    loss = 1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28
    law = fit.scaling_law(
        params, tokens, loss, grid={"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    )
    mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "vocab_size": 100,
    }
    out = {
        "OLSResult": fit.ols(x, y),
        "BootstrapResult": fit.bootstrap_ols(x, y, n_resamples=200, seed=1),
        "ComputeErrorFit": model,
        "HalvingMultiplier": model.halving(),
        "ProjectionResult": fit.project(10**log10_compute, error, [0.05], ["polynomial"], n_resamples=100, seed=1),
        "TrendResult": trend,
        "EraTrend": trend.eras[0],
        "ChowTest": trend.chow[0],
        "BreakEstimate": trend.break_estimate,
        "ScalingLawResult": law,
        "ComputeOptimal": law.compute_optimal([1e21, 1e22]),
        "ComputeForLoss": law.compute_for_loss([2.5, 3.0]),
        "FlopReport": flops.count(mlp),
        "TrainingFlops": flops.training_flops(mlp, examples=100),
        "InferenceFlops": flops.inference_flops(config, prompt_tokens=8, generated_tokens=3),
        "SweepResult": flops.sweep_transformer([2, 4], 64, 16, 100, 4),
        "HardwareEstimate": hardware.estimate(1e21, "A100"),
        "Processor": hardware.get_processor("H100"),
        "EpochHardwareLoad": hardware.load_epoch_hardware(epoch_csv, merge=False),
    }
    rng = np.random.default_rng(0)
    design_x = rng.normal(size=(20, 5))
    design_y = design_x @ np.ones(5) + rng.normal(size=20)
    scaling = simulate.compute_scaling(n_values=(20, 40, 80), reps=3, seed=1, n_resamples=50)
    out.update(
        {
            "PaperResult": simulate.paper_experiment(4, sizes=[20, 40], p=60, seed=1),
            "DoubleDescentResult": simulate.double_descent(20, [5, 10, 40], 6, seed=1),
            "SgdScalingResult": simulate.sgd_scaling(sizes=[20, 40], p=10, reps=3, epochs=3, seed=1),
            "ComputeScalingResult": scaling,
            "ScalingExponent": scaling.exponents[0],
            "LinearFit": simulate.ols(design_x, design_y),
            "PathFit": simulate.ridge_path(design_x, design_y, [0.1, 1.0]),
            "IterativeFit": simulate.sgd(design_x, design_y, step_size=0.01, epochs=3),
            "Design": simulate.make_design(10, 3, seed=1),
        }
    )
    from computelimits.report import ReproduceResult  # built from its paths: a real run takes seconds

    folder = tmp_path_factory.mktemp("report")
    out["ReproduceResult"] = ReproduceResult(
        folder,
        folder / "report.md",
        folder / "report.html",
        folder / "results.json",
        (folder / "figures" / "a.png", folder / "figures" / "b.png"),
        {"seed": 7, "ran_on": "1 thread on this machine"},
        75.0,
    )
    return out


def test_every_result_class_is_covered(results):
    _all_modules()
    bases = {"ResultBase", "ReplicateSummary"}  # the simulate area's abstract bases
    classes = {cls.__name__ for cls in _subclasses(ResultDisplay)} - bases
    assert classes - {"EpochHardwareLoad"} <= set(results), (
        f"result classes without a display test: {classes - set(results)}"
    )


@pytest.mark.parametrize(
    "name",
    [
        "OLSResult",
        "BootstrapResult",
        "ComputeErrorFit",
        "HalvingMultiplier",
        "ProjectionResult",
        "TrendResult",
        "EraTrend",
        "ChowTest",
        "BreakEstimate",
        "ScalingLawResult",
        "ComputeOptimal",
        "ComputeForLoss",
        "FlopReport",
        "TrainingFlops",
        "InferenceFlops",
        "SweepResult",
        "HardwareEstimate",
        "Processor",
        "EpochHardwareLoad",
        "PaperResult",
        "DoubleDescentResult",
        "SgdScalingResult",
        "ComputeScalingResult",
        "ScalingExponent",
        "LinearFit",
        "PathFit",
        "IterativeFit",
        "Design",
        "ReproduceResult",
    ],
)
def test_text_html_and_summary(results, name):
    result = results[name]
    assert isinstance(result, ResultDisplay) and type(result).__name__ == name
    text = str(result)
    assert text.count("\n") >= 1, f"{name}: str() is not a block:\n{text}"
    assert "\n" not in repr(result), f"{name}: repr spans lines"
    assert sum(set(line) == {"="} for line in text.splitlines()) <= 1, f"{name}: a nested block in\n{text}"
    summary = result.summary()
    assert isinstance(summary, Summary) and isinstance(summary, str)
    assert repr(summary) == str(summary) == summary.as_text() == text
    assert "\\n" not in repr(summary)
    html = result._repr_html_()
    assert html == summary._repr_html_() == summary.as_html()
    assert html.startswith("<div") and "<table" in html and html.rstrip().endswith("</div>")


def test_ols_block_holds_the_coefficient_table(results):
    text = str(results["OLSResult"])
    lines = text.splitlines()
    assert lines[0] == "OLS regression" and set(lines[1]) == {"="}
    header = next(line for line in lines if line.startswith(" ") and "coef" in line)
    assert header.split() == ["coef", "std_err", "t", "p_value", "ci_low_0.95", "ci_high_0.95"]
    const = next(line for line in lines if line.startswith("const"))
    assert float(const.split()[1]) == pytest.approx(results["OLSResult"].params[0], rel=1e-5)


def test_long_tables_keep_their_first_and_last_rows():
    frame_rows = [(f"row{i}", i) for i in range(100)]
    from computelimits._display import frame_table

    pandas = pytest.importorskip("pandas")
    header, rows, notes = frame_table(pandas.DataFrame(frame_rows, columns=["name", "value"]))
    assert header == ("name", "value")
    assert rows[0] == ("row0", 0) and rows[-1] == ("row99", 99) and ("...", "...") in rows
    assert len(rows) == 26 and notes == ("75 of 100 rows not shown; to_frame() holds them all",)


def test_html_is_escaped_and_numbers_are_aligned():
    display = Display("a <b> & c", (("x < y", 1.5),), ("name", "value"), (("<i>", 12345678), ("j", 2.0)))
    html = as_html(display)
    assert "<b>" not in html and "&lt;b&gt;" in html and "&lt;i&gt;" in html and "x &lt; y" in html
    text = as_text(display).splitlines()
    assert text[:2] == ["a <b> & c", "========="]
    rows = [line for line in text if line.startswith(("<i>", "j "))]
    assert rows[0].endswith("12,345,678") and rows[1].endswith("2") and len(rows[0]) == len(rows[1])


def test_summary_behaves_as_text():
    summary = Summary("first\nsecond", "<p>x</p>")
    assert summary.splitlines() == ["first", "second"] and "second" in summary
    assert repr(summary) == "first\nsecond" and summary._repr_html_() == "<p>x</p>"
    plain = Summary("a & b")
    assert plain.as_html() == "<pre>a &amp; b</pre>"


def test_reproduce_result_names_its_files(results):
    result = results["ReproduceResult"]
    text = str(result)
    assert f"report (HTML)      {result.report_html}" in text and "2 in " in text
    assert text.splitlines()[-1].split() == ["took", "1.2", "min"], text
    assert repr(result) == f"ReproduceResult(out={str(result.out)!r}, figures=2, seconds=75)"
