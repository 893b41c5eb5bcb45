"""Benchmark: counting Llama-3-70B from its Hugging Face config vs torch's FlopCounterMode (target >= 100x).

Both sides start from the same config (the zoo's published Llama-3-70B config.json) and give the same
answer: ours builds the model with ``from_hf_config`` and counts it (with the C++ core, and with its numpy
twin); the peer builds the transformers model on the meta device (eager attention) and counts one forward
pass with FlopCounterMode. One group, so pytest-benchmark prints them side by side. Every round builds
the model from scratch: the shape inference it saves on the 80 identical layers is cached per model, not
across calls. Measure with:
python -m pytest bench/test_bench_frontends.py --benchmark-enable --benchmark-min-rounds=5
(skips without torch and transformers; torchvision's CUDA-only wheel is made importable as in the tests).
"""

from __future__ import annotations

import importlib.util
import warnings

import pytest

from computelimits import flops
from computelimits.flops.zoo.llm import config

SEQ_LEN, BATCH = 128, 1
CONFIG = config("llama3_70b")


def _shim_torchvision():
    """torchvision's compiled ops do not load beside the CPU torch; define their schemas (as tests/ does)."""
    import torch

    try:
        torch.ops.torchvision.nms  # noqa: B018
    except (AttributeError, RuntimeError):
        library = torch.library.Library("torchvision", "DEF")
        library.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        library.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        _shim_torchvision.library = library


def count_from_config(backend="cpp"):
    report = flops.count(flops.from_hf_config(CONFIG, seq_len=SEQ_LEN), batch=BATCH, backend=backend)
    return report.params, report.macs


def count_with_flop_counter_mode():
    import torch
    import transformers
    from torch.utils.flop_counter import FlopCounterMode

    data = dict(CONFIG)
    data.pop("architectures")
    cfg = transformers.AutoConfig.for_model(data.pop("model_type"), **data)
    with torch.device("meta"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = transformers.AutoModelForCausalLM.from_config(cfg, attn_implementation="eager")
        ids = torch.zeros(BATCH, SEQ_LEN, dtype=torch.long)
        with FlopCounterMode(display=False) as counter:
            model(ids)
    return sum(p.numel() for p in model.parameters()), counter.get_total_flops() // 2


@pytest.mark.benchmark(group="frontends-llama3-70b-from-config")
@pytest.mark.parametrize("counter", ["from_hf_config", "from_hf_config-numpy", "FlopCounterMode"])
def test_count_llama3_70b_from_its_config(benchmark, counter):
    if counter == "FlopCounterMode":
        if importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None:
            pytest.skip("the peer needs torch and transformers")
        _shim_torchvision()
        function = count_with_flop_counter_mode
    else:
        backend = "numpy" if counter.endswith("numpy") else "cpp"

        def function():
            return count_from_config(backend)

    params, macs = benchmark(function)
    assert params == 70_553_706_496  # Llama-3-70B's published parameter count
    assert (params, macs) == count_from_config()
