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
