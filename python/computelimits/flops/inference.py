"""``inference_flops``: the compute and memory of generating text with a decoder-only model.

Generation = one prefill over the prompt, then one decode step per generated token; step i feeds one
token that attends over prompt_tokens + i + 1 keys (the cached ones and its own), or min(that, window)
in a sliding-window layer (transformers' DynamicCache keeps window - 1 tokens there). Each step's count
is the model's count at that cache length (``from_hf_config(config, seq_len=1, kv_cache=P + i)``), equal
to torch's FlopCounterMode on ``model(next_token, past_key_values=cache)`` (tests/flops/frontends).
A step's MACs are linear in its cache length between window limits, so the whole array comes from a
few counts at the limits, exactly.

Memory at a precision (bytes per element: ``BYTES_PER_ELEMENT``): weights = params x bytes; KV cache =
sum over attention layers of 2 (keys, values) x batch x kv_heads x head_dim x tokens held x bytes, the
tokens held by the last step (prompt + generated, window-limited).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from .._display import ResultDisplay
from .._validation import check_count, check_int
from ._layer_base import MAX_SIZE
from .count import Convention, count

#: Storage bytes per element of a precision (the names of ``computelimits.hardware.PRECISIONS`` plus
#: integer and 4-bit formats); tf32 is stored as fp32. 4-bit formats pack two elements per byte.
BYTES_PER_ELEMENT: Dict[str, float] = {
    "fp32": 4,
    "tf32": 4,
    "fp16": 2,
    "bf16": 2,
    "fp8": 1,
    "int8": 1,
    "int4": 0.5,
    "fp4": 0.5,
}
INT64_MAX = 2**63 - 1


@dataclass(frozen=True, repr=False)
class InferenceFlops(ResultDisplay):
    """Prefill and per-token decode compute, totals, and weight / KV-cache bytes (exact ints)."""

    model: str
    prompt_tokens: int
    generated_tokens: int
    batch: int
    precision: str
    params: int
    active_params: int
    prefill_macs: int
    prefill_flops: int
    decode_macs: Union[np.ndarray, Tuple[int, ...]]  # one entry per generated token
    decode_flops: Union[np.ndarray, Tuple[int, ...]]
    decode_total_macs: int
    decode_total_flops: int
    weight_bytes: int
    kv_cache_bytes: int

    @property
    def total_macs(self) -> int:
        return self.prefill_macs + self.decode_total_macs

    @property
    def total_flops(self) -> int:
        return self.prefill_flops + self.decode_total_flops

    def __repr__(self) -> str:
        return (
            f"InferenceFlops(model={self.model!r}, prompt={self.prompt_tokens}, generated={self.generated_tokens}, "
            f"batch={self.batch}, prefill_flops={self.prefill_flops:_}, decode_total_flops={self.decode_total_flops:_}, "
            f"total_flops={self.total_flops:_}, weight_bytes={self.weight_bytes:_}, "
            f"kv_cache_bytes={self.kv_cache_bytes:_} ({self.precision}))"
        )

    def to_dict(self) -> Dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__dataclass_fields__}
        out["decode_macs"] = [int(v) for v in self.decode_macs]
        out["decode_flops"] = [int(v) for v in self.decode_flops]
        out["total_macs"], out["total_flops"] = self.total_macs, self.total_flops
        return out

    def to_frame(self):
        """One row per forward call: the prefill, then each decode step (object dtype keeps exact ints)."""
        import pandas as pd

        rows = [("prefill", self.prompt_tokens, self.prefill_macs, self.prefill_flops)]
        keys = self.prompt_tokens + 1
        rows += [
            (f"decode {i}", keys + i, int(m), int(f))
            for i, (m, f) in enumerate(zip(self.decode_macs, self.decode_flops))
        ]
        frame = pd.DataFrame(rows, columns=["call", "keys", "macs", "flops"])
        return frame.astype({"macs": object, "flops": object})


def _source(model: Any):
    from .frontends import from_hf_config
    from .frontends.hf_config import load_hf_config

    source = getattr(model, "hf_source", None)
    if source is None and hasattr(model, "nodes") and hasattr(model, "encode"):
        name = getattr(model, "name", None) or type(model).__name__
        raise ValueError(f"model {name!r} is not built from a Hugging Face config (from_hf_config or a zoo LLM)")
    if source is None and isinstance(model, str) and not Path(model).is_file():
        from . import zoo

        try:
            name = zoo.canonical_name(model)
        except ValueError as error:
            raise ValueError(f"model {model!r} is neither a config file nor a zoo model ({error})") from None
        source = getattr(zoo.get(name), "hf_source", None)
        if source is None:
            raise ValueError(f"zoo model {model!r} is not built from a Hugging Face config; use a zoo LLM")
    if source is None:
        data = load_hf_config(model)
        if data.get("model_type") in ("bert", "roberta", "t5", "vit"):
            raise ValueError(f"inference_flops takes decoder-only models; model_type {data['model_type']!r} is not one")
        source = from_hf_config(data, seq_len=1).hf_source
    if not source.is_decoder:
        raise ValueError(
            f"inference_flops takes decoder-only models (generation with a KV cache); {source.model_type!r} "
            f"({source.architecture}) is not one"
        )
    return source


def _windows(source: Any) -> List[Optional[int]]:
    from .frontends.hf_decoders import LLAMA_LIKE, _window

    values = source.values
    if source.model_type in LLAMA_LIKE:
        return [_window(source.model_type, values, i) for i in range(values["num_hidden_layers"])]
    return [None] * values["n_layer" if source.model_type == "gpt2" else "num_hidden_layers"]


def _kv_width(source: Any) -> int:
    """kv_heads x head_dim: the width of one token's keys (and of its values) in one layer."""
    values = source.values
    if source.model_type == "gpt2":
        return values["n_embd"]
    if source.model_type == "gpt_neox":
        return values["hidden_size"]
    return values["num_key_value_heads"] * values["head_dim"]


