"""Reader for the NIST StRD linear least-squares .dat files (certified values + data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

_NUMBER = r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class StrdDataset:
    name: str
    x: np.ndarray  # (n, k) predictors as printed
    y: np.ndarray
    params: np.ndarray  # certified B0.. (or B1.. without intercept)
    sd_params: np.ndarray
    residual_sd: float
    rsquared: float
    intercept: bool
    degree: int  # > 0: polynomial model in a single x (Vandermonde columns x..x**degree)

    def predictors(self) -> np.ndarray:
        """The regressors without the constant: Vandermonde columns for polynomial models."""
        if self.degree:
            return np.column_stack([self.x[:, 0] ** k for k in range(1, self.degree + 1)])
        return self.x


def read_strd(path: Path) -> StrdDataset:
    lines = Path(path).read_text().splitlines()
    text = "\n".join(lines)
    data_start = int(re.search(r"Data\s+\(lines\s+(\d+)\s+to", text).group(1))
    data_end = int(re.search(r"Data\s+\(lines\s+\d+\s+to\s+(\d+)\)", text).group(1))
    rows = np.array([[float(v) for v in line.split()] for line in lines[data_start - 1 : data_end]])
    y, x = rows[:, 0], rows[:, 1:]
    params, sds, names = [], [], []
    for line in lines[:data_start]:
        match = re.match(rf"^\s+(B\d+)\s+({_NUMBER})\s+({_NUMBER})\s*$", line)
        if match:
            names.append(match.group(1))
            params.append(float(match.group(2)))
            sds.append(float(match.group(3)))
    residual_sd = float(re.search(rf"Residual\s*\n?\s*Standard Deviation\s+({_NUMBER})", text).group(1))
    rsquared = float(re.search(rf"R-Squared\s+({_NUMBER})", text).group(1))
    intercept = names[0] == "B0"
    model = re.search(r"^\s+y = (.*)$", text, flags=re.M).group(1)
    powers = [int(p) for p in re.findall(r"x\*\*(\d+)", model)]
    degree = max(powers) if powers and x.shape[1] == 1 else 0
    return StrdDataset(Path(path).stem, x, y, np.array(params), np.array(sds), residual_sd, rsquared, intercept, degree)


def log_relative_error(estimate: float, certified: float) -> float:
    """McCullough's LRE: -log10(|e - c| / |c|), or -log10|e - c| when c = 0; capped at 15."""
    error = abs(estimate - certified)
    if error == 0:
        return 15.0
    if certified == 0:
        return min(15.0, -np.log10(error))
    return min(15.0, -np.log10(error / abs(certified)))


def exact_least_squares(design: np.ndarray, response: np.ndarray) -> np.ndarray:
    """The exact least-squares solution of float64 data (dyadic rationals), rounded to float64:
    the normal equations X'X b = X'y solved in rational arithmetic (an independent oracle of
    what the data as given determine, whatever their conditioning)."""
    n, p = design.shape
    rows = [[Fraction(float(v)) for v in row] for row in design]
    ys = [Fraction(float(v)) for v in response]
    system = [
        [sum(rows[i][a] * rows[i][c] for i in range(n)) for c in range(p)] + [sum(rows[i][a] * ys[i] for i in range(n))]
        for a in range(p)
    ]
    for k in range(p):
        pivot = next(i for i in range(k, p) if system[i][k] != 0)
        system[k], system[pivot] = system[pivot], system[k]
        for i in range(k + 1, p):
            factor = system[i][k] / system[k][k]
            for j in range(k, p + 1):
                system[i][j] -= factor * system[k][j]
    solution = [Fraction(0)] * p
    for k in reversed(range(p)):
        solution[k] = (system[k][p] - sum(system[k][j] * solution[j] for j in range(k + 1, p))) / system[k][k]
    return np.array([float(v) for v in solution])
