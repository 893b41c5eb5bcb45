"""Models: shape inference, clear errors, JSON round trip, and both backends agreeing."""

import json

import pytest

from computelimits import flops


def _tiny_cnn():
    return flops.Sequential(
        [
            flops.Conv2d(3, 8, 3, padding=1),
            flops.BatchNorm2d(8),
            flops.ReLU(),
            flops.Residual([flops.Conv2d(8, 8, 3, padding=1, bias=False), flops.BatchNorm2d(8)]),
            flops.Concat([[flops.Conv2d(8, 4, 1)], [flops.MaxPool2d(3, stride=1, padding=1)]], dim=0),
            flops.GlobalAvgPool(),
            flops.Linear(12, 10),
        ],
        input_shape=(3, 16, 16),
        name="tiny",
    )


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
        assert flops.count(model, convention=convention, training=training) == flops.count(
            model, convention=convention, training=training, backend="numpy"
        )


def test_json_round_trip_is_exact(tmp_path):
    model = _tiny_cnn()
    path = tmp_path / "tiny.json"
    flops.save_model(model, path)
    text = path.read_text()
    loaded = flops.load_model(path)
    assert loaded == model and flops.count(loaded) == flops.count(model)
    flops.save_model(loaded, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == text
    assert json.loads(text)["layers"][0] == {
        "type": "Conv2d",
        "in_channels": 3,
        "out_channels": 8,
        "kernel_size": 3,
        "padding": 1,
    }


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


@pytest.mark.parametrize(
    "build, fragment",
    [
        (
            lambda: flops.Sequential([flops.Conv2d(3, 8, 3), flops.Conv2d(4, 8, 3)], input_shape=(3, 8, 8)),
            "layer 1 (Conv2d): in_channels=4",
        ),
        (lambda: flops.Sequential([flops.Conv2d(3, 8, 9)], input_shape=(3, 8, 8)), "layer 0 (Conv2d): kernel_size=9"),
        (lambda: flops.Conv2d(6, 8, 3, groups=4), "Conv2d.groups=4 does not divide in_channels=6"),
        (lambda: flops.Linear(0, 3), "Linear.in_features"),
        (lambda: flops.Linear(-2, 3), "Linear.in_features"),
        (lambda: flops.Sequential([flops.Linear(4, 3)], input_shape=(0, 4)), "Sequential.input_shape"),
        (
            lambda: flops.Sequential([flops.Residual([flops.Linear(4, 3)])], input_shape=(4,)),
            "layer 0.add (Add): input shapes (3,) and (4,) do not broadcast",
        ),
        (
            lambda: flops.load_model('{"type": "Sequential", "input_shape": [4], "layers": [{"type": "Lineer"}]}'),
            "unknown layer type 'Lineer'",
        ),
        (lambda: flops.MultiheadAttention(10, 3), "num_heads=3 does not divide embed_dim=10"),
    ],
)
def test_bad_models_raise_value_errors_naming_the_field(build, fragment):
    with pytest.raises(ValueError) as info:
        build()
    assert fragment in str(info.value)


def test_blocks_nest_and_unready_models_are_refused():
    block = flops.Sequential([flops.Linear(8, 8), flops.ReLU()])
    model = flops.Sequential(
        [flops.Residual(block), flops.Residual(block, shortcut=[flops.Identity()]), block], input_shape=(4, 8)
    )
    assert [row.name for row in flops.count(model).layers][:3] == ["0.body.0", "0.body.1", "0.add"]
    assert flops.count(model).macs == 3 * 4 * 8 * 8
    assert flops.load_model(model.to_json()).to_json() == model.to_json()
    with pytest.raises(ValueError, match="no input_shape"):
        flops.count(block)
    with pytest.raises(ValueError, match=r"layer 0 \(Sequential\): input_shape=\(3,\) does not match"):
        flops.Sequential([flops.Sequential([flops.ReLU()], input_shape=(3,))], input_shape=(4,))
    with pytest.raises(TypeError, match="model must be a Sequential or Graph"):
        flops.count(flops.Linear(3, 4))


MIXED_GRAPH = """{
  "type": "Graph",
  "name": "mixed",
  "inputs": {
    "image": [3, 8, 8],
    "tokens": [5, 16]
  },
  "nodes": [
    {
      "name": "stem",
      "layer": {
        "type": "Residual",
        "body": [
          {"type": "Conv2d", "in_channels": 3, "out_channels": 3, "kernel_size": 3, "padding": 1},
          {"type": "Dropout", "p": 0.1}
        ]
      },
      "inputs": ["image"]
    },
    {
      "name": "up",
      "layer": {"type": "Upsample", "scale_factor": 1.5, "mode": "bilinear"},
      "inputs": ["stem"]
    },
    {
      "name": "flat",
      "layer": {"type": "Flatten"},
      "inputs": ["up"]
    },
    {
      "name": "proj",
      "layer": {"type": "Linear", "in_features": 432, "out_features": 16},
      "inputs": ["flat"]
    },
    {
      "name": "row",
      "layer": {"type": "Reshape", "shape": [1, 16]},
      "inputs": ["proj"]
    },
    {
      "name": "cross",
      "layer": {"type": "MultiheadAttention", "embed_dim": 16, "num_heads": 4, "kv_seq_len": null},
      "inputs": ["tokens", "row"]
    }
  ],
  "output": "cross"
}
"""


def test_hand_written_graph_file_round_trips_byte_for_byte(tmp_path):
    source = tmp_path / "mixed.json"
    source.write_text(MIXED_GRAPH)
    model = flops.load_model(source)
    flops.save_model(model, tmp_path / "saved.json")
    assert (tmp_path / "saved.json").read_text() == MIXED_GRAPH
    rows = {row.name: row for row in flops.count(model).layers}
    assert rows["up"].output_shape == (3, 12, 12)  # floor(8 x 1.5)
    assert rows["stem.body.0"].macs == 3 * 3 * 9 * 64
    # 5 queries over a 1-row memory: Q/out projections 2 x 5 x 16 x 16, K/V 2 x 1 x 16 x 16, scores 2 x 5 x 1 x 16
    assert rows["cross"].macs == 2 * 5 * 256 + 2 * 256 + 2 * 5 * 16
    assert model.output_shape == (5, 16)
