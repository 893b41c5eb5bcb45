"""The torch reference transformers (conftest.py) reproduce published figures.

These pin the references themselves, so that the zoo tests can compare the engine
against them. Sources: the BERT-base and GPT-2 small MACs and parameters several peer
counters agree on (docs/flops.md, "Peers"); Hugging Face configs for public
parameter counts; Brown et al. 2020 Table 2.1 and Vaswani et al. 2017 Table 3 for the
nominal sizes.
"""

import pytest

pytest.importorskip("torch")


def test_bert_base_published_figures(torch_ref):
    assert torch_ref.reference("bert", 128, size="base") == (109_482_240, 11_174_215_680)


def test_gpt2_small_published_figures(torch_ref):
    assert torch_ref.reference("gpt2", 1024, size="small") == (124_439_808, 145_824_153_600)


@pytest.mark.parametrize(
    ("kind", "size", "params"),
    [
        ("bert", "large", 335_141_888),  # bert-large-uncased BertModel, pooler included
        ("gpt2", "medium", 354_823_168),  # gpt2-medium, LM head tied (counted once)
        ("gpt2", "large", 774_030_080),
        ("gpt2", "xl", 1_557_611_200),
    ],
)
def test_public_parameter_counts(torch_ref, kind, size, params):
    module, _ = getattr(torch_ref, kind)(size=size)
    assert sum(p.numel() for p in module.parameters()) == params


def _gpt_closed_form(layers, d, length, vocab, context, lm_head=True):
    """Params and MACs of the GPT layout in closed form (independent of torch)."""
    block = 12 * d * d + 13 * d  # c_attn 3d^2+3d, c_proj d^2+d, c_fc 4d^2+4d, mlp proj 4d^2+d, two LNs 4d
    params = layers * block + vocab * d + context * d + 2 * d
    macs = layers * (12 * length * d * d + 2 * length * length * d) + (length * d * vocab if lm_head else 0)
    return params, macs


@pytest.mark.parametrize("length", [1, 100])
def test_gpt2_reference_matches_closed_form(torch_ref, length):
    layers, d, _ = torch_ref.GPT2_SIZES["small"]
    for lm_head in (True, False):
        got = torch_ref.reference("gpt2", length, size="small", lm_head=lm_head)
        assert got == _gpt_closed_form(layers, d, length, 50257, 1024, lm_head)


@pytest.mark.parametrize(
    ("size", "nominal"),
    [
        ("125M", 125e6),
        ("350M", 350e6),
        ("760M", 760e6),
        ("1.3B", 1.3e9),
        ("2.7B", 2.7e9),
        ("6.7B", 6.7e9),
        ("13B", 13e9),
        ("175B", 175e9),
    ],
)
def test_gpt3_sizes_match_table_2_1(torch_ref, size, nominal):
    layers, d, heads, head_dim = torch_ref.GPT3_SIZES[size]
    assert heads * head_dim == d
    module, _ = torch_ref.gpt3(size)
    params = sum(p.numel() for p in module.parameters())
    assert params == _gpt_closed_form(layers, d, 2048, 50257, 2048)[0]
    # Table 2.1 rounds: 2.7B is 2.65e9 in this layout (1.8% off), the rest are within 1.5%.
    assert params == pytest.approx(nominal, rel=0.02)


@pytest.mark.parametrize("size", ["125M", "175B"])
def test_gpt3_reference_macs_closed_form(torch_ref, size):
    layers, d, _, _ = torch_ref.GPT3_SIZES[size]
    assert torch_ref.reference("gpt3", 2048, size=size) == _gpt_closed_form(layers, d, 2048, 50257, 2048)


def test_transformer_sizes_match_table_3(torch_ref):
    """Vaswani et al. Table 3 quotes 65M (base) and 213M (big) parameters.

    The shared-embedding layout described in the paper gives 63.1M and 214.2M: the
    base figure is 3% above what the paper's own description yields (its exact
    vocabulary size in that run is not published), so the check is at 4%.
    """
    base, big = (sum(p.numel() for p in torch_ref.transformer(size)[0].parameters()) for size in ("base", "big"))
    assert base == pytest.approx(65e6, rel=0.04)
    assert big == pytest.approx(213e6, rel=0.04)


@pytest.mark.parametrize(("src", "tgt"), [(1, 1), (25, 31)])
def test_transformer_reference_closed_form(torch_ref, src, tgt):
    for size, (d, ff, _) in torch_ref.TRANSFORMER_SIZES.items():
        params, macs = torch_ref.reference("transformer", src, tgt, size=size)
        enc = 4 * (d * d + d) + 2 * d * ff + ff + d + 4 * d
        dec = 8 * (d * d + d) + 2 * d * ff + ff + d + 6 * d
        assert params == 6 * enc + 6 * dec + 37000 * d
        enc_macs = src * (4 * d * d + 2 * d * ff) + 2 * src * src * d
        dec_macs = tgt * (6 * d * d + 2 * d * ff) + 2 * src * d * d + 2 * tgt * tgt * d + 2 * tgt * src * d
        assert macs == 6 * enc_macs + 6 * dec_macs + tgt * d * 37000
