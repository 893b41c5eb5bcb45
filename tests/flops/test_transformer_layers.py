"""Transformer-era layers against closed forms and against their own parts.

A GatedMLP must count exactly what the catalogue gives for the Graph of its parts
(Linear gate, activation, Linear up, Mul, Linear down) in every column, under every
convention, forward and backward; a mixture of experts' routed part must equal a
GatedMLP over the T x top_k routed rows; the element-wise extras follow the formulas
of docs/flops.md written out here term by term. Both backends must agree exactly.
"""

import pytest

from computelimits import flops

CONVENTIONS = [
    flops.Convention(),
    flops.Convention.macs_only(),
    flops.Convention(bias=False),
    flops.Convention(activation=False),
    flops.Convention(elementwise=False),
    flops.Convention(softmax=False, normalization=False),
]
ACT_LAYER = {
    "silu": flops.SiLU,
    "gelu": flops.GELU,
    "gelu_tanh": lambda: flops.GELU(approximate="tanh"),
    "relu": flops.ReLU,
}


def _count(model, **kwargs):
    report = flops.count(model, **kwargs)
    assert report == flops.count(model, backend="numpy", **kwargs)
    return report


def _columns(report):
    keys = ("macs", "extra_flops", "params", "backward_input_flops", "backward_weight_flops", "activations")
    return {key: getattr(report, key) for key in keys}


def _gated_parts_graph(shape, embed, hidden, activation, bias, lead):
    graph = flops.Graph({"x": shape})
    source = "x"
    if lead:  # a layer with weights first, so the MLP's input needs a gradient
        source = graph.add(flops.Linear(embed, embed), ["x"], "lead")
    graph.add(flops.Linear(embed, hidden, bias=bias), [source], "gate")
    graph.add(ACT_LAYER[activation](), ["gate"], "act")
    graph.add(flops.Linear(embed, hidden, bias=bias), [source], "up")
    graph.add(flops.Mul(), ["act", "up"], "mul")
    graph.add(flops.Linear(hidden, embed, bias=bias), ["mul"], "down")
    return graph


@pytest.mark.parametrize("activation", sorted(ACT_LAYER))
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("lead", [False, True])
@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize("training", [False, True])
def test_gated_mlp_equals_the_graph_of_its_parts(activation, bias, lead, convention, training):
    shape, embed, hidden = (3, 5, 14), 14, 33
    parts = _gated_parts_graph(shape, embed, hidden, activation, bias, lead)
    fused = flops.Graph({"x": shape})
    source = fused.add(flops.Linear(embed, embed), ["x"], "lead") if lead else "x"
    fused.add(flops.GatedMLP(embed, hidden, activation=activation, bias=bias), [source], "mlp")
    for batch in (1, 4):
        ours = _count(fused, batch=batch, convention=convention, training=training)
        theirs = _count(parts, batch=batch, convention=convention, training=training)
        assert _columns(ours) == _columns(theirs)
        assert ours.active_params == ours.params


def _moe_config(**changes):
    config = dict(embed=20, hidden=12, experts=7, top_k=3, activation="silu", gated=True, bias=True)
    config.update(changes)
    return config


def _moe(config, **extra):
    return flops.MixtureOfExperts(
        config["embed"],
        config["hidden"],
        config["experts"],
        config["top_k"],
        activation=config["activation"],
        gated=config["gated"],
        bias=config["bias"],
        **extra,
    )


@pytest.mark.parametrize("gated", [True, False])
def test_routed_experts_equal_a_mlp_over_the_routed_rows(gated):
    """MoE - router terms == the expert MLP applied to T x top_k rows (plus weighting and combine adds)."""
    config = _moe_config(gated=gated, activation="gelu")
    tokens, e, x, k = 11, config["embed"], config["experts"], config["top_k"]
    moe = _count(flops.Sequential([_moe(config)], input_shape=(tokens, e)))
    if gated:
        expert = flops.GatedMLP(e, config["hidden"], activation="gelu", bias=True)
        mlp = _count(flops.Sequential([expert], input_shape=(tokens * k, e)))
    else:
        layers = [flops.Linear(e, config["hidden"]), flops.GELU(), flops.Linear(config["hidden"], e)]
        mlp = _count(flops.Sequential(layers, input_shape=(tokens * k, e)))
    assert moe.macs - tokens * e * x == mlp.macs
    router_extras = 5 * tokens * x + k * tokens * x  # softmax, top-k selection
    combine = tokens * k * e + tokens * (k - 1) * e  # routing-weight multiply, sum of the k outputs
    assert moe.extra_flops - router_extras - combine == mlp.extra_flops
    assert moe.backward_weight_flops - 2 * tokens * e * x == mlp.backward_weight_flops
    expert_params = mlp.params
    assert moe.params == e * x + x * expert_params
    assert moe.active_params == e * x + k * expert_params


