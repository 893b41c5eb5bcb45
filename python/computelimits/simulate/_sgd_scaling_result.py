"""The result of ``sgd_scaling``: excess risk per epoch, FLOPs to each target and the fitted exponent."""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from ..status import Status
from ._common import frame_from
from ._results import ReplicateSummary


@dataclasses.dataclass(frozen=True, repr=False)
class SgdScalingResult(ReplicateSummary):
    """Per-replicate ``excess`` [replicate, size, epoch], ``distance`` [replicate, size] and summaries.

    ``settings``: k, signal, sigma, covariance, rho, epochs, backend. Means, standard errors,
    intervals and ``concatenate`` come from ``ReplicateSummary``.
    """

    PER_REPLICATE = ("excess", "distance")

    sizes: np.ndarray
    widths: np.ndarray
    excess: np.ndarray
    distance: np.ndarray
    epoch_flops: np.ndarray
    targets: np.ndarray
    step_size: float
    batch_size: int
    seed: int
    first_replicate: int
    confidence_level: float
    settings: dict

    @property
    def excess_mean(self) -> np.ndarray:
        """[size, epoch] mean excess risk after each epoch."""
        return self.mean("excess")

    @property
    def flops_to_target(self) -> np.ndarray:
        """[size, target] FLOPs until the mean excess risk first reaches the target (inf if never)."""
        mean = self.excess_mean
        out = np.full((len(self.sizes), len(self.targets)), np.inf)
        for i in range(len(self.sizes)):
            for t, target in enumerate(self.targets):
                hit = np.flatnonzero(mean[i] <= target)
                if hit.size:
                    out[i, t] = (hit[0] + 1) * self.epoch_flops[i]
        return out

    @property
    def compute_for_target(self) -> np.ndarray:
        """[target] the least FLOPs over sample sizes to reach each target (inf if none does)."""
        return self.flops_to_target.min(axis=0)

    @property
    def best_size(self) -> np.ndarray:
        """[target] the sample size achieving ``compute_for_target`` (0 if none)."""
        flops = self.flops_to_target
        return np.where(np.isfinite(flops.min(axis=0)), self.sizes[np.argmin(flops, axis=0)], 0)

    @property
    def exponent_status(self) -> Status:
        """OK when at least two distinct targets were reached, else ``Status.TOO_FEW_POINTS``."""
        reached = self.targets[np.isfinite(self.compute_for_target)]
        return Status.OK if np.unique(reached).size >= 2 else Status.TOO_FEW_POINTS

    @property
    def exponent(self) -> Optional[float]:
        """Slope a of log10(compute) = c + a log10(1/target) over reached targets; None (see
        ``exponent_status``) when fewer than two distinct targets were reached."""
        if self.exponent_status is not Status.OK:
            return None
        compute = self.compute_for_target
        ok = np.isfinite(compute)
        return float(np.polyfit(np.log10(1.0 / self.targets[ok]), np.log10(compute[ok]), 1)[0])

    @property
    def targets_reached(self) -> int:
        return int(np.isfinite(self.compute_for_target).sum())

    def to_frame(self):
        """One row per sample size: final excess risk and distance to pinv(X) y (mean, SE, CI)."""
        final = self.excess[:, :, -1]
        final_mean, final_se = self.mean(final), self.standard_error(final)
        final_low, final_high = self.confidence_interval(final)
        distance_mean, distance_se = self.mean("distance"), self.standard_error("distance")
        columns = {
            "n": self.sizes,
            "p": self.widths,
            "epoch_flops": self.epoch_flops,
            "final_excess_mean": final_mean,
            "final_excess_se": final_se,
            "final_excess_ci_low": final_low,
            "final_excess_ci_high": final_high,
            "distance_mean": distance_mean,
            "distance_se": distance_se,
        }
        for t, target in enumerate(self.targets):
            columns[f"flops_to_{target:g}"] = self.flops_to_target[:, t]
        return frame_from(columns)

    def target_frame(self):
        """One row per target: the compute needed and the sample size that achieves it."""
        return frame_from(
            {
                "target": self.targets,
                "inverse_target": 1.0 / self.targets,
                "flops": self.compute_for_target,
                "n": self.best_size,
            }
        )
