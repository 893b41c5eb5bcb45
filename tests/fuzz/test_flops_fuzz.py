"""Fuzz the flops area: every layer of the catalogue, count, training_flops, inference_flops,
from_hf_config, sweep_transformer and model JSON.

A call raises ValueError/TypeError/OverflowError naming its argument (or, for a model file, the
field), or returns exact counts: both backends agree (or both refuse with OverflowError), every
count is >= 0 and FLOPs = 2 MACs + extras. Never a crash, a wrapped count or a silent zero.
"""

import inspect
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from computelimits import flops
from computelimits.flops.frontends.hf_families import FAMILIES

from ._contract import Faults, arrays, attempt, examples, odd_scalars

LAYERS = flops.layer_types()
STRINGS = {
    "approximate": ["none", "tanh"],
    "activation": ["silu", "gelu", "relu", "gelu_tanh"],
    "router": ["softmax", "sigmoid"],
    "mode": ["nearest", "linear", "bilinear", "trilinear", "bicubic"],
    "qk_norm": ["layer", "rms"],
}
small_ints = st.one_of(st.integers(1, 16), st.integers(-2, 0), st.sampled_from([64, 2**31, 2**40, 2**62]))
shapes = st.lists(st.one_of(st.integers(1, 12), st.sampled_from([0, -1, 2**31])), min_size=1, max_size=4)


def _argument(name, default):
    """A strategy for one constructor argument, from its name and default."""
    if isinstance(default, bool):
        return st.one_of(st.booleans(), st.booleans(), odd_scalars)
    if name in STRINGS:
        options = st.sampled_from(STRINGS[name])
        return (
            st.one_of(options, options, st.none(), st.text(max_size=4))
            if default is None
            else st.one_of(options, options, odd_scalars)
        )
    if name in (
        "shape",
        "dims",
        "normalized_shape",
        "size",
        "output_size",
        "kernel_size",
        "stride",
        "padding",
        "dilation",
    ):
        return st.one_of(
            small_ints, st.lists(small_ints, min_size=1, max_size=3), *([st.none()] if default is None else [])
        )
    if name in ("p", "scale_factor"):
        return st.one_of(st.floats(0, 4), st.sampled_from([None, float("nan"), float("inf"), -1.0]))
    if name in ("dim", "dim0", "dim1", "index"):
        return st.integers(-4, 4)
    return st.one_of(small_ints, small_ints, *([st.none()] if default is None else []), odd_scalars)


@st.composite
def layers(draw):
    name = draw(st.sampled_from(LAYERS))
    cls = getattr(flops, name)
    kwargs = {}
    for parameter in inspect.signature(cls).parameters.values():
        default = None if parameter.default is inspect.Parameter.empty else parameter.default
        if parameter.default is not inspect.Parameter.empty and draw(st.booleans()):
            continue  # keep the default
        kwargs[parameter.name] = draw(_argument(parameter.name, default), parameter.name)
    return name, cls, kwargs


def _both_backends(function, *args, **kwargs):
    """Both backends' results, or "overflow" where one refuses; they must agree."""
    outcomes = []
    for backend in ("cpp", "numpy"):
        try:
            outcomes.append(function(*args, backend=backend, **kwargs))
        except OverflowError as error:
            outcomes.append(("overflow", str(error)[:0]))
    assert outcomes[0] == outcomes[1], outcomes
    return outcomes[0]


def _check_report(report):
    if isinstance(report, tuple):
        return
    assert report.flops == 2 * report.macs + report.extra_flops
    for row in report.layers:
        values = (
            row.macs,
            row.extra_flops,
            row.params,
            row.backward_input_flops,
            row.backward_weight_flops,
            row.activations,
        )
        assert min(values) >= 0, row
        assert all(isinstance(v, (int, np.integer)) for v in values), row


