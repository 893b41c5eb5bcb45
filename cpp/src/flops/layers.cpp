// Layer catalogue: dense, convolution, normalization, pooling, activation and shape layers.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

namespace {

using Args = std::vector<std::int64_t>;


NodeCount linear(const Args& args, const Shape& x, std::int64_t batch, unsigned flags) {
  need_args(args, 4);
  const std::int64_t in = args[0], out_features = args[1];
  const bool bias = args[2] != 0, shared = args[3] != 0;
  if (x.empty()) fail("expects an input (..., " + std::to_string(in) + "), got the scalar input shape ()");
  need_match("in_features", in, x.back(), x);
  NodeCount out;
  out.shape = Shape(x.begin(), x.end() - 1);
  const std::int64_t rows = mul({batch, numel(out.shape)});
  out.shape.push_back(out_features);
  out.macs = mul({rows, in, out_features});
  out.extra = (bias && (flags & kBias)) ? mul({rows, out_features}) : 0;
  out.params = add({shared ? 0 : mul({in, out_features}), bias ? out_features : 0});
  out.bwd_external = {mul({2, out.macs})};
  out.bwd_weight = add({mul({2, out.macs}), out.extra});
  out.activations = mul({rows, out_features});
  return out;
}

NodeCount convolution(bool transposed, const Args& args, const Shape& x, std::int64_t batch, unsigned flags) {
  if (args.empty() || args[0] < 1 || args[0] > 3) fail("convolution record needs 1-3 spatial dims");
  const auto d = static_cast<std::size_t>(args[0]);
  need_args(args, 5 + (transposed ? 5 : 4) * d);
  const std::int64_t ci = args[1], co = args[2], groups = args[3];
  const bool bias = args[4] != 0;
  if (groups < 1 || ci % groups || co % groups) fail("groups=" + std::to_string(groups) + " does not divide channels");
  auto at = [&](std::size_t block, std::size_t j) { return args[5 + block * d + j]; };
  need_rank(x, d + 1, d + 1, "channels, spatial...");
  need_match("in_channels", ci, x[0], x);
  NodeCount out;
  out.shape = {co};
  for (std::size_t j = 0; j < d; ++j) {
    const std::int64_t k = at(0, j), s = at(1, j), p = at(2, j), dil = at(transposed ? 4 : 3, j);
    const std::int64_t span = add({mul({dil, k - 1}), 1});
    if (!transposed) {
      const std::int64_t room = add({x[1 + j], mul({2, p})}) - span;
      if (room < 0)
        fail("kernel_size=" + std::to_string(k) + " (dilation " + std::to_string(dil) +
             ") is larger than the padded input " + std::to_string(x[1 + j]) + " + 2*" + std::to_string(p) +
             " in spatial dim " + std::to_string(j));
      out.shape.push_back(room / s + 1);
    } else {
      const std::int64_t op = at(3, j);
      if (!(op < s || op < dil))
        fail("output_padding=" + std::to_string(op) + " must be smaller than stride or dilation");
      const std::int64_t size = add({mul({x[1 + j] - 1, s}), span, op}) - mul({2, p});
      if (size < 1) fail("padding=" + std::to_string(p) + " leaves no output in spatial dim " + std::to_string(j));
      out.shape.push_back(size);
    }
  }
  const std::int64_t spatial_out = numel(out.shape, 1), spatial_in = numel(x, 1);
  std::int64_t kernel = 1;
  for (std::size_t j = 0; j < d; ++j) kernel = mul({kernel, at(0, j)});
  out.macs = mul({batch, co, ci / groups, kernel, transposed ? spatial_in : spatial_out});
  const std::int64_t outputs = mul({batch, co, spatial_out});
  out.extra = (bias && (flags & kBias)) ? outputs : 0;
  out.params = add({mul({co, ci / groups, kernel}), bias ? co : 0});
  out.bwd_external = {mul({2, out.macs})};
  out.bwd_weight = add({mul({2, out.macs}), out.extra});
  out.activations = outputs;
  return out;
}

NodeCount normalization(Kind kind, const Args& args, const Shape& x, std::int64_t batch, unsigned flags) {
  const std::int64_t n = mul({batch, numel(x)});
  std::int64_t params = 0, stats = 0, scale = 0, grad = 0;
  if (kind == kBatchNorm) {
    need_args(args, 3);
    const std::int64_t d = args[0], c = args[1];
    const bool affine = args[2] != 0;
    if (d == 1) need_rank(x, 1, 2, "channels, spatial...");
    else need_rank(x, static_cast<std::size_t>(d + 1), static_cast<std::size_t>(d + 1), "channels, spatial...");
    need_match("num_features", c, x[0], x);
    params = affine ? mul({2, c}) : 0;
    stats = (flags & kTraining) ? 5 : 2;
    scale = ((flags & kTraining) && affine) ? 2 : 0;  // eval folds the affine map into one scale and shift
    grad = affine ? 3 : 0;
  } else if (kind == kGroupNorm) {
    need_args(args, 3);
    const std::int64_t c = args[1];
    const bool affine = args[2] != 0;
    need_rank(x, 1, 8, "channels, ...");
    need_match("num_channels", c, x[0], x);
    params = affine ? mul({2, c}) : 0;
    stats = 5;
    scale = affine ? 2 : 0;
    grad = affine ? 3 : 0;
  } else {
    const std::size_t head = kind == kLayerNorm ? 2 : 1;
    if (args.size() <= head) fail("normalization record has no normalized_shape");
    const bool affine = args[0] != 0;
    const std::int64_t has_bias = kind == kLayerNorm ? args[1] : 0;
    const Shape dims(args.begin() + static_cast<std::ptrdiff_t>(head), args.end());
    if (x.size() < dims.size() || !std::equal(dims.begin(), dims.end(), x.end() - static_cast<std::ptrdiff_t>(dims.size())))
      fail("normalized_shape=" + shape_string(dims) + " does not match the trailing dims of input shape " +
           shape_string(x));
    const std::int64_t width = numel(dims);
    params = affine ? mul({width, (affine && has_bias) ? 2 : 1}) : 0;
    stats = kind == kLayerNorm ? 5 : 3;
    scale = affine ? 1 + has_bias : 0;
    grad = affine ? 2 + has_bias : 0;
  }
  if (!(flags & kNormalization)) stats = scale = grad = 0;
  NodeCount out = single(x, mul({n, stats + scale}), mul({n, stats}), n);
  out.params = params;
  out.bwd_weight = mul({n, grad});
  return out;
}

NodeCount pooling(Kind kind, const Args& args, const Shape& x, std::int64_t batch, unsigned flags) {
  if (kind == kGlobalAvgPool) {
    need_rank(x, 2, 8, "channels, spatial...");
    const std::int64_t ops = (flags & kPooling) ? mul({batch, numel(x)}) : 0;
    return single({x[0]}, ops, ops, mul({batch, x[0]}));
  }
  if (args.empty() || args[0] < 1 || args[0] > 3) fail("pooling record needs 1-3 spatial dims");
  const auto d = static_cast<std::size_t>(args[0]);
  need_rank(x, d + 1, d + 1, "channels, spatial...");
  Shape shape = {x[0]};
  std::int64_t window_total = 1;
  if (kind == kMaxPool || kind == kAvgPool) {
    need_args(args, 2 + 3 * d);
    const bool ceil_mode = args[1] != 0;
    std::int64_t kernel = 1;
    for (std::size_t j = 0; j < d; ++j) {
      const std::int64_t k = args[2 + j], s = args[2 + d + j], p = args[2 + 2 * d + j];
      const std::int64_t room = add({x[1 + j], mul({2, p})}) - k;
      if (room < 0)
        fail("kernel_size=" + std::to_string(k) + " is larger than the padded input " + std::to_string(x[1 + j]) +
             " + 2*" + std::to_string(p) + " in spatial dim " + std::to_string(j));
      std::int64_t size = ceil_mode ? (room + s - 1) / s + 1 : room / s + 1;
      if (ceil_mode && mul({size - 1, s}) >= add({x[1 + j], p})) size -= 1;
      shape.push_back(size);
      kernel = mul({kernel, k});
    }
    window_total = mul({numel(shape, 1), kernel});
  } else {
    need_args(args, 1 + d);
    for (std::size_t j = 0; j < d; ++j) {
      const std::int64_t size = args[1 + j] != 0 ? args[1 + j] : x[1 + j];
      shape.push_back(size);
      window_total = mul({window_total, adaptive_window_total(x[1 + j], size)});
    }
  }
  const std::int64_t ops = (flags & kPooling) ? mul({batch, x[0], window_total}) : 0;
  return single(shape, ops, ops, mul({batch, x[0], numel(shape, 1)}));
}

NodeCount activation(std::int64_t cost, const Shape& x, std::int64_t batch, unsigned flags) {
  const std::int64_t n = mul({batch, numel(x)});
  const std::int64_t ops = (flags & kActivation) ? mul({n, cost}) : 0;
  return single(x, ops, ops, n);
}

NodeCount dispatch(Kind kind, const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs,
                   std::int64_t batch, unsigned flags) {
  const Shape& x = inputs.empty() ? Shape() : inputs[0];
  switch (kind) {
    case kLinear: return linear(args, x, batch, flags);
    case kConv: return convolution(false, args, x, batch, flags);
    case kConvTranspose: return convolution(true, args, x, batch, flags);
    case kBatchNorm:
    case kLayerNorm:
    case kGroupNorm:
    case kRMSNorm: return normalization(kind, args, x, batch, flags);
    case kMaxPool:
    case kAvgPool:
    case kAdaptiveAvgPool:
    case kAdaptiveMaxPool:
    case kGlobalAvgPool: return pooling(kind, args, x, batch, flags);
    case kReLU: return activation(1, x, batch, flags);
    case kReLU6: return activation(2, x, batch, flags);
    case kGELU: return activation(args[0] ? 9 : 5, x, batch, flags);
    case kSiLU: return activation(4, x, batch, flags);
    case kSigmoid: return activation(3, x, batch, flags);
    case kTanh: return activation(1, x, batch, flags);
    case kSoftmax: {
      const auto rank = static_cast<std::int64_t>(x.size());
      if (x.empty() || args[0] < -rank || args[0] >= rank)
        fail("dim=" + std::to_string(args[0]) + " is out of range for input shape " + shape_string(x));
      const std::int64_t n = mul({batch, numel(x)});
      const std::int64_t ops = (flags & kSoftmaxFlag) ? mul({n, 5}) : 0;
      return single(x, ops, ops, n);
    }
    case kEmbedding: {
      Shape shape = x;
      shape.push_back(args[1]);
      const std::int64_t n = mul({batch, numel(shape)});
      NodeCount out = single(shape, 0, 0, n);
      out.params = args[2] != 0 ? 0 : mul({args[0], args[1]});
      out.bwd_weight = n;
      return out;
    }
    case kAdditiveEmbedding: {
      need_rank(x, 2, 2, "length, width");
      need_match("embedding_dim", args[1], x[1], x);
      if (x[0] > args[0])
        fail("num_embeddings=" + std::to_string(args[0]) + " is smaller than the input length " + std::to_string(x[0]));
      const std::int64_t n = mul({batch, numel(x)});
      NodeCount out = single(x, (flags & kElementwise) ? n : 0, 0, n);
      out.params = mul({args[0], args[1]});
      out.bwd_weight = n;
      return out;
    }
    case kMultiheadAttention: return attention_node(args, inputs, batch, flags);
    case kMatmul: return matmul_node(inputs[0], inputs[1], batch);
    case kRNN:
    case kLSTM:
    case kGRU: return recurrent_node(kind, args, x, batch, flags);
    case kUpsample: return upsample_node(args, x, batch, flags);
    case kAdd:
    case kMul: {
      Shape shape = broadcast(inputs[0], inputs[1]);
      const std::int64_t n = mul({batch, numel(shape)});
      const std::int64_t ops = (flags & kElementwise) ? n : 0;
      NodeCount out = single(shape, ops, 0, n);
      out.bwd_external = kind == kAdd ? std::vector<std::int64_t>{0, 0} : std::vector<std::int64_t>{ops, ops};
      return out;
    }
    case kConcat: return concat_node(args, inputs, batch);
    case kFlatten:
    case kReshape:
    case kDropout:
    case kIdentity:
    case kSelect: return view_node(kind, args, x, batch, flags);
    case kGatedMLP: return gated_mlp_node(args, x, batch, flags);
    case kMixtureOfExperts: return mixture_node(args, x, batch, flags);
    case kRotaryEmbedding: return rotary_node(args, x, batch, flags);
    case kPermute:
    case kTranspose: return permute_node(kind, args, x);
    case kLearnedTokens: return learned_tokens_node(args, x, batch);
    case kLearnedElementwise: return learned_elementwise_node(args, x, batch, flags);
  }
  fail("unknown layer kind " + std::to_string(static_cast<int>(kind)));
}

}  // namespace

NodeCount evaluate_node(Kind kind, const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs,
                        std::int64_t batch, unsigned flags) {
  check_record(kind, args);
  if (batch < 1) fail("batch must be >= 1, got " + std::to_string(batch));
  if (flags > 255) fail("flags=" + std::to_string(flags) + " has unknown bits (allowed: 0-255)");
  for (const auto& shape : inputs) {
    for (auto v : shape)
      if (v < 1 || v >= kMaxSize) fail("input shape " + shape_string(shape) + " has a size outside [1, 2^62)");
    tensor_elements(shape, "input shape");
  }
  const bool two = kind == kMatmul || kind == kAdd || kind == kMul;
  if (kind != kMultiheadAttention && kind != kConcat && inputs.size() != (two ? 2u : 1u))
    fail("takes " + std::to_string(two ? 2 : 1) + " input(s), got " + std::to_string(inputs.size()));
  NodeCount out = dispatch(kind, args, inputs, batch, flags);
  tensor_elements(out.shape, "output shape");
  out.active_params = kind == kMixtureOfExperts ? out.active_params : out.params;
  return out;
}

}  // namespace computelimits::flops
