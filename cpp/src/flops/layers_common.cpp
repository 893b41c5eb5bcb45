// Helpers shared by the layer files: kind names, messages, checks and the throw paths.
#include <stdexcept>
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

#define COMPUTELIMITS_FLOPS_NAME(name) #name,
namespace {
const char* const kNames[] = {COMPUTELIMITS_FLOPS_KINDS(COMPUTELIMITS_FLOPS_NAME)};
}  // namespace
#undef COMPUTELIMITS_FLOPS_NAME
static_assert(sizeof(kNames) / sizeof(kNames[0]) == static_cast<std::size_t>(kKindCount));

const char* kind_name(Kind kind) {
  return (kind >= 0 && kind < kKindCount) ? kNames[static_cast<int>(kind)] : "unknown";
}

const std::vector<std::string>& kind_names() {
  static const std::vector<std::string> names(std::begin(kNames), std::end(kNames));
  return names;
}

std::string shape_string(const Shape& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out += std::to_string(shape[i]);
    if (shape.size() == 1 || i + 1 < shape.size()) out += ",";
    if (i + 1 < shape.size()) out += " ";
  }
  return out + ")";
}

void fail(const std::string& message) { throw std::invalid_argument(message); }

void throw_mul_overflow(std::int64_t a, std::int64_t b) {
  common::checked_mul(a, b, "FLOP count");
  throw std::overflow_error("FLOP count: product does not fit in a signed 64-bit count");
}

void throw_add_overflow(std::int64_t a, std::int64_t b) {
  common::checked_add(a, b, "FLOP count");
  throw std::overflow_error("FLOP count: sum does not fit in a signed 64-bit count");
}

std::int64_t tensor_elements(const Shape& shape, const char* what) {
  std::int64_t result = 1;
  for (auto v : shape)
    if (common::multiply_overflows(result, v, &result))
      throw std::overflow_error(std::string(what) + " " + shape_string(shape) +
                                " has more than 2^63 - 1 elements per example");
  return result;
}

void need_rank(const Shape& x, std::size_t low, std::size_t high, const char* what) {
  if (x.size() < low || x.size() > high)
    fail(std::string("expects an input of rank ") + std::to_string(low) +
         (high != low ? "-" + std::to_string(high) : std::string()) + " (" + what + "), got shape " +
         shape_string(x));
}

void need_match(const char* field, std::int64_t expected, std::int64_t got, const Shape& x) {
  if (expected != got)
    fail(std::string(field) + "=" + std::to_string(expected) + " does not match size " + std::to_string(got) +
         " of input shape " + shape_string(x));
}

void need_args(const std::vector<std::int64_t>& args, std::size_t count) {
  if (args.size() != count)
    fail("layer record has " + std::to_string(args.size()) + " arguments, expected " + std::to_string(count));
}

NodeCount single(Shape shape, std::int64_t extra, std::int64_t grad, std::int64_t stored) {
  NodeCount out;
  out.shape = std::move(shape);
  out.extra = extra;
  out.bwd_external = {grad};
  out.activations = stored;
  return out;
}

std::int64_t mlp_activation_cost(std::int64_t code) {
  // relu 1; silu x sigmoid(x) 4; gelu (erf) 5; gelu_tanh 9 (docs/flops.md)
  static const std::int64_t costs[] = {1, 4, 5, 9};
  if (code < 0 || code > 3) fail("activation code " + std::to_string(code) + " must be in [0, 3]");
  return costs[code];
}

}  // namespace computelimits::flops
