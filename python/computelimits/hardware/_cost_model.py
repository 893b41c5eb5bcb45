"""Epoch AI's cost-model defaults, as named constants with their sources.

``estimate`` uses these when the caller does not give a value. Sources:

- Sevilla, Heim, Hobbhahn, Besiroglu, Ho, Villalobos (Epoch AI, 2022),
  "Estimating Training Compute of Deep Learning Models": hardware-method
  utilization 30% for large language models, 40% for other models.
- Cottier, Rahman, Fattorini, Maslej, Besiroglu, Owen (2024), "The rising costs
  of training frontier AI models", arXiv:2405.21015, and its code
  (github.com/epoch-research/training-cost-trends): utilization 0.375 when
  unknown (median of 33 known values); PUE 1.1 for hyperscalers and 1.25 for
  other operators; server power = chip TDP x a server-to-chip ratio (from
  NVIDIA DGX and Google TPU system specifications); average draw = 75% of
  server TDP for GPUs, 43% for TPUs.
- Lacoste, Luccioni, Schmidt, Dandres (2019), "Quantifying the Carbon Emissions
  of Machine Learning": grid intensity, here their world-average order 0.429 kg CO2/kWh.
"""

from __future__ import annotations

import re
from typing import Dict, Tuple

from ._processor import Processor

# Utilization (model FLOP/s over peak FLOP/s).
UTILIZATION_LLM = 0.3  # Sevilla et al. 2022
UTILIZATION_OTHER = 0.4  # Sevilla et al. 2022
UTILIZATION_UNKNOWN = 0.375  # Cottier et al. 2024: median of 33 known values
WORKLOADS: Tuple[str, ...] = ("llm", "other")

# Power usage effectiveness by operator (Cottier et al. 2024).
PUE_HYPERSCALER = 1.1
PUE_OTHER = 1.25
OPERATORS: Tuple[str, ...] = ("hyperscaler", "other")

# Server power / chip TDP (Cottier et al. 2024, energy.py): from 8-GPU DGX maxima
# (H100 10.2 kW, A100 6.5 kW; V100 DGX-2 10 kW / 16 and DGX-1 1.5 kW / 4 GPUs,
# averaged) and Google's TPU systems (Jouppi et al. 2021, Table 1).
SERVER_TO_CHIP_POWER_GPU = 1.8  # average of the NVIDIA ratios; used for every other GPU
SERVER_TO_CHIP_POWER_BY_FAMILY: Dict[str, float] = {
    "H100": (10.2 / 8) / 0.7,
    "A100": (6.5 / 8) / 0.4,
    "V100": ((10 / 16) / 0.3 + (1.5 / 4) / 0.3) / 2,
}
SERVER_TO_CHIP_POWER_TPU = 1.56  # average of v2, v3 and v4i; used for v4 and later
SERVER_TO_CHIP_POWER_TPU_BY_VERSION: Dict[str, float] = {"v1": 2.93, "v2": 1.64, "v3": 1.47}

# Average power draw during training as a fraction of server TDP (Cottier et al. 2024).
AVERAGE_POWER_FRACTION_GPU = 0.75
AVERAGE_POWER_FRACTION_TPU = 0.43

GRID_KG_CO2_PER_KWH = 0.429  # world-average order (Lacoste et al. 2019)


def default_utilization(workload=None) -> float:
    """Utilization when none is given: 0.3 for ``workload="llm"``, 0.4 for ``"other"``
    (Sevilla et al. 2022), 0.375 when the workload is not said (Cottier et al. 2024).

    Parameters
    ----------
    workload : {None, "llm", "other"}, default None
        The kind of model trained.

    Returns
    -------
    float
        Model FLOP/s over peak FLOP/s.

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.default_utilization(), hardware.default_utilization("llm")
    (0.375, 0.3)
    """
    if workload is None:
        return UTILIZATION_UNKNOWN
    if workload not in WORKLOADS:
        raise ValueError(f"workload must be None or one of {WORKLOADS}, got {workload!r}")
    return UTILIZATION_LLM if workload == "llm" else UTILIZATION_OTHER


def pue_for(operator: str) -> float:
    """PUE by operator: 1.1 for a hyperscaler, 1.25 otherwise (Cottier et al. 2024).

    Parameters
    ----------
    operator : {"hyperscaler", "other"}
        Who runs the data centre.

    Returns
    -------
    float
        Power usage effectiveness (facility power over IT power).

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.pue_for("other")
    1.25
    """
    if operator not in OPERATORS:
        raise ValueError(f"operator must be one of {OPERATORS}, got {operator!r}")
    return PUE_HYPERSCALER if operator == "hyperscaler" else PUE_OTHER


def server_to_chip_power(processor: Processor) -> float:
    """Server power per chip / chip TDP, Epoch's rule: H100, A100 and V100 from NVIDIA
    DGX maxima, 1.8 for other GPUs and accelerators; TPU v1-v3 from Google's system
    figures, 1.56 for later TPUs (Cottier et al. 2024).

    Parameters
    ----------
    processor : Processor
        The chip.

    Returns
    -------
    float
        The ratio (>= 1).

    Examples
    --------
    >>> from computelimits import hardware
    >>> round(hardware.server_to_chip_power(hardware.get_processor("H100")), 4)  # (10.2 kW / 8) / 0.7 kW
    1.8214
    >>> hardware.server_to_chip_power(hardware.get_processor("L4"))
    1.8
    """
    if processor.kind == "tpu":
        for version, ratio in SERVER_TO_CHIP_POWER_TPU_BY_VERSION.items():
            if re.sub(r"[^a-z0-9]", "", processor.name.lower()).endswith("tpu" + version):
                return ratio
        return SERVER_TO_CHIP_POWER_TPU
    for family, ratio in SERVER_TO_CHIP_POWER_BY_FAMILY.items():
        if family in processor.name.upper():
            return ratio
    return SERVER_TO_CHIP_POWER_GPU


def average_power_fraction(processor: Processor) -> float:
    """Average draw as a fraction of server TDP: 0.43 for TPUs, 0.75 otherwise (Cottier et al. 2024).

    Parameters
    ----------
    processor : Processor
        The chip.

    Returns
    -------
    float

    Examples
    --------
    >>> from computelimits import hardware
    >>> hardware.average_power_fraction(hardware.get_processor("TPU v4"))
    0.43
    """
    return AVERAGE_POWER_FRACTION_TPU if processor.kind == "tpu" else AVERAGE_POWER_FRACTION_GPU
