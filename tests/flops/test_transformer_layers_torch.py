"""Gated MLPs, mixtures of experts, attention options, learned tokens, permutes and parallel
residuals against torch's FlopCounterMode (MACs, forward and backward) and torch parameter counts.

Each torch equivalent is written here from stock ``torch.nn`` parts at odd sizes and batches:
SwiGLU/GeGLU as in LLaMA's and T5 v1.1's MLPs (Shazeer 2020); a mixture of experts that loops
over its experts like Hugging Face's Mixtral and Qwen2-MoE blocks (router, softmax or sigmoid,
top-k, per-expert calls on the routed rows, index_add), run on real CPU tensors because routing
depends on the data (the MACs do not: every token reaches exactly top_k experts); rotary
embedding with element-wise ops, QK-norm with nn.RMSNorm/nn.LayerNorm over head_dim, T5's
relative position bias as an nn.Embedding(num_buckets, heads). FlopCounterMode counts
mm/addmm/bmm/convolution only, 2 FLOP per MAC; the engine's ``macs`` must equal it exactly.
The measuring helpers are conftest's (``torch_ref.measure``, ``torch_ref.forward_backward_macs``).
"""

import math

import pytest

from computelimits import flops

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional
MACS_ONLY = flops.Convention.macs_only()
ACTIVATIONS = {
    "silu": F.silu,
    "gelu": F.gelu,
    "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
    "relu": F.relu,
}


def _params(module):
    return sum(p.numel() for p in module.parameters())


def _both(layers, shape, batch, convention=None):
    model = flops.Sequential(layers, input_shape=shape)
    report = flops.count(model, batch=batch, convention=convention)
    assert report == flops.count(model, batch=batch, convention=convention, backend="numpy")
    return report


class GatedMLP(nn.Module):
    def __init__(self, embed, hidden, activation, bias):
        super().__init__()
        self.gate, self.up = nn.Linear(embed, hidden, bias=bias), nn.Linear(embed, hidden, bias=bias)
        self.down, self.act = nn.Linear(hidden, embed, bias=bias), ACTIVATIONS[activation]

    def forward(self, x):
        return self.down(self.act(self.gate(x)) * self.up(x))


class PlainMLP(nn.Module):
    def __init__(self, embed, hidden, activation, bias):
        super().__init__()
        self.fc1, self.fc2, self.act = (
            nn.Linear(embed, hidden, bias=bias),
            nn.Linear(hidden, embed, bias=bias),
            ACTIVATIONS[activation],
        )

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize(("bias", "shape", "batch"), [(False, (5, 37), 3), (True, (3, 7, 37), 2)])
def test_gated_mlp_macs_and_params_equal_torch(torch_ref, activation, bias, shape, batch):
    with torch.device("meta"):
        module = GatedMLP(37, 91, activation, bias)
        x = torch.empty(batch, *shape)
    out = module(x)
    report = _both([flops.GatedMLP(37, 91, activation=activation, bias=bias)], shape, batch)
    assert (report.params, report.macs) == torch_ref.measure(module, module, x)
    assert report.macs == 3 * batch * math.prod(shape[:-1]) * 37 * 91
    assert report.layers[0].output_shape == tuple(out.shape[1:])


@pytest.mark.parametrize("bias", [False, True])
def test_gated_mlp_backward_equals_torch(torch_ref, bias):
    """macs_only: weight gradients of gate, up, down and the down projection's input gradient."""
    with torch.device("meta"):
        module = GatedMLP(29, 53, "silu", bias)
        x = torch.empty(3, 11, 29)
    forward, backward = torch_ref.forward_backward_macs(module, x)
    report = _both([flops.GatedMLP(29, 53, bias=bias)], (11, 29), 3, MACS_ONLY)
    assert report.macs == forward
    assert report.backward_flops == 2 * backward


