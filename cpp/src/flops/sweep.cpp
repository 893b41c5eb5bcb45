// Decoder-only transformer sweep: the layer catalogue's formulas for one block,
// summed in closed form per configuration (checked arithmetic throughout).
#include "computelimits/flops/sweep.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "computelimits/common/cancellation.hpp"
#include "computelimits/common/parallel.hpp"
#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

namespace {

// Terms of one decoder block that depend on (d_model, seq_len) only, per example.
struct CellTerms {
  std::int64_t n, pairs, ln_extra, ln_in, ln_w, block_macs, block_extra, block_params, block_backward, block_act,
      add_extra, length, d;
};

CellTerms cell_terms(std::int64_t d, std::int64_t length, std::int64_t ff_mult, unsigned flags) {
  const bool bias_on = flags & kBias, norm_on = flags & kNormalization, act_on = flags & kActivation,
             ew_on = flags & kElementwise;
  CellTerms t{};
  t.length = length;
  t.d = d;
  const std::int64_t ff = mul({ff_mult, d});
  t.n = mul({length, d});  // elements of one (L, d) activation
  t.pairs = (flags & kExploitCausal) ? attention_pairs(length, true, 0) : mul({length, length});
  // LayerNorm(d): extras 7n, backward input 5n, weight 3n, params 2d.
  t.ln_extra = norm_on ? mul({t.n, 7}) : 0;
  t.ln_in = norm_on ? mul({t.n, 5}) : 0;
  t.ln_w = norm_on ? mul({t.n, 3}) : 0;
  // MultiheadAttention(d, heads, causal=True) on (L, d); the softmax term is added per head count.
  const std::int64_t proj = mul({length, d, d});
  const std::int64_t scores = mul({2, t.pairs, d});
  const std::int64_t attn_bias = bias_on ? mul({4, t.n}) : 0;
  const std::int64_t attn_macs = add({mul({4, proj}), scores});
  const std::int64_t attn_in = add({mul({6, proj}), mul({2, proj}), mul({4, scores})});
  const std::int64_t attn_w = add({mul({8, proj}), attn_bias});
  // MLP: Linear(d, ff), GELU, Linear(ff, d); two residual Adds.
  const std::int64_t mlp = mul({length, d, ff});
  const std::int64_t mlp_bias = bias_on ? add({mul({length, ff}), t.n}) : 0;
  const std::int64_t gelu = act_on ? mul({5, length, ff}) : 0;
  t.add_extra = ew_on ? t.n : 0;
  t.block_macs = add({attn_macs, mul({2, mlp})});
  t.block_extra = add({mul({2, t.ln_extra}), attn_bias, mul({2, t.add_extra}), mlp_bias, gelu});
  t.block_params = add({mul({4, d}), mul({4, d, d}), mul({4, d}), mul({2, d, ff}), ff, d});
  t.block_backward = add({mul({2, add({t.ln_in, t.ln_w})}), attn_in, attn_w, mul({8, mlp}), mlp_bias, gelu});
  t.block_act = add({mul({2, t.n}), mul({5, t.n}), t.n, mul({2, length, ff}), t.n, t.n});
  return t;
}

// Terms that also depend on the head count (the softmax and the stored score matrices).
struct HeadTerms {
  std::int64_t block_extra, block_backward, block_act;
};

HeadTerms head_terms(const CellTerms& t, std::int64_t heads, unsigned flags) {
  const std::int64_t softmax = (flags & kSoftmaxFlag) ? mul({6, heads, t.pairs}) : 0;
  return {add({t.block_extra, softmax}), add({t.block_backward, softmax}), add({t.block_act, mul({2, heads, t.pairs})})};
}

TransformerCount finish(const CellTerms& t, const HeadTerms& h, std::int64_t layers, std::int64_t vocab, bool tied,
                        std::int64_t batch) {
  const std::int64_t head = mul({t.n, vocab});  // LM head Linear(d, V, bias=False): L d V MACs
  TransformerCount out{};
  out.macs = mul({batch, add({mul({layers, t.block_macs}), head})});
  const std::int64_t extra = mul({batch, add({t.add_extra, mul({layers, h.block_extra}), t.ln_extra})});
  out.flops = add({mul({2, out.macs}), extra});
  out.params = add({mul({vocab, t.d}), t.n, mul({layers, t.block_params}), mul({2, t.d}), tied ? 0 : mul({t.d, vocab})});
  out.backward = mul({batch, add({mul({2, t.n}), mul({layers, h.block_backward}), t.ln_in, t.ln_w, mul({4, head})})});
  out.activations = mul({batch, add({mul({2, t.n}), mul({layers, h.block_act}), t.n, mul({t.length, vocab})})});
  return out;
}

}  // namespace

