"""Python twin, shared part: convention flags, checked arithmetic and the helpers every layer file uses.

Mirrors cpp/include/computelimits/flops/layers.hpp and cpp/src/flops/layers_common.cpp:
every partial product or sum above 2^63 - 1 raises OverflowError, exactly where
the C++ core's checked arithmetic throws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional, Tuple

INT64_MAX = 2**63 - 1
BIAS, NORMALIZATION, ACTIVATION, SOFTMAX, POOLING, ELEMENTWISE, EXPLOIT_CAUSAL, TRAINING = (1, 2, 4, 8, 16, 32, 64, 128)
ACTIVATION_COST = {"ReLU": 1, "ReLU6": 2, "GELU": 5, "SiLU": 4, "Sigmoid": 3, "Tanh": 1}
GELU_TANH_COST = 9
MLP_ACTIVATION_COST = (1, 4, 5, 9)  # relu, silu, gelu (erf), gelu_tanh: record codes 0-3
RNN_GATES = {"RNN": (1, 1, 1), "LSTM": (4, 11, 8), "GRU": (3, 7, 8)}  # gates, activation, element-wise per unit


def mul(*factors: int) -> int:
    result = 1
    for factor in factors:
        result *= factor
        if result > INT64_MAX:
            raise OverflowError(f"count does not fit in a signed 64-bit integer (product {result})")
    return result


def add(*terms: int) -> int:
    result = 0
    for term in terms:
        result += term
        if result > INT64_MAX:
            raise OverflowError(f"count does not fit in a signed 64-bit integer (sum {result})")
    return result


@dataclass
class NodeCount:
    """One layer's counts; ``active_params`` None means "equal to params" (every layer but MoE).

    Not frozen: ``evaluate_node`` fills ``active_params`` in place, cheaper per node than
    ``dataclasses.replace`` (model construction evaluates every node)."""

    shape: Tuple[int, ...]
    macs: int
    extra: int
    params: int
    bwd_internal: int
    bwd_external: Tuple[int, ...]
    bwd_weight: int
    activations: int
    active_params: Optional[int] = None


def numel(shape: Sequence[int]) -> int:
    return mul(*shape)


def tensor_elements(shape: Sequence[int], what: str) -> int:
    """Elements of a tensor, or OverflowError naming it when beyond 2^63 - 1 (as the C++ core)."""
    result = 1
    for value in shape:
        result *= value
    if result > INT64_MAX:
        raise OverflowError(f"{what} {_shape_text(shape)} has more than 2^63 - 1 elements per example")
    return result


def _shape_text(shape: Sequence[int]) -> str:
    """A shape as the C++ core prints it: (3,) or (2, 5)."""
    return "(" + ", ".join(str(v) for v in shape) + ("," if len(shape) == 1 else "") + ")"


def _need(shape, rank, what):
    if len(shape) not in (rank if isinstance(rank, tuple) else (rank,)):
        raise ValueError(f"expects an input of rank {rank} ({what}), got shape {tuple(shape)}")


def _match(field, expected, got, shape):
    if expected != got:
        raise ValueError(f"{field}={expected} does not match size {got} of input shape {tuple(shape)}")


def _broadcast(a, b):
    out = []
    for i in range(max(len(a), len(b))):
        x = a[len(a) - 1 - i] if i < len(a) else 1
        y = b[len(b) - 1 - i] if i < len(b) else 1
        if x != y and x != 1 and y != 1:
            raise ValueError(f"input shapes {tuple(a)} and {tuple(b)} do not broadcast")
        out.append(max(x, y))
    return tuple(reversed(out))


def floor_sum(n: int, m: int, a: int, b: int) -> int:
    """sum_{i=0}^{n-1} floor((a i + b) / m) for a, b >= 0, m >= 1 (Euclid-like, O(log))."""
    total = 0
    while True:
        if a >= m:
            total = add(total, mul(mul(n, n - 1) // 2 if n else 0, a // m))
            a %= m
        if b >= m:
            total = add(total, mul(n, b // m))
            b %= m
        y_max = add(mul(a, n), b)
        if y_max < m:
            return total
        n, b, m, a = y_max // m, y_max % m, a, m


def adaptive_window_total(size: int, out: int) -> int:
    """Sum over torch's adaptive windows [floor(i S/O), ceil((i+1) S/O)) of their lengths."""
    ends = floor_sum(out, out, size, add(size, out) - 1)
    starts = floor_sum(out, out, size, 0)
    return ends - starts


def attention_pairs(length: int, causal: bool, window: int) -> int:
    """Query-key pairs a mask keeps: lower triangle, causal band, or symmetric band."""
    if not causal and not window:
        return mul(length, length)
    if causal:
        w = min(window, length) if window else length
        # sum_i min(i + 1, w) = w (w + 1) / 2 + (L - w) w
        half = mul(w // 2, w + 1) if w % 2 == 0 else mul(w, (w + 1) // 2)
        return add(half, mul(length - w, w))
    w = min(window, length)
    return mul(length, 2 * w - 1) - mul(w - 1, w)
