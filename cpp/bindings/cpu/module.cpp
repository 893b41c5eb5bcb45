// _cpu: the instruction-set levels this CPU runs, read before any build of the core is
// imported (python/computelimits/_core.py). Compiled for the baseline only.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "computelimits/common/cpu_features.hpp"

namespace py = pybind11;

// Free-threading safe: each call reads CPUID and XGETBV afresh and keeps no state.
PYBIND11_MODULE(_cpu, module, py::mod_gil_not_used()) {
  module.doc() = "CPU feature detection for choosing a build of computelimits' compiled core.";
  module.def("levels", &computelimits::common::cpu_levels,
             "x86-64 levels this CPU and OS run, baseline first (x86-64 psABI: x86-64-v2, -v3, -v4).");
  module.def("features", &computelimits::common::cpu_features, "CPU features detected by CPUID and XGETBV.");
}
