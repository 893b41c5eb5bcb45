"""Experiments: closed forms, thread identity, replicate ranges and twin agreement."""

import numpy as np
import pytest

from computelimits.simulate import closed_forms, double_descent, sgd_scaling
from computelimits.simulate import paper_experiment as paper

SMALL_PAPER = dict(sizes=[15, 25, 40, 70, 120, 200], p=60, k=8, expert_k=7, signal=8.0, sigma=0.5)


@pytest.fixture(scope="module")
def bhx():
    """Min-norm over p on both sides of the peak, all >= 5 away from n = 40."""
    return double_descent(40, [8, 20, 30, 35, 45, 50, 70, 120, 200], 3000, seed=2024, sigma=0.8, signal=1.5)


def test_min_norm_matches_belkin_hsu_xu_within_4_se(bhx):
    frame = bhx.to_frame()
    z = (frame.excess_risk_mean - frame.excess_risk_exact) / frame.excess_risk_se
    assert np.all(np.abs(z) < 4), z.tolist()
    assert np.all(np.isfinite(frame.excess_risk_exact))
    np.testing.assert_allclose(frame.test_mse_exact, frame.excess_risk_exact + 0.64)
    assert {"p", "excess_risk_mean", "excess_risk_se", "excess_risk_exact"} <= set(frame.columns)
    assert len(frame) == 9


def test_ridge_mean_near_marchenko_pastur_limit():
    result = double_descent(400, [200, 800], 40, seed=7, sigma=1.0, signal=1.0)
    limit = result.ridge_excess_risk_limit
    np.testing.assert_allclose(result.ridge_excess_risk_mean, limit, rtol=0.03)
    # optimally tuned ridge beats min-norm and its limit is below the min-norm limit
    assert np.all(result.ridge_excess_risk_mean < result.excess_risk_mean)


def test_stieltjes_transform_matches_eigenvalues():
    rng = np.random.default_rng(3)
    n, gamma = 1500, 0.6
    X = rng.standard_normal((n, int(gamma * n)))
    eigenvalues = np.linalg.eigvalsh(X.T @ X / n)
    value, _ = closed_forms.marchenko_pastur_stieltjes(-0.5, gamma)
    assert value == pytest.approx(np.mean(1.0 / (eigenvalues + 0.5)), rel=2e-3)
    # derivative by central differences
    h = 1e-5
    up, _ = closed_forms.marchenko_pastur_stieltjes(-0.5 + h, gamma)
    down, _ = closed_forms.marchenko_pastur_stieltjes(-0.5 - h, gamma)
    assert closed_forms.marchenko_pastur_stieltjes(-0.5, gamma)[1] == pytest.approx((up - down) / (2 * h), rel=1e-6)


@pytest.mark.parametrize(
    "run",
    [
        lambda threads, first=0, reps=5: paper(reps, seed=3, threads=threads, first_replicate=first, **SMALL_PAPER),
        lambda threads, first=0, reps=5: double_descent(
            30, [10, 50, 90], reps, seed=3, threads=threads, first_replicate=first
        ),
        lambda threads, first=0, reps=5: sgd_scaling(
            (20, 60), p=40, epochs=3, reps=reps, seed=3, threads=threads, first_replicate=first
        ),
    ],
    ids=["paper", "double_descent", "sgd_scaling"],
)
def test_threads_bit_identical_and_ranges_concatenate(run):
    one, two = run(1), run(2)
    for name, value in one.to_dict().items():
        other = two.to_dict()[name]
        if isinstance(value, list):
            assert np.asarray(value).tobytes() == np.asarray(other).tobytes(), name
    head, tail = run(2, 0, 2), run(2, 2, 3)
    arrays = [k for k, v in one.to_dict().items() if isinstance(v, list) and np.ndim(v) >= 1 and np.shape(v)[0] == 5]
    assert arrays
    for name in arrays:
        joined = np.concatenate([getattr(head, name), getattr(tail, name)])
        assert joined.tobytes() == getattr(one, name).tobytes(), name