def _step_counts(source: Any, cache: int, batch: int, convention: Convention, backend: str) -> Tuple[int, int]:
    from .frontends import from_hf_config

    report = count(from_hf_config(source.config, seq_len=1, kv_cache=cache), batch, convention, False, backend)
    return report.macs, report.flops


def _piecewise(points: List[int], values: Dict[int, int]) -> Tuple[Any, int]:
    """Per-step values at cache lengths points[0]..points[-1], linear between the evaluated ones; exact sum.

    An int64 array when every value fits, else a tuple of exact Python ints.
    """
    pieces, total = [], 0
    bounds = list(zip(points, points[1:])) or [(points[0], points[0])]
    for index, (a, b) in enumerate(bounds):
        slope, rest = divmod(values[b] - values[a], b - a) if b > a else (0, 0)
        if rest:
            raise ArithmeticError(f"step counts are not linear between cache lengths {a} and {b}")  # pragma: no cover
        n = b - a + (1 if index == len(bounds) - 1 else 0)
        total += n * values[a] + slope * n * (n - 1) // 2
        pieces.append((values[a], slope, n))
    if max(values.values()) <= INT64_MAX:
        return np.concatenate([start + slope * np.arange(n, dtype=np.int64) for start, slope, n in pieces]), total
    return tuple(start + slope * k for start, slope, n in pieces for k in range(n)), total


MAX_GENERATED = 10**8  # one int64 per generated token