def test_mixture_extras_closed_form_with_every_option():
    """Softmax router, normalized top-k, shared expert with a sigmoid gate, biases: docs/flops.md term by term."""
    t, e, h, x, k, s = 9, 16, 10, 6, 2, 24
    layer = flops.MixtureOfExperts(
        e, h, x, k, normalize_top_k=True, num_shared_experts=2, shared_hidden_dim=s, shared_expert_gate=True, bias=True
    )
    report = _count(flops.Sequential([layer], input_shape=(t, e)), batch=3)
    n = 3 * t
    routed = n * k
    expert = 2 * routed * h + routed * e + routed * h * 4 + routed * h  # bias, silu (4), gate x up
    shared = 2 * n * s + n * e + n * s * 4 + n * s
    extras = 5 * n * x + k * n * x + 2 * routed + expert + routed * e + n * (k - 1) * e + shared
    extras += 3 * n + n * e + n * e  # gate sigmoid, gate x shared output, routed + shared
    assert report.extra_flops == extras
    assert report.macs == n * (e * x + 3 * k * e * h + 3 * e * s + e)
    per_expert = 3 * e * h + 2 * h + e
    always = e * x + (3 * e * s + 2 * s + e) + e
    assert (report.params, report.active_params) == (always + x * per_expert, always + k * per_expert)


def test_sigmoid_router_counts_an_activation_not_a_softmax():
    config = _moe_config()
    shape = (5, config["embed"])
    soft = _count(flops.Sequential([_moe(config)], input_shape=shape), convention=flops.Convention(softmax=False))
    sig = _count(
        flops.Sequential([_moe(config, router="sigmoid")], input_shape=shape),
        convention=flops.Convention(softmax=False),
    )
    assert sig.extra_flops - soft.extra_flops == 3 * 5 * config["experts"]


def test_rotary_extras_standalone_and_inside_attention():
    d, heads, kv_heads, hd, r, length = 48, 6, 2, 8, 4, 7
    graph = flops.Graph({"q": (length, heads, hd)})
    graph.add(flops.RotaryEmbedding(hd, rotary_dim=r), ["q"])
    standalone = _count(graph, batch=2)
    assert (standalone.macs, standalone.extra_flops, standalone.params) == (0, 3 * 2 * length * heads * r, 0)
    assert _count(graph, convention=flops.Convention(elementwise=False)).extra_flops == 0
    plain = flops.MultiheadAttention(d, heads, num_kv_heads=kv_heads, head_dim=hd)
    rotated = flops.MultiheadAttention(d, heads, num_kv_heads=kv_heads, head_dim=hd, rotary_dim=r)
    lead = flops.Linear(d, d)  # so the attention's input needs a gradient
    a, b = (_count(flops.Sequential([lead, layer], input_shape=(length, d)), batch=2) for layer in (plain, rotated))
    rope = 3 * 2 * length * (heads + kv_heads) * r
    assert (b.macs, b.params) == (a.macs, a.params)
    assert b.extra_flops - a.extra_flops == rope
    assert b.backward_input_flops - a.backward_input_flops == rope


@pytest.mark.parametrize(
    ("norm", "bias", "per_element", "grad", "width"),
    [("rms", True, 4, 2, 1), ("layer", True, 7, 3, 2), ("layer", False, 6, 2, 1)],
)
@pytest.mark.parametrize("across_heads", [False, True])
def test_qk_norm_extras_and_params(norm, bias, per_element, grad, width, across_heads):
    d, heads, kv_heads, hd, length = 40, 4, 2, 12, 5
    kwargs = dict(num_kv_heads=kv_heads, head_dim=hd, bias=bias)
    a = _count(flops.Sequential([flops.MultiheadAttention(d, heads, **kwargs)], input_shape=(length, d)))
    layer = flops.MultiheadAttention(d, heads, qk_norm=norm, qk_norm_across_heads=across_heads, **kwargs)
    b = _count(flops.Sequential([layer], input_shape=(length, d)))
    normed = length * (heads + kv_heads) * hd
    assert b.extra_flops - a.extra_flops == per_element * normed
    assert b.backward_weight_flops - a.backward_weight_flops == grad * normed
    assert b.activations - a.activations == normed
    norm_width = (heads + kv_heads) * hd if across_heads else 2 * hd
    assert b.params - a.params == width * norm_width
    assert b.macs == a.macs


