"""The result of ``scaling_law``: fitted parameters, derived quantities and their bootstrap intervals."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple

import numpy as np

from .._confidence import ConfidenceInterval
from .._display import Display, ResultDisplay, frame_table
from ..status import Status, describe
from . import _checks
from . import _scaling_law_formulas as formulas
from . import _scaling_law_join as join
from ._scaling_law_derived import (
    FLOAT_LOG10_LIMIT,
    ComputeForLoss,
    ComputeOptimal,
    percentile_intervals,
    plain,
)

QUANTITIES = ("A", "B", "E", "alpha", "beta", "a", "b", "e", "params_exponent", "tokens_exponent", "loss_exponent")
_EXPONENTS = ("params_exponent", "tokens_exponent", "loss_exponent")


def quantity_rows(theta) -> np.ndarray:
    """(11, m): A, B, E, alpha, beta, a, b, e and the allocation exponents of each row;
    the exponents are NaN on rows whose alpha or beta is <= 0."""
    theta = formulas.rows(theta)
    with np.errstate(over="ignore"):
        scales = np.exp(theta[:, :3]).T
    exponents = np.vstack(formulas.allocation_exponents(theta))
    exponents[:, ~formulas.positive_exponents(theta)] = np.nan
    return np.vstack([scales, theta[:, 3:].T, theta[:, :3].T, exponents])


def _as_positive(name: str, values) -> np.ndarray:
    return _checks.as_positive_vector(name, np.atleast_1d(_checks.real_array(name, values)).ravel())


@dataclass(frozen=True, repr=False)
class ScalingLawResult(ResultDisplay):
    """A fit of L(N, D) = E + A / N^alpha + B / D^beta (see ``computelimits.fit.scaling_law``).

    ``a, b, e`` are the fitted logs (A = e^a, B = e^b, E = e^e); ``objective`` the Huber
    objective at the best start; ``converged`` whether that start met a convergence test;
    ``start_status_counts`` how many starts ended in each L-BFGS status. With
    ``n_resamples > 0``, ``confidence_interval(name)`` gives the percentile interval of
    every parameter and derived quantity (``QUANTITIES``), and the derived methods attach
    intervals to their answers. The resamples are streams ``first_resample`` ..
    ``first_resample + n_resamples - 1``; ``concatenate`` joins consecutive ranges and
    ``from_distribution`` attaches records computed elsewhere.
    """

    a: float
    b: float
    e: float
    alpha: float
    beta: float
    objective: float
    converged: bool
    form: str
    delta: float
    n_points: int
    n_excluded: int
    excluded_indices: Tuple[int, ...]
    n_starts: int
    best_start: int
    start_status_counts: Dict[str, int]
    flop_per_token_param: float
    n_resamples: int
    seed: int
    confidence_level: float
    resample_status_counts: Dict[str, int]
    backend: str
    start_records: np.ndarray = field(compare=False)
    resample_records: Optional[np.ndarray] = field(default=None, compare=False)
    first_resample: int = 0

    @classmethod
    def concatenate(cls, *results: ScalingLawResult) -> ScalingLawResult:
        """Join bootstraps of one fit over consecutive resample ranges (``first_resample``): same
        point fit, seed and level; the records in order, so the intervals are those of one run
        over the whole range, bit for bit."""
        return join.concatenate(cls, *results)

    @classmethod
    def from_distribution(
        cls,
        fit: ScalingLawResult,
        resample_records,
        *,
        seed: int,
        first_resample: int = 0,
        confidence_level: Optional[float] = None,
    ) -> ScalingLawResult:
        """``fit`` with the bootstrap given by (B, 9) ``resample_records`` computed anywhere
        (``fit.scaling_law.resample_fits`` from ``fit.theta`` on streams (seed, first_resample + b))."""
        return join.from_distribution(
            cls, fit, resample_records, seed=seed, first_resample=first_resample, confidence_level=confidence_level
        )

    @property
    def theta(self) -> np.ndarray:
        """(a, b, e, alpha, beta)."""
        return np.array([self.a, self.b, self.e, self.alpha, self.beta])

    @property
    def A(self) -> float:
        return float(quantity_rows(self.theta)[0, 0])

    @property
    def B(self) -> float:
        return float(quantity_rows(self.theta)[1, 0])

    @property
    def E(self) -> float:
        return float(quantity_rows(self.theta)[2, 0])

    @property
    def status(self) -> Status:
        """``OK``, or ``WRONG_SIGN`` when alpha or beta <= 0 (no compute-optimal allocation)."""
        return Status.OK if formulas.positive_exponents(self.theta)[0] else Status.WRONG_SIGN

    @property
    def bootstrap_theta(self) -> Optional[np.ndarray]:
        """(B, 5) resampled (a, b, e, alpha, beta), or None without a bootstrap."""
        return None if self.resample_records is None else self.resample_records[:, :5]

    def _require_bootstrap(self) -> np.ndarray:
        if self.resample_records is None:
            raise ValueError("no bootstrap intervals: the fit ran with n_resamples=0")
        return self.resample_records[:, :5]

    def _intervals(self, estimate, draws, infinite_status: Status):
        """Percentile intervals of (q,) estimates from (B, q) draws."""
        low, high, statuses = percentile_intervals(draws.T, estimate, self.confidence_level, infinite_status)
        return ConfidenceInterval(low, high), tuple(statuses)

    @functools.cached_property
    def _table(self):
        estimates = quantity_rows(self.theta)[:, 0]
        statuses = [Status.OK if np.isfinite(v) else Status.BEYOND_RANGE for v in estimates[: len(QUANTITIES) - 3]] + [
            self.status
        ] * 3
        estimates[-3:] = np.vstack(formulas.allocation_exponents(self.theta))[:, 0]
        if self.resample_records is None:
            return estimates, tuple(statuses), None, ()
        interval, interval_statuses = self._intervals(
            estimates, quantity_rows(self.bootstrap_theta).T, Status.BEYOND_RANGE
        )
        return estimates, tuple(statuses), interval, interval_statuses

    def confidence_interval(self, name: str) -> ConfidenceInterval:
        """The bootstrap percentile interval of one of ``QUANTITIES``."""
        _checks.check_choice("name", name, QUANTITIES)
        self._require_bootstrap()
        interval = self._table[2]
        k = QUANTITIES.index(name)
        return ConfidenceInterval(float(interval.low[k]), float(interval.high[k]))

    @property
    def confidence_intervals(self) -> Dict[str, ConfidenceInterval]:
        """Every quantity's interval (empty without a bootstrap)."""
        if self.resample_records is None:
            return {}
        return {name: self.confidence_interval(name) for name in QUANTITIES}

    def predict(self, params, tokens) -> np.ndarray:
        """L(N, D) = E + A / N^alpha + B / D^beta at parameter counts N and token counts D (broadcast)."""
        log_loss = self._log_predict(self.theta, params, tokens, check=True)
        return np.exp(log_loss[0]).reshape(np.broadcast(np.asarray(params), np.asarray(tokens)).shape)

    def predict_interval(self, params, tokens) -> ConfidenceInterval:
        """Percentile interval of L(N, D) over the bootstrap resamples."""
        with np.errstate(over="ignore"):
            draws = np.exp(self._log_predict(self._require_bootstrap(), params, tokens))
        estimate = np.exp(self._log_predict(self.theta, params, tokens, check=True)[0])
        interval, _ = self._intervals(estimate, draws, Status.BEYOND_RANGE)
        shape = np.broadcast(np.asarray(params), np.asarray(tokens)).shape
        return ConfidenceInterval(interval.low.reshape(shape), interval.high.reshape(shape))

    def _log_predict(self, theta, params, tokens, check: bool = False) -> np.ndarray:
        params_a, tokens_a = _checks.real_array("params", params), _checks.real_array("tokens", tokens)
        try:
            params_b, tokens_b = np.broadcast_arrays(params_a, tokens_a)
        except ValueError:
            raise ValueError(
                f"params and tokens must broadcast to one shape, got shapes {params_a.shape} and {tokens_a.shape}"
            ) from None
        log_params = np.log(_as_positive("params", params_b))
        log_tokens = np.log(_as_positive("tokens", tokens_b))
        out = formulas.log_loss(theta, log_params, log_tokens)
        if check:
            bad = ~(out[0] < 709.0)
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                raise OverflowError(
                    f"the predicted loss at params={float(params_b.ravel()[i])!r}, tokens={float(tokens_b.ravel()[i])!r} "
                    "does not fit a float"
                )
        return out

    def compute_optimal(self, compute_flop) -> ComputeOptimal:
        """N*, D*, L* and D*/N* at compute C with C = k N D (k = ``flop_per_token_param``);
        closed forms in ``_scaling_law_formulas`` (Hoffmann et al. 2022, sec. 3.3)."""
        compute = _as_positive("compute_flop", compute_flop)
        x = np.log(compute) - math.log(self.flop_per_token_param)

        def quantities(theta):
            log10_params = formulas.log10_optimal_params(theta, x)
            log10_tokens = formulas.log10_optimal_tokens(theta, x)
            with np.errstate(over="ignore"):
                loss = np.exp(formulas.log_optimal_loss(theta, x))
                ratio = 10.0 ** (log10_tokens - log10_params)
            return log10_params, log10_tokens, loss, ratio

        estimates = [q[0] for q in quantities(self.theta)]
        status: Tuple[Status, ...]
        if self.status is not Status.OK:
            status = tuple([self.status] * len(compute))
        else:
            fits = np.isfinite(estimates[2]) & np.isfinite(estimates[3])
            status = tuple(Status.OK if f else Status.BEYOND_RANGE for f in fits)
        if self.resample_records is None:
            return ComputeOptimal(compute, estimates[0], estimates[1], estimates[2], estimates[3], status)
        theta = self._require_bootstrap()
        valid = formulas.positive_exponents(theta)
        intervals, per_quantity = [], []
        for estimate, draw in zip(estimates, quantities(theta)):
            interval, statuses = self._intervals(estimate, np.where(valid[:, None], draw, np.nan), Status.BEYOND_RANGE)
            intervals.append(interval)
            per_quantity.append(statuses)
        order = (Status.WRONG_SIGN, Status.BEYOND_RANGE)
        interval_status = tuple(next((s for s in order if s in column), Status.OK) for column in zip(*per_quantity))
        return ComputeOptimal(
            compute,
            estimates[0],
            estimates[1],
            estimates[2],
            estimates[3],
            status,
            intervals[0],
            intervals[1],
            intervals[2],
            intervals[3],
            interval_status,
        )

    def tokens_per_parameter(self, compute_flop) -> np.ndarray:
        """D*/N* = G^-2 (C / k)^((alpha - beta) / (alpha + beta)) at each compute C."""
        return self.compute_optimal(compute_flop).tokens_per_parameter

    def compute_for_loss(self, target_loss) -> ComputeForLoss:
        """The smallest compute whose compute-optimal loss equals each target:
        C = k (K / (L - E))^(1 / gamma); no answer (``UNREACHABLE``) for L <= E."""
        target = _as_positive("target_loss", target_loss)
        log10_flop = formulas.log10_compute_for_loss(self.theta, target, self.flop_per_token_param)[0]
        status: Tuple[Status, ...]
        if self.status is not Status.OK:
            status = tuple([self.status] * len(target))
        else:
            status = tuple(
                Status.UNREACHABLE
                if t <= self.E
                else (Status.OK if abs(v) <= FLOAT_LOG10_LIMIT else Status.BEYOND_RANGE)
                for t, v in zip(target, log10_flop)
            )
        flop = np.array([10.0**v if s is Status.OK else np.nan for v, s in zip(log10_flop, status)])
        if self.resample_records is None:
            return ComputeForLoss(target, log10_flop, flop, status)
        theta = self._require_bootstrap()
        draws = formulas.log10_compute_for_loss(theta, target, self.flop_per_token_param)
        draws[~formulas.positive_exponents(theta)] = np.nan
        unreachable = np.mean(np.exp(theta[:, [2]]) >= target[None, :], axis=0)
        interval, interval_status = self._intervals(
            np.where(np.isfinite(log10_flop), log10_flop, 0.0), draws, Status.UNREACHABLE
        )
        return ComputeForLoss(target, log10_flop, flop, status, interval, interval_status, unreachable)

    def to_frame(self):
        """One row per quantity (``QUANTITIES``): estimate, status and, with a bootstrap,
        the interval's low, high and status."""
        import pandas as pd

        estimates, statuses, interval, interval_statuses = self._table
        columns: Dict[str, Any] = {"estimate": estimates, "status": [s.value for s in statuses]}
        if interval is not None:
            columns["low"], columns["high"] = interval.low, interval.high
            columns["interval_status"] = [s.value for s in interval_statuses]
        return pd.DataFrame(columns, index=list(QUANTITIES))

    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready fields (non-finite numbers as None, statuses as words), without the record arrays."""
        estimates, statuses, interval, interval_statuses = self._table
        out = {
            name: plain(value)
            for name, value in self.__dict__.items()
            if name not in ("start_records", "resample_records", "_table")
        }
        out["excluded_indices"] = list(self.excluded_indices)
        out["quantities"] = {
            name: {
                "estimate": plain(float(estimates[k])),
                "status": statuses[k].value,
                **(
                    {}
                    if interval is None
                    else {
                        "low": plain(float(interval.low[k])),
                        "high": plain(float(interval.high[k])),
                        "interval_status": interval_statuses[k].value,
                    }
                ),
            }
            for k, name in enumerate(QUANTITIES)
        }
        return out

    def _display(self) -> Display:
        """Data, optimizer outcome, the parameter table and the allocation rule."""
        facts = [
            ("points", f"{self.n_points} used, {self.n_excluded} excluded (highest loss)"),
            ("Huber delta", self.delta),
            ("objective", f"{self.objective:.10g}"),
            (
                "starts",
                f"{self.n_starts}, best #{self.best_start} ({'converged' if self.converged else 'NOT converged'}); "
                + ", ".join(f"{name}: {count}" for name, count in self.start_status_counts.items() if count),
            ),
        ]
        if self.resample_records is None:
            facts.append(("bootstrap", "none (n_resamples=0): no intervals"))
        else:
            facts.append(
                (
                    "bootstrap",
                    f"{self.n_resamples} pairs resamples refitted from the estimate (seed {self.seed}"
                    + (f", streams {self.first_resample}.." if self.first_resample else "")
                    + "), "
                    f"{self.confidence_level:.0%} percentile intervals; "
                    + ", ".join(f"{name}: {count}" for name, count in self.resample_status_counts.items() if count),
                )
            )
        if self.status is Status.OK:
            p, t, g = (float(v[0]) for v in formulas.allocation_exponents(self.theta))
            k = self.flop_per_token_param
            log_g = float(formulas.log_g(self.theta)[0])
            g_text = f"{math.exp(log_g):.6g}" if abs(log_g) < 700 else f"e^{log_g:.6g}"
            note = (
                f"compute-optimal (C = {k:g} N D): N* = G (C/{k:g})^{p:.4f}, D* = (C/{k:g})^{t:.4f} / G, "
                f"G = {g_text}; L*(C) - E ~ C^-{g:.4f}"
            )
        else:
            note = f"compute-optimal allocation: {describe(self.status)} (alpha = {self.alpha:.4g}, beta = {self.beta:.4g})"
        header, rows, _ = frame_table(self.to_frame())
        return Display(
            f"Scaling-law fit ({self.form}): L(N, D) = E + A / N^alpha + B / D^beta",
            tuple(facts),
            header,
            rows,
            (note,),
        )

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value:.6g}" for name, value in zip(QUANTITIES[:5], self._table[0][:5]))
        return (
            f"ScalingLawResult({values}; objective={self.objective:.6g}, points={self.n_points}, "
            f"starts={self.n_starts}, converged={self.converged}, resamples={self.n_resamples})"
        )
