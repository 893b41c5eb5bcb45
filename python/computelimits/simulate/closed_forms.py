"""Closed forms for the risk of least squares, min-norm and ridge with x ~ N(0, I_p).

Model: y = x'beta + e, Var e = sigma^2, estimate b, excess risk R = ||b - beta||^2
(test MSE = R + sigma^2).

- Finite sample (Belkin, Hsu, Xu, "Two models of double descent for weak features",
  2019, SIAM J. Math. Data Sci. 2020): for b = pinv(X) y,
  E R = sigma^2 p / (n - p - 1) for p <= n - 2;
  E R = ||beta||^2 (1 - n/p) + sigma^2 n / (p - n - 1) for p >= n + 2; infinite otherwise.
- Proportional limit p/n -> gamma (Hastie, Montanari, Rosset, Tibshirani, "Surprises in
  high-dimensional ridgeless least squares interpolation", 2019/2022, Thm 1 and 5):
  min-norm: sigma^2 gamma / (1 - gamma) (gamma < 1), r^2 (1 - 1/gamma) + sigma^2 / (gamma - 1)
  (gamma > 1); ridge b = (X'X + n lambda I)^{-1} X'y:
  R(lambda) = r^2 lambda^2 m'(-lambda) + sigma^2 gamma (m(-lambda) - lambda m'(-lambda)),
  m the Stieltjes transform of the Marchenko-Pastur law with ratio gamma; the optimal
  penalty is lambda* = sigma^2 gamma / r^2.
- Ridge, exact expectation over the noise given X = U S V' (singular values s_i):
  E_e R = sum_i (n lambda / (s_i^2 + n lambda))^2 (v_i'beta)^2 + ||P_null beta||^2
          + sigma^2 sum_i s_i^2 / (s_i^2 + n lambda)^2.
- Lasso with k true features among p and the universal penalty
  alpha = scale sigma sqrt(2 ln p / n): the rate sigma^2 k ln p / n (Bickel, Ritov and
  Tsybakov, "Simultaneous analysis of Lasso and Dantzig selector", Ann. Statist. 2009,
  Thm 7.2; an upper bound up to a constant), and the expected risk when the lasso selects
  exactly the true support S with the true signs s (then w_S = beta_S + W^{-1}(X_S'e/n -
  alpha s), W = X_S'X_S/n): E R = k alpha^2 n^2 (n - 1) / ((n - k)(n - k - 1)(n - k - 3))
  + sigma^2 k / (n - k - 1), from the inverse-Wishart moments E A^{-1} = I/(n - k - 1) and
  E A^{-2} = (n - 1) I / ((n - k)(n - k - 1)(n - k - 3)) of A = X_S'X_S ~ W_k(n, I)
  (von Rosen, "Moments for the inverted Wishart distribution", Scand. J. Statist. 1988).
  As n grows it tends to sigma^2 k (2 scale^2 ln p + 1) / n, the rate with its constant.

Every argument is checked: gamma > 0, lambda >= 0, n, p, k >= 1, lasso_scale > 0, signal and
sigma >= 0, all finite (ValueError naming the argument); sigma^2 beyond float64, or a finite risk beyond
float64 where its formula applies, raises OverflowError naming the arguments.
"""

from __future__ import annotations

import math

import numpy as np


def _array(name: str, values, *, minimum: float = 0.0, strict: bool = False) -> np.ndarray:
    """``values`` as a float array, every entry finite and >= minimum (> when strict)."""
    from .._validation import real_array

    array = real_array(name, values)
    bad = ~np.isfinite(array) | ((array <= minimum) if strict else (array < minimum))
    if np.any(bad):
        value = array.ravel()[int(np.flatnonzero(bad.ravel())[0])]
        relation = ">" if strict else ">="
        raise ValueError(f"{name} must be finite and {relation} {minimum:g}, got {float(value)!r}")
    return array


def _scalar(name: str, value, **bounds) -> float:
    """One number (not an array), checked as ``_array``; TypeError naming ``name`` for an array."""
    array = _array(name, value, **bounds)
    if array.ndim:
        raise TypeError(f"{name} must be a number, got an array of shape {array.shape}")
    return float(array)


def _noise_variance(sigma) -> float:
    sigma = _scalar("sigma", sigma)
    variance = sigma * sigma
    if not math.isfinite(variance):
        raise OverflowError(f"sigma**2 overflows float64 for sigma={sigma!r}")
    return variance


