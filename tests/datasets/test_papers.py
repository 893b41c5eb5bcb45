"""The embedded paper dataset: coverage, derivations against hand-computed values, validation."""

import math
import re

import pytest

from computelimits import datasets, hardware

IMAGENET_TRAIN = 1_281_167


def _entry(model, benchmark=None):
    rows = [
        e
        for e in datasets.paper_entries()
        if e["model"] == model and (benchmark is None or e["benchmark"] == benchmark)
    ]
    assert len(rows) == 1, (model, benchmark, len(rows))
    return rows[0]


def _has_compute(entry):
    return not (math.isnan(entry["hardware_burden_flop"]) and math.isnan(entry["network_computation_flop"]))


def test_coverage_at_least_100_entries_with_compute():
    entries = datasets.paper_entries()
    with_compute = [e for e in entries if _has_compute(e)]
    assert len(with_compute) >= 100
    per_benchmark = {b: sum(1 for e in with_compute if e["benchmark"] == b) for b in datasets.BENCHMARKS}
    print("entries with compute per benchmark:", per_benchmark, "total", len(with_compute), "of", len(entries))
    assert all(count >= 4 for count in per_benchmark.values()), per_benchmark
    assert set(e["benchmark"] for e in entries) == set(datasets.BENCHMARKS)


def test_alexnet_burden_matches_hand_value():
    # Two GTX 580s (1.581 TFLOP/s FP32) for 5.5 days, 90 epochs over 1,281,167 images.
    alexnet = _entry("AlexNet (1 CNN)")
    assert alexnet["hardware_burden_flop"] == pytest.approx(2 * 1.581e12 * 5.5 * 86400, rel=1e-3)
    assert alexnet["network_computation_flop"] == pytest.approx(2 * 714_188_480 * IMAGENET_TRAIN * 90)
    assert alexnet["training_flop"] == pytest.approx(3 * alexnet["network_computation_flop"])


def test_network_computation_hand_values():
    # ResNet-50: 3.8e9 multiply-adds (He et al. Table 1), 60e4 iterations x 256 images.
    resnet = _entry("ResNet-50", "imagenet")
    epochs = 60e4 * 256 / IMAGENET_TRAIN
    assert epochs == pytest.approx(119.9, abs=0.05)
    assert resnet["network_computation_flop"] == pytest.approx(2 * 3.8e9 * IMAGENET_TRAIN * 119.9)
    detr = _entry("DETR (ResNet-50)")
    assert detr["network_computation_flop"] == pytest.approx(2 * 86e9 * 118_287 * 500)
    # DETR's 2000 V100 GPU-hours at 15.7 TFLOP/s.
    assert detr["hardware_burden_flop"] == pytest.approx(2000 * 3600 * 15.7e12)


def test_burden_hand_values_gpu_and_tpu():
    big = _entry("Transformer (big)", "wmt2014_en_de")  # 8 P100 (10.6 TFLOP/s) for 3.5 days
    assert big["hardware_burden_flop"] == pytest.approx(8 * 10.6e12 * 3.5 * 86400)
    vit = _entry("ViT-H/14 (JFT-300M)")  # 2.5k TPUv3-core-days = 1250 chip-days at 123 TFLOP/s
    assert vit["hardware_burden_flop"] == pytest.approx(1250 * 86400 * 123e12)
    bert = _entry("BERT-large", "squad1_1")  # 64 TPU chips (45 TFLOP/s) for 4 days
    assert bert["hardware_burden_flop"] == pytest.approx(64 * 45e12 * 4 * 86400)


def test_derived_columns_follow_the_catalogue_everywhere():
    for entry in datasets.paper_entries():
        if entry["hardware"] and not math.isnan(entry["training_seconds"]):
            proc = hardware.get_processor(entry["hardware"])
            expected = proc.burden_flops * entry["processor_count"] * entry["training_seconds"]
            assert entry["hardware_burden_flop"] == pytest.approx(expected), entry["model"]
        elif entry["hardware"] and not math.isnan(entry["processor_hours"]):
            proc = hardware.get_processor(entry["hardware"])
            assert entry["hardware_burden_flop"] == pytest.approx(proc.burden_flops * entry["processor_hours"] * 3600)
        else:
            assert math.isnan(entry["hardware_burden_flop"]), entry["model"]
        net = 2 * entry["forward_macs"] * entry["training_examples"] * entry["epochs"]
        if math.isnan(net):
            assert math.isnan(entry["network_computation_flop"])
        else:
            assert entry["network_computation_flop"] == pytest.approx(net)


