#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <tuple>
#include <vector>

#include "bindings.hpp"
#include "computelimits/flops/layers.hpp"
#include "computelimits/flops/model.hpp"
#include "computelimits/flops/sweep.hpp"

namespace py = pybind11;

namespace computelimits::bindings {
namespace {

using Int = std::int64_t;
using Row = std::tuple<std::vector<Int>, Int, Int, Int, Int, Int, Int, Int>;

std::vector<Row> evaluate_model(const std::vector<std::vector<Int>>& input_shapes,
                                const std::vector<flops::Kind>& kinds,
                                const std::vector<std::vector<Int>>& args, const std::vector<std::vector<Int>>& inputs,
                                Int batch, unsigned flags) {
  if (kinds.size() != args.size() || kinds.size() != inputs.size())
    throw py::value_error("kinds, args and inputs must have the same length");
  std::vector<flops::NodeSpec> nodes(kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i) nodes[i] = {kinds[i], args[i], inputs[i]};
  std::vector<flops::NodeResult> results;
  {
    py::gil_scoped_release release;
    results = flops::evaluate_model(input_shapes, nodes, batch, flags);
  }
  std::vector<Row> rows;
  rows.reserve(results.size());
  for (const auto& r : results)
    rows.emplace_back(r.count.shape, r.count.macs, r.count.extra, r.count.params, r.count.active_params,
                      r.backward_input, r.count.bwd_weight, r.count.activations);
  return rows;
}

std::vector<Int> as_vector(const py::array_t<Int, py::array::c_style | py::array::forcecast>& values,
                           const char* name) {
  if (values.ndim() != 1 || values.size() == 0)
    throw py::value_error(std::string(name) + " must be a non-empty 1-D array of integers");
  return std::vector<Int>(values.data(), values.data() + values.size());
}

py::array_t<Int> sweep(const py::array_t<Int, py::array::c_style | py::array::forcecast>& layers,
                       const py::array_t<Int, py::array::c_style | py::array::forcecast>& d_model,
                       const py::array_t<Int, py::array::c_style | py::array::forcecast>& seq_len,
                       const py::array_t<Int, py::array::c_style | py::array::forcecast>& vocab,
                       const py::array_t<Int, py::array::c_style | py::array::forcecast>& heads, Int ff_mult,
                       bool tied, Int batch, unsigned flags, long threads, std::size_t first, Int count) {
  flops::TransformerGrid grid;
  grid.layers = as_vector(layers, "layers");
  grid.d_model = as_vector(d_model, "d_model");
  grid.seq_len = as_vector(seq_len, "seq_len");
  grid.vocab = as_vector(vocab, "vocab");
  grid.heads = as_vector(heads, "heads");
  grid.ff_mult = ff_mult;
  grid.tied = tied;
  grid.batch = batch;
  grid.flags = flags;
  if (first > grid.size()) throw py::value_error("first is beyond the grid");
  const std::size_t total = count < 0 ? grid.size() - first : static_cast<std::size_t>(count);
  py::array_t<Int> out({static_cast<std::size_t>(flops::kSweepColumns), total});
  Int* base = out.mutable_data();
  {
    py::gil_scoped_release release;
    std::vector<Int*> columns(flops::kSweepColumns);
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = base + c * total;
    flops::sweep_transformer(grid, first, total, columns.data(), threads);
  }
  return out;
}

}  // namespace

void bind_flops(py::module_& module) {
  py::enum_<flops::Kind> kind(module, "Kind", "Layer kinds (cpp/include/computelimits/flops/kinds.hpp).");
#define COMPUTELIMITS_FLOPS_BIND_KIND(name) kind.value(#name, flops::k##name);
  COMPUTELIMITS_FLOPS_KINDS(COMPUTELIMITS_FLOPS_BIND_KIND)
#undef COMPUTELIMITS_FLOPS_BIND_KIND
  module.def("kind_names", &flops::kind_names, "Layer kind names in code order (must match flops.layers.KINDS).");
  module.def("evaluate_model", &evaluate_model, py::arg("input_shapes"), py::arg("kinds"), py::arg("args"),
             py::arg("inputs"), py::arg("batch"), py::arg("flags"),
             "Count a flattened model: per node (shape, macs, extra, params, active_params, backward_input, "
             "backward_weight, activations).");
  module.def("sweep_transformer", &sweep, py::arg("layers"), py::arg("d_model"), py::arg("seq_len"),
             py::arg("vocab"), py::arg("heads"), py::arg("ff_mult"), py::arg("tied"), py::arg("batch"),
             py::arg("flags"), py::arg("threads"), py::arg("first") = 0, py::arg("count") = -1,
             "Decoder-only transformer counts over the Cartesian grid (heads fastest): a (5, count) int64 "
             "array of rows macs, flops, params, backward_flops, activations for grid points [first, first + "
             "count) (count -1: to the end).");
}

}  // namespace computelimits::bindings