@examples(3.0)
@given(
    layer=layers(),
    shape=shapes,
    batch=st.one_of(st.integers(1, 8), st.sampled_from([2**40, 0])),
    training=st.booleans(),
)
def test_every_layer(layer, shape, batch, training):
    name, cls, kwargs = layer
    built = attempt(cls, [*kwargs, name], **kwargs)
    if built.error is not None:
        return
    model = attempt(
        flops.Sequential,
        ["input_shape", "input shape", "rank", "shape", *kwargs, name],
        [built.result],
        input_shape=shape,
    )
    if model.error is not None:
        return
    counted = attempt(_both_backends, ["batch", "layer"], flops.count, model.result, batch=batch, training=training)
    if counted.error is None:
        _check_report(counted.result)


@examples(1.0)
@given(data=st.data())
def test_training_flops(data):
    f = Faults(data, ["examples", "epochs", "tokens", "batch", "method"])
    model = data.draw(st.sampled_from(["resnet18", "gpt2", "bert_base"]), "model")
    built = getattr(flops.zoo, model)()
    use_tokens = data.draw(st.booleans(), "use_tokens")
    counts = st.one_of(st.integers(1, 10**12), st.sampled_from([300e9, 1.5e12, 10**30]))
    bad_counts = st.one_of(odd_scalars, st.sampled_from([1.5, 2.0**60, -5]))
    arguments = dict(
        examples=None if use_tokens else f.draw("examples", counts, bad_counts),
        tokens=f.draw("tokens", counts, bad_counts) if use_tokens else None,
        epochs=f.draw("epochs", st.integers(1, 100), bad_counts),
        batch=f.draw("batch", st.integers(1, 64), bad_counts),
        method=f.draw("method", st.sampled_from(["auto", "exact", "6nd"]), odd_scalars),
    )
    outcome = attempt(flops.training_flops, [*f.names, "model", "seq_len"], built, **arguments)
    if outcome.error is None:
        run = outcome.result
        assert isinstance(run.total_flop, int) and run.total_flop > 0, run


@examples(1.0)
@given(data=st.data())
def test_inference_flops(data):
    f = Faults(data, ["prompt_tokens", "generated_tokens", "batch", "precision"])
    config = {
        "model_type": data.draw(st.sampled_from(["llama", "gpt2", "mistral", "qwen2"]), "family"),
        "num_hidden_layers": 2,
        "n_layer": 2,
    }
    outcome = attempt(
        flops.inference_flops,
        [*f.names, "model"],
        config,
        f.draw("prompt_tokens", st.integers(1, 300), st.one_of(odd_scalars, st.just(2**62))),
        f.draw("generated_tokens", st.integers(0, 300), st.one_of(odd_scalars, st.just(2**62))),
        batch=f.draw("batch", st.integers(1, 8)),
        precision=f.draw("precision", st.sampled_from(["bf16", "fp16", "fp32", "fp8", "int8"]), odd_scalars),
    )
    if outcome.error is None:
        result = outcome.result
        assert result.prefill_flops > 0 and result.decode_total_flops >= 0
        assert isinstance(result.prefill_flops, int) and isinstance(result.decode_total_flops, int)
        assert len(result.decode_flops) == result.generated_tokens


@examples(1.5)
@given(data=st.data())
def test_from_hf_config(data):
    family = data.draw(st.sampled_from(sorted(FAMILIES)), "family")
    defaults = FAMILIES[family].defaults
    config = {"model_type": family}
    # shrink the model so both backends count it quickly, then perturb one key
    for key in ("num_hidden_layers", "n_layer", "num_layers", "num_decoder_layers"):
        if key in defaults:
            config[key] = 2
    key = data.draw(st.sampled_from(sorted(defaults)), "key")
    default = defaults[key]
    if isinstance(default, bool):
        value = data.draw(st.one_of(st.booleans(), odd_scalars), "value")
    elif isinstance(default, int):
        value = data.draw(
            st.one_of(st.integers(-1, 4 * max(default, 1)), st.sampled_from([0, 2**40, 2**63]), odd_scalars), "value"
        )
    elif isinstance(default, float):
        value = data.draw(st.one_of(st.floats(-1, 2), odd_scalars), "value")
    else:
        value = data.draw(st.one_of(st.none(), st.text(max_size=8), odd_scalars), "value")
    config[key] = value
    seq_len = data.draw(st.one_of(st.integers(1, 64), st.sampled_from([None, 0, -1, 2**40, "8"])), "seq_len")
    names = [key, "seq_len", "config", "model_type", family, "heads", "positions", "image_size", "kv_cache"]
    built = attempt(flops.from_hf_config, names, config, seq_len)
    if built.error is None:
        counted = attempt(_both_backends, [key, "batch", "layer"], flops.count, built.result)
        if counted.error is None:
            _check_report(counted.result)


