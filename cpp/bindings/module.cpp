#include <pybind11/pybind11.h>

#include "bindings.hpp"

namespace py = pybind11;

// One module per instruction-set level: CMake names it _core_<level> (COMPUTELIMITS_MODULE_NAME)
// and python/computelimits/_core.py imports the one this CPU runs best.
#ifndef COMPUTELIMITS_MODULE_NAME
#define COMPUTELIMITS_MODULE_NAME _core
#endif

// Free-threading safe (docs/architecture.md, "Free-threaded Python"): the core and its bindings keep no
// mutable global state, and every call works on its own arguments and result arrays.
PYBIND11_MODULE(COMPUTELIMITS_MODULE_NAME, module, py::mod_gil_not_used()) {
  module.doc() = "computelimits' compiled core. Use the Python API in computelimits.* instead.";
  auto common = module.def_submodule("common", "Random streams and the parallel loop.");
  computelimits::bindings::bind_common(common);
  auto flops = module.def_submodule("flops", "FLOP-counting layer catalogue, model walk and sweeps.");
  computelimits::bindings::bind_flops(flops);
  auto fit = module.def_submodule("fit", "OLS by QR and the streaming bootstrap.");
  computelimits::bindings::bind_fit(fit);
  auto simulate = module.def_submodule("simulate", "Designs, estimators and experiments for over-parameterized least squares.");
  computelimits::bindings::bind_simulate(simulate);
  computelimits::bindings::bind_build(module);
}
