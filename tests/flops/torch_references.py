"""Pure-torch reference transformers for cross-checking the flops engine (the ``torch_ref`` fixture of conftest.py).

Every model here is built from stock ``torch.nn`` parts on ``torch.device("meta")``
(no storage is allocated, so GPT-3 175B costs nothing) and follows the published
layout it names:

* BERT: Hugging Face ``BertModel`` (Devlin et al. 2019; ``bert-base-uncased`` /
  ``bert-large-uncased`` configs): word (30522) + position (512) + token-type (2)
  embeddings and a LayerNorm, post-norm encoder layers (separate Q/K/V, output
  dense, LayerNorm, GELU FFN of width 4d, LayerNorm), tanh pooler on token 0.
* GPT-2: Hugging Face ``GPT2LMHeadModel`` (Radford et al. 2019): wte (50257),
  wpe (1024), pre-norm blocks with the fused ``c_attn`` (d -> 3d), ``c_proj``,
  a 4d GELU MLP, final ``ln_f`` and an LM head tied to wte (no bias).
* GPT-3: the GPT-2 layout with a 2048 context and the sizes of Brown et al.
  2020, Table 2.1 (every layer counted as dense attention; see docs/zoo.md).
* Transformer base/big: Vaswani et al. 2017 (post-norm 6+6 layers, ReLU FFN,
  sinusoidal positions without parameters, one 37000-token embedding shared by
  source, target and the bias-free pre-softmax projection).

Attention is written with explicit matmuls because ``FlopCounterMode`` counts
CPU scaled-dot-product attention as 0. ``measure`` returns (parameters, forward
MACs) with parameters counted once even when tied and MACs = FlopCounterMode
total / 2 (it counts mm/addmm/bmm/conv as 2 FLOP per MAC and nothing else).

torch is imported inside the functions only: importing this module never needs it.
"""

from __future__ import annotations

import functools
import math

# ---- published configurations (the sources are cited in docs/zoo.md) -------------------------

#: (layers, d_model, heads) of the Hugging Face BERT checkpoints; FFN width is 4 d.
BERT_SIZES = {"base": (12, 768, 12), "large": (24, 1024, 16)}
#: (layers, d_model, heads) of the Hugging Face GPT-2 checkpoints.
GPT2_SIZES = {"small": (12, 768, 12), "medium": (24, 1024, 16), "large": (36, 1280, 20), "xl": (48, 1600, 25)}
#: (layers, d_model, heads, d_head) from Brown et al. 2020, Table 2.1, with the attention width equal to
#: d_model as in GPT-2. Two rows of the table are inconsistent and are read as follows: XL prints 24 heads
#: x 128 = 3072 != d_model 2048, so we use 16 heads x 128 (head count changes neither parameters nor MACs
#: when heads x d_head = d_model); 13B prints d_model 5140, not 40 x 128, so we use 5120.
GPT3_SIZES = {
    "125M": (12, 768, 12, 64),
    "350M": (24, 1024, 16, 64),
    "760M": (24, 1536, 16, 96),
    "1.3B": (24, 2048, 16, 128),
    "2.7B": (32, 2560, 32, 80),
    "6.7B": (32, 4096, 32, 128),
    "13B": (40, 5120, 40, 128),
    "175B": (96, 12288, 96, 128),
}
#: (d_model, d_ff, heads) of Vaswani et al. 2017, Table 3 (6 encoder + 6 decoder layers).
TRANSFORMER_SIZES = {"base": (512, 2048, 8), "big": (1024, 4096, 16)}


# ---- building blocks ----------------------------------------------------------------------------


def _attention(nn, d, heads, *, fused=False, head_dim=None, kv_heads=None, kv_dim=None, bias=True):
    """Q/K/V/out projections (fused QKV as in GPT-2's c_attn when ``fused``)."""
    hd = head_dim or d // heads
    kvh = kv_heads or heads
    m = nn.ModuleDict()
    if fused:
        m["qkv"] = nn.Linear(d, (heads + 2 * kvh) * hd, bias=bias)
    else:
        m["q"] = nn.Linear(d, heads * hd, bias=bias)
        m["k"] = nn.Linear(kv_dim or d, kvh * hd, bias=bias)
        m["v"] = nn.Linear(kv_dim or d, kvh * hd, bias=bias)
    m["out"] = nn.Linear(heads * hd, d, bias=bias)
    m.heads, m.kv_heads, m.hd = heads, kvh, hd
    return m


