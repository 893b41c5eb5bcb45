"""Fixtures of the flops tests that measure with torch (each skips cleanly where torch is absent).

* ``torch_ref``: the pure-torch reference transformers of ``torch_references.py`` (BERT, GPT-2,
  GPT-3, Transformer base/big on the meta device, measured with ``FlopCounterMode``).
* ``torch_count``, ``torch_params``, ``meta_module``: small measuring helpers shared by the layer
  and vision-zoo tests.

torch is imported lazily, so the engine's own tests in this folder never depend on it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .torch_references import (
    BERT_SIZES,
    GPT2_SIZES,
    GPT3_SIZES,
    TRANSFORMER_SIZES,
    attend,
    attention_block,
    bert,
    causal_core_macs,
    forward_backward_macs,
    gpt,
    gpt2,
    gpt3,
    measure,
    reference,
    tokens,
    transformer,
)


@pytest.fixture(scope="session")
def torch_ref():
    """Namespace of the reference builders; skips cleanly where torch is absent."""
    pytest.importorskip("torch")
    return SimpleNamespace(
        bert=bert,
        gpt=gpt,
        gpt2=gpt2,
        gpt3=gpt3,
        transformer=transformer,
        attention_block=attention_block,
        attend=attend,
        tokens=tokens,
        measure=measure,
        reference=reference,
        causal_core_macs=causal_core_macs,
        forward_backward_macs=forward_backward_macs,
        BERT_SIZES=BERT_SIZES,
        GPT2_SIZES=GPT2_SIZES,
        GPT3_SIZES=GPT3_SIZES,
        TRANSFORMER_SIZES=TRANSFORMER_SIZES,
    )


# ---- small torch measuring helpers shared by the layer and vision-zoo tests (torch imported lazily)


def _torch_count(function, *shapes):
    """(MACs, output shape without batch) of ``function`` on meta tensors of batch 1.

    MACs = FlopCounterMode's forward FLOPs / 2, exact for conv/linear/matmul-only work.
    """
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    with torch.device("meta"):
        tensors = [torch.empty(1, *shape) for shape in shapes]
        with FlopCounterMode(display=False) as counter:
            out = function(*tensors)
    total = counter.get_total_flops()
    assert total % 2 == 0
    return total // 2, tuple(out.shape[1:])


def _torch_params(build):
    import torch

    with torch.device("meta"):
        module = build()
    return sum(p.numel() for p in module.parameters())


@pytest.fixture
def torch_count():
    pytest.importorskip("torch")
    return _torch_count


@pytest.fixture
def torch_params():
    pytest.importorskip("torch")
    return _torch_params


@pytest.fixture
def meta_module():
    torch = pytest.importorskip("torch")

    def build(factory):
        with torch.device("meta"):
            return factory()

    return build
