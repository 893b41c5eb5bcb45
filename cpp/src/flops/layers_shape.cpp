// Layer catalogue: matmul, resampling, concatenation and view (shape-only) layers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

Shape broadcast(const Shape& a, const Shape& b) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::int64_t x = i < a.size() ? a[a.size() - 1 - i] : 1;
    const std::int64_t y = i < b.size() ? b[b.size() - 1 - i] : 1;
    if (x != y && x != 1 && y != 1)
      fail("input shapes " + shape_string(a) + " and " + shape_string(b) + " do not broadcast");
    out[rank - 1 - i] = std::max(x, y);
  }
  return out;
}

NodeCount matmul_node(const Shape& a, const Shape& b, std::int64_t batch) {
  if (a.empty() || b.empty())
    fail("matmul operands must have rank >= 1, got " + shape_string(a) + " and " + shape_string(b));
  Shape a2 = a, b2 = b;
  if (a.size() == 1) a2.insert(a2.begin(), 1);
  if (b.size() == 1) b2.push_back(1);
  if (a2.back() != b2[b2.size() - 2]) fail("matmul inner sizes differ: " + shape_string(a) + " @ " + shape_string(b));
  Shape lead = broadcast(Shape(a2.begin(), a2.end() - 2), Shape(b2.begin(), b2.end() - 2));
  const std::int64_t m = a2[a2.size() - 2], k = a2.back(), n = b2.back();
  NodeCount out;
  out.shape = lead;
  if (a.size() > 1) out.shape.push_back(m);
  if (b.size() > 1) out.shape.push_back(n);
  out.macs = mul({batch, numel(lead), m, k, n});
  out.bwd_external = {mul({2, out.macs}), mul({2, out.macs})};
  out.activations = mul({batch, numel(out.shape)});
  return out;
}

NodeCount upsample_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags) {
  if (args.size() < 3) fail("upsample record is too short");
  const bool bilinear = args[0] != 0, by_size = args[1] != 0;
  const std::int64_t count = args[2];
  need_args(args, 3 + static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
  need_rank(x, 2, 4, "channels, spatial...");
  const auto dims = static_cast<std::int64_t>(x.size() - 1);
  if (count != 1 && count != dims)
    fail(std::string(by_size ? "size" : "scale_factor") + " has " + std::to_string(count) + " entries for " +
         std::to_string(dims) + " spatial dims");
  if (bilinear && dims != 2) fail("mode='bilinear' needs 2 spatial dims, got input shape " + shape_string(x));
  Shape shape = {x[0]};
  for (std::int64_t j = 0; j < dims; ++j) {
    const std::int64_t value = args[3 + static_cast<std::size_t>(count > 1 ? j : 0)];
    if (by_size) {
      shape.push_back(value);
      continue;
    }
    double scale = 0.0;
    std::memcpy(&scale, &value, sizeof scale);
    const double size = std::floor(static_cast<double>(x[1 + static_cast<std::size_t>(j)]) * scale);
    if (!(size >= 1.0 && size < 4611686018427387904.0))
      fail("scale_factor gives output size " + std::to_string(size) + " in spatial dim " + std::to_string(j));
    shape.push_back(static_cast<std::int64_t>(size));
  }
  const std::int64_t n = mul({batch, numel(shape)});
  const std::int64_t ops = (bilinear && (flags & kPooling)) ? mul({n, 7}) : 0;
  return single(shape, ops, ops, n);
}

NodeCount view_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch, unsigned flags) {
  Shape shape = x;
  const std::int64_t total = numel(x);
  if (kind == kFlatten) {
    shape = {total};
  } else if (kind == kReshape) {
    std::int64_t known = 1;
    bool infer = false;
    for (auto v : args) {
      if (v == -1) infer = true;
      else known = mul({known, v});
    }
    shape = args;
    if (infer) {
      if (total % known) fail("shape=" + shape_string(args) + " cannot hold the " + std::to_string(total) +
                              " elements of " + shape_string(x));
      for (auto& v : shape) if (v == -1) v = total / known;
    }
    if (numel(shape) != total)
      fail("shape=" + shape_string(args) + " has " + std::to_string(numel(shape)) + " elements, input " +
           shape_string(x) + " has " + std::to_string(total));
  } else if (kind == kSelect) {
    const auto rank = static_cast<std::int64_t>(x.size());
    std::int64_t dim = args[0];
    const std::int64_t index = args[1];
    if (dim < -rank || dim >= rank) fail("dim=" + std::to_string(dim) + " is out of range for input shape " + shape_string(x));
    dim = (dim + rank) % rank;
    const std::int64_t size = x[static_cast<std::size_t>(dim)];
    if (index < -size || index >= size)
      fail("index=" + std::to_string(index) + " is out of range for size " + std::to_string(size) + " of input shape " +
           shape_string(x));
    shape.erase(shape.begin() + dim);
  }
  const std::int64_t n = mul({batch, numel(shape)});
  const bool dropout_train = kind == kDropout && (flags & kTraining);
  const std::int64_t ops = (dropout_train && (flags & kElementwise)) ? n : 0;
  return single(shape, ops, ops, dropout_train ? n : 0);
}

