"""Type stubs for the compiled core. Each area's block is kept beside its bindings."""

import enum

import numpy as np
import numpy.typing as npt

class common:
    class CancellationToken:
        def __init__(self) -> None: ...
        def cancel(self) -> None: ...
        @property
        def cancelled(self) -> bool: ...
        @property
        def done(self) -> int: ...

    @staticmethod
    def install_token(token: common.CancellationToken | None) -> None: ...
    @staticmethod
    def hardware_threads() -> int: ...
    @staticmethod
    def stream_key(seed: int, stream: int) -> int: ...
    @staticmethod
    def uniform_matrix(
        seed: int, first_stream: int, replicates: int, start: int, count: int, threads: int
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def normal_matrix(
        seed: int, first_stream: int, replicates: int, start: int, count: int, threads: int
    ) -> npt.NDArray[np.float64]: ...

class flops:
    class Kind:
        """Layer kinds (cpp/include/computelimits/flops/kinds.hpp); the order of flops.layers.KINDS."""

        Linear: flops.Kind
        Conv: flops.Kind
        ConvTranspose: flops.Kind
        BatchNorm: flops.Kind
        LayerNorm: flops.Kind
        GroupNorm: flops.Kind
        RMSNorm: flops.Kind
        MaxPool: flops.Kind
        AvgPool: flops.Kind
        AdaptiveAvgPool: flops.Kind
        AdaptiveMaxPool: flops.Kind
        GlobalAvgPool: flops.Kind
        ReLU: flops.Kind
        GELU: flops.Kind
        SiLU: flops.Kind
        Sigmoid: flops.Kind
        Tanh: flops.Kind
        Softmax: flops.Kind
        Embedding: flops.Kind
        AdditiveEmbedding: flops.Kind
        MultiheadAttention: flops.Kind
        Matmul: flops.Kind
        RNN: flops.Kind
        LSTM: flops.Kind
        GRU: flops.Kind
        Upsample: flops.Kind
        Add: flops.Kind
        Mul: flops.Kind
        Flatten: flops.Kind
        Reshape: flops.Kind
        Dropout: flops.Kind
        Identity: flops.Kind
        Concat: flops.Kind
        Select: flops.Kind
        ReLU6: flops.Kind
        GatedMLP: flops.Kind
        MixtureOfExperts: flops.Kind
        RotaryEmbedding: flops.Kind
        Permute: flops.Kind
        Transpose: flops.Kind
        LearnedTokens: flops.Kind
        LearnedElementwise: flops.Kind
        def __init__(self, value: int) -> None: ...
        def __int__(self) -> int: ...
        @property
        def name(self) -> str: ...
        @property
        def value(self) -> int: ...

    @staticmethod
    def kind_names() -> list[str]: ...
    @staticmethod
    def evaluate_model(
        input_shapes: list[list[int]],
        kinds: list[flops.Kind],
        args: list[list[int]],
        inputs: list[list[int]],
        batch: int,
        flags: int,
    ) -> list[tuple[list[int], int, int, int, int, int, int, int]]: ...
    @staticmethod
    def sweep_transformer(
        layers: npt.NDArray[np.int64],
        d_model: npt.NDArray[np.int64],
        seq_len: npt.NDArray[np.int64],
        vocab: npt.NDArray[np.int64],
        heads: npt.NDArray[np.int64],
        ff_mult: int,
        tied: bool,
        batch: int,
        flags: int,
        threads: int,
        first: int = 0,
        count: int = -1,
    ) -> npt.NDArray[np.int64]: ...

class fit:
    class Scheme(enum.Enum):
        pairs = 0
        residual = 1
        wild_rademacher = 2
        wild_mammen = 3
        poisson = 4

    class CovarianceKind(enum.Enum):
        none = 0
        classical = 1
        hc0 = 2
        hc2 = 3
        hc3 = 4

    @staticmethod
    def ols_qr(
        design: npt.NDArray[np.float64],
        response: npt.NDArray[np.float64],
        design_low: npt.NDArray[np.float64] | None = None,
    ) -> dict: ...
    @staticmethod
    def ols_jackknife(
        design: npt.NDArray[np.float64],
        params: npt.NDArray[np.float64],
        cov_unscaled: npt.NDArray[np.float64],
        resid: npt.NDArray[np.float64],
        leverage: npt.NDArray[np.float64],
        threads: int,
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def bootstrap_ols(
        design: npt.NDArray[np.float64],
        response: npt.NDArray[np.float64],
        fitted: npt.NDArray[np.float64],
        residuals: npt.NDArray[np.float64],
        scheme: fit.Scheme,
        covariance: fit.CovarianceKind,
        centred_tss: bool,
        seed: int,
        first_resample: int,
        n_resamples: int,
        threads: int,
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def distribution_quantiles(
        distribution: npt.NDArray[np.float64], probabilities: npt.NDArray[np.float64], threads: int
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def distribution_standard_errors(
        distribution: npt.NDArray[np.float64], threads: int
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def scaling_law_statuses() -> list[str]: ...
    @staticmethod
    def scaling_law_objective(
        log_params: npt.NDArray[np.float64],
        log_tokens: npt.NDArray[np.float64],
        log_loss: npt.NDArray[np.float64],
        delta: float,
        theta: npt.NDArray[np.float64],
    ) -> tuple[float, npt.NDArray[np.float64]]: ...
    @staticmethod
    def scaling_law_fit_starts(
        log_params: npt.NDArray[np.float64],
        log_tokens: npt.NDArray[np.float64],
        log_loss: npt.NDArray[np.float64],
        delta: float,
        starts: npt.NDArray[np.float64],
        memory: int,
        ftol: float,
        gtol: float,
        max_iterations: int,
        max_evaluations: int,
        max_line_search: int,
        threads: int,
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def scaling_law_bootstrap(
        log_params: npt.NDArray[np.float64],
        log_tokens: npt.NDArray[np.float64],
        log_loss: npt.NDArray[np.float64],
        delta: float,
        theta0: npt.NDArray[np.float64],
        memory: int,
        ftol: float,
        gtol: float,
        max_iterations: int,
        max_evaluations: int,
        max_line_search: int,
        seed: int,
        first_resample: int,
        count: int,
        threads: int,
    ) -> npt.NDArray[np.float64]: ...

class simulate:
    class Covariance(enum.Enum):
        isotropic = 0
        equicorrelated = 1
        ar1 = 2

    @staticmethod
    def draw_design(
        n: int,
        p: int,
        k: int,
        covariance: simulate.Covariance,
        rho: float,
        signal: float,
        sigma: float,
        seed: int,
        replicate: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def ols_qr(X: npt.ArrayLike, y: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], float]: ...
    @staticmethod
    def ols_cholesky(X: npt.ArrayLike, y: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], float]: ...
    @staticmethod
    def min_norm(X: npt.ArrayLike, y: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], float]: ...
    @staticmethod
    def ridge_path(
        X: npt.ArrayLike, y: npt.ArrayLike, lambdas: npt.ArrayLike
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def lasso_path(
        X: npt.ArrayLike, y: npt.ArrayLike, alphas: npt.ArrayLike, tol: float, max_sweeps: int
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def gradient_descent(
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        X_val: npt.ArrayLike,
        y_val: npt.ArrayLike,
        step: float,
        epochs: int,
        tol: float,
        patience: int,
    ) -> dict: ...
    @staticmethod
    def sgd(
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        X_val: npt.ArrayLike,
        y_val: npt.ArrayLike,
        step: float,
        batch: int,
        epochs: int,
        patience: int,
        seed: int,
        stream: int,
        start: int,
    ) -> dict: ...
    @staticmethod
    def paper_experiment(
        p: int,
        k: int,
        covariance: simulate.Covariance,
        rho: float,
        signal: float,
        sigma: float,
        sizes: list[int],
        expert_k: int,
        lasso_scale: float,
        lasso_tol: float,
        lasso_max_sweeps: int,
        seed: int,
        first_replicate: int,
        replicates: int,
        threads: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def double_descent(
        n: int,
        p_values: list[int],
        lambdas: list[float],
        signal: float,
        sigma: float,
        seed: int,
        first_replicate: int,
        replicates: int,
        threads: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def sgd_scaling(
        p: int,
        k: int,
        covariance: simulate.Covariance,
        rho: float,
        signal: float,
        sigma: float,
        sizes: list[int],
        widths: list[int],
        step: float,
        batch: int,
        epochs: int,
        seed: int,
        first_replicate: int,
        replicates: int,
        threads: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.uint8]]: ...
    @staticmethod
    def lasso_scaling(
        k: int,
        signal: float,
        sigma: float,
        sizes: list[int],
        widths: list[int],
        lasso_scale: float,
        lasso_tol: float,
        lasso_max_sweeps: int,
        seed: int,
        first_replicate: int,
        replicates: int,
        threads: int,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def sgd_stream_start(
        p: int, k: int, covariance: simulate.Covariance, sizes: list[int], batch: int, epochs: int, index: int
    ) -> int: ...

# Build of the core that was loaded (computelimits/_core.py picks one per CPU): level, native,
# compiler, build_type, cxx_flags, cpu_levels.
def build_info() -> dict[str, object]: ...
