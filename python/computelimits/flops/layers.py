"""The layer catalogue: torch-like layer descriptions that know how to be counted.

A layer holds only its constructor arguments; ``layer.encode()`` gives the
integer record (kind code, argument list) both backends count from (see
``_layer_base.py``). This module holds the classic layers and re-exports the
transformer-era ones of ``layers_transformer.py`` and ``MultiheadAttention`` of
``layers_attention.py``. Formulas: ``docs/flops.md``.
"""

from __future__ import annotations

import math
import numbers

from ._layer_base import (  # noqa: F401  (KIND, KINDS, double_bits, layer_* are re-exported)
    _REQUIRED,
    KIND,
    KINDS,
    MAX_SIZE,
    Layer,
    _choice,
    _dim,
    _flag,
    _int,
    _ints,
    _register,
    _shape,
    double_bits,
    layer_from_dict,
    layer_types,
)
from .layers_attention import MultiheadAttention  # noqa: F401  (re-exported: the catalogue is one namespace)
from .layers_transformer import (  # noqa: F401  (re-exported: the catalogue is one namespace)
    GatedMLP,
    LearnedBias,
    LearnedScale,
    LearnedTokens,
    MixtureOfExperts,
    Permute,
    RotaryEmbedding,
    Transpose,
)


# ----------------------------------------------------------------------------- encoders
def _enc_linear(self):
    return KIND["Linear"], [
        _int(self, "in_features"),
        _int(self, "out_features"),
        _flag(self, "bias"),
        _flag(self, "shared_weight"),
    ]


def _conv_encoder(dims: int, transposed: bool):
    def encode(self):
        ci, co, groups = _int(self, "in_channels"), _int(self, "out_channels"), _int(self, "groups")
        for field, value in (("in_channels", ci), ("out_channels", co)):
            if value % groups:
                raise ValueError(f"{self.type}.groups={groups} does not divide {field}={value}")
        args = [dims, ci, co, groups, _flag(self, "bias")]
        args += _ints(self, "kernel_size", dims) + _ints(self, "stride", dims)
        args += _ints(self, "padding", dims, 0)
        if transposed:
            args += _ints(self, "output_padding", dims, 0)
        args += _ints(self, "dilation", dims)
        return KIND["ConvTranspose" if transposed else "Conv"], args

    return encode


def _bn_encoder(dims: int):
    def encode(self):
        return KIND["BatchNorm"], [dims, _int(self, "num_features"), _flag(self, "affine")]

    return encode


def _enc_layernorm(self):
    return KIND["LayerNorm"], [_flag(self, "elementwise_affine"), _flag(self, "bias")] + _shape(
        self, "normalized_shape"
    )


def _enc_groupnorm(self):
    groups, channels = _int(self, "num_groups"), _int(self, "num_channels")
    if channels % groups:
        raise ValueError(f"GroupNorm.num_groups={groups} does not divide num_channels={channels}")
    return KIND["GroupNorm"], [groups, channels, _flag(self, "affine")]


def _enc_rmsnorm(self):
    return KIND["RMSNorm"], [_flag(self, "elementwise_affine")] + _shape(self, "normalized_shape")


def _pool_encoder(kind: str, dims: int):
    def encode(self):
        kernel = _ints(self, "kernel_size", dims)
        stride = kernel if self.args["stride"] is None else _ints(self, "stride", dims)
        padding = _ints(self, "padding", dims, 0)
        for k, p in zip(kernel, padding):
            if 2 * p > k:
                raise ValueError(
                    f"{self.type}.padding={self.args['padding']!r} must be at most half "
                    f"of kernel_size={self.args['kernel_size']!r}"
                )
        return KIND[kind], [dims, _flag(self, "ceil_mode")] + kernel + stride + padding

    return encode


def _adaptive_encoder(kind: str, dims: int):
    def encode(self):
        value = self.args["output_size"]
        values = list(value) if isinstance(value, (list, tuple)) else [value] * dims
        if len(values) != dims:
            raise ValueError(f"{self.type}.output_size must have {dims} entries, got {value!r}")
        sizes = [0 if v is None else _int(self, "output_size", 1, v) for v in values]
        return KIND[kind], [dims] + sizes

    return encode


def _plain(kind: str):
    return lambda self: (KIND[kind], [])


def _enc_softmax(self):
    return KIND["Softmax"], [_dim(self, "dim")]


def _enc_gelu(self):
    return KIND["GELU"], [_choice(self, "approximate", ("none", "tanh"))]


def _enc_embedding(kind: str):
    return lambda self: (KIND[kind], [_int(self, "num_embeddings"), _int(self, "embedding_dim")])


def _rnn_encoder(kind: str):
    def encode(self):
        return KIND[kind], [
            _int(self, "input_size"),
            _int(self, "hidden_size"),
            _int(self, "num_layers"),
            _flag(self, "bias"),
            _flag(self, "bidirectional"),
        ]

    return encode


