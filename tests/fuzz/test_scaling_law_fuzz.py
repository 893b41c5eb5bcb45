"""Fuzz fit.scaling_law and what its result derives: predictions, compute-optimal allocations, compute
for a loss. Each call raises a documented error naming its argument, or returns finite numbers, or
flags the non-finite ones (a non-OK status, a named warning); see _contract.py.
"""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from computelimits import fit

from ._contract import (
    Faults,
    any_float,
    array_of,
    assert_finite_or_flagged,
    attempt,
    examples,
    odd_scalars,
)

backends = st.sampled_from(["cpp", "numpy"])
bad_backends = st.sampled_from(["fortran", None, 1, "CPP"])
# A one- or two-start grid keeps each fit to milliseconds; the default grid has 4,500 starts.
small_grids = st.one_of(
    st.just({"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]}),
    st.just({"a": 6.0, "b": [4.0, 8.0], "e": 0.0, "alpha": 0.5, "beta": 0.5}),
    st.just(np.array([[5.0, 5.0, 0.5, 0.3, 0.3], [8.0, 8.0, 1.0, 0.4, 0.2]])),
    st.just(np.asfortranarray([[5.0, 5.0, 0.5, 0.3, 0.3]], dtype=np.float32)),
)
bad_grids = st.sampled_from(
    [
        None,  # the default grid: valid but slow, so it is not drawn (see the "good" draws)
        {"a": [5.0], "b": [5.0], "e": [0.5], "alpha": [0.3]},
        {"a": [], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]},
        {"a": [np.nan], "b": [5.0], "e": [0.5], "alpha": [0.3], "beta": [0.3]},
        np.zeros((0, 5)),
        np.ones((2, 4)),
        np.array([[5.0, 5.0, 0.5, np.inf, 0.3]]),
        "grid",
        3,
    ]
)


def chinchilla_points(n: int, noise: np.ndarray):
    """n (params, tokens, loss) points on L = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28 (Hoffmann et al.
    2022), spread over 1e7..1e10 parameters and 20..200 tokens per parameter, times exp(noise)."""
    params = np.logspace(7, 10, n)
    tokens = params * np.linspace(20.0, 200.0, n)[::-1]
    loss = (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(noise)
    return params, tokens, loss


@examples(0.5)
@given(n=st.one_of(st.integers(6, 10), st.integers(0, 10)), data=st.data())
def test_scaling_law(n, data):
    names = [
        "params",
        "tokens",
        "loss",
        "form",
        "delta",
        "exclude_highest",
        "grid",
        "n_resamples",
        "seed",
        "confidence_level",
        "flop_per_token_param",
        "backend",
        "threads",
    ]
    f = Faults(data, names)
    noise = np.array(data.draw(st.lists(st.floats(-0.05, 0.05), min_size=n, max_size=n), "noise"))
    params, tokens, loss = chinchilla_points(n, noise)
    outcome = attempt(
        fit.scaling_law,
        names + ["grid['a']", "grid['b']", "grid['e']", "grid['alpha']", "grid['beta']"],
        f.draw("params", st.just(params), array_of((n,))),
        f.draw("tokens", st.just(tokens), array_of((n,))),
        f.draw("loss", st.just(loss), array_of((n,))),
        form=f.draw("form", st.just("chinchilla"), st.sampled_from(["kaplan", None, 1])),
        delta=f.draw("delta", st.sampled_from([1e-3, 0.1, 1e-8]), st.one_of(any_float, odd_scalars)),
        exclude_highest=f.draw("exclude_highest", st.integers(0, 2), st.one_of(odd_scalars, st.just(n))),
        grid=f.draw("grid", small_grids, bad_grids.filter(lambda g: g is not None)),
        n_resamples=f.draw("n_resamples", st.sampled_from([0, 0, 5, 12])),
        seed=f.draw("seed", st.integers(0, 2**64 - 1)),
        confidence_level=f.draw("confidence_level", st.sampled_from([0.95, 0.5])),
        flop_per_token_param=f.draw("flop_per_token_param", st.sampled_from([6, 6.0, 2.5, 1e-300])),
        backend=f.draw("backend", backends, bad_backends),
        threads=f.draw("threads", st.sampled_from([None, 1, 2]), st.sampled_from([0, -1, 1.5, "2", 10**30])),
        progress=False,
    )
    assert_finite_or_flagged(outcome, [outcome.result and outcome.result.theta])
    if outcome.error is not None:
        return
    result = outcome.result
    compute = data.draw(array_of((3,), st.floats(1e15, 1e30)), "compute_flop")
    optimal = attempt(result.compute_optimal, ["compute_flop"], compute)
    assert_finite_or_flagged(optimal)
    if optimal.error is None:
        assert len(optimal.result.status) == np.size(compute)  # one status per compute
    target = data.draw(array_of((2,), st.floats(0.5, 5.0)), "target_loss")
    for_loss = attempt(result.compute_for_loss, ["target_loss"], target)
    assert_finite_or_flagged(for_loss)
    prediction = attempt(
        result.predict,
        ["params", "tokens"],
        data.draw(array_of((2,), st.floats(1e6, 1e12)), "predict params"),
        data.draw(array_of((2,), st.floats(1e6, 1e12)), "predict tokens"),
    )
    assert_finite_or_flagged(prediction)
