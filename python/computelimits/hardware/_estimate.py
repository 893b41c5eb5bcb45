"""Hardware burden, and the time, cost, energy and CO2 of a FLOP budget."""

from __future__ import annotations

import dataclasses
import math
import numbers
from typing import Any, Dict, Optional, Tuple, Union

from .._display import Display, ResultDisplay, Summary, as_html
from .._validation import check_real
from . import _cost_model as cost_model
from ._processor import PRECISIONS, Processor
from ._registry import get_processor

SECONDS_PER_HOUR = 3600.0
SECONDS_PER_YEAR = 365.25 * 86400.0


def _check_count(count: Any) -> int:
    if isinstance(count, bool) or not isinstance(count, numbers.Real):
        raise TypeError(f"count must be a positive integer, got {count!r} ({type(count).__name__})")
    value = check_real("count", count)
    if not math.isfinite(value) or value <= 0 or value != math.floor(value):
        raise ValueError(f"count must be a positive integer, got {count!r}")
    return int(count) if isinstance(count, numbers.Integral) else int(value)


def check_precision(precision: Any) -> str:
    """``precision`` lower-cased if it is one of ``PRECISIONS``, else ValueError naming it.

    Parameters
    ----------
    precision : str
        One of fp32, tf32, fp16, bf16, fp8, fp4, int8 (any case).

    Returns
    -------
    str

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.check_precision("BF16")
    'bf16'
    """
    if not isinstance(precision, str) or precision.lower() not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    return precision.lower()


def hardware_burden(
    processor: Union[str, Processor], count: Any, seconds: Any, precision: Optional[str] = None
) -> float:
    """Hardware burden in FLOP = peak rate x count x seconds (no utilization).

    Thompson et al. (2020), section 3: the sum over processors of count x peak
    FP32 FLOP/s x training seconds. ``precision=None`` uses the processor's
    ``burden_precision``: FP32 for GPUs (the paper's convention), the published
    matrix-unit peak for processors that publish no FP32 peak (TPUs, Gaudi).

    Parameters
    ----------
    processor : str or Processor
        A catalogue name or alias, or a record.
    count : int
        Number of processors (> 0).
    seconds : float
        Training time in seconds (>= 0).
    precision : str, optional
        The peak rate to use; default the processor's ``burden_precision``.

    Returns
    -------
    float
        FLOP.

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.hardware_burden("V100", 8, 3600.0)  # 8 x 15.7 TFLOP/s x 1 hour
    4.5216e+17
    """
    proc = get_processor(processor)
    n = _check_count(count)
    secs = check_real("seconds", seconds, minimum=0.0)
    rate = proc.burden_flops if precision is None else proc.peak(check_precision(precision))
    burden = rate * n * secs
    if not math.isfinite(burden):
        raise OverflowError(f"hardware burden overflows a float for count={count!r}, seconds={seconds!r}")
    return burden


