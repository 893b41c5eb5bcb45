"""Attention variants (GQA, decode step, sliding window, cross-attention) against closed forms and torch.

Closed forms (d model width, h heads, g key/value heads, e head width, L length,
P cached positions), docs/flops.md "Attention", the projections as linear layers:
projections L d h e (Q) + 2 L d g e (K, V) + L h e d (out); scores + weighted values
2 x pairs x h e, pairs = L^2 full, sum_i min(i + 1, w) causal band, P + 1 for a
decode step. The torch side is conftest.attend with explicit matmuls.
"""

import pytest

from computelimits import flops


def _closed_form(d, h, g, e, length, pairs, kv_rows=None, kv_dim=None, bias=True):
    kv_rows = length if kv_rows is None else kv_rows
    kv_dim = d if kv_dim is None else kv_dim
    macs = length * d * h * e + 2 * kv_rows * kv_dim * g * e + length * h * e * d + 2 * pairs * h * e
    params = d * h * e + 2 * kv_dim * g * e + h * e * d + ((h * e + 2 * g * e + d) if bias else 0)
    return macs, params


def _count(layer, shape):
    return flops.count(flops.Sequential([layer], input_shape=shape))


@pytest.mark.parametrize(
    ("d", "h", "g", "e", "length"), [(512, 8, 2, 64, 33), (4096, 32, 8, 128, 16), (256, 4, 1, 64, 5), (96, 6, 6, 16, 9)]
)
def test_grouped_query_attention(torch_ref, d, h, g, e, length):
    report = _count(flops.MultiheadAttention(d, h, num_kv_heads=g, head_dim=e), (length, d))
    assert (report.macs, report.params) == _closed_form(d, h, g, e, length, length * length)
    block = torch_ref.attention_block(d, h, kv_heads=g, head_dim=e)
    x = torch_ref.tokens(1)[0].new_zeros(1, length, d, dtype=block["q"].weight.dtype)
    assert torch_ref.measure(block, lambda t: torch_ref.attend(block, t), x) == (report.params, report.macs)


@pytest.mark.parametrize(("d", "h", "g", "cached"), [(768, 12, 12, 0), (768, 12, 12, 1023), (4096, 32, 8, 4095)])
def test_decode_step(torch_ref, d, h, g, cached):
    e = d // h
    report = _count(flops.MultiheadAttention(d, h, num_kv_heads=g, kv_cache=cached, causal=True), (1, d))
    assert (report.macs, report.params) == _closed_form(d, h, g, e, 1, cached + 1)
    block = torch_ref.attention_block(d, h, kv_heads=g)
    x = torch_ref.tokens(1)[0].new_zeros(1, 1, d, dtype=block["q"].weight.dtype)
    cache = (x.new_zeros(1, g, cached, e), x.new_zeros(1, g, cached, e))
    got = torch_ref.measure(block, lambda t: torch_ref.attend(block, t, causal=True, cache=cache), x)
    assert got == (report.params, report.macs)


def test_decode_steps_sum_to_causal_prefill():
    """Generating L tokens one at a time costs the causal lower triangle (diagonal included)."""
    d, h, length = 256, 4, 20
    steps = sum(_count(flops.MultiheadAttention(d, h, kv_cache=p), (1, d)).macs for p in range(length))
    exploit = flops.Convention(exploit_causal_mask=True)
    prefill = flops.count(
        flops.Sequential([flops.MultiheadAttention(d, h, causal=True)], input_shape=(length, d)), convention=exploit
    )
    assert steps == prefill.macs


