"""Decoder-only families from Hugging Face configs: Llama-like (llama, mistral, mixtral, qwen2, qwen2_moe,
gemma, phi3), GPT-2 and GPT-NeoX. Each builder mirrors the transformers modeling file of its family
(node names follow the transformers module names) so that MACs and parameters equal the transformers
model's exactly (tests/flops/frontends/test_hf_parity.py).

Counting notes (docs/frontends.md): attention is eager attention, the full L x L score matrix, masked
(``Convention(exploit_causal_mask=True)`` counts the kept pairs instead); a decode step (``kv_cache=P``)
attends over P + 1 keys, or min(P + 1, window) for sliding-window layers, whose cache keeps window - 1
tokens (transformers' DynamicCache).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..graph import Graph
from ..layers import (
    AdditiveEmbedding,
    Embedding,
    LayerNorm,
    Linear,
    MixtureOfExperts,
    MultiheadAttention,
    RMSNorm,
)
from ..models import ParallelResidual, Residual
from .hf_blocks import activation_name, gated_mlp, mlp

LLAMA_LIKE = ("llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "gemma", "phi3")
QKV_BIAS_ONLY = ("qwen2", "qwen2_moe")  # q/k/v projections with bias, output projection without


def _heads(family: str, v: Dict[str, Any], embed_key: str, heads_key: str) -> None:
    heads, kv_heads = v[heads_key], v.get("num_key_value_heads") or v[heads_key]
    if kv_heads < 1 or heads % kv_heads:
        raise ValueError(
            f"{family} config: num_key_value_heads={kv_heads} must divide {heads_key}={heads} (inconsistent heads)"
        )
    if v[embed_key] % heads and v.get("head_dim") is None:
        raise ValueError(
            f"{family} config: {heads_key}={heads} does not divide {embed_key}={v[embed_key]} (inconsistent heads)"
        )


def _window(family: str, v: Dict[str, Any], layer: int) -> Optional[int]:
    if family in QKV_BIAS_ONLY:
        return v["sliding_window"] if v["layer_types"][layer] == "sliding_attention" and v["sliding_window"] else None
    return v.get("sliding_window") or None


def _cached(kv_cache: Optional[int], window: Optional[int]) -> Optional[int]:
    """Keys a decode step finds in transformers' DynamicCache: all P, or the last window - 1 when sliding."""
    if kv_cache is None:
        return None
    return min(kv_cache, window - 1) if window else kv_cache


def _sparse(family: str, v: Dict[str, Any], layer: int) -> bool:
    """Whether ``layer`` holds a mixture of experts (Mixtral: all; Qwen2-MoE: decoder_sparse_step, mlp_only_layers)."""
    if family == "mixtral":
        return True
    if family != "qwen2_moe" or layer in v["mlp_only_layers"] or v["num_experts"] <= 0:
        return False
    return (layer + 1) % v["decoder_sparse_step"] == 0


def _feed_forward(family: str, v: Dict[str, Any], layer: int) -> Any:
    embed, act = v["hidden_size"], activation_name(family, "hidden_act", v["hidden_act"])
    if family == "mixtral":
        experts, top_k = v["num_local_experts"], v["num_experts_per_tok"]
        _top_k(family, top_k, experts, "num_local_experts")
        return MixtureOfExperts(embed, v["intermediate_size"], experts, top_k, activation=act, normalize_top_k=True)
    if _sparse(family, v, layer):
        _top_k(family, v["num_experts_per_tok"], v["num_experts"], "num_experts")
        return MixtureOfExperts(
            embed,
            v["moe_intermediate_size"],
            v["num_experts"],
            v["num_experts_per_tok"],
            activation=act,
            normalize_top_k=v["norm_topk_prob"],
            num_shared_experts=1,
            shared_hidden_dim=v["shared_expert_intermediate_size"],
            shared_expert_gate=True,
        )
    return gated_mlp(embed, v["intermediate_size"], act, bias=bool(v.get("mlp_bias", False)))


def _top_k(family: str, top_k: int, experts: int, key: str) -> None:
    if not 1 <= top_k <= experts:
        raise ValueError(f"{family} config: num_experts_per_tok={top_k} must lie in [1, {key}={experts}]")


def _inputs(length: int) -> Dict[str, tuple]:
    return {"input_ids": (length,)}


