"""Recurrent, pooling, resampling and normalization layers against torch and closed forms."""

import math

import pytest

from computelimits import flops

torch = pytest.importorskip("torch")
F = torch.nn.functional

NO_EXTRAS = flops.Convention.macs_only()


def _one(layer, shape, **kwargs):
    model = flops.Sequential([layer], input_shape=shape)
    report = flops.count(model, **kwargs)
    assert report == flops.count(model, backend="numpy", **kwargs)
    return report


def _manual_rnn_macs(kind, input_size, hidden, layers, bidirectional, length, torch_count):
    """MACs of an RNN unrolled with F.linear (the gate equations of torch.nn.{RNN,LSTM,GRU})."""
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[kind]
    directions = 2 if bidirectional else 1

    def run(x):
        width = input_size
        for _ in range(layers):
            outs = []
            for _ in range(directions):
                w_ih, w_hh = torch.empty(gates * hidden, width), torch.empty(gates * hidden, hidden)
                h = torch.empty(1, hidden)
                for t in range(length):
                    gates_x, gates_h = F.linear(x[:, t], w_ih), F.linear(h, w_hh)
                    h = torch.tanh(gates_x[:, :hidden] + gates_h[:, :hidden])
                outs.append(torch.empty(1, length, hidden))
            x = torch.cat(outs, dim=-1)
            width = directions * hidden
        return x

    return torch_count(run, (length, input_size))[0]


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("layers, bidirectional, bias", [(1, False, True), (2, True, True), (3, False, False)])
def test_recurrent_params_and_macs(kind, layers, bidirectional, bias, torch_count, torch_params):
    ours = getattr(flops, kind)(10, 16, num_layers=layers, bias=bias, bidirectional=bidirectional)
    report = _one(ours, (6, 10))
    assert report.params == torch_params(
        lambda: getattr(torch.nn, kind)(10, 16, num_layers=layers, bias=bias, bidirectional=bidirectional)
    )
    assert report.macs == _manual_rnn_macs(kind, 10, 16, layers, bidirectional, 6, torch_count)
    assert report.layers[0].output_shape == (6, 16 * (2 if bidirectional else 1))


def test_lstm_extras_follow_the_stated_gate_formulas():
    # per step, direction and hidden unit: 2 x 4 bias adds, 11 activation FLOPs, 8 element-wise
    report = _one(flops.LSTM(8, 5), (3, 8))
    assert report.extra_flops == 3 * 5 * (8 + 11 + 8)
    assert _one(flops.GRU(8, 5), (3, 8)).extra_flops == 3 * 5 * (6 + 7 + 8)
    assert _one(flops.RNN(8, 5), (3, 8)).extra_flops == 3 * 5 * (2 + 1 + 1)


POOL_CASES = [
    ("MaxPool2d", dict(kernel_size=3, stride=2, padding=1), (4, 10, 11)),
    ("MaxPool2d", dict(kernel_size=3, stride=2, ceil_mode=True), (4, 10, 11)),
    ("AvgPool1d", dict(kernel_size=4, stride=3, padding=2, ceil_mode=True), (2, 12)),
    ("AvgPool2d", dict(kernel_size=2, stride=2, ceil_mode=True), (3, 7, 7)),
    ("MaxPool3d", dict(kernel_size=(1, 3, 3), stride=(1, 2, 2), ceil_mode=True), (2, 4, 9, 10)),
]


@pytest.mark.parametrize("name, kwargs, shape", POOL_CASES)
def test_pool_output_shapes_match_torch(name, kwargs, shape, meta_module, torch_count):
    _, out_shape = torch_count(meta_module(lambda: getattr(torch.nn, name)(**kwargs)), shape)
    report = _one(getattr(flops, name)(**kwargs), shape)
    assert report.layers[0].output_shape == out_shape
    kernel = (
        math.prod(kwargs["kernel_size"])
        if isinstance(kwargs["kernel_size"], tuple)
        else kwargs["kernel_size"] ** (len(shape) - 1)
    )
    assert report.extra_flops == math.prod(out_shape) * kernel


