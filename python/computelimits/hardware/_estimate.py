"""Lookup, hardware burden and time/cost/energy/CO2 estimates."""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
import re
from typing import Any, Dict, Optional, Tuple, Union

from .._validation import check_real
from ._catalogue import CATALOGUE
from ._processor import PRECISIONS, Processor

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_YEAR = 365.25 * 86400.0

_DROP_WORDS = re.compile(r"\b(nvidia|tesla|geforce|google)\b")


def _normalize(name: str) -> str:
    text = _DROP_WORDS.sub("", name.lower())
    return re.sub(r"[^a-z0-9]", "", text)


_BY_KEY: Dict[str, Processor] = {}
for _proc in CATALOGUE:
    for _label in (_proc.name,) + _proc.aliases:
        _key = _normalize(_label)
        if _key in _BY_KEY and _BY_KEY[_key] is not _proc:
            raise RuntimeError(f"catalogue alias {_label!r} is ambiguous")
        _BY_KEY[_key] = _proc


def processors(kind: Optional[str] = None) -> Tuple[Processor, ...]:
    """Every catalogued processor (optionally only ``kind`` "gpu" or "tpu"), oldest first."""
    if kind is not None and kind not in ("gpu", "tpu"):
        raise ValueError(f"kind must be None, 'gpu' or 'tpu', got {kind!r}")
    chosen = [p for p in CATALOGUE if kind is None or p.kind == kind]
    return tuple(sorted(chosen, key=lambda p: (p.release_year, p.name)))


def catalogue_frame():
    """The catalogue as a pandas DataFrame, one row per processor."""
    import pandas as pd

    return pd.DataFrame([p.to_dict() for p in processors()])


def find_processor(name: str) -> Optional[Processor]:
    """Like ``get_processor`` but returns None for an unknown name (no error, no suggestions)."""
    if isinstance(name, Processor):
        return name
    if not isinstance(name, str):
        return None
    return _BY_KEY.get(_normalize(name))


def get_processor(name: Union[str, Processor]) -> Processor:
    """Look a processor up by name or alias (case, spaces, hyphens and the words
    NVIDIA/Tesla/GeForce/Google are ignored). A ``Processor`` passes through.

    Raises ValueError listing close matches when the name is unknown.
    """
    if isinstance(name, Processor):
        return name
    if not isinstance(name, str):
        raise TypeError(f"processor must be a name (str) or Processor, got {name!r} ({type(name).__name__})")
    found = _BY_KEY.get(_normalize(name))
    if found is not None:
        return found
    labels = {label: p.name for p in CATALOGUE for label in (p.name,) + p.aliases}
    close = difflib.get_close_matches(name, list(labels), n=5, cutoff=0.5)
    close_names = sorted({labels[c] for c in close})
    hint = f"; close matches: {', '.join(close_names)}" if close_names else ""
    raise ValueError(f"processor {name!r} is not in the catalogue{hint} (see computelimits.hardware.processors())")


