// Model walk: count each node of a flattened graph and apply the gradient rule.
#include "computelimits/flops/model.hpp"

#include <string>

namespace computelimits::flops {

std::vector<NodeResult> evaluate_model(const std::vector<Shape>& input_shapes, const std::vector<NodeSpec>& nodes,
                                       std::int64_t batch, unsigned flags) {
  std::vector<NodeResult> results;
  std::vector<bool> needs_grad;
  results.reserve(nodes.size());
  needs_grad.reserve(nodes.size());
  const auto node_count = static_cast<std::int64_t>(nodes.size());
  const auto input_count = static_cast<std::int64_t>(input_shapes.size());
  for (std::int64_t index = 0; index < node_count; ++index) {
    const NodeSpec& spec = nodes[static_cast<std::size_t>(index)];
    std::vector<Shape> shapes;
    std::vector<bool> grads;
    for (auto ref : spec.inputs) {
      if (ref >= 0) {
        if (ref >= index)
          fail("node " + std::to_string(index) + " reads node " + std::to_string(ref) + ", which is not earlier");
        shapes.push_back(results[static_cast<std::size_t>(ref)].count.shape);
        grads.push_back(needs_grad[static_cast<std::size_t>(ref)]);
      } else {
        if (-1 - ref >= input_count)
          fail("node " + std::to_string(index) + " reads model input " + std::to_string(-1 - ref) +
               ", which does not exist");
        shapes.push_back(input_shapes[static_cast<std::size_t>(-1 - ref)]);
        grads.push_back(false);
      }
    }
    NodeResult result;
    result.count = evaluate_node(spec.kind, spec.args, shapes, batch, flags);
    bool any_grad = false;
    for (std::size_t i = 0; i < grads.size(); ++i) {
      if (grads[i] && i < result.count.bwd_external.size())
        result.backward_input = add({result.backward_input, result.count.bwd_external[i]});
      any_grad = any_grad || grads[i];
    }
    // A layer with weights (its own, or shared with another layer) starts the backward pass.
    const bool trained = result.count.params > 0 || result.count.bwd_weight > 0 || any_grad;
    if (trained) result.backward_input = add({result.backward_input, result.count.bwd_internal});
    needs_grad.push_back(trained);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace computelimits::flops