def _defined_or_inf(defined, values, arguments: str):
    """``values`` where ``defined`` (a mask, or True for everywhere), inf elsewhere (where the risk is
    infinite by its formula); an OverflowError naming ``arguments`` where a defined value left float64's range."""
    defined, values = np.broadcast_arrays(defined, values)
    if np.any(defined & ~np.isfinite(values)):
        raise OverflowError(f"the risk overflows float64 for {arguments}: rescale them")
    out = np.where(defined, values, np.inf)
    return out if out.ndim else float(out)


def min_norm_risk(n, p, signal, sigma):
    """Belkin-Hsu-Xu exact E ||pinv(X) y - beta||^2 (inf for |p - n| <= 1 when sigma > 0); vectorized over p.

    sigma^2 p / (n - p - 1) for p <= n - 2; ||beta||^2 (1 - n/p) + sigma^2 n / (p - n - 1) for
    p >= n + 2 (Belkin, Hsu and Xu 2020, x ~ N(0, I_p)). Without noise (sigma = 0) every p is
    finite: 0 for p <= n (exact recovery) and ||beta||^2 (1 - n/p) for p > n (the null-space bias).

    Parameters
    ----------
    n : int or array_like
        Training examples.
    p : int or array_like
        Features.
    signal : float
        ||beta||^2.
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> closed_forms.min_norm_risk(100, [50, 98, 200], signal=1.0, sigma=1.0)  # 50/49, 98/1, 0.5 + 100/99
    array([ 1.0204, 98.    ,  1.5101])
    """
    n = _array("n", n, minimum=1.0)
    p = _array("p", p, minimum=1.0)
    signal = _scalar("signal", signal)
    variance = _noise_variance(sigma)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # each branch is checked where it is used
        under = variance * p / (n - p - 1.0)
        over = signal * (1.0 - n / p) + variance * n / (p - n - 1.0)
    values = np.where(p <= n - 2, under, over)
    defined = (p <= n - 2) | (p >= n + 2)
    if variance == 0.0:  # no noise: exact recovery for p <= n, the null-space bias for p > n, at every p
        with np.errstate(over="ignore"):
            values, defined = np.where(p <= n, 0.0, signal * (1.0 - n / p)), True
    return _defined_or_inf(defined, values, f"n, p, signal={signal!r} and sigma={sigma!r}")


def min_norm_risk_limit(gamma, signal, sigma):
    """Hastie et al. limit of the min-norm excess risk at aspect ratio gamma = p/n > 0 (inf at 1 when sigma > 0).

    sigma^2 gamma / (1 - gamma) for gamma < 1; r^2 (1 - 1/gamma) + sigma^2 / (gamma - 1) for
    gamma > 1 (Hastie, Montanari, Rosset and Tibshirani 2022, Thm 1).

    Parameters
    ----------
    gamma : float or array_like
        p / n (> 0).
    signal : float
        r^2 = ||beta||^2.
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> closed_forms.min_norm_risk_limit([0.5, 2.0], signal=1.0, sigma=1.0)
    array([1. , 1.5])
    """
    gamma = _array("gamma", gamma, strict=True)
    signal = _scalar("signal", signal)
    variance = _noise_variance(sigma)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # each branch is checked where it is used
        under = variance * gamma / (1.0 - gamma)
        over = signal * (1.0 - 1.0 / gamma) + variance / (gamma - 1.0)
    if variance == 0.0:  # no noise: the limit is continuous at gamma = 1 (0 from both sides)
        return _defined_or_inf(gamma > 0, np.where(gamma <= 1, 0.0, over), f"gamma and signal={signal!r}")
    return _defined_or_inf(
        gamma != 1, np.where(gamma < 1, under, over), f"gamma, signal={signal!r} and sigma={sigma!r}"
    )


