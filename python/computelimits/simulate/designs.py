"""Gaussian designs: isotropic, equicorrelated or AR(1) features, sparse or dense truth.

Replicate r draws standard normals z from stream (seed, r) (``computelimits._random``):
first the n x p design row by row, then n noise values, then (equicorrelated only) n
row factors f. Rows get their covariance Sigma by

- isotropic:       x_ij = z_ij                                       (Sigma = I)
- equicorrelated:  x_ij = sqrt(1 - rho) z_ij + sqrt(rho) f_i         (Sigma = (1 - rho) I + rho 11')
- AR(1):           x_i0 = z_i0, x_ij = rho x_i,j-1 + sqrt(1 - rho^2) z_ij   (Sigma_jl = rho^|j - l|)

and y = X beta + sigma e. The truth beta has its first k entries equal to c and the rest
zero (k = p: dense), c > 0 chosen so that beta' Sigma beta = signal; the signal-to-noise
ratio is SNR = signal / sigma^2.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Optional

import numpy as np

from .. import _random, _validation
from ._common import covariance_code, frame_from
from ._results import ResultBase


def leading_block_sum(covariance: str, rho: float, k: int) -> float:
    """1' Sigma_kk 1 for the leading k x k block of Sigma."""
    if covariance == "isotropic":
        return float(k)
    if covariance == "equicorrelated":
        return k + k * (k - 1) * rho
    lags = np.arange(1, k)
    return float(k + 2.0 * np.sum((k - lags) * rho**lags))


def true_coefficients(p: int, k: int, signal: float, covariance: str = "isotropic", rho: float = 0.0) -> np.ndarray:
    """beta: first k entries sqrt(signal / 1'Sigma_kk 1), the rest 0."""
    beta = np.zeros(p)
    if k > 0 and signal > 0:
        beta[:k] = math.sqrt(signal / leading_block_sum(covariance, rho, k))
    return beta


def covariance_matrix(p: int, covariance: str = "isotropic", rho: float = 0.0) -> np.ndarray:
    """The p x p feature covariance Sigma."""
    if covariance == "isotropic":
        return np.eye(p)
    if covariance == "equicorrelated":
        return (1.0 - rho) * np.eye(p) + rho
    index = np.arange(p)
    return rho ** np.abs(index[:, None] - index[None, :]).astype(float)


def sigma_quadratic_form(d: np.ndarray, covariance: str = "isotropic", rho: float = 0.0) -> np.ndarray:
    """d' Sigma d along the last axis of d, in O(p)."""
    d = np.asarray(d, dtype=float)
    if covariance == "isotropic":
        return np.sum(d * d, axis=-1)
    if covariance == "equicorrelated":
        return (1.0 - rho) * np.sum(d * d, axis=-1) + rho * np.sum(d, axis=-1) ** 2
    scale = math.sqrt(1.0 - rho * rho)
    tail = np.zeros(d.shape[:-1])
    total = np.zeros(d.shape[:-1])
    for j in range(d.shape[-1] - 1, -1, -1):
        tail = d[..., j] + rho * tail
        component = tail if j == 0 else scale * tail
        total = total + component * component
    return total


def draw_numpy(
    n: int, p: int, k: int, covariance: str, rho: float, signal: float, sigma: float, seed: int, replicate: int
) -> tuple:
    """The numpy twin of the C++ design draw: (X, noise, y, beta)."""
    extra = n if covariance == "equicorrelated" else 0
    z = _random.normal_matrix(seed, replicate, 1, 0, n * p + n + extra)[0]
    X = z[: n * p].reshape(n, p)
    noise = z[n * p : n * p + n].copy()
    if covariance == "equicorrelated":
        X = math.sqrt(1.0 - rho) * X + math.sqrt(rho) * z[n * p + n :][:, None]
    elif covariance == "ar1":
        X = X.copy()
        scale = math.sqrt(1.0 - rho * rho)
        for j in range(1, p):
            X[:, j] = rho * X[:, j - 1] + scale * X[:, j]
    beta = true_coefficients(p, k, signal, covariance, rho)
    y = X[:, :k] @ beta[:k] + sigma * noise
    return X, noise, y, beta


