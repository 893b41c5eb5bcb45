"""Layer catalogue against torch: shapes, parameters and MACs (FlopCounterMode on meta tensors)."""

import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402  (after the skip: the module needs torch)
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

from computelimits import flops  # noqa: E402


def _one(layer, *shapes, convention=None, **kwargs):
    if len(shapes) == 1:
        model = flops.Sequential([layer], input_shape=shapes[0])
    else:
        graph = flops.Graph({f"x{i}": s for i, s in enumerate(shapes)})
        graph.add(layer, [f"x{i}" for i in range(len(shapes))], name="layer")
        model = graph
    report = flops.count(model, convention=convention, **kwargs)
    assert report == flops.count(model, convention=convention, backend="numpy", **kwargs)
    return report


CONV_CASES = [
    (1, dict(in_channels=4, out_channels=6, kernel_size=3, stride=2, padding=1), (4, 17)),
    (
        2,
        dict(
            in_channels=6, out_channels=9, kernel_size=(3, 5), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=3
        ),
        (6, 15, 11),
    ),
    (2, dict(in_channels=8, out_channels=8, kernel_size=3, padding=1, groups=8, bias=False), (8, 9, 9)),
    (3, dict(in_channels=2, out_channels=4, kernel_size=(1, 3, 3), stride=(1, 2, 2)), (2, 5, 9, 8)),
]


@pytest.mark.parametrize("dims, kwargs, shape", CONV_CASES)
def test_conv_matches_torch(dims, kwargs, shape, torch_count, torch_params, meta_module):
    ours = getattr(flops, f"Conv{dims}d")(**kwargs)
    reference = meta_module(lambda: getattr(torch.nn, f"Conv{dims}d")(**kwargs))
    macs, out_shape = torch_count(reference, shape)
    report = _one(ours, shape)
    assert (report.macs, report.layers[0].output_shape) == (macs, out_shape)
    assert report.params == torch_params(lambda: getattr(torch.nn, f"Conv{dims}d")(**kwargs))


TRANSPOSED_CASES = [
    (1, dict(in_channels=4, out_channels=6, kernel_size=4, stride=3, padding=1, output_padding=2), (4, 7)),
    (2, dict(in_channels=8, out_channels=4, kernel_size=3, stride=2, groups=2, dilation=2), (8, 5, 6)),
    (3, dict(in_channels=2, out_channels=2, kernel_size=2, stride=2, bias=False), (2, 3, 3, 3)),
]


@pytest.mark.parametrize("dims, kwargs, shape", TRANSPOSED_CASES)
def test_transposed_conv_uses_input_positions_not_stride_power(
    dims, kwargs, shape, torch_count, torch_params, meta_module
):
    ours = getattr(flops, f"ConvTranspose{dims}d")(**kwargs)
    reference = meta_module(lambda: getattr(torch.nn, f"ConvTranspose{dims}d")(**kwargs))
    macs, out_shape = torch_count(reference, shape)
    report = _one(ours, shape)
    assert (report.macs, report.layers[0].output_shape) == (macs, out_shape)
    assert report.params == torch_params(lambda: getattr(torch.nn, f"ConvTranspose{dims}d")(**kwargs))


