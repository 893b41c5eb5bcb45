// Layer catalogue: gated MLP (SwiGLU / GeGLU), mixture of experts and rotary embedding.
//
// A gated MLP counts exactly what the catalogue gives for its parts: Linear(E, H) gate,
// activation, Linear(E, H) up, Mul, Linear(H, E) down; a plain MLP (an ungated expert) is
// Linear(E, H), activation, Linear(H, E). A mixture of experts counts the active path:
// router, top-k selection and the top_k experts each token is sent to, plus shared experts.
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {
namespace {

// Counts of a (gated or plain) MLP of width `hidden` applied to `rows` rows of width `embed`.
struct MlpCount {
  std::int64_t projection = 0;  // MACs of one E x H projection over the rows
  std::int64_t macs = 0, extra = 0, bias_flops = 0, params = 0;
  std::int64_t bwd_external = 0, bwd_internal = 0, bwd_weight = 0, activations = 0;
};

// Weights (and biases) of one MLP: (2 or 3) E H + (2 H or H) + E.
std::int64_t mlp_params(std::int64_t embed, std::int64_t hidden, bool gated, bool bias) {
  const std::int64_t in_projections = gated ? 2 : 1;
  return add({mul({in_projections + 1, embed, hidden}), bias ? add({mul({in_projections, hidden}), embed}) : 0});
}

MlpCount mlp(std::int64_t rows, std::int64_t embed, std::int64_t hidden, bool gated, std::int64_t activation,
             bool bias, unsigned flags) {
  MlpCount out;
  const std::int64_t in_projections = gated ? 2 : 1;
  out.projection = mul({rows, embed, hidden});
  out.macs = mul({in_projections + 1, out.projection});
  const std::int64_t hidden_n = mul({rows, hidden}), out_n = mul({rows, embed});
  out.bias_flops = (bias && (flags & kBias)) ? add({mul({in_projections, hidden_n}), out_n}) : 0;
  const std::int64_t act = (flags & kActivation) ? mul({hidden_n, mlp_activation_cost(activation)}) : 0;
  const std::int64_t product = (gated && (flags & kElementwise)) ? hidden_n : 0;
  out.extra = add({out.bias_flops, act, product});
  out.params = mlp_params(embed, hidden, gated, bias);
  out.bwd_external = mul({2, in_projections, out.projection});
  out.bwd_internal = add({mul({2, out.projection}), act, mul({2, product})});
  out.bwd_weight = add({mul({2, out.macs}), out.bias_flops});
  out.activations = add({mul({gated ? 4 : 2, hidden_n}), out_n});
  return out;
}

std::int64_t token_rows(const Shape& x, std::int64_t embed, std::int64_t batch) {
  if (x.empty()) fail("expects an input (..., " + std::to_string(embed) + "), got the scalar input shape ()");
  need_match("embed_dim", embed, x.back(), x);
  return mul({batch, numel(Shape(x.begin(), x.end() - 1))});
}

}  // namespace

NodeCount gated_mlp_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags) {
  need_args(args, 4);
  const std::int64_t embed = args[0], hidden = args[1];
  const MlpCount m = mlp(token_rows(x, embed, batch), embed, hidden, true, args[2], args[3] != 0, flags);
  NodeCount out;
  out.shape = x;
  out.macs = m.macs;
  out.extra = m.extra;
  out.params = m.params;
  out.bwd_external = {m.bwd_external};
  out.bwd_internal = m.bwd_internal;
  out.bwd_weight = m.bwd_weight;
  out.activations = m.activations;
  return out;
}

NodeCount mixture_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags) {
  need_args(args, 12);
  const std::int64_t embed = args[0], hidden = args[1], experts = args[2], top_k = args[3], activation = args[4],
                     shared_width = args[9];
  const bool gated = args[5] != 0, sigmoid_router = args[6] != 0, normalize = args[7] != 0,
             shared_gate = args[10] != 0, bias = args[11] != 0;
  const bool elementwise = (flags & kElementwise) != 0;
  const std::int64_t rows = token_rows(x, embed, batch);
  const std::int64_t routed = mul({rows, top_k});
  // Router: Linear(E, experts, no bias), softmax (5 per score) or sigmoid (3), top-k by k max passes.
  const std::int64_t router_macs = mul({rows, embed, experts});
  const std::int64_t scores = mul({rows, experts});
  std::int64_t router_act = 0;
  if (sigmoid_router) router_act = (flags & kActivation) ? mul({scores, 3}) : 0;
  else router_act = (flags & kSoftmaxFlag) ? mul({scores, 5}) : 0;
  const std::int64_t select = elementwise ? mul({scores, top_k}) : 0;
  const std::int64_t renormalize = (normalize && elementwise) ? mul({routed, 2}) : 0;
  const MlpCount expert = mlp(routed, embed, hidden, gated, activation, bias, flags);
  const std::int64_t weighting = elementwise ? mul({routed, embed}) : 0;       // routing weight x expert output
  const std::int64_t combine = elementwise ? mul({rows, top_k - 1, embed}) : 0;  // sum of the k outputs
  MlpCount shared;
  std::int64_t gate_macs = 0, gate_act = 0, gate_product = 0, shared_add = 0, gate_stored = 0;
  if (shared_width) {
    shared = mlp(rows, embed, shared_width, gated, activation, bias, flags);
    shared_add = elementwise ? mul({rows, embed}) : 0;
    if (shared_gate) {
      gate_macs = mul({rows, embed});
      gate_act = (flags & kActivation) ? mul({rows, 3}) : 0;
      gate_product = elementwise ? mul({rows, embed}) : 0;
      gate_stored = add({mul({2, rows}), mul({rows, embed})});
    }
  }
  NodeCount out;
  out.shape = x;
  out.macs = add({router_macs, expert.macs, shared.macs, gate_macs});
  out.extra = add({router_act, select, renormalize, expert.extra, weighting, combine, shared.extra, gate_act,
                   gate_product, shared_add});
  const std::int64_t expert_params = mlp_params(embed, hidden, gated, bias);
  const std::int64_t always = add({mul({embed, experts}), shared.params, shared_gate ? embed : 0});
  out.params = add({always, mul({experts, expert_params})});
  out.active_params = add({always, mul({top_k, expert_params})});
  out.bwd_external = {add({mul({2, router_macs}), expert.bwd_external, shared.bwd_external, mul({2, gate_macs})})};
  out.bwd_internal = add({router_act, renormalize, expert.bwd_internal, mul({2, weighting}), shared.bwd_internal,
                          gate_act, mul({2, gate_product})});
  out.bwd_weight = add({mul({2, router_macs}), expert.bwd_weight, shared.bwd_weight, mul({2, gate_macs})});
  out.activations = add({mul({2, scores}), expert.activations, mul({routed, embed}), mul({rows, embed}),
                         shared.activations, gate_stored, shared_width ? mul({rows, embed}) : 0});
  return out;
}

NodeCount rotary_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags) {
  need_args(args, 2);
  const std::int64_t head_dim = args[0], rotary = args[1];
  if (x.empty()) fail("expects an input (..., " + std::to_string(head_dim) + "), got the scalar input shape ()");
  need_match("head_dim", head_dim, x.back(), x);
  const std::int64_t vectors = mul({batch, numel(Shape(x.begin(), x.end() - 1))});
  const std::int64_t ops = (flags & kElementwise) ? mul({3, vectors, rotary}) : 0;
  return single(x, ops, ops, mul({batch, numel(x)}));
}

}  // namespace computelimits::flops
