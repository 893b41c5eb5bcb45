"""from_torch against torch's FlopCounterMode: torchvision models, transformers models, hand-written modules.

Every MAC and parameter count is compared with the peer exactly. Skips without torch (and per model
without torchvision / transformers); torchvision is made importable beside the CPU torch by the shim in
conftest.py.
"""

from __future__ import annotations

import warnings

import pytest

from computelimits import flops
from computelimits.exceptions import TorchExportFallbackWarning, UncountedOperatorWarning, UncountedParameterWarning

from .conftest import _inputs, flop_counter_macs, hf_model

torch = pytest.importorskip("torch")


def _quiet_from_torch(module, args, kwargs=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return flops.from_torch(module, args, kwargs)


def _params(module):
    return sum(p.numel() for p in module.parameters())


# (model, batch, image side): odd batches and sides where the architecture allows them
TORCHVISION = [
    ("alexnet", 2, 224),
    ("resnet18", 3, 197),
    ("resnext50_32x4d", 2, 161),
    ("vgg11_bn", 1, 224),
    ("densenet121", 2, 193),
    ("mobilenet_v2", 3, 224),
    ("mobilenet_v3_small", 2, 224),
    ("efficientnet_b0", 1, 227),
    ("squeezenet1_1", 2, 224),
    ("shufflenet_v2_x0_5", 3, 224),
    ("regnet_y_400mf", 1, 224),
    ("swin_t", 2, 224),
    ("maxvit_t", 1, 224),
    ("googlenet", 2, 224),
    ("convnext_tiny", 1, 224),
    ("vit_b_16", 2, 224),
]


@pytest.mark.parametrize(("name", "batch", "side"), TORCHVISION)
def test_torchvision_classification_models_match_flop_counter_mode(name, batch, side):
    tvm = pytest.importorskip("torchvision.models")
    module = getattr(tvm, name)().to("meta").eval()  # built on CPU (RegNet needs values), counted on meta
    x = torch.empty(batch, 3, side, side, device="meta")
    model = _quiet_from_torch(module, (x,))
    report = flops.count(model, batch=model.example_batch)
    assert model.capture == "export"
    assert report.macs == flop_counter_macs(module, x)
    # googlenet's auxiliary classifiers run only in training; ConvNeXt's layer scale is read by an
    # element-wise multiply that holds no parameters in the catalogue: listed, not dropped
    listed = sum(model.unused_params.values()) + model.uncounted_params
    assert report.params + listed == _params(module)
    assert listed == {"googlenet": 6379984, "convnext_tiny": 6624}.get(name, 0)
    if name in ("mobilenet_v3_small",):
        assert {op.operator for op in model.uncounted} == {"aten.hardswish", "aten.hardsigmoid"}


SMALL = {"hidden_size": 96, "intermediate_size": 200, "num_hidden_layers": 3, "num_attention_heads": 6}
HF_CONFIGS = {
    "llama": dict(SMALL, model_type="llama", num_key_value_heads=2, vocab_size=1000),
    "mistral": dict(SMALL, model_type="mistral", num_key_value_heads=2, vocab_size=1000, sliding_window=4),
    "mixtral": dict(SMALL, model_type="mixtral", num_key_value_heads=3, vocab_size=1000, num_local_experts=5),
    "qwen2": dict(SMALL, model_type="qwen2", num_key_value_heads=2, vocab_size=1000),
    "qwen2_moe": dict(
        SMALL,
        model_type="qwen2_moe",
        num_key_value_heads=2,
        vocab_size=1000,
        num_experts=4,
        moe_intermediate_size=40,
        shared_expert_intermediate_size=80,
    ),
    "gemma": dict(SMALL, model_type="gemma", num_key_value_heads=1, head_dim=24, vocab_size=1000),
    "phi3": dict(SMALL, model_type="phi3", vocab_size=1000, pad_token_id=0, eos_token_id=1),
    "gpt2": {"model_type": "gpt2", "n_embd": 96, "n_head": 6, "n_layer": 3, "vocab_size": 1000},
    "gpt_neox": dict(SMALL, model_type="gpt_neox", vocab_size=1000),
    "bert": dict(SMALL, model_type="bert", vocab_size=1000),
    "roberta": dict(SMALL, model_type="roberta", vocab_size=1000),
    "t5": {
        "model_type": "t5",
        "d_model": 96,
        "d_kv": 16,
        "d_ff": 200,
        "num_layers": 3,
        "num_heads": 6,
        "vocab_size": 1000,
    },
    "vit": dict(SMALL, model_type="vit", image_size=40, patch_size=8),
}


@pytest.mark.parametrize("family", sorted(HF_CONFIGS))
def test_transformers_models_match_flop_counter_mode(family):
    module = hf_model(HF_CONFIGS[family])
    inputs = _inputs(module, 3, 7, 5)
    kwargs = inputs if family == "vit" else dict(inputs, use_cache=False)
    model = _quiet_from_torch(module, (), kwargs)
    report = flops.count(model, batch=model.example_batch)
    assert report.macs == flop_counter_macs(module, **inputs)
    assert report.params == _params(module)
    assert model.unused_params == model.unattributed_params == {}


def test_export_failure_falls_back_to_a_dispatched_run_and_says_so():
    """A DynamicCache output defeats torch.export; the dispatched run still counts exactly."""
    module = hf_model(HF_CONFIGS["llama"])
    ids = torch.zeros(2, 5, dtype=torch.long, device="meta")
    with pytest.warns(TorchExportFallbackWarning, match="DynamicCache"), warnings.catch_warnings():
        warnings.simplefilter("ignore", UncountedOperatorWarning)  # rotary cos/sin, checked elsewhere
        model = flops.from_torch(module, (ids,))
    assert model.capture == "dispatch" and "torch.export failed" in model.capture_note
    report = flops.count(model, batch=2)
    assert report.macs == flop_counter_macs(module, ids)
    assert report.params == _params(module)


def test_counts_are_per_example_so_any_batch_can_be_counted():
    module = hf_model(HF_CONFIGS["bert"])
    model = _quiet_from_torch(module, (torch.zeros(2, 9, dtype=torch.long, device="meta"),))
    assert model.example_batch == 2
    for batch in (1, 5):
        ids = torch.zeros(batch, 9, dtype=torch.long, device="meta")
        assert flops.count(model, batch=batch).macs == flop_counter_macs(module, ids)


class _Block(torch.nn.Module):
    """Grouped, dilated and transposed convolutions, a bias-free linear, a matmul between activations."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(6, 12, 3, stride=2, padding=2, dilation=2, groups=3)
        self.up = torch.nn.ConvTranspose2d(12, 4, 4, stride=2, padding=1, output_padding=1)
        self.norm = torch.nn.GroupNorm(2, 4)
        self.proj = torch.nn.Linear(17, 5, bias=False)

    def forward(self, x):
        y = self.norm(torch.nn.functional.gelu(self.up(torch.relu(self.conv(x)))))
        z = self.proj(y)  # (N, 4, 17, 5)
        return torch.softmax(z.transpose(-1, -2) @ z, dim=-1)


def test_hand_written_module_matches_flop_counter_mode():
    with torch.device("meta"):
        module = _Block()
        x = torch.empty(3, 6, 15, 15)
    model = _quiet_from_torch(module, (x,))
    report = flops.count(model, batch=3)
    assert report.macs == flop_counter_macs(module, x)
    assert report.params == _params(module)
    assert model.uncounted == ()
    assert [row.type for row in report.layers if row.macs][:4] == ["Conv2d", "ConvTranspose2d", "Linear", "Matmul"]


class _Odd(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.ones(8))
        self.fc = torch.nn.Linear(8, 8)

    def forward(self, x):
        return torch.erf(self.fc(x)).cumsum(-1) * self.scale


def test_operators_without_a_layer_are_listed_and_warned_never_dropped():
    with torch.device("meta"):
        module, x = _Odd(), torch.empty(4, 3, 8)
    with pytest.warns(UncountedOperatorWarning, match=r"aten\.erf x1.*aten\.cumsum x1"):  # noqa: SIM117 (py3.9)
        with pytest.warns(UncountedParameterWarning, match=r"scale \(8\)"):
            model = flops.from_torch(module, (x,))
    ledger = {op.operator: op for op in model.uncounted}
    assert set(ledger) == {"aten.erf", "aten.cumsum"}
    assert ledger["aten.erf"].calls == 1 and ledger["aten.erf"].shapes == [((4, 3, 8),)]
    assert ledger["aten.erf"].modules == [""]
    assert model.unattributed_params == {"scale": (8, ("aten.mul",))}
    report = flops.count(model, batch=4)
    assert report.macs == flop_counter_macs(module, x) == 4 * 3 * 8 * 8
    assert report.params + model.uncounted_params == _params(module)
    assert list(model.ledger_frame()["operator"]) == ["aten.erf", "aten.cumsum"]
    table = model.layer_frame(report)
    assert list(table["type"].tail(2)) == ["uncounted", "uncounted"] and table["macs"].tail(2).isna().all()


def test_the_recorded_graph_round_trips_through_json():
    with torch.device("meta"):
        module, x = _Block(), torch.empty(1, 6, 15, 15)
    model = _quiet_from_torch(module, (x,))
    again = flops.load_model(model.to_json())
    assert flops.count(again).macs == flops.count(model).macs
    assert flops.count(again).params == flops.count(model).params


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match=r"module must be a torch\.nn\.Module"):
        flops.from_torch(lambda x: x, (torch.empty(1),))
    with pytest.raises(TypeError, match="example_inputs"):
        flops.from_torch(torch.nn.Linear(2, 2), "x")
    with pytest.raises(TypeError, match="example_kwargs"):
        flops.from_torch(torch.nn.Linear(2, 2), (torch.empty(1, 2),), ["x"])
