"""Transformer-era layers: gated MLPs, mixtures of experts, rotary embeddings, learned tensors, permutes.

Each is one ``Layer`` (usable in ``Sequential``, ``Residual``, ``Graph`` and JSON)
counted exactly by both backends; the formulas, with their sources, are in
``docs/flops.md``. Shapes exclude the batch; "tokens" are the leading dims of an
(..., E) input.
"""

from __future__ import annotations

from ._layer_base import _REQUIRED, KIND, _choice, _dim, _flag, _int, _optional_int, _register, _shape

#: Activations a gated MLP or an expert may use, in record-code order (FLOPs per element
#: 1, 4, 5, 9: docs/flops.md).
MLP_ACTIVATIONS = ("relu", "silu", "gelu", "gelu_tanh")
ROUTERS = ("softmax", "sigmoid")


def _enc_gated_mlp(self):
    return KIND["GatedMLP"], [
        _int(self, "embed_dim"),
        _int(self, "hidden_dim"),
        _choice(self, "activation", MLP_ACTIVATIONS),
        _flag(self, "bias"),
    ]


def _enc_mixture(self):
    embed, hidden = _int(self, "embed_dim"), _int(self, "expert_hidden_dim")
    experts, top_k = _int(self, "num_experts"), _int(self, "top_k")
    if top_k > experts:
        raise ValueError(f"MixtureOfExperts.top_k={top_k} exceeds num_experts={experts}")
    shared = _int(self, "num_shared_experts", 0)
    width = _optional_int(self, "shared_hidden_dim", 1, 0)
    if shared and not width:
        width = _int(self, "shared_hidden_dim", 1, hidden * shared)
    if width and not shared:
        raise ValueError(
            f"MixtureOfExperts.shared_hidden_dim={width} needs num_shared_experts >= 1 (got 0 shared experts)"
        )
    gate = _flag(self, "shared_expert_gate")
    if gate and not shared:
        raise ValueError("MixtureOfExperts.shared_expert_gate=True needs num_shared_experts >= 1")
    return KIND["MixtureOfExperts"], [
        embed,
        hidden,
        experts,
        top_k,
        _choice(self, "activation", MLP_ACTIVATIONS),
        _flag(self, "gated"),
        _choice(self, "router", ROUTERS),
        _flag(self, "normalize_top_k"),
        shared,
        width,
        gate,
        _flag(self, "bias"),
    ]


def _enc_rotary(self):
    head_dim = _int(self, "head_dim")
    rotary = head_dim if self.args["rotary_dim"] is None else _int(self, "rotary_dim")
    if rotary > head_dim or rotary % 2:
        raise ValueError(f"RotaryEmbedding.rotary_dim={rotary} must be even and at most head_dim={head_dim}")
    return KIND["RotaryEmbedding"], [head_dim, rotary]


def _enc_permute(self):
    dims = self.args["dims"]
    if not isinstance(dims, (list, tuple)) or not 1 <= len(dims) <= 64:
        raise ValueError(f"Permute.dims must be a list of 1 to 64 dimension indices, got {dims!r}")
    values = [_dim(self, "dims", d) for d in dims]
    rank = len(values)
    if sorted(d % rank if -rank <= d < rank else d for d in values) != list(range(rank)):
        raise ValueError(f"Permute.dims={list(dims)} is not a permutation of {rank} dims")
    return KIND["Permute"], values


def _enc_transpose(self):
    return KIND["Transpose"], [_dim(self, "dim0"), _dim(self, "dim1")]


def _enc_learned_tokens(self):
    return KIND["LearnedTokens"], [_int(self, "num_tokens"), _int(self, "embedding_dim")]


def _learned_elementwise_encoder(op: int):
    def encode(self):
        shape = _shape(self, "shape")
        if len(shape) > 64:
            raise ValueError(f"{self.type}.shape has {len(shape)} dims, at most 64 allowed")
        return KIND["LearnedElementwise"], [op, *shape]

    return encode


