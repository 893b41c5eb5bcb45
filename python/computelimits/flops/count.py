"""count() and training_flops(): forward/backward FLOPs of a model and of a training run.

Conventions (docs/flops.md): a multiply-accumulate (MAC) is 2 FLOP;
FLOP = 2 MAC + counted extras (bias, normalization, activation, softmax,
pooling, element-wise, each switchable in ``Convention``). Backward FLOPs are
input-gradient plus weight-gradient FLOPs (about 2x forward; a tensor gets a
gradient only when a layer upstream of it has parameters, so the first layer
computes none). A training run is per-example (forward + backward) FLOPs x
examples x epochs, or 6 N D for language models (Kaplan et al. 2020).
All totals are exact Python ints; every count is linear in the batch size, so
the backends count one example and the batch is multiplied in exactly.
``active_params`` are the parameters one forward pass reads: all of them, except
in a mixture of experts (router, top-k and shared experts only). Work a model could
not count (the ledger of ``from_torch``) is never a silent zero: it is carried into
every report as ``uncounted`` (and ``uncounted_params``). ``Convention`` and the report
classes are defined in ``_reports.py`` and importable from here.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

from .._validation import check_backend, check_count, check_int
from . import _twin_base
from ._build import Model
from ._layer_base import KINDS
from ._ledger import ledger_of
from ._reports import Convention, FlopReport, LayerRow, TrainingFlops
from ._twin import evaluate_model as _evaluate_twin
from .graph import Graph

_CPP_KINDS: List[Any] = []


def _cpp_kinds() -> List[Any]:
    """The binding's Kind enum members, indexed by Python kind code (names must agree)."""
    if not _CPP_KINDS:
        from .. import _core

        _CPP_KINDS.extend(getattr(_core.flops.Kind, name) for name in KINDS)
    return _CPP_KINDS


def _evaluate(model: Any, flags: int, backend: str) -> List[Tuple[Any, ...]]:
    """Per node (shape, macs, extra, params, active_params, backward input, backward weight, activations)."""
    input_shapes, records = model.encode()
    if backend == "numpy":
        rows = []
        for node, backward in _evaluate_twin(input_shapes, records, 1, flags):
            rows.append(
                (
                    node.shape,
                    node.macs,
                    node.extra,
                    node.params,
                    node.active_params,
                    backward,
                    node.bwd_weight,
                    node.activations,
                )
            )
        return rows
    from .. import _core

    kinds = _cpp_kinds()
    return _core.flops.evaluate_model(
        [list(s) for s in input_shapes],
        [kinds[r[0]] for r in records],
        [r[1] for r in records],
        [r[2] for r in records],
        1,
        flags,
    )


def count(
    model: Any, batch: int = 1, convention: Optional[Convention] = None, training: bool = False, backend: str = "cpp"
) -> FlopReport:
    """Count MACs, FLOPs, params, backward FLOPs and activations of ``model`` at ``batch``.

    ``training=True`` selects train-mode normalization (batch statistics) and
    dropout masks. FLOP = 2 x MAC + extras counted under ``convention``
    (default: every extra counted). Formulas and their sources: docs/flops.md.

    Parameters
    ----------
    model : Sequential or Graph
        The model (built with the layer catalogue, a zoo builder or a front end).
    batch : int, default 1
        Examples per forward pass; every count is linear in it.
    convention : Convention, optional
        Which extras (biases, activations, softmax, pooling, element-wise) count as FLOPs.
    training : bool, default False
        Count train-mode normalization and dropout.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin (exactly equal counts).

    Returns
    -------
    FlopReport
        Exact int totals (``macs``, ``flops``, ``params``, ``backward_flops``, ...) and the
        per-layer rows (``to_frame()``).

    Examples
    --------
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> report = flops.count(mlp)
    >>> report.macs, report.flops, report.params  # 784*256 + 256*10 MACs; 2 MAC + biases + ReLU FLOPs
    (203264, 407050, 203530)
    >>> flops.count(mlp, batch=64).macs == 64 * report.macs
    True
    """
    if not isinstance(model, (Model, Graph)):
        raise TypeError(f"model must be a Sequential or Graph, got {type(model).__name__}")
    model._check_ready()
    batch = check_int("batch", batch, minimum=1)
    convention = Convention() if convention is None else convention
    if not isinstance(convention, Convention):
        raise TypeError(f"convention must be a flops.Convention, got {type(convention).__name__}")
    if not isinstance(training, bool):
        raise TypeError(f"training must be True or False, got {training!r}")
    check_backend(backend)
    flags = convention.flags | (_twin_base.TRAINING if training else 0)
    rows = []
    totals = [0] * 8  # macs, extra, params, active params, backward input, backward weight, activations, flops
    evaluated = _evaluate(model, flags, backend)
    for node, (shape, macs, extra, params, active, bwd_in, bwd_w, stored) in zip(model.nodes, evaluated):
        macs, extra, bwd_in, bwd_w, stored = macs * batch, extra * batch, bwd_in * batch, bwd_w * batch, stored * batch
        flop = 2 * macs + extra
        rows.append(
            LayerRow(
                node.label, node.layer.type, tuple(shape), macs, extra, flop, params, active, bwd_in, bwd_w, stored
            )
        )
        totals[0] += macs
        totals[1] += extra
        totals[2] += params
        totals[3] += active
        totals[4] += bwd_in
        totals[5] += bwd_w
        totals[6] += stored
        totals[7] += flop
    macs, extra, params, active, bwd_in, bwd_w, stored, flop = totals
    return FlopReport(
        model=model.name,
        batch=batch,
        convention=convention,
        training=training,
        macs=macs,
        flops=flop,
        extra_flops=extra,
        params=params,
        active_params=active,
        backward_flops=bwd_in + bwd_w,
        backward_input_flops=bwd_in,
        backward_weight_flops=bwd_w,
        activations=stored,
        layers=tuple(rows),
        uncounted=ledger_of(model),
        uncounted_params=int(getattr(model, "uncounted_params", 0)),
    )


