// Vectorized sweep: counts of decoder-only transformers over a Cartesian grid of
// (layers, d_model, seq_len, vocab, heads), the same numbers count() gives for the
// model flops.decoder_only(...) builds, layer for layer (see docs/flops.md):
//   Embedding(V, d), AdditiveEmbedding(L, d),
//   layers x [Residual(LayerNorm, MultiheadAttention(d, heads, causal)),
//             Residual(LayerNorm, Linear(d, ff), GELU, Linear(ff, d))],
//   LayerNorm(d), Linear(d, V, bias=False, shared_weight=tied).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace computelimits::flops {

struct TransformerGrid {
  std::vector<std::int64_t> layers, d_model, seq_len, vocab, heads;
  std::int64_t ff_mult = 4;
  bool tied = true;
  std::int64_t batch = 1;
  unsigned flags = 0;
  std::size_t size() const { return layers.size() * d_model.size() * seq_len.size() * vocab.size() * heads.size(); }
};

// Output columns, each of grid.size() entries in grid order (layers slowest, heads fastest);
// the grid coordinates themselves are not written (the caller knows them).
enum SweepColumn : int { kColMacs, kColFlops, kColParams, kColBackward, kColActivations, kSweepColumns };

struct TransformerCount {
  std::int64_t macs, flops, params, backward, activations;
};

// Counts of one configuration (checked arithmetic; throws std::overflow_error).
TransformerCount count_decoder(std::int64_t layers, std::int64_t d_model, std::int64_t seq_len, std::int64_t vocab,
                               std::int64_t heads, std::int64_t ff_mult, bool tied, std::int64_t batch,
                               unsigned flags);

// Fill out[c][i - first] for every column c and grid point i in [first, first + count) (grid order), on
// `threads` workers; a range lets the grid be counted in independent blocks.
void sweep_transformer(const TransformerGrid& grid, std::size_t first, std::size_t count, std::int64_t* const* out,
                       long threads);

}  // namespace computelimits::flops
