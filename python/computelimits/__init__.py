"""computelimits: the computational limits of deep learning, measured.

Areas (subpackages, loaded on first use: ``import computelimits as cl; cl.hardware``):

- ``computelimits.flops``: FLOP counting of layers, models and training runs.
- ``computelimits.hardware``: processor catalogue; time, cost, energy and CO2.
- ``computelimits.simulate``: over-parameterized least squares and SGD.
- ``computelimits.fit``: OLS, bootstrap intervals, projections and trends.
- ``computelimits.datasets``: the embedded paper dataset and loaders.
- ``computelimits.runner``: the replicate runner (blocks, executors, Dask) every area uses.
- ``computelimits.status`` and ``computelimits.exceptions``: statuses and warning classes.

Every compute function takes ``backend="cpp"`` (the compiled core, default) or
``backend="numpy"`` (its pure-numpy twin).

Examples
--------
>>> import computelimits as cl
>>> cl.hardware.get_processor("A100").name
'A100-SXM4-40GB'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The one place the version is written: the build reads it from here (pyproject's
# [tool.scikit-build.metadata.version] regex), the CLI's --version prints it.
__version__ = "0.1.0"

#: Subpackages and modules loaded on first attribute access (PEP 562), as scipy does,
#: so that ``import computelimits`` stays cheap (no numpy, pandas, scipy or the C++ core).
_SUBMODULES = ("datasets", "exceptions", "fit", "flops", "hardware", "report", "runner", "simulate", "status")

__all__ = [
    "__version__",
    "datasets",
    "exceptions",
    "fit",
    "flops",
    "hardware",
    "report",
    "runner",
    "simulate",
    "status",
]

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ loads them
    from . import datasets, exceptions, fit, flops, hardware, report, runner, simulate, status


def __getattr__(name: str):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
