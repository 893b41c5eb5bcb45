// Layer catalogue: attention (self, cross, GQA, causal, sliding window, KV-cache decode)
// and recurrent layers (Elman RNN, LSTM, GRU), plus the integer helpers they use.
#include <algorithm>
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

std::int64_t floor_sum(std::int64_t n, std::int64_t m, std::int64_t a, std::int64_t b) {
  std::int64_t total = 0;
  while (true) {
    if (a >= m) {
      total = add({total, mul({n ? mul({n, n - 1}) / 2 : 0, a / m})});
      a %= m;
    }
    if (b >= m) {
      total = add({total, mul({n, b / m})});
      b %= m;
    }
    const std::int64_t y_max = add({mul({a, n}), b});
    if (y_max < m) return total;
    n = y_max / m;
    b = y_max % m;
    std::swap(m, a);
  }
}

std::int64_t adaptive_window_total(std::int64_t size, std::int64_t out) {
  const std::int64_t ends = floor_sum(out, out, size, add({size, out}) - 1);
  const std::int64_t starts = floor_sum(out, out, size, 0);
  return ends - starts;
}

std::int64_t attention_pairs(std::int64_t length, bool causal, std::int64_t window) {
  if (!causal && window == 0) return mul({length, length});
  if (causal) {
    const std::int64_t w = window ? std::min(window, length) : length;
    const std::int64_t half = w % 2 == 0 ? mul({w / 2, w + 1}) : mul({w, (w + 1) / 2});
    return add({half, mul({length - w, w})});
  }
  const std::int64_t w = std::min(window, length);
  return mul({length, 2 * w - 1}) - mul({w - 1, w});
}

NodeCount attention_node(const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs,
                         std::int64_t batch, unsigned flags) {
  need_args(args, 17);
  const std::int64_t embed = args[0], heads = args[1], kv_heads = args[2], head_dim = args[3], kv_dim = args[4],
                     kv_seq_len = args[5], window = args[7], kv_cache = args[8], rotary = args[10],
                     qk_norm = args[11], buckets = args[13];
  // bias: the Q, K and V projections (and a LayerNorm QK-norm's beta); out_bias: the output projection.
  const bool causal = args[6] != 0, bias = args[9] != 0, norm_across_heads = args[12] != 0,
             bias_shared = args[14] != 0, scale_scores = args[15] != 0, out_bias = args[16] != 0;
  if (inputs.size() != 1 && inputs.size() != 2)
    fail("takes 1 input (query) or 2 (query, memory), got " + std::to_string(inputs.size()));
  const Shape& x = inputs[0];
  need_rank(x, 2, 2, "length, embed_dim");
  need_match("embed_dim", embed, x[1], x);
  const std::int64_t length = x[0];
  const bool exploit = (flags & kExploitCausal) != 0;
  std::int64_t kv_rows = 0, pairs = 0;
  if (inputs.size() == 2) {
    const Shape& memory = inputs[1];
    need_rank(memory, 2, 2, "memory length, kv_dim");
    need_match("kv_dim", kv_dim, memory[1], memory);
    if (kv_seq_len && memory[0] != kv_seq_len)
      fail("kv_seq_len=" + std::to_string(kv_seq_len) + " does not match memory length " + std::to_string(memory[0]));
    if (causal || window || kv_cache >= 0)
      fail("causal/window/kv_cache apply to self-attention, not to a memory input");
    kv_rows = memory[0];
    pairs = mul({length, memory[0]});
  } else if (kv_seq_len) {
    kv_rows = kv_seq_len;
    pairs = mul({length, kv_seq_len});
  } else {
    if (kv_dim != embed)
      fail("kv_dim=" + std::to_string(kv_dim) + " differs from embed_dim=" + std::to_string(embed) +
           ": cross-attention needs kv_seq_len or a memory input");
    if (kv_cache >= 0) {
      if (length != 1)
        fail("kv_cache decode step takes a single token, got input length " + std::to_string(length));
      std::int64_t keys = add({kv_cache, 1});
      if (window && exploit) keys = std::min(keys, window);
      kv_rows = 1;
      pairs = keys;
    } else {
      kv_rows = length;
      pairs = exploit ? attention_pairs(length, causal, window) : mul({length, length});
    }
  }
  const std::int64_t inner = mul({heads, head_dim}), kv_inner = mul({kv_heads, head_dim});
  const std::int64_t proj_q = mul({batch, length, embed, inner});
  const std::int64_t proj_kv = mul({2, batch, kv_rows, kv_dim, kv_inner});
  const std::int64_t proj_o = mul({batch, length, inner, embed});
  const std::int64_t scores = mul({2, batch, pairs, inner});
  NodeCount out;
  out.shape = x;
  out.macs = add({proj_q, proj_kv, proj_o, scores});
  std::int64_t bias_flops = 0;
  if (flags & kBias)
    bias_flops = add({bias ? add({mul({batch, length, inner}), mul({2, batch, kv_rows, kv_inner})}) : 0,
                      out_bias ? mul({batch, length, embed}) : 0});
  const std::int64_t score_elements = mul({batch, heads, pairs});
  const std::int64_t softmax = (flags & kSoftmaxFlag) ? mul({scale_scores ? 6 : 5, score_elements}) : 0;
  // Rotary: 3 FLOPs (x cos + rotate_half(x) sin) per rotated feature of every query and key head.
  const std::int64_t rope =
      (rotary && (flags & kElementwise))
          ? mul({3, add({mul({batch, length, heads}), mul({batch, kv_rows, kv_heads})}), rotary})
          : 0;
  // QK-norm over the new queries and keys: RMSNorm 3 + 1 per element, LayerNorm 5 + 1 (+ 1 bias).
  const std::int64_t normed = qk_norm ? add({mul({batch, length, inner}), mul({batch, kv_rows, kv_inner})}) : 0;
  const std::int64_t norm_bias = (qk_norm == 2 && bias) ? 1 : 0;
  const bool norm_on = (flags & kNormalization) != 0;
  const std::int64_t norm_stats = norm_on ? mul({qk_norm == 2 ? 5 : 3, normed}) : 0;
  const std::int64_t norm_scale = norm_on ? mul({1 + norm_bias, normed}) : 0;
  const std::int64_t norm_grad = norm_on ? mul({2 + norm_bias, normed}) : 0;
  // T5 relative position bias: one add per kept score; the table is read, its gradient scatter-added.
  const std::int64_t bias_add = (buckets && (flags & kElementwise)) ? score_elements : 0;
  out.extra = add({bias_flops, softmax, rope, norm_stats, norm_scale, bias_add});
  const std::int64_t norm_width = qk_norm ? (norm_across_heads ? add({inner, kv_inner}) : mul({2, head_dim})) : 0;
  out.params = add({mul({embed, inner}), mul({2, kv_dim, kv_inner}), mul({inner, embed}),
                    bias ? add({inner, mul({2, kv_inner})}) : 0, out_bias ? embed : 0, mul({1 + norm_bias, norm_width}),
                    (buckets && !bias_shared) ? mul({buckets, heads}) : 0});
  if (inputs.size() == 2) out.bwd_external = {mul({2, proj_q}), mul({2, proj_kv})};
  else if (kv_seq_len) out.bwd_external = {mul({2, proj_q})};
  else out.bwd_external = {add({mul({2, proj_q}), mul({2, proj_kv})})};
  out.bwd_internal = add({mul({2, proj_o}), mul({2, 2, scores}), softmax, rope, norm_stats});
  out.bwd_weight = add({mul({2, proj_q}), mul({2, proj_kv}), mul({2, proj_o}), bias_flops, norm_grad,
                        buckets ? score_elements : 0});
  out.activations = add({mul({2, batch, length, inner}), mul({2, batch, kv_rows, kv_inner}),
                         mul({2, score_elements}), mul({batch, length, embed}), normed});
  return out;
}

