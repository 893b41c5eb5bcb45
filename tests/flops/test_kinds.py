"""One kind list per language, held equal; the C++ core validates the records it is given.

The private binding ``_core.flops.evaluate_model`` is reachable from Python with any
integers, so the core checks every record itself (issue 13, item 13): a stride of 0
must raise, not divide by zero; negative shapes must raise; every field of every kind
is range-checked. Raw random records must get the same answer from the C++ core and
the twin: the same counts, or the same exception type (and, for refused records, the
same message).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from computelimits import _core, flops
from computelimits.flops import _twin
from computelimits.flops._layer_base import _REGISTRY, KINDS

Kind = _core.flops.Kind


def test_the_python_and_cpp_kind_lists_agree():
    assert list(KINDS) == _core.flops.kind_names()
    assert list(Kind.__members__) == list(KINDS)
    assert [int(member) for member in Kind.__members__.values()] == list(range(len(KINDS)))


def test_every_kind_has_a_layer_class():
    encoded = set()
    for name in flops.layer_types():
        cls = _REGISTRY[name]
        required = [p for p in cls.__signature__.parameters.values() if p.default is p.empty]
        if not required and name != "Upsample":  # Upsample needs one of size and scale_factor
            encoded.add(cls().encode()[0])
    samples = [
        flops.Linear(2, 3),
        flops.Conv2d(1, 1, 1),
        flops.ConvTranspose1d(1, 1, 1),
        flops.BatchNorm1d(2),
        flops.LayerNorm(2),
        flops.GroupNorm(1, 2),
        flops.RMSNorm(2),
        flops.MaxPool1d(2),
        flops.AvgPool1d(2),
        flops.AdaptiveAvgPool1d(2),
        flops.AdaptiveMaxPool1d(2),
        flops.Embedding(2, 2),
        flops.AdditiveEmbedding(2, 2),
        flops.MultiheadAttention(2, 1),
        flops.RNN(2, 2),
        flops.LSTM(2, 2),
        flops.GRU(2, 2),
        flops.Upsample(2),
        flops.Reshape([-1]),
        flops.GatedMLP(2, 2),
        flops.MixtureOfExperts(2, 2, 2, 1),
        flops.RotaryEmbedding(2),
        flops.Permute([0]),
        flops.Transpose(0, 0),
        flops.LearnedTokens(1, 2),
        flops.LearnedScale([2]),
    ]
    encoded |= {layer.encode()[0] for layer in samples}
    assert encoded == set(range(len(KINDS)))


def _cpp(input_shapes, kind, args, inputs, batch=1, flags=0):
    return _core.flops.evaluate_model(input_shapes, [Kind(kind)], [args], [inputs], batch, flags)


def _twin_rows(input_shapes, kind, args, inputs, batch=1, flags=0):
    rows = []
    for node, backward in _twin.evaluate_model(input_shapes, [(kind, args, inputs)], batch, flags):
        rows.append(
            (
                list(node.shape),
                node.macs,
                node.extra,
                node.params,
                node.active_params,
                backward,
                node.bwd_weight,
                node.activations,
            )
        )
    return rows


def _outcome(function, *args):
    try:
        return ("ok", [tuple(row) for row in function(*args)])
    except (ValueError, OverflowError) as error:
        return (type(error).__name__, str(error))


def _agree(*args):
    cpp, twin = _outcome(_cpp, *args), _outcome(_twin_rows, *args)
    assert cpp[0] == twin[0], (cpp, twin)
    refused = cpp[0] != "ok" and (
        "record:" in cpp[1]
        or cpp[1].startswith(("unknown layer kind", "input shape", "output shape", "batch must", "flags="))
    )
    if cpp[0] == "ok" or refused:
        assert cpp == twin
    return cpp


def test_stride_zero_raises_instead_of_dividing_by_zero():
    conv = [2, 3, 4, 1, 1, 3, 3, 0, 0, 0, 0, 1, 1]  # Conv2d(3, 4, 3, stride=0)
    assert _agree([[3, 8, 8]], KINDS.index("Conv"), conv, [-1]) == (
        "ValueError",
        "Conv record: stride=0 must be in [1, 2^62)",
    )
    pool = [1, 0, 2, 0, 0]  # MaxPool1d(2, stride=0)
    assert _agree([[3, 8]], KINDS.index("MaxPool"), pool, [-1])[1] == "MaxPool record: stride=0 must be in [1, 2^62)"


@pytest.mark.parametrize(
    ("kind", "args", "shape", "fragment"),
    [
        ("ReLU", [], [-3, 8], "input shape (-3, 8) has a size outside [1, 2^62)"),
        ("Reshape", [-5, -1], [3, 8], "Reshape record: shape=-5"),
        ("Reshape", [-1, -1], [3, 8], "-1 at most once"),
        ("Linear", [8, -4, 1, 0], [3, 8], "out_features=-4"),
        ("Linear", [8, 4, 2, 0], [3, 8], "bias=2 must be 0 or 1"),
        ("Embedding", [0, 4, 0], [3], "num_embeddings=0"),
        ("MultiheadAttention", [8, 3, 3, 2, 8, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, 1, 1], [3, 8], None),
        ("MultiheadAttention", [8, 2, 3, 4, 8, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, 1, 1], [3, 8], "num_kv_heads=3"),
        ("MultiheadAttention", [8, 2, 2, 4, 8, 0, 0, 0, -2, 1, 0, 0, 0, 0, 0, 1, 1], [3, 8], "kv_cache=-2"),
        ("MixtureOfExperts", [8, 4, 2, 3, 0, 1, 0, 0, 0, 0, 0, 0], [3, 8], "top_k=3 exceeds num_experts=2"),
        ("GatedMLP", [8, 4, 4, 0], [3, 8], "activation=4"),
        ("Upsample", [0, 1, 4, 2, 2, 2, 2], [3, 8], "entries=4"),
        ("Upsample", [0, 0, 1, 0], [3, 8], "scale_factor=0.000000"),
        ("Permute", [0, 0], [3, 8], "not a permutation"),
        ("GroupNorm", [3, 8, 1], [8, 4], "num_groups=3 does not divide num_channels=8"),
        ("Select", [0, 2**62], [3, 8], "index="),
        ("Softmax", [65], [3, 8], "dim=65"),
        ("Conv", [4, 3, 4, 1, 1], [3, 8], "spatial_dims=4"),
        ("Conv", [1, 3, 4, 1, 1, 3, 1, 0, 1, 9], [3, 8], "has 10 arguments, expected 9"),
        ("AvgPool", [1, 0, 3, 1, 2], [3, 8], "padding=2 must be at most half of kernel_size=3"),
        ("Flatten", [1], [3, 8], "has 1 arguments, expected 0"),
        ("LearnedElementwise", [2, 8], [3, 8], "op=2 must be in [0, 1]"),
        ("LearnedElementwise", [0], [3, 8], "has 1 arguments, expected at least 2"),
        ("LearnedElementwise", [1, 0, 8], [3, 8], "shape=0 must be in [1, 2^62)"),
        ("LearnedElementwise", [0, 3, 1], [3, 8], None),
    ],
)
def test_the_core_refuses_bad_records_naming_the_field(kind, args, shape, fragment):
    status, message = _agree([shape], KINDS.index(kind), args, [-1])
    if fragment is None:  # a valid record: heads 3, head_dim 2 (inner 6 != embed 8)
        assert status == "ok"
    else:
        assert status == "ValueError" and fragment in message


def test_unknown_kind_values_are_refused():
    with pytest.raises(ValueError, match="unknown layer kind 99"):
        _core.flops.evaluate_model([[4]], [Kind(99)], [[]], [[-1]], 1, 0)
    with pytest.raises(TypeError):
        _core.flops.evaluate_model([[4]], [3], [[]], [[-1]], 1, 0)  # kinds cross as the enum, not ints


@pytest.mark.parametrize("layer", [flops.Select(0, 0), flops.Identity(), flops.Flatten()])
def test_tensors_beyond_2_63_elements_overflow_in_both_backends(layer):
    """Issue 13 item 5: Select on a 2^61 x 4 input returned 0 in numpy, OverflowError in C++."""
    with pytest.raises(OverflowError, match=r"more than 2\^63 - 1 elements"):
        flops.Sequential([layer], input_shape=(2**61, 4))
    kind, args = layer.encode()
    assert _agree([[2**61, 4]], kind, args, [-1])[0] == "OverflowError"
    assert _agree([[2**61, 3]], kind, args, [-1])[0] == "ok"


small = st.integers(-3, 40)
edge = st.sampled_from([0, 1, 2, -1, 2**31, 2**61, 2**62 - 1, 2**62, 2**63 - 1, -(2**62) + 1, -(2**63)])
value = st.one_of(small, small, edge)
shape = st.lists(st.one_of(st.integers(-1, 12), st.sampled_from([2**40, 2**61])), min_size=0, max_size=4)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.integers(0, len(KINDS) - 1),
    args=st.lists(value, max_size=18),
    shapes=st.lists(shape, min_size=1, max_size=2),
    batch=st.sampled_from([1, 3, 0, 2**40]),
    flags=st.sampled_from([0, 255, 64, 128 | 63, 256]),
)
def test_raw_records_get_the_same_answer_from_both_backends(kind, args, shapes, batch, flags):
    inputs = [-1 - i for i in range(len(shapes))]
    _agree(shapes, kind, args, inputs, batch, flags)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    kind=st.sampled_from(
        ["MultiheadAttention", "MixtureOfExperts", "GatedMLP", "Conv", "LayerNorm", "LearnedElementwise"]
    ),
)
def test_mutated_valid_records_get_the_same_answer(data, kind):
    """Start from a valid record of a rich kind and perturb one field, so most draws pass the record check."""
    base = {
        "MultiheadAttention": ([7, 12], [12, 4, 2, 3, 12, 0, 1, 0, -1, 1, 2, 1, 0, 8, 0, 1, 0]),
        "MixtureOfExperts": ([5, 12], [12, 6, 4, 2, 1, 1, 0, 1, 1, 9, 1, 1]),
        "GatedMLP": ([5, 12], [12, 20, 3, 1]),
        "Conv": ([3, 9, 9], [2, 3, 6, 3, 1, 3, 3, 2, 1, 1, 0, 1, 2]),
        "LayerNorm": ([4, 5], [1, 1, 4, 5]),
        "LearnedElementwise": ([6, 4, 5], [0, 6, 1, 5]),
    }[kind]
    shape, args = base[0], list(base[1])
    index = data.draw(st.integers(0, len(args) - 1))
    args[index] = data.draw(value)
    _agree([shape], KINDS.index(kind), args, [-1], data.draw(st.sampled_from([1, 2, 2**50])), 255)
