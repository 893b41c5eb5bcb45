"""Model files with wrong field types get a ValueError naming the field (issue 13, item 11's flops examples)."""

import pytest

from computelimits import flops


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"type": "Sequential", "input_shape": [3], "layers": [{"type": ["ReLU"]}]}', "unknown layer type ['ReLU']"),
        ('{"type": "Graph", "inputs": {"x": [3]}, "nodes": 5}', "Graph.nodes must be a list"),
        ('{"type": "Sequential", "input_shape": [3], "layers": 5}', "Sequential.layers must be a list"),
        (
            '{"type": "Sequential", "input_shape": [3], "layers": [{"type": "Residual", "body": "ReLU"}]}',
            "Residual.body must be a list",
        ),
        (
            '{"type": "Sequential", "input_shape": [3], "layers": [{"type": "ParallelResidual", "branches": {}}]}',
            "ParallelResidual.branches must be a non-empty list",
        ),
        (
            '{"type": "Sequential", "input_shape": [3], "layers": [{"type": "Concat", "branches": 2}]}',
            "Concat.branches",
        ),
        ('{"type": "Sequential", "input_shape": [3], "layers": [{"type": 7}]}', "unknown layer type 7"),
    ],
)
def test_wrong_field_types_name_the_field(text, fragment):
    with pytest.raises(ValueError) as info:
        flops.load_model(text)
    assert fragment in str(info.value)


def test_graph_node_inputs_must_be_names():
    text = '{"type": "Graph", "inputs": {"x": [3]}, "nodes": [{"name": "a", "layer": {"type": "ReLU"}, "inputs": 5}]}'
    with pytest.raises(TypeError, match=r"Graph\.add inputs must be a list of tensor names, got 5"):
        flops.load_model(text)