def test_unscaled_scores_drop_one_flop_per_score():
    base = dict(embed_dim=32, num_heads=4, bias=False)
    scaled = _count(flops.Sequential([flops.MultiheadAttention(**base)], input_shape=(9, 32)))
    plain = _count(flops.Sequential([flops.MultiheadAttention(**base, scale_scores=False)], input_shape=(9, 32)))
    assert scaled.extra_flops - plain.extra_flops == 4 * 9 * 9
    assert scaled.macs == plain.macs


def test_learned_tokens_and_views():
    model = flops.Sequential(
        [flops.LearnedTokens(2, 8), flops.Transpose(0, 1), flops.Permute([1, 0]), flops.LearnedTokens(1, 8)],
        input_shape=(5, 8),
    )
    report = _count(model, batch=3, training=True)
    assert [row.output_shape for row in report.layers] == [(7, 8), (8, 7), (7, 8), (8, 8)]
    assert (report.macs, report.extra_flops, report.params) == (0, 0, 3 * 8)
    assert report.backward_weight_flops == 3 * (2 * 8 + 1 * 8)
    assert [row.activations for row in report.layers] == [3 * 56, 0, 0, 3 * 64]


@pytest.mark.parametrize("convention", CONVENTIONS[:2])
def test_parallel_residual_with_one_branch_counts_as_a_residual(convention):
    body = [flops.LayerNorm(16), flops.Linear(16, 16), flops.GELU()]
    shortcut = [flops.Linear(16, 16, bias=False)]
    for short in (None, shortcut):
        a = flops.Sequential([flops.Linear(16, 16), flops.Residual(body, short)], input_shape=(6, 16))
        b = flops.Sequential([flops.Linear(16, 16), flops.ParallelResidual([body], short)], input_shape=(6, 16))
        assert _columns(_count(a, convention=convention)) == _columns(_count(b, convention=convention))


def test_parallel_residual_adds_branches_then_shortcut():
    block = flops.ParallelResidual([[flops.Linear(8, 8)], [flops.ReLU()], []], shortcut=[flops.Linear(8, 8)])
    report = _count(flops.Sequential([block], input_shape=(3, 8)))
    names = [row.name for row in report.layers]
    assert names == ["0.branch0.0", "0.branch1.0", "0.shortcut.0", "0.add0", "0.add1", "0.add2"]
    model = flops.Sequential([block], input_shape=(3, 8))
    assert [node.inputs for node in model.nodes[3:]] == [(0, 1), (3, -1), (4, 2)]


NEW_LAYERS = [
    flops.GatedMLP(12, 20, activation="gelu_tanh", bias=True),
    flops.MixtureOfExperts(12, 8, 4, 2, router="sigmoid", normalize_top_k=True, num_shared_experts=1),
    flops.MultiheadAttention(12, 3, rotary_dim=2, qk_norm="layer", relative_position_bias=8, scale_scores=False),
    flops.Permute([1, 0]),
    flops.Transpose(-1, 0),
    flops.LearnedTokens(3, 12),
    flops.GELU(approximate="tanh"),
]


def test_new_layers_and_blocks_round_trip_through_json(tmp_path):
    layers = [*NEW_LAYERS, flops.ParallelResidual([[flops.RMSNorm(12)], flops.Sequential([flops.SiLU()])])]
    model = flops.Sequential(layers, input_shape=(5, 12), name="new")
    text = model.to_json()
    again = flops.load_model(text)
    assert again == model and again.to_json() == text
    path = tmp_path / "model.json"
    flops.save_model(again, path)
    assert path.read_text() == text
    assert _count(again) == _count(model)
    graph = flops.Graph({"x": (5, 12)})
    graph.add(flops.ParallelResidual([[flops.Linear(12, 12)]] * 2, shortcut=[flops.Identity()]), ["x"], "block")
    assert flops.load_model(graph.to_json()).to_json() == graph.to_json()


