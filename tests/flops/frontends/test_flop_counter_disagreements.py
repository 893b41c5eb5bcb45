"""The FlopCounterMode disagreements docs/frontends.md lists, each shown against a closed form.

from_torch counts what the catalogue says (docs/flops.md); torch's FlopCounterMode differs where:

* scaled-dot-product attention runs on the CPU: FlopCounterMode counts 0 (it counts SDPA's flash and
  efficient kernels, and on the meta device SDPA runs as bmm, which it counts), here 2 L^2 d MACs;
* a matrix times a vector (``mv``, ``dot``): FlopCounterMode counts 0, here rows x k MACs;
* work that does not depend on the batch (an MLP over a position table): FlopCounterMode counts it once per
  call, a per-example model once per example.

And where they used to differ but no longer do: ``padding="same"``, including the asymmetric padding of
even kernels, which torch applies by padding the input with zeros first.
"""

from __future__ import annotations

import warnings

import pytest

from computelimits import flops
from computelimits.exceptions import ComputeLimitsWarning

from .conftest import flop_counter_macs

torch = pytest.importorskip("torch")


def _from_torch(module, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = flops.from_torch(module, args)
    ours = [str(w.message) for w in caught if issubclass(w.category, ComputeLimitsWarning)]
    assert ours == []  # recorded by torch.export, nothing uncounted, no parameter left out
    return model


class _Attention(torch.nn.Module):
    def forward(self, q):
        return torch.nn.functional.scaled_dot_product_attention(q, q, q)


def test_cpu_scaled_dot_product_attention_is_zero_for_flop_counter_mode():
    batch, heads, length, width = 2, 4, 10, 8
    q = torch.zeros(batch, heads, length, width)  # real CPU tensors
    model = _from_torch(_Attention(), q.to("meta"))
    closed_form = 2 * batch * heads * length * length * width  # scores and weighted values
    assert flops.count(model, batch=batch).macs == closed_form
    assert flop_counter_macs(_Attention(), q) == 0
    assert flop_counter_macs(_Attention(), q.to("meta")) == closed_form


class _MatrixVector(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(8))

    def forward(self, x):
        return x @ self.w  # (N, 8) @ (8,): aten.mv


def test_matrix_vector_products_are_zero_for_flop_counter_mode():
    x = torch.zeros(3, 8)
    model = _from_torch(_MatrixVector(), x)
    report = flops.count(model, batch=3)
    assert report.macs == 3 * 8 and report.params == 8  # a Linear(8, 1) without bias holds the vector
    assert [row.type for row in report.layers] == ["Linear"]
    assert flop_counter_macs(_MatrixVector(), x) == 0
    with torch.device("meta"):
        assert flop_counter_macs(_MatrixVector(), x.to("meta")) == 0


class _TableBias(torch.nn.Module):
    """A bias computed each call by an MLP from a table of coordinates (Swin V2's continuous position bias)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("table", torch.ones(16, 4))
        self.mlp = torch.nn.Linear(4, 5)
        self.proj = torch.nn.Linear(5, 5)

    def forward(self, x):
        return self.proj(x) + self.mlp(self.table)


@pytest.mark.parametrize("batch", [1, 3])
def test_batch_independent_work_counts_once_per_call_in_flop_counter_mode(batch):
    with torch.device("meta"):
        module, x = _TableBias(), torch.empty(batch, 16, 5)
    model = _from_torch(module, x)
    per_example, per_call = 16 * 5 * 5, 16 * 4 * 5  # proj on 16 tokens; the table's MLP
    assert flops.count(model, batch=batch).macs == batch * (per_example + per_call)
    assert flop_counter_macs(module, x) == batch * per_example + per_call


@pytest.mark.parametrize(
    ("dims", "kernel", "dilation", "side"), [(2, 4, 1, 9), (2, 3, 1, 8), (1, 6, 1, 11), (2, 4, 2, 7), (3, 2, 1, 5)]
)
def test_same_padding_matches_flop_counter_mode_even_for_even_kernels(dims, kernel, dilation, side):
    """torch pads d (k - 1) in total: half each side and, when odd, one more on the right (zeros first)."""
    with torch.device("meta"):
        conv = getattr(torch.nn, f"Conv{dims}d")(3, 4, kernel, padding="same", dilation=dilation)
        module = torch.nn.Sequential(torch.nn.Conv2d(3, 3, 1) if dims == 2 else torch.nn.Identity(), conv)
        x = torch.empty((2, 3) + (side,) * dims)
    model = _from_torch(module, x)
    report = flops.count(model, batch=2)
    assert report.macs == flop_counter_macs(module, x)
    assert report.params == sum(p.numel() for p in module.parameters())
    conv_row = next(
        row for row in report.layers if row.type == f"Conv{dims}d" and row.params == 4 * 3 * kernel**dims + 4
    )
    assert conv_row.output_shape == (4,) + (side,) * dims
    assert conv_row.macs == 2 * 4 * 3 * kernel**dims * side**dims
    if dims == 2:  # behind another layer the padded input still carries the gradient
        assert conv_row.backward_input_flops == 2 * conv_row.macs
