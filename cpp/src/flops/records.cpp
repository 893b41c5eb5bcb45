// Record validation: the C++ core checks every layer record itself, because the binding
// (computelimits._core.flops.evaluate_model) is reachable from Python with any integers.
// The messages name the kind and the field; the twin (_twin_records.py) raises the same ones.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {
namespace {

using Args = std::vector<std::int64_t>;

// Allowed values of one record field.
enum class Range { kSize, kCount, kFlag, kDim };

bool in_range(std::int64_t v, Range range) {
  switch (range) {
    case Range::kSize: return v >= 1 && v < kMaxSize;
    case Range::kCount: return v >= 0 && v < kMaxSize;
    case Range::kFlag: return v == 0 || v == 1;
    case Range::kDim: return v >= -64 && v <= 64;
  }
  return false;
}

const char* describe(Range range) {
  switch (range) {
    case Range::kSize: return "in [1, 2^62)";
    case Range::kCount: return "in [0, 2^62)";
    case Range::kFlag: return "0 or 1";
    case Range::kDim: return "in [-64, 64]";
  }
  return "";
}

class Record {
 public:
  Record(Kind kind, const Args& args) : kind_(kind), args_(args) {}

  [[noreturn]] void error(const std::string& message) const {
    fail(std::string(kind_name(kind_)) + " record: " + message);
  }
  void size_is(std::size_t count) const {
    if (args_.size() != count)
      error("has " + std::to_string(args_.size()) + " arguments, expected " + std::to_string(count));
  }
  void size_at_least(std::size_t count) const {
    if (args_.size() < count)
      error("has " + std::to_string(args_.size()) + " arguments, expected at least " + std::to_string(count));
  }
  // args[i] must lie in `range`; returns it.
  std::int64_t field(std::size_t i, const char* name, Range range) const {
    const std::int64_t v = args_[i];
    if (!in_range(v, range)) error(std::string(name) + "=" + std::to_string(v) + " must be " + describe(range));
    return v;
  }
  std::int64_t between(std::size_t i, const char* name, std::int64_t low, std::int64_t high) const {
    const std::int64_t v = args_[i];
    if (v < low || v > high)
      error(std::string(name) + "=" + std::to_string(v) + " must be in [" + std::to_string(low) + ", " +
            std::to_string(high) + "]");
    return v;
  }
  void fields(std::size_t first, std::size_t count, const char* name, Range range) const {
    for (std::size_t j = 0; j < count; ++j) field(first + j, name, range);
  }
  // The spatial-dims field at args[0] (1-3); checks there is one.
  std::size_t dims() const {
    size_at_least(1);
    return static_cast<std::size_t>(between(0, "spatial_dims", 1, 3));
  }
  void divides(std::int64_t groups, const char* group_name, std::int64_t value, const char* name) const {
    if (value % groups)
      error(std::string(group_name) + "=" + std::to_string(groups) + " does not divide " + name + "=" +
            std::to_string(value));
  }

