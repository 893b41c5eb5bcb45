"""The simulate results' one replicate-summary base: settings, means, standard errors, normal
intervals and concatenation, and the old names (params, confidence) with their warnings."""

import dataclasses
import math

import numpy as np
import pytest
import scipy.stats

from computelimits import simulate
from computelimits._confidence import ConfidenceInterval
from computelimits.simulate._results import ReplicateSummary

PAPER = dict(sizes=[20, 40], p=60, seed=1)
DD = dict(n=20, p=[5, 10, 40], seed=1)
SGD = dict(sizes=[20, 40], p=10, epochs=3, seed=1)


@pytest.fixture(scope="module")
def results():
    return {
        "paper": simulate.paper_experiment(5, **PAPER),
        "double_descent": simulate.double_descent(reps=6, **DD),
        "sgd": simulate.sgd_scaling(reps=4, **SGD),
        "compute_scaling": simulate.compute_scaling(n_values=(20, 40, 80), reps=4, seed=1, n_resamples=50),
    }


def test_every_experiment_result_shares_the_base(results):
    classes = {type(result) for result in results.values()}
    assert classes == set(ReplicateSummary.__subclasses__())
    for result in results.values():
        names = {field.name for field in dataclasses.fields(result)}
        assert {"seed", "confidence_level"} <= names and "params" not in names and "confidence" not in names
        assert isinstance(result.settings, dict) and result.settings
        assert result.reps == np.shape(getattr(result, type(result).PER_REPLICATE[0]))[0]
        # the summaries are implemented once, on the base
        for method in ("mean", "standard_error", "confidence_interval", "concatenate", "reps"):
            assert method not in vars(type(result)) or (
                type(result) is simulate.ComputeScalingResult and method == "concatenate"
            )


@pytest.mark.parametrize(
    "key, array, level",
    [("paper", "performance", 0.95), ("double_descent", "min_norm_excess", 0.9), ("sgd", "distance", 0.99)],
)
def test_mean_se_and_interval_match_a_direct_computation(results, key, array, level):
    result = dataclasses.replace(results[key], confidence_level=level)
    values = getattr(result, array)
    mean = values.mean(axis=0)
    se = values.std(axis=0, ddof=1) / math.sqrt(values.shape[0])
    z = scipy.stats.norm.ppf(0.5 + level / 2)
    np.testing.assert_allclose(result.mean(array), mean, rtol=1e-15)
    np.testing.assert_allclose(result.standard_error(array), se, rtol=1e-15)
    interval = result.confidence_interval(array)
    assert isinstance(interval, ConfidenceInterval)
    low, high = interval
    np.testing.assert_allclose(low, mean - z * se, rtol=1e-12)
    np.testing.assert_allclose(high, mean + z * se, rtol=1e-12)


def test_named_summaries_are_the_base_methods(results):
    paper = results["paper"]
    np.testing.assert_array_equal(paper.performance_ci_low, paper.confidence_interval("performance").low)
    np.testing.assert_array_equal(paper.flops_se, paper.standard_error("flops"))
    low, high = paper.confidence_interval("flops")
    assert np.all(low <= paper.flops_mean) and np.all(paper.flops_mean <= high)
    dd = results["double_descent"]
    frame = dd.to_frame()
    np.testing.assert_array_equal(frame["excess_risk_ci_high"], dd.confidence_interval("min_norm_excess").high)
    sgd = results["sgd"]
    final = sgd.excess[:, :, -1]
    np.testing.assert_array_equal(sgd.to_frame()["final_excess_ci_low"], sgd.confidence_interval(final).low)
    exponent = results["compute_scaling"].exponents[0]
    low, high = exponent.confidence_interval
    assert (low, high) == (exponent.low, exponent.high)


def test_bad_summary_arguments_name_themselves(results):
    paper = results["paper"]
    with pytest.raises(ValueError, match="values must name a per-replicate array"):
        paper.mean("sizes")
    with pytest.raises(ValueError, match=r"values must have the replicates \(5\) on axis 0"):
        paper.standard_error(np.ones(3))
    with pytest.raises(ValueError, match="cannot be concatenated"):
        simulate.ComputeScalingResult.concatenate(results["compute_scaling"], results["compute_scaling"])


@pytest.mark.parametrize(
    "run, reps, kwargs",
    [
        (simulate.paper_experiment, 4, PAPER),
        (simulate.double_descent, 4, DD),
        (simulate.sgd_scaling, 4, SGD),
    ],
)
def test_concatenate_on_the_base_joins_replicate_ranges(run, reps, kwargs):
    whole = run(reps=reps, **kwargs)
    first = run(reps=2, **kwargs)
    second = run(reps=2, first_replicate=2, **kwargs)
    joined = type(whole).concatenate(first, second)
    for name in type(whole).PER_REPLICATE:
        np.testing.assert_array_equal(getattr(joined, name), getattr(whole, name))
    assert joined.reps == reps and joined.first_replicate == 0


@pytest.mark.parametrize(
    "run, reps, kwargs",
    [
        (simulate.paper_experiment, 3, PAPER),
        (simulate.double_descent, 3, DD),
        (simulate.sgd_scaling, 3, SGD),
    ],
)
def test_old_confidence_keyword_warns_and_agrees(run, reps, kwargs):
    new = run(reps=reps, confidence_level=0.9, **kwargs)
    with pytest.warns(DeprecationWarning, match=r"keyword 'confidence' is deprecated: use 'confidence_level'"):
        old = run(reps=reps, confidence=0.9, **kwargs)
    assert old.confidence_level == new.confidence_level == 0.9
    np.testing.assert_array_equal(old.to_frame().to_numpy(), new.to_frame().to_numpy())
    with pytest.raises(TypeError, match="got both 'confidence_level' and its deprecated name 'confidence'"):
        run(reps=reps, confidence=0.9, confidence_level=0.9, **kwargs)
    with pytest.raises(ValueError, match="confidence_level must be < 1"):
        run(reps=reps, confidence_level=95, **kwargs)


@pytest.mark.parametrize("key", ["paper", "double_descent", "sgd", "compute_scaling"])
def test_old_attributes_warn_and_return_the_new_ones(results, key):
    result = results[key]
    with pytest.warns(DeprecationWarning, match="attribute 'params' is deprecated: use 'settings'"):
        assert result.params == result.settings
    with pytest.warns(DeprecationWarning, match="attribute 'confidence' is deprecated: use 'confidence_level'"):
        assert result.confidence == result.confidence_level


def test_settings_hold_the_inputs(results):
    assert results["paper"].settings["p"] == 60 and results["paper"].settings["lasso_tol"] == 1e-8
    assert results["double_descent"].settings == {"n": 20, "signal": 1.0, "sigma": 1.0}
    assert results["sgd"].settings["epochs"] == 3
    assert results["compute_scaling"].settings["backend"] == "cpp"
