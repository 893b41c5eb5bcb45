"""Optional loader for Epoch AI's Machine Learning Hardware table (CSV), merged into the registry.

Epoch AI, "Data on Machine Learning Hardware", https://epoch.ai/data/machine-learning-hardware
(CC BY 4.0). Nothing of Epoch's data ships with computelimits: download the CSV
and pass its path.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
import re
from typing import Dict, List, Optional, Tuple

from .._display import ResultDisplay
from ._processor import Processor
from ._registry import PREFER, register_processor

EPOCH_CREDIT = (
    "Epoch AI, 'Data on Machine Learning Hardware' (CC BY 4.0), https://epoch.ai/data/machine-learning-hardware"
)

NAME_COLUMN = "Hardware name"
# Epoch's column -> catalogue precision. "Tensor-FP16/BF16" goes to bf16 for TPUs and
# matrix accelerators and to fp16 for GPUs (where it may be an FP16-only tensor rate).
PEAK_COLUMNS: Dict[str, str] = {
    "FP32 (single precision) performance (FLOP/s)": "fp32",
    "TF32 (TensorFloat-32) performance (FLOP/s)": "tf32",
    "Tensor-FP16/BF16 performance (FLOP/s)": "tensor16",
    "FP16 (half precision) performance (FLOP/s)": "fp16",
    "FP8 performance (FLOP/s)": "fp8",
    "FP4 performance (FLOP/s)": "fp4",
    "INT8 performance (OP/s)": "int8",
}
OTHER_COLUMNS = ("Manufacturer", "Type", "Release date", "TDP (W)", "Link to datasheet")


@dataclasses.dataclass(frozen=True)
class EpochHardwareLoad(ResultDisplay):
    """What ``load_epoch_hardware`` read and did.

    ``processors``: every row read as a ``Processor``; ``added``: Epoch names new to
    the registry; ``kept``: Epoch names that matched a registered processor, which
    was kept (the Epoch name became its alias); ``replaced``: Epoch names whose
    figures replaced a registered processor's (under its name); ``skipped``: (row
    name, reason) for rows not read or not merged.
    """

    path: str
    processors: Tuple[Processor, ...]
    added: Tuple[str, ...]
    kept: Tuple[str, ...]
    replaced: Tuple[str, ...]
    skipped: Tuple[Tuple[str, str], ...]


def _number(text: Optional[str]) -> Optional[float]:
    if text is None:
        return None
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"not a positive finite number: {text!r}")
    return value


def _kind(text: str) -> Optional[str]:
    upper = text.upper()
    if "CPU" in upper:
        return None
    if "TPU" in upper:
        return "tpu"
    if "GPU" in upper or not upper.strip():
        return "gpu"
    return "accelerator"


def _release(text: str) -> Tuple[int, Optional[str]]:
    match = re.match(r"^\s*(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
    if not match:
        raise ValueError(f"no release date: {text!r}")
    year, month, day = match.groups()
    date = None if month is None else f"{year}-{month}" + ("" if day is None else f"-{day}")
    return int(year), date


def processor_from_epoch_row(row: Dict[str, str]) -> Processor:
    """One row of Epoch's table as a ``Processor`` (ValueError saying why it cannot be read)."""
    name = (row.get(NAME_COLUMN) or "").strip()
    if not name:
        raise ValueError("no hardware name")
    kind = _kind(row.get("Type") or "")
    if kind is None:
        raise ValueError(f"type {row.get('Type')!r} is a CPU")
    year, date = _release(row.get("Release date") or "")
    peaks: Dict[str, float] = {}
    for column, key in PEAK_COLUMNS.items():
        value = _number(row.get(column))
        if value is None:
            continue
        if key == "tensor16":
            peaks["fp16" if kind == "gpu" else "bf16"] = value
        elif key == "fp16":
            peaks.setdefault("fp16", value)  # a non-tensor FP16 rate only where no tensor rate exists
        else:
            peaks[key] = value
    if not peaks:
        raise ValueError("no peak performance figure")
    fp16_is_tensor = _number(row.get("Tensor-FP16/BF16 performance (FLOP/s)")) is not None
    burden = next(p for p in ("fp32", "bf16", "fp16", "tf32", "fp8", "int8", "fp4") if p in peaks)
    # A non-tensor FP16 rate is no default for time estimates (as for the catalogue's P100).
    default = burden if ("fp16" in peaks and not fp16_is_tensor and "bf16" not in peaks) else None
    link = (row.get("Link to datasheet") or "").strip()
    return Processor(
        name=name,
        vendor=(row.get("Manufacturer") or "").strip() or "unknown",
        kind=kind,
        release_year=year,
        peak_flops=peaks,
        board_power_watts=_number(row.get("TDP (W)")),
        cloud_usd_per_hour=None,
        source=EPOCH_CREDIT + (f"; datasheet: {link}" if link else ""),
        price_source="Epoch AI's hardware table has no rental prices",
        burden_precision=burden,
        release_date=date,
        source_url=link,
        note="figures as Epoch AI records them (vendors' headline rates, which for some parts include sparsity)",
        default_precision=default,
    )