@examples(1.0)
@given(data=st.data())
def test_sweep_transformer(data):
    names = ["layers", "d_model", "seq_len", "vocab", "heads", "ff_mult", "batch", "tied_embeddings", "threads"]
    f = Faults(data, names)

    def axis(name, values):
        good = st.one_of(st.sampled_from(values), st.lists(st.sampled_from(values), min_size=1, max_size=3))
        return f.draw(
            name,
            st.one_of(
                good,
                good.map(np.array),
                arrays((2,), integers=st.sampled_from(values), dtypes=("int64", "int32", "uint8", "float64", "object")),
            ),
            st.one_of(odd_scalars, st.just([]), st.just([[8]]), st.just(np.array([2**62, 2**62])), st.just([1.5])),
        )

    arguments = [
        axis("layers", [1, 2, 12, 96, 2**20]),
        axis("d_model", [64, 128, 768, 12288]),
        axis("seq_len", [1, 128, 2048, 2**20]),
        axis("vocab", [1, 1000, 50257, 2**30]),
        axis("heads", [1, 2, 4, 8]),
    ]
    kwargs = dict(
        ff_mult=f.draw("ff_mult", st.integers(1, 8)),
        batch=f.draw("batch", st.one_of(st.integers(1, 64), st.just(2**40))),
        tied_embeddings=f.draw("tied_embeddings", st.booleans()),
        threads=f.draw("threads", st.integers(1, 2)),
    )
    outcome = attempt(_both_backends, [*names, "overflow", "divide"], _sweep_table, *arguments, **kwargs)
    if outcome.error is None and not isinstance(outcome.result, tuple):
        assert all(value >= 0 for value in outcome.result), outcome.result


def _sweep_table(*arguments, backend, **kwargs):
    result = flops.sweep_transformer(*arguments, backend=backend, **kwargs)
    return tuple(int(v) for name in result.counts for v in np.asarray(result[name]).ravel())


def _model_json():
    model = flops.Sequential(
        [flops.Conv2d(3, 8, 3, padding=1), flops.ReLU(), flops.GlobalAvgPool(), flops.Flatten(), flops.Linear(8, 4)],
        input_shape=(3, 16, 16),
    )
    return json.loads(model.to_json())


