"""Processor catalogue; hardware burden; training time, cost, energy and CO2.

``get_processor(name)``, ``processors()``, ``hardware_burden(processor, count,
seconds)`` and ``estimate(flop, processor, ...)``; figures and sources are in
``_catalogue.py`` and docs/hardware.md.
"""

from ._catalogue import CATALOGUE
from ._estimate import (
    SECONDS_PER_YEAR,
    HardwareEstimate,
    catalogue_frame,
    estimate,
    find_processor,
    get_processor,
    hardware_burden,
    processors,
)
from ._processor import PRECISIONS, Processor

__all__ = [
    "CATALOGUE",
    "PRECISIONS",
    "SECONDS_PER_YEAR",
    "HardwareEstimate",
    "Processor",
    "catalogue_frame",
    "estimate",
    "find_processor",
    "get_processor",
    "hardware_burden",
    "processors",
]