@pytest.mark.filterwarnings("ignore::computelimits.exceptions.OneReplicateWarning")  # reps=1 pieces on purpose
def test_paper_concatenate_helper():
    from computelimits.simulate.paper import concatenate

    whole = paper(4, seed=1, **SMALL_PAPER)
    joined = concatenate(paper(1, seed=1, **SMALL_PAPER), paper(3, seed=1, first_replicate=1, **SMALL_PAPER))
    assert joined.performance.tobytes() == whole.performance.tobytes()
    with pytest.raises(ValueError, match="consecutive"):
        concatenate(paper(1, seed=1, **SMALL_PAPER), paper(1, seed=1, first_replicate=2, **SMALL_PAPER))


def test_paper_twin_agrees_and_models_behave():
    cpp = paper(3, seed=9, **SMALL_PAPER)
    twin = paper(3, seed=9, backend="numpy", **SMALL_PAPER)
    np.testing.assert_allclose(cpp.performance, twin.performance, atol=1e-8)
    np.testing.assert_array_equal(cpp.flops[:, :, :3], twin.flops[:, :, :3])
    assert np.all(cpp.lasso_kkt < 1e-8) and np.all(twin.lasso_kkt < 1e-8)
    # oracle OLS flops from the per-operation rule: Gram n k (k+1) + X'y 2nk + Cholesky + 2 solves
    n, k = cpp.sizes[0], 8
    assert cpp.flops[0, 0, 0] == n * k * (k + 1) + 2 * n * k + (k**3 / 3 + k**2 / 2 + k / 6) + 2 * k * k
    # re-use across sizes: the work actually spent is below the sum of from-scratch costs
    assert np.all(cpp.flops_spent < cpp.flops.sum(axis=(1, 2)))


def test_paper_expert_plateau_and_oracle_rate():
    result = paper(60, seed=4, **SMALL_PAPER)
    # expert misses one of k equal coefficients: NMSE -> 1/k plus variance ~ sigma^2 (k-1)/(n-k)/signal
    n = result.sizes[-1]
    expected_expert = 1 / 8 + (0.25 * (1 + 1 / 8 * 8)) * 7 / (n - 8 - 1) / 8.0
    assert np.mean(result.nmse[:, -1, 1]) == pytest.approx(expected_expert, rel=0.1)
    # oracle: E NMSE = sigma^2 k / (n - k - 1) / signal (Belkin-Hsu-Xu, p = k <= n - 2)
    exact = closed_forms.min_norm_risk(n, 8, 8.0, 0.5) / 8.0
    mean, se = result.nmse[:, -1, 0].mean(), result.nmse[:, -1, 0].std(ddof=1) / np.sqrt(60)
    assert abs(mean - exact) < 4 * se
    frame = result.to_frame()
    assert len(frame) == len(result.sizes) * 4
    assert np.all(frame.performance_ci_low <= frame.performance_mean)
    reach = result.compute_to_reach
    assert reach.shape == (len(result.levels), 4)


def test_double_descent_twin_agrees():
    cpp = double_descent(30, [10, 45, 90], 3, seed=5, ridge_lambda=0.1)
    twin = double_descent(30, [10, 45, 90], 3, seed=5, ridge_lambda=0.1, backend="numpy")
    np.testing.assert_allclose(cpp.min_norm_excess, twin.min_norm_excess, rtol=1e-9)
    np.testing.assert_allclose(cpp.ridge_excess, twin.ridge_excess, rtol=1e-9)


def test_sgd_scaling_twin_and_distance():
    cpp = sgd_scaling((20, 30), p=60, epochs=300, reps=2, seed=6, step_size=0.6 / 60)
    twin = sgd_scaling((20, 30), p=60, epochs=300, reps=2, seed=6, step_size=0.6 / 60, backend="numpy")
    np.testing.assert_allclose(cpp.excess, twin.excess, rtol=1e-8)
    # over-parameterized (p > n): SGD from zero converges to pinv(X) y
    assert np.all(cpp.distance < 1e-8)
    assert cpp.to_frame().shape[0] == 2