class Mixture(nn.Module):
    """A sparse MoE block written like HF's MixtralSparseMoeBlock / Qwen2MoeSparseMoeBlock."""

    def __init__(
        self,
        embed,
        hidden,
        experts,
        top_k,
        *,
        activation="silu",
        gated=True,
        router="softmax",
        normalize=False,
        shared_width=0,
        shared_gate=False,
        bias=False,
    ):
        super().__init__()
        expert = GatedMLP if gated else PlainMLP
        self.router = nn.Linear(embed, experts, bias=False)
        self.experts = nn.ModuleList(expert(embed, hidden, activation, bias) for _ in range(experts))
        self.shared = expert(embed, shared_width, activation, bias) if shared_width else None
        self.shared_gate = nn.Linear(embed, 1, bias=False) if shared_gate else None
        self.top_k, self.kind, self.normalize = top_k, router, normalize

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        logits = self.router(x)
        probs = logits.softmax(-1) if self.kind == "softmax" else logits.sigmoid()
        weights, chosen = probs.topk(self.top_k, dim=-1)
        if self.normalize:
            weights = weights / weights.sum(-1, keepdim=True)
        out = torch.zeros_like(x)
        for index, expert in enumerate(self.experts):
            rows, slot = torch.where(chosen == index)
            if rows.numel():
                out = out.index_add(0, rows, expert(x[rows]) * weights[rows, slot, None])
        if self.shared is not None:
            shared = self.shared(x)
            if self.shared_gate is not None:
                shared = torch.sigmoid(self.shared_gate(x)) * shared
            out = out + shared
        return out.reshape(shape)


MIXTURES = [
    # Mixtral-like: 8 experts, top 2, SwiGLU, softmax then renormalized top-k
    dict(embed=48, hidden=80, experts=8, top_k=2, normalize=True),
    # Qwen2-MoE-like: shared expert of its own width with a sigmoid gate
    dict(embed=36, hidden=20, experts=6, top_k=4, shared_width=56, shared_gate=True),
    # sigmoid router, plain GELU experts with biases (Switch-style top-1)
    dict(embed=30, hidden=44, experts=5, top_k=1, gated=False, router="sigmoid", activation="gelu", bias=True),
    # every expert chosen, shared experts without a gate
    dict(embed=24, hidden=12, experts=3, top_k=3, shared_width=36, activation="gelu_tanh"),
]


def _ours(config):
    return flops.MixtureOfExperts(
        config["embed"],
        config["hidden"],
        config["experts"],
        config["top_k"],
        activation=config.get("activation", "silu"),
        gated=config.get("gated", True),
        router=config.get("router", "softmax"),
        normalize_top_k=config.get("normalize", False),
        num_shared_experts=1 if config.get("shared_width") else 0,
        shared_hidden_dim=config.get("shared_width") or None,
        shared_expert_gate=config.get("shared_gate", False),
        bias=config.get("bias", False),
    )


@pytest.mark.parametrize("config", MIXTURES, ids=lambda c: f"E{c['experts']}k{c['top_k']}")
@pytest.mark.parametrize(("shape", "batch"), [((9,), 3), ((2, 5), 1)])
def test_mixture_of_experts_counts_the_active_path(torch_ref, config, shape, batch):
    torch.manual_seed(0)
    module = Mixture(**config)
    x = torch.randn(batch, *shape, config["embed"])
    out = module(x)
    forward, backward = torch_ref.forward_backward_macs(module, x)
    report = _both([_ours(config)], (*shape, config["embed"]), batch)
    assert (report.params, report.macs) == torch_ref.measure(module, module, x) == (_params(module), forward)
    active = _params(module.router) + config["top_k"] * _params(module.experts[0])
    active += sum(_params(m) for m in (module.shared, module.shared_gate) if m is not None)
    assert report.active_params == active
    assert (report.active_params < report.params) == (config["top_k"] < config["experts"])
    assert report.layers[0].output_shape == tuple(out.shape[1:])
    # backward under macs_only: weight gradients of every active linear + each down projection's input gradient
    no_extras = _both([_ours(config)], (*shape, config["embed"]), batch, MACS_ONLY)
    assert no_extras.backward_flops == 2 * backward


def test_mixtral_8x7b_layer_parameters():
    """One Mixtral-8x7B MoE layer: 8 SwiGLU experts of 4096 -> 14336, top 2 (Jiang et al. 2024)."""
    layer = flops.MixtureOfExperts(4096, 14336, 8, 2)
    report = flops.count(flops.Sequential([layer], input_shape=(1, 4096)))
    assert report.params == 4096 * 8 + 8 * 3 * 4096 * 14336
    assert report.active_params == 4096 * 8 + 2 * 3 * 4096 * 14336
    assert report.macs == report.active_params  # one token reads every active weight once


