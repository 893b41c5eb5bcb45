"""scaling_law: recovery of known parameters, the closed-form derived quantities, statuses and the result."""

import dataclasses
import json
import math

import numpy as np
import pytest
from scipy import optimize, special

from computelimits.fit import scaling_law
from computelimits.fit.scaling_law import DEFAULT_GRID, default_grid
from computelimits.status import Status

from .scaling_law_data import HOFFMANN, HOFFMANN_THETA, synthetic

SMALL_GRID = {"a": [0, 10, 20], "b": [0, 10, 20], "e": [-1, 0, 1], "alpha": [0.5, 1.5], "beta": [0.5, 1.5]}


@pytest.fixture(scope="module")
def hoffmann_fit():
    """Noiseless data from Hoffmann et al.'s unrounded Approach-3 parameters."""
    params, tokens, _ = synthetic(seed=5)
    a, b, e, alpha, beta = HOFFMANN_THETA
    loss = math.exp(e) + math.exp(a) / params**alpha + math.exp(b) / tokens**beta
    return scaling_law(params, tokens, loss, grid=SMALL_GRID)


@pytest.fixture(scope="module")
def noisy_fit():
    params, tokens, loss = synthetic(seed=0, sigma=0.02)
    return scaling_law(params, tokens, loss, n_resamples=300, seed=11)


def test_default_grid_is_the_papers_4500_starts():
    grid = default_grid()
    assert grid.shape == (4500, 5)
    for column, name in enumerate(("a", "b", "e", "alpha", "beta")):
        np.testing.assert_array_equal(np.unique(grid[:, column]), DEFAULT_GRID[name])
    assert len({tuple(row) for row in grid}) == 4500


def test_objective_is_scipys_huber_of_the_log_sum_exp(hoffmann_fit):
    """The reported objective equals sum scipy.special.huber(delta, log L - logsumexp(...)) at the estimate."""
    params, tokens, loss = synthetic(seed=3, sigma=0.05)
    fit = scaling_law(params, tokens, loss, grid=SMALL_GRID, delta=0.01)
    a, b, e, alpha, beta = fit.theta
    terms = np.stack([a - alpha * np.log(params), b - beta * np.log(tokens), np.full(len(params), e)])
    residual = np.log(loss) - special.logsumexp(terms, axis=0)
    assert fit.objective == pytest.approx(np.sum(special.huber(0.01, residual)), rel=1e-12)


def test_noiseless_data_recovers_the_parameters_exactly(hoffmann_fit):
    np.testing.assert_allclose(hoffmann_fit.theta, HOFFMANN_THETA, rtol=0, atol=1e-8)
    assert hoffmann_fit.converged
    assert hoffmann_fit.objective < 1e-15


def test_hoffmann_parameters_give_the_papers_40b_model_for_gophers_budget(hoffmann_fit):
    """Hoffmann et al. (2022) give 40B parameters as Approach 3's optimal model for Gopher's
    5.76e23 FLOP, and (Table 2) N* ~ C^0.46, D* ~ C^0.54."""
    optimal = hoffmann_fit.compute_optimal(5.76e23)
    assert optimal.params[0] == pytest.approx(40e9, rel=0.02)
    assert optimal.tokens[0] == pytest.approx(5.76e23 / (6 * optimal.params[0]), rel=1e-12)
    assert round(hoffmann_fit.to_frame().loc["params_exponent", "estimate"], 2) == 0.46
    assert round(hoffmann_fit.to_frame().loc["tokens_exponent", "estimate"], 2) == 0.54


def test_synthetic_recovery_within_the_bootstrap_interval(noisy_fit):
    """250 points from Hoffmann's published values with 2% lognormal noise: every true
    parameter lies inside its 95% percentile interval, and the intervals are informative."""
    assert noisy_fit.converged
    widths = {"A": 5000, "B": 2000, "E": 0.4, "alpha": 0.2, "beta": 0.15}
    for name, value in HOFFMANN.items():
        low, high = noisy_fit.confidence_interval(name)
        assert low < value < high, (name, low, value, high)
        assert high - low < widths[name], (name, low, high)
    alpha, beta = HOFFMANN["alpha"], HOFFMANN["beta"]
    true_exponents = {
        "params_exponent": beta / (alpha + beta),
        "tokens_exponent": alpha / (alpha + beta),
        "loss_exponent": alpha * beta / (alpha + beta),
    }
    for name, value in true_exponents.items():
        low, high = noisy_fit.confidence_interval(name)
        assert low < value < high, (name, low, value, high)


