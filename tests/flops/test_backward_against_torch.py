"""The engine's backward FLOPs against torch's FlopCounterMode (a peer tool).

Design that makes the comparison exact: torch counts only mm/addmm/bmm/convolution
and their backward kernels, at 2 FLOP per MAC, so the engine is run under
``Convention.macs_only()`` (no bias, norm, activation, softmax, pooling or
element-wise extras: torch's bias-gradient sums, ReLU/pool backward are uncounted
too). The input does not require grad, matching the engine's rule that the first
layer computes no input gradient, while every parameter does. Everything runs on
meta tensors. Where the engine and torch differ they differ by a stated amount:

* grouped convolution: torch's weight-gradient formula counts g x the true
  MACs (docs/flops.md, "Peers"); ours is C_o (C_i / g) K S_o per example, the
  same as the forward, so torch's weight gradient is exactly g x ours;
* embeddings: the engine counts the weight gradient's L x d scatter-adds, torch's
  embedding_dense_backward counts 0.
"""

import pytest

from computelimits import flops

torch = pytest.importorskip("torch")
nn = torch.nn
MACS_ONLY = flops.Convention.macs_only()


def _torch_counts(torch_ref, module, shape):
    x = torch.zeros(1, *shape, device="meta")  # batch 1; requires_grad stays False
    return torch_ref.forward_backward_macs(module, x)


def _pair(torch_ref, torch_layers, our_layers, shape, backend="cpp"):
    with torch.device("meta"):
        module = nn.Sequential(*torch_layers())
    ours = flops.count(flops.Sequential(our_layers(), input_shape=shape), convention=MACS_ONLY, backend=backend)
    return _torch_counts(torch_ref, module, shape), ours


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
@pytest.mark.parametrize("bias", [False, True])
def test_mlp_backward_equals_torch(torch_ref, backend, bias):
    (fwd, bwd), ours = _pair(
        torch_ref,
        lambda: [
            nn.Linear(64, 128, bias=bias),
            nn.ReLU(),
            nn.Linear(128, 32, bias=bias),
            nn.Tanh(),
            nn.Linear(32, 10, bias=bias),
        ],
        lambda: [
            flops.Linear(64, 128, bias=bias),
            flops.ReLU(),
            flops.Linear(128, 32, bias=bias),
            flops.Tanh(),
            flops.Linear(32, 10, bias=bias),
        ],
        (7, 64),
        backend,
    )
    assert ours.macs == fwd == 7 * (64 * 128 + 128 * 32 + 32 * 10)
    assert ours.backward_flops == 2 * bwd
    # closed form: weight grads of all three, input grads of the last two
    assert bwd == 2 * fwd - 7 * 64 * 128


@pytest.mark.parametrize("backend", ["cpp", "numpy"])
def test_convnet_backward_equals_torch(torch_ref, backend):
    (fwd, bwd), ours = _pair(
        torch_ref,
        lambda: [
            nn.Conv2d(3, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, stride=2, dilation=2),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.Flatten(),
            nn.Linear(32 * 6 * 6, 10),
        ],
        lambda: [
            flops.Conv2d(3, 16, 3, padding=1),
            flops.ReLU(),
            flops.MaxPool2d(2),
            flops.Conv2d(16, 32, 3, stride=2, dilation=2),
            flops.BatchNorm2d(32),
            flops.ReLU(),
            flops.Flatten(),
            flops.Linear(32 * 6 * 6, 10),
        ],
        (3, 32, 32),
        backend,
    )
    assert ours.macs == fwd
    assert ours.backward_flops == 2 * bwd


@pytest.mark.parametrize(
    ("torch_layers", "our_layers", "shape"),
    [
        (
            lambda: [nn.Conv1d(4, 6, 5, stride=2, padding=3), nn.ReLU(), nn.Conv1d(6, 6, 3, dilation=2)],
            lambda: [flops.Conv1d(4, 6, 5, stride=2, padding=3), flops.ReLU(), flops.Conv1d(6, 6, 3, dilation=2)],
            (4, 40),
        ),
        (
            lambda: [nn.Conv3d(2, 4, 3, padding=1, dilation=(1, 2, 1)), nn.Conv3d(4, 3, (1, 3, 2), stride=(1, 2, 1))],
            lambda: [
                flops.Conv3d(2, 4, 3, padding=1, dilation=(1, 2, 1)),
                flops.Conv3d(4, 3, (1, 3, 2), stride=(1, 2, 1)),
            ],
            (2, 6, 9, 7),
        ),
        (
            lambda: [
                nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1),
                nn.ReLU(),
                nn.ConvTranspose2d(6, 2, 2, stride=2),
            ],
            lambda: [
                flops.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1),
                flops.ReLU(),
                flops.ConvTranspose2d(6, 2, 2, stride=2),
            ],
            (4, 9, 11),
        ),
    ],
)
def test_conv_variants_backward_equals_torch(torch_ref, torch_layers, our_layers, shape):
    """Two stacked layers so both the input-gradient and weight-gradient kernels are exercised."""
    (fwd, bwd), ours = _pair(torch_ref, torch_layers, our_layers, shape)
    assert ours.macs == fwd
    assert ours.backward_flops == 2 * bwd


