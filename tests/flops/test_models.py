"""Models: shape inference, clear errors, JSON round trip, and both backends agreeing."""

import json

import pytest

from computelimits import flops


def _tiny_cnn():
    return flops.Sequential([
        flops.Conv2d(3, 8, 3, padding=1), flops.BatchNorm2d(8), flops.ReLU(),
        flops.Residual([flops.Conv2d(8, 8, 3, padding=1, bias=False), flops.BatchNorm2d(8)]),
        flops.Concat([[flops.Conv2d(8, 4, 1)], [flops.MaxPool2d(3, stride=1, padding=1)]], dim=0),
        flops.GlobalAvgPool(), flops.Linear(12, 10),
    ], input_shape=(3, 16, 16), name="tiny")


def test_shapes_and_hand_counted_macs():
    model = _tiny_cnn()
    report = flops.count(model)
    assert model.output_shape == (10,)
    assert [row.output_shape for row in report.layers][-3:] == [(12, 16, 16), (12,), (10,)]
    # conv 3->8 3x3 on 16x16, conv 8->8 3x3, conv 8->4 1x1, linear 12->10
    expected = 8 * 3 * 9 * 256 + 8 * 8 * 9 * 256 + 4 * 8 * 256 + 12 * 10
    assert report.macs == expected
    assert report.params == (8 * 27 + 8) + 16 + 8 * 72 + 16 + (32 + 4) + 130


def test_batch_is_linear_and_flops_are_two_macs_plus_extras():
    model = _tiny_cnn()
    one, many = flops.count(model), flops.count(model, batch=7)
    assert many.macs == 7 * one.macs and many.flops == 7 * one.flops and many.params == one.params
    assert one.flops == 2 * one.macs + one.extra_flops
    bare = flops.count(model, convention=flops.Convention.macs_only())
    assert bare.flops == 2 * bare.macs and bare.extra_flops == 0


@pytest.mark.parametrize("training", [False, True])
def test_cpp_and_numpy_twin_agree_exactly(training):
    model = _tiny_cnn()
    for convention in (flops.Convention(), flops.Convention.macs_only(), flops.Convention(bias=False)):
        assert (flops.count(model, convention=convention, training=training)
                == flops.count(model, convention=convention, training=training, backend="numpy"))


def test_json_round_trip_is_exact(tmp_path):
    model = _tiny_cnn()
    path = tmp_path / "tiny.json"
    flops.save_model(model, path)
    text = path.read_text()
    loaded = flops.load_model(path)
    assert loaded == model and flops.count(loaded) == flops.count(model)
    flops.save_model(loaded, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == text
    assert json.loads(text)["layers"][0] == {"type": "Conv2d", "in_channels": 3, "out_channels": 8,
                                             "kernel_size": 3, "padding": 1}


def test_graph_round_trip_and_counts():
    graph = flops.Graph({"src": (10, 64), "tgt": (7, 64)}, name="encdec")
    graph.add(flops.MultiheadAttention(64, 8), ["src"], name="enc")
    graph.add(flops.MultiheadAttention(64, 8, causal=True), ["tgt"], name="dec")
    graph.add(flops.MultiheadAttention(64, 8), ["dec", "enc"], name="cross")
    graph.add(flops.Linear(64, 100), ["cross"], name="head")
    text = graph.to_json()
    assert flops.load_model(text).to_json() == text
    report = flops.count(graph)
    rows = {row.name: row for row in report.layers}
    # cross-attention: Q/out projections over 7 rows, K/V over the 10 memory rows, scores 2*7*10*64
    assert rows["cross"].macs == 2 * 7 * 64 * 64 + 2 * 10 * 64 * 64 + 2 * 7 * 10 * 64
    assert report == flops.count(graph, backend="numpy")


@pytest.mark.parametrize("build, fragment", [
    (lambda: flops.Sequential([flops.Conv2d(3, 8, 3), flops.Conv2d(4, 8, 3)], input_shape=(3, 8, 8)),
     "layer 1 (Conv2d): in_channels=4"),
    (lambda: flops.Sequential([flops.Conv2d(3, 8, 9)], input_shape=(3, 8, 8)), "layer 0 (Conv2d): kernel_size=9"),
    (lambda: flops.Conv2d(6, 8, 3, groups=4), "Conv2d.groups=4 does not divide in_channels=6"),
    (lambda: flops.Linear(0, 3), "Linear.in_features"),
    (lambda: flops.Linear(-2, 3), "Linear.in_features"),
    (lambda: flops.Sequential([flops.Linear(4, 3)], input_shape=(0, 4)), "Sequential.input_shape"),
    (lambda: flops.Sequential([flops.Residual([flops.Linear(4, 3)])], input_shape=(4,)),
     "layer 0.add (Add): input shapes (3,) and (4,) do not broadcast"),
    (lambda: flops.load_model('{"type": "Sequential", "input_shape": [4], "layers": [{"type": "Lineer"}]}'),
     "unknown layer type 'Lineer'"),
    (lambda: flops.MultiheadAttention(10, 3), "num_heads=3 does not divide embed_dim=10"),
])
def test_bad_models_raise_value_errors_naming_the_field(build, fragment):
    with pytest.raises(ValueError) as info:
        build()
    assert fragment in str(info.value)
