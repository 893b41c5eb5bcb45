"""Bad-input fuzz for the transformer-era layers: a consistent count in both backends, or an error naming the field.

Same contract as test_fuzz.py: random (often invalid) arguments and shapes give either a
ValueError/TypeError naming a field or the input shape, an OverflowError in both
backends, or equal counts with no negative entry and FLOP = 2 MAC + extras.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.flops.test_fuzz import _check

from computelimits import flops

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small = st.integers(min_value=-2, max_value=24)
size = st.one_of(small, st.sampled_from([2**31, 2**61, 2**62 - 1, 2**62]))
activation = st.sampled_from(["silu", "gelu", "gelu_tanh", "relu", "swish", None, 1])


@SETTINGS
@given(embed=size, hidden=size, act=activation, bias=st.sampled_from([True, False, 1]), rows=size, batch=small)
def test_gated_mlp_fuzz(embed, hidden, act, bias, rows, batch):
    _check(
        lambda: flops.GatedMLP(embed, hidden, activation=act, bias=bias),
        [rows, embed if embed >= 1 else 3],
        ["embed_dim", "hidden_dim", "activation", "bias"],
    )


@SETTINGS
@given(
    embed=size,
    hidden=size,
    experts=small,
    top_k=small,
    act=activation,
    gated=st.booleans(),
    router=st.sampled_from(["softmax", "sigmoid", "hash"]),
    normalize=st.booleans(),
    shared=st.integers(-1, 3),
    width=st.one_of(st.none(), size),
    gate=st.booleans(),
    bias=st.booleans(),
    rows=size,
)
def test_mixture_fuzz(embed, hidden, experts, top_k, act, gated, router, normalize, shared, width, gate, bias, rows):
    def build():
        return flops.MixtureOfExperts(
            embed,
            hidden,
            experts,
            top_k,
            activation=act,
            gated=gated,
            router=router,
            normalize_top_k=normalize,
            num_shared_experts=shared,
            shared_hidden_dim=width,
            shared_expert_gate=gate,
            bias=bias,
        )

    fields = ["embed_dim", "expert_hidden_dim", "num_experts", "top_k", "activation", "router", "shared"]
    _check(build, [rows, embed if embed >= 1 else 3], fields)


@SETTINGS
@given(
    embed=small,
    heads=small,
    kv_heads=st.one_of(st.none(), small),
    head_dim=st.one_of(st.none(), small),
    rotary=small,
    qk_norm=st.sampled_from([None, "rms", "layer", "batch"]),
    across=st.booleans(),
    buckets=st.one_of(st.none(), small),
    shared=st.booleans(),
    scale=st.booleans(),
    causal=st.booleans(),
    length=st.integers(-1, 20),
)
def test_attention_options_fuzz(
    embed, heads, kv_heads, head_dim, rotary, qk_norm, across, buckets, shared, scale, causal, length
):
    def build():
        return flops.MultiheadAttention(
            embed,
            heads,
            num_kv_heads=kv_heads,
            head_dim=head_dim,
            causal=causal,
            rotary_dim=rotary,
            qk_norm=qk_norm,
            qk_norm_across_heads=across,
            relative_position_bias=buckets,
            relative_position_bias_shared=shared,
            scale_scores=scale,
        )

    fields = ["embed_dim", "num_heads", "num_kv_heads", "head_dim", "rotary_dim", "qk_norm", "relative_position_bias"]
    _check(build, [length, max(embed, 1)], fields)


shape = st.lists(st.one_of(st.integers(-1, 9), st.sampled_from([2**31, 2**61])), min_size=0, max_size=4)


@SETTINGS
@given(
    kind=st.sampled_from(["RotaryEmbedding", "Permute", "Transpose", "LearnedTokens"]),
    a=size,
    b=st.one_of(st.none(), size),
    dims=st.lists(st.integers(-5, 5), min_size=0, max_size=5),
    shape=shape,
)
def test_view_and_token_layers_fuzz(kind, a, b, dims, shape):
    builds = {
        "RotaryEmbedding": lambda: flops.RotaryEmbedding(a, rotary_dim=b),
        "Permute": lambda: flops.Permute(dims),
        "Transpose": lambda: flops.Transpose(a, 0 if b is None else b),
        "LearnedTokens": lambda: flops.LearnedTokens(a, 0 if b is None else b),
    }
    fields = ["head_dim", "rotary_dim", "dims", "dim0", "dim1", "num_tokens", "embedding_dim", "out of range"]
    _check(builds[kind], shape, fields)
