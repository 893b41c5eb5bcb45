"""computelimits: the computational limits of deep learning, measured.

Areas (import each as a subpackage):

- ``computelimits.flops``: FLOP counting of layers, models and training runs.
- ``computelimits.hardware``: processor catalogue; time, cost, energy and CO2.
- ``computelimits.simulate``: over-parameterized least squares and SGD.
- ``computelimits.fit``: OLS, bootstrap intervals, projections and trends.
- ``computelimits.datasets``: the embedded paper dataset and loaders.

Every compute function takes ``backend="cpp"`` (the compiled core, default) or
``backend="numpy"`` (its pure-numpy twin).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
