"""Regression tests for the contract violations the fuzz tests found (one test per finding, its reproducer)."""

import csv
import io
import warnings

import numpy as np
import pandas as pd
import pytest

from computelimits import datasets, exceptions, fit, flops, hardware, simulate
from computelimits.simulate import closed_forms


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_jackknife_of_a_leverage_one_point_warns(backend):
    # x = [0, 0, 0, 1]: the last point alone fixes the slope; without it the fit is undetermined.
    result = fit.ols([0.0, 0.0, 0.0, 1.0], [1.0, 2.0, 3.0, 5.0])
    with pytest.warns(exceptions.LeaveOneOutWarning, match="point 3 has leverage 1"):
        rows = fit.jackknife_coefficients(result, backend)
    # the other rows refit by hand: intercept = mean of the remaining y at x = 0, slope = 5 - intercept
    assert np.all(np.isnan(rows[3])) and np.allclose(rows[:3], [[2.5, 2.5], [2.0, 3.0], [1.5, 3.5]])


def test_jackknife_checks_its_arguments():
    result = fit.ols([0.0, 1.0, 2.0, 4.0], [1.0, 2.0, 3.5, 5.0])
    with pytest.raises(ValueError, match="backend"):
        fit.jackknife_coefficients(result, "fortran")
    with pytest.raises(TypeError, match="fit must be an OLSResult"):
        fit.jackknife_coefficients({"params": [1.0, 2.0]})


def test_real_arguments_beyond_float64_name_the_argument():
    # check_real converted with float() and let "int too large to convert to float" escape unnamed
    with pytest.raises(OverflowError, match=r"quantile is beyond float64's range .* got 10\^400.0"):
        fit.fieller_ratio(0.0, 0.0, 0.0, 0.0, 0.0, 10**400)


@pytest.mark.parametrize("function, name", [(fit.usd_for_flop, "flop"), (fit.nyc_months, "co2_tonnes")])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, [1.0, float("nan")], "1e20"])
def test_cost_conversions_refuse_what_is_not_an_amount(function, name, value):
    # they returned NaN (or a negative cost) silently
    with pytest.raises((ValueError, TypeError), match=name):
        function(value)
    expected = [1.0, 0.0] if function is fit.usd_for_flop else [6.874e16 / (56.5e6 / 12), 0.0]
    assert function([6.874e16, 0.0]).tolist() == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_ols_errors_from_the_core_name_x(backend):
    # "design column 0 is all zero" named no argument of ols(X, y)
    with pytest.raises(ValueError, match=r"^X: design column 0 is all zero \(the design is X\)"):
        fit.ols([0.0, 0.0, 0.0], [1.0, 2.0, 3.0], intercept=False, backend=backend)
    with pytest.raises(ValueError, match=r"^X: design is rank deficient .*\(the design is \[1, X\]"):
        fit.ols([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 8.0]], [1.0, 2.0, 3.0, 5.0], backend=backend)


def test_fieller_ratio_does_not_overflow_its_squares():
    # D = 1e160 made D^2 = inf and the interval NaN
    assert tuple(fit.fieller_ratio(0.0, 1e160, 0.0, 0.0, 0.0, 1.0)) == (0.0, 0.0, "bounded")
    # the set does not change when N, D and the standard errors are scaled together (exactly, by 2^500)
    scale = 2.0**500
    plain = fit.fieller_ratio(2.0, 4.0, 0.01, 0.04, 0.001, 1.96)
    assert (
        fit.fieller_ratio(2.0 * scale, 4.0 * scale, 0.01 * scale**2, 0.04 * scale**2, 0.001 * scale**2, 1.96) == plain
    )
    assert (
        fit.fieller_ratio(2.0 / scale, 4.0 / scale, 0.01 / scale**2, 0.04 / scale**2, 0.001 / scale**2, 1.96) == plain
    )
    # ends beyond float64 are refused, not returned as inf or NaN
    with pytest.raises(OverflowError, match="numerator / denominator"):
        fit.fieller_ratio(1e300, 1e-300, 0.0, 0.0, 0.0, 1.96)