def test_compute_optimal_minimizes_the_loss_along_the_iso_flop_line(noisy_fit):
    """N* from the closed form equals a numerical minimization of L(N, C/(6N)) over log N."""
    for compute in (1e19, 5.76e23, 1e27):
        optimal = noisy_fit.compute_optimal(compute)

        def iso_flop(log_n, compute=compute):
            n = math.exp(log_n)
            return float(noisy_fit.predict(n, compute / (6 * n)))

        found = optimize.minimize_scalar(iso_flop, bracket=(10, 30), tol=1e-12)
        assert optimal.log10_params[0] == pytest.approx(found.x / math.log(10), abs=1e-5)
        assert optimal.loss[0] == pytest.approx(found.fun, rel=1e-12)
        assert optimal.tokens_per_parameter[0] == pytest.approx(optimal.tokens[0] / optimal.params[0], rel=1e-9)
    np.testing.assert_allclose(
        noisy_fit.tokens_per_parameter([1e21, 1e24]), noisy_fit.compute_optimal([1e21, 1e24]).tokens_per_parameter
    )


def test_compute_for_loss_is_the_compute_whose_optimal_loss_is_the_target(noisy_fit):
    targets = np.array([2.5, 2.0, noisy_fit.E + 0.05])
    answer = noisy_fit.compute_for_loss(targets)
    assert answer.status == (Status.OK,) * 3
    for target, log10_flop in zip(targets, answer.log10_flop):
        compute = 10.0**log10_flop

        def iso_flop(log_n, compute=compute):
            n = math.exp(log_n)
            return float(noisy_fit.predict(n, compute / (6 * n)))

        assert optimize.minimize_scalar(iso_flop, bracket=(10, 40), tol=1e-12).fun == pytest.approx(target, rel=1e-10)
    assert np.all(np.diff(answer.log10_flop) > 0)  # lower losses cost more compute
    low, high = answer.log10_flop_interval
    assert np.all(low < answer.log10_flop) and np.all(answer.log10_flop < high)


def test_a_target_at_or_below_E_is_unreachable_not_a_number(noisy_fit):
    answer = noisy_fit.compute_for_loss([noisy_fit.E, noisy_fit.E * 0.9, 1.0])
    assert answer.status == (Status.UNREACHABLE,) * 3
    assert np.all(np.isnan(answer.flop))
    assert all(text.startswith("undetermined") for text in answer.describe())
    frame = answer.to_frame()
    assert list(frame["status"]) == ["unreachable"] * 3
    assert frame["log10_flop"].isna().all()


def test_targets_near_E_give_an_interval_unbounded_above(noisy_fit):
    """A target inside E's interval: some resamples put E above it, so no compute reaches it there."""
    high_e = noisy_fit.confidence_interval("E").high
    target = max(noisy_fit.E * 1.001, 0.5 * (noisy_fit.E + high_e))
    answer = noisy_fit.compute_for_loss(target)
    assert answer.status == (Status.OK,)
    assert answer.interval_status == (Status.UNREACHABLE,)
    assert answer.log10_flop_interval.high[0] == math.inf
    expected = np.mean(np.exp(noisy_fit.bootstrap_theta[:, 2]) >= target)
    assert answer.unreachable_fraction[0] == pytest.approx(expected)
    assert expected > 0.025


def test_compute_beyond_a_float_is_kept_in_log10(noisy_fit):
    """Tiny exponents push the compute for a loss near E past 1e308: the status says so."""
    slow = dataclasses.replace(noisy_fit, alpha=0.01, beta=0.01, resample_records=None)
    answer = slow.compute_for_loss(slow.E + 1e-3)
    assert answer.status == (Status.BEYOND_RANGE,)
    assert answer.log10_flop[0] > 308 and math.isnan(answer.flop[0])


def test_non_positive_exponents_have_no_compute_optimal_allocation(noisy_fit):
    wrong = dataclasses.replace(noisy_fit, alpha=-0.1)
    assert wrong.status is Status.WRONG_SIGN
    assert wrong.compute_optimal([1e22]).status == (Status.WRONG_SIGN,)
    assert wrong.compute_for_loss([2.0]).status == (Status.WRONG_SIGN,)
    frame = wrong.to_frame()
    assert list(frame.loc[["params_exponent", "tokens_exponent", "loss_exponent"], "status"]) == ["wrong sign"] * 3
    assert "undetermined" in wrong.summary()


def test_resamples_with_a_non_positive_exponent_leave_the_interval_undetermined(noisy_fit):
    records = noisy_fit.resample_records.copy()
    records[0, 3] = -0.2
    mixed = dataclasses.replace(noisy_fit, resample_records=records)
    assert mixed.to_frame().loc["params_exponent", "interval_status"] == "wrong sign"
    assert mixed.to_frame().loc["alpha", "interval_status"] == "ok"
    assert mixed.compute_optimal(1e22).interval_status == (Status.WRONG_SIGN,)


