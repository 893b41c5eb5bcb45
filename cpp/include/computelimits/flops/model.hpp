// Walking a flattened model graph: count each node, propagate which tensors need
// gradients (a tensor needs one when a layer upstream of it has parameters), and
// give each node's backward input-gradient FLOPs under that rule.
#pragma once

#include <cstdint>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

struct NodeSpec {
  Kind kind = kLinear;
  std::vector<std::int64_t> args;
  std::vector<std::int64_t> inputs;  // >= 0: an earlier node; -1 - k: model input k
};

struct NodeResult {
  NodeCount count;
  std::int64_t backward_input = 0;
};

std::vector<NodeResult> evaluate_model(const std::vector<Shape>& input_shapes, const std::vector<NodeSpec>& nodes,
                                       std::int64_t batch, unsigned flags);

}  // namespace computelimits::flops
