"""The bases of the simulate area's results: ``ResultBase`` and the replicate summary.

Every simulation result holds per-replicate arrays (first axis = replicate) for the
replicates ``first_replicate .. first_replicate + reps - 1`` of the (seed, r) streams, and
summarizes them the same way, implemented once here in ``ReplicateSummary``:

- ``reps``: the number of replicates (the first axis of the first per-replicate array);
- ``mean(x)`` and ``standard_error(x)``: the mean over replicates and its standard error
  s / sqrt(reps) (s with ddof = 1; NaN for one replicate);
- ``confidence_interval(x)``: the normal-theory interval mean -+ z se, z the
  (1 + confidence_level) / 2 quantile of the standard normal, as a ``ConfidenceInterval``;
- ``concatenate(*results)``: results over consecutive replicate ranges joined, equal to one
  run over the whole range (replicate r depends only on (seed, r));
- ``settings``: the simulation's inputs as a dict.

``x`` names a per-replicate array (``"performance"``) or is such an array.
Deprecated for one release: ``.params`` (now ``.settings``) and ``.confidence`` (now
``.confidence_level``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Tuple, Union

import numpy as np

from .._confidence import ConfidenceInterval, check_confidence_level
from .._deprecation import renamed_attribute
from .._display import Display, ResultDisplay, field_facts, frame_table

#: Two-sided standard normal quantiles for the usual levels (scipy.stats.norm.ppf(0.95, 0.975, 0.995)).
_Z = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004}


def z_value(confidence_level: float) -> float:
    """z = Phi^-1((1 + confidence_level) / 2): 0.9, 0.95 and 0.99 from the table, else NormalDist."""
    level = check_confidence_level(confidence_level)
    if level in _Z:
        return _Z[level]
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + level / 2.0)


def mean_se(samples: np.ndarray, axis: int = 0) -> tuple:
    """Mean and standard error (ddof=1) along an axis; SE is NaN for one replicate. Samples beyond
    2^300 in size (a near-divergent SGD run) are summed scaled by a power of two, so the squares of
    the standard deviation do not overflow (ordinary samples are summed as they are)."""
    count = samples.shape[axis]
    with np.errstate(invalid="ignore"):
        largest = np.max(np.where(np.isfinite(samples), np.abs(samples), 0.0), axis=axis, keepdims=True)
    exponent = np.where(largest > 2.0**300, np.frexp(largest)[1], 0)
    scaled = np.ldexp(samples, -exponent)
    exponent = np.squeeze(exponent, axis=axis)
    mean = np.ldexp(scaled.mean(axis=axis), exponent)
    if count < 2:
        return mean, np.full_like(mean, np.nan)
    return mean, np.ldexp(scaled.std(axis=axis, ddof=1), exponent) / math.sqrt(count)


def concatenate_replicates(results: Sequence[Any], per_replicate: Sequence[str]) -> Any:
    """Join results over consecutive replicate ranges of one experiment.

    Every field other than ``first_replicate`` and the per-replicate arrays (first axis =
    replicate) must agree; ranges must follow each other ([a, b) then [b, c)). Replicate
    r depends only on (seed, r), so the join equals one run over the whole range.
    """
    if not results:
        raise ValueError("concatenate needs at least one result, got none")
    base = results[0]
    kind = type(base)
    expected = base.first_replicate
    shared = [f.name for f in dataclasses.fields(base) if f.name not in per_replicate and f.name != "first_replicate"]
    for index, result in enumerate(results):
        if type(result) is not kind:
            raise TypeError(f"results[{index}] must be a {kind.__name__}, got {type(result).__name__}")
        for name in shared:
            if not _same(getattr(result, name), getattr(base, name)):
                raise ValueError(f"results to concatenate must share {name}; results[{index}] differs from results[0]")
        if result.first_replicate != expected:
            raise ValueError(
                f"replicate ranges must be consecutive: expected results[{index}].first_replicate={expected}, "
                f"got {result.first_replicate}"
            )
        expected += result.reps
    return dataclasses.replace(
        base, **{name: np.concatenate([getattr(r, name) for r in results]) for name in per_replicate}
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")
    return bool(a == b)


@dataclasses.dataclass(frozen=True, repr=False)
class ResultBase(ResultDisplay):
    """Frozen result with a short repr, ``to_dict()``, a text block (``str``) and HTML tables."""

    def to_dict(self) -> Dict[str, Any]:
        out = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out

    def __repr__(self) -> str:
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                parts.append(
                    f"{field.name}=<array {value.shape}>"
                    if value.size > 6 or value.ndim > 1
                    else f"{field.name}={np.array2string(value, precision=4, separator=', ')}"
                )
            elif isinstance(value, dict):
                parts.append(f"{field.name}={{{len(value)} keys}}")
            else:
                parts.append(f"{field.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class ReplicateSummary(ResultBase):
    """Base of every simulation over replicates (see the module docstring).

    Subclasses are frozen dataclasses with the fields ``seed``, ``first_replicate`` and
    ``confidence_level`` (and ``settings``, unless they define it as a property), and name
    their per-replicate arrays in ``PER_REPLICATE``, the first of which counts the replicates.
    """

    PER_REPLICATE: ClassVar[Tuple[str, ...]] = ()

    # Not a dataclass itself: the attributes below are the fields every subclass declares.
    if TYPE_CHECKING:
        seed: int
        first_replicate: int
        confidence_level: float

        @property
        def settings(self) -> Dict[str, Any]: ...

        def to_frame(self) -> Any: ...

    params = renamed_attribute("settings")
    confidence = renamed_attribute("confidence_level")

    @property
    def reps(self) -> int:
        """The number of replicates."""
        return int(np.shape(getattr(self, self.PER_REPLICATE[0]))[0])

    def _samples(self, values: Union[str, np.ndarray]) -> np.ndarray:
        if isinstance(values, str):
            if values not in self.PER_REPLICATE:
                raise ValueError(f"values must name a per-replicate array, one of {self.PER_REPLICATE}, got {values!r}")
            values = getattr(self, values)
        samples = np.asarray(values, dtype=np.float64)
        if samples.ndim == 0 or samples.shape[0] != self.reps:
            raise ValueError(f"values must have the replicates ({self.reps}) on axis 0, got shape {samples.shape}")
        return samples

    def mean(self, values: Union[str, np.ndarray]) -> np.ndarray:
        """The mean over replicates of a per-replicate array (by name) or of ``values``."""
        return mean_se(self._samples(values))[0]

    def standard_error(self, values: Union[str, np.ndarray]) -> np.ndarray:
        """The standard error of that mean, s / sqrt(reps) (ddof = 1; NaN for one replicate)."""
        return mean_se(self._samples(values))[1]

    def confidence_interval(self, values: Union[str, np.ndarray]) -> ConfidenceInterval:
        """The normal-theory ``confidence_level`` interval of that mean: mean -+ z se,
        z = Phi^-1((1 + confidence_level) / 2)."""
        mean, se = mean_se(self._samples(values))
        z = z_value(self.confidence_level)
        return ConfidenceInterval(mean - z * se, mean + z * se)

    @classmethod
    def concatenate(cls, *results: Any) -> Any:
        """Join results over consecutive replicate ranges of one experiment (same seed, grid and
        settings): bit-identical to one run over the whole range."""
        return concatenate_replicates(results, cls.PER_REPLICATE)

    def _display(self) -> Display:
        fields = field_facts(self, skip=("seed", "first_replicate", "confidence_level", "settings"), scalars_only=True)
        listed = {name for name, _ in fields}
        facts = (
            ("replicates", f"{self.reps} (streams {self.first_replicate} .. {self.first_replicate + self.reps - 1})"),
            ("seed", self.seed),
            ("confidence level", self.confidence_level),
            *fields,
            *((f"settings: {key}", value) for key, value in self.settings.items() if key not in listed),
        )
        header, rows, notes = frame_table(self.to_frame())
        return Display(type(self).__name__, facts, header, rows, notes)