@pytest.mark.parametrize("groups", [1, 2, 4, 8])
def test_grouped_conv_weight_gradient_torch_overcounts_by_groups(torch_ref, groups):
    """Single layer, input without grad: torch's backward is the weight gradient only."""
    (fwd, bwd), ours = _pair(
        torch_ref,
        lambda: [nn.Conv2d(8, 16, 3, groups=groups, bias=False)],
        lambda: [flops.Conv2d(8, 16, 3, groups=groups, bias=False)],
        (8, 12, 12),
    )
    true_macs = 16 * (8 // groups) * 9 * 10 * 10  # C_o (C_i / g) K S_o
    assert ours.macs == fwd == true_macs
    row = ours.layers[0]
    assert row.backward_input_flops == 0 and row.backward_weight_flops == 2 * true_macs
    assert bwd == groups * true_macs  # torch: exactly g x the true weight-gradient MACs


def test_grouped_conv_input_gradient_agrees(torch_ref):
    """Behind another layer the grouped conv's input gradient is computed; torch is exact there."""
    (_fwd, bwd), ours = _pair(
        torch_ref,
        lambda: [nn.Conv2d(3, 8, 1, bias=False), nn.Conv2d(8, 16, 3, groups=4, bias=False)],
        lambda: [flops.Conv2d(3, 8, 1, bias=False), flops.Conv2d(8, 16, 3, groups=4, bias=False)],
        (3, 12, 12),
    )
    grouped = 16 * 2 * 9 * 100
    first = 8 * 3 * 144
    # torch: first weight grad + grouped input grad + 4 x grouped weight grad
    assert bwd == first + grouped + 4 * grouped
    assert ours.backward_flops == 2 * (first + grouped + grouped)


def test_gpt2_backward_equals_torch_plus_embedding_scatter(torch_ref):
    length, d = 16, 768
    _module, forward = torch_ref.gpt2("small")
    fwd, bwd = torch_ref.forward_backward_macs(forward, *torch_ref.tokens(length))
    ours = flops.count(flops.zoo.gpt2(seq_len=length), convention=MACS_ONLY)
    assert ours.macs == fwd
    # wte and wpe weight gradients: L x d scatter-adds each, which torch does not count;
    # the tied head's weight gradient (an mm in torch) is counted by both
    assert ours.backward_flops == 2 * bwd + 2 * length * d


def test_bert_backward_equals_torch_plus_embedding_scatter(torch_ref):
    """Post-norm encoder, [CLS] pooler (Select), two graph inputs: word, token-type, position tables."""
    length, d = 9, 768
    _module, forward = torch_ref.bert("base")
    fwd, bwd = torch_ref.forward_backward_macs(lambda ids: forward(ids)[1], *torch_ref.tokens(length))
    ours = flops.count(flops.zoo.bert_base(seq_len=length), convention=MACS_ONLY)
    assert ours.macs == fwd
    assert ours.backward_flops == 2 * bwd + 3 * length * d


def test_transformer_backward_equals_torch_plus_embedding_scatter(torch_ref):
    """Encoder-decoder graph: cross-attention sends key/value gradients back into the encoder."""
    src, tgt, d = 7, 5, 512
    _module, forward = torch_ref.transformer("base")
    src_ids, tgt_ids = torch_ref.tokens(src, tgt)
    fwd, bwd = torch_ref.forward_backward_macs(lambda s: forward(s, tgt_ids), src_ids)
    ours = flops.count(flops.zoo.transformer_base(src, tgt), convention=MACS_ONLY)
    assert ours.macs == fwd
    assert ours.backward_flops == 2 * bwd + (src + tgt) * d