def _enc_upsample(self):
    mode = self.args["mode"]
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"Upsample.mode must be 'nearest' or 'bilinear', got {mode!r}")
    size, scale = self.args["size"], self.args["scale_factor"]
    if (size is None) == (scale is None):
        raise ValueError("Upsample needs exactly one of size and scale_factor")
    if size is not None:
        values = list(size) if isinstance(size, (list, tuple)) else [size]
        encoded = [_int(self, "size", 1, v) for v in values]
    else:
        values = list(scale) if isinstance(scale, (list, tuple)) else [scale]
        encoded = []
        for v in values:
            if (
                isinstance(v, bool)
                or not isinstance(v, numbers.Real)
                or not math.isfinite(v)
                or not 0 < float(v) < 2**31
            ):
                raise ValueError(f"Upsample.scale_factor entries must be finite numbers in (0, 2^31), got {v!r}")
            encoded.append(double_bits(float(v)))
    if not 1 <= len(values) <= 3:
        raise ValueError(f"Upsample.{'size' if size is not None else 'scale_factor'} must have 1 to 3 entries")
    return KIND["Upsample"], [int(mode == "bilinear"), int(size is not None), len(values)] + encoded


def _enc_reshape(self):
    shape = self.args["shape"]
    values = list(shape) if isinstance(shape, (list, tuple)) else [shape]
    if not values:
        raise ValueError("Reshape.shape must not be empty")
    out = [-1 if v == -1 and not isinstance(v, bool) else _int(self, "shape", 1, v) for v in values]
    if out.count(-1) > 1:
        raise ValueError(f"Reshape.shape may contain -1 at most once, got {values}")
    return KIND["Reshape"], out


def _enc_dropout(self):
    p = self.args["p"]
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:  # type: ignore[operator]
        raise ValueError(f"Dropout.p must be a probability in [0, 1], got {p!r}")
    return KIND["Dropout"], []


def _enc_dim(kind: str):
    def encode(self):
        extra = [] if kind == "Concat" else [_int(self, "index", -MAX_SIZE + 1)]
        return KIND[kind], [_dim(self, "dim")] + extra

    return encode