TransformerCount count_decoder(std::int64_t layers, std::int64_t d, std::int64_t length, std::int64_t vocab,
                               std::int64_t heads, std::int64_t ff_mult, bool tied, std::int64_t batch,
                               unsigned flags) {
  if (heads < 1 || d % heads)
    throw std::invalid_argument("heads=" + std::to_string(heads) + " does not divide d_model=" + std::to_string(d));
  const CellTerms terms = cell_terms(d, length, ff_mult, flags);
  return finish(terms, head_terms(terms, heads, flags), layers, vocab, tied, batch);
}

// Walks a chunk of the grid with an odometer (no divisions per point) and recomputes
// the (d_model, seq_len) terms only when they change: heads and vocab vary fastest.
void sweep_transformer(const TransformerGrid& grid, std::size_t first, std::size_t count, std::int64_t* const* out,
                       long threads) {
  const std::size_t nh = grid.heads.size(), nv = grid.vocab.size(), nl = grid.seq_len.size(),
                    nd = grid.d_model.size();
  for (std::size_t id = 0; id < nd; ++id)
    for (std::size_t ih = 0; ih < nh; ++ih)
      if (grid.heads[ih] < 1 || grid.d_model[id] % grid.heads[ih])
        throw std::invalid_argument("heads=" + std::to_string(grid.heads[ih]) + " does not divide d_model=" +
                                    std::to_string(grid.d_model[id]));
  if (first > grid.size() || count > grid.size() - first) {
    throw std::invalid_argument("sweep range [" + std::to_string(first) + ", " + std::to_string(first) + " + " +
                                std::to_string(count) + ") exceeds the grid's " + std::to_string(grid.size()) +
                                " configurations");
  }
  common::parallel_for(first, first + count, threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    std::size_t rest = begin;
    std::size_t ih = rest % nh, iv = (rest /= nh) % nv, il = (rest /= nv) % nl, id = (rest /= nl) % nd,
                ilayer = rest / nd;
    std::size_t cell_l = nl, cell_d = nd;  // no cell computed yet
    CellTerms terms{};
    std::vector<HeadTerms> per_head(nh);
    for (std::size_t i = begin; i < end; ++i) {
      if (il != cell_l || id != cell_d) {
        terms = cell_terms(grid.d_model[id], grid.seq_len[il], grid.ff_mult, grid.flags);
        for (std::size_t j = 0; j < nh; ++j) per_head[j] = head_terms(terms, grid.heads[j], grid.flags);
        cell_l = il;
        cell_d = id;
      }
      const TransformerCount c =
          finish(terms, per_head[ih], grid.layers[ilayer], grid.vocab[iv], grid.tied, grid.batch);
      const std::size_t at = i - first;
      out[kColMacs][at] = c.macs;
      out[kColFlops][at] = c.flops;
      out[kColParams][at] = c.params;
      out[kColBackward][at] = c.backward;
      out[kColActivations][at] = c.activations;
      if ((at & 0xFFFF) == 0xFFFF) common::throw_if_cancelled();
      if (++ih == nh) {
        ih = 0;
        if (++iv == nv) {
          iv = 0;
          if (++il == nl) {
            il = 0;
            if (++id == nd) {
              id = 0;
              ++ilayer;
            }
          }
        }
      }
    }
  });
}

}  // namespace computelimits::flops