def training_flops(
    model: Any,
    examples: Optional[int] = None,
    epochs: int = 1,
    tokens: Optional[int] = None,
    batch: int = 1,
    method: str = "auto",
    convention: Optional[Convention] = None,
    backend: str = "cpp",
) -> TrainingFlops:
    """Training compute of ``model``.

    method="layers": (forward + backward FLOPs per example, train-mode counts)
    x examples x epochs. method="6nd": 6 x params x tokens x epochs (forward
    2ND, backward 4ND; Kaplan et al. 2020). "auto" picks "6nd" when ``tokens``
    is given, else "layers".

    Parameters
    ----------
    model : Sequential or Graph
        The model.
    examples : int, optional
        Training examples per epoch (method "layers").
    epochs : int, default 1
        Passes over the data.
    tokens : int, optional
        Training tokens per epoch (method "6nd").
    batch : int, default 1
        Examples per step (train-mode statistics are per batch).
    method : {"auto", "layers", "6nd"}, default "auto"
        How the run is counted.
    convention : Convention, optional
        Which extras count as FLOPs.
    backend : {"cpp", "numpy"}, default "cpp"
        The C++ core or its numpy twin.

    Returns
    -------
    TrainingFlops
        ``total_flop`` = ``forward_flop`` + ``backward_flop`` (exact ints) and the inputs used.

    Examples
    --------
    >>> from computelimits import flops
    >>> mlp = flops.Sequential([flops.Linear(784, 256), flops.ReLU(), flops.Linear(256, 10)], input_shape=(784,))
    >>> flops.training_flops(mlp, examples=60_000, epochs=10).total_flop
    491532000000
    >>> flops.training_flops(mlp, tokens=10**9).total_flop  # 6 x 203,530 params x 1e9 tokens
    1221180000000000
    """
    if method not in ("auto", "layers", "6nd"):
        raise ValueError(f"method must be 'auto', 'layers' or '6nd', got {method!r}")
    epochs = check_int("epochs", epochs, minimum=1)
    batch = check_int("batch", batch, minimum=1)
    if method == "auto":
        method = "6nd" if tokens is not None else "layers"
    report = count(model, batch=batch, convention=convention, training=True, backend=backend)
    if method == "6nd":
        if tokens is None:
            raise ValueError("method='6nd' needs tokens (the number of training tokens D)")
        tokens = check_count("tokens", tokens, minimum=1)
        forward = 2 * report.params * tokens * epochs
        backward = 4 * report.params * tokens * epochs
        return TrainingFlops(
            "6nd",
            forward + backward,
            forward,
            backward,
            None,
            report.params,
            None if examples is None else check_count("examples", examples, minimum=1),
            epochs,
            tokens,
            batch,
            report.uncounted,
        )
    if examples is None:
        raise ValueError("method='layers' needs examples (training examples per epoch)")
    examples = check_count("examples", examples, minimum=1)
    forward_each, backward_each = report.flops // batch, report.backward_flops // batch
    forward, backward = forward_each * examples * epochs, backward_each * examples * epochs
    return TrainingFlops(
        "layers",
        forward + backward,
        forward,
        backward,
        forward_each + backward_each,
        report.params,
        examples,
        epochs,
        None if tokens is None else int(tokens),
        batch,
        report.uncounted,
    )
