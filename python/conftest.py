"""pytest setup for the doctests of the package (``--doctest-modules`` on python/computelimits).

With ``--import-mode=importlib``, pytest imports a file whose package is not imported yet from
its path and sets the new module as an attribute of the package (pytest #12194). Where a module
and the function it defines share a name (``fit.scaling_law``, ``simulate.compute_scaling``,
``simulate.double_descent``, ``simulate.sgd_scaling``), that attribute replaces the function, and
``pytest python/computelimits/simulate/compute_scaling.py`` alone would fail. Importing every
area first makes pytest reuse the modules the package imported itself.
"""

import importlib

import computelimits

for _area in computelimits.__all__:
    if _area != "__version__":
        importlib.import_module(f"computelimits.{_area}")
