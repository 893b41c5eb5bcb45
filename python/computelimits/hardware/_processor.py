"""The ``Processor`` record: one accelerator's peak rates, power, price and sources."""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Dict, Optional, Tuple

from .._display import ResultDisplay

# Precisions with a peak rate. "int8" is in integer operations per second (OP/s); a
# time estimate at int8 counts one integer operation as one FLOP.
PRECISIONS: Tuple[str, ...] = ("fp32", "tf32", "fp16", "bf16", "fp8", "fp4", "int8")
KINDS: Tuple[str, ...] = ("gpu", "tpu", "accelerator")


def _check_date(name: str, value: str) -> str:
    """An ISO date "YYYY-MM-DD" or "YYYY-MM" (month precision)."""
    parts = value.split("-") if isinstance(value, str) else []
    try:
        if len(parts) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
        elif len(parts) == 3:
            datetime.date.fromisoformat(value)
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"{name} must be an ISO date 'YYYY-MM-DD' or 'YYYY-MM', got {value!r}") from None
    return value


def _positive_number(value: Any) -> bool:
    """A real number (not a bool), finite and > 0; False for ints beyond float64 too."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value) and value > 0
    except OverflowError:  # an int beyond float64
        return False


@dataclasses.dataclass(frozen=True)
class Processor(ResultDisplay):
    """A processor (GPU, TPU chip or other accelerator) with its vendor-published peak rates.

    Attributes
    ----------
    name : canonical catalogue name, e.g. ``"V100-SXM2-16GB"``.
    vendor : ``"NVIDIA"``, ``"Google"``, ``"AMD"``, ``"Intel"``, ...
    kind : ``"gpu"``, ``"tpu"`` or ``"accelerator"`` (other matrix accelerators, e.g. Gaudi).
    release_year : year the part first shipped or was announced for sale.
    peak_flops : read-only mapping precision -> peak FLOP/s (OP/s for ``"int8"``).
        ``"fp32"`` is the ordinary (non-tensor) single-precision rate; ``"tf32"``,
        ``"fp16"``, ``"bf16"``, ``"fp8"``, ``"fp4"`` and ``"int8"`` are DENSE
        tensor/matrix-unit rates (no 2:4 sparsity), present only where published.
    board_power_watts : board power / TDP in W (per chip for TPUs); ``None`` where
        the vendor publishes none (energy and CO2 are then undetermined).
    cloud_usd_per_hour : on-demand price of one processor-hour in USD, or ``None``.
    source : datasheet / whitepaper citation for the figures.
    price_source : where the hourly price comes from, and its date.
    burden_precision : the precision ``hardware_burden`` uses: ``"fp32"`` for GPUs,
        the published matrix-unit rate for processors without an FP32 peak (TPUs).
    aliases : other accepted names (matched case-insensitively).
    release_date : ISO date (``"YYYY-MM-DD"`` or ``"YYYY-MM"``) of the launch, when known.
    source_url : address of the datasheet or whitepaper.
    note : what could not be confirmed, or a caveat on a figure.
    default_precision : the precision ``estimate`` uses when given none; ``None``
        derives it: dense BF16, else FP16 tensor, else ``burden_precision``.
    """

    name: str
    vendor: str
    kind: str
    release_year: int
    peak_flops: Mapping[str, float]
    board_power_watts: Optional[float]
    cloud_usd_per_hour: Optional[float]
    source: str
    price_source: str = ""
    burden_precision: str = "fp32"
    aliases: Tuple[str, ...] = ()
    release_date: Optional[str] = None
    source_url: str = ""
    note: str = ""
    default_precision: Optional[str] = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string, got {self.name!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if isinstance(self.release_year, bool) or not isinstance(self.release_year, int):
            raise TypeError(f"release_year must be an int, got {self.release_year!r}")
        if not isinstance(self.peak_flops, Mapping):
            raise TypeError(f"peak_flops must be a mapping precision -> FLOP/s, got {self.peak_flops!r:.60}")
        rates = dict(self.peak_flops)
        if not rates:
            raise ValueError(f"peak_flops of {self.name!r} must give at least one precision")
        for key, value in rates.items():
            if key not in PRECISIONS:
                raise ValueError(f"peak_flops precision must be one of {PRECISIONS}, got {key!r}")
            if not _positive_number(value):
                raise ValueError(f"peak_flops[{key!r}] must be a finite number > 0, got {value!r:.60}")
        if self.burden_precision not in rates:
            raise ValueError(f"burden_precision {self.burden_precision!r} has no peak in peak_flops")
        for field in ("board_power_watts", "cloud_usd_per_hour"):
            value = getattr(self, field)
            if value is not None and not _positive_number(value):
                raise ValueError(f"{field} must be None or a finite number > 0, got {value!r:.60}")
        if self.release_date is not None:
            _check_date("release_date", self.release_date)
            if int(self.release_date[:4]) != self.release_year:
                raise ValueError(f"release_date {self.release_date!r} disagrees with release_year {self.release_year}")
        default = self.default_precision
        if default is None:
            default = next((p for p in ("bf16", "fp16") if p in rates), self.burden_precision)
        elif default not in rates:
            raise ValueError(f"default_precision {default!r} has no peak in peak_flops")
        object.__setattr__(self, "default_precision", default)
        object.__setattr__(self, "aliases", tuple(self.aliases))
        object.__setattr__(self, "peak_flops", MappingProxyType(rates))

    def peak(self, precision: Optional[str] = "fp32") -> float:
        """Peak rate at ``precision`` (dense; FLOP/s, OP/s for int8); ValueError if not published.

        ``precision=None`` gives the rate at ``default_precision``.
        """
        if precision is None:
            precision = self.default_precision
        if not isinstance(precision, str) or precision.lower() not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
        key = precision.lower()
        if key not in self.peak_flops:
            raise ValueError(
                f"precision {precision!r} has no published peak for {self.name}; available: {tuple(self.peak_flops)}"
            )
        return float(self.peak_flops[key])

    @property
    def burden_flops(self) -> float:
        """The per-processor rate used by the hardware-burden measure (FLOP/s)."""
        return float(self.peak_flops[self.burden_precision])

    def to_dict(self) -> Dict[str, Any]:
        """Plain-dict copy (peak rates flattened to ``peak_<precision>_flops``)."""
        out: Dict[str, Any] = {
            "name": self.name,
            "vendor": self.vendor,
            "kind": self.kind,
            "release_year": self.release_year,
            "release_date": self.release_date,
        }
        for precision in PRECISIONS:
            out[f"peak_{precision}_flops"] = self.peak_flops.get(precision)
        out.update(
            board_power_watts=self.board_power_watts,
            cloud_usd_per_hour=self.cloud_usd_per_hour,
            burden_precision=self.burden_precision,
            default_precision=self.default_precision,
            source=self.source,
            source_url=self.source_url,
            price_source=self.price_source,
            note=self.note,
            aliases=", ".join(self.aliases),
        )
        return out

    def to_frame(self):
        """One-row pandas DataFrame of ``to_dict()``."""
        import pandas as pd

        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        rates = ", ".join(f"{k}={v / 1e12:g} T" for k, v in self.peak_flops.items())
        power = "power n/a" if self.board_power_watts is None else f"{self.board_power_watts:g} W"
        price = "n/a" if self.cloud_usd_per_hour is None else f"${self.cloud_usd_per_hour:g}/h"
        return f"Processor({self.name!r}, {self.vendor} {self.kind}, {self.release_year}, {rates}, {power}, {price})"
