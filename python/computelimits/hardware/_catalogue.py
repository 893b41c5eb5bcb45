"""The processor catalogue: vendor-published peak rates, power, prices, sources.

Conventions (see docs/hardware.md):

- ``fp32`` is the ordinary single-precision rate at the vendor's quoted clock
  (cores x 2 FLOP per FMA x clock where the datasheet gives no TFLOP/s).
- ``tf32``/``fp16``/``bf16``/``fp8`` are DENSE rates (NVIDIA's "with sparsity"
  datasheet figures halved); for pre-Volta parts ``fp16`` is the packed-half
  rate, for Volta and later it is the tensor-core rate with FP32 accumulate.
- TPU figures are per chip; their published peak is the bf16 matrix-unit rate.
- Prices are on-demand list prices per processor-hour. AWS prices are the
  instance price divided by its GPU count (host CPUs and memory included);
  Google Cloud GPU prices are the GPU-only add-on price; TPU prices are per
  chip-hour. ``None`` = not rented by the hour by a major cloud.
"""

from __future__ import annotations

from typing import Tuple

from ._processor import Processor

T = 1e12

_AWS_2023 = "AWS EC2 on-demand list price, us-east-1, as listed 2023 (instance price / GPUs per instance)"
_GCP_GPU = "Google Cloud GPU on-demand price (GPU only), us-central1, as listed 2019-2023"
_GCP_TPU = "Google Cloud TPU on-demand price per chip-hour, us-central1, as listed 2023"
_NOT_RENTED = "not rented by the hour by a major cloud"