def test_chow_test_checks_its_arguments():
    # lists raised "'<' not supported between instances of 'list' and 'float'"; a side with too
    # few points raised ols' "y needs more observations than parameters", about neither t nor the break
    t = [2000.0, 2001.0, 2002.0, 2003.0, 2004.0, 2005.0, 2006.0]
    y = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0]
    assert fit.chow_test(t, y, 2003.5) == fit.chow_test(np.array(t), np.array(y), 2003.5)
    with pytest.raises(ValueError, match=r"t before break_year=2001.5 needs at least 3 points, got 2"):
        fit.chow_test(t, y, 2001.5)
    with pytest.raises(ValueError, match="t and y must have the same length"):
        fit.chow_test(t, y[:-1], 2003.5)
    with pytest.raises(TypeError, match="y must hold real numbers"):
        fit.chow_test(t, ["1"] * 7, 2003.5)
    with pytest.raises(ValueError, match="break_year must be finite"):
        fit.chow_test(t, y, float("nan"))


def test_doubling_time_with_too_few_dates_names_dates():
    # no dates with estimate_break=True reached numpy: "non-broadcastable output operand ..."
    with pytest.raises(ValueError, match="dates needs at least 3 points, got 0"):
        fit.doubling_time([], [], estimate_break=True, n_resamples=10, seed=1)


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_nan_results_come_with_a_named_warning(backend):
    # one resample: the standard error (ddof=1) was NaN without a word
    with pytest.warns(Warning, match="standard error is undefined") as caught:
        result = fit.bootstrap_ols([0.0, 1.0, 3.0], [0.0, 1.0, 2.0], 1, method="percentile", seed=0, backend=backend)
    assert np.isnan(result.standard_error).all()
    assert {type(w.message).__name__ for w in caught} == {"DegenerateDataWarning"}
    # a bootstrap-t distribution with infinite T* and an infinite jackknife spread gave numpy's bare
    # "invalid value encountered in subtract" RuntimeWarnings besides the named one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.bootstrap([0.0, 1.0], "mean", 1, "studentized", 0.95, 7, 1, backend)
        fit.bootstrap_ols(np.array([0, 0, 0, 1]), np.array([0, 2, 0, 1]), 1, "pairs", "bca", 0.95, 0, 1, backend)
    assert caught and {type(w.message).__name__ for w in caught} == {"DegenerateDataWarning"}


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("scale", [2.0**520, 1e160, 2.0**-560, 1e-170])
def test_bootstrap_follows_the_scale_of_y(backend, scale):
    # y x 1e160: standard errors were inf and BCa intervals NaN; y x 1e-170: standard errors were 0
    x = np.linspace(1.0, 5.0, 20)
    y = 2.0 - 0.5 * x + np.sin(7.0 * x)
    exact = scale in (2.0**520, 2.0**-560)  # powers of two scale every operation exactly
    for method in ("percentile", "bca"):
        base = fit.bootstrap_ols(x, y, 200, method=method, seed=1, backend=backend)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", exceptions.FloatRangeWarning)  # ssr, cov_params of the fit itself
            scaled = fit.bootstrap_ols(x, y * scale, 200, method=method, seed=1, backend=backend)
        for got, want in [
            (scaled.confidence_interval.low[:2] / scale, base.confidence_interval.low[:2]),
            (scaled.confidence_interval.high[:2] / scale, base.confidence_interval.high[:2]),
            (scaled.standard_error[:2] / scale, base.standard_error[:2]),
            (scaled.confidence_interval.low[2], base.confidence_interval.low[2]),  # R^2 is scale-free
        ]:
            np.testing.assert_allclose(got, want, rtol=0 if exact else 4e-15)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scaled = fit.bootstrap_ols(x, y * scale, 100, method="studentized", seed=1, backend=backend)
    # the reason, beside the fit's own ssr/cov_params range warning and the NaN endpoint's
    assert any("bootstrap-t needs the covariance" in str(w.message) for w in caught)
    assert {type(w.message).__name__ for w in caught} <= {"FloatRangeWarning", "DegenerateDataWarning"}
    assert np.isnan(scaled.confidence_interval.low[:2]).all()


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_mean_near_the_float64_limit(backend):
    # the mean, the centring and the BCa jackknife summed 1.6e308s to inf; basic's 2 t overflowed
    values = [1.7e308, 1.6e308, 1.5e308, 1.65e308]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in ("percentile", "basic", "bca"):
            result = fit.bootstrap(values, "mean", 200, method, seed=1, backend=backend)
            assert result.estimate == pytest.approx(1.6125e308, rel=1e-15)
            low, high = result.confidence_interval.low, result.confidence_interval.high
            assert 1.5e308 <= low < result.estimate < high <= 1.7e308, (method, low, high)
    # only the intercept-only fit's own statistics (ssr, cov_params) are out of range, and say so
    assert {type(w.message).__name__ for w in caught} == {"FloatRangeWarning"}


