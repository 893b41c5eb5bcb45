// Decoder-only transformer sweep: the layer catalogue's formulas for one block,
// summed in closed form per configuration (checked arithmetic throughout).
#include "computelimits/flops/sweep.hpp"

#include <stdexcept>
#include <string>

#include "computelimits/common/parallel.hpp"
#include "computelimits/flops/layers.hpp"

namespace computelimits::flops {

TransformerCount count_decoder(std::int64_t layers, std::int64_t d, std::int64_t length, std::int64_t vocab,
                               std::int64_t heads, std::int64_t ff_mult, bool tied, std::int64_t batch,
                               unsigned flags) {
  if (heads < 1 || d % heads)
    throw std::invalid_argument("heads=" + std::to_string(heads) + " does not divide d_model=" + std::to_string(d));
  const bool bias_on = flags & kBias, norm_on = flags & kNormalization, act_on = flags & kActivation,
             soft_on = flags & kSoftmaxFlag, ew_on = flags & kElementwise;
  const std::int64_t ff = mul({ff_mult, d});
  const std::int64_t n = mul({length, d});  // elements of one (L, d) activation
  const std::int64_t pairs = (flags & kExploitCausal) ? attention_pairs(length, true, 0) : mul({length, length});
  // LayerNorm(d): extras 7n, backward input 5n, weight 3n, params 2d.
  const std::int64_t ln_extra = norm_on ? mul({n, 7}) : 0, ln_in = norm_on ? mul({n, 5}) : 0,
                     ln_w = norm_on ? mul({n, 3}) : 0;
  // MultiheadAttention(d, heads, causal=True) on (L, d).
  const std::int64_t proj = mul({length, d, d});
  const std::int64_t scores = mul({2, pairs, d});
  const std::int64_t attn_bias = bias_on ? mul({4, n}) : 0;
  const std::int64_t softmax = soft_on ? mul({6, heads, pairs}) : 0;
  const std::int64_t attn_macs = add({mul({4, proj}), scores});
  const std::int64_t attn_in = add({mul({6, proj}), mul({2, proj}), mul({4, scores}), softmax});
  const std::int64_t attn_w = add({mul({8, proj}), attn_bias});
  const std::int64_t attn_act = add({mul({5, n}), mul({2, heads, pairs})});
  // MLP: Linear(d, ff), GELU, Linear(ff, d).
  const std::int64_t mlp = mul({length, d, ff});
  const std::int64_t mlp_bias = bias_on ? add({mul({length, ff}), n}) : 0;
  const std::int64_t gelu = act_on ? mul({5, length, ff}) : 0;
  const std::int64_t add_extra = ew_on ? n : 0;
  const std::int64_t block_macs = add({attn_macs, mul({2, mlp})});
  const std::int64_t block_extra = add({mul({2, ln_extra}), attn_bias, softmax, mul({2, add_extra}), mlp_bias, gelu});
  const std::int64_t block_params = add({mul({4, d}), mul({4, d, d}), mul({4, d}), mul({2, d, ff}), ff, d});
  const std::int64_t block_backward = add({mul({2, add({ln_in, ln_w})}), attn_in, attn_w, mul({8, mlp}),
                                           mlp_bias, gelu});
  const std::int64_t block_act = add({mul({2, n}), attn_act, n, mul({2, length, ff}), n, n});
  // Embeddings, final LayerNorm and the LM head Linear(d, V, bias=False).
  const std::int64_t head = mul({length, d, vocab});
  TransformerCount out{};
  out.macs = mul({batch, add({mul({layers, block_macs}), head})});
  const std::int64_t extra = mul({batch, add({add_extra, mul({layers, block_extra}), ln_extra})});
  out.flops = add({mul({2, out.macs}), extra});
  out.params = add({mul({vocab, d}), n, mul({layers, block_params}), mul({2, d}), tied ? 0 : mul({d, vocab})});
  out.backward = mul({batch, add({mul({2, n}), mul({layers, block_backward}), ln_in, ln_w, mul({4, head})})});
  out.activations = mul({batch, add({mul({2, n}), mul({layers, block_act}), n, mul({length, vocab})})});
  return out;
}

void sweep_transformer(const TransformerGrid& grid, std::int64_t* const* out, long threads) {
  const std::size_t nh = grid.heads.size(), nv = grid.vocab.size(), nl = grid.seq_len.size(),
                    nd = grid.d_model.size();
  common::parallel_for(0, grid.size(), threads, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      std::size_t rest = i;
      const std::int64_t h = grid.heads[rest % nh];
      rest /= nh;
      const std::int64_t v = grid.vocab[rest % nv];
      rest /= nv;
      const std::int64_t l = grid.seq_len[rest % nl];
      rest /= nl;
      const std::int64_t d = grid.d_model[rest % nd];
      const std::int64_t layers = grid.layers[rest / nd];
      const TransformerCount c = count_decoder(layers, d, l, v, h, grid.ff_mult, grid.tied, grid.batch, grid.flags);
      out[kColLayers][i] = layers;
      out[kColDModel][i] = d;
      out[kColSeqLen][i] = l;
      out[kColVocab][i] = v;
      out[kColHeads][i] = h;
      out[kColMacs][i] = c.macs;
      out[kColFlops][i] = c.flops;
      out[kColParams][i] = c.params;
      out[kColBackward][i] = c.backward;
      out[kColActivations][i] = c.activations;
    }
  });
}

}  // namespace computelimits::flops