_R = _REQUIRED
GatedMLP = _register(
    "GatedMLP",
    [("embed_dim", _R), ("hidden_dim", _R), ("activation", "silu"), ("bias", False)],
    _enc_gated_mlp,
    doc="GatedMLP(embed_dim, hidden_dim, activation='silu', bias=False) on (..., E): "
    "y = (act(x W_g) * (x W_u)) W_d, SwiGLU for 'silu', GeGLU for 'gelu' (erf) or 'gelu_tanh', "
    "ReGLU for 'relu' (Shazeer 2020). MACs 3 T E H; extras T H (act + 1) + bias; params 3 E H (+ 2 H + E).",
)
MixtureOfExperts = _register(
    "MixtureOfExperts",
    [
        ("embed_dim", _R),
        ("expert_hidden_dim", _R),
        ("num_experts", _R),
        ("top_k", _R),
        ("activation", "silu"),
        ("gated", True),
        ("router", "softmax"),
        ("normalize_top_k", False),
        ("num_shared_experts", 0),
        ("shared_hidden_dim", None),
        ("shared_expert_gate", False),
        ("bias", False),
    ],
    _enc_mixture,
    doc="MixtureOfExperts(embed_dim, expert_hidden_dim, num_experts, top_k, activation='silu', gated=True, "
    "router='softmax', normalize_top_k=False, num_shared_experts=0, shared_hidden_dim=None, "
    "shared_expert_gate=False, bias=False) on (..., E): a bias-free router Linear(E, num_experts), softmax "
    "or sigmoid scores, top-k selection, top_k experts per token (each a GatedMLP when gated, else "
    "Linear-act-Linear), routing-weight multiply and sum; shared experts (one MLP of width shared_hidden_dim, "
    "default expert_hidden_dim x num_shared_experts) always run, optionally scaled by sigmoid(Linear(E, 1)) "
    "(Qwen2-MoE). macs count the active path; params count every expert; the report's active_params count "
    "the router, top_k experts and the shared ones (Shazeer et al. 2017; Fedus et al. 2022; Jiang et al. 2024).",
)
RotaryEmbedding = _register(
    "RotaryEmbedding",
    [("head_dim", _R), ("rotary_dim", None)],
    _enc_rotary,
    doc="RotaryEmbedding(head_dim, rotary_dim=None) on (..., heads, head_dim) or (..., head_dim): rotates "
    "the first rotary_dim (default head_dim) features of each vector (RoPE, Su et al. 2021), "
    "3 FLOPs per rotated feature (x cos + rotate_half(x) sin), no MACs, no params.",
)
Permute = _register(
    "Permute",
    [("dims", _R)],
    _enc_permute,
    doc="Permute(dims): torch.permute over the unbatched dims (dims exclude the batch); zero cost.",
)
Transpose = _register(
    "Transpose",
    [("dim0", _R), ("dim1", _R)],
    _enc_transpose,
    doc="Transpose(dim0, dim1): torch.transpose over the unbatched dims; zero cost.",
)
LearnedTokens = _register(
    "LearnedTokens",
    [("num_tokens", _R), ("embedding_dim", _R)],
    _enc_learned_tokens,
    doc="LearnedTokens(num_tokens, embedding_dim): prepends num_tokens learned vectors to an (L, D) input "
    "(ViT's class token, Dosovitskiy et al. 2021; DeiT's distillation token, Touvron et al. 2021): "
    "output (L + num_tokens, D), params num_tokens x D, no MACs and no FLOPs (a copy).",
)
LearnedScale = _register(
    "LearnedScale",
    [("shape", _R)],
    _learned_elementwise_encoder(0),
    doc="LearnedScale(shape): x * w with a learned tensor w of ``shape`` broadcast into the input (trailing "
    "dims aligned, each 1 or equal; the output keeps the input's shape): ConvNeXt's layer scale (Liu et al. "
    "2022; shape (C, 1, 1) on (C, H, W), or (C,) channels-last), CaiT's (Touvron et al. 2021). "
    "1 FLOP per output element (element-wise), params prod(shape).",
)
LearnedBias = _register(
    "LearnedBias",
    [("shape", _R)],
    _learned_elementwise_encoder(1),
    doc="LearnedBias(shape): x + b with a learned tensor b of ``shape`` broadcast into the input (as "
    "LearnedScale). 1 FLOP per output element (element-wise), params prod(shape).",
)
