"""Language models: BERT, GPT-2, GPT-3 and the Transformer of Vaswani et al.

Every builder returns a flops model whose parameters and forward MACs equal a
faithful torch implementation exactly (tests/flops/test_zoo_language.py); the
configurations, sources and counting choices are in docs/zoo.md.

* ``bert_base`` / ``bert_large``: Hugging Face ``BertModel`` (Devlin et al. 2019):
  word (30522) + position (512) + token-type (2) embeddings, LayerNorm, post-norm
  encoder layers, optional tanh pooler on the [CLS] token. Inputs: ``input_ids`` and
  ``token_type_ids``, both of length ``seq_len``.
* ``gpt2``: Hugging Face ``GPT2LMHeadModel`` (Radford et al. 2019): wte, wpe (1024),
  pre-norm blocks, final LayerNorm, LM head tied to wte (parameters counted once).
* ``gpt3``: the same layout with a 2048 context and the sizes of Brown et al. 2020,
  Table 2.1; every layer is counted as dense causal attention (the band width of
  the paper's locally banded sparse layers is not published).
* ``transformer_base`` / ``transformer_big``: Vaswani et al. 2017, 6 + 6 post-norm
  layers, ReLU FFN, one 37000-token vocabulary shared by the source and target
  embeddings and the (bias-free) pre-softmax projection; sinusoidal positions
  have no parameters and their additions are not represented.

Per-layer MACs (d model width, L sequence length, f FFN width, V vocabulary):
linear projections L d (4 d + 2 f) per encoder/decoder-only layer, attention
scores and weighted values 2 L^2 d (docs/flops.md, "Attention"), LM head L d V.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from ..._validation import check_int
from ..graph import Graph
from ..layers import (
    GELU,
    Add,
    AdditiveEmbedding,
    Dropout,
    Embedding,
    Layer,
    LayerNorm,
    Linear,
    MultiheadAttention,
    ReLU,
    Select,
    Tanh,
)
from ..models import Residual, Sequential
from ._registry import register

#: (layers, d_model, heads) of bert-base-uncased / bert-large-uncased; FFN width 4 d.
BERT_SIZES: Dict[str, Tuple[int, int, int]] = {"base": (12, 768, 12), "large": (24, 1024, 16)}
BERT_VOCAB, BERT_POSITIONS, BERT_TOKEN_TYPES = 30522, 512, 2

#: (layers, d_model, heads) of the Hugging Face GPT-2 checkpoints; FFN width 4 d.
GPT2_SIZES: Dict[str, Tuple[int, int, int]] = {
    "small": (12, 768, 12),
    "medium": (24, 1024, 16),
    "large": (36, 1280, 20),
    "xl": (48, 1600, 25),
}
GPT_VOCAB, GPT2_CONTEXT, GPT3_CONTEXT = 50257, 1024, 2048

#: (layers, d_model, heads) from Brown et al. 2020, Table 2.1, attention width = d_model. The table's
#: XL row prints 24 heads of 128 (3072 != 2048): we use 16 x 128 (the head count changes neither
#: parameters nor MACs); its 13B row prints d_model 5140, not 40 x 128: we use 5120.
GPT3_SIZES: Dict[str, Tuple[int, int, int]] = {
    "125M": (12, 768, 12),
    "350M": (24, 1024, 16),
    "760M": (24, 1536, 16),
    "1.3B": (24, 2048, 16),
    "2.7B": (32, 2560, 32),
    "6.7B": (32, 4096, 32),
    "13B": (40, 5120, 40),
    "175B": (96, 12288, 96),
}

#: (d_model, d_ff, heads, dropout) of Vaswani et al. 2017, Table 3; 6 encoder + 6 decoder layers.
TRANSFORMER_SIZES: Dict[str, Tuple[int, int, int, float]] = {"base": (512, 2048, 8, 0.1), "big": (1024, 4096, 16, 0.3)}
TRANSFORMER_VOCAB, TRANSFORMER_LAYERS = 37000, 6


def _size(name: str, value: object, table: Dict[str, tuple]) -> tuple:
    if not isinstance(value, str) or value not in table:
        raise ValueError(f"{name} must be one of {list(table)}, got {value!r}")
    return table[value]


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _tied_head(d: int, vocab: int) -> Layer:
    """The pre-softmax projection whose weight is the token embedding (no bias, params counted once)."""
    return Linear(d, vocab, bias=False, shared_weight=True)


def _tied_embedding(vocab: int, d: int) -> Layer:
    """A second lookup into an embedding table owned by another layer (parameters counted once)."""
    return Embedding(vocab, d, shared_weight=True)


# ---- BERT -------------------------------------------------------------------------------------


def _bert(size: str, seq_len: int, pooler: bool) -> Graph:
    layers, d, heads = BERT_SIZES[size]
    seq_len = check_int("seq_len", seq_len, minimum=1, maximum=BERT_POSITIONS)
    pooler = _flag("pooler", pooler)
    g = Graph({"input_ids": (seq_len,), "token_type_ids": (seq_len,)}, name=f"bert_{size}")
    words = g.add(Embedding(BERT_VOCAB, d), ["input_ids"], name="word_embeddings")
    # The segment table is looked up from its own input and added (AdditiveEmbedding rejects tables
    # shorter than the sequence, see docs/zoo.md); the counts equal AdditiveEmbedding(2, d).
    types = g.add(Embedding(BERT_TOKEN_TYPES, d), ["token_type_ids"], name="token_type_embeddings")
    x = g.add(Add(), [words, types], name="embeddings_sum")
    x = g.add(Sequential([AdditiveEmbedding(BERT_POSITIONS, d), LayerNorm(d), Dropout(0.1)]), [x], name="embeddings")
    for i in range(layers):
        x = g.add(
            Sequential(
                [
                    Residual([MultiheadAttention(d, heads), Dropout(0.1)]),
                    LayerNorm(d),
                    Residual([Linear(d, 4 * d), GELU(), Linear(4 * d, d), Dropout(0.1)]),
                    LayerNorm(d),
                ]
            ),
            [x],
            name=f"layer{i}",
        )
    if pooler:
        g.add(Sequential([Select(0, 0), Linear(d, d), Tanh()]), [x], name="pooler")
    return g


@register
def bert_base(seq_len: int = 128, pooler: bool = True) -> Graph:
    """BERT-base (12 layers, d 768, 12 heads; Devlin et al. 2019): 109,482,240 params, 11,174,215,680 MACs at seq_len 128.

    Parameters
    ----------
    seq_len : int, default 128
        Tokens per example.
    pooler : bool, default True
        Include the pooler (dense + tanh on the first token).

    Returns
    -------
    Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.bert_base())
    >>> report.params, report.macs
    (109482240, 11174215680)
    """
    return _bert("base", seq_len, pooler)


@register
def bert_large(seq_len: int = 128, pooler: bool = True) -> Graph:
    """BERT-large (24 layers, d 1024, 16 heads; Devlin et al. 2019): 335,141,888 params with the pooler.

    Parameters
    ----------
    seq_len : int, default 128
        Tokens per example.
    pooler : bool, default True
        Include the pooler (dense + tanh on the first token).

    Returns
    -------
    Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.bert_large())
    >>> report.params
    335141888
    """
    return _bert("large", seq_len, pooler)


# ---- GPT-2 / GPT-3 ----------------------------------------------------------------------------


def _gpt(
    name: str, layers: int, d: int, heads: int, seq_len: int, context: int, lm_head: bool, dropout: bool
) -> Sequential:
    seq_len = check_int("seq_len", seq_len, minimum=1, maximum=context)
    lm_head = _flag("lm_head", lm_head)
    drop = [Dropout(0.1)] if dropout else []
    items: List[object] = [Embedding(GPT_VOCAB, d), AdditiveEmbedding(context, d), *drop]
    for _ in range(layers):
        items += [
            Residual([LayerNorm(d), MultiheadAttention(d, heads, causal=True), *drop]),
            Residual([LayerNorm(d), Linear(d, 4 * d), GELU(), Linear(4 * d, d), *drop]),
        ]
    items.append(LayerNorm(d))
    if lm_head:
        items.append(_tied_head(d, GPT_VOCAB))
    return Sequential(items, input_shape=(seq_len,), name=name)


@register
def gpt2(size: str = "small", seq_len: int = 1024, lm_head: bool = True) -> Sequential:
    """GPT-2 ``size`` in small/medium/large/xl (HF layout, dropout 0.1, tied LM head).

    small at seq_len 1024: 124,439,808 params, 145,824,153,600 MACs.

    Parameters
    ----------
    size : {"small", "medium", "large", "xl"}, default "small"
        The model size (Radford et al. 2019).
    seq_len : int, default 1024
        Tokens per example.
    lm_head : bool, default True
        Include the (tied) language-model head.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.gpt2())
    >>> report.params
    124439808
    """
    layers, d, heads = _size("size", size, GPT2_SIZES)
    return _gpt(f"gpt2_{size}", layers, d, heads, seq_len, GPT2_CONTEXT, lm_head, dropout=True)


@register
def gpt3(size: str = "175B", seq_len: int = 2048, lm_head: bool = True) -> Sequential:
    """GPT-3 ``size`` from Brown et al. 2020, Table 2.1 (no dropout; dense causal attention in every layer).

    Parameters
    ----------
    size : str, default "175B"
        One of Table 2.1's sizes ("125M" ... "175B").
    seq_len : int, default 2048
        Tokens per example.
    lm_head : bool, default True
        Include the (tied) language-model head.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.gpt3("125M"))
    >>> report.params
    125226240
    """
    layers, d, heads = _size("size", size, GPT3_SIZES)
    return _gpt(f"gpt3_{size}", layers, d, heads, seq_len, GPT3_CONTEXT, lm_head, dropout=False)


# ---- Transformer (Vaswani et al. 2017) --------------------------------------------------------


def _transformer(size: str, src_len: int, tgt_len: int) -> Graph:
    d, ff, heads, p = TRANSFORMER_SIZES[size]
    src_len = check_int("src_len", src_len, minimum=1)
    tgt_len = check_int("tgt_len", tgt_len, minimum=1)

    def ffn() -> Residual:
        return Residual([Linear(d, ff), ReLU(), Linear(ff, d), Dropout(p)])

    g = Graph({"src": (src_len,), "tgt": (tgt_len,)}, name=f"transformer_{size}")
    x = g.add(Sequential([Embedding(TRANSFORMER_VOCAB, d), Dropout(p)]), ["src"], name="src_embed")
    for i in range(TRANSFORMER_LAYERS):
        x = g.add(
            Sequential([Residual([MultiheadAttention(d, heads), Dropout(p)]), LayerNorm(d), ffn(), LayerNorm(d)]),
            [x],
            name=f"encoder{i}",
        )
    y = g.add(Sequential([_tied_embedding(TRANSFORMER_VOCAB, d), Dropout(p)]), ["tgt"], name="tgt_embed")
    for i in range(TRANSFORMER_LAYERS):
        y = g.add(
            Sequential([Residual([MultiheadAttention(d, heads, causal=True), Dropout(p)]), LayerNorm(d)]),
            [y],
            name=f"decoder{i}_self",
        )
        c = g.add(MultiheadAttention(d, heads, kv_dim=d, kv_seq_len=src_len), [y, x], name=f"decoder{i}_cross")
        c = g.add(Dropout(p), [c], name=f"decoder{i}_cross_dropout")
        y = g.add(Add(), [y, c], name=f"decoder{i}_cross_residual")
        y = g.add(Sequential([LayerNorm(d), ffn(), LayerNorm(d)]), [y], name=f"decoder{i}_ffn")
    g.add(_tied_head(d, TRANSFORMER_VOCAB), [y], name="generator")
    return g


@register
def transformer_base(src_len: int = 128, tgt_len: int = 128) -> Graph:
    """Transformer base (Vaswani et al. 2017; d 512, FFN 2048, 8 heads, dropout 0.1): 63,082,496 params.

    Parameters
    ----------
    src_len : int, default 128
        Source tokens.
    tgt_len : int, default 128
        Target tokens.

    Returns
    -------
    Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.transformer_base())
    >>> report.params
    63082496
    """
    return _transformer("base", src_len, tgt_len)


@register
def transformer_big(src_len: int = 128, tgt_len: int = 128) -> Graph:
    """Transformer big (Vaswani et al. 2017; d 1024, FFN 4096, 16 heads, dropout 0.3): 214,245,376 params.

    Parameters
    ----------
    src_len : int, default 128
        Source tokens.
    tgt_len : int, default 128
        Target tokens.

    Returns
    -------
    Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.transformer_big())
    >>> report.params
    214245376
    """
    return _transformer("big", src_len, tgt_len)