class Attention(nn.Module):
    """Q/K/V/out projections with optional rotary, QK-norm and T5 relative position bias."""

    def __init__(
        self,
        embed,
        heads,
        kv_heads,
        head_dim,
        *,
        bias=True,
        out_bias=None,
        rotary=0,
        qk_norm=None,
        buckets=0,
        scale=True,
    ):
        super().__init__()
        self.q = nn.Linear(embed, heads * head_dim, bias=bias)
        self.k = nn.Linear(embed, kv_heads * head_dim, bias=bias)
        self.v = nn.Linear(embed, kv_heads * head_dim, bias=bias)
        self.o = nn.Linear(heads * head_dim, embed, bias=bias if out_bias is None else out_bias)
        norm = {None: None, "rms": lambda: nn.RMSNorm(head_dim), "layer": lambda: nn.LayerNorm(head_dim, bias=bias)}
        self.q_norm = norm[qk_norm]() if qk_norm else None
        self.k_norm = norm[qk_norm]() if qk_norm else None
        self.relative = nn.Embedding(buckets, heads) if buckets else None
        self.heads, self.kv_heads, self.head_dim, self.rotary, self.scale = heads, kv_heads, head_dim, rotary, scale

    def _rope(self, t):
        r = self.rotary
        rot, rest = t[..., :r], t[..., r:]
        cos = torch.ones(t.shape[-2], r, device=t.device)
        sin = torch.zeros(t.shape[-2], r, device=t.device)
        half = torch.cat([-rot[..., r // 2 :], rot[..., : r // 2]], dim=-1)
        return torch.cat([rot * cos + half * sin, rest], dim=-1)

    def forward(self, x):
        b, length, _ = x.shape
        q = self.q(x).view(b, length, self.heads, self.head_dim)
        k = self.k(x).view(b, length, self.kv_heads, self.head_dim)
        v = self.v(x).view(b, length, self.kv_heads, self.head_dim).transpose(1, 2)
        if self.q_norm is not None:
            q, k = self.q_norm(q), self.k_norm(k)
        q, k = q.transpose(1, 2), k.transpose(1, 2)
        if self.rotary:
            q, k = self._rope(q), self._rope(k)
        group = self.heads // self.kv_heads
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        scores = q @ k.transpose(-2, -1)
        if self.scale:
            scores = scores / math.sqrt(self.head_dim)
        if self.relative is not None:
            buckets = torch.zeros(length, length, dtype=torch.long, device=x.device)
            scores = scores + self.relative(buckets).permute(2, 0, 1)[None]
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, length, -1)
        return self.o(ctx)


ATTENTION = [
    dict(embed=48, heads=6, kv_heads=2, head_dim=8, rotary=8),  # LLaMA-style full rotary, GQA
    dict(embed=40, heads=4, kv_heads=4, head_dim=10, rotary=2),  # GPT-NeoX rotary_pct 0.25 of 10 (rounded even)
    dict(embed=36, heads=6, kv_heads=3, head_dim=16, rotary=16, qk_norm="rms", bias=False),  # Qwen3: inner 96 != 36
    dict(embed=30, heads=5, kv_heads=5, head_dim=12, qk_norm="layer"),  # LayerNorm QK-norm with bias
    dict(embed=32, heads=4, kv_heads=4, head_dim=8, buckets=32, scale=False, bias=False),  # T5
    dict(embed=42, heads=6, kv_heads=2, head_dim=7 * 2, rotary=14, out_bias=False),  # Qwen2: q/k/v bias, o none
    dict(embed=30, heads=3, kv_heads=3, head_dim=10, bias=False, out_bias=True),  # ViT with qkv_bias=False
]


@pytest.mark.parametrize("config", ATTENTION, ids=lambda c: "-".join(f"{k}{v}" for k, v in c.items()))
@pytest.mark.parametrize(("length", "batch"), [(7, 3), (1, 2)])
def test_attention_options_macs_and_params_equal_torch(torch_ref, config, length, batch):
    embed, heads, kv_heads, head_dim = (config[k] for k in ("embed", "heads", "kv_heads", "head_dim"))
    options = {k: config[k] for k in ("bias", "out_bias", "rotary", "qk_norm", "buckets", "scale") if k in config}
    with torch.device("meta"):
        module = Attention(embed, heads, kv_heads, head_dim, **options)
        x = torch.empty(batch, length, embed)
    out = module(x)
    ours = flops.MultiheadAttention(
        embed,
        heads,
        num_kv_heads=kv_heads,
        head_dim=head_dim,
        bias=config.get("bias", True),
        rotary_dim=config.get("rotary", 0),
        qk_norm=config.get("qk_norm"),
        relative_position_bias=config.get("buckets"),
        scale_scores=config.get("scale", True),
        out_bias=config.get("out_bias"),
    )
    report = _both([ours], (length, embed), batch)
    assert (report.params, report.macs) == torch_ref.measure(module, module, x)
    assert report.layers[0].output_shape == tuple(out.shape[1:])


def test_shared_relative_position_bias_has_no_parameters_but_still_adds():
    owner = flops.MultiheadAttention(32, 4, bias=False, relative_position_bias=32, scale_scores=False)
    reuser = flops.MultiheadAttention(
        32, 4, bias=False, relative_position_bias=32, relative_position_bias_shared=True, scale_scores=False
    )
    plain = flops.MultiheadAttention(32, 4, bias=False, scale_scores=False)
    counts = [_both([layer], (9, 32), 2) for layer in (owner, reuser, plain)]
    assert counts[0].params - counts[2].params == 32 * 4 and counts[1].params == counts[2].params
    assert counts[0].extra_flops == counts[1].extra_flops == counts[2].extra_flops + 2 * 4 * 9 * 9


def test_vit_patch_embedding_with_class_token_equals_torch(torch_ref):
    """Conv patches, flatten, transpose, class token (LearnedTokens), positions (AdditiveEmbedding), head."""
    with torch.device("meta"):
        module = nn.ModuleDict({"conv": nn.Conv2d(3, 24, 8, stride=8), "head": nn.Linear(24, 10)})
        module.cls, module.pos = nn.Parameter(torch.empty(1, 1, 24)), nn.Parameter(torch.empty(1, 17, 24))
        x = torch.empty(2, 3, 32, 32)

    def forward(t):
        t = module["conv"](t).flatten(2).transpose(1, 2)
        t = torch.cat([module.cls.expand(t.shape[0], -1, -1), t], dim=1) + module.pos
        return module["head"](t)

    out = forward(x)
    layers = [
        flops.Conv2d(3, 24, 8, stride=8),
        flops.Reshape([24, 16]),
        flops.Transpose(0, 1),
        flops.LearnedTokens(1, 24),
        flops.AdditiveEmbedding(17, 24),
        flops.Linear(24, 10),
    ]
    report = _both(layers, (3, 32, 32), 2)
    assert (report.params, report.macs) == torch_ref.measure(module, forward, x)
    assert report.layers[-1].output_shape == tuple(out.shape[1:])
    assert [row.macs for row in report.layers[1:5]] == [0, 0, 0, 0]


def test_convnext_permute_block_equals_torch(torch_ref):
    """ConvNeXt's channels-last MLP: permute (C, H, W) -> (H, W, C), LayerNorm, MLP, permute back."""
    with torch.device("meta"):
        dw, norm = nn.Conv2d(20, 20, 7, padding=3, groups=20), nn.LayerNorm(20)
        fc1, fc2 = nn.Linear(20, 80), nn.Linear(80, 20)
        module = nn.ModuleList([dw, norm, fc1, fc2])
        x = torch.empty(3, 20, 9, 11)

    def forward(t):
        t = dw(t).permute(0, 2, 3, 1)
        return fc2(F.gelu(fc1(norm(t)))).permute(0, 3, 1, 2)

    out = forward(x)
    layers = [
        flops.Conv2d(20, 20, 7, padding=3, groups=20),
        flops.Permute([1, 2, 0]),
        flops.LayerNorm(20),
        flops.Linear(20, 80),
        flops.GELU(),
        flops.Linear(80, 20),
        flops.Permute([-1, 0, 1]),
    ]
    report = _both(layers, (20, 9, 11), 3)
    assert (report.params, report.macs) == torch_ref.measure(module, forward, x)
    assert report.layers[-1].output_shape == tuple(out.shape[1:])


def test_parallel_residual_gpt_neox_block_equals_torch(torch_ref):
    """x + attn(ln1(x)) + mlp(ln2(x)) (GPT-NeoX use_parallel_residual), two Add nodes."""
    d, heads, length = 48, 6, 13
    with torch.device("meta"):
        ln1, ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        fc1, fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        x = torch.empty(2, length, d)
    attn = torch_ref.attention_block(d, heads)
    module = nn.ModuleList([ln1, ln2, fc1, fc2, attn])

    def forward(t):
        return t + torch_ref.attend(attn, ln1(t), causal=True) + fc2(F.gelu(fc1(ln2(t))))

    block = flops.ParallelResidual(
        [
            [flops.LayerNorm(d), flops.MultiheadAttention(d, heads, causal=True)],
            [flops.LayerNorm(d), flops.Linear(d, 4 * d), flops.GELU(), flops.Linear(4 * d, d)],
        ]
    )
    report = _both([block], (length, d), 2)
    assert (report.params, report.macs) == torch_ref.measure(module, forward, x)
    adds = [row for row in report.layers if row.type == "Add"]
    assert [row.name for row in adds] == ["0.add0", "0.add1"]
    assert sum(row.extra_flops for row in adds) == 2 * 2 * length * d