@pytest.mark.parametrize("models", [None, 3, ()])
def test_project_names_models(models):
    # None and 3 raised "'NoneType' object is not iterable"; () returned a projection with no rows
    with pytest.raises((TypeError, ValueError), match="models must"):
        fit.project([1e18, 1e19, 1e20, 1e21], [0.4, 0.3, 0.25, 0.2], 0.1, models, n_resamples=20, seed=1)


def test_hardware_estimate_with_an_absurd_count_is_not_zero():
    # count x peak x utilization overflowed to inf, so time, hours, cost and energy came out 0
    result = hardware.estimate(1e20, "V100", count=1e300, utilization=0.5, precision="fp32")
    assert result.wall_seconds == pytest.approx(1e20 / 15.7e12 / 0.5 / 1e300, rel=1e-12)
    assert result.processor_hours == pytest.approx(1e20 / 15.7e12 / 0.5 / 3600, rel=1e-12)


def test_hardware_overflow_names_what_overflowed():
    # the message blamed flop whatever overflowed
    with pytest.raises(OverflowError, match=r"cost_usd overflows float64 .*usd_per_hour"):
        hardware.estimate(1e60, "V100", usd_per_hour=1e300)
    with pytest.raises(OverflowError, match=r"^flop is beyond float64's range"):
        hardware.estimate(10**5000, "V100")  # str() of a 5000-digit int raised an unnamed ValueError


@pytest.mark.parametrize(
    "peak, message",
    [
        (None, "peak_flops must be a mapping"),
        (1e14, "peak_flops must be a mapping"),
        ({"fp32": 10**400}, r"peak_flops\['fp32'\] must be a finite number"),
    ],
)
def test_processor_checks_peak_flops(peak, message):
    # None or a number raised "'NoneType' object is not iterable"; 10**400 "int too large to convert to float"
    with pytest.raises((TypeError, ValueError), match=message):
        hardware.Processor("Fuzz X1", "Fuzz", "gpu", 2020, peak, None, None, "fuzz test")


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_ols_exact_fit_says_why_t_is_infinite(backend):
    # y = x exactly: bse 0 and tvalues inf without a word (statsmodels gives the same numbers)
    with pytest.warns(exceptions.ExactFitWarning, match="fitted exactly"):
        result = fit.ols([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], intercept=False, backend=backend)
    assert result.params.tolist() == [1.0] and result.bse.tolist() == [0.0] and np.isinf(result.tvalues[0])


def test_loaders_report_bad_encoding_and_empty_headers_as_format_errors(tmp_path):
    # bytes that are not UTF-8 raised a bare UnicodeDecodeError; a blank first line an IndexError
    for content, fragment in [(b"\x80abc\n1,2\n", "not UTF-8 text"), (b"\n\x00", "header line names no column")]:
        path = tmp_path / "data.csv"
        path.write_bytes(content)
        for loader in (datasets.load_epoch, datasets.load_computerprogress, datasets.load_csv):
            with pytest.raises(datasets.DataFormatError, match=fragment) as info:
                loader(path)
            assert info.value.path == str(path)