@pytest.mark.parametrize(
    "a, b", [((5,), (5,)), ((5,), (2, 5, 6)), ((3, 1, 4, 5), (2, 5, 6)), ((4, 5), (5,)), ((7, 4, 5), (7, 5, 3))]
)
def test_matmul_broadcasting_matches_torch(a, b):
    # per example: torch.matmul on the unbatched operands. FlopCounterMode counts 0 for dot/mv,
    # so count the documented promotion (1-D a -> (1, k), 1-D b -> (k, 1)) it is defined by.
    with torch.device("meta"):
        out = torch.matmul(torch.empty(*a), torch.empty(*b))
        a2, b2 = ((1,) + a if len(a) == 1 else a), (b + (1,) if len(b) == 1 else b)
        with FlopCounterMode(display=False) as counter:
            torch.matmul(torch.empty(*a2), torch.empty(*b2))
    report = _one(flops.Matmul(), a, b)
    assert (report.macs, report.layers[0].output_shape) == (counter.get_total_flops() // 2, tuple(out.shape))


def test_linear_over_leading_dims(torch_count, torch_params, meta_module):
    macs, out_shape = torch_count(meta_module(lambda: torch.nn.Linear(12, 7)), (3, 5, 12))
    report = _one(flops.Linear(12, 7), (3, 5, 12))
    assert (report.macs, report.layers[0].output_shape, report.params) == (
        macs,
        out_shape,
        torch_params(lambda: torch.nn.Linear(12, 7)),
    )


def _manual_attention(x, memory, wq, wk, wv, wo, heads, kv_heads, mask=None):
    length = x.shape[1]
    q = F.linear(x, wq).view(1, length, heads, -1).transpose(1, 2)
    k = F.linear(memory, wk).view(1, memory.shape[1], kv_heads, -1).transpose(1, 2)
    v = F.linear(memory, wv).view(1, memory.shape[1], kv_heads, -1).transpose(1, 2)
    k = k.repeat_interleave(heads // kv_heads, dim=1)
    v = v.repeat_interleave(heads // kv_heads, dim=1)
    scores = q @ k.transpose(-1, -2)
    out = torch.softmax(scores, -1) @ v
    return F.linear(out.transpose(1, 2).reshape(1, length, -1), wo)


@pytest.mark.parametrize(
    "embed, heads, kv_heads, head_dim, q_len, kv_len",
    [(64, 8, 8, 8, 10, None), (64, 8, 2, 8, 9, None), (48, 4, 1, 16, 6, None), (32, 4, 4, 8, 5, 11)],
)
def test_attention_matches_manual_torch_attention(embed, heads, kv_heads, head_dim, q_len, kv_len, torch_count):
    kv_rows = kv_len or q_len
    with torch.device("meta"):
        weights = [
            torch.empty(heads * head_dim, embed),
            torch.empty(kv_heads * head_dim, embed),
            torch.empty(kv_heads * head_dim, embed),
            torch.empty(embed, heads * head_dim),
        ]
    macs, _ = torch_count(
        lambda x, m: _manual_attention(x, m, *weights, heads, kv_heads), (q_len, embed), (kv_rows, embed)
    )
    layer = flops.MultiheadAttention(
        embed, heads, num_kv_heads=kv_heads, head_dim=head_dim, kv_seq_len=kv_len, bias=False
    )
    report = _one(layer, (q_len, embed))
    assert report.macs == macs
    assert report.params == sum(w.numel() for w in weights)


def test_attention_score_macs_do_not_depend_on_head_count():
    base = _one(flops.MultiheadAttention(64, 1), (20, 64)).macs
    assert all(_one(flops.MultiheadAttention(64, h), (20, 64)).macs == base for h in (2, 4, 8, 16, 64))
    # 4 L d^2 projections + 2 L^2 d scores and values (docs/flops.md, "Attention")
    assert base == 4 * 20 * 64 * 64 + 2 * 20 * 20 * 64


def _mask_pairs(length, causal, window):
    i = torch.arange(length)[:, None]
    j = torch.arange(length)[None, :]
    keep = torch.ones(length, length, dtype=torch.bool)
    if causal:
        keep &= j <= i
        if window:
            keep &= j > i - window
    elif window:
        keep &= (i - j).abs() < window
    return int(keep.sum())


@pytest.mark.parametrize(
    "length, causal, window",
    [(1, True, None), (7, True, None), (10, True, None), (12, True, 4), (12, True, 20), (9, False, 3), (9, False, 30)],
)
def test_exploited_masks_count_exactly_the_kept_pairs(length, causal, window):
    layer = flops.MultiheadAttention(16, 2, causal=causal, window=window, bias=False)
    exploit = flops.Convention.macs_only().__class__(False, False, False, False, False, False, True)
    report = _one(layer, (length, 16), convention=exploit)
    full = _one(layer, (length, 16), convention=flops.Convention.macs_only())
    projections = 4 * length * 16 * 16
    assert full.macs == projections + 2 * length * length * 16
    assert report.macs == projections + 2 * _mask_pairs(length, causal, window) * 16


def test_kv_cache_decode_step():
    # one new token: projections for 1 row, scores against 100 cached keys + itself
    report = _one(flops.MultiheadAttention(64, 8, num_kv_heads=2, kv_cache=100, bias=False), (1, 64))
    assert report.macs == 64 * 64 + 2 * 64 * 16 + 64 * 64 + 2 * 101 * 64
    windowed = _one(
        flops.MultiheadAttention(64, 8, kv_cache=100, window=32, bias=False),
        (1, 64),
        convention=flops.Convention(exploit_causal_mask=True, bias=False),
    )
    assert windowed.macs == 4 * 64 * 64 + 2 * 32 * 64
    with pytest.raises(ValueError, match="single token"):
        flops.Sequential([flops.MultiheadAttention(64, 8, kv_cache=10)], input_shape=(3, 64))
