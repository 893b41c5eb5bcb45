// The FLOP-counting layer catalogue: one record (kind, integer args) per layer.
//
// evaluate_node() gives a layer's output shape, forward MACs, extra FLOPs (bias,
// normalization, activation, softmax, pooling, element-wise; each switchable by a
// flag), parameters, stored activations and backward FLOPs split into internal,
// per-input (external) and weight-gradient parts. All arithmetic is checked
// (common/checked.hpp): a count beyond 2^63 - 1 throws std::overflow_error; an
// inconsistent shape or argument throws std::invalid_argument. Shapes exclude the
// batch; `batch` multiplies every count except params. Formulas: docs/flops.md.
// The Python twin (python/computelimits/flops/_twin*.py) mirrors this file.
// evaluate_node() validates its own inputs (check_record, records.cpp): the binding is
// reachable from Python, so no record can divide by zero or produce a negative shape.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "computelimits/common/checked.hpp"
#include "computelimits/flops/kinds.hpp"

namespace computelimits::flops {

using Shape = std::vector<std::int64_t>;

// Kind names in code order (kinds.hpp), as the binding exports them.
const std::vector<std::string>& kind_names();

// Convention flags (bit set); kTraining selects train-mode normalization and dropout.
enum Flag : unsigned {
  kBias = 1, kNormalization = 2, kActivation = 4, kSoftmaxFlag = 8, kPooling = 16,
  kElementwise = 32, kExploitCausal = 64, kTraining = 128
};

struct NodeCount {
  Shape shape;
  std::int64_t macs = 0;
  std::int64_t extra = 0;
  std::int64_t params = 0;
  std::int64_t active_params = 0;            // params a forward pass reads (MoE: router, top-k and shared experts)
  std::int64_t bwd_internal = 0;             // backward work needed whenever the layer is trained through
  std::vector<std::int64_t> bwd_external;    // gradient w.r.t. each input (counted if that input needs one)
  std::int64_t bwd_weight = 0;
  std::int64_t activations = 0;
};

// Largest size, kernel, stride... a record or shape may hold (2^62, exclusive).
inline constexpr std::int64_t kMaxSize = std::int64_t{1} << 62;

NodeCount evaluate_node(Kind kind, const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs,
                        std::int64_t batch, unsigned flags);

// Throws std::invalid_argument naming the field when a record's arguments are out of range
// or inconsistent (records.cpp; the twin's _twin_records.check_record says the same).
void check_record(Kind kind, const std::vector<std::int64_t>& args);

// Sequence layers (layers_sequence.cpp).
NodeCount attention_node(const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs,
                         std::int64_t batch, unsigned flags);
NodeCount recurrent_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch,
                         unsigned flags);

// Query-key pairs kept by a mask on an L x L score matrix: all (no mask), the causal
// lower triangle, the causal band of width w, or the symmetric band |i - j| < w.
std::int64_t attention_pairs(std::int64_t length, bool causal, std::int64_t window);
// sum_{i=0}^{n-1} floor((a i + b) / m), a, b >= 0, m >= 1.
std::int64_t floor_sum(std::int64_t n, std::int64_t m, std::int64_t a, std::int64_t b);
// Total length of torch's adaptive-pooling windows [floor(i S/O), ceil((i+1) S/O)).
std::int64_t adaptive_window_total(std::int64_t size, std::int64_t out);

// Out-of-line throw paths: rerun the operation through common/checked.hpp, which throws
// std::overflow_error with its standard message. Keeping them out of line lets the hot
// folds below inline (a checked multiply is then one imul and one branch).
[[noreturn]] void throw_mul_overflow(std::int64_t a, std::int64_t b);
[[noreturn]] void throw_add_overflow(std::int64_t a, std::int64_t b);

// Checked left folds, in the same order as the Python twin's mul()/add().
inline std::int64_t mul(std::initializer_list<std::int64_t> factors) {
  std::int64_t result = 1;
  for (auto factor : factors) {
    std::int64_t next = 0;
    if (common::multiply_overflows(result, factor, &next)) throw_mul_overflow(result, factor);
    result = next;
  }
  return result;
}
inline std::int64_t add(std::initializer_list<std::int64_t> terms) {
  std::int64_t result = 0;
  for (auto term : terms) {
    std::int64_t next = 0;
    if (common::add_overflows(result, term, &next)) throw_add_overflow(result, term);
    result = next;
  }
  return result;
}
inline std::int64_t numel(const Shape& shape, std::size_t from = 0) {
  std::int64_t result = 1;
  for (std::size_t i = from; i < shape.size(); ++i) result = mul({result, shape[i]});
  return result;
}

std::string shape_string(const Shape& shape);
[[noreturn]] void fail(const std::string& message);
void need_rank(const Shape& x, std::size_t low, std::size_t high, const char* what);
void need_match(const char* field, std::int64_t expected, std::int64_t got, const Shape& x);

// Helpers shared by the layer files (layers.cpp, layers_shape.cpp).
void need_args(const std::vector<std::int64_t>& args, std::size_t count);
Shape broadcast(const Shape& a, const Shape& b);
NodeCount single(Shape shape, std::int64_t extra, std::int64_t grad, std::int64_t stored);
// Shape and resampling layers (layers_shape.cpp).
NodeCount matmul_node(const Shape& a, const Shape& b, std::int64_t batch);
NodeCount upsample_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags);
NodeCount view_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch,
                    unsigned flags);
NodeCount permute_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x);
NodeCount learned_tokens_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch);
// A learned tensor (args: op 0 multiply / 1 add, then its shape) broadcast into the input: layer scale, bias.
NodeCount learned_elementwise_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch,
                                   unsigned flags);
// Gated MLP, mixture of experts and rotary embedding (layers_mixture.cpp).
NodeCount gated_mlp_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags);
NodeCount mixture_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags);
NodeCount rotary_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags);
// FLOPs per element of the activations a gated MLP or expert may use: relu, silu, gelu (erf),
// gelu_tanh; code = the record's activation field.
std::int64_t mlp_activation_cost(std::int64_t code);
// Elements of a shape, checked: throws std::overflow_error naming the tensor beyond 2^63 - 1.
std::int64_t tensor_elements(const Shape& shape, const char* what);
NodeCount concat_node(const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs, std::int64_t batch);

}  // namespace computelimits::flops