 private:
  Kind kind_;
  const Args& args_;
};

void check_attention(const Record& r) {
  r.size_is(17);
  r.field(0, "embed_dim", Range::kSize);
  const std::int64_t heads = r.field(1, "num_heads", Range::kSize);
  const std::int64_t kv_heads = r.field(2, "num_kv_heads", Range::kSize);
  const std::int64_t head_dim = r.field(3, "head_dim", Range::kSize);
  r.field(4, "kv_dim", Range::kSize);
  const std::int64_t kv_seq_len = r.field(5, "kv_seq_len", Range::kCount);
  const std::int64_t causal = r.field(6, "causal", Range::kFlag);
  const std::int64_t window = r.field(7, "window", Range::kCount);
  const std::int64_t kv_cache = r.between(8, "kv_cache", -1, kMaxSize - 1);
  r.field(9, "bias", Range::kFlag);
  const std::int64_t rotary = r.field(10, "rotary_dim", Range::kCount);
  r.between(11, "qk_norm", 0, 2);
  r.field(12, "qk_norm_across_heads", Range::kFlag);
  const std::int64_t buckets = r.field(13, "relative_position_bias", Range::kCount);
  const std::int64_t shared = r.field(14, "relative_position_bias_shared", Range::kFlag);
  r.field(15, "scale_scores", Range::kFlag);
  r.field(16, "out_bias", Range::kFlag);
  r.divides(kv_heads, "num_kv_heads", heads, "num_heads");
  if (rotary > head_dim || rotary % 2)
    r.error("rotary_dim=" + std::to_string(rotary) + " must be even and at most head_dim=" + std::to_string(head_dim));
  if (kv_seq_len && (causal || window))
    r.error("causal/window apply to self-attention, not to cross-attention over kv_seq_len=" +
            std::to_string(kv_seq_len));
  if (kv_seq_len && kv_cache >= 0) r.error("kv_cache (a decode step) cannot be combined with kv_seq_len");
  if (shared && !buckets) r.error("relative_position_bias_shared=1 needs relative_position_bias buckets");
}

void check_mixture(const Record& r) {
  r.size_is(12);
  r.field(0, "embed_dim", Range::kSize);
  r.field(1, "expert_hidden_dim", Range::kSize);
  const std::int64_t experts = r.field(2, "num_experts", Range::kSize);
  const std::int64_t top_k = r.field(3, "top_k", Range::kSize);
  r.between(4, "activation", 0, 3);
  r.field(5, "gated", Range::kFlag);
  r.between(6, "router", 0, 1);
  r.field(7, "normalize_top_k", Range::kFlag);
  const std::int64_t shared = r.field(8, "num_shared_experts", Range::kCount);
  const std::int64_t width = r.field(9, "shared_hidden_dim", Range::kCount);
  const std::int64_t gate = r.field(10, "shared_expert_gate", Range::kFlag);
  r.field(11, "bias", Range::kFlag);
  if (top_k > experts)
    r.error("top_k=" + std::to_string(top_k) + " exceeds num_experts=" + std::to_string(experts));
  if ((shared == 0) != (width == 0))
    r.error("shared_hidden_dim=" + std::to_string(width) + " and num_shared_experts=" + std::to_string(shared) +
            " must both be 0 or both positive");
  if (gate && !shared) r.error("shared_expert_gate=1 needs shared experts");
}

void check_upsample(const Record& r, const Args& args) {
  r.size_at_least(3);
  r.field(0, "bilinear", Range::kFlag);
  const bool by_size = r.field(1, "by_size", Range::kFlag) != 0;
  const auto count = static_cast<std::size_t>(r.between(2, "entries", 1, 3));
  r.size_is(3 + count);
  for (std::size_t j = 0; j < count; ++j) {
    if (by_size) {
      r.field(3 + j, "size", Range::kSize);
      continue;
    }
    double scale = 0.0;
    std::memcpy(&scale, &args[3 + j], sizeof scale);
    if (!(std::isfinite(scale) && scale > 0.0 && scale < 2147483648.0))
      r.error("scale_factor=" + std::to_string(scale) + " must be a finite number in (0, 2^31)");
  }
}

void check_reshape(const Record& r, const Args& args) {
  r.size_at_least(1);
  int inferred = 0;
  for (std::size_t j = 0; j < args.size(); ++j) {
    if (args[j] == -1) ++inferred;
    else r.field(j, "shape", Range::kSize);
  }
  if (inferred > 1) r.error("shape may contain -1 at most once");
}

}  // namespace

