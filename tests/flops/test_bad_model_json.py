"""Model files with wrong field types get a ValueError naming the field (issue 13, item 11's flops examples)."""

import re

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


@pytest.mark.parametrize(
    ("ledger", "fragment"),
    [
        ({"uncounted": {"operator": "aten.erf"}}, "Graph.uncounted must be a list"),
        ({"uncounted": [{"operator": "aten.erf", "calls": 0}]}, "uncounted.calls of aten.erf must be an integer >= 1"),
        ({"uncounted": [{"operator": "", "calls": 1}]}, "uncounted.operator must be a non-empty string"),
        ({"uncounted": [{"operator": "aten.erf", "calls": 1, "when": 3}]}, "an uncounted entry must be an object"),
        ({"uncounted": [{"operator": "aten.erf", "calls": 1, "shapes": [3]}]}, "uncounted.shapes of aten.erf"),
        ({"uncounted_params": -1}, "Graph.uncounted_params must be an integer >= 0, got -1"),
    ],
)
def test_a_bad_ledger_in_a_graph_file_is_named(ledger, fragment):
    data = {"type": "Graph", "inputs": {"x": [3]}, "nodes": [{"name": "r", "layer": {"type": "ReLU"}, "inputs": ["x"]}]}
    with pytest.raises(ValueError, match=re.escape(fragment)):
        flops.model_from_dict({**data, **ledger})