NodeCount recurrent_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch,
                         unsigned flags) {
  need_args(args, 5);
  const std::int64_t input_size = args[0], hidden = args[1], layers = args[2];
  const bool bias = args[3] != 0, bidirectional = args[4] != 0;
  // gates, activation FLOPs and element-wise FLOPs per hidden unit and step
  const std::int64_t gates = kind == kLSTM ? 4 : kind == kGRU ? 3 : 1;
  const std::int64_t act_cost = kind == kLSTM ? 11 : kind == kGRU ? 7 : 1;
  const std::int64_t ew_cost = kind == kRNN ? 1 : 8;
  need_rank(x, 2, 2, "length, input_size");
  need_match("input_size", input_size, x[1], x);
  const std::int64_t length = x[0], directions = bidirectional ? 2 : 1;
  const std::int64_t steps = mul({batch, length, directions});
  // Layer 0 reads input_size features, layers 1.. read directions x hidden.
  const std::int64_t bias_params = bias ? mul({2, gates, hidden}) : 0;
  const std::int64_t first = mul({gates, hidden, add({input_size, hidden})});
  const std::int64_t rest = mul({gates, hidden, add({mul({directions, hidden}), hidden})});
  const std::int64_t macs = add({mul({steps, first}), mul({steps, rest, layers - 1})});
  const std::int64_t params = add({mul({directions, add({first, bias_params})}),
                                   mul({directions, add({rest, bias_params}), layers - 1})});
  const std::int64_t first_input_macs = mul({steps, gates, hidden, input_size});
  const std::int64_t units = mul({steps, layers, hidden});
  const std::int64_t bias_flops = (bias && (flags & kBias)) ? mul({units, 2, gates}) : 0;
  const std::int64_t act = (flags & kActivation) ? mul({units, act_cost}) : 0;
  const std::int64_t ew = (flags & kElementwise) ? mul({units, ew_cost}) : 0;
  NodeCount out;
  out.shape = {length, mul({directions, hidden})};
  out.macs = macs;
  out.extra = add({bias_flops, act, ew});
  out.params = params;
  out.bwd_internal = add({mul({2, macs - first_input_macs}), act, ew});
  out.bwd_external = {mul({2, first_input_macs})};
  out.bwd_weight = add({mul({2, macs}), bias_flops});
  out.activations = mul({units, gates + 1});
  return out;
}

}  // namespace computelimits::flops
