"""Synthetic scaling-law data from known parameters, shared by the scaling-law tests and bench."""

import numpy as np

# Hoffmann et al. (2022), Approach 3, as published (rounded) ...
HOFFMANN = {"A": 406.4, "B": 410.7, "E": 1.69, "alpha": 0.34, "beta": 0.28}
# ... and unrounded (the logs a, b, e and the exponents Besiroglu et al. 2024 recovered from the paper's figures).
HOFFMANN_THETA = np.array([6.0073404, 6.0179186, 0.5267228, 0.33917084, 0.2849083])


def synthetic(seed=0, n=250, sigma=0.02, A=406.4, B=410.7, E=1.69, alpha=0.34, beta=0.28):
    """n points with N log-uniform on [7e7, 1.6e10] and D on [5e8, 5e11] (the range of the
    Chinchilla runs), loss E + A/N^alpha + B/D^beta times lognormal noise exp(sigma z)."""
    rng = np.random.default_rng(seed)
    params = np.exp(rng.uniform(np.log(7e7), np.log(1.6e10), n))
    tokens = np.exp(rng.uniform(np.log(5e8), np.log(5e11), n))
    loss = (E + A / params**alpha + B / tokens**beta) * np.exp(sigma * rng.standard_normal(n))
    return params, tokens, loss
