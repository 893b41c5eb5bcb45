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

class flops:
    @staticmethod
    def kind_names() -> list[str]: ...
    @staticmethod
    def evaluate_model(
        input_shapes: list[list[int]],
        kinds: list[int],
        args: list[list[int]],
        inputs: list[list[int]],
        batch: int,
        flags: int,
    ) -> list[tuple[list[int], int, int, int, int, int, int]]: ...
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
    ) -> npt.NDArray[np.int64]: ...
