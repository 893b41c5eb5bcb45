"""Encoder families from Hugging Face configs: BERT, RoBERTa, T5 (encoder-decoder) and ViT.

Each builder mirrors its transformers modeling file (node names follow the module names); MACs and
parameters equal the transformers model's exactly (tests/flops/frontends/test_hf_parity.py).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..graph import Graph
from ..layers import (
    Add,
    AdditiveEmbedding,
    Conv2d,
    Embedding,
    LayerNorm,
    LearnedTokens,
    Linear,
    MultiheadAttention,
    Reshape,
    RMSNorm,
    Select,
    Tanh,
    Transpose,
)
from ..models import Residual, Sequential
from .hf_blocks import activation_layer, activation_name, gated_mlp, mlp
from .hf_decoders import _heads, _labels


def _encoder_layers(graph: Graph, x: str, v: Dict[str, Any], family: str, prefix: str) -> str:
    """Post-norm BERT layers: LN(x + attention(x)), LN(x + W2 act(W1 x))."""
    embed, heads = v["hidden_size"], v["num_attention_heads"]
    act = activation_name(family, "hidden_act", v["hidden_act"])
    for i in range(v["num_hidden_layers"]):
        name = f"{prefix}.layer.{i}"
        x = graph.add(
            Sequential(
                [
                    Residual([MultiheadAttention(embed, heads, bias=True)]),
                    LayerNorm(embed),
                    Residual(mlp(embed, v["intermediate_size"], act, True)),
                    LayerNorm(embed),
                ]
            ),
            [x],
            name=name,
        )
    return x


def bert_like(family: str, v: Dict[str, Any], head: str, length: int) -> Graph:
    """BertModel / RobertaModel: word + token-type + position embeddings, LayerNorm, post-norm layers."""
    if v["is_decoder"] or v["add_cross_attention"]:
        raise ValueError(
            f"{family} config keys 'is_decoder'/'add_cross_attention' (a causal decoder) are not supported"
        )
    _heads(family, v, "hidden_size", "num_attention_heads")
    embed, vocab, positions = v["hidden_size"], v["vocab_size"], v["max_position_embeddings"]
    # RoBERTa numbers positions from padding_idx + 1, so padding_idx + 1 rows are never read
    if family == "roberta" and v["pad_token_id"] is None:
        raise ValueError(
            "roberta config key 'pad_token_id' must be an integer (positions are numbered from it), got None"
        )
    usable = positions - (v["pad_token_id"] + 1 if family == "roberta" else 0)
    if length > usable:
        raise ValueError(f"{family}: seq_len={length} exceeds the {usable} positions of max_position_embeddings")
    act = activation_name(family, "hidden_act", v["hidden_act"])
    prefix = family
    graph = Graph({"input_ids": (length,), "token_type_ids": (length,)}, name=family)
    words = graph.add(Embedding(vocab, embed), ["input_ids"], name=f"{prefix}.embeddings.word_embeddings")
    types = graph.add(
        Embedding(v["type_vocab_size"], embed), ["token_type_ids"], name=f"{prefix}.embeddings.token_type"
    )
    x = graph.add(Add(), [words, types], name=f"{prefix}.embeddings.sum")
    x = graph.add(AdditiveEmbedding(positions, embed), [x], name=f"{prefix}.embeddings.position_embeddings")
    x = graph.add(LayerNorm(embed), [x], name=f"{prefix}.embeddings.LayerNorm")
    x = _encoder_layers(graph, x, v, family, f"{prefix}.encoder")
    pooled = head in ("base", "pretraining") or (head == "sequence_classification" and family == "bert")
    if pooled:
        pooler = Sequential([Select(0, 0), Linear(embed, embed), Tanh()])
        pool = graph.add(pooler, [x], name=f"{prefix}.pooler")
    if head in ("masked_lm", "pretraining"):
        tied = bool(v["tie_word_embeddings"])
        lm = [Linear(embed, embed), activation_layer(act), LayerNorm(embed), Linear(embed, vocab, shared_weight=tied)]
        graph.add(Sequential(lm), [x], name="cls.predictions" if family == "bert" else "lm_head")
    if head == "pretraining":
        graph.add(Linear(embed, 2), [pool], name="cls.seq_relationship")
    elif head == "sequence_classification" and family == "bert":
        graph.add(Linear(embed, _labels(v)), [pool], name="classifier")
    elif head == "sequence_classification":
        classifier = [Select(0, 0), Linear(embed, embed), Tanh(), Linear(embed, _labels(v))]
        graph.add(Sequential(classifier), [x], name="classifier")
    elif head in ("token_classification", "question_answering"):
        graph.add(Linear(embed, _labels(v)), [x], name="classifier" if head == "token_classification" else "qa_outputs")
    return graph


def _t5_stack(
    graph: Graph, x: str, v: Dict[str, Any], layers: int, prefix: str, memory: Optional[str], ff: List[Any]
) -> str:
    d, heads, d_kv, buckets = v["d_model"], v["num_heads"], v["d_kv"], v["relative_attention_num_buckets"]
    for i in range(layers):
        attention = MultiheadAttention(
            d, heads, head_dim=d_kv, causal=memory is not None, bias=False, scale_scores=False,
            relative_position_bias=buckets, relative_position_bias_shared=i > 0,
        )  # fmt: skip
        x = graph.add(Residual([RMSNorm(d), attention]), [x], name=f"{prefix}.block.{i}.layer.0")
        if memory is not None:  # cross-attention: no relative bias of its own (T5 adds zeros)
            normed = graph.add(RMSNorm(d), [x], name=f"{prefix}.block.{i}.layer.1.layer_norm")
            cross = MultiheadAttention(d, heads, head_dim=d_kv, bias=False, scale_scores=False)
            attended = graph.add(cross, [normed, memory], name=f"{prefix}.block.{i}.layer.1.EncDecAttention")
            x = graph.add(Add(), [x, attended], name=f"{prefix}.block.{i}.layer.1.residual")
        last = 2 if memory is not None else 1
        x = graph.add(Residual([RMSNorm(d), *ff]), [x], name=f"{prefix}.block.{i}.layer.{last}")
    return graph.add(RMSNorm(d), [x], name=f"{prefix}.final_layer_norm")


def t5(v: Dict[str, Any], head: str, length: int, decoder_length: int) -> Graph:
    """T5ForConditionalGeneration: shared embedding, pre-norm encoder and decoder stacks, tied LM head."""
    d, d_ff, vocab = v["d_model"], v["d_ff"], v["vocab_size"]
    proj = v["feed_forward_proj"]
    gated = proj.startswith("gated-")
    name = proj[len("gated-") :] if gated else proj
    if name == "gelu" and gated:
        name = "gelu_new"  # T5Config: "gated-gelu" means gelu_new, for backwards compatibility
    act = activation_name("t5", "feed_forward_proj", name)
    ff = [gated_mlp(d, d_ff, act, bias=False)] if gated else mlp(d, d_ff, act, bias=False)
    inputs = {"input_ids": (length,)}
    if head != "encoder":
        inputs["decoder_input_ids"] = (decoder_length,)
    graph = Graph(inputs, name="t5")
    x = graph.add(Embedding(vocab, d), ["input_ids"], name="shared")
    memory = _t5_stack(graph, x, v, v["num_layers"], "encoder", None, ff)
    if head == "encoder":
        return graph
    y = graph.add(Embedding(vocab, d, shared_weight=True), ["decoder_input_ids"], name="decoder.embed_tokens")
    y = _t5_stack(graph, y, v, v["num_decoder_layers"], "decoder", memory, ff)
    if head == "conditional_generation":  # transformers 5 always ties lm_head to the shared embedding
        graph.add(Linear(d, vocab, bias=False, shared_weight=True), [y], name="lm_head")
    return graph


def _pair(key: str, value: Any) -> List[int]:
    values = list(value) if isinstance(value, (list, tuple)) else [value, value]
    if len(values) != 2 or any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in values):
        raise ValueError(f"vit config key {key!r} must be a positive int or a pair of them, got {value!r}")
    return values


def vit(v: Dict[str, Any], head: str) -> Graph:
    """ViTModel: patch Conv2d, class token, position embeddings, pre-norm layers, LayerNorm, pooler."""
    _heads("vit", v, "hidden_size", "num_attention_heads")
    embed, heads, channels = v["hidden_size"], v["num_attention_heads"], v["num_channels"]
    (height, width), (ph, pw) = _pair("image_size", v["image_size"]), _pair("patch_size", v["patch_size"])
    if height < ph or width < pw:
        raise ValueError(f"vit config: patch_size={v['patch_size']!r} is larger than image_size={v['image_size']!r}")
    if channels * height * width >= 2**62:  # the layer catalogue's range for a tensor's element count
        raise ValueError(
            f"vit config: image_size={v['image_size']!r} with num_channels={channels} gives an input of "
            f"{channels * height * width} values, beyond 2^62"
        )
    patches = (height // ph) * (width // pw)
    act = activation_name("vit", "hidden_act", v["hidden_act"])
    graph = Graph({"pixel_values": (channels, height, width)}, name="vit")
    embeddings = [
        Conv2d(channels, embed, [ph, pw], stride=[ph, pw]),
        Reshape([embed, patches]),
        Transpose(0, 1),
        LearnedTokens(1, embed),
        AdditiveEmbedding(patches + 1, embed),
    ]
    x = graph.add(Sequential(embeddings), ["pixel_values"], name="vit.embeddings")
    for i in range(v["num_hidden_layers"]):
        name = f"vit.encoder.layer.{i}"
        attention = MultiheadAttention(embed, heads, bias=bool(v["qkv_bias"]), out_bias=True)  # output keeps its bias
        x = graph.add(Residual([LayerNorm(embed), attention]), [x], name=f"{name}.attention")
        x = graph.add(
            Residual([LayerNorm(embed), *mlp(embed, v["intermediate_size"], act, True)]), [x], name=f"{name}.mlp"
        )
    x = graph.add(LayerNorm(embed), [x], name="vit.layernorm")
    if head == "base":
        pooler_act = (
            activation_layer(activation_name("vit", "pooler_act", v["pooler_act"]))
            if v["pooler_act"] != "tanh"
            else Tanh()
        )
        pooler = Sequential([Select(0, 0), Linear(embed, v["pooler_output_size"]), pooler_act])
        graph.add(pooler, [x], name="vit.pooler")
    elif head == "image_classification":
        graph.add(Sequential([Select(0, 0), Linear(embed, _labels(v))]), [x], name="classifier")
    return graph


ENCODER_ARCHITECTURES: Dict[str, Dict[str, str]] = {
    "bert": {
        "BertModel": "base",
        "BertForMaskedLM": "masked_lm",
        "BertForPreTraining": "pretraining",
        "BertForSequenceClassification": "sequence_classification",
        "BertForTokenClassification": "token_classification",
        "BertForQuestionAnswering": "question_answering",
    },
    "roberta": {
        "RobertaModel": "base",
        "RobertaForMaskedLM": "masked_lm",
        "RobertaForSequenceClassification": "sequence_classification",
        "RobertaForTokenClassification": "token_classification",
        "RobertaForQuestionAnswering": "question_answering",
    },
    "t5": {"T5ForConditionalGeneration": "conditional_generation", "T5Model": "base", "T5EncoderModel": "encoder"},
    "vit": {"ViTModel": "base", "ViTForImageClassification": "image_classification"},
}


def build_encoder(
    family: str, v: Dict[str, Any], architecture: str, length: Optional[int], decoder_length: Optional[int]
) -> Graph:
    head = ENCODER_ARCHITECTURES[family][architecture]
    if family == "vit":
        graph = vit(v, head)
    else:
        assert length is not None  # from_hf_config requires seq_len of every text family
        if family == "t5":
            assert decoder_length is not None  # from_hf_config defaults it to seq_len
            graph = t5(v, head, length, decoder_length)
        else:
            graph = bert_like(family, v, head, length)
    graph.name = architecture
    return graph
