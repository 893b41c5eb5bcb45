"""The ``Processor`` record: one accelerator's peak rates, power, price and source."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Dict, Optional, Tuple

PRECISIONS: Tuple[str, ...] = ("fp32", "tf32", "fp16", "bf16", "fp8")


@dataclasses.dataclass(frozen=True)
class Processor:
    """A processor (GPU or TPU chip) with its vendor-published peak rates.

    Attributes
    ----------
    name : canonical catalogue name, e.g. ``"V100-SXM2-16GB"``.
    vendor : ``"NVIDIA"`` or ``"Google"``.
    kind : ``"gpu"`` or ``"tpu"``.
    release_year : year the part first shipped or was announced for sale.
    peak_flops : read-only mapping precision -> peak FLOP/s. ``"fp32"`` is the
        ordinary (non-tensor) single-precision rate; ``"tf32"``, ``"fp16"``,
        ``"bf16"`` and ``"fp8"`` are the DENSE tensor/matrix-unit rates (no
        2:4 sparsity), present only where the vendor publishes them.
    board_power_watts : board power / TDP in W (per chip for TPUs).
    cloud_usd_per_hour : on-demand price of one processor-hour in USD, or
        ``None`` where the part was never rented by the hour.
    source : datasheet / whitepaper citation or URL for the figures.
    price_source : where the hourly price comes from, and its date.
    burden_precision : the precision ``hardware_burden`` uses: ``"fp32"``
        for GPUs; ``"bf16"`` for TPUs, whose published peak is the
        matrix-unit rate (bf16 inputs, fp32 accumulation) and which publish
        no separate FP32 peak (see docs/hardware.md).
    aliases : other accepted names (matched case-insensitively).
    """

    name: str
    vendor: str
    kind: str
    release_year: int
    peak_flops: Mapping[str, float]
    board_power_watts: float
    cloud_usd_per_hour: Optional[float]
    source: str
    price_source: str = ""
    burden_precision: str = "fp32"
    aliases: Tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("gpu", "tpu"):
            raise ValueError(f"kind must be 'gpu' or 'tpu', got {self.kind!r}")
        rates = dict(self.peak_flops)
        for key, value in rates.items():
            if key not in PRECISIONS:
                raise ValueError(f"peak_flops precision must be one of {PRECISIONS}, got {key!r}")
            if not value > 0:
                raise ValueError(f"peak_flops[{key!r}] must be > 0, got {value!r}")
        if self.burden_precision not in rates:
            raise ValueError(f"burden_precision {self.burden_precision!r} has no peak in peak_flops")
        object.__setattr__(self, "peak_flops", MappingProxyType(rates))

    def peak(self, precision: str = "fp32") -> float:
        """Peak FLOP/s at ``precision`` (dense); ValueError if not published."""
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
        }
        for precision in PRECISIONS:
            out[f"peak_{precision}_flops"] = self.peak_flops.get(precision)
        out.update(
            board_power_watts=self.board_power_watts,
            cloud_usd_per_hour=self.cloud_usd_per_hour,
            burden_precision=self.burden_precision,
            source=self.source,
            price_source=self.price_source,
            aliases=", ".join(self.aliases),
        )
        return out

    def to_frame(self):
        """One-row pandas DataFrame of ``to_dict()``."""
        import pandas as pd

        return pd.DataFrame([self.to_dict()])

    def __repr__(self) -> str:
        rates = ", ".join(f"{k}={v / 1e12:g} TFLOP/s" for k, v in self.peak_flops.items())
        price = "n/a" if self.cloud_usd_per_hour is None else f"${self.cloud_usd_per_hour:g}/h"
        return (
            f"Processor({self.name!r}, {self.vendor} {self.kind}, {self.release_year}, {rates}, "
            f"{self.board_power_watts:g} W, {price})"
        )
