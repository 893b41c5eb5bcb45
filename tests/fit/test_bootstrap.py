"""The streaming bootstrap: backends, threads, jackknife, scipy agreement, coverage."""

import warnings

import numpy as np
import pytest

from computelimits.fit import bootstrap, bootstrap_ols, jackknife_acceleration, jackknife_coefficients, ols
from computelimits.fit.intervals import mean_jackknife
from computelimits.fit.jackknife import jackknife_rsquared

MOUSE = [52, 104, 146, 10, 51, 30, 40, 27, 46]


def _data(n=50, seed=11, hetero=False):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 4, size=n)
    noise = rng.normal(size=n) * (0.3 + x if hetero else 1.0)
    return x, 1.5 + 0.8 * x + noise


@pytest.mark.parametrize(
    "scheme, weights",
    [
        ("pairs", "rademacher"),
        ("residual", "rademacher"),
        ("wild", "rademacher"),
        ("wild", "mammen"),
        ("poisson", "rademacher"),
    ],
)
def test_cpp_and_numpy_twin_draw_the_same_resamples(scheme, weights):
    x, y = _data()
    kwargs = dict(n_resamples=300, scheme=scheme, wild_weights=weights, seed=42, method="bca")
    cpp = bootstrap_ols(x, y, backend="cpp", threads=2, **kwargs)
    twin = bootstrap_ols(x, y, backend="numpy", **kwargs)
    np.testing.assert_allclose(cpp.bootstrap_distribution, twin.bootstrap_distribution, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cpp.confidence_interval.low, twin.confidence_interval.low, rtol=1e-10)
    np.testing.assert_allclose(cpp.acceleration, twin.acceleration, rtol=1e-9)
    one = bootstrap_ols(x, y, backend="cpp", threads=1, **kwargs)
    assert one.bootstrap_distribution.tobytes() == cpp.bootstrap_distribution.tobytes()


@pytest.mark.parametrize("n, columns, intercept", [(1501, 1, True), (1501, 2, True), (1031, 1, False), (7, 1, True)])
def test_twin_agreement_beyond_one_index_block(n, columns, intercept):
    """Odd n above the kernel's 1,024-index block: the simple-regression fast path (one
    column with an intercept) and the general path draw the resamples of the twin."""
    rng = np.random.default_rng(n)
    x = rng.uniform(0, 4, size=(n, columns))
    y = 1.0 + x @ np.arange(1.0, columns + 1.0) + rng.normal(size=n)
    kwargs = dict(n_resamples=40, method="percentile", seed=9, intercept=intercept)
    cpp = bootstrap_ols(x, y, threads=2, **kwargs).bootstrap_distribution
    twin = bootstrap_ols(x, y, backend="numpy", **kwargs).bootstrap_distribution
    np.testing.assert_allclose(cpp, twin, rtol=1e-10, atol=1e-12)
    assert bootstrap_ols(x, y, threads=1, **kwargs).bootstrap_distribution.tobytes() == cpp.tobytes()


def test_singular_resamples_are_nan_in_both_backends():
    x, y = np.array([0.0, 0.0, 1.0]), np.array([1.0, 2.0, 4.0])
    with pytest.warns(Warning, match="NaN endpoint"), pytest.warns(Warning, match="standard error is undefined"):
        cpp = bootstrap_ols(x, y, 200, method="percentile", seed=3).bootstrap_distribution
    with pytest.warns(Warning, match="NaN endpoint"), pytest.warns(Warning, match="standard error is undefined"):
        twin = bootstrap_ols(x, y, 200, method="percentile", seed=3, backend="numpy").bootstrap_distribution
    # A resample misses row 2 with probability (2/3)^3: then x* is constant and X'WX singular.
    assert 20 < np.isnan(cpp[1]).sum() < 140
    np.testing.assert_array_equal(np.isnan(cpp), np.isnan(twin))
    np.testing.assert_allclose(cpp[~np.isnan(cpp)], twin[~np.isnan(twin)], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 7, 1000])
