"""The result of ``paper_experiment``: per-replicate performance, NMSE and FLOPs, and the compute to reach a level."""

from __future__ import annotations

import dataclasses

import numpy as np

from ._common import frame_from
from ._results import ReplicateSummary


def _crossing(levels, performance, values):
    """Per level: value (log-interpolated) where the performance curve first reaches it; inf if never."""
    out = np.full(len(levels), np.inf)
    for i, level in enumerate(levels):
        hit = np.flatnonzero(performance >= level)
        if hit.size == 0:
            continue
        s = hit[0]
        if s == 0 or not np.isfinite(performance[s - 1]):
            out[i] = values[s]
            continue
        fraction = (level - performance[s - 1]) / (performance[s] - performance[s - 1])
        out[i] = 10 ** (np.log10(values[s - 1]) + fraction * (np.log10(values[s]) - np.log10(values[s - 1])))
    return out


@dataclasses.dataclass(frozen=True, repr=False)
class PaperResult(ReplicateSummary):
    """Per-replicate arrays [replicate, size, model] and summaries over replicates.

    Attributes: ``sizes`` (n grid), ``models``, ``performance`` (-log10 NMSE), ``nmse``,
    ``flops`` (from-scratch FLOPs), ``lasso_kkt`` [replicate, size], ``flops_spent``
    [replicate], ``levels``, ``seed``, ``first_replicate``, ``confidence_level``, ``settings``
    (p, k, expert_k, signal, sigma, covariance, rho, lasso_scale, lasso_tol, backend).
    Summaries: ``performance_mean/_se/_ci_low/_ci_high`` and ``flops_mean/_ci_low/_ci_high``
    [size, model]; ``compute_to_reach`` and ``n_to_reach`` [level, model]. Means, standard
    errors, intervals and ``concatenate`` come from ``ReplicateSummary``.
    """

    PER_REPLICATE = ("performance", "nmse", "flops", "lasso_kkt", "flops_spent")

    sizes: np.ndarray
    models: tuple
    performance: np.ndarray
    nmse: np.ndarray
    flops: np.ndarray
    lasso_kkt: np.ndarray
    flops_spent: np.ndarray
    levels: np.ndarray
    seed: int
    first_replicate: int
    confidence_level: float
    settings: dict

    @property
    def lasso_converged(self) -> np.ndarray:
        """[replicate, size]: whether the lasso met ``lasso_tol`` (else a ConvergenceWarning was issued)."""
        return self.lasso_kkt <= self.settings["lasso_tol"]

    @property
    def performance_mean(self):
        return self.mean("performance")

    @property
    def performance_se(self):
        return self.standard_error("performance")

    @property
    def performance_ci_low(self):
        return self.confidence_interval("performance").low

    @property
    def performance_ci_high(self):
        return self.confidence_interval("performance").high

    @property
    def flops_mean(self):
        return self.mean("flops")

    @property
    def flops_se(self):
        return self.standard_error("flops")

    @property
    def flops_ci_low(self):
        return self.confidence_interval("flops").low

    @property
    def flops_ci_high(self):
        return self.confidence_interval("flops").high

    @property
    def compute_to_reach(self) -> np.ndarray:
        """[level, model]: FLOPs at which the mean performance curve first reaches each level
        (log-linear interpolation between grid points; inf if it never does)."""
        return np.stack(
            [
                _crossing(self.levels, self.performance_mean[:, m], self.flops_mean[:, m])
                for m in range(len(self.models))
            ],
            axis=1,
        )

    @property
    def n_to_reach(self) -> np.ndarray:
        """[level, model]: sample size at which the mean performance first reaches each level."""
        sizes = self.sizes.astype(float)
        return np.stack(
            [_crossing(self.levels, self.performance_mean[:, m], sizes) for m in range(len(self.models))], axis=1
        )

    def to_frame(self):
        """One row per (model, n): performance and FLOPs mean, SE and CI."""
        s, m = len(self.sizes), len(self.models)
        return frame_from(
            {
                "model": np.tile(np.array(self.models), s),
                "n": np.repeat(self.sizes, m),
                "performance_mean": self.performance_mean.ravel(),
                "performance_se": self.performance_se.ravel(),
                "performance_ci_low": self.performance_ci_low.ravel(),
                "performance_ci_high": self.performance_ci_high.ravel(),
                "flops_mean": self.flops_mean.ravel(),
                "flops_ci_low": self.flops_ci_low.ravel(),
                "flops_ci_high": self.flops_ci_high.ravel(),
            }
        )

    def compute_frame(self):
        """One row per (model, performance level): FLOPs and n needed to reach it."""
        levels, m = len(self.levels), len(self.models)
        return frame_from(
            {
                "model": np.tile(np.array(self.models), levels),
                "performance": np.repeat(self.levels, m),
                "flops": self.compute_to_reach.ravel(),
                "n": self.n_to_reach.ravel(),
            }
        )
