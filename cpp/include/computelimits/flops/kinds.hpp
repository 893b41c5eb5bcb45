// The layer kinds: the one C++ list, in code order. python/computelimits/flops/_layer_base.py
// holds the same names in the same order (KINDS); tests/flops/test_kinds.py holds the two equal
// through the binding, which exports this list as the enum computelimits._core.flops.Kind.
//
// Adding a kind: append it here and to KINDS, then let -Wswitch-enum (on for the flops sources)
// point at every switch that must handle it.
#pragma once

#include <string>

#define COMPUTELIMITS_FLOPS_KINDS(X)                                                                   \
  X(Linear) X(Conv) X(ConvTranspose) X(BatchNorm) X(LayerNorm) X(GroupNorm) X(RMSNorm) X(MaxPool)        \
  X(AvgPool) X(AdaptiveAvgPool) X(AdaptiveMaxPool) X(GlobalAvgPool) X(ReLU) X(GELU) X(SiLU) X(Sigmoid)   \
  X(Tanh) X(Softmax) X(Embedding) X(AdditiveEmbedding) X(MultiheadAttention) X(Matmul) X(RNN) X(LSTM)    \
  X(GRU) X(Upsample) X(Add) X(Mul) X(Flatten) X(Reshape) X(Dropout) X(Identity) X(Concat) X(Select)      \
  X(ReLU6) X(GatedMLP) X(MixtureOfExperts) X(RotaryEmbedding) X(Permute) X(Transpose) X(LearnedTokens)     \
  X(LearnedElementwise)

namespace computelimits::flops {

#define COMPUTELIMITS_FLOPS_ENUMERATOR(name) k##name,
enum Kind : int { COMPUTELIMITS_FLOPS_KINDS(COMPUTELIMITS_FLOPS_ENUMERATOR) };
#undef COMPUTELIMITS_FLOPS_ENUMERATOR

#define COMPUTELIMITS_FLOPS_ONE(name) +1
// Not an enumerator, so that switches over Kind stay exhaustive under -Wswitch-enum.
inline constexpr int kKindCount = 0 COMPUTELIMITS_FLOPS_KINDS(COMPUTELIMITS_FLOPS_ONE);
#undef COMPUTELIMITS_FLOPS_ONE

// The kind's name ("Linear", ...); "unknown" outside [0, kKindCount).
const char* kind_name(Kind kind);

}  // namespace computelimits::flops