def test_resample_indices_from_python_integers(n):
    """Two indices per SplitMix64 draw by multiply-shift, recomputed with Python ints."""
    from computelimits.fit._numpy_twin import resample_indices

    mask, gamma = 2**64 - 1, 0x9E3779B97F4A7C15

    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return z ^ (z >> 31)

    seed, stream = 12345, 3
    key = mix((mix(seed ^ 0x6A09E667F3BCC909) + (stream + 1) * gamma) & mask)
    expected = []
    for j in range(1, (n + 1) // 2 + 1):
        h = mix((key + j * gamma) & mask)
        expected += [((h >> 32) * n) >> 32, ((h & 0xFFFFFFFF) * n) >> 32]
    got = resample_indices(seed, stream - 1, 2, n)
    assert got.shape == (2, n)
    assert got[1].tolist() == expected[:n]


@pytest.mark.parametrize("backend", ["numpy", "cpp"])
def test_interval_quantiles_equal_numpy_quantile_bit_for_bit(backend):
    from computelimits.fit.intervals import _quantiles

    rng = np.random.default_rng(4)
    for trial in range(300):
        rows, b = int(rng.integers(1, 4)), int(rng.integers(1, 80))
        distribution = rng.normal(size=(rows, b))
        if trial % 3 == 0:
            distribution = np.round(distribution, 1)  # ties
        shared = rng.uniform(size=2) if trial % 4 else np.array([0.0, 1.0])
        per_row = rng.uniform(size=(rows, 2))
        for probabilities in (np.tile(shared, (rows, 1)), per_row):
            expected = np.array([np.quantile(row, q) for row, q in zip(distribution, probabilities)])
            # equal bit for bit, up to the sign of a zero (ties of -0.0 and 0.0 may swap places)
            got = _quantiles(distribution, probabilities, backend, threads=2)
            np.testing.assert_array_equal(got, expected, strict=True)


@pytest.mark.parametrize("b", [601, 4999, 20000])
def test_cpp_quantiles_of_long_rows_equal_numpy(b):
    """Rows longer than 600 take Floyd and Rivest's sampling step; ties and extreme ranks too."""
    from computelimits.fit.intervals import _quantiles

    rng = np.random.default_rng(b)
    distribution = np.vstack(
        [
            rng.normal(size=b),
            np.round(rng.normal(size=b), 1),
            rng.integers(0, 3, size=b),
            np.sort(rng.normal(size=b)),
            np.sort(rng.normal(size=b))[::-1],
        ]
    )
    for probabilities in ([0.0, 1.0], [0.025, 0.975], [0.0005, 0.9995], [0.5, 0.3]):
        table = np.tile(probabilities, (len(distribution), 1))
        expected = np.quantile(distribution, probabilities, axis=1).T
        np.testing.assert_array_equal(_quantiles(distribution, table, "cpp", threads=2), expected, strict=True)


@pytest.mark.parametrize("backend", ["numpy", "cpp"])
def test_quantiles_and_standard_errors_of_rows_with_nan(backend):
    from computelimits.fit.intervals import _quantiles, standard_errors

    distribution = np.random.default_rng(5).normal(size=(3, 1001))
    distribution[1, 17] = np.nan
    probabilities = np.array([[0.025, 0.975], [0.5, 0.5], [np.nan, 1.0]])
    got = _quantiles(distribution, probabilities, backend)
    assert np.isnan(got[1]).all() and np.isnan(got[2, 0])
    assert got[0].tolist() == np.quantile(distribution[0], [0.025, 0.975]).tolist()
    assert got[2, 1] == distribution[2].max()
    with pytest.warns(Warning, match="standard error is undefined"):
        errors = standard_errors(distribution, backend)
    assert np.isnan(errors[1])
    np.testing.assert_allclose(errors[[0, 2]], np.std(distribution[[0, 2]], axis=1, ddof=1), rtol=1e-13)
    with pytest.warns(Warning, match="standard error is undefined"):
        assert np.isnan(standard_errors(np.ones((2, 1)), backend)).all()


def test_resample_blocks_concatenate():
    x, y = _data()
    whole = bootstrap_ols(x, y, 200, method="percentile", seed=5).bootstrap_distribution
    first = bootstrap_ols(x, y, 120, method="percentile", seed=5).bootstrap_distribution
    rest = bootstrap_ols(x, y, 80, method="percentile", seed=5, first_resample=120).bootstrap_distribution
    assert np.concatenate([first, rest], axis=1).tobytes() == whole.tobytes()


def test_wild_weights_have_mean_zero_and_unit_variance():
    # With y = fitted + r v and X'r = 0, b* - b = (X'X)^-1 X' (r v): its mean over resamples is ~0 and its
    # covariance is the HC0 sandwich (X'X)^-1 X' diag(r^2) X (X'X)^-1 for any weights with E v = 0, E v^2 = 1.
    x, y = _data(n=40, hetero=True)
    fit = ols(x, y)
    bread = fit.cov_unscaled
    sandwich = bread @ (fit.design.T * fit.resid**2) @ fit.design @ bread
    for weights in ("rademacher", "mammen"):
        draws = bootstrap_ols(x, y, 20000, scheme="wild", wild_weights=weights, method="percentile", seed=1)
        slope = draws.bootstrap_distribution[1]
        assert abs(slope.mean() - fit.params[1]) < 4 * np.sqrt(sandwich[1, 1] / 20000)
        assert slope.var() == pytest.approx(sandwich[1, 1], rel=0.05)


def test_closed_form_jackknife_matches_refits():
    x, y = _data(n=25)
    fit = ols(x, y)
    refits = np.array([ols(np.delete(x, i), np.delete(y, i)).params for i in range(25)])
    r2 = np.array([ols(np.delete(x, i), np.delete(y, i)).rsquared for i in range(25)])
    for backend in ("cpp", "numpy"):
        np.testing.assert_allclose(jackknife_coefficients(fit, backend), refits, rtol=1e-11)
    np.testing.assert_allclose(jackknife_rsquared(fit), r2, rtol=1e-11)


def test_mouse_data_acceleration():
    expected = 0.0658752720662613  # scipy's test value, Efron and Tibshirani's mouse data
    assert jackknife_acceleration(mean_jackknife(MOUSE)) == pytest.approx(expected, rel=1e-13)
    result = bootstrap(MOUSE, "mean", n_resamples=2000, seed=1)
    assert result.acceleration == pytest.approx(expected, rel=1e-13)
    assert result.confidence_interval.low < np.mean(MOUSE) < result.confidence_interval.high


@pytest.mark.parametrize("method", ["percentile", "basic", "bca"])
def test_mean_agrees_with_scipy(method):
    stats = pytest.importorskip("scipy.stats")
    data = np.random.default_rng(2).gamma(2.0, size=40)
    ours = bootstrap(data, "mean", n_resamples=9999, method=method, seed=3)
    theirs = stats.bootstrap((data,), np.mean, n_resamples=9999, method=method, rng=4)
    se = theirs.standard_error
    assert ours.standard_error == pytest.approx(se, rel=0.05)
    # Endpoint Monte-Carlo SD is ~0.03 SE per run at B = 9999; allow 5 SD of the difference.
    assert abs(ours.confidence_interval.low - theirs.confidence_interval.low) < 0.2 * se
    assert abs(ours.confidence_interval.high - theirs.confidence_interval.high) < 0.2 * se


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_slope_agrees_with_scipy_paired(method):
    stats = pytest.importorskip("scipy.stats")
    x, y = _data(n=60, hetero=True)

    def slope(xs, ys, axis=-1):
        xc = xs - xs.mean(axis=axis, keepdims=True)
        return (xc * ys).sum(axis=axis) / (xc * xc).sum(axis=axis)

    theirs = stats.bootstrap((x, y), slope, paired=True, vectorized=True, n_resamples=9999, method=method, rng=1)
    ours = bootstrap_ols(x, y, 9999, method=method, seed=8).statistic("x1")
    se = theirs.standard_error
    assert ours.standard_error == pytest.approx(se, rel=0.05)
    assert abs(ours.confidence_interval.low - theirs.confidence_interval.low) < 0.2 * se
    assert abs(ours.confidence_interval.high - theirs.confidence_interval.high) < 0.2 * se


def test_bca_coverage_is_nominal():
    # 400 data sets from a known line; the BCa interval for the slope must cover 0.8 in 95% +- 3 SE of them.
    replicates, hits = 400, 0
    for r in range(replicates):
        x, y = _data(n=40, seed=1000 + r)
        result = bootstrap_ols(x, y, 999, method="bca", seed=r, threads=2).statistic("x1")
        hits += result.confidence_interval.low <= 0.8 <= result.confidence_interval.high
    se = np.sqrt(0.95 * 0.05 / replicates)
    assert abs(hits / replicates - 0.95) <= 3 * se, hits / replicates


def test_degenerate_distribution_gives_nan_with_warning():
    stats = pytest.importorskip("scipy.stats")
    with pytest.warns(stats.DegenerateDataWarning):
        result = bootstrap([3.0, 3.0, 3.0, 3.0, 3.0], "mean", n_resamples=100, seed=1)
    assert np.isnan(result.confidence_interval.low) and np.isnan(result.confidence_interval.high)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = stats.bootstrap((np.full(5, 3.0),), np.mean, n_resamples=100, rng=1)
    assert np.isnan(theirs.confidence_interval.low)


def test_result_objects():
    x, y = _data()
    result = bootstrap_ols(x, y, 500, seed=1, derived={"ratio": lambda b: b[:, 1] / b[:, 0]})
    assert result.names == ("const", "x1", "rsquared", "ratio")
    assert result.bootstrap_distribution.shape == (4, 500)
    np.testing.assert_allclose(result.standard_error, result.bootstrap_distribution.std(axis=1, ddof=1))
    frame = result.to_frame()
    assert list(frame.columns[:3]) == ["estimate", "low", "high"]
    assert "ratio" in result.summary() and "BootstrapResult" in repr(result)
    assert result.to_dict()["n_resamples"] == 500
    single = result.statistic("ratio")
    assert single.estimate == pytest.approx(result.estimate[3])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(n_resamples=0), ValueError, "n_resamples must be >= 1"),
        (dict(scheme="jackknife"), ValueError, "scheme must be one of"),
        (dict(method="student"), ValueError, "method must be one of"),
        (dict(confidence_level=1.0), ValueError, "confidence_level must be < 1"),
        (dict(wild_weights="normal"), ValueError, "wild_weights"),
        (dict(seed=-1), ValueError, "seed must be >= 0"),
        (dict(n_resamples=2.5), TypeError, "n_resamples must be an integer"),
    ],
)
def test_bad_arguments(kwargs, error, match):
    x, y = _data(n=10)
    with pytest.raises(error, match=match):
        bootstrap_ols(x, y, **{"n_resamples": 10, **kwargs})


@pytest.mark.parametrize(
    "x, y, match",
    [
        ([1.0, 2.0], [1.0, 2.0], "at least 3 points, got 2"),
        ([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0], "x is constant"),
        ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "x must be finite, got nan at row 1"),
    ],
)
def test_bad_data(x, y, match):
    with pytest.raises(ValueError, match=match):
        bootstrap_ols(x, y, 10)
