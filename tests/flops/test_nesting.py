"""Deeply nested blocks and JSON texts (issue 13, item 7).

Blocks may nest ``flops.MAX_NESTING`` levels (the model itself counts as one);
every walk over them (flattening, to_dict, from_dict, JSON text) is iterative, so
that depth works from any Python stack depth, and one level more raises a
ValueError naming the limit instead of a RecursionError. A JSON text nested
deeper than any model can be is refused before it is parsed.
"""

import sys

import pytest

from computelimits import flops

LIMIT = flops.MAX_NESTING


def _residuals(levels, width=4):
    """``levels`` Residual blocks, each one's body holding a Linear and the next block."""
    block = [flops.Linear(width, width)]
    for _ in range(levels):
        block = [flops.Residual([flops.ReLU(), *block])]
    return block


def _concats(levels, width=4):
    block = [flops.Linear(width, width)]
    for _ in range(levels):
        block = [flops.Concat([block, [flops.Identity()]], dim=0), flops.Reshape([-1, width])]
    return block


def _parallel(levels, width=4):
    block = [flops.Linear(width, width)]
    for _ in range(levels):
        block = [flops.ParallelResidual([block, [flops.Tanh()]])]
    return block


def _at_depth(frames, function):
    """Call ``function`` with about ``frames`` Python frames already on the stack."""
    if frames <= 0:
        return function()
    return _at_depth(frames - 1, function)


@pytest.mark.parametrize("build", [_residuals, _concats, _parallel])
def test_the_deepest_allowed_nesting_round_trips(build):
    model = flops.Sequential(build(LIMIT - 1), input_shape=(3, 4))
    text = _at_depth(sys.getrecursionlimit() // 2, model.to_json)
    again = flops.load_model(text)
    assert again.to_json() == text
    assert again == model
    report = flops.count(again, batch=2)
    assert report == flops.count(model, batch=2, backend="numpy")
    assert report.params == 20 + 0  # one Linear(4, 4); the blocks add no weights


@pytest.mark.parametrize("build", [_residuals, _concats, _parallel])
@pytest.mark.parametrize("levels", [LIMIT, 250])
def test_one_level_more_names_the_limit(build, levels):
    message = f"blocks nest deeper than {LIMIT} levels, the limit"
    with pytest.raises(ValueError, match=message):
        flops.Sequential(build(levels), input_shape=(3, 4))
    unbuilt = flops.Sequential(build(levels))  # no input shape: nothing flattened yet
    with pytest.raises(ValueError, match=message):
        unbuilt.to_json()


def test_blocks_in_a_graph_count_from_the_block():
    graph = flops.Graph({"x": (3, 4)})
    graph.add(_residuals(LIMIT)[0], ["x"], "deep")
    assert flops.load_model(graph.to_json()).to_json() == graph.to_json()
    with pytest.raises(ValueError, match="nest deeper"):
        flops.Graph({"x": (3, 4)}).add(_residuals(LIMIT + 1)[0], ["x"])


@pytest.mark.parametrize("depth", [10**5, 400])
@pytest.mark.parametrize("opening", ['{"a": ', "["])
def test_deep_json_texts_are_refused_before_parsing(depth, opening):
    closing = "}" if opening.startswith("{") else "]"
    text = opening * depth + "1" + closing * depth
    with pytest.raises(ValueError, match=r"model JSON nests \d+ levels deep; the limit is 310"):
        flops.load_model(text)


def test_deep_json_inside_a_layer_list_is_refused_too():
    inner = "[" * 5000 + "]" * 5000
    text = '{"type": "Sequential", "input_shape": [4], "layers": [{"type": "Reshape", "shape": ' + inner + "}]}"
    with pytest.raises(ValueError, match="the limit is 310"):
        flops.load_model(text)


def test_brackets_inside_strings_do_not_count():
    name = "[" * 1000
    model = flops.Sequential([flops.ReLU()], input_shape=(4,), name=name)
    assert flops.load_model(model.to_json()).name == name
