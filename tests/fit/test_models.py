"""The paper's compute-error models, frontiers and their bad-input errors."""

import numpy as np
import pytest

from computelimits.fit import fit_compute_error, frontier_mask, halving_log10_multiplier, target_log10_compute


def _points(n=30, seed=4):
    rng = np.random.default_rng(seed)
    log_c = rng.uniform(15, 22, size=n)
    error = 10 ** (0.9 - 0.07 * log_c + rng.normal(scale=0.05, size=n))
    year = np.round(2012 + (log_c - 15) + rng.normal(scale=0.5, size=n))
    return 10**log_c, error, year


def test_frontier_definitions_on_a_hand_example():
    compute = np.array([1e3, 1e4, 1e2, 1e5, 1e6, 1e4])
    error = np.array([0.5, 0.4, 0.45, 0.42, 0.3, 0.35])
    year = np.array([2010, 2011, 2012, 2012, 2013, 2014])
    # By year: 0.5 (2010) -> 0.4 (2011) -> 0.45, 0.42 not new bests -> 0.3 (2013) -> 0.35 no.
    assert frontier_mask(compute, error, year, by="year").tolist() == [True, True, False, False, True, False]
    # By compute (1e2 .45, 1e3 .5, 1e4 .4/.35, 1e5 .42, 1e6 .3): .45, then .35 at 1e4, then .3.
    assert frontier_mask(compute, error, by="compute").tolist() == [False, False, True, False, True, True]


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_models_match_numpy_polyfit_and_invert(backend):
    compute, error, _ = _points()
    poly = fit_compute_error(compute, error, "polynomial", backend=backend)
    b, a = np.polyfit(np.log10(compute), np.log10(error), 1)
    assert poly.slope == pytest.approx(b, rel=1e-12) and poly.intercept == pytest.approx(a, rel=1e-12)
    expo = fit_compute_error(compute, error, "exponential", backend=backend)
    b, a = np.polyfit(np.log10(compute), error, 1)
    assert expo.slope == pytest.approx(b, rel=1e-12) and expo.intercept == pytest.approx(a, rel=1e-12)
    for model_fit in (poly, expo):
        log_c = model_fit.log10_compute_for_error(0.05)
        assert model_fit.predict_error(10**log_c)[0] == pytest.approx(0.05, rel=1e-12)
    # Polynomial: any starting compute, multiplying by 2^(-1/b) halves the error.
    multiplier = poly.halving_multiplier()
    assert multiplier == pytest.approx(2 ** (-1 / poly.slope), rel=1e-12)
    assert (poly.predict_error(1e20 * multiplier) / poly.predict_error(1e20))[0] == pytest.approx(0.5, rel=1e-10)
    # Exponential: halving from e0 = 0.2.
    start = 10 ** expo.log10_compute_for_error(0.2)
    halved = expo.predict_error(start * expo.halving_multiplier(0.2))[0]
    assert halved == pytest.approx(0.1, rel=1e-10)
    assert "ComputeErrorFit" in repr(poly) and poly.to_dict()["points"] == 30


def test_year_covariate_and_frontier_fit():
    compute, error, year = _points(n=40)
    with_year = fit_compute_error(compute, error, year=year, year_covariate=True)
    assert len(fit_compute_error(compute, error, year=year).fit.params) == 2
    design = np.column_stack([np.ones(40), np.log10(compute), year])
    expected = np.linalg.lstsq(design, np.log10(error), rcond=None)[0]
    np.testing.assert_allclose(with_year.fit.params, expected, rtol=1e-9)
    stat = target_log10_compute(0.05, "polynomial", year=2020.0)(with_year.fit.params)[0]
    assert stat == pytest.approx(with_year.log10_compute_for_error(0.05, year=2020.0), rel=1e-12)
    by_year = fit_compute_error(compute, error, year=year, frontier="year")
    year_mask = frontier_mask(compute, error, year, by="year")
    assert by_year.fit.nobs == year_mask.sum() and len(by_year.fit.params) == 2
    with pytest.raises(ValueError, match="year_covariate=True needs year"):
        fit_compute_error(compute, error, year_covariate=True)
    front = fit_compute_error(compute, error, year=None, frontier="compute")
    mask = frontier_mask(compute, error, by="compute")
    b, _ = np.polyfit(np.log10(compute[mask]), np.log10(error[mask]), 1)
    assert front.slope == pytest.approx(b, rel=1e-12) and front.fit.nobs == mask.sum()
    assert halving_log10_multiplier()(np.array([[0.0, -0.5]]))[0] == pytest.approx(np.log10(4.0))


@pytest.mark.parametrize(
    "compute, error, match",
    [
        ([1e3, np.nan, 1e5], [0.3, 0.2, 0.1], "compute must be finite, got nan at index 1"),
        ([1e3, np.inf, 1e5], [0.3, 0.2, 0.1], "compute must be finite, got inf at index 1"),
        ([1e3, 1e4, 1e5], [0.3, -0.2, 0.1], r"error must be positive, got -0.2 at index 1"),
        ([1e3, 0.0, 1e5], [0.3, 0.2, 0.1], r"compute must be positive, got 0.0 at index 1"),
        ([1e3, 1e4], [0.3, 0.2], "compute needs at least 3 points, got 2"),
        ([1e4, 1e4, 1e4], [0.3, 0.2, 0.1], r"compute is constant \(every value is 10000.0\)"),
    ],
)
def test_bad_input(compute, error, match):
    with pytest.raises(ValueError, match=match):
        fit_compute_error(compute, error)


def test_bad_options():
    compute, error, _ = _points()
    with pytest.raises(ValueError, match="model must be one of"):
        fit_compute_error(compute, error, model="linear")
    with pytest.raises(ValueError, match="frontier must be one of"):
        fit_compute_error(compute, error, frontier="best")
    with pytest.raises(ValueError, match="frontier='year' needs year"):
        fit_compute_error(compute, error, frontier="year")
    with pytest.raises(ValueError, match="needs reference_error"):
        halving_log10_multiplier("exponential")
    with pytest.raises(ValueError, match="target_error must be > 0"):
        fit_compute_error(compute, error).log10_compute_for_error(0.0)


def test_year_argument_is_checked_and_named():
    compute, error, year = _points()
    for covariate in (False, True):
        model_fit = fit_compute_error(compute, error, "polynomial", year=year, year_covariate=covariate)
        assert model_fit.predict_error(1e20, year=2020.0)[0] > 0
        for bad, kind in (("2020", TypeError), ({}, TypeError), (np.nan, ValueError)):
            with pytest.raises(kind, match="year"):
                model_fit.predict_error(1e20, year=bad)
            with pytest.raises(kind, match="year"):
                model_fit.log10_compute_for_error(0.05, year=bad)
