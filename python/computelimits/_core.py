"""The compiled core, in the build best suited to this CPU.

The C++ core is compiled once per instruction-set level (CMakeLists.txt): ``baseline``
(the compiler's default, SSE2 on x86-64), ``x86-64-v3`` (AVX2, FMA) and ``x86-64-v4``
(AVX-512) on x86-64, or a single ``native`` build with ``COMPUTELIMITS_NATIVE=ON``.
Importing this module imports the most capable build the CPU runs, read from CPUID by
the small ``_cpu`` extension before any build is loaded, and puts that extension module
in its place, so ``from computelimits import _core`` gives the extension itself.

``COMPUTELIMITS_ISA=<level>`` (environment) asks for one level: an error if it was not
built or this CPU cannot run it. ``_core.build_info()`` says which level was loaded,
with its compiler and flags.
"""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType
from typing import List

LEVELS = ("native", "x86-64-v4", "x86-64-v3", "baseline")  # most capable first
ENVIRONMENT_VARIABLE = "COMPUTELIMITS_ISA"


def _module_name(level: str) -> str:
    return f"{__package__}._core_{level.replace('-', '_')}"


def _importable(level: str) -> bool:
    from importlib.util import find_spec

    return find_spec(_module_name(level)) is not None


def cpu_levels() -> List[str]:
    """The instruction-set levels this CPU runs (``_cpu.levels()``), baseline first."""
    from . import _cpu

    return list(_cpu.levels())


def _choose() -> str:
    built = [level for level in LEVELS if _importable(level)]
    if not built:
        raise ImportError(
            "computelimits' compiled core is missing (no _core_<level> extension module next to "
            f"{os.path.dirname(__file__)}); reinstall the package or rebuild it"
        )
    runnable = set(cpu_levels()) | {"native"}  # a native build is trusted to match its machine
    forced = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if forced:
        if forced not in LEVELS:
            raise ImportError(f"{ENVIRONMENT_VARIABLE}={forced!r} is not a level; levels: {', '.join(LEVELS)}")
        if forced not in built:
            raise ImportError(f"{ENVIRONMENT_VARIABLE}={forced!r} was not built; built: {', '.join(built)}")
        if forced not in runnable:
            raise ImportError(f"{ENVIRONMENT_VARIABLE}={forced!r}: this CPU cannot run it; it runs {sorted(runnable)}")
        return forced
    return next(level for level in built if level in runnable or level == "baseline")


def _load() -> ModuleType:
    return importlib.import_module(_module_name(_choose()))


sys.modules[__name__] = _load()
