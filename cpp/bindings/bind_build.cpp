#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "computelimits/common/cpu_features.hpp"
#include "computelimits_build_info.hpp"  // generated per level by CMake

namespace py = pybind11;

namespace computelimits::bindings {

void bind_build(py::module_& module) {
  module.def(
      "build_info",
      [] {
        py::dict info;
        info["level"] = COMPUTELIMITS_BUILD_LEVEL;
        info["native"] = COMPUTELIMITS_BUILD_NATIVE != 0;
        info["compiler"] = COMPUTELIMITS_BUILD_COMPILER;
        info["build_type"] = COMPUTELIMITS_BUILD_TYPE;
        info["cxx_flags"] = COMPUTELIMITS_BUILD_FLAGS;
        info["cpu_levels"] = common::cpu_levels();
        return info;
      },
      "The instruction-set level, compiler and compile flags of this build of the core, and the levels "
      "the running CPU supports.");
}

}  // namespace computelimits::bindings
