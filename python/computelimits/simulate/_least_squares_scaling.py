"""The min-norm and SGD cells of ``compute_scaling``: ``double_descent``'s and ``sgd_scaling``'s kernels.

Min-norm (p > n) and OLS (p < n) on ``double_descent``'s dense design; counted FLOPs:
X X' p n (n + 1), its Cholesky n^3/3 + n^2/2 + n/6 and the solves 2 n^2 + 2 n p (OLS: X'X
n p (p + 1), X'y 2 n p, the Cholesky of p and 2 p^2). SGD: ``sgd_scaling`` per cell,
epochs x ceil(n/B) (B (4p + 1) + 2p + 1) FLOPs.
"""

from __future__ import annotations

from .._progress import Progress
from . import _twin


def _counted_min_norm_flops(n: int, p: int) -> float:
    if p > n:
        return _twin.gram_flops(p, n) + _twin.cholesky_flops(n) + 2.0 * n * n + 2.0 * n * p
    return _twin.gram_flops(n, p) + 2.0 * n * p + _twin.cholesky_flops(p) + 2.0 * p * p


def least_squares_cells(
    estimator,
    error,
    counted,
    ratio_array,
    sizes,
    widths,
    reps,
    seed,
    signal,
    sigma,
    true_features,
    epochs,
    step_size,
    threads,
    backend,
    progress,
    executor=None,
) -> None:
    """Fills error [rep, ratio, n] and counted [ratio, n] from the min-norm or SGD kernels."""
    from .double_descent import double_descent
    from .sgd_scaling import sgd_scaling

    cells = len(sizes) if estimator == "min_norm" else len(sizes) * len(ratio_array)
    with Progress(cells, f"compute_scaling ({estimator})", enabled=progress) as bar:
        if estimator == "min_norm":
            for i, n in enumerate(sizes):
                min_norm_run = double_descent(
                    int(n),
                    widths[:, i],
                    reps,
                    seed=seed,
                    sigma=sigma,
                    signal=signal,
                    threads=threads,
                    backend=backend,
                    progress=False,
                    executor=executor,
                )
                error[:, :, i] = min_norm_run.min_norm_excess
                counted[:, i] = [_counted_min_norm_flops(int(n), int(p)) for p in widths[:, i]]
                bar.advance()
            return
        for r, ratio in enumerate(ratio_array):
            for i, n in enumerate(sizes):
                sgd_run = sgd_scaling(
                    [int(n)],
                    p_per_n=float(ratio),
                    k=true_features,
                    signal=signal,
                    sigma=sigma,
                    step_size=step_size,
                    epochs=epochs,
                    reps=reps,
                    seed=seed,
                    threads=threads,
                    backend=backend,
                    progress=False,
                    executor=executor,
                )
                error[:, r, i] = sgd_run.excess[:, 0, -1]
                counted[r, i] = epochs * float(sgd_run.epoch_flops[0])
                bar.advance()
