"""Fixtures for the simulate tests: a parser for the NIST StRD linear-regression files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

NIST_FILES = (
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
)
_NUMBER = r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"


def parse_nist(path: Path) -> dict:
    """Certified parameters and data of one StRD .dat file.

    The header names the line ranges ("Certified Values (lines a to b)", "Data (lines c to d)");
    parameter lines read "B<i> <estimate> <sd>"; the model line says whether there is an
    intercept (B0) and, for the polynomial files, the powers of x.
    """
    lines = path.read_text().splitlines()
    header = "\n".join(lines[:20])
    data_start, data_end = (int(v) for v in re.search(r"Data\s+\(lines\s+(\d+)\s+to\s+(\d+)\)", header).groups())
    params = {}
    for line in lines[: data_start - 1]:
        match = re.match(rf"\s+(B\d+)\s+({_NUMBER})\s+({_NUMBER})\s*$", line)
        if match:
            params[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    table = np.array([[float(v) for v in line.split()] for line in lines[data_start - 1 : data_end] if line.strip()])
    text = "\n".join(lines)
    residual_sd = float(re.search(rf"Residual\s+Standard Deviation\s+({_NUMBER})", text).group(1))
    r_squared = float(re.search(rf"R-Squared\s+({_NUMBER})", text).group(1))
    names = sorted(params, key=lambda name: int(name[1:]))
    intercept = "B0" in params
    y = table[:, 0]
    x = table[:, 1:]
    polynomial = re.search(r"B\d+\*x\*\*\d+", text) is not None or (x.shape[1] == 1 and len(names) > 2)
    if polynomial:
        powers = range(0 if intercept else 1, len(names) + (0 if intercept else 1))
        design = np.column_stack([x[:, 0] ** power for power in powers])
    else:
        design = np.column_stack(([np.ones(len(y))] if intercept else []) + [x[:, j] for j in range(x.shape[1])])
    return {
        "X": design,
        "y": y,
        "beta": np.array([params[name][0] for name in names]),
        "sd": np.array([params[name][1] for name in names]),
        "residual_sd": residual_sd,
        "r_squared": r_squared,
    }


@pytest.fixture(scope="session")
def nist(shared_data):
    """All NIST StRD linear datasets, parsed, keyed by name."""
    folder = shared_data / "nist-strd"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent")
    return {name: parse_nist(folder / f"{name}.dat") for name in NIST_FILES}
