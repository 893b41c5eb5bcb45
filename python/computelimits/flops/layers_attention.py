"""Multi-head attention, the one layer of the catalogue with a long argument list.

Scaled dot-product attention with its Q, K, V and output projections, covering grouped-query
heads, cross-attention, causal and sliding-window masks, a KV-cache decode step, rotary
embeddings, query-key normalization and T5's relative position bias. ``layers.py`` re-exports
it (the catalogue is one namespace); MACs, extras and params: ``docs/flops.md``.
"""

from __future__ import annotations

from ._layer_base import _REQUIRED, KIND, _choice, _flag, _int, _optional_int, _register


def _enc_attention(self):
    embed, heads = _int(self, "embed_dim"), _int(self, "num_heads")
    kv_heads = _optional_int(self, "num_kv_heads", 1, heads)
    if heads % kv_heads:
        raise ValueError(f"MultiheadAttention.num_kv_heads={kv_heads} does not divide num_heads={heads}")
    if self.args["head_dim"] is None:
        if embed % heads:
            raise ValueError(
                f"MultiheadAttention.num_heads={heads} does not divide embed_dim={embed} "
                "(pass head_dim to choose the head width)"
            )
        head_dim = embed // heads
    else:
        head_dim = _int(self, "head_dim")
    kv_dim = _optional_int(self, "kv_dim", 1, embed)
    kv_seq_len = _optional_int(self, "kv_seq_len", 1, 0)
    window = _optional_int(self, "window", 1, 0)
    kv_cache = _optional_int(self, "kv_cache", 0, -1)
    causal = _flag(self, "causal")
    if kv_seq_len and (causal or window):
        raise ValueError(
            "MultiheadAttention.causal/window apply to self-attention, not to cross-attention "
            f"over kv_seq_len={kv_seq_len}"
        )
    if kv_seq_len and kv_cache >= 0:
        raise ValueError("MultiheadAttention.kv_cache (a decode step) cannot be combined with kv_seq_len")
    rotary = _int(self, "rotary_dim", 0)
    if rotary > head_dim or rotary % 2:
        raise ValueError(f"MultiheadAttention.rotary_dim={rotary} must be even and at most head_dim={head_dim}")
    qk_norm = _choice(self, "qk_norm", (None, "rms", "layer"))
    buckets = _optional_int(self, "relative_position_bias", 1, 0)
    shared = _flag(self, "relative_position_bias_shared")
    if shared and not buckets:
        raise ValueError(
            "MultiheadAttention.relative_position_bias_shared=True needs relative_position_bias (the bucket count)"
        )
    return KIND["MultiheadAttention"], [
        embed,
        heads,
        kv_heads,
        head_dim,
        kv_dim,
        kv_seq_len,
        causal,
        window,
        kv_cache,
        _flag(self, "bias"),
        rotary,
        qk_norm,
        _flag(self, "qk_norm_across_heads"),
        buckets,
        shared,
        _flag(self, "scale_scores"),
        _flag(self, "bias") if self.args["out_bias"] is None else _flag(self, "out_bias"),
    ]


_R = _REQUIRED
MultiheadAttention = _register(
    "MultiheadAttention",
    [
        ("embed_dim", _R),
        ("num_heads", _R),
        ("num_kv_heads", None),
        ("head_dim", None),
        ("kv_dim", None),
        ("kv_seq_len", None),
        ("causal", False),
        ("window", None),
        ("kv_cache", None),
        ("bias", True),
        ("rotary_dim", 0),
        ("qk_norm", None),
        ("relative_position_bias", None),
        ("relative_position_bias_shared", False),
        ("scale_scores", True),
        ("qk_norm_across_heads", False),
        ("out_bias", None),
    ],
    _enc_attention,
    arity=0,
    doc="MultiheadAttention(embed_dim, num_heads, num_kv_heads=None, head_dim=None, kv_dim=None, "
    "kv_seq_len=None, causal=False, window=None, kv_cache=None, bias=True, rotary_dim=0, qk_norm=None, "
    "relative_position_bias=None, relative_position_bias_shared=False, scale_scores=True, "
    "qk_norm_across_heads=False, out_bias=None): Q, K, V and output projections around scaled dot-product "
    "attention on a (L, embed_dim) query (a second input of shape (L_k, kv_dim) makes it cross-attention). "
    "bias switches the Q, K and V projection biases, out_bias (default: bias) the output projection's "
    "(Qwen2: bias=True, out_bias=False; ViT with qkv_bias=False: the reverse). "
    "rotary_dim rotates the first rotary_dim features of each query and key head (RoPE, Su et al. 2021); "
    "qk_norm ('rms' or 'layer') normalizes queries and keys over head_dim (over all heads with "
    "qk_norm_across_heads, as OLMo-2 does); relative_position_bias=num_buckets adds T5's learned bias "
    "(Raffel et al. 2020) to the scores, its table owned by this layer unless relative_position_bias_shared; "
    "scale_scores=False drops the 1/sqrt(head_dim) scale (T5). MACs, extras and params: docs/flops.md.",
)