_R = _REQUIRED
Linear = _register(
    "Linear",
    [("in_features", _R), ("out_features", _R), ("bias", True), ("shared_weight", False)],
    _enc_linear,
    doc="Linear(in_features, out_features, bias=True, shared_weight=False): "
    "shared_weight=True reuses another layer's weight (a tied LM head): its weight is not counted "
    "again in params, its MACs and gradients are.",
)
_CONV = [
    ("in_channels", _R),
    ("out_channels", _R),
    ("kernel_size", _R),
    ("stride", 1),
    ("padding", 0),
    ("dilation", 1),
    ("groups", 1),
    ("bias", True),
]
_CONVT = [
    ("in_channels", _R),
    ("out_channels", _R),
    ("kernel_size", _R),
    ("stride", 1),
    ("padding", 0),
    ("output_padding", 0),
    ("groups", 1),
    ("bias", True),
    ("dilation", 1),
]
Conv1d = _register("Conv1d", _CONV, _conv_encoder(1, False))
Conv2d = _register("Conv2d", _CONV, _conv_encoder(2, False))
Conv3d = _register("Conv3d", _CONV, _conv_encoder(3, False))
ConvTranspose1d = _register("ConvTranspose1d", _CONVT, _conv_encoder(1, True))
ConvTranspose2d = _register("ConvTranspose2d", _CONVT, _conv_encoder(2, True))
ConvTranspose3d = _register("ConvTranspose3d", _CONVT, _conv_encoder(3, True))
BatchNorm1d = _register("BatchNorm1d", [("num_features", _R), ("affine", True)], _bn_encoder(1))
BatchNorm2d = _register("BatchNorm2d", [("num_features", _R), ("affine", True)], _bn_encoder(2))
BatchNorm3d = _register("BatchNorm3d", [("num_features", _R), ("affine", True)], _bn_encoder(3))
LayerNorm = _register(
    "LayerNorm", [("normalized_shape", _R), ("elementwise_affine", True), ("bias", True)], _enc_layernorm
)
GroupNorm = _register("GroupNorm", [("num_groups", _R), ("num_channels", _R), ("affine", True)], _enc_groupnorm)
RMSNorm = _register("RMSNorm", [("normalized_shape", _R), ("elementwise_affine", True)], _enc_rmsnorm)
_POOL = [("kernel_size", _R), ("stride", None), ("padding", 0), ("ceil_mode", False)]
MaxPool1d = _register("MaxPool1d", _POOL, _pool_encoder("MaxPool", 1))
MaxPool2d = _register("MaxPool2d", _POOL, _pool_encoder("MaxPool", 2))
MaxPool3d = _register("MaxPool3d", _POOL, _pool_encoder("MaxPool", 3))
AvgPool1d = _register("AvgPool1d", _POOL, _pool_encoder("AvgPool", 1))
AvgPool2d = _register("AvgPool2d", _POOL, _pool_encoder("AvgPool", 2))
AvgPool3d = _register("AvgPool3d", _POOL, _pool_encoder("AvgPool", 3))
AdaptiveAvgPool1d = _register("AdaptiveAvgPool1d", [("output_size", _R)], _adaptive_encoder("AdaptiveAvgPool", 1))
AdaptiveAvgPool2d = _register("AdaptiveAvgPool2d", [("output_size", _R)], _adaptive_encoder("AdaptiveAvgPool", 2))
AdaptiveAvgPool3d = _register("AdaptiveAvgPool3d", [("output_size", _R)], _adaptive_encoder("AdaptiveAvgPool", 3))
AdaptiveMaxPool1d = _register("AdaptiveMaxPool1d", [("output_size", _R)], _adaptive_encoder("AdaptiveMaxPool", 1))
AdaptiveMaxPool2d = _register("AdaptiveMaxPool2d", [("output_size", _R)], _adaptive_encoder("AdaptiveMaxPool", 2))
AdaptiveMaxPool3d = _register("AdaptiveMaxPool3d", [("output_size", _R)], _adaptive_encoder("AdaptiveMaxPool", 3))
GlobalAvgPool = _register("GlobalAvgPool", [], _plain("GlobalAvgPool"))
ReLU = _register("ReLU", [], _plain("ReLU"))
ReLU6 = _register("ReLU6", [], _plain("ReLU6"))
GELU = _register(
    "GELU",
    [("approximate", "none")],
    _enc_gelu,
    doc="GELU(approximate='none'): x Phi(x) with the erf (5 FLOPs per element) or, approximate='tanh', "
    "the tanh form of Hendrycks and Gimpel 2016 (9 FLOPs per element).",
)
SiLU = _register("SiLU", [], _plain("SiLU"))
Sigmoid = _register("Sigmoid", [], _plain("Sigmoid"))
Tanh = _register("Tanh", [], _plain("Tanh"))
Softmax = _register("Softmax", [("dim", -1)], _enc_softmax)
Embedding = _register(
    "Embedding",
    [("num_embeddings", _R), ("embedding_dim", _R), ("shared_weight", False)],
    lambda self: (
        KIND["Embedding"],
        [_int(self, "num_embeddings"), _int(self, "embedding_dim"), _flag(self, "shared_weight")],
    ),
    doc="Embedding(num_embeddings, embedding_dim, shared_weight=False): a table lookup; "
    "shared_weight=True reads a table owned by another layer (its parameters are not "
    "counted again; the weight-gradient scatter-adds are).",
)
AdditiveEmbedding = _register(
    "AdditiveEmbedding",
    [("num_embeddings", _R), ("embedding_dim", _R)],
    _enc_embedding("AdditiveEmbedding"),
    doc="AdditiveEmbedding(num_embeddings, embedding_dim): the learned-position layer; a learned "
    "(num_embeddings, embedding_dim) tensor whose first L rows are added to an (L, embedding_dim) input "
    "(GPT-2's wpe, ViT's position embedding). 1 FLOP per element, params num_embeddings x embedding_dim.",
)
Matmul = _register("Matmul", [], _plain("Matmul"), arity=2)
_RNN = [("input_size", _R), ("hidden_size", _R), ("num_layers", 1), ("bias", True), ("bidirectional", False)]
RNN = _register("RNN", _RNN, _rnn_encoder("RNN"))
LSTM = _register("LSTM", _RNN, _rnn_encoder("LSTM"))
GRU = _register("GRU", _RNN, _rnn_encoder("GRU"))
Upsample = _register("Upsample", [("scale_factor", None), ("size", None), ("mode", "nearest")], _enc_upsample)
Add = _register("Add", [], _plain("Add"), arity=2)
Mul = _register("Mul", [], _plain("Mul"), arity=2)
Flatten = _register("Flatten", [], _plain("Flatten"))
Reshape = _register("Reshape", [("shape", _R)], _enc_reshape)
Dropout = _register("Dropout", [("p", 0.5)], _enc_dropout)
Identity = _register("Identity", [], _plain("Identity"))
ConcatLayer = _register("ConcatLayer", [("dim", 0)], _enc_dim("Concat"), arity=0)
Select = _register(
    "Select",
    [("dim", 0), ("index", 0)],
    _enc_dim("Select"),
    doc="Select(dim, index): take one entry along ``dim`` (removing it), e.g. BERT's [CLS] token.",
)