CATALOGUE: Tuple[Processor, ...] = (
    Processor("GTX-580", "NVIDIA", "gpu", 2010, {"fp32": 512 * 1.544e9 * 2}, 244, None,
              "NVIDIA GeForce GTX 580 specifications: 512 CUDA cores, 1544 MHz processor clock, 244 W",
              _NOT_RENTED, aliases=("GTX 580", "GeForce GTX 580")),
    Processor("K20X", "NVIDIA", "gpu", 2012, {"fp32": 3.95 * T}, 235, None,
              "NVIDIA Tesla K20X datasheet (2012): 3.95 TFLOP/s single precision, 235 W",
              _NOT_RENTED, aliases=("Tesla K20X",)),
    Processor("GTX-Titan", "NVIDIA", "gpu", 2013, {"fp32": 2688 * 0.837e9 * 2}, 250, None,
              "NVIDIA GeForce GTX Titan specifications: 2688 CUDA cores, 837 MHz base clock, 250 W",
              _NOT_RENTED, aliases=("GTX Titan", "GeForce GTX Titan", "Titan Kepler")),
    Processor("K40", "NVIDIA", "gpu", 2013, {"fp32": 4.29 * T}, 235, None,
              "NVIDIA Tesla K40 GPU accelerator datasheet (2013): 4.29 TFLOP/s single precision "
              "(base clock), 235 W", _NOT_RENTED, aliases=("Tesla K40", "K40c", "K40m", "K40s")),
    Processor("GTX-Titan-Black", "NVIDIA", "gpu", 2014, {"fp32": 2880 * 0.889e9 * 2}, 250, None,
              "NVIDIA GeForce GTX Titan Black specifications: 2880 CUDA cores, 889 MHz base clock, 250 W",
              _NOT_RENTED, aliases=("GTX Titan Black", "Titan Black", "GeForce GTX Titan Black")),
    Processor("K80", "NVIDIA", "gpu", 2014, {"fp32": 8.73 * T}, 300, 1.80,
              "NVIDIA Tesla K80 datasheet (2014): 8.73 TFLOP/s single precision with GPU Boost, "
              "per board (two GK210 GPUs), 300 W",
              "AWS p2.16xlarge $14.40/h for 8 K80 boards (16 GK210 GPUs), as listed 2016-2023",
              aliases=("Tesla K80",)),
    Processor("Titan-X-Maxwell", "NVIDIA", "gpu", 2015, {"fp32": 3072 * 1.075e9 * 2}, 250, None,
              "NVIDIA GeForce GTX Titan X specifications: 3072 CUDA cores, 1075 MHz boost clock, 250 W",
              _NOT_RENTED, aliases=("GTX Titan X", "Titan X Maxwell", "Titan X (Maxwell)", "Maxwell Titan X")),
    Processor("M40", "NVIDIA", "gpu", 2015, {"fp32": 7.0 * T}, 250, None,
              "NVIDIA Tesla M40 datasheet (2015): 7 TFLOP/s single precision with GPU Boost, 250 W",
              _NOT_RENTED, aliases=("Tesla M40",)),
    Processor("GTX-1080", "NVIDIA", "gpu", 2016, {"fp32": 2560 * 1.733e9 * 2}, 180, None,
              "NVIDIA GeForce GTX 1080 specifications: 2560 CUDA cores, 1733 MHz boost clock, 180 W",
              _NOT_RENTED, aliases=("GTX 1080", "GeForce GTX 1080")),
    Processor("Titan-X-Pascal", "NVIDIA", "gpu", 2016, {"fp32": 3584 * 1.531e9 * 2}, 250, None,
              "NVIDIA Titan X (Pascal) specifications: 3584 CUDA cores, 1531 MHz boost clock, 250 W",
              _NOT_RENTED, aliases=("Titan X Pascal", "Titan X (Pascal)", "Pascal Titan X")),
    Processor("P40", "NVIDIA", "gpu", 2016, {"fp32": 12.0 * T}, 250, None,
              "NVIDIA Tesla P40 datasheet (2016): 12 TFLOP/s single precision with GPU Boost, 250 W",
              _NOT_RENTED, aliases=("Tesla P40",)),
    Processor("P100-SXM2", "NVIDIA", "gpu", 2016, {"fp32": 10.6 * T, "fp16": 21.2 * T}, 300, None,
              "NVIDIA Tesla P100 datasheet (2016), NVLink (SXM2) version: 10.6 TFLOP/s FP32, "
              "21.2 TFLOP/s FP16, 300 W", _NOT_RENTED, aliases=("P100", "Tesla P100", "P100 SXM2")),
    Processor("P100-PCIe", "NVIDIA", "gpu", 2016, {"fp32": 9.3 * T, "fp16": 18.7 * T}, 250, 1.46,
              "NVIDIA Tesla P100 datasheet (2016), PCIe version: 9.3 TFLOP/s FP32, 18.7 TFLOP/s FP16, 250 W",
              _GCP_GPU, aliases=("Tesla P100 PCIe", "P100 PCIe")),
    Processor("GTX-1080-Ti", "NVIDIA", "gpu", 2017, {"fp32": 3584 * 1.582e9 * 2}, 250, None,
              "NVIDIA GeForce GTX 1080 Ti specifications: 3584 CUDA cores, 1582 MHz boost clock, 250 W",
              _NOT_RENTED, aliases=("GTX 1080 Ti", "GeForce GTX 1080 Ti", "1080Ti")),
    Processor("Titan-Xp", "NVIDIA", "gpu", 2017, {"fp32": 3840 * 1.582e9 * 2}, 250, None,
              "NVIDIA Titan Xp specifications: 3840 CUDA cores, 1582 MHz boost clock, 250 W",
              _NOT_RENTED, aliases=("Titan Xp", "Titan X Pascal 2017")),
    Processor("Titan-V", "NVIDIA", "gpu", 2017, {"fp32": 5120 * 1.455e9 * 2, "fp16": 110 * T}, 250, None,
              "NVIDIA Titan V specifications: 5120 CUDA cores, 1455 MHz boost clock, 110 TFLOP/s "
              "tensor, 250 W", _NOT_RENTED, aliases=("Titan V",)),
    Processor("V100-SXM2-16GB", "NVIDIA", "gpu", 2017, {"fp32": 15.7 * T, "fp16": 125 * T}, 300, 3.06,
              "NVIDIA Tesla V100 datasheet (2017/2018), SXM2: 15.7 TFLOP/s FP32, 125 TFLOP/s tensor, 300 W",
              "AWS p3.2xlarge $3.06/h (1 x V100 SXM2 16GB), as listed 2017-2023",
              aliases=("V100", "Tesla V100", "V100 SXM2", "V100-SXM2", "V100-16GB")),
    Processor("V100-SXM2-32GB", "NVIDIA", "gpu", 2018, {"fp32": 15.7 * T, "fp16": 125 * T}, 300, 31.212 / 8,
              "NVIDIA Tesla V100 datasheet (2018), SXM2 32 GB: 15.7 TFLOP/s FP32, 125 TFLOP/s tensor, 300 W",
              "AWS p3dn.24xlarge $31.212/h for 8 x V100 SXM2 32GB, as listed 2019-2023",
              aliases=("V100-32GB", "V100 SXM2 32GB")),
    Processor("V100-PCIe", "NVIDIA", "gpu", 2017, {"fp32": 14.0 * T, "fp16": 112 * T}, 250, None,
              "NVIDIA Tesla V100 datasheet (2017/2018), PCIe: 14 TFLOP/s FP32, 112 TFLOP/s tensor, 250 W",
              _NOT_RENTED, aliases=("V100 PCIe", "Tesla V100 PCIe", "V100-PCIe-16GB", "V100-PCIe-32GB")),
    Processor("T4", "NVIDIA", "gpu", 2018, {"fp32": 8.1 * T, "fp16": 65 * T}, 70, 0.35,
              "NVIDIA T4 Tensor Core GPU datasheet (2018): 8.1 TFLOP/s FP32, 65 TFLOP/s mixed FP16/FP32 "
              "tensor, 70 W", _GCP_GPU, aliases=("Tesla T4",)),
    Processor("RTX-2080-Ti", "NVIDIA", "gpu", 2018, {"fp32": 4352 * 1.545e9 * 2}, 250, None,
              "NVIDIA GeForce RTX 2080 Ti specifications: 4352 CUDA cores, 1545 MHz reference boost, 250 W",
              _NOT_RENTED, aliases=("RTX 2080 Ti", "GeForce RTX 2080 Ti", "2080Ti")),
    Processor("Titan-RTX", "NVIDIA", "gpu", 2018, {"fp32": 4608 * 1.770e9 * 2, "fp16": 130 * T}, 280, None,
              "NVIDIA Titan RTX specifications: 4608 CUDA cores, 1770 MHz boost clock, 130 TFLOP/s "
              "tensor, 280 W", _NOT_RENTED, aliases=("Titan RTX",)),
    Processor("A100-SXM4-40GB", "NVIDIA", "gpu", 2020,
              {"fp32": 19.5 * T, "tf32": 156 * T, "fp16": 312 * T, "bf16": 312 * T}, 400, 32.7726 / 8,
              "NVIDIA A100 Tensor Core GPU datasheet (2020): 19.5 TFLOP/s FP32, 156 TF32, 312 FP16/BF16 "
              "(dense), 400 W SXM4", "AWS p4d.24xlarge $32.7726/h for 8 x A100 40GB, as listed 2020-2023",
              aliases=("A100", "A100-40GB", "A100 40GB", "A100-SXM4", "A100 SXM4 40GB")),
    Processor("A100-SXM4-80GB", "NVIDIA", "gpu", 2020,
              {"fp32": 19.5 * T, "tf32": 156 * T, "fp16": 312 * T, "bf16": 312 * T}, 400, 40.9657 / 8,
              "NVIDIA A100 80GB Tensor Core GPU datasheet (2020): 19.5 TFLOP/s FP32, 156 TF32, "
              "312 FP16/BF16 (dense), 400 W SXM4",
              "AWS p4de.24xlarge $40.9657/h for 8 x A100 80GB, as listed 2022-2023",
              aliases=("A100-80GB", "A100 80GB", "A100 SXM4 80GB")),
    Processor("A100-PCIe-40GB", "NVIDIA", "gpu", 2020,
              {"fp32": 19.5 * T, "tf32": 156 * T, "fp16": 312 * T, "bf16": 312 * T}, 250, None,
              "NVIDIA A100 Tensor Core GPU datasheet (2020), PCIe 40 GB: same peak rates, 250 W",
              _NOT_RENTED, aliases=("A100 PCIe", "A100-PCIe")),
    Processor("RTX-3090", "NVIDIA", "gpu", 2020, {"fp32": 10496 * 1.695e9 * 2}, 350, None,
              "NVIDIA GeForce RTX 3090 specifications: 10496 CUDA cores, 1695 MHz boost clock, 350 W",
              _NOT_RENTED, aliases=("RTX 3090", "GeForce RTX 3090")),
    Processor("H100-SXM", "NVIDIA", "gpu", 2022,
              {"fp32": 67 * T, "tf32": 494.5 * T, "fp16": 989.5 * T, "bf16": 989.5 * T, "fp8": 1979 * T},
              700, 98.32 / 8,
              "NVIDIA H100 Tensor Core GPU datasheet (2023), SXM: 67 TFLOP/s FP32; TF32 989, BF16/FP16 "
              "1979, FP8 3958 TFLOP/s with sparsity (halved here to dense); up to 700 W",
              "AWS p5.48xlarge $98.32/h for 8 x H100 SXM, as listed 2023 (cut in 2025)",
              aliases=("H100", "H100 SXM", "H100-SXM5", "H100 SXM5", "H100-80GB")),
    Processor("H100-PCIe", "NVIDIA", "gpu", 2022,
              {"fp32": 51 * T, "tf32": 378 * T, "fp16": 756 * T, "bf16": 756 * T, "fp8": 1513 * T},
              350, 1.99,
              "NVIDIA H100 Tensor Core GPU datasheet (2023), PCIe: 51 TFLOP/s FP32; TF32 756, BF16/FP16 "
              "1513, FP8 3026 TFLOP/s with sparsity (halved here to dense); 300-350 W",
              "Lambda Cloud on-demand H100 PCIe $1.99/h, as listed 2023", aliases=("H100 PCIe",)),
    Processor("H200", "NVIDIA", "gpu", 2024,
              {"fp32": 67 * T, "tf32": 494.5 * T, "fp16": 989.5 * T, "bf16": 989.5 * T, "fp8": 1979 * T},
              700, None,
              "NVIDIA H200 Tensor Core GPU datasheet (2024), SXM: 67 TFLOP/s FP32; TF32 989, BF16/FP16 "
              "1979, FP8 3958 TFLOP/s with sparsity (halved here to dense); up to 700 W",
              "rented by the hour, but no list price recorded here: pass usd_per_hour",
              aliases=("H200 SXM", "H200-SXM", "H200-141GB")),
    Processor("TPU-v2", "Google", "tpu", 2017, {"bf16": 45 * T}, 280, 4.50 / 4,
              "Google Cloud TPU system architecture: TPU v2 45 TFLOP/s bf16 per chip (180 per 4-chip "
              "board); power 280 W TDP per chip from Jouppi et al., CACM 63(7), 2020",
              _GCP_TPU + " (v2-8: $4.50/h for 4 chips)", burden_precision="bf16",
              aliases=("TPUv2", "TPU v2", "Cloud TPU v2")),
    Processor("TPU-v3", "Google", "tpu", 2018, {"bf16": 123 * T}, 450, 8.00 / 4,
              "Google Cloud TPU system architecture: TPU v3 123 TFLOP/s bf16 per chip; power 450 W TDP "
              "per chip from Jouppi et al., CACM 63(7), 2020",
              _GCP_TPU + " (v3-8: $8.00/h for 4 chips)", burden_precision="bf16",
              aliases=("TPUv3", "TPU v3", "Cloud TPU v3")),
    Processor("TPU-v4", "Google", "tpu", 2021, {"bf16": 275 * T}, 192, 3.22,
              "Google Cloud TPU system architecture: TPU v4 275 TFLOP/s bf16 per chip; 192 W maximum "
              "per chip from Jouppi et al., ISCA 2023", _GCP_TPU, burden_precision="bf16",
              aliases=("TPUv4", "TPU v4", "Cloud TPU v4")),
)
