"""What compute costs: FLOP to dollars, tonnes of CO2 and months of New York City's emissions.

Conversions (the authors' public site, Thompson et al. 2020 / computerprogress.com): $1 per
6.874e16 FLOP; 1 lb CO2 per 3.498e17 FLOP; 1 tonne = 2204.62 lb; New York City emits 56.5 Mt
CO2 a year, so one NYC-month = 56.5e6 / 12 t. With ``hardware`` (keyword arguments of
``computelimits.hardware.estimate``, e.g. ``{"processor": "V100", "utilization": 0.4}``)
dollars and CO2 come from the processor's price, power and the grid intensity instead.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Optional

import numpy as np

from .. import _validation

FLOP_PER_USD = 6.874e16
FLOP_PER_LB_CO2 = 3.498e17
LB_PER_TONNE = 2204.62
NYC_MONTH_TONNES_CO2 = 56.5e6 / 12.0


def _amount(name: str, values: Any) -> np.ndarray:
    """``values`` as floats, each finite and >= 0, else ValueError/TypeError naming ``name``."""
    array = _validation.real_array(name, values)
    bad = ~(np.isfinite(array) & (array >= 0))
    if np.any(bad):
        raise ValueError(f"{name} must be finite and >= 0, got {array[bad].flat[0]}")
    return array


def usd_for_flop(flop):
    """Dollars for ``flop`` at the authors' rate, $1 per 6.874e16 FLOP (Thompson et al. 2020).

    Parameters
    ----------
    flop : float or array_like

    Returns
    -------
    numpy.ndarray or float
        USD.

    Examples
    --------
    >>> from computelimits import fit
    >>> float(fit.usd_for_flop(6.874e19))
    1000.0
    """
    return _amount("flop", flop) / FLOP_PER_USD


def co2_tonnes_for_flop(flop):
    """Tonnes of CO2 for ``flop`` at 1 lb per 3.498e17 FLOP and 2204.62 lb per tonne (Thompson et al. 2020).

    Parameters
    ----------
    flop : float or array_like

    Returns
    -------
    numpy.ndarray or float
        Tonnes of CO2.

    Examples
    --------
    >>> from computelimits import fit
    >>> float(fit.co2_tonnes_for_flop(3.498e17 * 2204.62))
    1.0
    """
    return _amount("flop", flop) / FLOP_PER_LB_CO2 / LB_PER_TONNE


def nyc_months(co2_tonnes):
    """CO2 expressed in months of New York City's emissions (56.5 Mt a year / 12; Thompson et al. 2020).

    Parameters
    ----------
    co2_tonnes : float or array_like

    Returns
    -------
    numpy.ndarray or float
        Months of New York City's emissions.

    Examples
    --------
    >>> from computelimits import fit
    >>> float(fit.nyc_months(56.5e6))
    12.0
    """
    return _amount("co2_tonnes", co2_tonnes) / NYC_MONTH_TONNES_CO2


# Costs are proportional to FLOP (``hardware.estimate`` divides FLOP by a fixed rate),
# so with ``hardware`` the log10 cost is log10 cost(10^20 FLOP) + log10 C* - 20.
_HARDWARE_REFERENCE_LOG10_FLOP = 20.0


def log10_costs(log10_flop: Optional[float], hardware: Optional[Dict[str, Any]] = None) -> Dict[str, Optional[float]]:
    """log10 of USD, t CO2 and NYC-months for log10 FLOP (None where undefined).

    Default: the authors' conversions (module docstring); with ``hardware`` the
    processor's price, power and grid from ``hardware.estimate`` (costs are linear in FLOP).
    """
    keys = ("log10_usd", "log10_co2_tonnes", "log10_nyc_months")
    if log10_flop is None or not math.isfinite(log10_flop):
        return dict.fromkeys(keys)
    log10_usd: Optional[float]
    log10_tonnes: Optional[float]
    if hardware is None:
        log10_usd = log10_flop - math.log10(FLOP_PER_USD)
        log10_tonnes = log10_flop - math.log10(FLOP_PER_LB_CO2) - math.log10(LB_PER_TONNE)
    else:
        from .. import hardware as hardware_area

        shift = log10_flop - _HARDWARE_REFERENCE_LOG10_FLOP
        estimate = hardware_area.estimate(10.0**_HARDWARE_REFERENCE_LOG10_FLOP, **hardware)
        log10_usd = None if not estimate.cost_usd else math.log10(estimate.cost_usd) + shift
        log10_tonnes = None if not estimate.co2_kg else math.log10(estimate.co2_kg / 1000.0) + shift
    log10_months = None if log10_tonnes is None else log10_tonnes - math.log10(NYC_MONTH_TONNES_CO2)
    return dict(zip(keys, (log10_usd, log10_tonnes, log10_months)))