def _adaptive_windows(size, out):
    """Sum of torch's adaptive window lengths by enumeration: [floor(i S/O), ceil((i+1) S/O))."""
    return sum(-((-(i + 1) * size) // out) - (i * size) // out for i in range(out))


@pytest.mark.parametrize("size, out", [(7, 3), (10, 10), (5, 8), (224, 7), (13, 1), (1, 5), (97, 13)])
def test_adaptive_pool_windows_follow_torch_index_rule(size, out, meta_module, torch_count):
    _, out_shape = torch_count(meta_module(lambda: torch.nn.AdaptiveAvgPool1d(out)), (3, size))
    report = _one(flops.AdaptiveAvgPool1d(out), (3, size))
    assert report.layers[0].output_shape == out_shape
    assert report.extra_flops == 3 * _adaptive_windows(size, out)
    both = _one(flops.AdaptiveMaxPool2d((out, None)), (2, size, size + 2))
    assert both.layers[0].output_shape == (2, out, size + 2)
    assert both.extra_flops == 2 * _adaptive_windows(size, out) * _adaptive_windows(size + 2, size + 2)


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        (dict(scale_factor=2), (3, 5, 7)),
        (dict(scale_factor=1.5), (3, 5, 7)),
        (dict(size=(9, 4), mode="bilinear"), (2, 5, 7)),
        (dict(scale_factor=(2.5, 0.5), mode="bilinear"), (2, 5, 7)),
        (dict(scale_factor=3), (2, 4)),
        (dict(size=6), (1, 2, 3, 4)),
    ],
)
def test_upsample_shapes_match_torch(kwargs, shape, torch_count):
    mode = kwargs.get("mode", "nearest")
    args = {k: v for k, v in kwargs.items() if k != "mode"}
    _, out_shape = torch_count(lambda x: F.interpolate(x, mode=mode, **args), shape)
    report = _one(flops.Upsample(**kwargs), shape)
    assert report.layers[0].output_shape == out_shape
    assert report.extra_flops == (7 * math.prod(out_shape) if mode == "bilinear" else 0)


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (lambda: flops.BatchNorm2d(6), lambda: torch.nn.BatchNorm2d(6), (6, 4, 4)),
        (lambda: flops.BatchNorm1d(6, affine=False), lambda: torch.nn.BatchNorm1d(6, affine=False), (6, 5)),
        (lambda: flops.LayerNorm((4, 5)), lambda: torch.nn.LayerNorm((4, 5)), (3, 4, 5)),
        (lambda: flops.LayerNorm(5, bias=False), lambda: torch.nn.LayerNorm(5, bias=False), (3, 5)),
        (lambda: flops.GroupNorm(3, 6), lambda: torch.nn.GroupNorm(3, 6), (6, 4, 4)),
        (lambda: flops.RMSNorm(8), lambda: torch.nn.RMSNorm(8), (2, 8)),
        (lambda: flops.Embedding(100, 8), lambda: torch.nn.Embedding(100, 8), (7,)),
    ],
)
def test_parameter_counts_match_torch(ours, theirs, shape, torch_params):
    assert _one(ours(), shape).params == torch_params(theirs)


def test_normalization_extras_train_and_eval():
    n = 6 * 4 * 4
    bn = flops.BatchNorm2d(6)
    assert _one(bn, (6, 4, 4)).extra_flops == 2 * n  # eval: folded scale and shift
    assert _one(bn, (6, 4, 4), training=True).extra_flops == 7 * n  # mean, var (3), normalize (2) + affine (2)
    assert _one(flops.LayerNorm(16), (6, 16), training=True).extra_flops == 7 * 96
    assert _one(flops.RMSNorm(16), (6, 16)).extra_flops == 4 * 96
    assert _one(bn, (6, 4, 4), convention=flops.Convention(normalization=False)).extra_flops == 0


def test_activation_and_softmax_extras_are_switchable():
    x = (10, 12)
    costs = {"ReLU": 1, "ReLU6": 2, "GELU": 5, "SiLU": 4, "Sigmoid": 3, "Tanh": 1}
    for name, cost in costs.items():
        assert _one(getattr(flops, name)(), x).extra_flops == cost * 120
        assert _one(getattr(flops, name)(), x, convention=flops.Convention(activation=False)).extra_flops == 0
    assert _one(flops.Softmax(), x).extra_flops == 5 * 120
    assert _one(flops.Softmax(), x, convention=NO_EXTRAS).flops == 0
