"""Shared helpers for the flops tests: counting torch modules on the meta device."""

import pytest

torch = pytest.importorskip("torch")
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402


def _torch_count(function, *shapes):
    """(MACs, output shape without batch) of ``function`` on meta tensors of batch 1.

    MACs = FlopCounterMode's forward FLOPs / 2, exact for conv/linear/matmul-only work.
    """
    with torch.device("meta"):
        tensors = [torch.empty(1, *shape) for shape in shapes]
        with FlopCounterMode(display=False) as counter:
            out = function(*tensors)
    total = counter.get_total_flops()
    assert total % 2 == 0
    return total // 2, tuple(out.shape[1:])


def _torch_params(build):
    with torch.device("meta"):
        module = build()
    return sum(p.numel() for p in module.parameters())


@pytest.fixture
def torch_count():
    return _torch_count


@pytest.fixture
def torch_params():
    return _torch_params


@pytest.fixture
def meta_module():
    def build(factory):
        with torch.device("meta"):
            return factory()
    return build
