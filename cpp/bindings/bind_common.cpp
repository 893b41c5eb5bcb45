#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <thread>

#include "bindings.hpp"
#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/random.hpp"
#include "computelimits/common/streams.hpp"

namespace py = pybind11;

namespace computelimits::bindings {
namespace {

using FillFunction = void (*)(std::uint64_t, std::uint64_t, std::size_t, std::uint64_t,
                              std::size_t, long, double*);

py::array_t<double> fill_matrix(FillFunction fill, std::uint64_t seed, std::uint64_t first_stream,
                                std::size_t replicates, std::uint64_t start, std::size_t count,
                                long threads) {
  py::array_t<double> out({replicates, count});
  double* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    fill(seed, first_stream, replicates, start, count, threads, data);
  }
  return out;
}

// The token installed on each Python thread, kept alive while installed.
std::shared_ptr<common::CancellationToken>& held_token() {
  thread_local std::shared_ptr<common::CancellationToken> token;
  return token;
}

}  // namespace

void bind_common(py::module_& module) {
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const common::Cancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });
  py::class_<common::CancellationToken, std::shared_ptr<common::CancellationToken>>(
      module, "CancellationToken",
      "A flag that stops the kernels running under it (they raise KeyboardInterrupt) and a count of "
      "the indices their outermost parallel loop has finished.")
      .def(py::init<>())
      .def("cancel", &common::CancellationToken::cancel, "Ask the kernels running under this token to stop.")
      .def_property_readonly("cancelled", &common::CancellationToken::cancelled)
      .def_property_readonly("done", &common::CancellationToken::done);
  module.def(
      "install_token",
      [](std::shared_ptr<common::CancellationToken> token) {
        held_token() = std::move(token);
        common::current_token() = held_token().get();
      },
      py::arg("token").none(true),
      "Install a CancellationToken on the calling thread (None removes it); kernels called from this "
      "thread check it.");
  module.def("hardware_threads", [] { return std::thread::hardware_concurrency(); },
             "Number of hardware threads reported by the C++ runtime.");
  module.def("stream_key", &common::stream_key, py::arg("seed"), py::arg("stream"),
             "Key of random stream `stream` under `seed` (SplitMix64 construction).");
  module.def(
      "uniform_matrix",
      [](std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates, std::uint64_t start,
         std::size_t count, long threads) {
        return fill_matrix(&common::fill_uniform, seed, first_stream, replicates, start, count, threads);
      },
      py::arg("seed"), py::arg("first_stream"), py::arg("replicates"), py::arg("start"),
      py::arg("count"), py::arg("threads"),
      "Uniform [0, 1) draws: row r is stream (seed, first_stream + r), draws start..start+count-1.");
  module.def(
      "normal_matrix",
      [](std::uint64_t seed, std::uint64_t first_stream, std::size_t replicates, std::uint64_t start,
         std::size_t count, long threads) {
        return fill_matrix(&common::fill_normal, seed, first_stream, replicates, start, count, threads);
      },
      py::arg("seed"), py::arg("first_stream"), py::arg("replicates"), py::arg("start"),
      py::arg("count"), py::arg("threads"),
      "Standard normal draws (Box-Muller pairs); row r is stream (seed, first_stream + r).");
}

}  // namespace computelimits::bindings