def _paths(value, prefix=()):
    """Every (path, value) inside a JSON value."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70),
    st.sampled_from([2**62, 2**64, 1.5, float("nan"), "ReLU", "Linear", "", [], {}, [3], ["ReLU"], {"type": "ReLU"}]),
    st.text(max_size=6),
)


@examples(2.0)
@given(data=st.data())
def test_model_json_with_one_value_changed(data):
    document = _model_json()
    places = [path for path, _ in _paths(document) if path]
    path = data.draw(st.sampled_from(places), "path")
    value = data.draw(JSON_VALUES, "value")
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    text = json.dumps(document)
    names = [str(part) for part in path if isinstance(part, str)] + ["type", "input_shape", "layers", "field", "JSON"]
    loaded = attempt(flops.load_model, names + ["layer", "shape", "rank", "input"], text)
    if loaded.error is None:
        counted = attempt(_both_backends, ["layer", "input_shape"], flops.count, loaded.result)
        if counted.error is None:
            _check_report(counted.result)
            again = flops.load_model(loaded.result.to_json())
            assert flops.count(again) == counted.result


@examples(0.5)
@given(
    text=st.one_of(st.text(max_size=40), st.sampled_from(["{", "[]", "null", '{"type": "Sequential"}', "{" * 10**5]))
)
def test_model_json_text(text):
    names = ["JSON", "type", "model file", "input_shape", "layers", "depth", "nodes", "source"]
    attempt(flops.load_model, names, text if text[:1] and text[:1] in "{[" else "{" + text)
    attempt(flops.load_model, ["source"], "   ")


_QWEN2 = {
    "model_type": "qwen2",
    "hidden_size": 64,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "num_hidden_layers": 2,
    "intermediate_size": 128,
    "vocab_size": 100,
}


@pytest.mark.parametrize(
    "layer_types, error, fragment",
    [
        ("", TypeError, "must be a list of 2 entries"),
        ("full_attention", TypeError, "must be a list of 2 entries"),
        (3, TypeError, "must be a list of 2 entries"),
        (["full_attention"], ValueError, "must have num_hidden_layers=2 entries, got 1"),
        ([], ValueError, "must have num_hidden_layers=2 entries, got 0"),
        (["full_attention"] * 3, ValueError, "must have num_hidden_layers=2 entries, got 3"),
        (["full_attention", 3], ValueError, "entries must be in .* got 3 in"),
        (["full_attention", "chunked_attention"], ValueError, "entries must be in .* got 'chunked_attention' in"),
    ],
)
def test_qwen2_layer_types_of_the_wrong_type_or_length_name_the_key(layer_types, error, fragment):
    # finding: layer_types='' (or a short list) raised IndexError from layer_types[layer]
    with pytest.raises(error, match=rf"^qwen2 config key 'layer_types' {fragment}"):
        flops.from_hf_config({**_QWEN2, "layer_types": layer_types}, seq_len=8)


def test_qwen2_explicit_layer_types_count_as_the_derived_ones():
    # transformers' Qwen2Config derives [full, sliding] from use_sliding_window, sliding_window=4, max_window_layers=1
    window = {**_QWEN2, "use_sliding_window": True, "sliding_window": 4, "max_window_layers": 1}

    def decode(config):  # a sliding layer's decode step reads window - 1 cached keys, a full one all of them
        return flops.inference_flops(config, 16, 4).decode_total_flops

    derived = decode(window)
    assert decode({**window, "layer_types": ["full_attention", "sliding_attention"]}) == derived
    assert decode({**window, "layer_types": ["full_attention", "full_attention"]}) > derived
    assert decode({**window, "layer_types": ["sliding_attention", "sliding_attention"]}) < derived


@pytest.mark.parametrize(
    "layers, error, fragment",
    [
        ("", TypeError, "must be a list of layer indices, got ''"),
        (1, TypeError, "must be a list of layer indices, got 1"),
        ([2], ValueError, r"entries must be layer indices in \[0, num_hidden_layers=2\), got 2 in \[2\]"),
        ([-1], ValueError, "entries must be .* got -1 in"),
        ([True], ValueError, "entries must be .* got True in"),
        (["0"], ValueError, "entries must be .* got '0' in"),
    ],
)
def test_qwen2_moe_mlp_only_layers_of_the_wrong_type_name_the_key(layers, error, fragment):
    # finding (ci budget 400): mlp_only_layers='' raised "'in <string>' requires string as left operand, not int"
    config = {**_QWEN2, "model_type": "qwen2_moe", "moe_intermediate_size": 32, "num_experts": 4}
    config.update(num_experts_per_tok=2, shared_expert_intermediate_size=32, mlp_only_layers=layers)
    with pytest.raises(error, match=rf"^qwen2_moe config key 'mlp_only_layers' {fragment}"):
        flops.from_hf_config(config, seq_len=8)


def test_an_odd_rotary_dimension_names_partial_rotary_factor():
    # Found by the ci profile in a clean environment: gpt_neox with partial_rotary_factor 0.96875 of a 96-wide
    # head (93 dimensions) raised the attention layer's own error, naming no config key.
    config = {
        "model_type": "gpt_neox",
        "hidden_size": 768,
        "num_attention_heads": 8,
        "num_hidden_layers": 1,
        "vocab_size": 100,
        "intermediate_size": 64,
        "partial_rotary_factor": 0.96875,
    }
    with pytest.raises(ValueError, match=r"partial_rotary_factor=0\.96875"):
        flops.from_hf_config(config, seq_len=4)
    config["partial_rotary_factor"] = 0.25  # 24 dimensions: counted
    assert flops.count(flops.from_hf_config(config, seq_len=4)).macs > 0
