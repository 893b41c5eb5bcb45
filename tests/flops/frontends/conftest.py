"""Shared helpers of the front-end tests: the FlopCounterMode oracle and a torchvision shim.

PyPI's torchvision wheel is built against CUDA torch; beside the CPU torch its compiled operators fail to
load and ``import torchvision`` (which transformers tries on import) raises ``operator torchvision::nms does
not exist``. Defining the two schemas with ``torch.library`` first lets the Python side import; no test
calls them. The shim is test-only and does nothing when the operators exist or torch is absent.

The oracle builds a transformers model from a config on the meta device with eager attention (and the
``batched_mm`` experts, whose work per token does not depend on the routing, so it runs on meta tensors),
runs one forward inside ``torch.utils.flop_counter.FlopCounterMode`` and returns (parameters, MACs) with
MACs = FlopCounterMode's total / 2 and parameters counted once even when tied, as ``module.parameters()``
yields them.
"""

from __future__ import annotations

import importlib.util
import warnings

import pytest

_SHIM = []
ENCODERS = ("bert", "roberta", "t5", "vit")


def install_torchvision_shim() -> None:
    """Define torchvision::nms / qnms schemas when torchvision's compiled ops cannot load (test-only)."""
    if _SHIM or importlib.util.find_spec("torch") is None or importlib.util.find_spec("torchvision") is None:
        return
    import torch

    try:
        torch.ops.torchvision.nms  # noqa: B018 - probing whether the compiled operator is registered
    except (AttributeError, RuntimeError):
        library = torch.library.Library("torchvision", "DEF")
        library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        _SHIM.append(library)  # the library object must stay alive


install_torchvision_shim()


def _transformers():
    pytest.importorskip("torch")
    return pytest.importorskip("transformers")


def hf_model(config: dict, architecture: str | None = None, device: str = "meta"):
    """A transformers model on ``device`` (eager attention, batched_mm experts) built from ``config``."""
    import torch

    transformers = _transformers()
    data = dict(config)
    model_type = data.pop("model_type")
    data.pop("architectures", None)
    cfg = transformers.AutoConfig.for_model(model_type, **data)
    if architecture is None:
        architecture = (config.get("architectures") or [None])[0]
    if architecture is None:
        decoder = model_type not in ENCODERS
        cls = transformers.AutoModelForCausalLM if decoder else transformers.AutoModel
        if model_type == "t5":
            cls = transformers.T5ForConditionalGeneration
    else:
        cls = getattr(transformers, architecture)
    kwargs = {"attn_implementation": "eager"}
    if model_type in ("mixtral", "qwen2_moe"):
        kwargs["experts_implementation"] = "batched_mm"
    with torch.device(device), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if hasattr(cls, "from_config"):
            return cls.from_config(cfg, **kwargs)
        return cls._from_config(cfg, **kwargs)


def _inputs(model, batch: int, seq_len: int | None, decoder_seq_len: int | None, device: str = "meta"):
    import torch

    config = model.config
    if config.model_type == "vit":
        size = config.image_size if isinstance(config.image_size, int) else config.image_size[0]
        width = config.image_size if isinstance(config.image_size, int) else config.image_size[1]
        return {"pixel_values": torch.zeros(batch, config.num_channels, size, width, device=device)}
    inputs = {"input_ids": torch.zeros(batch, seq_len, dtype=torch.long, device=device)}
    if config.model_type == "t5" and type(model).__name__ != "T5EncoderModel":
        length = seq_len if decoder_seq_len is None else decoder_seq_len
        inputs["decoder_input_ids"] = torch.zeros(batch, length, dtype=torch.long, device=device)
    return inputs


def flop_counter_macs(function, *args, **kwargs) -> int:
    """MACs of one call = FlopCounterMode's total FLOPs / 2 (it counts mm/addmm/bmm/conv/SDPA only)."""
    from torch.utils.flop_counter import FlopCounterMode

    with warnings.catch_warnings(), FlopCounterMode(display=False) as counter:
        warnings.simplefilter("ignore")
        function(*args, **kwargs)
    total = counter.get_total_flops()
    assert total % 2 == 0
    return total // 2


def hf_reference(
    config: dict,
    batch: int,
    seq_len: int | None = None,
    decoder_seq_len: int | None = None,
    architecture: str | None = None,
):
    """(parameters, forward MACs) of the transformers model of ``config`` at (batch, seq_len).

    Decoder classifiers look up each row's last non-padding token, a data-dependent step meta tensors
    cannot take: those (small) models run on the CPU instead, with the same counts.
    """
    named = architecture or (config.get("architectures") or [""])[0]
    device = "cpu" if named.endswith("ForSequenceClassification") and config["model_type"] not in ENCODERS else "meta"
    model = hf_model(config, architecture, device)
    params = sum(p.numel() for p in model.parameters())
    return params, flop_counter_macs(model, **_inputs(model, batch, seq_len, decoder_seq_len, device))


def hf_decode_reference(config: dict, batch: int, prompt: int, steps: int = 1):
    """MACs of ``steps`` successive one-token calls after a ``prompt``-token prefill (DynamicCache)."""
    import torch

    model = hf_model(config)
    ids = torch.zeros(batch, prompt, dtype=torch.long, device="meta")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cache = model(ids, use_cache=True).past_key_values
    out = []
    token = torch.zeros(batch, 1, dtype=torch.long, device="meta")
    for _ in range(steps):
        holder = {}

        def step(holder=holder, cache=cache):
            holder["out"] = model(token, past_key_values=cache, use_cache=True)

        out.append(flop_counter_macs(step))
        cache = holder["out"].past_key_values
    return out


@pytest.fixture(scope="session")
def transformers_module():
    return _transformers()