def _real(name: str, value: Any, **bounds: Any) -> float:
    """``check_real``, with an int beyond float64's range reported as an OverflowError naming ``name``."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        try:
            float(value)
        except OverflowError:
            digits = len(str(abs(int(value))))
            raise OverflowError(
                f"{name} is beyond float64's range (about 1.8e308), got an integer of {digits} digits"
            ) from None
    return check_real(name, value, **bounds)


def _check_count(count: Any) -> int:
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        raise TypeError(f"count must be a positive integer, got {count!r} ({type(count).__name__})")
    value = _real("count", count)
    if not math.isfinite(value) or value <= 0 or value != math.floor(value):
        raise ValueError(f"count must be a positive integer, got {count!r}")
    return int(value)


def _check_precision(precision: Any) -> str:
    if not isinstance(precision, str) or precision.lower() not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    return precision.lower()


def hardware_burden(
    processor: Union[str, Processor], count: Any, seconds: Any, precision: Optional[str] = None
) -> float:
    """Hardware burden in FLOP = peak rate x count x seconds (no utilization).

    Thompson et al. (2020), section 3: the sum over processors of count x peak
    FP32 FLOP/s x training seconds. ``precision=None`` uses the processor's
    ``burden_precision``: FP32 for GPUs, the published bf16 matrix-unit peak
    for TPUs (which publish no FP32 peak).
    """
    proc = get_processor(processor)
    n = _check_count(count)
    secs = _real("seconds", seconds, minimum=0.0)
    rate = proc.burden_flops if precision is None else proc.peak(_check_precision(precision))
    burden = rate * n * secs
    if not math.isfinite(burden):
        raise OverflowError(f"hardware burden overflows a float for count={count!r}, seconds={seconds!r}")
    return burden


@dataclasses.dataclass(frozen=True)
class HardwareEstimate:
    """Time, cost, energy and CO2 of running ``flop`` on ``count`` processors.

    wall_seconds = flop / (count x peak x utilization);
    processor_hours = count x wall_seconds / 3600;
    cost_usd = processor_hours x usd_per_hour (None when no price is known);
    energy_kwh = board_power_watts x processor_hours x pue / 1000;
    co2_kg = energy_kwh x grid_kg_co2_per_kwh.
    """

    flop: float
    processor: str
    count: int
    utilization: float
    precision: str
    peak_flops: float
    usd_per_hour: Optional[float]
    pue: float
    grid_kg_co2_per_kwh: float
    board_power_watts: float
    wall_seconds: float
    processor_hours: float
    cost_usd: Optional[float]
    energy_kwh: float
    co2_kg: float

    @property
    def wall_days(self) -> float:
        return self.wall_seconds / 86400.0

    @property
    def wall_years(self) -> float:
        """Wall-clock time in Julian years (365.25 days)."""
        return self.wall_seconds / SECONDS_PER_YEAR

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.4g}"
        return (
            f"HardwareEstimate({self.flop:.4g} FLOP on {self.count} x {self.processor} "
            f"({self.precision}, utilization {self.utilization:g}): {self.wall_days:.4g} days wall, "
            f"{self.processor_hours:.4g} processor-hours, cost {cost}, {self.energy_kwh:.4g} kWh, "
            f"{self.co2_kg:.4g} kg CO2)"
        )


def estimate(
    flop: Any,
    processor: Union[str, Processor],
    count: Any = 1,
    utilization: Any = 0.4,
    precision: str = "fp32",
    usd_per_hour: Any = None,
    pue: Any = 1.1,
    grid_kg_co2_per_kwh: Any = 0.429,
) -> HardwareEstimate:
    """Wall time, processor-hours, cost, energy and CO2 for a ``flop`` workload.

    Epoch AI's hardware method inverted: time = FLOP / (count x peak x
    utilization); their default utilization is 0.3 for LLMs, 0.4 otherwise.
    ``usd_per_hour=None`` takes the catalogue price (cost None if there is none);
    pue 1.1 is a hyperscale data-centre figure; 0.429 kg CO2/kWh is the grid
    intensity used by Lacoste et al.'s ML CO2 calculator as a world average
    (see docs/hardware.md).
    """
    proc = get_processor(processor)
    work = _real("flop", flop, minimum=0.0)
    n = _check_count(count)
    util = check_real("utilization", utilization, minimum=0.0, maximum=1.0, strict_minimum=True)
    prec = _check_precision(precision)
    peak = proc.peak(prec)
    if usd_per_hour is None:
        price = proc.cloud_usd_per_hour
    else:
        price = check_real("usd_per_hour", usd_per_hour, minimum=0.0)
    pue_value = check_real("pue", pue, minimum=1.0)
    grid = check_real("grid_kg_co2_per_kwh", grid_kg_co2_per_kwh, minimum=0.0)
    wall = work / (n * peak * util)
    hours = n * wall / SECONDS_PER_HOUR
    energy = proc.board_power_watts * hours * pue_value / 1000.0
    cost = None if price is None else hours * price
    if not all(math.isfinite(v) for v in (wall, hours, energy, energy * grid, cost or 0.0)):
        raise OverflowError(f"flop={flop!r} overflows the time, cost or energy estimate")
    return HardwareEstimate(
        flop=work,
        processor=proc.name,
        count=n,
        utilization=util,
        precision=prec,
        peak_flops=peak,
        usd_per_hour=price,
        pue=pue_value,
        grid_kg_co2_per_kwh=grid,
        board_power_watts=float(proc.board_power_watts),
        wall_seconds=wall,
        processor_hours=hours,
        cost_usd=cost,
        energy_kwh=energy,
        co2_kg=energy * grid,
    )
