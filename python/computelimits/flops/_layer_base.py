"""The layer base: the kind list, the ``Layer`` class, its registry and the argument checks.

A layer holds only its constructor arguments. ``layer.encode()`` turns them
into the integer record (kind code, argument list) that both backends count
from: the C++ core (``computelimits._core.flops``) and its Python twin
(``computelimits.flops._twin``). Shapes never include the batch dimension.
The catalogue itself is in ``layers.py``, ``layers_attention.py`` and ``layers_transformer.py``.
"""

from __future__ import annotations

import inspect
import numbers
import struct
from collections.abc import Sequence
from typing import Any, Dict, List, Tuple

# Kind codes: the Python copy of the one C++ list (cpp/include/computelimits/flops/kinds.hpp),
# in the same order; tests/flops/test_kinds.py holds the two equal through the binding.
KINDS: Tuple[str, ...] = (
    "Linear",
    "Conv",
    "ConvTranspose",
    "BatchNorm",
    "LayerNorm",
    "GroupNorm",
    "RMSNorm",
    "MaxPool",
    "AvgPool",
    "AdaptiveAvgPool",
    "AdaptiveMaxPool",
    "GlobalAvgPool",
    "ReLU",
    "GELU",
    "SiLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "Embedding",
    "AdditiveEmbedding",
    "MultiheadAttention",
    "Matmul",
    "RNN",
    "LSTM",
    "GRU",
    "Upsample",
    "Add",
    "Mul",
    "Flatten",
    "Reshape",
    "Dropout",
    "Identity",
    "Concat",
    "Select",
    "ReLU6",
    "GatedMLP",
    "MixtureOfExperts",
    "RotaryEmbedding",
    "Permute",
    "Transpose",
    "LearnedTokens",
    "LearnedElementwise",
)
KIND = {name: index for index, name in enumerate(KINDS)}
MAX_SIZE = 2**62  # every size, kernel, stride... must stay below this
_REGISTRY: Dict[str, type] = {}


def double_bits(value: float) -> int:
    """The IEEE-754 bits of a double as a signed 64-bit int (how floats travel to C++)."""
    return struct.unpack("<q", struct.pack("<d", float(value)))[0]


class Layer:
    """Base class: ``type`` is the class name, ``args`` the resolved arguments."""

    _signature: Tuple[Tuple[str, Any], ...] = ()
    arity = 1  # inputs taken: 1, 2, or 0 meaning "one or more"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            bound = type(self).__signature__.bind(*args, **kwargs)  # type: ignore[attr-defined]
        except TypeError as error:
            raise TypeError(f"{self.type}: {error}") from None
        self._given = dict(bound.arguments)
        bound.apply_defaults()
        self.args = dict(bound.arguments)
        self._record = self.encode()  # validates every argument now
        self._key = (self._record[0], tuple(self._record[1]))

    def record(self) -> Tuple[int, List[int]]:
        """The (kind code, integer arguments) record both backends count from (encoded once)."""
        return self._record

    @property
    def key(self) -> Tuple[int, Tuple[int, ...]]:
        """The record as a hashable (kind, args) tuple: layers with equal keys count the same on equal inputs."""
        return self._key

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_dict(self) -> Dict[str, Any]:
        """JSON form: the type and the arguments given explicitly (lists for tuples)."""
        out: Dict[str, Any] = {"type": self.type}
        for key, value in self._given.items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    def encode(self) -> Tuple[int, List[int]]:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._given.items())
        return f"{self.type}({inner})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layer) and self.type == other.type and self.args == other.args

    def __hash__(self) -> int:
        return hash((self.type, repr(sorted(self.args.items(), key=lambda kv: kv[0]))))


class _Required:
    def __repr__(self) -> str:
        return "<required>"


_REQUIRED = _Required()


# ----------------------------------------------------------------------------- argument checks
def _int(layer: Layer, field: str, minimum: int = 1, value: Any = None) -> int:
    value = layer.args[field] if value is None else value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{layer.type}.{field} must be an integer, got {value!r}")
    value = int(value)
    if value < minimum or value >= MAX_SIZE:
        raise ValueError(f"{layer.type}.{field} must be an integer in [{minimum}, 2^62), got {value}")
    return value


def _flag(layer: Layer, field: str) -> int:
    value = layer.args[field]
    if not isinstance(value, bool):
        raise TypeError(f"{layer.type}.{field} must be True or False, got {value!r}")
    return int(value)


def _ints(layer: Layer, field: str, count: int, minimum: int = 1) -> List[int]:
    """An int or a sequence of ``count`` ints (torch's _pair/_triple rule)."""
    value = layer.args[field]
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{layer.type}.{field} must have {count} entries, got {list(value)}")
        return [_int(layer, field, minimum, v) for v in value]
    return [_int(layer, field, minimum, value)] * count


def _shape(layer: Layer, field: str) -> List[int]:
    value = layer.args[field]
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise ValueError(f"{layer.type}.{field} must not be empty")
    return [_int(layer, field, 1, v) for v in values]


def _optional_int(layer: Layer, field: str, minimum: int, absent: int) -> int:
    return absent if layer.args[field] is None else _int(layer, field, minimum)


def _choice(layer: Layer, field: str, options: Sequence[Any]) -> int:
    """Index of ``layer.args[field]`` in ``options`` (strings or None), else ValueError naming them."""
    value = layer.args[field]
    for index, option in enumerate(options):
        if value is option or (isinstance(value, str) and value == option):
            return index
    raise ValueError(f"{layer.type}.{field} must be one of {list(options)}, got {value!r}")


def _dim(layer: Layer, field: str, value: Any = None) -> int:
    """A dimension index in [-64, 64] (negative counts from the end, as in torch)."""
    value = layer.args[field] if value is None else value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or abs(int(value)) > 64:
        raise ValueError(f"{layer.type}.{field} must be an integer in [-64, 64], got {value!r}")
    return int(value)


def _register(name: str, signature: Sequence[Tuple[str, Any]], encoder, arity: int = 1, doc: str = "") -> type:
    cls = type(
        name,
        (Layer,),
        {
            "_signature": tuple(signature),
            "arity": arity,
            "encode": encoder,
            "__doc__": doc or f"{name} layer (counted as in docs/flops.md).",
        },
    )
    cls.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=(inspect.Parameter.empty if d is _REQUIRED else d)
            )
            for n, d in signature
        ]
    )
    _REGISTRY[name] = cls
    return cls


def layer_from_dict(data: Dict[str, Any]) -> Layer:
    """Rebuild a layer from its ``to_dict()`` form; unknown types raise ValueError.

    Parameters
    ----------
    data : dict
        ``{"type": <layer class>, **arguments}``.

    Returns
    -------
    Layer

    Examples
    --------
    >>> from computelimits import flops
    >>> flops.layer_from_dict({"type": "Linear", "in_features": 4, "out_features": 2})
    Linear(in_features=4, out_features=2)
    """
    if not isinstance(data, dict) or "type" not in data:
        raise ValueError(f"a layer must be a JSON object with a 'type' field, got {data!r}")
    kwargs = dict(data)
    name = kwargs.pop("type")
    if not isinstance(name, str) or name not in _REGISTRY:
        raise ValueError(f"unknown layer type {name!r}; known types: {sorted(_REGISTRY)}")
    try:
        return _REGISTRY[name](**kwargs)
    except TypeError as error:
        raise ValueError(f"layer {name}: {error}") from None


def layer_types() -> List[str]:
    """Names of every layer class of the catalogue, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from computelimits import flops
    >>> "MultiheadAttention" in flops.layer_types()
    True
    """
    return sorted(_REGISTRY)
