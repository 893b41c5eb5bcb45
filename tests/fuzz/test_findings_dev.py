"""Regression tests for contract violations found by the long fuzz profile (HYPOTHESIS_PROFILE=dev).

Each test replays one falsifying example in plain form: bad input must raise an error naming the
argument, and results must not arrive with bare numpy RuntimeWarnings or silent overflow.
"""

import csv
import io
import warnings

import numpy as np
import pytest

from computelimits import datasets, exceptions, fit, flops, simulate
from computelimits.fit import _scaling_law_twin
from computelimits.simulate import closed_forms


def _bare(caught):
    return [str(w.message) for w in caught if w.category is RuntimeWarning]


def test_parse_papers_names_a_training_time_too_large_for_seconds():
    # training_hours = 1e306 made hours x 3600 = inf and hardware_burden's "seconds must be finite"
    rows = list(csv.reader(datasets._papers._read_text().splitlines()))
    hours, hardware = rows[0].index("training_hours"), rows[0].index("hardware")
    line = next(i for i, row in enumerate(rows[1:], 1) if row[hours] and row[hardware])
    rows[line][hours] = "1e306"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    with pytest.raises(datasets.DataFormatError, match="training_hours"):
        datasets.parse_papers(buffer.getvalue())


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_bootstrap_near_float64_limit_warns_by_name(backend):
    # recentring residuals near 1.7e308 overflowed with numpy's bare "overflow encountered in subtract"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.bootstrap_ols([0.0, 1.0, -1.0, 0.0], [0, 0, 0, 1.7e308], 3, "residual_hc3", seed=0, backend=backend)
        fitted = fit.ols([1e300, 0.0, -1e300], [0.0, 1.7e308, 1.7e308], backend=backend)
    assert not _bare(caught)
    assert any(w.category is exceptions.FloatRangeWarning and "fittedvalues" in str(w.message) for w in caught)
    assert not np.all(np.isfinite(fitted.fittedvalues))


def test_bootstrap_mean_errors_name_data():
    # the intercept-only fit's "X: coefficient 0 ... below float64's normal range" named no argument of the call
    with pytest.raises(ValueError, match=r"^data: X: coefficient 0 .* below float64's normal range"):
        fit.bootstrap([0.0, 5e-324], "mean", 1, "percentile")


@pytest.mark.parametrize(
    "config, fragment",
    [
        ({"model_type": "roberta", "pad_token_id": None}, "'pad_token_id' must be an integer"),
        ({"model_type": "mixtral", "sliding_window": 2**63}, r"'sliding_window' must be an integer in \[0, 2\^62\)"),
        ({"model_type": "mistral", "sliding_window": -1}, "'sliding_window'"),
    ],
)
def test_from_hf_config_nullable_keys_are_checked(config, fragment):
    with pytest.raises(ValueError, match=fragment):
        flops.from_hf_config(config, seq_len=8)


def test_from_hf_config_sliding_window_zero_means_none():
    # transformers reads a falsy sliding_window as "no window": the counts must equal None's
    zero = flops.count(flops.from_hf_config({"model_type": "mistral", "sliding_window": 0}, seq_len=64))
    absent = flops.count(flops.from_hf_config({"model_type": "mistral", "sliding_window": None}, seq_len=64))
    assert zero.macs == absent.macs and zero.flops == absent.flops


def test_scaling_law_twin_with_a_huge_delta():
    # the twin's Huber evaluated delta (|r| - delta / 2) everywhere: overflow warnings at delta = 1e160
    params = np.geomspace(1e7, 1e10, 6)
    tokens = 20.0 * params
    loss = 1.7 + 400.0 / params**0.34 + 410.0 / tokens**0.28
    grid = {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit.scaling_law(params, tokens, loss, delta=1e160, grid=grid, backend="numpy")
        theta = np.array([5.0, 5.0, 0.5, 0.3, 0.3])
        logs = (np.log(params), np.log(tokens), np.log(loss))
        value, _ = _scaling_law_twin.objective(theta, *logs, 1e160)
    assert not _bare(caught)
    # delta beyond every residual: the Huber loss is half the sum of squared log residuals
    predicted = np.log(np.exp(5.0) / params**0.3 + np.exp(5.0) / tokens**0.3 + np.exp(0.5))
    assert value == pytest.approx(0.5 * np.sum((np.log(loss) - predicted) ** 2), rel=1e-12)


def test_closed_forms_overflow_only_where_the_branch_is_used():
    # n = 2^63, p = 1 selects sigma^2 p / (n - p - 1) = 0; the unused branch overflowed with a bare warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert closed_forms.min_norm_risk(2**63, 1, 1e300, 0.0) == 0.0
        assert np.isinf(closed_forms.min_norm_risk(10, [9, 10, 11], 1.0, 1.0)).all()
    assert not _bare(caught)
    with pytest.raises(OverflowError, match="sigma=1e"):  # a used branch beyond float64 says so: 10 sigma^2
        closed_forms.min_norm_risk(10, 12, 1.0, 1e154)
    with pytest.raises(OverflowError, match="sigma=1e"):
        closed_forms.lasso_rate(1, 1e10, 1e10, 1e150)


def test_sgd_scaling_refuses_a_noise_scale_that_overflows():
    # sigma = 1.7e308 reached the core, which said "min_norm: y must contain only finite values"
    with pytest.raises(ValueError, match="sigma must be <= 1e"):
        simulate.sgd_scaling([4], p=10, k=1, sigma=1.7e308, reps=2, epochs=1, batch_size=1)
