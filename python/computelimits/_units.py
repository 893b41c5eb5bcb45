"""Human units for times, money, energy, CO2, rates and counts, and reading counts back.

Shared by the command line and the report: ``format_duration(3.6e5)`` is
"4.2 days", ``format_usd(1.3e6)`` is "$1.3M", ``format_energy_kwh(12_500)`` is
"12.5 MWh", ``format_co2_kg(5_100)`` is "5.1 t CO2".

Numbers print with one decimal below 100 ("4.2", "12.5"), as integers from 100
("355", "12,345") and in e-notation from a million of the largest unit
("1.2e+07 years"). Every formatter raises ValueError naming the argument for a
negative, NaN or infinite value, and TypeError for a non-number.
"""

from __future__ import annotations

import decimal
import math
import numbers
from typing import Any, Optional, Sequence, Tuple

__all__ = [
    "format_co2_kg",
    "format_count",
    "format_duration",
    "format_energy_kwh",
    "format_flop",
    "format_power_watts",
    "format_rate",
    "format_usd",
    "parse_count",
]

SECONDS_PER_YEAR = 365.25 * 86400.0


def _check(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    out = float(value)
    if not math.isfinite(out) or out < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return out


def _number(value: float) -> str:
    """One decimal below 100, whole numbers with thousands separators below 1e6, e-notation above;
    a positive value that one decimal would print as 0.0 keeps two significant digits ("0.012", "1.2e-05")."""
    if 0 < value < 0.05:
        return f"{value:.2g}"
    if value < 100:
        return f"{value:.1f}"
    if value < 1e6:
        return f"{value:,.0f}"
    return f"{value:.1e}"


def _scaled(value: float, units: Sequence[Tuple[str, float]]) -> Tuple[float, str]:
    """``value`` in the largest unit it reaches (units ordered smallest first, with their sizes)."""
    chosen = units[0]
    for unit in units:
        if value >= unit[1] * (1 - 5e-4):  # 999.96 s rounds up to a whole larger unit, not "1,000 s"
            chosen = unit
    return value / chosen[1], chosen[0]


def format_duration(seconds: Any) -> str:
    """A duration in the largest unit it reaches: ns, us, ms, s, min, hours, days, years (365.25 days)."""
    value = _check("seconds", seconds)
    if value == 0:
        return "0 s"
    units = (
        ("ns", 1e-9),
        ("us", 1e-6),
        ("ms", 1e-3),
        ("s", 1.0),
        ("min", 60.0),
        ("hours", 3600.0),
        ("days", 86400.0),
        ("years", SECONDS_PER_YEAR),
    )
    amount, unit = _scaled(value, units)
    text = _number(amount)
    if text == "1.0" and unit in ("hours", "days", "years"):
        return f"1 {unit[:-1]}"
    return f"{text} {unit}"


def format_usd(usd: Any) -> str:
    """US dollars: "$0.42", "$12.50", "$420", "$12.5k", "$1.3M", "$4.6B", "$1.2T", then e-notation."""
    value = _check("usd", usd)
    if 0 < value < 0.005:  # a cost, however small, is not "$0.00"
        return f"${value:.2g}"
    if value < 100:
        return f"${value:.2f}"
    if value < 1e3:
        return f"${value:.0f}"
    if value >= 1e15:
        return f"${value:.1e}"
    amount, unit = _scaled(value, (("k", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12)))
    return f"${_number(amount)}{unit}"


def format_energy_kwh(kwh: Any) -> str:
    """Energy given in kWh, printed in Wh, kWh, MWh, GWh or TWh."""
    value = _check("kwh", kwh) * 1000.0
    if value == 0:
        return "0 Wh"
    amount, unit = _scaled(value, (("Wh", 1.0), ("kWh", 1e3), ("MWh", 1e6), ("GWh", 1e9), ("TWh", 1e12)))
    return f"{_number(amount)} {unit}"


def format_co2_kg(kg: Any) -> str:
    """CO2 mass given in kg, printed in g, kg, t, kt, Mt or Gt ("5.1 t CO2")."""
    value = _check("kg", kg) * 1000.0
    if value == 0:
        return "0 g CO2"
    units = (("g", 1.0), ("kg", 1e3), ("t", 1e6), ("kt", 1e9), ("Mt", 1e12), ("Gt", 1e15))
    amount, unit = _scaled(value, units)
    return f"{_number(amount)} {unit} CO2"


def format_flop(flop: Any) -> str:
    """A FLOP count in e-notation with three significant digits ("3.14e+23 FLOP")."""
    value = _check("flop", flop)
    return f"{value:.3g} FLOP" if value < 1e4 else f"{value:.2e} FLOP"


def format_rate(flop_per_second: Any, unit: str = "FLOP/s") -> str:
    """A rate with an SI prefix: "312 TFLOP/s", "1.2 PFLOP/s" (``unit="OP/s"`` for integer rates)."""
    value = _check("flop_per_second", flop_per_second)
    if value == 0:
        return f"0 {unit}"
    prefixes = (("", 1.0), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18))
    amount, prefix = _scaled(value, prefixes)
    return f"{_number(amount)} {prefix}{unit}"


def format_power_watts(watts: Any) -> str:
    """Power: "72 W", "1.2 kW", "15.0 MW"."""
    value = _check("watts", watts)
    if value < 1e3:
        return f"{value:.0f} W"
    amount, unit = _scaled(value, (("W", 1.0), ("kW", 1e3), ("MW", 1e6), ("GW", 1e9)))
    return f"{_number(amount)} {unit}"


def format_count(count: Any) -> str:
    """A count: "2.5" below 100, "12,345" below a million, then "3.1M", "4.2B", "1.5T", e-notation."""
    value = _check("count", count)
    if value < 100 and value != math.floor(value):
        return _number(value)
    if value < 1e6:
        return f"{value:,.0f}"
    if value >= 1e15:
        return f"{value:.1e}"
    amount, unit = _scaled(value, (("M", 1e6), ("B", 1e9), ("T", 1e12)))
    return f"{_number(amount)}{unit}"


def parse_count(text: Any, name: str = "count", minimum: Optional[int] = 0) -> int:
    """Read an integer count written as "1000", "1e12", "1_281_167" or "2.5e6" (exactly, via Decimal).

    Raises ValueError naming ``name`` for text that is not a whole number, is
    infinite or NaN, or is below ``minimum``.
    """
    if isinstance(text, bool):
        raise TypeError(f"{name} must be a whole number, got {text!r}")
    if isinstance(text, numbers.Integral):
        value = int(text)
    else:
        try:
            exact = decimal.Decimal(str(text).strip())
        except decimal.InvalidOperation:
            raise ValueError(f"{name} must be a whole number such as 1000, 1e12 or 1_000_000, got {text!r}") from None
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise ValueError(f"{name} must be a whole number such as 1000, 1e12 or 1_000_000, got {text!r}")
        if exact.adjusted() > 4300:  # int() of a longer number is refused by CPython anyway
            raise ValueError(f"{name} is too large to be a count, got {text!r}")
        value = int(exact)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {text!r}")
    return value