def attend(m, x, memory=None, *, causal=False, cache=None):
    """Multi-head attention with explicit matmuls.

    ``memory`` makes it cross-attention; ``cache`` is a pair of cached (B, kv_heads,
    P, hd) key/value tensors that the new tokens' keys/values are appended to
    (a decode step). Grouped-query heads are shared with ``repeat_interleave``.
    """
    import torch

    b, lq, _ = x.shape
    h, kvh, hd = m.heads, m.kv_heads, m.hd
    if "qkv" in m:
        q, k, v = m["qkv"](x).split([h * hd, kvh * hd, kvh * hd], dim=-1)
    else:
        src = x if memory is None else memory
        q, k, v = m["q"](x), m["k"](src), m["v"](src)
    q = q.view(b, lq, h, hd).transpose(1, 2)
    k = k.view(b, -1, kvh, hd).transpose(1, 2)
    v = v.view(b, -1, kvh, hd).transpose(1, 2)
    if cache is not None:
        k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
    if kvh != h:
        k, v = k.repeat_interleave(h // kvh, dim=1), v.repeat_interleave(h // kvh, dim=1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(hd)
    if causal:
        lk = k.shape[2]
        keep = torch.ones(lq, lk, dtype=torch.bool, device=x.device).tril(lk - lq)
        scores = scores.masked_fill(~keep, float("-inf"))
    ctx = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, lq, h * hd)
    return m["out"](ctx)


def attention_block(d, heads, **kwargs):
    """A bare attention module (for GQA / decode-step checks)."""
    import torch

    with torch.device("meta"):
        return _attention(torch.nn, d, heads, **kwargs)


# ---- BERT -------------------------------------------------------------------------------------


def bert(size="base", pooler=True, vocab=30522, max_positions=512, type_vocab=2):
    """HF BertModel layout; returns (module, forward(ids))."""
    import torch
    from torch import nn

    layers, d, heads = BERT_SIZES[size]
    with torch.device("meta"):
        m = nn.ModuleDict(
            {
                "word": nn.Embedding(vocab, d),
                "position": nn.Embedding(max_positions, d),
                "token_type": nn.Embedding(type_vocab, d),
                "ln": nn.LayerNorm(d, eps=1e-12),
                "layers": nn.ModuleList(
                    nn.ModuleDict(
                        {
                            "attn": _attention(nn, d, heads),
                            "ln1": nn.LayerNorm(d, eps=1e-12),
                            "fc1": nn.Linear(d, 4 * d),
                            "fc2": nn.Linear(4 * d, d),
                            "ln2": nn.LayerNorm(d, eps=1e-12),
                        }
                    )
                    for _ in range(layers)
                ),
            }
        )
        if pooler:
            m["pooler"] = nn.Linear(d, d)

    def forward(ids):
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = m["ln"](m["word"](ids) + m["position"](pos) + m["token_type"](torch.zeros_like(ids)))
        for layer in m["layers"]:
            x = layer["ln1"](x + attend(layer["attn"], x))
            x = layer["ln2"](x + layer["fc2"](nn.functional.gelu(layer["fc1"](x))))
        if "pooler" in m:
            return x, torch.tanh(m["pooler"](x[:, 0]))
        return x

    return m, forward


# ---- GPT-2 / GPT-3 ----------------------------------------------------------------------------


def gpt(layers, d, heads, *, head_dim=None, context=1024, vocab=50257, lm_head=True, causal=True):
    """HF GPT2LMHeadModel layout (fused c_attn, pre-norm, ln_f, LM head tied to wte)."""
    import torch
    from torch import nn

    with torch.device("meta"):
        m = nn.ModuleDict(
            {
                "wte": nn.Embedding(vocab, d),
                "wpe": nn.Embedding(context, d),
                "blocks": nn.ModuleList(
                    nn.ModuleDict(
                        {
                            "ln_1": nn.LayerNorm(d),
                            "attn": _attention(nn, d, heads, fused=True, head_dim=head_dim),
                            "ln_2": nn.LayerNorm(d),
                            "c_fc": nn.Linear(d, 4 * d),
                            "c_proj": nn.Linear(4 * d, d),
                        }
                    )
                    for _ in range(layers)
                ),
                "ln_f": nn.LayerNorm(d),
            }
        )

    def forward(ids):
        pos = torch.arange(ids.shape[1], device=ids.device)
        x = m["wte"](ids) + m["wpe"](pos)
        for blk in m["blocks"]:
            x = x + attend(blk["attn"], blk["ln_1"](x), causal=causal)
            x = x + blk["c_proj"](nn.functional.gelu(blk["c_fc"](blk["ln_2"](x)), approximate="tanh"))
        x = m["ln_f"](x)
        return nn.functional.linear(x, m["wte"].weight) if lm_head else x

    return m, forward


def gpt2(size="small", lm_head=True):
    layers, d, heads = GPT2_SIZES[size]
    return gpt(layers, d, heads, context=1024, lm_head=lm_head)


def gpt3(size="175B"):
    layers, d, heads, hd = GPT3_SIZES[size]
    return gpt(layers, d, heads, head_dim=hd, context=2048)


