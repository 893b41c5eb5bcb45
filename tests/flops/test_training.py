"""Backward FLOPs, training runs (layers and 6ND) and the decoder-only sweep."""

import numpy as np
import pytest

from computelimits import flops


def test_backward_is_twice_forward_minus_first_layer_input_gradient():
    model = flops.Sequential([flops.Linear(10, 20), flops.Linear(20, 30), flops.Linear(30, 5)], input_shape=(10,))
    report = flops.count(model, convention=flops.Convention.macs_only())
    macs = [10 * 20, 20 * 30, 30 * 5]
    # weight gradients 2 MAC-FLOPs each; input gradients for all but the first layer
    assert report.backward_weight_flops == 2 * sum(macs)
    assert report.backward_input_flops == 2 * (macs[1] + macs[2])
    assert [r.backward_input_flops for r in report.layers] == [0, 2 * macs[1], 2 * macs[2]]
    assert report.training_step_flops == 3 * report.flops - 2 * macs[0]


def test_parameter_free_prefix_gets_no_gradient():
    model = flops.Sequential([flops.ReLU(), flops.Flatten(), flops.Linear(12, 4), flops.ReLU()], input_shape=(3, 4))
    rows = flops.count(model).layers
    assert [r.backward_input_flops for r in rows] == [0, 0, 0, 4]


def test_training_flops_layers_method():
    model = flops.zoo.resnet18()
    step = flops.count(model, training=True)
    run = flops.training_flops(model, examples=1_281_167, epochs=90)
    per_example = step.flops + step.backward_flops
    assert run.method == "layers" and run.per_example_flop == per_example
    assert run.total_flop == per_example * 1_281_167 * 90 == run.forward_flop + run.backward_flop
    batched = flops.training_flops(model, examples=1000, batch=8)
    assert batched.total_flop == per_example * 1000


def test_6nd_is_exact_beyond_int64():
    # GPT-3 175B: 6 x 175e9 x 300e9 = 3.15e23 (Brown et al. 2020), far past 2^63
    model = flops.Sequential([flops.Linear(1, 1, bias=False)], input_shape=(1,))
    run = flops.training_flops(model, tokens=300 * 10**9 * 175 * 10**9)
    assert run.method == "6nd" and run.total_flop == 6 * 300 * 10**9 * 175 * 10**9
    assert isinstance(run.total_flop, int) and run.total_flop > 2**63
    big = flops.training_flops(flops.zoo.alexnet(), examples=10**12, epochs=10**6)
    per = big.per_example_flop
    assert big.total_flop == per * 10**18 and big.total_flop > 2**63


def test_batch_beyond_int64_stays_exact():
    model = flops.zoo.alexnet()
    report = flops.count(model, batch=2**40)
    assert report.macs == 714_188_480 * 2**40 > 2**63


def test_gpt2_sized_decoder_matches_published_figures():
    report = flops.count(flops.decoder_only(12, 768, 1024, 50257, 12))
    assert (report.macs, report.params) == (145_824_153_600, 124_439_808)


@pytest.mark.parametrize(
    "convention",
    [flops.Convention(), flops.Convention.macs_only(), flops.Convention(exploit_causal_mask=True, bias=False)],
)
def test_sweep_rows_equal_count_of_built_models(convention):
    grid = dict(layers=[1, 3], d_model=[32, 96], seq_len=[5, 16, 33], vocab=[11, 1000], heads=[1, 4, 8])
    cpp = flops.sweep_transformer(**grid, convention=convention, batch=3)
    twin = flops.sweep_transformer(**grid, convention=convention, batch=3, backend="numpy")
    assert len(cpp) == 2 * 2 * 3 * 2 * 3
    for column in ("macs", "flops", "params", "backward_flops", "activations"):
        np.testing.assert_array_equal(cpp[column], twin[column])
    for i in range(0, len(cpp), 7):
        args = [int(cpp[k][i]) for k in ("layers", "d_model", "seq_len", "vocab", "heads")]
        report = flops.count(flops.decoder_only(*args), batch=3, convention=convention)
        assert (report.macs, report.flops, report.params, report.backward_flops, report.activations) == tuple(
            int(cpp[k][i]) for k in ("macs", "flops", "params", "backward_flops", "activations")
        )


def test_sweep_threads_and_errors():
    grid = dict(layers=np.arange(1, 40), d_model=[64, 128], seq_len=[128, 2048], vocab=[50000], heads=[1, 2, 4])
    one = flops.sweep_transformer(**grid, threads=1)
    two = flops.sweep_transformer(**grid, threads=2)
    assert all((one[k] == two[k]).all() for k in one.counts)
    frame = one.to_frame()
    assert list(frame.columns)[:5] == ["layers", "d_model", "seq_len", "vocab", "heads"] and len(frame) == len(one)
    with pytest.raises(ValueError, match="heads=3 does not divide d_model=64"):
        flops.sweep_transformer(1, 64, 8, 10, [1, 3])
    with pytest.raises(ValueError, match="seq_len"):
        flops.sweep_transformer(1, 64, 0, 10, 1)
    for backend in ("cpp", "numpy"):
        with pytest.raises(OverflowError):
            flops.sweep_transformer(10**6, 2**20, 2**20, 2**20, 1, backend=backend)
