"""``from_hf_config``: a flops model from a Hugging Face ``config.json``, without torch or transformers.

Families: llama, mistral, mixtral, qwen2, qwen2_moe, gemma, phi3, gpt2, gpt_neox, bert, roberta, t5, vit.
Keys a config omits take the transformers default of the family (``hf_defaults.py``); the model built
is ``architectures[0]`` when the config names one, else the causal LM (decoders), the base model with
its pooler (BERT, RoBERTa, ViT) or T5ForConditionalGeneration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional

from ... import _names
from ..._validation import check_int
from ..graph import Graph
from .hf_decoders import DECODER_ARCHITECTURES, build_decoder
from .hf_defaults import FAMILIES, resolve, supported_families
from .hf_encoders import ENCODER_ARCHITECTURES, build_encoder


@dataclass(frozen=True)
class HFSource:
    """Where a model came from: family, architecture, the resolved key values and the shape it was built at."""

    model_type: str
    architecture: str
    values: Dict[str, Any] = field(repr=False)
    config: Dict[str, Any] = field(repr=False)
    seq_len: Optional[int]
    decoder_seq_len: Optional[int]
    kv_cache: Optional[int]

    @property
    def is_decoder(self) -> bool:
        """True for the decoder-only families (the ones ``inference_flops`` takes)."""
        return self.model_type in DECODER_ARCHITECTURES


def load_hf_config(config: Any) -> Dict[str, Any]:
    """A config as a dict: a dict, a path to a config.json, or an object with ``to_dict()`` (PretrainedConfig).

    Parameters
    ----------
    config : dict, str, pathlib.Path or object with ``to_dict()``
        The config itself, the path of a ``config.json`` file, or a transformers ``PretrainedConfig``.

    Returns
    -------
    dict
        A copy of the config's keys and values.

    Examples
    --------
    >>> import json
    >>> from computelimits.flops import frontends
    >>> frontends.load_hf_config({"model_type": "gpt2", "n_layer": 12})
    {'model_type': 'gpt2', 'n_layer': 12}
    >>> path = getfixture("tmp_path") / "config.json"
    >>> _ = path.write_text(json.dumps({"model_type": "bert"}))
    >>> frontends.load_hf_config(path)
    {'model_type': 'bert'}
    """
    if isinstance(config, dict):
        return dict(config)
    if isinstance(config, (str, Path)):
        path = Path(config)
        if not path.is_file():
            raise ValueError(
                f"config={str(config)!r} is not a file (pass a dict, a config.json path or a config object)"
            )
        try:
            data = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            raise ValueError(f"config file {str(path)!r} is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ValueError(f"config file {str(path)!r} must hold a JSON object, got {type(data).__name__}")
        return data
    to_dict = getattr(config, "to_dict", None)
    if callable(to_dict):
        data = to_dict()
        if isinstance(data, dict):
            return dict(data)
    raise TypeError(
        f"config must be a dict, a path to a config.json or an object with to_dict(), got {type(config).__name__}"
    )


def architectures(model_type: str) -> list:
    """The transformers classes ``from_hf_config`` builds for ``model_type`` (the first is the default).

    Parameters
    ----------
    model_type : str
        A config's ``model_type``, one of ``supported_families()``.

    Returns
    -------
    list of str
        The class names a config's ``architectures`` key may name, the default first.

    Examples
    --------
    >>> from computelimits.flops import frontends
    >>> frontends.architectures("llama")
    ['LlamaForCausalLM', 'LlamaModel', 'LlamaForSequenceClassification']
    """
    if model_type in DECODER_ARCHITECTURES:
        return list(DECODER_ARCHITECTURES[model_type])
    if model_type in ENCODER_ARCHITECTURES:
        return list(ENCODER_ARCHITECTURES[model_type])
    raise ValueError(f"model_type={model_type!r} is not supported; supported: {sorted(FAMILIES)}")


def _architecture(model_type: str, data: Dict[str, Any]) -> str:
    named = data.get("architectures")
    if named in (None, []):
        return FAMILIES[model_type].default_architecture
    if not isinstance(named, list) or not isinstance(named[0], str):
        raise ValueError(f"config key 'architectures' must be a list of class names, got {named!r}")
    supported = architectures(model_type)
    if named[0] not in supported:
        raise ValueError(
            f"architecture {named[0]!r} (config key 'architectures') is not supported for model_type "
            f"{model_type!r}; supported: {supported}"
        )
    return named[0]


def from_hf_config(
    config: Any,
    seq_len: Optional[int] = None,
    decoder_seq_len: Optional[int] = None,
    kv_cache: Optional[int] = None,
) -> Graph:
    """Build the flops model of a Hugging Face config (a dict, a config.json path or a PretrainedConfig).

    ``seq_len`` is the number of tokens (required for text models; ViT takes the config's image size);
    ``decoder_seq_len`` the T5 decoder length (default ``seq_len``); ``kv_cache=P`` builds one decode step
    of a decoder-only model (``seq_len`` 1) with P tokens already cached. MACs and params equal the
    transformers model (eager attention) under torch's FlopCounterMode exactly: Linear T I O, attention
    projections plus 2 L_q L_k H d_h for scores and values (docs/flops.md; Vaswani et al. 2017), mixtures
    of experts counting the top-k routed experts per token (Shazeer et al. 2017). The model keeps its
    origin in ``model.hf_source`` (family, architecture, resolved keys). Defaults: docs/frontends.md.

    Parameters
    ----------
    config : dict, str, os.PathLike or transformers.PretrainedConfig
        The config (keys missing from a downloaded config.json take the family's defaults).
    seq_len : int, optional
        Tokens per example.
    decoder_seq_len : int, optional
        The encoder-decoder (T5) decoder's tokens.
    kv_cache : int, optional
        Build one decode step with this many cached tokens.

    Returns
    -------
    Graph

    Examples
    --------
    >>> from computelimits import flops
    >>> config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64,
    ...           "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
    ...           "num_key_value_heads": 2, "vocab_size": 100}
    >>> report = flops.count(flops.from_hf_config(config, seq_len=16))
    >>> report.macs, report.params
    (1347584, 86848)
    """
    data = load_hf_config(config)
    model_type = data.get("model_type")
    if model_type is None:
        raise ValueError(f"config has no 'model_type' key (required); supported families: {supported_families()}")
    if model_type not in FAMILIES:
        close = _names.close_matches(str(model_type), FAMILIES)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise ValueError(
            f"model_type {model_type!r} is not supported{hint}; supported families: {supported_families()}"
        )
    architecture = _architecture(model_type, data)
    _, values = resolve(model_type, data)
    decoder = model_type in DECODER_ARCHITECTURES
    if model_type == "vit":
        if seq_len is not None or decoder_seq_len is not None or kv_cache is not None:
            raise ValueError("vit: seq_len, decoder_seq_len and kv_cache do not apply (the config's image_size does)")
    elif seq_len is None:
        raise ValueError(f"{model_type}: seq_len is required (the number of tokens)")
    else:
        seq_len = check_int("seq_len", seq_len, minimum=1)
    if decoder_seq_len is not None:
        if model_type != "t5":
            raise ValueError(f"{model_type}: decoder_seq_len applies to the encoder-decoder family t5 only")
        decoder_seq_len = check_int("decoder_seq_len", decoder_seq_len, minimum=1)
    if kv_cache is not None:
        if not decoder:
            raise ValueError(f"{model_type}: kv_cache (a decode step) applies to decoder-only families only")
        kv_cache = check_int("kv_cache", kv_cache, minimum=0)
        if seq_len != 1:
            raise ValueError(f"a decode step with kv_cache={kv_cache} takes seq_len=1, got seq_len={seq_len}")
    try:
        if decoder:
            assert seq_len is not None  # required above for every text family
            model = build_decoder(model_type, values, architecture, seq_len, kv_cache)
        else:
            decoder_len = decoder_seq_len if decoder_seq_len is not None else seq_len
            model = build_encoder(model_type, values, architecture, seq_len, decoder_len)
    except OverflowError as error:  # a count beyond int64: the sizes of the config times seq_len
        raise OverflowError(f"{model_type} config with seq_len={seq_len}: {error}") from None
    model.hf_source = HFSource(model_type, architecture, values, data, seq_len, decoder_seq_len, kv_cache)
    return model
