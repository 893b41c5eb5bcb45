"""The result of ``compute_scaling``: per-replicate errors, compute per cell, exponents and closed forms."""

from __future__ import annotations

import dataclasses
from typing import Optional

import numpy as np

from ._common import frame_from
from ._results import ReplicateSummary
from .scaling_exponent import ScalingExponent


@dataclasses.dataclass(frozen=True, repr=False)
class ComputeScalingResult(ReplicateSummary):
    """Errors ``error`` [replicate, ratio, n], the compute of each cell and the exponents.

    Lasso only: ``lasso_kkt``, ``lasso_sweeps`` and ``lasso_flops`` [replicate, ratio, n]
    (``counted_flops`` is the mean of ``lasso_flops`` over replicates). ``settings``: signal,
    sigma, true_features, lasso_scale, epochs, step_size, backend. Replicates are 0 .. reps - 1
    of the (seed, r) streams; means, standard errors and intervals come from
    ``ReplicateSummary``.
    """

    PER_REPLICATE = ("error", "lasso_kkt", "lasso_sweeps", "lasso_flops")
    first_replicate = 0  # compute_scaling always starts at replicate 0

    estimator: str
    ratios: np.ndarray
    n_values: np.ndarray
    widths: np.ndarray
    error: np.ndarray
    params_x_data: np.ndarray
    counted_flops: np.ndarray
    exponents: tuple
    n_resamples: int
    method: str
    confidence_level: float
    seed: int
    settings: dict
    lasso_kkt: Optional[np.ndarray] = None
    lasso_sweeps: Optional[np.ndarray] = None
    lasso_flops: Optional[np.ndarray] = None

    @classmethod
    def concatenate(cls, *results: ComputeScalingResult) -> ComputeScalingResult:
        """Refused: each exponent is fitted to the means over all the run's replicates, so results
        of separate runs do not join; run ``compute_scaling`` with the total ``reps``."""
        raise ValueError(
            "ComputeScalingResult results cannot be concatenated: the exponents are fitted to the means over all "
            "replicates of one run; run compute_scaling with the total reps instead"
        )

    @property
    def error_mean(self) -> np.ndarray:
        """[ratio, n] mean excess risk over replicates."""
        return self.mean("error")

    def expected_error(self) -> dict:
        """Closed forms of the expected excess risk [ratio, n] on this grid, by name: ``exact``
        (min-norm, Belkin, Hsu and Xu 2019), ``support`` (the lasso given its true support) and
        ``rate`` (sigma^2 k ln p / n, Bickel, Ritov and Tsybakov 2009)."""
        from . import closed_forms

        n = self.n_values[None, :].astype(float)
        p = self.widths.astype(float)
        sigma, signal = self.settings["sigma"], self.settings["signal"]
        if self.estimator == "min_norm":
            return {"exact": closed_forms.min_norm_risk(np.broadcast_to(n, p.shape), p, signal, sigma)}
        if self.estimator == "lasso":
            k = self.settings["true_features"]
            return {
                "support": closed_forms.lasso_support_risk(n, p, k, sigma, self.settings["lasso_scale"]),
                "rate": closed_forms.lasso_rate(n, p, k, sigma),
            }
        return {}

    def exponent(self, ratio: Optional[float] = None, measure: str = "params_x_data") -> ScalingExponent:
        """The exponent for ``ratio`` (default the first) and ``measure``."""
        ratio = float(self.ratios[0]) if ratio is None else float(ratio)
        for item in self.exponents:
            if item.measure == measure and item.ratio == ratio:
                return item
        raise ValueError(f"no exponent for ratio={ratio!r}, measure={measure!r}")

    def to_frame(self):
        """One row per (ratio, n): p, both compute measures, mean error and its SE, the closed
        forms (``error_exact``, ``error_support``, ``error_rate``) and, for the lasso, the
        largest KKT residual and the mean sweeps."""
        se = self.standard_error("error")
        columns = {
            "ratio": np.repeat(self.ratios, len(self.n_values)),
            "n": np.tile(self.n_values, len(self.ratios)),
            "p": self.widths.ravel(),
            "params_x_data": self.params_x_data.ravel(),
            "counted_flops": self.counted_flops.ravel(),
            "error_mean": self.error_mean.ravel(),
            "error_se": se.ravel(),
        }
        for name, values in self.expected_error().items():
            columns[f"error_{name}"] = np.asarray(values).ravel()
        if self.lasso_kkt is not None and self.lasso_sweeps is not None:
            columns["kkt_max"] = self.lasso_kkt.max(axis=0).ravel()
            columns["sweeps_mean"] = self.lasso_sweeps.mean(axis=0).ravel()
        return frame_from(columns)

    def exponent_frame(self):
        """One row per (ratio, compute measure): slope, exponent, interval, root exponent, status."""
        return frame_from(
            {key: [item.to_dict()[key] for item in self.exponents] for key in self.exponents[0].to_dict()}
        )