def marchenko_pastur_stieltjes(z, gamma):
    """m(z) = int dF(s) / (s - z) for the MP law (ratio gamma > 0, unit variance), z < 0, and m'(z).

    m(z) = (1 - gamma - z - sqrt((1 - gamma - z)^2 - 4 gamma z)) / (2 gamma z) (Marchenko and Pastur 1967).

    Parameters
    ----------
    z : float
        The point (< 0; ridge evaluates it at -lambda).
    gamma : float
        The aspect ratio (> 0).

    Returns
    -------
    (float, float)
        m(z) and m'(z).

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> closed_forms.marchenko_pastur_stieltjes(-1.0, 0.5)
    (0.56155..., 0.34887...)
    """
    z = _scalar("z", z, minimum=-math.inf)
    if not z < 0:
        raise ValueError(f"z must be < 0 (the Stieltjes transform is evaluated at -lambda), got {z!r}")
    gamma = _scalar("gamma", gamma, strict=True)
    b = 1.0 - gamma - z
    root = math.hypot(b, 2.0 * math.sqrt(-gamma * z))  # sqrt(b^2 - 4 gamma z) without overflow
    # m = (b - root) / (2 gamma z) = 2 / (b + root) (multiply by b + root: no cancellation at small |z|),
    # m' = 2 (1 + (b + 2 gamma) / root) / (b + root)^2
    total = b + root
    if not total > 0:  # gamma > 1 at z -> 0: the MP law's atom at 0 makes m infinite
        raise OverflowError(f"m(z) is infinite at z={z!r} for gamma={gamma!r} (|z| too small for gamma > 1)")
    value = 2.0 / total
    derivative = 2.0 * (1.0 + (b + 2.0 * gamma) / root) / (total * total)
    if not (math.isfinite(value) and math.isfinite(derivative)):
        raise OverflowError(f"m(z) or m'(z) overflows float64 at z={z!r}, gamma={gamma!r}")
    return value, derivative


def ridge_risk_limit(gamma, ridge_lambda, signal, sigma):
    """Hastie et al. limiting ridge excess risk r^2 l^2 m'(-l) + sigma^2 gamma (m(-l) - l m'(-l)).

    gamma > 0 and ridge_lambda >= 0 (0 is the min-norm limit), broadcast against each other;
    ridge b = (X'X + n lambda I)^-1 X'y (Hastie et al. 2022, Thm 5).

    Parameters
    ----------
    gamma : float or array_like
        p / n (> 0).
    ridge_lambda : float or array_like
        lambda (>= 0).
    signal : float
        r^2 = ||beta||^2.
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> best = closed_forms.optimal_ridge_lambda(2.0, 1.0, 1.0)
    >>> closed_forms.ridge_risk_limit(2.0, [0.5, best], 1.0, 1.0)  # the optimal penalty has the lower risk
    array([0.902, 0.7808])
    """
    gamma = _array("gamma", gamma, strict=True)
    ridge_lambda = _array("ridge_lambda", ridge_lambda)
    signal = _scalar("signal", signal)
    variance = _noise_variance(sigma)

    def one(g, lam):
        if lam == 0:
            return float(min_norm_risk_limit(g, signal, math.sqrt(variance)))
        try:
            m, dm = marchenko_pastur_stieltjes(-lam, g)
        except OverflowError as error:
            raise OverflowError(f"ridge_lambda={float(lam)!r} with gamma={float(g)!r}: {error}") from None
        risk = signal * lam * lam * dm + variance * g * (m - lam * dm)
        if not math.isfinite(risk):
            raise OverflowError(
                f"the ridge risk overflows float64 for ridge_lambda={lam!r}, gamma={g!r}, signal={signal!r}"
            )
        return risk

    gamma, ridge_lambda = np.broadcast_arrays(gamma, ridge_lambda)
    out = np.array([one(g, lam) for g, lam in zip(gamma.ravel(), ridge_lambda.ravel())]).reshape(gamma.shape)
    return out if out.ndim else float(out)


def optimal_ridge_lambda(gamma, signal, sigma):
    """lambda* = sigma^2 gamma / r^2 (Hastie et al. 2019; Dobriban and Wager 2018); gamma, signal > 0.

    Parameters
    ----------
    gamma : float or array_like
        p / n (> 0).
    signal : float
        r^2 = ||beta||^2 (> 0).
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> float(closed_forms.optimal_ridge_lambda(2.0, 1.0, 1.0))
    2.0
    """
    gamma = _array("gamma", gamma, strict=True)
    signal = _scalar("signal", signal, strict=True)
    with np.errstate(over="ignore"):
        out = _noise_variance(sigma) * gamma / signal
    return _defined_or_inf(True, out, f"gamma, signal={signal!r} and sigma={sigma!r}")