def load_epoch_hardware(path, *, merge: bool = True, prefer: str = "catalogue") -> EpochHardwareLoad:
    """Read Epoch AI's ML hardware CSV and (``merge=True``) merge it into the processor registry.

    Columns used (Epoch's published names): "Hardware name", "Manufacturer",
    "Type", "Release date", "TDP (W)", "Link to datasheet" and the peak columns
    FP32, TF32, Tensor-FP16/BF16, FP16, FP8, FP4 (FLOP/s) and INT8 (OP/s).
    ``prefer="catalogue"`` (default) keeps a catalogue entry when an Epoch row
    names the same processor (the Epoch name becomes an alias); ``prefer="new"``
    takes Epoch's figures under the catalogue name. Rows without a name, release
    date or peak figure, and CPUs, are listed in ``skipped``. Data: Epoch AI, CC BY 4.0.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV downloaded from Epoch AI (epoch.ai/data/machine-learning-hardware).
    merge : bool, default True
        Register the rows (else only read them).
    prefer : {"catalogue", "new"}, default "catalogue"
        Which record wins when a row names a registered processor.

    Returns
    -------
    EpochHardwareLoad
        The processors read and the names ``added``, ``kept``, ``replaced`` and ``skipped``.

    Examples
    --------
    >>> import tempfile, os
    >>> from computelimits import hardware
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "hardware.csv")
    ...     with open(path, "w") as handle:
    ...         print("Hardware name,Manufacturer,Type,Release date,FP32 (single precision) performance (FLOP/s)", file=handle)
    ...         print("New GPU,Acme,GPU,2024-05-01,5e13", file=handle)
    ...     load = hardware.load_epoch_hardware(path)
    >>> load.added
    ('New GPU',)
    >>> hardware.get_processor("new gpu").peak("fp32")
    50000000000000.0
    >>> hardware.reset_catalogue()
    """
    if prefer not in PREFER:
        raise ValueError(f"prefer must be one of {PREFER}, got {prefer!r}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path, got {path!r} ({type(path).__name__})")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"path {os.fspath(path)!r} is not a file (download Epoch AI's ML hardware CSV)")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if NAME_COLUMN not in columns or not any(c in columns for c in PEAK_COLUMNS):
            raise ValueError(
                f"path {os.fspath(path)!r} is not Epoch AI's ML hardware table: it needs the column "
                f"{NAME_COLUMN!r} and at least one of {list(PEAK_COLUMNS)}; found {columns}"
            )
        rows = list(reader)
    read: List[Processor] = []
    skipped: List[Tuple[str, str]] = []
    for row in rows:
        try:
            read.append(processor_from_epoch_row(row))
        except ValueError as error:
            skipped.append(((row.get(NAME_COLUMN) or "").strip(), str(error)))
    outcomes: Dict[str, List[str]] = {"added": [], "kept": [], "replaced": []}
    if merge:
        for processor in read:
            try:
                outcome = register_processor(processor, prefer=prefer)
            except ValueError as error:
                skipped.append((processor.name, str(error)))
                continue
            outcomes[outcome].append(processor.name)
    return EpochHardwareLoad(
        path=os.fspath(path),
        processors=tuple(read),
        added=tuple(outcomes["added"]),
        kept=tuple(outcomes["kept"]),
        replaced=tuple(outcomes["replaced"]),
        skipped=tuple(skipped),
    )