def inference_flops(
    model: Any,
    prompt_tokens: Any,
    generated_tokens: Any,
    batch: int = 1,
    precision: str = "bf16",
    convention: Optional[Convention] = None,
    backend: str = "cpp",
) -> InferenceFlops:
    """Prefill + decode compute of generating ``generated_tokens`` after a ``prompt_tokens`` prompt.

    ``model``: a model from ``from_hf_config`` (or a zoo LLM, or a config: dict, config.json path or
    PretrainedConfig) of a decoder-only family. prefill = count at seq_len = prompt_tokens; decode step i
    = count at seq_len 1 with prompt_tokens + i cached tokens (Kaplan et al. 2020 give 2 N + 2 n_layer
    n_ctx d_attn FLOPs per token, this is the exact layer-by-layer form). ``decode_macs`` is an int64
    array, or a tuple of Python ints if a value could overflow int64; the totals are exact ints. Memory:
    weights params x bytes, KV cache 2 x batch x layers x kv_heads x head_dim x tokens x bytes
    (``BYTES_PER_ELEMENT[precision]``; 4-bit formats round up to whole bytes).

    Parameters
    ----------
    model : Graph, dict, str, os.PathLike or PretrainedConfig
        A decoder-only model or its Hugging Face config.
    prompt_tokens : int
        Tokens in the prompt (>= 1).
    generated_tokens : int
        Tokens generated after it (>= 0).
    batch : int, default 1
        Sequences generated at once.
    precision : str, default "bf16"
        The weights' and cache's number format (for the byte counts).
    convention : Convention, optional
        Which extras count as FLOPs.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    InferenceFlops
        ``prefill_flops``, per-token ``decode_flops``, their totals, ``weight_bytes`` and
        ``kv_cache_bytes``.

    Examples
    --------
    >>> from computelimits import flops
    >>> config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
    ...           "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
    ...           "num_key_value_heads": 2, "vocab_size": 100}
    >>> run = flops.inference_flops(config, prompt_tokens=16, generated_tokens=4)
    >>> run.prefill_flops, run.decode_total_flops, run.kv_cache_bytes  # cache: 2 x 2 layers x 2 heads x 16 x 20 tokens x 2 B
    (2761728, 696032, 5120)
    """
    source = _source(model)
    prompt = check_count("prompt_tokens", prompt_tokens, minimum=1)
    generated = check_count("generated_tokens", generated_tokens, minimum=0)
    if generated > MAX_GENERATED:
        raise ValueError(f"generated_tokens={generated} exceeds {MAX_GENERATED:_} (one array entry per token)")
    if prompt + generated >= MAX_SIZE:
        raise ValueError(
            f"prompt_tokens + generated_tokens = {prompt + generated} must be below 2^62 (a sequence length)"
        )
    batch = check_int("batch", batch, minimum=1)
    if not isinstance(precision, str) or precision.lower() not in BYTES_PER_ELEMENT:
        raise ValueError(f"precision must be one of {sorted(BYTES_PER_ELEMENT)}, got {precision!r}")
    precision = precision.lower()
    convention = Convention() if convention is None else convention
    from .frontends import from_hf_config

    prefill = count(from_hf_config(source.config, seq_len=prompt), batch, convention, False, backend)
    windows = _windows(source)
    if generated:
        last = prompt + generated - 1
        points = sorted({prompt, last} | {w - 1 for w in windows if w and prompt < w - 1 < last})
        counted = {c: _step_counts(source, c, batch, convention, backend) for c in points}
        decode_macs, macs_total = _piecewise(points, {c: v[0] for c, v in counted.items()})
        decode_flops, flops_total = _piecewise(points, {c: v[1] for c, v in counted.items()})
    else:
        decode_macs = decode_flops = np.zeros(0, dtype=np.int64)
        macs_total = flops_total = 0
    size = BYTES_PER_ELEMENT[precision]
    held = sum(min(prompt + generated, w) if w else prompt + generated for w in windows)
    kv_elements = 2 * batch * _kv_width(source) * held
    return InferenceFlops(
        model=source.architecture,
        prompt_tokens=prompt,
        generated_tokens=generated,
        batch=batch,
        precision=precision,
        params=prefill.params,
        active_params=prefill.active_params,
        prefill_macs=prefill.macs,
        prefill_flops=prefill.flops,
        decode_macs=decode_macs,
        decode_flops=decode_flops,
        decode_total_macs=macs_total,
        decode_total_flops=flops_total,
        weight_bytes=math.ceil(prefill.params * size),
        kv_cache_bytes=math.ceil(kv_elements * size),
    )