@pytest.mark.parametrize(("length", "window"), [(1, 1), (10, 3), (64, 64), (100, 17), (33, 200)])
def test_sliding_window_pairs(length, window):
    d, h = 64, 4
    layer = flops.MultiheadAttention(d, h, causal=True, window=window)
    exploit = flops.Convention(exploit_causal_mask=True)
    report = flops.count(flops.Sequential([layer], input_shape=(length, d)), convention=exploit)
    pairs = sum(min(i + 1, window) for i in range(length))  # brute force over query rows
    assert report.macs == _closed_form(d, h, h, d // h, length, pairs)[0]
    # off by default: the full square is counted
    assert (
        flops.count(flops.Sequential([layer], input_shape=(length, d))).macs
        == _closed_form(d, h, h, d // h, length, length * length)[0]
    )


def test_cross_attention_memory_input_equals_kv_seq_len(torch_ref):
    d, kv_dim, h, lq, lk = 128, 96, 4, 7, 19
    alone = _count(flops.MultiheadAttention(d, h, kv_dim=kv_dim, kv_seq_len=lk), (lq, d))
    g = flops.Graph({"x": (lq, d), "memory": (lk, kv_dim)})
    g.add(flops.MultiheadAttention(d, h, kv_dim=kv_dim), ["x", "memory"])
    graph = flops.count(g)
    e = d // h
    expected = _closed_form(d, h, h, e, lq, lq * lk, kv_rows=lk, kv_dim=kv_dim)
    assert (alone.macs, alone.params) == (graph.macs, graph.params) == expected
    block = torch_ref.attention_block(d, h, kv_dim=kv_dim)
    x = torch_ref.tokens(1)[0].new_zeros(1, lq, d, dtype=block["q"].weight.dtype)
    memory = x.new_zeros(1, lk, kv_dim)
    got = torch_ref.measure(block, lambda t: torch_ref.attend(block, t, memory), x)
    assert got == (alone.params, alone.macs)


def test_torch_counts_cpu_sdpa_as_zero(torch_ref):
    """Peer defect (docs/flops.md, "Peers"): FlopCounterMode counts CPU scaled_dot_product_attention as 0.

    Explicit matmuls on the same tensors give 2 L^2 d MACs, the engine's attention-core term.
    """
    torch = pytest.importorskip("torch")
    from torch.utils.flop_counter import FlopCounterMode

    length, h, e = 16, 4, 8
    q = torch.zeros(1, h, length, e)  # real CPU tensors
    with FlopCounterMode(display=False) as sdpa:
        torch.nn.functional.scaled_dot_product_attention(q, q, q)
    with FlopCounterMode(display=False) as explicit:
        (q @ q.transpose(-2, -1)).softmax(-1) @ q
    assert sdpa.get_total_flops() == 0
    ours = _count(flops.MultiheadAttention(h * e, h), (length, h * e)).macs - 4 * length * (h * e) ** 2
    assert explicit.get_total_flops() // 2 == ours == 2 * length * length * h * e


def _attention_from_primitives(length, embed, heads, kv_heads, head_dim, bias, out_bias, rotary):
    """Q/K/V/out projections, RoPE, grouped scores, a scale multiply, softmax and weighted values, each a
    catalogue primitive (how Qwen2 and bias-free-ViT attention were built before ``out_bias``)."""
    g = flops.Graph({"x": (length, embed), "scale": (1,)})
    q = g.add(flops.Linear(embed, heads * head_dim, bias=bias), ["x"], "q")
    k = g.add(flops.Linear(embed, kv_heads * head_dim, bias=bias), ["x"], "k")
    v = g.add(flops.Linear(embed, kv_heads * head_dim, bias=bias), ["x"], "v")
    split = []
    for name, count in ((q, heads), (k, kv_heads), (v, kv_heads)):
        t = g.add(flops.Reshape([length, count, head_dim]), [name], f"{name}_heads")
        split.append(g.add(flops.Transpose(0, 1), [t], f"{name}_first"))
    q, k, v = split
    if rotary:
        q = g.add(flops.RotaryEmbedding(head_dim, rotary), [q], "q_rope")
        k = g.add(flops.RotaryEmbedding(head_dim, rotary), [k], "k_rope")
    q = g.add(flops.Reshape([kv_heads, heads // kv_heads, length, head_dim]), [q], "q_groups")
    k = g.add(flops.Reshape([kv_heads, 1, head_dim, length]), [g.add(flops.Transpose(1, 2), [k], "k_t")], "k_groups")
    scores = g.add(flops.Mul(), [g.add(flops.Matmul(), [q, k], "scores"), "scale"], "scaled")
    weights = g.add(flops.Softmax(-1), [scores], "softmax")
    v = g.add(flops.Reshape([kv_heads, 1, length, head_dim]), [v], "v_groups")
    context = g.add(flops.Reshape([heads, length, head_dim]), [g.add(flops.Matmul(), [weights, v], "ctx")], "c")
    context = g.add(flops.Reshape([length, heads * head_dim]), [g.add(flops.Transpose(0, 1), [context], "t")], "m")
    g.add(flops.Linear(heads * head_dim, embed, bias=out_bias), [context], "o")
    return g


@pytest.mark.parametrize(
    ("embed", "heads", "kv_heads", "head_dim", "bias", "out_bias", "rotary", "length"),
    [(42, 6, 2, 14, True, False, 14, 9), (30, 3, 3, 10, False, True, 0, 5), (64, 8, 1, 16, True, True, 8, 3)],
)
def test_split_biases_count_what_the_primitives_count(embed, heads, kv_heads, head_dim, bias, out_bias, rotary, length):
    """``out_bias`` (Qwen2: q/k/v biased, output not; ViT qkv_bias=False: the reverse) counts the MACs,
    FLOPs and parameters of the same attention written with primitives; each bias is E or inner wide."""
    layer = flops.MultiheadAttention(
        embed, heads, num_kv_heads=kv_heads, head_dim=head_dim, bias=bias, out_bias=out_bias, rotary_dim=rotary
    )
    ours = flops.count(flops.Sequential([layer], input_shape=(length, embed)), batch=2)
    for backend in ("cpp", "numpy"):
        parts = flops.count(
            _attention_from_primitives(length, embed, heads, kv_heads, head_dim, bias, out_bias, rotary),
            batch=2,
            backend=backend,
        )
        assert (ours.macs, ours.flops, ours.params) == (parts.macs, parts.flops, parts.params)
    inner, kv_inner = heads * head_dim, kv_heads * head_dim
    full = flops.MultiheadAttention(embed, heads, num_kv_heads=kv_heads, head_dim=head_dim, rotary_dim=rotary)
    both = flops.count(flops.Sequential([full], input_shape=(length, embed)), batch=2)
    missing = (0 if bias else inner + 2 * kv_inner) + (0 if out_bias else embed)
    assert both.params - ours.params == missing
    assert both.flops - ours.flops == 2 * length * missing  # one add per biased output element


def test_out_bias_defaults_to_bias_and_round_trips():
    layer = flops.MultiheadAttention(16, 2, bias=False)
    assert layer.record()[1][-1] == 0 and flops.MultiheadAttention(16, 2).record()[1][-1] == 1
    split = flops.MultiheadAttention(16, 2, bias=True, out_bias=False)
    assert flops.layer_from_dict(split.to_dict()) == split and split.to_dict()["out_bias"] is False
    with pytest.raises(TypeError, match=r"MultiheadAttention\.out_bias must be True or False, got 1"):
        flops.MultiheadAttention(16, 2, out_bias=1)