@dataclasses.dataclass(frozen=True, repr=False)
class Design(ResultBase):
    """One replicate's design: X (n x p), y, the noise e (standard normal), the truth beta."""

    X: np.ndarray
    y: np.ndarray
    noise: np.ndarray
    beta: np.ndarray
    covariance: str
    rho: float
    signal: float
    sigma: float
    seed: int
    replicate: int

    @property
    def snr(self) -> float:
        """signal / sigma^2 (infinite when sigma = 0)."""
        return math.inf if self.sigma == 0 else self.signal / self.sigma**2

    def excess_risk(self, estimate: np.ndarray) -> float:
        """(b - beta)' Sigma (b - beta): the excess test MSE of the linear predictor b."""
        return float(sigma_quadratic_form(np.asarray(estimate) - self.beta, self.covariance, self.rho))

    def to_frame(self):
        columns = {f"x{j}": self.X[:, j] for j in range(self.X.shape[1])}
        columns["y"] = self.y
        return frame_from(columns)


def make_design(
    n: int,
    p: int,
    *,
    k: Optional[int] = None,
    signal: float = 1.0,
    snr: Optional[float] = None,
    sigma: float = 1.0,
    covariance: str = "isotropic",
    rho: float = 0.0,
    seed: Any = None,
    rng: Any = None,
    replicate: int = 0,
    backend: str = "cpp",
) -> Design:
    """Draw replicate ``replicate`` of a Gaussian design (see the module docstring).

    ``k`` (default p: dense) true features; ``signal`` = beta' Sigma beta, or give ``snr``
    and the signal is snr * sigma^2. Rows x ~ N(0, Sigma) (isotropic, equicorrelated or AR(1)),
    y = X beta + e, e ~ N(0, sigma^2), all drawn from the stream (seed, replicate).

    Parameters
    ----------
    n : int
        Rows.
    p : int
        Features.
    k : int, optional
        True (non-zero) coefficients, the first k.
    signal : float, default 1.0
        beta' Sigma beta.
    snr : float, optional
        Signal-to-noise ratio; sets signal = snr sigma^2.
    sigma : float, default 1.0
        Noise standard deviation.
    covariance : {"isotropic", "equicorrelated", "ar1"}, default "isotropic"
        Sigma.
    rho : float, default 0.0
        Sigma's correlation parameter.
    seed : int, optional
        The random streams' seed.
    rng : numpy.random.Generator, optional
        Draws the seed when ``seed`` is not given.
    replicate : int, default 0
        The stream's replicate index.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin (uniforms bit for bit, normals to an ulp or two).

    Returns
    -------
    Design
        ``X``, ``y``, ``noise``, ``beta`` and the settings.

    Examples
    --------
    >>> from computelimits import simulate
    >>> design = simulate.make_design(50, 10, k=3, seed=1)
    >>> design.X.shape, design.beta[:4].round(4)  # signal 1 spread over 3 features: 1/sqrt(3) each
    ((50, 10), array([0.5774, 0.5774, 0.5774, 0.    ]))
    """
    _validation.check_backend(backend)
    n = _validation.check_int("n", n, minimum=1)
    p = _validation.check_int("p", p, minimum=1)
    k = p if k is None else _validation.check_int("k", k, minimum=0)
    if k > p:
        raise ValueError(f"k must be <= p={p}, got {k}")
    sigma = _validation.check_real("sigma", sigma, minimum=0.0)
    if snr is not None:
        snr = _validation.check_real("snr", snr, minimum=0.0)
        if snr > 0.0 and sigma > 0.0 and math.log10(snr) + 2.0 * math.log10(sigma) > 308.0:
            raise OverflowError(f"signal = snr * sigma^2 exceeds float64 (snr={snr!r}, sigma={sigma!r})")
        signal = snr * sigma * sigma
    signal = _validation.check_real("signal", signal, minimum=0.0)
    code, rho = covariance_code(covariance, rho)
    seed = _validation.resolve_seed(seed, rng)
    replicate = _validation.check_int("replicate", replicate, minimum=0, maximum=2**64 - 1)
    if n * p > 2**31:
        raise ValueError(f"n * p must be <= 2^31 (a {n} x {p} design is too large)")
    if backend == "numpy":
        X, noise, y, beta = draw_numpy(n, p, k, covariance, rho, signal, sigma, seed, replicate)
    else:
        from .. import _core

        X, noise, y, beta = _core.simulate.draw_design(n, p, k, code, rho, signal, sigma, seed, replicate)
    return Design(X, y, noise, beta, covariance, rho, signal, sigma, seed, replicate)