def test_loaders_refuse_unit_conversions_that_overflow(tmp_path):
    # 1e306 hours x 3600 and 1e300 GFLOP x 1e9 were stored as inf
    epoch = tmp_path / "epoch.csv"
    epoch.write_text("Model,Publication date,Training time (hours)\nm,2020-01-01,1e306\n", encoding="utf-8")
    with pytest.raises(datasets.DataFormatError, match=r"Training time \(hours\).*overflows float64"):
        datasets.load_epoch(epoch)
    progress = tmp_path / "progress.csv"
    progress.write_text(
        "benchmark,year,model,hardware_burden_gflop,accuracy\nimagenet,2019,m,1e300,0.8\n", encoding="utf-8"
    )
    with pytest.raises(datasets.DataFormatError, match=r"hardware_burden_gflop.*overflows float64"):
        datasets.load_computerprogress(progress)
    frame = pd.DataFrame({"Compute": ["1e300"]})
    with pytest.raises(datasets.DataFormatError, match="overflows float64"):
        datasets.load_csv(frame, {"Compute": "hardware_burden_flop"}, scale={"hardware_burden_flop": 1e9})


@pytest.mark.parametrize(
    "arguments, error, fragment",
    [
        ({"columns": 5}, TypeError, "columns must be a mapping"),
        (
            {"scale": {"hardware_burden_flop": float("nan")}},
            ValueError,
            r"scale\['hardware_burden_flop'\] must be finite",
        ),
        ({"scale": {"hardware_burden_flop": "1e9"}}, TypeError, r"scale\['hardware_burden_flop'\] must be a real"),
        ({"benchmark": float("inf")}, TypeError, "benchmark must be a benchmark name"),
        ({"benchmark": [1]}, TypeError, "benchmark must be a benchmark name"),
    ],
)
def test_load_csv_checks_its_arguments(arguments, error, fragment):
    # columns=5 raised "'int' object is not iterable"; a NaN scale or an inf benchmark filled the frame
    with pytest.raises(error, match=fragment):
        datasets.load_csv(pd.DataFrame({"Acc": ["0.5"]}), **arguments)


@pytest.mark.parametrize("label", [b"V100", [1], 1j])
def test_match_processor_names_text(label):
    # "a bytes-like object is required", "unhashable type: 'list'", "'complex' object has no attribute 'strip'"
    with pytest.raises(TypeError, match="text must be a hardware label"):
        datasets.match_processor(label)


def test_parse_papers_refuses_derived_figures_that_overflow():
    # a forward_macs of 1e300 made network_computation_flop inf
    rows = list(csv.reader(datasets._papers._read_text().splitlines()))
    column = rows[0].index("forward_macs")
    line = next(i for i, row in enumerate(rows[1:], 1) if row[column] and row[rows[0].index("epochs")])
    rows[line][column] = "1e300"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with pytest.raises(datasets.DataFormatError, match="overflows float64"):
        datasets.parse_papers(buffer.getvalue())