def test_active_params_equal_params_without_experts_and_in_the_table():
    report = _count(flops.zoo.resnet18())
    assert report.active_params == report.params
    frame = report.to_frame()
    assert list(frame["active_params"]) == list(frame["params"])
    assert report.to_dict()["active_params"] == report.params


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: flops.MixtureOfExperts(8, 8, 4, 5), "top_k"),
        (lambda: flops.MixtureOfExperts(8, 8, 4, 2, shared_expert_gate=True), "shared_expert_gate"),
        (lambda: flops.MixtureOfExperts(8, 8, 4, 2, shared_hidden_dim=16), "shared_hidden_dim"),
        (lambda: flops.MixtureOfExperts(8, 8, 4, 2, router="hash"), "router"),
        (lambda: flops.MixtureOfExperts(8, 8, 4, 0), "top_k"),
        (lambda: flops.GatedMLP(8, 8, activation="swish"), "activation"),
        (lambda: flops.GatedMLP(8, -1), "hidden_dim"),
        (lambda: flops.MultiheadAttention(8, 2, rotary_dim=3), "rotary_dim"),
        (lambda: flops.MultiheadAttention(8, 2, rotary_dim=6), "rotary_dim"),
        (lambda: flops.MultiheadAttention(8, 2, qk_norm="batch"), "qk_norm"),
        (lambda: flops.MultiheadAttention(8, 2, relative_position_bias_shared=True), "relative_position_bias"),
        (lambda: flops.MultiheadAttention(8, 2, relative_position_bias=0), "relative_position_bias"),
        (lambda: flops.RotaryEmbedding(8, rotary_dim=10), "rotary_dim"),
        (lambda: flops.Permute([0, 0]), "dims"),
        (lambda: flops.Permute("01"), "dims"),
        (lambda: flops.Transpose(0, 99), "dim1"),
        (lambda: flops.LearnedTokens(0, 8), "num_tokens"),
        (lambda: flops.GELU(approximate=True), "approximate"),
        (lambda: flops.ParallelResidual([]), "branches"),
    ],
)
def test_bad_arguments_name_the_field(build, field):
    with pytest.raises((ValueError, TypeError), match=field):
        build()


@pytest.mark.parametrize(
    ("layer", "shape", "message"),
    [
        (flops.GatedMLP(8, 4), (3, 7), "embed_dim=8"),
        (flops.RotaryEmbedding(8), (3, 6), "head_dim=8"),
        (flops.Permute([1, 0]), (2, 3, 4), "entries"),
        (flops.Transpose(0, 3), (2, 3, 4), "out of range"),
        (flops.LearnedTokens(1, 8), (3, 8, 1), "rank 2"),
    ],
)
def test_shape_mismatches_name_the_layer(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        flops.Sequential([layer], input_shape=shape)


def mixtral_8x7b(seq_len):
    """Mixtral-8x7B from its published configuration (Jiang et al. 2024; config.json of
    mistralai/Mixtral-8x7B-v0.1): vocab 32000, width 4096, 32 layers, 32 query and 8 key/value
    heads of 128, RMSNorm, full rotary, 8 SwiGLU experts of 14336, top 2, untied LM head."""
    blocks = []
    for _ in range(32):
        attention = flops.MultiheadAttention(4096, 32, num_kv_heads=8, causal=True, bias=False, rotary_dim=128)
        blocks.append(flops.Residual([flops.RMSNorm(4096), attention]))
        blocks.append(flops.Residual([flops.RMSNorm(4096), flops.MixtureOfExperts(4096, 14336, 8, 2)]))
    layers = [flops.Embedding(32000, 4096), *blocks, flops.RMSNorm(4096), flops.Linear(4096, 32000, bias=False)]
    return flops.Sequential(layers, input_shape=(seq_len,), name="mixtral_8x7b")


def test_mixtral_8x7b_has_the_published_parameter_counts():
    """46,702,792,704 parameters, 12,879,925,248 active per token (issue 9; Mistral AI's release figures)."""
    report = _count(mixtral_8x7b(37), batch=3)
    assert (report.params, report.active_params) == (46_702_792_704, 12_879_925_248)
    # every active weight but the embedding table and the norms is read once per token,
    # plus QK^T and weights x V over the full 37 x 37 score matrix in each layer
    weights = report.active_params - 32000 * 4096 - 65 * 4096
    assert report.macs == 3 * (37 * weights + 32 * 2 * 37 * 37 * 4096)
