"""Human-readable text of hardware results (``str(estimate)``, the CLI's output)."""

from __future__ import annotations

from typing import List, Tuple

from .. import _units


def _assumption(result, name: str) -> str:
    """One default the estimate assumed, with its value and where it comes from."""
    if name == "precision":
        return f"precision {result.precision} (the processor's default)"
    if name == "utilization":
        return f"utilization {result.utilization:g} (Epoch AI)"
    if name == "pue":
        return f"PUE {result.pue:g} ({result.operator}, Epoch AI)"
    if name == "server_power_ratio":
        return f"server/chip power {result.server_power_ratio:.3g} (Epoch AI)"
    if name == "power_fraction":
        return f"average draw {result.power_fraction:g} of server TDP (Epoch AI)"
    return name


def _rate(value: float, precision: str) -> str:
    return _units.format_rate(value, "OP/s" if precision == "int8" else "FLOP/s")


def estimate_facts(result) -> Tuple[str, List[Tuple[str, str]]]:
    """(title, [(label, text)]): the run, then wall time, processor-hours, cost, energy and CO2
    in human units, then the defaults it assumed and what it could not compute."""
    title = (
        f"{_units.format_flop(result.flop)} on {result.count:,} x {result.processor} at {result.precision} "
        f"({_rate(result.peak_flops, result.precision)} dense peak each), utilization {result.utilization:g}"
    )
    facts = [
        ("wall time", _units.format_duration(result.wall_seconds)),
        ("processor-hours", _units.format_count(result.processor_hours)),
    ]
    if result.cost_usd is None:
        facts.append(("cost", "unknown (no hourly price)"))
    else:
        facts.append(("cost", f"{_units.format_usd(result.cost_usd)} at ${result.usd_per_hour:.4g}/h"))
    if result.energy_kwh is None:
        facts += [("energy", "unknown (no board power)"), ("CO2", "unknown (no board power)")]
    else:
        facts.append(
            (
                "energy",
                f"{_units.format_energy_kwh(result.energy_kwh)} ({result.board_power_watts:g} W board x "
                f"{result.server_power_ratio:.3g} server x {result.power_fraction:g} average draw x PUE {result.pue:g})",
            )
        )
        facts.append(("CO2", f"{_units.format_co2_kg(result.co2_kg)} at {result.grid_kg_co2_per_kwh:g} kg CO2/kWh"))
    if result.assumed:
        facts.append(("defaults", "; ".join(_assumption(result, name) for name in result.assumed)))
    facts += [("not computed", reason) for reason in result.missing]
    return title, facts


def describe_estimate(result) -> str:
    """Several lines: ``estimate_facts`` under the title, one fact per line."""
    title, facts = estimate_facts(result)
    return "\n".join([title] + [f"  {label:<16} {text}" for label, text in facts])