def test_frame_columns_metrics_and_errors():
    frame = datasets.paper_results(metric="all")
    assert list(frame.columns) == list(datasets.OUTPUT_COLUMNS)
    primary = datasets.paper_results()
    assert len(primary) == len(datasets.paper_entries())
    assert (primary["metric"] == primary["benchmark"].map(datasets.PRIMARY_METRIC)).all()
    assert len(datasets.paper_results(metric=None)) == len(frame)
    for column in (
        "benchmark",
        "metric",
        "model",
        "year",
        "title",
        "source",
        "error",
        "hardware",
        "processor_count",
        "training_seconds",
        "epochs",
        "training_examples",
        "forward_flop",
        "hardware_burden_flop",
        "network_computation_flop",
    ):
        assert column in frame.columns
    assert (frame["error"] == 1 - frame["value"] / 100).all()
    assert frame["error"].between(0, 1, inclusive="neither").all()
    assert set(datasets.paper_results("imagenet")["metric"]) == {"top1"}
    imagenet = datasets.paper_results("imagenet", metric="all")
    assert set(imagenet["metric"]) == {"top1", "top5"}
    resnet = imagenet[imagenet["model"] == "ResNet-152"].set_index("metric")["error"]
    assert resnet["top1"] == pytest.approx(0.2143) and resnet["top5"] == pytest.approx(0.0571)
    assert set(datasets.paper_results("mscoco")["metric"]) == {"box_ap"}
    assert set(datasets.paper_results("wmt2014_en_de", metric="bleu")["benchmark"]) == {"wmt2014_en_de"}
    assert len(datasets.paper_results(metric="top1")) == sum(
        e["benchmark"] == "imagenet" for e in datasets.paper_entries()
    )
    with pytest.raises(ValueError, match="benchmark"):
        datasets.paper_results("cifar10")
    with pytest.raises(ValueError, match="metric"):
        datasets.paper_results(metric="accuracy")


def test_every_entry_is_sourced():
    for entry in datasets.paper_entries():
        assert re.fullmatch(r"arXiv:\d{4}\.\d{4,5}|NeurIPS \d{4}", entry["source"]), entry["source"]
        assert entry["notes"] and entry["title"]
        assert 2009 <= entry["year"] <= 2021
        if entry["hardware"]:
            assert hardware.get_processor(entry["hardware"]).name == entry["hardware"]


HEADER = (
    "benchmark,model,year,title,source,split,score,score_top5,hardware,processor_count,"
    "training_hours,processor_hours,epochs,training_examples,forward_macs,secondary,notes\n"
)


@pytest.mark.parametrize(
    "row, line, column",
    [
        ("cifar,M,2019,T,S,val,50,,,,,,,,,,n", 2, "benchmark"),
        ("imagenet,M,20x9,T,S,val,50,,,,,,,,,,n", 2, "year"),
        ("imagenet,M,2019,T,S,val,150,,,,,,,,,,n", 2, "score"),
        ("mscoco,M,2019,T,S,val,40,80,,,,,,,,,n", 2, "score_top5"),
        ("imagenet,M,2019,T,S,val,50,,Z80,1,1,,,,,,n", 2, "hardware"),
        ("imagenet,M,2019,T,S,val,50,,V100,1.5,1,,,,,,n", 2, "processor_count"),
        ("imagenet,M,2019,T,S,val,50,,V100,2,-1,,,,,,n", 2, "training_hours"),
        ("imagenet,M,2019,T,S,val,50,,,,,,nan,,,,n", 2, "epochs"),
        ("imagenet,,2019,T,S,val,50,,,,,,,,,,n", 2, "model"),
        ("imagenet,M,2019,T,S,val,50,,V100,1,,1e300,,,,,n", 2, "processor_hours"),
    ],
)
def test_malformed_rows_name_line_and_column(row, line, column):
    text = HEADER + "imagenet,OK,2019,T,S,val,50,,,,,,,,,,n\n" + row + "\n"
    with pytest.raises(datasets.DataFormatError) as info:
        datasets.parse_papers(text, path="bad.csv")
    assert info.value.line == line + 1 and info.value.column == column
    assert f"bad.csv, line {line + 1}, column '{column}'" in str(info.value)


def test_duplicate_and_header_errors():
    row = "imagenet,M,2019,T,S,val,50,,,,,,,,,,n\n"
    with pytest.raises(datasets.DataFormatError, match="duplicate"):
        datasets.parse_papers(HEADER + row + row)
    with pytest.raises(datasets.DataFormatError, match="line 1, column 'header'"):
        datasets.parse_papers("benchmark,model\n" + row)
