"""FLOP counting of layers, models and training runs.

``count(model)`` gives exact MACs, FLOPs, parameters, backward FLOPs and
activations per layer; ``training_flops`` scales them to a training run;
``sweep_transformer`` counts a grid of decoder-only transformers at once;
``zoo`` builds well-known networks. Conventions: docs/flops.md.
"""

from __future__ import annotations

from .count import Convention, FlopReport, LayerRow, TrainingFlops, count, training_flops
from .graph import Graph
from .layers import (GELU, GRU, LSTM, RNN, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d,
                     AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d, Add, AdditiveEmbedding, AvgPool1d,
                     AvgPool2d, AvgPool3d, BatchNorm1d, BatchNorm2d, BatchNorm3d, ConcatLayer, Conv1d, Conv2d,
                     Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Dropout, Embedding, Flatten,
                     GlobalAvgPool, GroupNorm, Identity, Layer, LayerNorm, Linear, Matmul, MaxPool1d, MaxPool2d,
                     MaxPool3d, Mul, MultiheadAttention, ReLU, ReLU6, Reshape, RMSNorm, Select, Sigmoid, SiLU, Softmax,
                     Tanh, Upsample, layer_from_dict, layer_types)
from .sweep import SweepResult, decoder_only, sweep_transformer
from .models import Block, Concat, Model, Residual, Sequential, load_model, model_from_dict, save_model
from . import zoo  # noqa: E402

__all__ = [
    "Convention", "FlopReport", "LayerRow", "TrainingFlops", "count", "training_flops", "Graph", "Layer",
    "Block", "Model", "Sequential", "Residual", "Concat", "load_model", "save_model", "model_from_dict",
    "layer_from_dict", "layer_types", "zoo", "SweepResult", "decoder_only", "sweep_transformer",
    "Linear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "GroupNorm", "RMSNorm",
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d",
    "AdaptiveMaxPool3d", "GlobalAvgPool", "ReLU", "ReLU6", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "Embedding",
    "AdditiveEmbedding", "MultiheadAttention", "Matmul", "RNN", "LSTM", "GRU", "Upsample", "Add", "Mul",
    "Flatten", "Reshape", "Dropout", "Identity", "ConcatLayer", "Select",
]