void check_record(Kind kind, const Args& args) {
  if (kind < 0 || kind >= kKindCount) fail("unknown layer kind " + std::to_string(static_cast<int>(kind)));
  const Record r(kind, args);
  switch (kind) {
    case kLinear:
      r.size_is(4);
      r.field(0, "in_features", Range::kSize);
      r.field(1, "out_features", Range::kSize);
      r.field(2, "bias", Range::kFlag);
      r.field(3, "shared_weight", Range::kFlag);
      return;
    case kConv:
    case kConvTranspose: {
      const std::size_t d = r.dims();
      const bool transposed = kind == kConvTranspose;
      r.size_is(5 + (transposed ? 5 : 4) * d);
      const std::int64_t ci = r.field(1, "in_channels", Range::kSize);
      const std::int64_t co = r.field(2, "out_channels", Range::kSize);
      const std::int64_t groups = r.field(3, "groups", Range::kSize);
      r.field(4, "bias", Range::kFlag);
      r.fields(5, d, "kernel_size", Range::kSize);
      r.fields(5 + d, d, "stride", Range::kSize);
      r.fields(5 + 2 * d, d, "padding", Range::kCount);
      if (transposed) r.fields(5 + 3 * d, d, "output_padding", Range::kCount);
      r.fields(5 + (transposed ? 4 : 3) * d, d, "dilation", Range::kSize);
      r.divides(groups, "groups", ci, "in_channels");
      r.divides(groups, "groups", co, "out_channels");
      return;
    }
    case kBatchNorm:
      r.size_is(3);
      r.between(0, "spatial_dims", 1, 3);
      r.field(1, "num_features", Range::kSize);
      r.field(2, "affine", Range::kFlag);
      return;
    case kLayerNorm:
      r.size_at_least(3);
      r.field(0, "elementwise_affine", Range::kFlag);
      r.field(1, "bias", Range::kFlag);
      r.fields(2, args.size() - 2, "normalized_shape", Range::kSize);
      return;
    case kRMSNorm:
      r.size_at_least(2);
      r.field(0, "elementwise_affine", Range::kFlag);
      r.fields(1, args.size() - 1, "normalized_shape", Range::kSize);
      return;
    case kGroupNorm: {
      r.size_is(3);
      const std::int64_t groups = r.field(0, "num_groups", Range::kSize);
      const std::int64_t channels = r.field(1, "num_channels", Range::kSize);
      r.field(2, "affine", Range::kFlag);
      r.divides(groups, "num_groups", channels, "num_channels");
      return;
    }
    case kMaxPool:
    case kAvgPool: {
      const std::size_t d = r.dims();
      r.size_is(2 + 3 * d);
      r.field(1, "ceil_mode", Range::kFlag);
      r.fields(2, d, "kernel_size", Range::kSize);
      r.fields(2 + d, d, "stride", Range::kSize);
      r.fields(2 + 2 * d, d, "padding", Range::kCount);
      for (std::size_t j = 0; j < d; ++j)
        if (args[2 + 2 * d + j] > args[2 + j] / 2)
          r.error("padding=" + std::to_string(args[2 + 2 * d + j]) + " must be at most half of kernel_size=" +
                  std::to_string(args[2 + j]));
      return;
    }
    case kAdaptiveAvgPool:
    case kAdaptiveMaxPool: {
      const std::size_t d = r.dims();
      r.size_is(1 + d);
      r.fields(1, d, "output_size", Range::kCount);
      return;
    }
    case kGlobalAvgPool:
    case kReLU:
    case kReLU6:
    case kSiLU:
    case kSigmoid:
    case kTanh:
    case kMatmul:
    case kAdd:
    case kMul:
    case kFlatten:
    case kDropout:
    case kIdentity:
      r.size_is(0);
      return;
    case kGELU:
      r.size_is(1);
      r.field(0, "approximate_tanh", Range::kFlag);
      return;
    case kSoftmax:
    case kConcat:
      r.size_is(1);
      r.field(0, "dim", Range::kDim);
      return;
    case kEmbedding:
      r.size_is(3);
      r.field(0, "num_embeddings", Range::kSize);
      r.field(1, "embedding_dim", Range::kSize);
      r.field(2, "shared_weight", Range::kFlag);
      return;
    case kAdditiveEmbedding:
      r.size_is(2);
      r.field(0, "num_embeddings", Range::kSize);
      r.field(1, "embedding_dim", Range::kSize);
      return;
    case kMultiheadAttention: check_attention(r); return;
    case kRNN:
    case kLSTM:
    case kGRU:
      r.size_is(5);
      r.field(0, "input_size", Range::kSize);
      r.field(1, "hidden_size", Range::kSize);
      r.field(2, "num_layers", Range::kSize);
      r.field(3, "bias", Range::kFlag);
      r.field(4, "bidirectional", Range::kFlag);
      return;
    case kUpsample: check_upsample(r, args); return;
    case kReshape: check_reshape(r, args); return;
    case kSelect:
      r.size_is(2);
      r.field(0, "dim", Range::kDim);
      r.between(1, "index", -kMaxSize + 1, kMaxSize - 1);
      return;
    case kGatedMLP:
      r.size_is(4);
      r.field(0, "embed_dim", Range::kSize);
      r.field(1, "hidden_dim", Range::kSize);
      r.between(2, "activation", 0, 3);
      r.field(3, "bias", Range::kFlag);
      return;
    case kMixtureOfExperts: check_mixture(r); return;
    case kRotaryEmbedding: {
      r.size_is(2);
      const std::int64_t head_dim = r.field(0, "head_dim", Range::kSize);
      const std::int64_t rotary = r.field(1, "rotary_dim", Range::kSize);
      if (rotary > head_dim || rotary % 2)
        r.error("rotary_dim=" + std::to_string(rotary) + " must be even and at most head_dim=" +
                std::to_string(head_dim));
      return;
    }
    case kPermute:
      r.size_at_least(1);
      if (args.size() > 64) r.error("has " + std::to_string(args.size()) + " dims, at most 64 allowed");
      r.fields(0, args.size(), "dims", Range::kDim);
      return;
    case kTranspose:
      r.size_is(2);
      r.field(0, "dim0", Range::kDim);
      r.field(1, "dim1", Range::kDim);
      return;
    case kLearnedTokens:
      r.size_is(2);
      r.field(0, "num_tokens", Range::kSize);
      r.field(1, "embedding_dim", Range::kSize);
      return;
    case kLearnedElementwise:
      r.size_at_least(2);
      if (args.size() > 65) r.error("has " + std::to_string(args.size() - 1) + " dims, at most 64 allowed");
      r.between(0, "op", 0, 1);
      r.fields(1, args.size() - 1, "shape", Range::kSize);
      return;
  }
}

}  // namespace computelimits::flops