NodeCount permute_node(Kind kind, const std::vector<std::int64_t>& args, const Shape& x) {
  const auto rank = static_cast<std::int64_t>(x.size());
  std::vector<std::int64_t> order;
  if (kind == kTranspose) {
    need_args(args, 2);
    for (std::int64_t j = 0; j < rank; ++j) order.push_back(j);
  } else if (static_cast<std::int64_t>(args.size()) != rank) {
    fail("dims=" + shape_string(args) + " has " + std::to_string(args.size()) + " entries for input shape " +
         shape_string(x));
  }
  std::vector<std::int64_t> dims;
  for (auto d : args) {
    if (d < -rank || d >= rank) fail("dim " + std::to_string(d) + " is out of range for input shape " + shape_string(x));
    dims.push_back((d + rank) % rank);
  }
  if (kind == kTranspose) {
    std::swap(order[static_cast<std::size_t>(dims[0])], order[static_cast<std::size_t>(dims[1])]);
  } else {
    std::vector<bool> seen(x.size(), false);
    for (auto d : dims) {
      if (seen[static_cast<std::size_t>(d)]) fail("dims=" + shape_string(args) + " is not a permutation of the input dims");
      seen[static_cast<std::size_t>(d)] = true;
    }
    order = dims;
  }
  Shape shape;
  for (auto d : order) shape.push_back(x[static_cast<std::size_t>(d)]);
  return single(shape, 0, 0, 0);
}

NodeCount learned_tokens_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch) {
  need_args(args, 2);
  need_rank(x, 2, 2, "length, width");
  need_match("embedding_dim", args[1], x[1], x);
  const Shape shape = {add({x[0], args[0]}), x[1]};
  const std::int64_t n = mul({batch, numel(shape)});
  NodeCount out = single(shape, 0, 0, n);
  out.params = mul({args[0], args[1]});
  out.bwd_weight = mul({batch, args[0], args[1]});
  return out;
}

NodeCount learned_elementwise_node(const std::vector<std::int64_t>& args, const Shape& x, std::int64_t batch,
                                   unsigned flags) {
  if (args.size() < 2) fail("learned element-wise record needs an op and a shape");
  const bool scale = args[0] == 0;
  const Shape shape(args.begin() + 1, args.end());
  // The learned tensor broadcasts into the input (trailing dims aligned, each 1 or equal) and never enlarges it.
  bool fits = shape.size() <= x.size();
  for (std::size_t i = 0; fits && i < shape.size(); ++i) {
    const std::int64_t have = shape[shape.size() - 1 - i], want = x[x.size() - 1 - i];
    fits = have == 1 || have == want;
  }
  if (!fits) fail("shape=" + shape_string(shape) + " does not broadcast into input shape " + shape_string(x));
  const std::int64_t n = mul({batch, numel(x)});
  const std::int64_t ops = (flags & kElementwise) ? n : 0;
  // x * w: the input gradient multiplies by w (1 per element); x + b: it passes through (0).
  NodeCount out = single(x, ops, scale ? ops : 0, n);
  out.params = numel(shape);
  out.bwd_weight = n;  // x * grad summed into w, or grad summed into b: one FLOP per element
  return out;
}

NodeCount concat_node(const std::vector<std::int64_t>& args, const std::vector<Shape>& inputs, std::int64_t batch) {
  need_args(args, 1);
  if (inputs.empty()) fail("takes one or more inputs, got none");
  const auto rank = static_cast<std::int64_t>(inputs[0].size());
  std::int64_t dim = args[0];
  if (dim < -rank || dim >= rank)
    fail("dim=" + std::to_string(dim) + " is out of range for input shape " + shape_string(inputs[0]));
  dim = (dim + rank) % rank;
  std::int64_t total = 0;
  for (const auto& s : inputs) {
    bool same = static_cast<std::int64_t>(s.size()) == rank;
    for (std::int64_t j = 0; same && j < rank; ++j)
      if (j != dim && s[static_cast<std::size_t>(j)] != inputs[0][static_cast<std::size_t>(j)]) same = false;
    if (!same) fail("input shapes differ outside dim " + std::to_string(dim));
    total = add({total, s[static_cast<std::size_t>(dim)]});
  }
  NodeCount out;
  out.shape = inputs[0];
  out.shape[static_cast<std::size_t>(dim)] = total;
  out.bwd_external.assign(inputs.size(), 0);
  out.activations = mul({batch, numel(out.shape)});
  return out;
}

}  // namespace computelimits::flops
