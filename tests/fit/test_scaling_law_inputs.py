"""scaling_law: bad input raises ValueError/TypeError naming the argument and the value."""

import numpy as np
import pytest

from computelimits.fit import scaling_law

from .scaling_law_data import synthetic

ONE_START = {"a": [5], "b": [5], "e": [0.5], "alpha": [0.5], "beta": [0.5]}


@pytest.fixture(scope="module")
def data():
    return synthetic(seed=1, n=20)


@pytest.mark.parametrize("name", ["params", "tokens", "loss"])
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (0.0, "must be positive, got 0.0 at index 3"),
        (-2.0, "must be positive"),
        (np.nan, "must be finite, got nan at index 3"),
        (np.inf, "must be finite, got inf at index 3"),
    ],
)
def test_bad_values_are_named(data, name, bad, message):
    arrays = dict(zip(("params", "tokens", "loss"), (v.copy() for v in data)))
    arrays[name][3] = bad
    with pytest.raises(ValueError, match=f"{name} {message}"):
        scaling_law(**arrays, grid=ONE_START)


def test_mismatched_lengths(data):
    params, tokens, loss = data
    with pytest.raises(ValueError, match="params and tokens must have the same length, got 20 and 19"):
        scaling_law(params, tokens[:-1], loss)
    with pytest.raises(ValueError, match="params and loss must have the same length, got 20 and 21"):
        scaling_law(params, tokens, np.append(loss, 2.0))


def test_fewer_points_than_parameters(data):
    params, tokens, loss = data
    with pytest.raises(ValueError, match=r"exclude_highest=0 leaves 4 of 4 points; .* at least 5"):
        scaling_law(params[:4], tokens[:4], loss[:4])
    with pytest.raises(ValueError, match="exclude_highest=16 leaves 4 of 20 points"):
        scaling_law(params, tokens, loss, exclude_highest=16)
    assert scaling_law(params, tokens, loss, exclude_highest=15, grid=ONE_START).n_points == 5


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (-1, ValueError, "exclude_highest must be >= 0, got -1"),
        (1.5, TypeError, "exclude_highest must be an integer"),
        (True, TypeError, "exclude_highest must be an integer"),
    ],
)
def test_bad_exclude_highest(data, value, error, message):
    with pytest.raises(error, match=message):
        scaling_law(*data, exclude_highest=value)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0.0, ValueError, "delta must be > 0.0, got 0.0"),
        (-1e-3, ValueError, "delta must be > 0.0"),
        (np.nan, ValueError, "delta must be finite, got nan"),
        (np.inf, ValueError, "delta must be finite"),
        ("0.1", TypeError, "delta must be a real number"),
    ],
)
def test_bad_delta(data, value, error, message):
    with pytest.raises(error, match=message):
        scaling_law(*data, delta=value)


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (
            {"a": [0], "b": [0], "e": [0], "alpha": [0]},
            r"grid must have exactly the keys .*got \('a', 'alpha', 'b', 'e'\)",
        ),
        ({**ONE_START, "gamma": [1]}, "grid must have exactly the keys"),
        ({**ONE_START, "e": []}, r"grid\['e'\] must not be empty"),
        ({**ONE_START, "alpha": [0.5, np.nan]}, r"grid\['alpha'\] must be finite, got nan at index 1"),
        ({**ONE_START, "beta": [[0.5]]}, r"grid\['beta'\] must be one-dimensional"),
        (np.zeros((3, 4)), r"grid must be a dict of five sequences or an \(S, 5\) array, got shape \(3, 4\)"),
        (np.zeros((0, 5)), r"got shape \(0, 5\)"),
        (np.full((2, 5), np.inf), "grid must be finite, got inf at row 0, column 0"),
    ],
)
def test_bad_grid(data, grid, message):
    with pytest.raises(ValueError, match=message):
        scaling_law(*data, grid=grid)


def test_a_scalar_grid_value_is_one_start(data):
    assert scaling_law(*data, grid={**ONE_START, "a": 5}).n_starts == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"form": "kaplan"}, ValueError, r"form must be one of \('chinchilla',\), got 'kaplan'"),
        ({"n_resamples": -1}, ValueError, "n_resamples must be >= 0, got -1"),
        ({"n_resamples": 2.0}, TypeError, "n_resamples must be an integer"),
        ({"confidence_level": 1.0}, ValueError, "confidence_level must be < 1, got 1.0"),
        ({"confidence_level": 0.0}, ValueError, "confidence_level must be > 0.0"),
        ({"flop_per_token_param": 0}, ValueError, "flop_per_token_param must be > 0.0, got 0.0"),
        ({"seed": -3}, ValueError, "seed must be >= 0, got -3"),
        ({"backend": "fortran"}, ValueError, "backend must be one of"),
        ({"threads": 0}, ValueError, "threads must be >= 1, got 0"),
        ({"executor": object()}, TypeError, "executor must be None, a concurrent.futures.Executor or a dask"),
        ({"first_resample": -1}, ValueError, "first_resample must be >= 0, got -1"),
        ({"n_resamples": 10**12}, ValueError, "n_resamples must be <= 10000000, got 1000000000000"),
    ],
)
def test_bad_options(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        scaling_law(*data, grid=ONE_START, **kwargs)


def test_bad_inputs_of_the_derived_quantities(data):
    fit = scaling_law(*data, grid=ONE_START)
    with pytest.raises(ValueError, match=r"compute_flop must be positive, got -1\.0 at index 1"):
        fit.compute_optimal([1e20, -1.0])
    with pytest.raises(ValueError, match="target_loss must be finite, got nan"):
        fit.compute_for_loss(np.nan)
    with pytest.raises(ValueError, match=r"tokens must be positive, got 0\.0"):
        fit.predict(1e9, 0.0)
    with pytest.raises(ValueError, match=r"name must be one of .*got 'gamma'"):
        fit.confidence_interval("gamma")
