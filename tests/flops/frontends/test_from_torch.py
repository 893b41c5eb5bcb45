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
    ("inception_v3", 1, 299),
    ("mnasnet0_5", 3, 211),
    ("efficientnet_v2_s", 1, 193),
    ("regnet_x_400mf", 2, 224),
    ("swin_v2_t", 2, 256),
]
# Swin V2's continuous position bias: an MLP, Linear(2, 512) - ReLU - Linear(512, heads), over the
# (2 x 8 - 1)^2 = 225 relative coordinates of its 8 x 8 windows, in each of 2, 2, 6, 2 blocks of 3, 6, 12,
# 24 heads. The table does not depend on the batch: FlopCounterMode counts this work once per call, a
# per-example model once per example (docs/frontends.md, "FlopCounterMode disagreements").
SWIN_V2_BIAS_MACS = 225 * sum(blocks * (2 * 512 + 512 * heads) for blocks, heads in ((2, 3), (2, 6), (6, 12), (2, 24)))


@pytest.mark.parametrize(("name", "batch", "side"), TORCHVISION)
def test_torchvision_classification_models_match_flop_counter_mode(name, batch, side):
    tvm = pytest.importorskip("torchvision.models")
    module = getattr(tvm, name)().to("meta").eval()  # built on CPU (RegNet needs values), counted on meta
    x = torch.empty(batch, 3, side, side, device="meta")
    model = _quiet_from_torch(module, (x,))
    report = flops.count(model, batch=model.example_batch)
    assert model.capture == "export"
    assert report.macs == flop_counter_macs(module, x) + (batch - 1) * (name == "swin_v2_t") * SWIN_V2_BIAS_MACS
    # GoogLeNet's and Inception's auxiliary classifiers run only in training: listed as unused; Swin V2's
    # logit scales are read only by clamp and exp, which no layer counts: listed, not dropped
    listed = sum(model.unused_params.values()) + model.uncounted_params
    assert report.params + listed == _params(module)
    assert listed == {"googlenet": 6379984, "inception_v3": 3326696, "swin_v2_t": 3 * 2 + 6 * 2 + 12 * 6 + 24 * 2}.get(
        name, 0
    )
    if name == "convnext_tiny":  # 18 layer scales (3, 3, 9, 3 blocks of 96, 192, 384, 768 channels)
        scales = [row for row in report.layers if row.type == "LearnedScale"]
        assert len(scales) == 18 and sum(row.params for row in scales) == 6624
    expected = {
        "mobilenet_v3_small": {"aten.hardswish", "aten.hardsigmoid"},
        "swin_v2_t": {"aten.linalg_vector_norm", "aten.clamp_min", "aten.clamp", "aten.exp"},  # cosine attention
    }
    assert {op.operator for op in report.uncounted} == expected.get(name, set())


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
        return torch.atan2(torch.erf(self.fc(x)).cumsum(-1), self.scale)


def test_operators_without_a_layer_are_listed_and_warned_never_dropped():
    with torch.device("meta"):
        module, x = _Odd(), torch.empty(4, 3, 8)
    with pytest.warns(UncountedOperatorWarning, match=r"aten\.erf x1.*aten\.cumsum x1.*aten\.atan2 x1"):  # noqa: SIM117
        with pytest.warns(UncountedParameterWarning, match=r"scale \(8\)"):
            model = flops.from_torch(module, (x,))
    ledger = {op.operator: op for op in model.uncounted}
    assert set(ledger) == {"aten.erf", "aten.cumsum", "aten.atan2"}
    assert ledger["aten.erf"].calls == 1 and ledger["aten.erf"].shapes == (((4, 3, 8),),)
    assert ledger["aten.erf"].modules == ("",)
    assert model.unattributed_params == {"scale": (8, ("aten.atan2",))}
    report = flops.count(model, batch=4)
    assert report.macs == flop_counter_macs(module, x) == 4 * 3 * 8 * 8
    assert report.params + model.uncounted_params == _params(module)
    assert list(model.ledger_frame()["operator"]) == ["aten.erf", "aten.cumsum", "aten.atan2"]
    table = model.layer_frame(report)
    assert list(table["type"].tail(3)) == ["uncounted"] * 3 and table["macs"].tail(3).isna().all()


def test_every_report_of_a_model_with_a_ledger_carries_it():
    """count() and training_flops() of a recorded model list what it could not count, in the report itself."""
    with torch.device("meta"):
        module, x = _Odd(), torch.empty(4, 3, 8)
    model = _quiet_from_torch(module, (x,))
    report = flops.count(model, batch=2)
    assert report.uncounted == model.uncounted and [str(op) for op in report.uncounted] == [
        "aten.erf x1",
        "aten.cumsum x1",
        "aten.atan2 x1",
    ]
    assert report.uncounted_params == 8 and report.params == 72  # fc's weight and bias; scale only atan2 reads
    assert repr(report).endswith(
        ", layers=1, uncounted=[aten.erf x1, aten.cumsum x1, aten.atan2 x1], uncounted_params=8)"
    )
    frame = report.to_frame()
    assert list(frame["type"]) == ["Linear", "uncounted", "uncounted", "uncounted"]
    assert list(frame["name"].tail(3)) == ["aten.erf", "aten.cumsum", "aten.atan2"]
    assert frame.iloc[1:, 3:].isna().all().all() and frame.iloc[0]["macs"] == 2 * 3 * 8 * 8
    saved = report.to_dict()
    assert [row["operator"] for row in saved["uncounted"]] == ["aten.erf", "aten.cumsum", "aten.atan2"]
    assert saved["uncounted"][0]["shapes"] == [[[4, 3, 8]]] and saved["uncounted_params"] == 8
    run = flops.training_flops(model, examples=10)
    assert run.uncounted == model.uncounted and run.to_dict()["uncounted"][2]["operator"] == "aten.atan2"
    again = flops.load_model(model.to_json())  # the ledger travels with the model file
    assert flops.count(again, batch=2) == report and again.to_json() == model.to_json()
    clean = flops.count(flops.Sequential([flops.Linear(8, 8)], input_shape=(3, 8)))
    assert clean.uncounted == () and clean.uncounted_params == 0 and "uncounted" not in repr(clean)


