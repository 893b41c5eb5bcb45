"""from_torch on transformers' vision models (no torchvision needed) against FlopCounterMode, exactly.

Twelve families at small odd sizes and batch 3, each built on the meta device from its config: CNNs
(ResNet, RegNet, MobileNetV2, ConvNeXt and ConvNeXt V2 with their channels-last layer scale, PoolFormer),
vision transformers (DeiT with its class and distillation tokens, BEiT, DINOv2, Swin) and hybrids
(MobileViT, LeViT). MACs equal FlopCounterMode's; parameters equal ``module.parameters()`` once the listed
ones are added, and what is listed is named here: ConvNeXt V2's global response norm uses an L2 norm
(aten.linalg_vector_norm), LeViT hardswish, DINOv2's mask token is unused without masked positions, and
BEiT's relative position tables are read only by slicing before an interpolation.
"""

from __future__ import annotations

import warnings

import pytest

from computelimits import flops

from .conftest import flop_counter_macs

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

STAGES = {"hidden_sizes": [16, 32, 48, 64], "depths": [1, 2, 1, 1], "num_labels": 7}
TOKENS = {"image_size": 48, "patch_size": 8, "hidden_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4}
# model_type: (class, config, image side, uncounted operators, unused + unattributed parameters)
FAMILIES = {
    "resnet": ("ResNetForImageClassification", dict(STAGES, embedding_size=16), 64, set(), 0),
    "regnet": (
        "RegNetForImageClassification",
        dict(STAGES, embedding_size=16, depths=[1, 1, 2, 1], groups_width=8),
        64,
        set(),
        0,
    ),
    "mobilenet_v2": ("MobileNetV2ForImageClassification", {"depth_multiplier": 0.35, "num_labels": 7}, 65, set(), 0),
    "convnext": ("ConvNextForImageClassification", STAGES, 64, set(), 0),
    "convnextv2": ("ConvNextV2ForImageClassification", STAGES, 64, {"aten.linalg_vector_norm"}, 0),
    "poolformer": ("PoolFormerForImageClassification", dict(STAGES, depths=[1, 1, 2, 1]), 64, set(), 0),
    "deit": (
        "DeiTForImageClassificationWithTeacher",
        dict(TOKENS, intermediate_size=96, num_labels=7),
        48,
        set(),
        0,
    ),
    "beit": (
        "BeitForImageClassification",
        dict(TOKENS, intermediate_size=96, num_labels=7, use_relative_position_bias=True, layer_scale_init_value=0.1),
        48,
        set(),
        2 * ((2 * 6 - 1) ** 2 + 3) * 4,  # two tables of (2 x 6 - 1)^2 + 3 relative distances x 4 heads
    ),
    "dinov2": ("Dinov2Model", dict(TOKENS, image_size=56, patch_size=14, mlp_ratio=2), 56, set(), 48),  # mask token
    "swin": (
        "SwinForImageClassification",
        {"image_size": 64, "patch_size": 4, "embed_dim": 24, "depths": [1, 2], "num_heads": [2, 4], "window_size": 4},
        64,
        set(),
        0,
    ),
    "mobilevit": ("MobileViTForImageClassification", {"image_size": 64, "num_labels": 7}, 64, set(), 0),
    "levit": ("LevitForImageClassification", {"image_size": 64, "num_labels": 7}, 64, {"aten.hardswish"}, 0),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_transformers_vision_models_match_flop_counter_mode(family):
    cls, config, side, uncounted, listed = FAMILIES[family]
    cfg = transformers.AutoConfig.for_model(family, **config)
    with torch.device("meta"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = getattr(transformers, cls)(cfg).eval()
        x = torch.empty(3, 3, side, side)
        model = flops.from_torch(module, (), {"pixel_values": x})
    report = flops.count(model, batch=3)
    assert model.capture == "export"
    assert report.macs == flop_counter_macs(module, pixel_values=x)
    assert {op.operator for op in report.uncounted} == uncounted
    assert sum(model.unused_params.values()) + model.uncounted_params == listed
    assert report.params + listed == sum(p.numel() for p in module.parameters())
