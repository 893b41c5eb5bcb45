"""Shape inference and twin evaluation run once per distinct (layer record, input shapes).

Llama-3-70B repeats one decoder layer 80 times: building it must evaluate a handful of records, not
480, and count the same as before (both backends agree, every node keeps its own label and shape).
Failures are never cached: a bad layer fails, naming its node, every time it is added.
"""

from __future__ import annotations

import pytest

from computelimits import flops
from computelimits.flops import _build, _twin
from computelimits.flops.zoo.llm import config


def _counting(monkeypatch, module):
    calls = []
    original = module.evaluate_node

    def counted(kind, args, shapes, batch, flags):
        calls.append((kind, tuple(args), tuple(map(tuple, shapes))))
        return original(kind, args, shapes, batch, flags)

    monkeypatch.setattr(module, "evaluate_node", counted)
    return calls


def test_identical_layers_are_inferred_once_per_model(monkeypatch):
    calls = _counting(monkeypatch, _build._twin)
    model = flops.from_hf_config(config("llama3_70b"), seq_len=128)
    assert len(model.nodes) == 483  # embedding, 80 x (norm, attention, add, norm, MLP, add), norm, head
    assert len(calls) == len(set(calls)) == 6  # Embedding, RMSNorm (all 161), attention, Add, GatedMLP, lm_head
    assert {node.shape for node in model.nodes[1:-1]} == {(128, 8192)}
    assert model.nodes[-1].shape == (128, 128256)


def test_the_twin_counts_each_distinct_node_once_and_agrees_with_the_core(monkeypatch):
    model = flops.from_hf_config(config("llama3_70b"), seq_len=64)
    calls = _counting(monkeypatch, _twin)
    twin = flops.count(model, batch=3, backend="numpy")
    assert len(calls) == len(set(calls)) == 6
    core = flops.count(model, batch=3)
    assert twin.layers == core.layers
    # MACs per token = params - input embedding - 161 RMSNorm weights of 8,192; plus 2 L^2 d scores per layer
    weights = 70_553_706_496 - 128_256 * 8_192 - 161 * 8_192
    assert (core.params, core.macs) == (70_553_706_496, 3 * (64 * weights + 80 * 2 * 64 * 64 * 8_192))


def test_a_failing_layer_is_named_every_time_it_is_added():
    graph = flops.Graph({"x": (5, 8)})
    for name in ("first", "second"):
        with pytest.raises(ValueError, match=rf"layer {name} \(Linear\): in_features=7 does not match size 8"):
            graph.add(flops.Linear(7, 3), ["x"], name=name)
    graph.add(flops.Linear(8, 3), ["x"], name="good")
    assert graph.nodes[-1].shape == (5, 3)