class _Scaled(torch.nn.Module):
    """Layer scales and learned biases as ConvNeXt (gamma of (C, 1, 1) times a conv output), CaiT (gamma of
    (D,) on tokens) and hand-written affine maps (x / w, x - b) use them; ``per_token`` differs per position."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 6, 3, padding=1)
        self.gamma = torch.nn.Parameter(torch.ones(6, 1, 1))
        self.fc = torch.nn.Linear(6, 5)
        self.token_gamma = torch.nn.Parameter(torch.ones(5))
        self.shift = torch.nn.Parameter(torch.zeros(1, 1, 5))
        self.divisor = torch.nn.Parameter(torch.ones(5))
        self.per_token = torch.nn.Parameter(torch.ones(49, 5))

    def forward(self, x):
        y = self.gamma * self.conv(x)  # (N, 6, 7, 7)
        t = self.fc(y.flatten(2).transpose(1, 2))  # (N, 49, 5)
        t = (t * self.token_gamma - self.shift) / self.divisor
        return t * self.per_token


def test_layer_scales_and_learned_biases_hold_their_parameters():
    with torch.device("meta"):
        module, x = _Scaled(), torch.empty(3, 3, 7, 7)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing uncounted, no parameter left over
        model = flops.from_torch(module, (x,))
    report = flops.count(model, batch=3)
    assert report.macs == flop_counter_macs(module, x)
    assert report.params == _params(module) and model.unattributed_params == {} and model.uncounted == ()
    learned = [(row.type, row.params) for row in report.layers if row.type.startswith("Learned")]
    # per_token is (49, 5) on (49, 5) tokens: a learned tensor of one example's full shape, also a scale
    assert learned == [("LearnedScale", 6), ("LearnedScale", 5), ("LearnedBias", 5), ("LearnedScale", 5),
                       ("LearnedScale", 245)]  # fmt: skip
    elementwise = 3 * (6 * 49 + 4 * 49 * 5)  # one FLOP per output element of each
    learned_rows = [row for row in report.layers if row.type.startswith("Learned")]
    assert sum(row.extra_flops for row in learned_rows) == elementwise


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


class _Tokens(torch.nn.Module):
    """LeViT's patterns: BatchNorm1d over tokens folded into the rows, (N L, C); a bias table indexed by a
    fixed index, table[:, idx]; a mean over the token dim; DeiT's two prepended tokens."""

    def __init__(self):
        super().__init__()
        self.cls, self.dist = torch.nn.Parameter(torch.zeros(1, 1, 6)), torch.nn.Parameter(torch.zeros(1, 1, 6))
        self.fc = torch.nn.Linear(6, 6)
        self.norm = torch.nn.BatchNorm1d(6)
        self.table = torch.nn.Parameter(torch.zeros(2, 10))
        self.register_buffer("idx", torch.zeros(7, 7, dtype=torch.long))

    def forward(self, x):  # x: (N, 5, 6)
        n = x.shape[0]
        x = torch.cat((self.cls.expand(n, -1, -1), self.dist.expand(n, -1, -1), x), dim=1)  # (N, 7, 6)
        x = self.norm(self.fc(x).flatten(0, 1)).reshape(n, 7, 6)
        scores = x @ x.transpose(1, 2) + self.table[:, self.idx].sum(0)  # (N, 7, 7)
        return (scores @ x).mean(1)


def test_token_patterns_attribute_every_parameter():
    with torch.device("meta"):
        module, x = _Tokens().eval(), torch.empty(3, 5, 6)
    model = _quiet_from_torch(module, (x,))
    report = flops.count(model, batch=3)
    assert report.macs == flop_counter_macs(module, x) == 3 * (7 * 6 * 6 + 2 * 7 * 7 * 6)
    assert report.params == _params(module) and model.unattributed_params == model.unused_params == {}
    types = [row.type for row in report.layers]
    assert types[:2] == ["LearnedTokens", "Linear"] and "BatchNorm1d" in types and "Embedding" in types
    norm = next(row for row in report.layers if row.type == "BatchNorm1d")
    assert (norm.params, norm.output_shape) == (12, (6, 7))  # 6 channels, read as (C, L)
    assert report.layers[-1].type == "GlobalAvgPool" and report.layers[-1].output_shape == (6,)
    assert [op.operator for op in report.uncounted] == ["aten.sum"]  # the table's sum over heads, listed