def _rotary_dim(family: str, head_dim: int, factor: float) -> int:
    """transformers' int(head_dim x partial_rotary_factor) rotated dimensions: rotate_half pairs them, so an odd
    count is a config transformers cannot run either (found by the fuzz tests: 96 x 0.96875 = 93)."""
    rotary = int(head_dim * factor)
    if rotary % 2:
        raise ValueError(
            f"{family} config: partial_rotary_factor={factor!r} rotates int({head_dim} x {factor!r}) = {rotary} "
            "dimensions of each head; rotary embeddings need an even count"
        )
    return rotary


def llama_like(family: str, v: Dict[str, Any], head: str, length: int, kv_cache: Optional[int]) -> Graph:
    """Embedding; per layer RMSNorm-attention and RMSNorm-MLP residuals (pre-norm); RMSNorm; the head."""
    _heads(family, v, "hidden_size", "num_attention_heads")
    embed, vocab, heads = v["hidden_size"], v["vocab_size"], v["num_attention_heads"]
    kv_heads, head_dim = v["num_key_value_heads"], v["head_dim"]
    rotary = _rotary_dim(family, head_dim, v.get("partial_rotary_factor", 1.0))
    if family in QKV_BIAS_ONLY:  # Qwen2: q_proj, k_proj, v_proj with bias, o_proj without
        bias, out_bias = bool(v.get("qkv_bias", True)), False
    else:
        bias = out_bias = bool(v.get("attention_bias", False))
    windows = [_window(family, v, i) for i in range(v["num_hidden_layers"])]
    graph = Graph(_inputs(length), name=f"{family}")
    x = graph.add(Embedding(vocab, embed), ["input_ids"], name="model.embed_tokens")
    blocks: Dict[Any, Residual] = {}  # identical layers share one (immutable) block: 80 layers, a few objects
    for i, window in enumerate(windows):
        prefix = f"model.layers.{i}"
        key = ("mlp", _sparse(family, v, i))
        if key not in blocks:
            blocks[key] = Residual([RMSNorm(embed), _feed_forward(family, v, i)])
        if ("attention", window) not in blocks:
            attention = MultiheadAttention(
                embed, heads, num_kv_heads=kv_heads, head_dim=head_dim, causal=kv_cache is None, window=window,
                kv_cache=_cached(kv_cache, window), bias=bias, out_bias=out_bias, rotary_dim=rotary,
            )  # fmt: skip
            blocks["attention", window] = Residual([RMSNorm(embed), attention])
        x = graph.add(blocks["attention", window], [x], name=f"{prefix}.self_attn")
        x = graph.add(blocks[key], [x], name=f"{prefix}.mlp")
    x = graph.add(RMSNorm(embed), [x], name="model.norm")
    return _head(graph, x, head, embed, vocab, v, tied_key="tie_word_embeddings")


def _head(graph: Graph, x: str, head: str, embed: int, vocab: int, v: Dict[str, Any], tied_key: str) -> Graph:
    if head == "causal_lm":
        graph.add(Linear(embed, vocab, bias=False, shared_weight=bool(v[tied_key])), [x], name="lm_head")
    elif head == "sequence_classification":
        graph.add(Linear(embed, _labels(v), bias=False), [x], name="score")
    return graph


def _labels(v: Dict[str, Any]) -> int:
    labels = v.get("num_labels", 2)
    if isinstance(labels, bool) or not isinstance(labels, int) or labels < 1:
        raise ValueError(f"config key 'num_labels' (or id2label) must give at least 1 label, got {labels!r}")
    return labels


def gpt2(v: Dict[str, Any], head: str, length: int, kv_cache: Optional[int]) -> Graph:
    """GPT2LMHeadModel: wte + wpe, pre-norm blocks (fused c_attn counted as Q, K, V), ln_f, tied head."""
    if v["add_cross_attention"]:
        raise ValueError(
            "gpt2 config key 'add_cross_attention'=True (GPT-2 as a decoder of an encoder) is not supported"
        )
    _heads("gpt2", v, "n_embd", "n_head")
    embed, vocab, heads, positions = v["n_embd"], v["vocab_size"], v["n_head"], v["n_positions"]
    last = length + (kv_cache or 0)
    if last > positions:
        raise ValueError(f"gpt2: seq_len + kv_cache = {last} exceeds the position table n_positions={positions}")
    act = activation_name("gpt2", "activation_function", v["activation_function"])
    graph = Graph(_inputs(length), name="gpt2")
    x = graph.add(Embedding(vocab, embed), ["input_ids"], name="transformer.wte")
    x = graph.add(AdditiveEmbedding(positions, embed), [x], name="transformer.wpe")
    for i in range(v["n_layer"]):
        attention = MultiheadAttention(embed, heads, causal=kv_cache is None, kv_cache=kv_cache, bias=True)
        x = graph.add(Residual([LayerNorm(embed), attention]), [x], name=f"transformer.h.{i}.attn")
        x = graph.add(
            Residual([LayerNorm(embed), *mlp(embed, v["n_inner"], act, True)]), [x], name=f"transformer.h.{i}.mlp"
        )
    x = graph.add(LayerNorm(embed), [x], name="transformer.ln_f")
    return _head(graph, x, head, embed, vocab, v, tied_key="tie_word_embeddings")


