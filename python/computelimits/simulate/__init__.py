"""Simulations of over-parameterized least squares and SGD (Thompson et al. 2020, Sec. 2).

- :func:`paper_experiment`: oracle / expert / flexible / lasso models as n grows.
- :func:`double_descent`: min-norm and ridge risk as p sweeps at fixed n, with closed forms.
- :func:`sgd_scaling`: SGD FLOPs needed to reach target excess risks.
- :func:`compute_scaling`: the exponent of compute against 1/error when p = ratio x n
  (the lasso on a sparse truth, the paper's regime; min-norm and SGD, whose errors reach a floor).
- :mod:`.estimators`: OLS, min-norm, ridge and lasso paths, GD and SGD (estimate + FLOPs).
- :mod:`.designs`: Gaussian designs on the shared per-replicate random streams.
- :mod:`.closed_forms`: Belkin-Hsu-Xu and Hastie et al. risk formulas.
- :mod:`.plots`: matplotlib figures of each experiment.

Every function takes ``backend="cpp"`` (default) or ``"numpy"`` (the twin).
"""

from __future__ import annotations

from . import closed_forms, designs, estimators
from .compute_scaling import ComputeScalingResult, ScalingExponent
from .compute_scaling import compute_scaling as compute_scaling
from .designs import Design, make_design
from .double_descent import DoubleDescentResult
from .double_descent import double_descent as double_descent
from .estimators import lasso_path, min_norm, ols, ridge_path
from .iterative import gradient_descent, sgd
from .paper import PaperResult
from .paper import paper_experiment as paper_experiment
from .sgd_scaling import SgdScalingResult
from .sgd_scaling import sgd_scaling as sgd_scaling

__all__ = [
    "ComputeScalingResult",
    "Design",
    "DoubleDescentResult",
    "PaperResult",
    "ScalingExponent",
    "SgdScalingResult",
    "closed_forms",
    "compute_scaling",
    "designs",
    "double_descent",
    "estimators",
    "gradient_descent",
    "lasso_path",
    "make_design",
    "min_norm",
    "ols",
    "paper_experiment",
    "ridge_path",
    "sgd",
    "sgd_scaling",
]