def ridge_conditional_risk(X, beta, ridge_lambda, sigma):
    """E over the noise of ||b - beta||^2 for ridge given the design X (SVD formula above).

    With X = U S V': sum_i (n lambda / (s_i^2 + n lambda))^2 (v_i'beta)^2 + ||P_null beta||^2 +
    sigma^2 sum_i s_i^2 / (s_i^2 + n lambda)^2.

    Parameters
    ----------
    X : array_like
        (n, p) design.
    beta : array_like
        (p,) true coefficients.
    ridge_lambda : float
        lambda (>= 0).
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from computelimits.simulate import closed_forms
    >>> closed_forms.ridge_conditional_risk(np.eye(3), np.ones(3), 1.0, 1.0)  # 3 (3/4)^2 + 3/16
    1.875
    """
    from .._validation import real_array

    X = real_array("X", X)
    beta = real_array("beta", beta)
    if X.ndim != 2 or beta.shape != (X.shape[1],) or not (np.all(np.isfinite(X)) and np.all(np.isfinite(beta))):
        raise ValueError(f"X must be a finite (n, p) array and beta a finite (p,) vector, got {X.shape}, {beta.shape}")
    ridge_lambda = _scalar("ridge_lambda", ridge_lambda)
    variance = _noise_variance(sigma)
    n = X.shape[0]
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    coefficients = vt @ beta
    shift = n * ridge_lambda
    s2 = s * s
    total = s2 + shift
    usable = total > 0  # s_i = 0 with lambda = 0: the lambda -> 0 limits, shrinkage 1 and no variance
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        shrink = np.where(usable, shift / np.where(usable, total, 1.0), 1.0)
        safe = np.where(usable, total, 1.0)
        gain = np.where(usable, (s2 / safe) / safe, 0.0)  # s^2 / (s^2 + n lambda)^2 without squaring a tiny total
        # ||P_null beta||^2 = ||beta||^2 - ||V'beta||^2, >= 0 (rounding can leave -1e-16)
        bias = np.sum(shrink**2 * coefficients**2) + max(float(beta @ beta - coefficients @ coefficients), 0.0)
        risk = float(bias + variance * np.sum(gain))
    if not math.isfinite(risk):
        raise OverflowError("X and beta: the risk's sums of squares overflow float64 at this scale; rescale X and beta")
    return risk


def lasso_rate(n, p, k, sigma):
    """The lasso's rate sigma^2 k ln(p) / n (Bickel, Ritov and Tsybakov 2009); vectorized over n, p >= 1.

    Parameters
    ----------
    n : int or array_like
        Training examples.
    p : int or array_like
        Candidate features.
    k : int
        True features.
    sigma : float
        Noise standard deviation.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> round(closed_forms.lasso_rate(100, 200, 10, 1.0), 4)  # 10 ln(200) / 100
    0.5298
    """
    n = _array("n", n, minimum=1.0)
    p = _array("p", p, minimum=1.0)
    k = _scalar("k", k, minimum=1.0)
    with np.errstate(over="ignore"):
        out = _noise_variance(sigma) * k * np.log(p) / n
    return _defined_or_inf(True, out, f"n, p, k={k!r} and sigma={sigma!r}")


def lasso_support_risk(n, p, k, sigma, lasso_scale=1.0):
    """E ||w - beta||^2 of the lasso when it selects exactly the k true features with their signs.

    At alpha = lasso_scale sigma sqrt(2 ln p / n) (module docstring; x ~ N(0, I_p)):
    k alpha^2 n^2 (n - 1) / ((n - k)(n - k - 1)(n - k - 3)) + sigma^2 k / (n - k - 1), from the
    inverse-Wishart moments (von Rosen 1988). It ignores false positives and sign errors, so it
    describes the lasso once n is large against k ln p; inf when n <= k + 3 (the moments do not exist).

    Parameters
    ----------
    n : int or array_like
        Training examples.
    p : int or array_like
        Candidate features.
    k : int
        True features.
    sigma : float
        Noise standard deviation.
    lasso_scale : float, default 1.0
        The penalty's multiple of the universal sigma sqrt(2 ln p / n).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> from computelimits.simulate import closed_forms
    >>> round(closed_forms.lasso_support_risk(100, 200, 10, 1.0), 4)
    1.6178
    """
    n = _array("n", n, minimum=1.0)
    p = _array("p", p, minimum=1.0)
    k = _scalar("k", k, minimum=1.0)
    scale = _scalar("lasso_scale", lasso_scale, strict=True)
    variance = _noise_variance(sigma)
    alpha2 = scale**2 * variance * 2.0 * np.log(p) / n
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # checked where n > k + 3
        inflation = n * n * (n - 1.0) / ((n - k) * (n - k - 1.0) * (n - k - 3.0))
        out = k * alpha2 * inflation + variance * k / (n - k - 1.0)
    return _defined_or_inf(n > k + 3, out, f"n, p, k={k!r}, sigma={sigma!r} and lasso_scale={lasso_scale!r}")
