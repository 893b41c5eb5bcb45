"""Peer-tool defects that an independent source lets us assert (docs/flops.md, "Peers").

thop's transposed-convolution rule multiplies by the *output* positions; the
MACs are C_o (C_i / g) K S_i (each input position scatters one kernel), which
torch's FlopCounterMode also reports. With kernel = stride and no padding the
output is stride x larger per spatial dim, so the output-based rule is exactly
stride^d too large. (GPT-2 / thop and CPU SDPA: test_zoo_language.py and
test_attention_variants.py.)
"""

import pytest

from computelimits import flops

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(("dims", "stride"), [(1, 2), (2, 2), (2, 3), (3, 2)])
def test_transposed_conv_output_rule_overcounts_by_stride_power(torch_ref, dims, stride):
    c_in, c_out, size = 6, 4, 5
    shape = (c_in,) + (size,) * dims
    ours = flops.count(
        flops.Sequential(
            [getattr(flops, f"ConvTranspose{dims}d")(c_in, c_out, stride, stride=stride)], input_shape=shape
        )
    )
    with torch.device("meta"):
        layer = getattr(torch.nn, f"ConvTranspose{dims}d")(c_in, c_out, stride, stride=stride)
    torch_params, torch_macs = torch_ref.measure(layer, layer, torch.zeros(1, *shape, device="meta"))
    assert ours.params == torch_params
    kernel = stride**dims
    true_macs = c_out * c_in * kernel * size**dims
    assert ours.macs == torch_macs == true_macs
    output_positions = (size * stride) ** dims
    assert ours.layers[0].output_shape == (c_out,) + (size * stride,) * dims
    thop_style = c_out * c_in * kernel * output_positions
    assert thop_style == true_macs * stride**dims
