"""Processor catalogue; hardware burden; training time, cost, energy and CO2.

``get_processor(name)``, ``processors()``, ``hardware_burden(processor, count,
seconds)`` and ``estimate(flop, processor, ...)``; the built-in catalogue is
``data/processors.csv`` (sources per row), Epoch AI's cost-model defaults are in
``_cost_model.py``, and ``load_epoch_hardware(path)`` merges Epoch AI's ML
hardware table. Formulas and sources: docs/hardware.md.
"""

from ._catalogue import CATALOGUE
from ._cost_model import (
    AVERAGE_POWER_FRACTION_GPU,
    AVERAGE_POWER_FRACTION_TPU,
    GRID_KG_CO2_PER_KWH,
    OPERATORS,
    PUE_HYPERSCALER,
    PUE_OTHER,
    SERVER_TO_CHIP_POWER_BY_FAMILY,
    SERVER_TO_CHIP_POWER_GPU,
    SERVER_TO_CHIP_POWER_TPU,
    SERVER_TO_CHIP_POWER_TPU_BY_VERSION,
    UTILIZATION_LLM,
    UTILIZATION_OTHER,
    UTILIZATION_UNKNOWN,
    WORKLOADS,
    average_power_fraction,
    default_utilization,
    pue_for,
    server_to_chip_power,
)
from ._epoch import EPOCH_CREDIT, EpochHardwareLoad, load_epoch_hardware
from ._estimate import SECONDS_PER_YEAR, HardwareEstimate, check_precision, estimate, hardware_burden
from ._processor import KINDS, PRECISIONS, Processor
from ._registry import (
    catalogue_frame,
    close_matches,
    find_processor,
    get_processor,
    processors,
    register_processor,
    reset_catalogue,
)

__all__ = [
    "AVERAGE_POWER_FRACTION_GPU",
    "AVERAGE_POWER_FRACTION_TPU",
    "CATALOGUE",
    "EPOCH_CREDIT",
    "GRID_KG_CO2_PER_KWH",
    "KINDS",
    "OPERATORS",
    "PRECISIONS",
    "PUE_HYPERSCALER",
    "PUE_OTHER",
    "SECONDS_PER_YEAR",
    "SERVER_TO_CHIP_POWER_BY_FAMILY",
    "SERVER_TO_CHIP_POWER_GPU",
    "SERVER_TO_CHIP_POWER_TPU",
    "SERVER_TO_CHIP_POWER_TPU_BY_VERSION",
    "UTILIZATION_LLM",
    "UTILIZATION_OTHER",
    "UTILIZATION_UNKNOWN",
    "WORKLOADS",
    "EpochHardwareLoad",
    "HardwareEstimate",
    "Processor",
    "average_power_fraction",
    "catalogue_frame",
    "check_precision",
    "close_matches",
    "default_utilization",
    "estimate",
    "find_processor",
    "get_processor",
    "hardware_burden",
    "load_epoch_hardware",
    "processors",
    "pue_for",
    "register_processor",
    "reset_catalogue",
    "server_to_chip_power",
]
