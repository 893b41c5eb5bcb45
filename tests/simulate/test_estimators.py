"""Estimators against pinv, KKT conditions, closed forms and the numpy twin."""

import numpy as np
import pytest

from computelimits.simulate import closed_forms, designs, estimators, iterative

BACKENDS = ["cpp", "numpy"]


@pytest.fixture(scope="module")
def wide():
    return designs.make_design(40, 90, k=5, signal=2.0, sigma=0.5, seed=11)


@pytest.fixture(scope="module")
def tall():
    return designs.make_design(120, 25, k=5, signal=2.0, sigma=0.5, covariance="ar1", rho=0.6, seed=12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_min_norm_is_pinv(wide, backend):
    fit = estimators.min_norm(wide.X, wide.y, backend=backend)
    reference = np.linalg.pinv(wide.X) @ wide.y
    np.testing.assert_allclose(fit.coef, reference, rtol=1e-10, atol=1e-12)
    n, p = wide.X.shape
    assert fit.flops == n * (n + 1) * p + (n**3 / 3 + n**2 / 2 + n / 6) + 2 * n * n + 2 * n * p


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("method", ["qr", "cholesky"])
def test_ols_matches_lstsq(tall, backend, method):
    fit = estimators.ols(tall.X, tall.y, method=method, backend=backend)
    np.testing.assert_allclose(fit.coef, np.linalg.lstsq(tall.X, tall.y, rcond=None)[0], rtol=1e-10, atol=1e-12)


def test_qr_flops_follow_the_documented_count(tall):
    """docs/simulate.md: equilibration 3np + 2n, QR 2np^2 - 2p^3/3, Q'y and R-solve 4np - p^2,
    residual passes n(10p + 8) (initial and final), RSS 10n + 1, and per refinement step
    f n(10p + 8), g p(10n + 1), Q'f and Q[u; d] 2(4np - 2p^2), two solves 2p^2, updates 2n + 3p."""
    n, p = tall.X.shape
    refinement = n * (10 * p + 8) + p * (10 * n + 1) + 2 * (4 * n * p - 2 * p * p) + 2 * p * p + 2 * n + 3 * p
    expected = (
        3 * n * p
        + 2 * n
        + (2 * n * p * p - 2 * p**3 / 3)
        + (4 * n * p - p * p)
        + 2 * n * (10 * p + 8)
        + 10 * n
        + 1
        + 4 * refinement
    )
    cpp = estimators.ols(tall.X, tall.y, method="qr")
    twin = estimators.ols(tall.X, tall.y, method="qr", backend="numpy")
    assert cpp.flops == pytest.approx(expected, rel=1e-15)
    assert twin.flops == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(cpp.coef, twin.coef, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_gradient_descent_reaches_pinv(wide, backend):
    step = 1.0 / (np.linalg.norm(wide.X, 2) ** 2 / wide.X.shape[0])
    fit = iterative.gradient_descent(wide.X, wide.y, step_size=step, epochs=20000, tol=1e-13, backend=backend)
    assert not fit.diverged
    np.testing.assert_allclose(fit.coef, np.linalg.pinv(wide.X) @ wide.y, atol=1e-8, rtol=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("batch", [1, 4])
def test_sgd_reaches_pinv(backend, batch):
    design = designs.make_design(30, 80, k=5, signal=1.0, sigma=0.3, seed=5)
    fit = iterative.sgd(
        design.X, design.y, step_size=0.6 / 80, batch_size=batch, epochs=400 * batch, seed=3, backend=backend
    )
    np.testing.assert_allclose(fit.coef, np.linalg.pinv(design.X) @ design.y, atol=1e-8, rtol=0)


def test_sgd_twin_matches_cpp(wide):
    a = iterative.sgd(wide.X, wide.y, step_size=0.005, batch_size=3, epochs=5, seed=9, replicate=4)
    b = iterative.sgd(wide.X, wide.y, step_size=0.005, batch_size=3, epochs=5, seed=9, replicate=4, backend="numpy")
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-11, atol=1e-13)
    assert a.flops == b.flops == 5 * 14 * (3 * (4 * 90 + 1) + 2 * 90 + 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_early_stopping_keeps_best_validation_epoch(backend):
    design = designs.make_design(60, 50, k=5, signal=1.0, sigma=1.0, seed=21)
    held = designs.make_design(200, 50, k=5, signal=1.0, sigma=1.0, seed=21, replicate=1)
    fit = iterative.gradient_descent(
        design.X, design.y, step_size=0.2, epochs=3000, X_val=held.X, y_val=held.y, patience=20, backend=backend
    )
    assert fit.epochs_run < 3000
    assert fit.best_epoch == int(np.argmin(fit.validation_loss)) + 1
    assert fit.epochs_run - fit.best_epoch == 20
    mse = np.mean((held.X @ fit.coef - held.y) ** 2)
    assert mse == pytest.approx(fit.validation_loss.min(), rel=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lasso_kkt_and_zero_at_alpha_max(wide, backend):
    path = estimators.lasso_path(wide.X, wide.y, tol=1e-10, backend=backend)
    assert np.all(path.kkt_residual < 1e-8)
    n = wide.X.shape[0]
    top = np.max(np.abs(wide.X.T @ wide.y)) / n
    assert path.penalty[0] == pytest.approx(top)
    assert np.all(path.coef[0] == 0)
    # independent KKT check from the returned coefficients (sklearn objective)
    for alpha, w in zip(path.penalty, path.coef):
        g = wide.X.T @ (wide.y - wide.X @ w) / n
        active = w != 0
        assert np.all(np.abs(g[active] - alpha * np.sign(w[active])) < 1e-8)
        assert np.all(np.abs(g[~active]) <= alpha + 1e-8)
    above = estimators.lasso_path(wide.X, wide.y, [top * 1.0001, top * 5], backend=backend)
    assert np.all(above.coef == 0)


def test_lasso_twin_matches_cpp(tall):
    a = estimators.lasso_path(tall.X, tall.y, n_alphas=8, tol=1e-12)
    b = estimators.lasso_path(tall.X, tall.y, n_alphas=8, tol=1e-12, backend="numpy")
    np.testing.assert_allclose(a.coef, b.coef, atol=1e-10)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape", [(80, 30), (30, 80)])
def test_ridge_path_matches_direct_solve(backend, shape):
    n, p = shape
    design = designs.make_design(n, p, k=5, seed=2, covariance="equicorrelated", rho=0.3)
    lambdas = [0.0, 0.01, 0.3, 2.0]
    path = estimators.ridge_path(design.X, design.y, lambdas, backend=backend)
    np.testing.assert_allclose(path.coef[0], np.linalg.pinv(design.X) @ design.y, rtol=1e-8, atol=1e-10)
    for lam, coef in zip(lambdas[1:], path.coef[1:]):
        direct = np.linalg.solve(design.X.T @ design.X + n * lam * np.eye(p), design.X.T @ design.y)
        np.testing.assert_allclose(coef, direct, rtol=1e-9, atol=1e-11)
    assert np.all(np.diff(path.flops) > 0)


def test_ridge_risk_matches_exact_expectation_over_noise():
    """MC over fresh noise at a fixed X against E_e ||b - beta||^2 (SVD formula), within 4 SE."""
    n, p, sigma, lam = 50, 80, 0.7, 0.05
    design = designs.make_design(n, p, k=p, signal=1.5, sigma=sigma, seed=4)
    noise = np.random.default_rng(0).standard_normal((4000, n))
    responses = design.X @ design.beta + sigma * noise
    path_coefs = np.array([estimators.ridge_path(design.X, y, [lam]).coef[0] for y in responses[:400]])
    risks = np.sum((path_coefs - design.beta) ** 2, axis=1)
    exact = closed_forms.ridge_conditional_risk(design.X, design.beta, lam, sigma)
    assert abs(risks.mean() - exact) < 4 * risks.std(ddof=1) / np.sqrt(risks.size)


def test_designs_twin_and_covariance():
    for covariance, rho in [("isotropic", 0.0), ("equicorrelated", 0.4), ("ar1", -0.5)]:
        a = designs.make_design(30, 7, k=3, signal=2.0, sigma=0.3, covariance=covariance, rho=rho, seed=8, replicate=2)
        b = designs.make_design(
            30, 7, k=3, signal=2.0, sigma=0.3, covariance=covariance, rho=rho, seed=8, replicate=2, backend="numpy"
        )
        np.testing.assert_allclose(a.X, b.X, rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(a.y, b.y, rtol=1e-13, atol=1e-14)
        sigma_matrix = designs.covariance_matrix(7, covariance, rho)
        assert a.beta @ sigma_matrix @ a.beta == pytest.approx(2.0)
        d = np.linspace(-1, 1, 7)
        assert designs.sigma_quadratic_form(d, covariance, rho) == pytest.approx(d @ sigma_matrix @ d)
    big = designs.make_design(20000, 4, covariance="ar1", rho=0.5, seed=1)
    np.testing.assert_allclose(np.cov(big.X.T), designs.covariance_matrix(4, "ar1", 0.5), atol=0.04)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("power", [400, -400, 1000, -1000])
def test_extreme_magnitudes_scale_exactly(wide, tall, backend, power):
    """Issue 13 item 8: data scaled by 2^power (here beyond 2^256 the estimators rescale by powers of
    two internally) give exactly the unscaled estimates times the power of two: min-norm and OLS scale
    as y/x, ridge with lambda scaled by x^2, lasso with alpha by x y."""
    s = 2.0**power
    reference = estimators.min_norm(wide.X, wide.y, backend=backend).coef
    assert estimators.min_norm(wide.X * s, wide.y, backend=backend).coef.tobytes() == (reference / s).tobytes()
    assert estimators.min_norm(wide.X, wide.y * s, backend=backend).coef.tobytes() == (reference * s).tobytes()
    reference = estimators.ols(tall.X, tall.y, method="cholesky", backend=backend).coef
    scaled = estimators.ols(tall.X * s, tall.y, method="cholesky", backend=backend).coef
    assert scaled.tobytes() == (reference / s).tobytes()
    for design in (wide, tall):
        reference = estimators.ridge_path(design.X, design.y, [0.0, 0.05], backend=backend).coef
        lambdas = [0.0, 0.05 * s * s] if abs(power) < 500 else [0.0]
        scaled = estimators.ridge_path(design.X * s, design.y, lambdas, backend=backend).coef
        assert scaled.tobytes() == (reference[: len(lambdas)] / s).tobytes()
    reference = estimators.lasso_path(tall.X, tall.y, [0.2, 0.05], backend=backend)
    scaled = estimators.lasso_path(tall.X, tall.y * s, [0.2 * s, 0.05 * s], tol=1e-10 * s, backend=backend)
    assert scaled.coef.tobytes() == (reference.coef * s).tobytes()
    assert scaled.kkt_residual.tobytes() == (reference.kkt_residual * s).tobytes()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("scale", [1e300, 1e160, 1e-160, 1e-300])
def test_min_norm_and_ridge_of_scaled_data_are_finite_and_right(wide, backend, scale):
    """The issue's reproducers: X * 1e300 and X * 1e160 gave all-NaN coefficients."""
    reference = np.linalg.pinv(wide.X) @ wide.y
    np.testing.assert_allclose(
        estimators.min_norm(wide.X * scale, wide.y, backend=backend).coef * scale, reference, rtol=1e-9
    )
    np.testing.assert_allclose(
        estimators.ridge_path(wide.X * scale, wide.y, [0.0], backend=backend).coef[0] * scale, reference, rtol=1e-8
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_coefficients_beyond_float64_raise_overflow(wide, backend):
    with pytest.raises(OverflowError, match=r"min_norm: coefficient .* outside float64's range"):
        estimators.min_norm(wide.X * 1e-300, wide.y * 1e300, backend=backend)
