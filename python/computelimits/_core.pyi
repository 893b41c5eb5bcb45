"""Type stubs for the compiled core. Each area's block is kept beside its bindings."""

import numpy as np
import numpy.typing as npt

class common:
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

class fit:
    @staticmethod
    def ols_qr(design: npt.NDArray[np.float64], response: npt.NDArray[np.float64]) -> dict: ...
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
        scheme: int,
        centred_tss: bool,
        seed: int,
        first_resample: int,
        n_resamples: int,
        threads: int,
    ) -> npt.NDArray[np.float64]: ...