def test_prediction_and_its_interval(noisy_fit):
    a, b, e, alpha, beta = noisy_fit.theta
    n, d = np.array([[1e8], [1e10]]), np.array([1e9, 1e12])
    expected = math.exp(e) + math.exp(a) / n**alpha + math.exp(b) / d**beta
    np.testing.assert_allclose(noisy_fit.predict(n, d), expected, rtol=1e-13)
    low, high = noisy_fit.predict_interval(n, d)
    assert low.shape == high.shape == (2, 2)
    assert np.all(low < expected) and np.all(expected < high)
    steep = dataclasses.replace(noisy_fit, alpha=3.0)
    with pytest.raises(OverflowError, match="params=1e-300"):
        steep.predict(1e-300, 1e9)


def test_exclude_highest_drops_the_highest_losses():
    params, tokens, loss = synthetic(seed=2, n=60)
    loss[[3, 17]] = 9.0
    loss[40] = 8.0
    fit = scaling_law(params, tokens, loss, exclude_highest=3, grid=SMALL_GRID)
    assert fit.excluded_indices == (3, 17, 40)
    assert fit.n_points == 57 and fit.n_excluded == 3
    kept = np.delete(np.arange(60), [3, 17, 40])
    reference = scaling_law(params[kept], tokens[kept], loss[kept], grid=SMALL_GRID)
    assert fit.objective == reference.objective
    np.testing.assert_array_equal(fit.theta, reference.theta)


def test_best_start_ties_go_to_the_lowest_index():
    params, tokens, loss = synthetic(seed=4, n=40)
    start = [5.0, 5.0, 0.5, 0.5, 0.5]
    fit = scaling_law(params, tokens, loss, grid=np.array([start, [0, 0, 0, 0, 0], start, start]))
    objectives = fit.start_records[:, 5]
    assert objectives[0] == objectives[2] == objectives[3]
    assert fit.best_start == int(np.argmin(objectives))
    assert fit.best_start in (0, 1)


def test_grid_forms_agree():
    params, tokens, loss = synthetic(seed=6, n=50)
    from_dict = scaling_law(params, tokens, loss, grid=SMALL_GRID)
    array = np.array(np.meshgrid(*SMALL_GRID.values(), indexing="ij")).reshape(5, -1).T
    from_array = scaling_law(params, tokens, loss, grid=array)
    assert from_dict.n_starts == from_array.n_starts == 108
    assert from_dict.objective == from_array.objective


def test_result_renders_without_escapes_and_serializes(noisy_fit):
    summary = noisy_fit.summary()
    assert "\\n" not in repr(summary) and "\n" in repr(summary)
    assert "alpha" in summary and "95% percentile" in summary and "N* = G (C/6)^" in summary
    assert str(noisy_fit) == summary
    assert repr(noisy_fit).startswith("ScalingLawResult(A=")
    text = json.dumps(noisy_fit.to_dict(), allow_nan=False)
    assert '"alpha"' in text
    frame = noisy_fit.to_frame()
    assert list(frame.columns) == ["estimate", "status", "low", "high", "interval_status"]
    assert frame.loc["A", "estimate"] == pytest.approx(math.exp(noisy_fit.a))
    answer = noisy_fit.compute_for_loss([1.0, 2.0])
    json.dumps(answer.to_dict(), allow_nan=False)
    json.dumps(noisy_fit.compute_optimal([1e22]).to_dict(), allow_nan=False)
    assert "unreachable" in repr(answer) or "undetermined" in repr(answer)


def test_without_a_bootstrap_there_are_no_intervals():
    params, tokens, loss = synthetic(seed=7, n=40)
    fit = scaling_law(params, tokens, loss, grid=SMALL_GRID)
    assert fit.confidence_intervals == {}
    assert list(fit.to_frame().columns) == ["estimate", "status"]
    assert fit.compute_optimal(1e22).loss_interval is None
    with pytest.raises(ValueError, match="n_resamples=0"):
        fit.confidence_interval("alpha")
    with pytest.raises(ValueError, match="n_resamples=0"):
        fit.predict_interval(1e9, 1e10)


def test_progress_bar_reports_starts_and_resamples(capsys):
    params, tokens, loss = synthetic(seed=8, n=30)
    scaling_law(params, tokens, loss, grid=SMALL_GRID, n_resamples=5, progress=True)
    err = capsys.readouterr().err
    # one bar per runner call: the grid's starts, then the resamples
    assert "scaling-law starts (cpp)" in err and "108/108" in err
    assert "scaling-law bootstrap (cpp)" in err and "5/5" in err


def test_an_optimal_loss_beyond_a_float_is_flagged(noisy_fit):
    steep = dataclasses.replace(noisy_fit, alpha=3.0, beta=3.0, resample_records=None)
    answer = steep.compute_optimal([1e-300, 1e22])
    assert answer.status == (Status.BEYOND_RANGE, Status.OK)
    assert math.isinf(answer.loss[0]) and math.isfinite(answer.loss[1])
    assert answer.to_dict()["loss"][0] is None