def gpt_neox(v: Dict[str, Any], head: str, length: int, kv_cache: Optional[int]) -> Graph:
    """GPTNeoXForCausalLM: embed_in; x + attn(ln1(x)) + mlp(ln2(x)) (parallel residual) or two residuals."""
    _heads("gpt_neox", v, "hidden_size", "num_attention_heads")
    embed, vocab, heads = v["hidden_size"], v["vocab_size"], v["num_attention_heads"]
    head_dim = embed // heads
    act = activation_name("gpt_neox", "hidden_act", v["hidden_act"])
    rotary = _rotary_dim("gpt_neox", head_dim, v["partial_rotary_factor"])
    graph = Graph(_inputs(length), name="gpt_neox")
    x = graph.add(Embedding(vocab, embed), ["input_ids"], name="gpt_neox.embed_in")
    for i in range(v["num_hidden_layers"]):
        attention = [
            LayerNorm(embed),
            MultiheadAttention(
                embed, heads, causal=kv_cache is None, kv_cache=kv_cache, bias=v["attention_bias"], rotary_dim=rotary
            ),
        ]
        feed_forward = [LayerNorm(embed), *mlp(embed, v["intermediate_size"], act, True)]
        name = f"gpt_neox.layers.{i}"
        if v["use_parallel_residual"]:
            x = graph.add(ParallelResidual([attention, feed_forward]), [x], name=name)
        else:
            x = graph.add(Residual(attention), [x], name=f"{name}.attention")
            x = graph.add(Residual(feed_forward), [x], name=f"{name}.mlp")
    x = graph.add(LayerNorm(embed), [x], name="gpt_neox.final_layer_norm")
    if head == "causal_lm":
        graph.add(Linear(embed, vocab, bias=False, shared_weight=bool(v["tie_word_embeddings"])), [x], name="embed_out")
        return graph
    return _head(graph, x, head, embed, vocab, v, tied_key="tie_word_embeddings")


#: architecture class -> (family builder, head). ``head`` is what sits on the last hidden states.
DECODER_ARCHITECTURES: Dict[str, List[str]] = {
    "llama": ["LlamaForCausalLM", "LlamaModel", "LlamaForSequenceClassification"],
    "mistral": ["MistralForCausalLM", "MistralModel", "MistralForSequenceClassification"],
    "mixtral": ["MixtralForCausalLM", "MixtralModel", "MixtralForSequenceClassification"],
    "qwen2": ["Qwen2ForCausalLM", "Qwen2Model", "Qwen2ForSequenceClassification"],
    "qwen2_moe": ["Qwen2MoeForCausalLM", "Qwen2MoeModel", "Qwen2MoeForSequenceClassification"],
    "gemma": ["GemmaForCausalLM", "GemmaModel", "GemmaForSequenceClassification"],
    "phi3": ["Phi3ForCausalLM", "Phi3Model", "Phi3ForSequenceClassification"],
    "gpt2": ["GPT2LMHeadModel", "GPT2Model", "GPT2ForSequenceClassification"],
    "gpt_neox": ["GPTNeoXForCausalLM", "GPTNeoXModel", "GPTNeoXForSequenceClassification"],
}
_HEADS = ("causal_lm", "base", "sequence_classification")


def build_decoder(family: str, v: Dict[str, Any], architecture: str, length: int, kv_cache: Optional[int]) -> Graph:
    head = _HEADS[DECODER_ARCHITECTURES[family].index(architecture)]
    if family == "gpt2":
        graph = gpt2(v, head, length, kv_cache)
    elif family == "gpt_neox":
        graph = gpt_neox(v, head, length, kv_cache)
    else:
        graph = llama_like(family, v, head, length, kv_cache)
    graph.name = architecture
    return graph