def test_fit_errors_from_ols_name_the_callers_arguments():
    # bootstrap_ols(x, y) and chow_test(t, y) passed on ols' "X: ..." messages
    with pytest.raises(ValueError, match=r"^x and y: X: coefficient 1 .* below float64's normal range"):
        fit.bootstrap_ols([0.0, 0.0, 1.0, 1e160], [0, 0, 3, 1], 10, seed=0)
    t = [2000.0, 2001.0, 2002.0, 2003.0, 2004.0, 2005.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", exceptions.FloatRangeWarning)  # a side's fit: ssr beyond float64
        with pytest.raises(OverflowError, match=r"^t and y: X: coefficient 0 .* overflows float64"):
            fit.chow_test(t, [1e308, -1e308, 1e308, -1e308, 1e308, -1e308], 2002.5)
    # dates=None raised "too many indices for array: array is 0-dimensional"
    with pytest.raises(TypeError, match="dates must hold real numbers"):
        fit.doubling_time(None, [])


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_jackknife_at_the_float64_limit_says_so(backend):
    # leave-one-out coefficients overflowed to +-inf without a word
    with pytest.warns(exceptions.FloatRangeWarning, match="ssr"):
        result = fit.ols([0.0, 0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 0.0, 0.0, 1.7e308])
    with pytest.warns(exceptions.FloatRangeWarning, match="leave-one-out"):
        rows = fit.jackknife_coefficients(result, backend)
    assert np.isinf(rows).any()


def test_simulate_one_replicate_says_its_spread_is_undefined():
    # reps=1 gave NaN standard errors and confidence intervals without a word
    with pytest.warns(exceptions.OneReplicateWarning, match="reps=1"):
        result = simulate.paper_experiment(reps=1, sizes=[20], p=12, k=1, expert_k=1, seed=0, threads=1, progress=False)
    assert np.isnan(result.to_frame()["performance_se"]).all()


def test_closed_forms_scalar_arguments_and_small_penalties():
    # a list where a number belongs raised "only 0-dimensional arrays can be converted to Python scalars"
    with pytest.raises(TypeError, match="gamma must be a number"):
        closed_forms.marchenko_pastur_stieltjes(-1.0, [1.0])
    with pytest.raises(TypeError, match="signal must be a number"):
        closed_forms.min_norm_risk_limit(2.0, [1.0, 2.0], 1.0)
    # m(z) as 2 / (b + root): z = -1e-300 divided by z * z = 0 (ZeroDivisionError); the old
    # form lost digits to cancellation near 0
    m, dm = closed_forms.marchenko_pastur_stieltjes(-1e-300, 0.5)
    assert (m, dm) == (pytest.approx(2.0, rel=1e-15), pytest.approx(8.0, rel=1e-12))  # 1/(1-g), 1/(1-g)^3
    with pytest.raises(OverflowError, match=r"ridge_lambda=1e-300 with gamma=1\.0"):
        closed_forms.ridge_risk_limit(1.0, 1e-300, 1e300, 0.0)
    # a zero singular value with lambda = 0 gave 0/0 RuntimeWarnings; its limit is bias ||v'beta||^2, no variance
    assert closed_forms.ridge_conditional_risk([[0.0]], [2.0], 0.0, 1.0) == 4.0


def test_marchenko_pastur_transform_against_its_integral():
    # m(z) = int dF(s) / (s - z) over the MP density (gamma < 1), by quadrature (scipy)
    from scipy import integrate

    gamma, z = 0.4, -0.7
    low, high = (1 - gamma**0.5) ** 2, (1 + gamma**0.5) ** 2

    def density(s):
        return ((high - s) * (s - low)) ** 0.5 / (2 * np.pi * gamma * s)

    expected = integrate.quad(lambda s: density(s) / (s - z), low, high)[0]
    derivative = integrate.quad(lambda s: density(s) / (s - z) ** 2, low, high)[0]
    m, dm = closed_forms.marchenko_pastur_stieltjes(z, gamma)
    assert m == pytest.approx(expected, rel=1e-9) and dm == pytest.approx(derivative, rel=1e-9)


@pytest.mark.parametrize(
    "config, fragment",
    [
        # 2**40 layers built a graph for hours (gigabytes of nodes) instead of refusing
        ({"model_type": "llama", "num_hidden_layers": 2**40}, "'num_hidden_layers'=1099511627776 exceeds 10000 layers"),
        # a zero sparse step raised "integer modulo by zero"
        (
            {"model_type": "qwen2_moe", "decoder_sparse_step": 0},
            r"'decoder_sparse_step' must be an integer in \[1, 2\^62\)",
        ),
        # a rotary part above 1 named MultiheadAttention.rotary_dim
        ({"model_type": "gpt_neox", "partial_rotary_factor": 2.0}, r"'partial_rotary_factor' must be in \[0.0, 1.0\]"),
        # sizes out of range named Embedding.embedding_dim or Graph.inputs['pixel_values']
        ({"model_type": "gpt_neox", "hidden_size": 2**63}, r"'hidden_size' must be an integer in \[1, 2\^62\)"),
        ({"model_type": "vit", "num_channels": 0}, r"'num_channels' must be an integer in \[1, 2\^62\)"),
        ({"model_type": "bert", "type_vocab_size": 0}, r"'type_vocab_size' must be an integer in \[1, 2\^62\)"),
    ],
)
def test_from_hf_config_names_the_config_key(config, fragment):
    with pytest.raises(ValueError, match=fragment):
        flops.from_hf_config(config, seq_len=None if config["model_type"] == "vit" else 4)


@pytest.mark.parametrize(
    "config",
    [
        {"model_type": "llama", "head_dim": ""},  # "can't multiply sequence by non-int of type 'float'"
        {"model_type": "phi3", "num_key_value_heads": ""},  # named MultiheadAttention.num_kv_heads
        {"model_type": "mixtral", "sliding_window": "0"},  # named MultiheadAttention.window
        {"model_type": "llama", "hidden_size": None},  # "'NoneType' object cannot be interpreted as an integer"
    ],
)
def test_from_hf_config_type_errors_name_the_key(config):
    key = next(k for k in config if k != "model_type")
    with pytest.raises(TypeError, match=f"config key '{key}' must be of type int"):
        flops.from_hf_config(config, seq_len=4)


def test_from_hf_config_overflow_names_seq_len_and_inference_names_its_tokens():
    # the int64 overflow of a layer count named only the layer
    with pytest.raises(OverflowError, match=r"^gemma config with seq_len=1099511627776: layer "):
        flops.from_hf_config({"model_type": "gemma", "num_hidden_layers": 1}, seq_len=2**40)
    # prompt_tokens = 2^62 was reported as Graph.inputs['input_ids']
    with pytest.raises(
        ValueError, match=r"prompt_tokens \+ generated_tokens = 4611686018427387904 must be below 2\^62"
    ):
        flops.inference_flops({"model_type": "llama", "num_hidden_layers": 1}, 2**62, 0)


@pytest.mark.parametrize("source, error", [("", ValueError), ("  ", ValueError), (5, TypeError), (None, TypeError)])
def test_load_model_names_source(source, error):
    # "" read the current directory (IsADirectoryError); 5 opened file descriptor 5
    with pytest.raises(error, match="source must be JSON text or a file path"):
        flops.load_model(source)


def test_simulate_scale_and_rounding_findings():
    # simulate.ols passed on "design column 0 is all zero", naming no argument
    with pytest.raises(ValueError, match=r"^X: design column 0 is all zero"):
        simulate.ols([[0.0], [0.0]], [0.0, 0.0])
    # ||P_null beta||^2 came out -2.2e-16 by rounding: a negative risk
    assert closed_forms.ridge_conditional_risk([[0, 1, 0], [1, 0, 0], [0, 0, 0]], [0, 0, 1], 1e-300, 0.0) >= 0.0
    # replicate means of 1e161 overflowed the SE's squares: SE inf, CI (-inf, inf) with a bare RuntimeWarning
    _, se = simulate._results.mean_se(np.array([[4.45340616e156], [6.90253081e161]]))
    assert np.isfinite(se).all() and se[0] == pytest.approx(
        np.std([4.45340616e-5, 6.90253081], ddof=1) * 1e161 / 2**0.5
    )


def test_scaling_law_predictions_name_their_arguments():
    # predict({...}, ...) raised "float() argument must be ... not 'dict'", unequal lengths numpy's
    # broadcast message, and compute_for_loss(['x']) "could not convert string to float"
    params = np.logspace(7, 10, 8)
    tokens = params * np.linspace(200.0, 20.0, 8)
    loss = 1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28
    grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    result = fit.scaling_law(params, tokens, loss, grid=grid, progress=False)
    with pytest.raises(TypeError, match=r"^params must hold real numbers"):
        result.predict({"a": 1}, [1e9])
    with pytest.raises(
        ValueError, match=r"^params and tokens must broadcast to one shape, got shapes \(2,\) and \(3,\)"
    ):
        result.predict([1e9, 2e9], [1e10, 2e10, 3e10])
    with pytest.raises(TypeError, match=r"^target_loss must hold real numbers"):
        result.compute_for_loss(["x"])
    # the formula itself, at a point of the fit: L = E + A / N^alpha + B / D^beta
    want = result.E + result.A / 1e9**result.alpha + result.B / 2e10**result.beta
    assert result.predict(1e9, 2e10) == pytest.approx(want, rel=1e-12)
