"""Fuzz the simulate area: estimators, designs, closed forms and the experiments (at small sizes).

Each call raises a documented error naming its argument, or returns finite numbers, or flags the
non-finite ones (a named warning: ConvergenceWarning, DivergenceWarning); see _contract.py.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from computelimits import exceptions, simulate
from computelimits.simulate import closed_forms

from ._contract import Faults, any_float, assert_finite_or_flagged, attempt, examples, odd_scalars

backends = st.sampled_from(["cpp", "numpy"])
bad_backends = st.sampled_from(["fortran", None, 1])
bad_reals = st.one_of(any_float, odd_scalars)
positive = st.one_of(st.floats(1e-3, 1e3), st.sampled_from([1e-300, 1e300, 1.0]))


def _problem(f, n, p):
    return f.array("X", (n, p)), f.array("y", (n,))


@examples(1.0)
@given(n=st.integers(0, 7), p=st.integers(0, 7), data=st.data())
def test_linear_estimators(n, p, data):
    which = data.draw(st.sampled_from(["ols", "ols_cholesky", "min_norm", "ridge_path", "lasso_path"]), "estimator")
    f = Faults(data, ["X", "y", "lambdas", "alphas", "backend"])
    X, y = _problem(f, n, p)
    backend = f.draw("backend", backends, bad_backends)
    names = [*f.names, "n", "p", "method"]
    if which.startswith("ols"):
        method = "cholesky" if which == "ols_cholesky" else "qr"
        outcome = attempt(simulate.ols, names, X, y, method=method, backend=backend)
    elif which == "min_norm":
        outcome = attempt(simulate.min_norm, names, X, y, backend=backend)
    elif which == "ridge_path":
        lambdas = f.draw("lambdas", st.lists(st.floats(0, 1e3), min_size=1, max_size=3), bad_reals)
        outcome = attempt(simulate.ridge_path, names, X, y, lambdas, backend=backend)
    else:
        alphas = f.draw(
            "alphas", st.one_of(st.none(), st.lists(st.floats(1e-4, 10), min_size=1, max_size=3)), bad_reals
        )
        outcome = attempt(simulate.lasso_path, names, X, y, alphas, max_sweeps=200, backend=backend)
    if outcome.error is None:
        assert np.all(np.isfinite(outcome.result.coef)), outcome.result
        if which == "lasso_path" and not np.all(outcome.result.converged):
            assert outcome.warned(exceptions.ConvergenceWarning)
        assert_finite_or_flagged(outcome)


@examples(1.0)
@given(n=st.integers(0, 6), p=st.integers(0, 5), data=st.data(), stochastic=st.booleans())
def test_iterative_estimators(n, p, data, stochastic):
    names = ["X", "y", "step_size", "epochs", "batch_size", "patience", "seed", "backend"]
    f = Faults(data, names)
    X, y = _problem(f, n, p)
    step = f.draw("step_size", st.one_of(st.floats(1e-4, 2.0), st.sampled_from([10.0, 1e3])), bad_reals)
    epochs = f.draw("epochs", st.integers(1, 30))
    patience = f.draw("patience", st.integers(0, 3))
    backend = f.draw("backend", backends, bad_backends)
    if stochastic:
        batch = f.draw("batch_size", st.integers(1, 4))
        seed = f.draw("seed", st.integers(0, 2**64 - 1))
        outcome = attempt(
            simulate.sgd,
            names,
            X,
            y,
            step_size=step,
            batch_size=batch,
            epochs=epochs,
            patience=patience,
            seed=seed,
            backend=backend,
        )
    else:
        outcome = attempt(
            simulate.gradient_descent, names, X, y, step_size=step, epochs=epochs, patience=patience, backend=backend
        )
    if outcome.error is None:
        result = outcome.result
        assert np.all(np.isfinite(result.coef))
        if result.diverged:
            assert outcome.warned(exceptions.DivergenceWarning)
        assert_finite_or_flagged(outcome)


@examples(1.0)
@given(data=st.data())
def test_make_design(data):
    names = ["n", "p", "k", "signal", "snr", "sigma", "covariance", "rho", "seed", "replicate", "backend"]
    f = Faults(data, names)
    n, p = f.draw("n", st.integers(1, 8)), f.draw("p", st.integers(1, 8))
    arguments = dict(
        # k's range comes from a valid p: f.draw may have corrupted p (a float, a string, -1, 2^63)
        k=f.draw("k", st.one_of(st.none(), st.integers(0, p if type(p) is int and 1 <= p <= 8 else 8))),
        signal=f.draw("signal", positive, bad_reals),
        snr=f.draw("snr", st.one_of(st.none(), positive), bad_reals),
        sigma=f.draw("sigma", st.one_of(st.floats(0, 10), st.sampled_from([1e-300, 1e150])), bad_reals),
        covariance=f.draw("covariance", st.sampled_from(["isotropic", "equicorrelated", "ar1"]), odd_scalars),
        rho=f.draw("rho", st.floats(-0.9, 0.9), bad_reals),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        replicate=f.draw("replicate", st.integers(0, 2**40)),
        backend=f.draw("backend", backends, bad_backends),
    )
    outcome = attempt(simulate.make_design, names, n, p, **arguments)
    if outcome.error is None:
        design = outcome.result
        assert design.X.shape == (n, p) and np.all(np.isfinite(design.X)) and np.all(np.isfinite(design.y))
        assert_finite_or_flagged(outcome)


@examples(1.5)
@given(data=st.data())
def test_closed_forms(data):
    which = data.draw(
        st.sampled_from(
            [
                "min_norm_risk",
                "min_norm_risk_limit",
                "marchenko_pastur_stieltjes",
                "ridge_risk_limit",
                "optimal_ridge_lambda",
                "ridge_conditional_risk",
            ]
        ),
        "function",
    )
    f = Faults(data, ["n", "p", "gamma", "z", "ridge_lambda", "signal", "sigma", "X", "beta"])
    gamma = f.draw(
        "gamma", st.one_of(st.floats(1e-3, 50), st.lists(st.floats(1e-3, 50), min_size=1, max_size=3)), bad_reals
    )
    signal = f.draw("signal", st.one_of(st.floats(0, 100), st.just(1e300)), bad_reals)
    sigma = f.draw("sigma", st.one_of(st.floats(0, 10), st.just(1e200)), bad_reals)
    lam = f.draw("ridge_lambda", st.one_of(st.floats(0, 100), st.just(1e-300)), bad_reals)
    if which == "min_norm_risk":
        n = f.draw("n", st.integers(1, 100))
        p = f.draw("p", st.integers(1, 100))
        outcome = attempt(closed_forms.min_norm_risk, f.names, n, p, signal, sigma)
    elif which == "min_norm_risk_limit":
        outcome = attempt(closed_forms.min_norm_risk_limit, f.names, gamma, signal, sigma)
    elif which == "marchenko_pastur_stieltjes":
        z = f.draw("z", st.one_of(st.floats(-100, -1e-6), st.just(-1e-300)), bad_reals)
        outcome = attempt(closed_forms.marchenko_pastur_stieltjes, f.names, z, gamma)
    elif which == "ridge_risk_limit":
        outcome = attempt(closed_forms.ridge_risk_limit, f.names, gamma, lam, signal, sigma)
    elif which == "optimal_ridge_lambda":
        outcome = attempt(closed_forms.optimal_ridge_lambda, f.names, gamma, signal, sigma)
    else:
        n, p = data.draw(st.integers(1, 6)), data.draw(st.integers(1, 6))
        X = f.array("X", (n, p))
        beta = f.array("beta", (p,))
        outcome = attempt(closed_forms.ridge_conditional_risk, f.names, X, beta, lam, sigma)
    if outcome.error is None:
        values = np.atleast_1d(np.asarray(outcome.result, dtype=float))
        finite = np.isfinite(values)
        # the min-norm risk is infinite at n = p +- 1 only (gamma -> 1) with noise: documented as inf; so is
        # the ridge limit at lambda = 0, which is the min-norm limit
        ridgeless = which == "ridge_risk_limit" and np.any(np.asarray(lam) == 0)
        assert finite.all() or which in ("min_norm_risk", "min_norm_risk_limit") or ridgeless, values
        assert np.all(values[finite] >= 0) or which == "marchenko_pastur_stieltjes", values


@examples(0.25)
@given(data=st.data())
def test_paper_experiment(data):
    names = ["reps", "sizes", "p", "k", "expert_k", "signal", "sigma", "lasso_scale", "levels", "seed", "backend"]
    f = Faults(data, names)
    p = f.draw("p", st.integers(12, 30))
    outcome = attempt(
        simulate.paper_experiment,
        [*names, "n", "confidence"],
        reps=f.draw("reps", st.integers(1, 3)),
        sizes=f.draw(
            "sizes",
            st.lists(st.integers(3, 40), min_size=1, max_size=3, unique=True).map(sorted),
            st.one_of(odd_scalars, st.just([5, 5]), st.just([2**63])),
        ),
        p=p,
        k=f.draw("k", st.integers(1, 10)),
        expert_k=f.draw("expert_k", st.integers(1, 9)),
        signal=f.draw("signal", st.floats(0.1, 100), bad_reals),
        sigma=f.draw("sigma", st.one_of(st.floats(0.01, 5), st.just(1e300)), bad_reals),
        lasso_scale=f.draw("lasso_scale", st.floats(0.1, 10), bad_reals),
        levels=f.draw("levels", st.just((0.5, 0.9)), st.one_of(odd_scalars, st.just([1.5]))),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        threads=1,
        backend=f.draw("backend", backends, bad_backends),
        progress=False,
    )
    assert_finite_or_flagged(outcome, None if outcome.error else outcome.result.to_frame())


@examples(0.25)
@given(data=st.data())
def test_double_descent(data):
    names = ["n", "p", "reps", "sigma", "signal", "ridge_lambda", "seed", "backend"]
    f = Faults(data, names)
    n = f.draw("n", st.integers(2, 20), st.one_of(odd_scalars, st.just(2**63)))
    outcome = attempt(
        simulate.double_descent,
        names,
        n,
        f.draw(
            "p",
            st.lists(st.integers(1, 60), min_size=1, max_size=3, unique=True).map(sorted),
            st.one_of(odd_scalars, st.just([1e19]), st.just([2**70])),
        ),
        f.draw("reps", st.integers(1, 3)),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        sigma=f.draw("sigma", st.one_of(st.floats(0, 5), st.just(1e200)), bad_reals),
        signal=f.draw("signal", st.floats(0.1, 10), bad_reals),
        ridge_lambda=f.draw("ridge_lambda", st.one_of(st.none(), st.floats(0, 10)), bad_reals),
        threads=1,
        backend=f.draw("backend", backends, bad_backends),
        progress=False,
    )
    assert_finite_or_flagged(outcome, None if outcome.error else outcome.result.to_frame())


@examples(0.25)
@given(data=st.data())
def test_sgd_scaling(data):
    names = ["sizes", "p", "k", "sigma", "step_size", "batch_size", "epochs", "targets", "reps", "seed", "backend"]
    f = Faults(data, names)
    outcome = attempt(
        simulate.sgd_scaling,
        [*names, "n", "p_per_n"],
        sizes=f.draw(
            "sizes",
            st.lists(st.integers(4, 30), min_size=1, max_size=3, unique=True).map(sorted),
            st.one_of(odd_scalars, st.just([1e19])),
        ),
        p=f.draw("p", st.integers(10, 30)),
        k=f.draw("k", st.integers(1, 10)),
        sigma=f.draw("sigma", st.floats(0.01, 1), bad_reals),
        step_size=f.draw("step_size", st.one_of(st.none(), st.floats(1e-3, 0.5), st.just(50.0)), bad_reals),
        batch_size=f.draw("batch_size", st.integers(1, 4)),
        epochs=f.draw("epochs", st.integers(1, 5)),
        targets=f.draw("targets", st.just((0.5, 0.2)), st.one_of(odd_scalars, st.just([-1.0]))),
        reps=f.draw("reps", st.integers(1, 2)),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        threads=1,
        backend=f.draw("backend", backends, bad_backends),
        progress=False,
    )
    if outcome.error is None:
        frame = outcome.result.to_frame()
        # flops_to_<target> is documented as inf when the mean excess risk never reaches the target
        assert_finite_or_flagged(outcome, frame.drop(columns=[c for c in frame if c.startswith("flops_to_")]))
        assert not frame.filter(like="flops_to_").isna().any().any()


@examples(0.15)
@given(data=st.data())
def test_compute_scaling(data):
    names = ["ratios", "n_values", "estimator", "reps", "seed", "n_resamples", "method", "backend"]
    f = Faults(data, names)
    outcome = attempt(
        simulate.compute_scaling,
        [*names, "signal", "sigma", "true_features", "epochs", "step_size"],
        ratios=f.draw(
            "ratios",
            st.lists(st.sampled_from([1.5, 2.0, 4.0]), min_size=1, max_size=2, unique=True),
            st.one_of(odd_scalars, st.just([1.0]), st.just([-2.0])),
        ),
        n_values=f.draw("n_values", st.just([8, 12, 16]), st.one_of(odd_scalars, st.just([8]), st.just([16, 8]))),
        estimator=f.draw("estimator", st.sampled_from(["min_norm", "sgd", "lasso"]), odd_scalars),
        reps=f.draw("reps", st.integers(3, 4)),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        n_resamples=f.draw("n_resamples", st.integers(20, 40)),
        method=f.draw("method", st.sampled_from(["percentile", "bca"]), odd_scalars),
        epochs=3,
        threads=1,
        backend=f.draw("backend", backends, bad_backends),
        progress=False,
    )
    if outcome.error is None:
        for row in outcome.result.to_frame().to_dict("records"):
            if row.get("status", "ok") == "ok":
                assert all(
                    math.isfinite(v) for k, v in row.items() if isinstance(v, float) and k.startswith("exponent")
                ), row


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_patience_beyond_int64_names_patience(backend):
    # finding (ci budget 400): patience=2^63 reached the C++ binding, whose TypeError named no argument
    X, y = np.zeros((5, 5)), np.zeros(5)
    with pytest.raises(ValueError, match=r"^patience must be <= 1000000000, got 9223372036854775808"):
        simulate.gradient_descent(X, y, step_size=1.0, epochs=1, patience=2**63, backend=backend)
    with pytest.raises(ValueError, match=r"^patience must be <= 1000000000"):
        simulate.sgd(X, y, step_size=1.0, epochs=1, patience=10**9 + 1, backend=backend)


def test_compute_scaling_sgd_names_true_features_beyond_p():
    # finding (ci budget 400): sgd_scaling's "k must be <= the smallest p=8" named its own k, not true_features
    with pytest.raises(
        ValueError, match=r"^true_features must be <= p = 8 \(the smallest cell: ratio 1, n = 8\), got 10"
    ):
        simulate.compute_scaling(ratios=[1.0], n_values=[8, 12, 16], estimator="sgd", reps=3, seed=0, progress=False)


def test_double_descent_refuses_a_ridge_lambda_its_limit_cannot_take():
    # finding (ci budget 400): double_descent ran, then the result's to_frame() raised the limit's OverflowError
    with pytest.raises(OverflowError, match=r"^ridge_lambda=8.335880542071925e-100 with gamma=2.0: m\(z\) is infinite"):
        simulate.double_descent(2, [4], 2, seed=0, sigma=0.0, ridge_lambda=8.335880542071925e-100, progress=False)


def test_make_design_names_snr_and_sigma_when_the_signal_overflows():
    # Found by the sanitize profile's examples: sigma = 1e160 with snr = 1 raised OverflowError(34, 'Numerical
    # result out of range') from sigma**2, naming nothing.
    with pytest.raises(OverflowError, match=r"snr=1\.0, sigma=1e\+160"):
        simulate.make_design(5, 3, snr=1.0, sigma=1e160, seed=1)
    assert simulate.make_design(5, 3, snr=1e-300, sigma=1e160, seed=1).signal == pytest.approx(1e20)
