"""OLS against the NIST StRD certified values (>= 9 significant digits; Filip >= 7)."""

import numpy as np
import pytest

from computelimits.simulate import estimators

from .conftest import NIST_FILES


def _digits(estimate, certified):
    with np.errstate(divide="ignore"):
        return float(np.min(-np.log10(np.abs(estimate - certified) / np.abs(certified))))


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("name", NIST_FILES)
def test_ols_qr_matches_certified_values(nist, name, backend):
    data = nist[name]
    fit = estimators.ols(data["X"], data["y"], method="qr", backend=backend)
    required = 7.0 if name == "Filip" else 9.0
    assert _digits(fit.coef, data["beta"]) >= required
    residual_sd = np.sqrt(np.sum((data["y"] - data["X"] @ fit.coef) ** 2) / (len(data["y"]) - data["X"].shape[1]))
    if data["residual_sd"] > 0:
        assert residual_sd == pytest.approx(data["residual_sd"], rel=1e-6)


def test_parser_reads_shapes(nist):
    assert nist["Longley"]["X"].shape == (16, 7)
    assert nist["Filip"]["X"].shape == (82, 11)
    assert nist["NoInt1"]["X"].shape == (11, 1)
    assert nist["Wampler5"]["beta"].tolist() == [1.0] * 6


@pytest.mark.parametrize("name", ["Norris", "Pontius", "NoInt1", "Wampler2"])
def test_cholesky_ols_on_well_conditioned_files(nist, name):
    data = nist[name]
    fit = estimators.ols(data["X"], data["y"], method="cholesky")
    assert _digits(fit.coef, data["beta"]) >= 9.0


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("name", ["Filip", "Longley", "Wampler5"])
def test_one_least_squares_core_for_fit_and_simulate(nist, name, backend):
    """simulate's OLS and fit's OLS are the same routine: the same coefficients, bit for bit."""
    from computelimits.fit import ols as fit_ols

    data = nist[name]
    simulated = estimators.ols(data["X"], data["y"], method="qr", backend=backend)
    fitted = fit_ols(data["X"][:, 1:], data["y"], backend=backend)
    assert simulated.coef.tobytes() == fitted.params.tobytes()
