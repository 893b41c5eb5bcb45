// Registration functions, one per area; each lives in bind_<area>.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace computelimits::bindings {

void bind_common(pybind11::module_& module);
void bind_flops(pybind11::module_& module);
void bind_fit(pybind11::module_& module);
void bind_simulate(pybind11::module_& module);
void bind_build(pybind11::module_& module);

}  // namespace computelimits::bindings