@dataclasses.dataclass(frozen=True)
class HardwareEstimate(ResultDisplay):
    """Time, cost, energy and CO2 of running ``flop`` on ``count`` processors.

    wall_seconds = flop / (count x peak(precision) x utilization);
    processor_hours = count x wall_seconds / 3600;
    cost_usd = processor_hours x usd_per_hour (None when no price is known);
    energy_kwh = board_power_watts x server_power_ratio x power_fraction x pue
    x processor_hours / 1000 (None when no board power is known);
    co2_kg = energy_kwh x grid_kg_co2_per_kwh.
    ``assumed`` names the inputs taken from defaults; ``missing`` says what could
    not be computed and why.
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
    board_power_watts: Optional[float]
    wall_seconds: float
    processor_hours: float
    cost_usd: Optional[float]
    energy_kwh: Optional[float]
    co2_kg: Optional[float]
    operator: str = "hyperscaler"
    server_power_ratio: float = 1.0
    power_fraction: float = 1.0
    assumed: Tuple[str, ...] = ()
    missing: Tuple[str, ...] = ()

    @property
    def wall_days(self) -> float:
        return self.wall_seconds / 86400.0

    @property
    def wall_years(self) -> float:
        """Wall-clock time in Julian years (365.25 days)."""
        return self.wall_seconds / SECONDS_PER_YEAR

    def to_dict(self) -> Dict[str, Any]:
        out = dataclasses.asdict(self)
        out["assumed"] = list(self.assumed)
        out["missing"] = list(self.missing)
        return out

    def to_frame(self):
        import pandas as pd

        row = self.to_dict()
        row["assumed"] = ", ".join(self.assumed)
        row["missing"] = "; ".join(self.missing)
        return pd.DataFrame([row])

    def _display(self) -> Display:
        from ._describe import estimate_facts

        title, facts = estimate_facts(self)
        return Display(title, tuple(facts))

    def summary(self) -> Summary:
        """The run, then wall time, processor-hours, cost, energy and CO2 in human units, the
        defaults it assumed and what it could not compute (``str(estimate)`` prints the same)."""
        from ._describe import describe_estimate

        return Summary(describe_estimate(self), as_html(self._display()))

    def __repr__(self) -> str:
        cost = "unknown" if self.cost_usd is None else f"${self.cost_usd:.4g}"
        energy = "unknown" if self.energy_kwh is None else f"{self.energy_kwh:.4g} kWh"
        co2 = "unknown" if self.co2_kg is None else f"{self.co2_kg:.4g} kg CO2"
        return (
            f"HardwareEstimate({self.flop:.4g} FLOP on {self.count} x {self.processor} "
            f"({self.precision}, utilization {self.utilization:g}): {self.wall_days:.4g} days wall, "
            f"{self.processor_hours:.4g} processor-hours, cost {cost}, {energy}, {co2})"
        )


def estimate(
    flop: Any,
    processor: Union[str, Processor],
    count: Any = 1,
    utilization: Any = None,
    precision: Optional[str] = None,
    usd_per_hour: Any = None,
    pue: Any = None,
    grid_kg_co2_per_kwh: Any = cost_model.GRID_KG_CO2_PER_KWH,
    *,
    workload: Optional[str] = None,
    operator: str = "hyperscaler",
    server_power_ratio: Any = None,
    power_fraction: Any = None,
    board_power_watts: Any = None,
) -> HardwareEstimate:
    """Wall time, processor-hours, cost, energy and CO2 for a ``flop`` workload.

    Epoch AI's hardware method inverted: time = FLOP / (count x peak x
    utilization). Defaults (``None``), each recorded in ``result.assumed``:

    - ``precision``: the processor's ``default_precision`` (dense BF16, else
      FP16 tensor, else FP32 or the matrix-unit rate);
    - ``utilization``: 0.3 for ``workload="llm"``, 0.4 for ``"other"`` (Sevilla
      et al. 2022), 0.375 when the workload is not given (Cottier et al. 2024);
    - ``pue``: 1.1 for ``operator="hyperscaler"``, 1.25 for ``"other"``;
    - ``server_power_ratio``: Epoch's server-to-chip power ratio for the
      processor (1.8 for most GPUs); ``power_fraction``: average draw over
      server TDP (0.75 GPUs, 0.43 TPUs) (both Cottier et al. 2024);
    - ``usd_per_hour``: the catalogue price (cost ``None`` if there is none);
      ``board_power_watts``: the catalogue's (energy and CO2 ``None`` if none).

    Energy = board W x server ratio x power fraction x PUE x processor-hours;
    pass ``server_power_ratio=1, power_fraction=1`` for board power only. CO2 =
    energy x ``grid_kg_co2_per_kwh`` (0.429, a world-average order, Lacoste et al. 2019).

    Parameters
    ----------
    flop : float or int
        The work, in FLOP (>= 0).
    processor : str or Processor
        A catalogue name or alias, or a record.
    count : int, default 1
        Number of processors.
    utilization : float, optional
        Model FLOP/s over peak, in (0, 1].
    precision : str, optional
        Whose peak rate to use (fp32, tf32, fp16, bf16, fp8, fp4, int8).
    usd_per_hour : float, optional
        Price per processor-hour.
    pue : float, optional
        Power usage effectiveness (>= 1).
    grid_kg_co2_per_kwh : float, default 0.429
        Grid carbon intensity.
    workload : {None, "llm", "other"}, optional
        Chooses the default utilization.
    operator : {"hyperscaler", "other"}, default "hyperscaler"
        Chooses the default PUE.
    server_power_ratio : float, optional
        Server power per chip over chip TDP (>= 1).
    power_fraction : float, optional
        Average draw over server TDP, in (0, 1].
    board_power_watts : float, optional
        Chip TDP in watts.

    Returns
    -------
    HardwareEstimate
        ``wall_seconds``, ``processor_hours``, ``cost_usd``, ``energy_kwh``, ``co2_kg`` with
        the inputs used, ``assumed`` and ``missing``; ``print()`` shows them in human units.

    Examples
    --------
    >>> from computelimits import hardware
    >>> run = hardware.estimate(3.14e23, "V100", count=1000, utilization=0.3, precision="fp16")
    >>> round(run.wall_days, 1), round(run.cost_usd / 1e6, 2)
    (96.9, 7.12)
    >>> run.assumed
    ('pue', 'server_power_ratio', 'power_fraction')
    >>> print(run)
    3.14e+23 FLOP on 1,000 x V100-SXM2-16GB at fp16 (125 TFLOP/s dense peak each), utilization 0.3
      wall time        96.9 days
      processor-hours  2.3M
      cost             $7.1M at $3.06/h
      energy           959 MWh (300 W board x 1.67 server x 0.75 average draw x PUE 1.1)
      CO2              412 t CO2 at 0.429 kg CO2/kWh
      defaults         PUE 1.1 (hyperscaler, Epoch AI); server/chip power 1.67 (Epoch AI); average draw 0.75 of server TDP (Epoch AI)
    """
    proc = get_processor(processor)
    work = check_real("flop", flop, minimum=0.0)
    n = _check_count(count)
    assumed = []
    if precision is None:
        prec = proc.default_precision
        assert prec is not None  # Processor.__post_init__ always sets it
        assumed.append("precision")
    else:
        prec = check_precision(precision)
    peak = proc.peak(prec)
    if utilization is None:
        util = cost_model.default_utilization(workload)
        assumed.append("utilization")
    else:
        if workload is not None:
            cost_model.default_utilization(workload)  # still validate it
        util = check_real("utilization", utilization, minimum=0.0, maximum=1.0, strict_minimum=True)
    if pue is None:
        pue_value = cost_model.pue_for(operator)
        assumed.append("pue")
    else:
        cost_model.pue_for(operator)
        pue_value = check_real("pue", pue, minimum=1.0)
    if server_power_ratio is None:
        ratio = cost_model.server_to_chip_power(proc)
        assumed.append("server_power_ratio")
    else:
        ratio = check_real("server_power_ratio", server_power_ratio, minimum=1.0)
    if power_fraction is None:
        fraction = cost_model.average_power_fraction(proc)
        assumed.append("power_fraction")
    else:
        fraction = check_real("power_fraction", power_fraction, minimum=0.0, maximum=1.0, strict_minimum=True)
    grid = check_real("grid_kg_co2_per_kwh", grid_kg_co2_per_kwh, minimum=0.0)
    missing = []
    if usd_per_hour is None:
        price = proc.cloud_usd_per_hour
        if price is None:
            missing.append(f"cost_usd: no hourly price for {proc.name} ({proc.price_source}); pass usd_per_hour")
    else:
        price = check_real("usd_per_hour", usd_per_hour, minimum=0.0)
    if board_power_watts is None:
        watts = proc.board_power_watts
        if watts is None:
            missing.append(f"energy_kwh, co2_kg: no board power published for {proc.name}; pass board_power_watts")
    else:
        watts = check_real("board_power_watts", board_power_watts, minimum=0.0, strict_minimum=True)
    # Divided in turn (count x peak x utilization can overflow for an absurd count; hours do not depend on it).
    wall = work / peak / util / n
    hours = work / peak / util / SECONDS_PER_HOUR
    energy = None if watts is None else watts * ratio * fraction * pue_value * hours / 1000.0
    cost = None if price is None else hours * price
    co2 = None if energy is None else energy * grid
    for label, value, inputs in (
        ("processor_hours", hours, "utilization"),
        ("energy_kwh", energy, "board_power_watts, server_power_ratio, power_fraction, pue"),
        ("cost_usd", cost, "usd_per_hour"),
        ("co2_kg", co2, "grid_kg_co2_per_kwh"),
    ):
        if value is not None and not math.isfinite(value):
            raise OverflowError(f"{label} overflows float64 for flop={flop!r:.30} (with the given {inputs})")
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
        board_power_watts=None if watts is None else float(watts),
        wall_seconds=wall,
        processor_hours=hours,
        cost_usd=cost,
        energy_kwh=energy,
        co2_kg=co2,
        operator=operator,
        server_power_ratio=ratio,
        power_fraction=fraction,
        assumed=tuple(assumed),
        missing=tuple(missing),
    )