# ---- Transformer (Vaswani et al. 2017) --------------------------------------------------------


def _sinusoid(torch, length, d, device):
    pos = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    inv = torch.exp(torch.arange(0, d, 2, device=device, dtype=torch.float32) * (-math.log(10000.0) / d))
    pe = torch.zeros(length, d, device=device)
    pe[:, 0::2] = torch.sin(pos * inv)
    pe[:, 1::2] = torch.cos(pos * inv)
    return pe


def transformer(size="base", vocab=37000, layers=6):
    """Post-norm encoder-decoder, shared embedding = pre-softmax projection; forward(src, tgt)."""
    import torch
    from torch import nn

    d, ff, heads = TRANSFORMER_SIZES[size]

    def ffn():
        return {"fc1": nn.Linear(d, ff), "fc2": nn.Linear(ff, d)}

    with torch.device("meta"):
        m = nn.ModuleDict(
            {
                "embed": nn.Embedding(vocab, d),
                "enc": nn.ModuleList(
                    nn.ModuleDict(
                        {"self": _attention(nn, d, heads), "ln1": nn.LayerNorm(d), **ffn(), "ln2": nn.LayerNorm(d)}
                    )
                    for _ in range(layers)
                ),
                "dec": nn.ModuleList(
                    nn.ModuleDict(
                        {
                            "self": _attention(nn, d, heads),
                            "ln1": nn.LayerNorm(d),
                            "cross": _attention(nn, d, heads),
                            "ln2": nn.LayerNorm(d),
                            **ffn(),
                            "ln3": nn.LayerNorm(d),
                        }
                    )
                    for _ in range(layers)
                ),
            }
        )

    def embed(ids):
        return m["embed"](ids) * math.sqrt(d) + _sinusoid(torch, ids.shape[1], d, ids.device)

    def forward(src, tgt):
        x = embed(src)
        for layer in m["enc"]:
            x = layer["ln1"](x + attend(layer["self"], x))
            x = layer["ln2"](x + layer["fc2"](torch.relu(layer["fc1"](x))))
        y = embed(tgt)
        for layer in m["dec"]:
            y = layer["ln1"](y + attend(layer["self"], y, causal=True))
            y = layer["ln2"](y + attend(layer["cross"], y, x))
            y = layer["ln3"](y + layer["fc2"](torch.relu(layer["fc1"](y))))
        return nn.functional.linear(y, m["embed"].weight)

    return m, forward


# ---- measurement ------------------------------------------------------------------------------


@functools.cache
def reference(kind, *lengths, **options):
    """Cached ``measure`` of ``kind`` ("bert", "gpt2", "gpt3", "transformer") at the token lengths given."""
    builders = {"bert": bert, "gpt2": gpt2, "gpt3": gpt3, "transformer": transformer}
    return measure(*builders[kind](**options), *tokens(*lengths))


def tokens(*lengths):
    """Batch-1 meta token-id tensors of the given lengths."""
    import torch

    return tuple(torch.zeros(1, n, dtype=torch.long, device="meta") for n in lengths)


def measure(module, forward, *inputs):
    """(parameters counted once, forward MACs) of ``forward(*inputs)`` under FlopCounterMode."""
    from torch.utils.flop_counter import FlopCounterMode

    params = sum(p.numel() for p in module.parameters())  # .parameters() yields a tied tensor once
    with FlopCounterMode(display=False) as counter:
        forward(*inputs)
    total = counter.get_total_flops()
    assert total % 2 == 0
    return params, total // 2


def causal_core_macs(embed_dim, heads, length):
    """MACs of causal scores + weighted values computed row by row (only the kept triangle).

    Row i multiplies q_i by the i+1 visible keys and its weights by the i+1 visible
    values, which is what a kernel that exploits the mask does; FlopCounterMode then
    counts exactly the lower triangle (diagonal included).
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    hd = embed_dim // heads
    q = torch.zeros(1, heads, length, hd, device="meta")
    with FlopCounterMode(display=False) as counter:
        for i in range(length):
            w = (q[:, :, i : i + 1] @ q[:, :, : i + 1].transpose(-2, -1)).softmax(-1)
            w @ q[:, :, : i + 1]
    return counter.get_total_flops() // 2


def forward_backward_macs(module, x):
    """(forward MACs, backward MACs) of ``module(x).sum().backward()`` under FlopCounterMode.

    ``x.requires_grad`` decides whether the first layer's input gradient is computed;
    parameters always require grad. torch counts mm/addmm/bmm/convolution(_backward) only.
    """
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        y = module(x)
        forward = counter.get_total_flops()
        y.sum().backward()
    total = counter.get_total_flops()
    return forward // 2, (total - forward) // 2
