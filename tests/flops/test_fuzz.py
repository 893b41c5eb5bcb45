"""Bad-input fuzz: random layer arguments give a consistent count or a ValueError naming the field.

Never a crash, a hang or a wrapped count: both backends agree, including on OverflowError.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from computelimits import flops

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
small = st.integers(min_value=-2, max_value=24)
huge = st.one_of(st.integers(min_value=1, max_value=64), st.integers(min_value=2**20, max_value=2**62 - 1))


def _check(build, shape, fields):
    """Build a one-layer model on ``shape`` and count it with both backends."""
    try:
        model = flops.Sequential([build()], input_shape=shape)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert any(field in message for field in fields + ["input_shape", "input shape", "an input of rank"]), message
        return
    except OverflowError:
        return  # shape inference already needs a count beyond 2^63 - 1: refused, not wrapped
    results = []
    for backend in ("cpp", "numpy"):
        try:
            results.append(flops.count(model, backend=backend))
        except OverflowError:
            results.append("overflow")
    assert results[0] == results[1]
    report = results[0]
    if report != "overflow":
        assert report.flops == 2 * report.macs + report.extra_flops
        for row in report.layers:
            assert (
                min(
                    row.macs,
                    row.extra_flops,
                    row.params,
                    row.backward_input_flops,
                    row.backward_weight_flops,
                    row.activations,
                )
                >= 0
            )
            assert max(row.macs, row.flops, row.backward_weight_flops) < 2**64


CONV_FIELDS = [
    "in_channels",
    "out_channels",
    "kernel_size",
    "stride",
    "padding",
    "dilation",
    "groups",
    "output_padding",
]


@SETTINGS
@given(
    dims=st.integers(1, 3),
    transposed=st.booleans(),
    ci=small,
    co=small,
    k=small,
    s=small,
    p=small,
    d=small,
    g=small,
    op=small,
    spatial=st.lists(st.integers(-1, 30), min_size=1, max_size=4),
)
def test_conv_fuzz(dims, transposed, ci, co, k, s, p, d, g, op, spatial):
    name = f"ConvTranspose{dims}d" if transposed else f"Conv{dims}d"
    kwargs = dict(in_channels=ci, out_channels=co, kernel_size=k, stride=s, padding=p, dilation=d, groups=g)
    if transposed:
        kwargs["output_padding"] = op
    _check(lambda: getattr(flops, name)(**kwargs), [max(ci, 1)] + spatial, CONV_FIELDS)


@SETTINGS
@given(
    dims=st.integers(1, 3),
    kind=st.sampled_from(["MaxPool", "AvgPool", "AdaptiveAvgPool", "AdaptiveMaxPool"]),
    k=small,
    s=st.one_of(st.none(), small),
    p=small,
    ceil=st.booleans(),
    out=small,
    spatial=st.lists(st.integers(-1, 30), min_size=1, max_size=4),
)
def test_pool_fuzz(dims, kind, k, s, p, ceil, out, spatial):
    if kind.startswith("Adaptive"):
        build = lambda: getattr(flops, f"{kind}{dims}d")(out)  # noqa: E731
    else:
        build = lambda: getattr(flops, f"{kind}{dims}d")(k, stride=s, padding=p, ceil_mode=ceil)  # noqa: E731
    _check(build, [3] + spatial, ["kernel_size", "stride", "padding", "output_size"])


@SETTINGS
@given(
    embed=small,
    heads=small,
    kv_heads=st.one_of(st.none(), small),
    head_dim=st.one_of(st.none(), small),
    window=st.one_of(st.none(), small),
    cache=st.one_of(st.none(), small),
    causal=st.booleans(),
    kv_len=st.one_of(st.none(), small),
    length=st.integers(-1, 20),
    exploit=st.booleans(),
)
def test_attention_fuzz(embed, heads, kv_heads, head_dim, window, cache, causal, kv_len, length, exploit):
    def build():
        return flops.MultiheadAttention(
            embed,
            heads,
            num_kv_heads=kv_heads,
            head_dim=head_dim,
            window=window,
            kv_cache=cache,
            causal=causal,
            kv_seq_len=kv_len,
        )

    _check(
        build,
        [length, max(embed, 1)],
        ["embed_dim", "num_heads", "num_kv_heads", "head_dim", "window", "kv_cache", "kv_seq_len", "kv_dim", "causal"],
    )


@SETTINGS
@given(
    kind=st.sampled_from(["RNN", "LSTM", "GRU", "Linear", "Embedding", "LayerNorm", "GroupNorm"]),
    a=huge,
    b=huge,
    layers=st.one_of(st.integers(1, 4), huge),
    length=huge,
)
def test_sizes_up_to_2_62_never_wrap(kind, a, b, layers, length):
    builds = {
        "RNN": (lambda: flops.RNN(a, b, num_layers=layers), [length, a]),
        "LSTM": (lambda: flops.LSTM(a, b, num_layers=layers, bidirectional=True), [length, a]),
        "GRU": (lambda: flops.GRU(a, b, num_layers=layers), [length, a]),
        "Linear": (lambda: flops.Linear(a, b), [length, a]),
        "Embedding": (lambda: flops.Embedding(a, b), [length]),
        "LayerNorm": (lambda: flops.LayerNorm(b), [length, b]),
        "GroupNorm": (lambda: flops.GroupNorm(1, b), [b, length]),
    }
    build, shape = builds[kind]
    _check(
        build,
        shape,
        [
            "input_size",
            "hidden_size",
            "num_layers",
            "in_features",
            "out_features",
            "num_embeddings",
            "embedding_dim",
            "normalized_shape",
            "num_channels",
        ],
    )


@SETTINGS
@given(layers=huge, d=st.sampled_from([64, 2**20, 2**30]), length=huge, vocab=huge)
def test_sweep_fuzz_backends_agree_or_both_overflow(layers, d, length, vocab):
    outcomes = []
    for backend in ("cpp", "numpy"):
        try:
            result = flops.sweep_transformer(layers, d, length, vocab, 1, backend=backend)
            outcomes.append(tuple(int(result[k][0]) for k in result.counts))
        except OverflowError:
            outcomes.append("overflow")
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            '{"type": "Sequential", "input_shape": [3], "layers": [{"type": "Linear", "in_features": 3}]}',
            "missing a required argument: 'out_features'",
        ),
        (
            '{"type": "Sequential", "input_shape": [3], "layers": [{"type": "Linear", "in_features": 3, '
            '"out_features": 2, "colour": 1}]}',
            "unexpected keyword argument 'colour'",
        ),
        ('{"type": "Sequential", "input_shape": [3], "layers": [], "extra": 1}', "unknown fields ['extra']"),
        (
            '{"type": "Graph", "inputs": {"x": [3]}, "nodes": [{"name": "a", "layer": {"type": "ReLU"}, '
            '"inputs": ["y"]}]}',
            "reads 'y'",
        ),
        ("[1, 2]", "type 'Sequential' or 'Graph'"),
        ("{not json", "not valid"),
    ],
)
def test_bad_json_names_the_problem(text, fragment):
    with pytest.raises((ValueError, TypeError)) as info:
        flops.load_model(text)
    assert fragment in str(info.value)


shapes = st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple)


@SETTINGS
@given(a=shapes, b=shapes, kind=st.sampled_from(["Matmul", "Add", "Mul"]))
def test_two_input_layers_follow_numpy_broadcasting(a, b, kind):
    import numpy as np

    graph = flops.Graph({"a": a, "b": b})
    reference = {"Matmul": np.matmul, "Add": np.add, "Mul": np.multiply}[kind]
    try:
        expected = reference(np.zeros(a), np.zeros(b)).shape
    except ValueError:
        with pytest.raises(ValueError, match="layer out"):
            graph.add(getattr(flops, kind)(), ["a", "b"], name="out")
        return
    graph.add(getattr(flops, kind)(), ["a", "b"], name="out")
    report = flops.count(graph)
    assert report == flops.count(graph, backend="numpy")
    assert report.layers[0].output_shape == expected
    if kind == "Matmul":
        a2, b2 = ((1,) + a if len(a) == 1 else a), (b + (1,) if len(b) == 1 else b)
        batch = np.broadcast_shapes(a2[:-2], b2[:-2])
        assert report.macs == int(np.prod(batch)) * a2[-2] * a2[-1] * b2[-1]


@SETTINGS
@given(
    kind=st.sampled_from(["Reshape", "Select", "Softmax", "Upsample", "ConcatLayer"]),
    shape=shapes,
    target=st.lists(st.integers(-2, 6), min_size=1, max_size=4),
    dim=st.integers(-5, 5),
    index=st.integers(-5, 5),
    scale=st.one_of(st.floats(-1, 5), st.just(float("nan")), st.just(float("inf"))),
    mode=st.sampled_from(["nearest", "bilinear"]),
)
def test_shape_layers_fuzz(kind, shape, target, dim, index, scale, mode):
    builds = {
        "Reshape": lambda: flops.Reshape(target),
        "Select": lambda: flops.Select(dim, index),
        "Softmax": lambda: flops.Softmax(dim),
        "Upsample": lambda: flops.Upsample(scale_factor=scale, mode=mode),
        "ConcatLayer": lambda: flops.ConcatLayer(dim),
    }
    _check(builds[kind], list(shape), ["shape", "dim", "index", "scale_factor", "mode", "spatial dims", "rank"])
