#include <pybind11/pybind11.h>

#include "bindings.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, module) {
  module.doc() = "computelimits' compiled core. Use the Python API in computelimits.* instead.";
  auto common = module.def_submodule("common", "Random streams and the parallel loop.");
  computelimits::bindings::bind_common(common);
  auto flops = module.def_submodule("flops", "FLOP-counting layer catalogue, model walk and sweeps.");
  computelimits::bindings::bind_flops(flops);
}
