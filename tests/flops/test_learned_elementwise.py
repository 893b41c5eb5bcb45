"""LearnedScale and LearnedBias: a learned tensor broadcast into the input, multiplied or added.

Closed forms (docs/flops.md, "Layers"): on an input of n = N x prod(shape of x) elements, params
prod(shape of w), 1 FLOP per element (element-wise switch), backward: input gradient n for a scale (times
w), 0 for a bias (it passes through), weight gradient n. The torch side counts the same parameters
(``nn.Parameter`` sizes) and FlopCounterMode the same MACs (none).
"""

import pytest

from computelimits import flops


def _count(layers, shape, batch=1, **kwargs):
    model = flops.Sequential(layers, input_shape=shape)
    report = flops.count(model, batch=batch, **kwargs)
    assert report == flops.count(model, batch=batch, backend="numpy", **kwargs)
    return report


@pytest.mark.parametrize(
    ("layer", "shape"),
    [
        (flops.LearnedScale([6, 1, 1]), (6, 5, 7)),  # ConvNeXt (torchvision): gamma (C, 1, 1) on (C, H, W)
        (flops.LearnedScale(7), (5, 3, 7)),  # ConvNeXt (transformers) channels-last, CaiT on tokens
        (flops.LearnedBias([3, 1]), (4, 3, 9)),
        (flops.LearnedBias([2, 3, 4]), (2, 3, 4)),  # a full per-example tensor
    ],
)
@pytest.mark.parametrize("batch", [1, 3])
def test_closed_forms(layer, shape, batch):
    weights = 1
    for size in layer.args["shape"] if isinstance(layer.args["shape"], list) else [layer.args["shape"]]:
        weights *= size
    n = batch * shape[0] * shape[1] * shape[2]
    alone = _count([layer], shape, batch)
    row = alone.layers[0]
    assert (row.output_shape, row.macs, row.extra_flops, row.params, row.activations) == (shape, 0, n, weights, n)
    assert (row.backward_input_flops, row.backward_weight_flops) == (0, n)  # the model input needs no gradient
    behind = _count([flops.Linear(shape[-1], shape[-1]), layer], shape, batch).layers[1]
    scale = layer.type == "LearnedScale"
    assert (behind.backward_input_flops, behind.backward_weight_flops) == (n if scale else 0, n)
    quiet = _count([layer], shape, batch, convention=flops.Convention(elementwise=False)).layers[0]
    assert (quiet.extra_flops, quiet.params) == (0, weights)


@pytest.mark.parametrize("layer", [flops.LearnedScale([6]), flops.LearnedBias([2, 5, 7]), flops.LearnedScale([7, 1])])
def test_a_tensor_that_does_not_broadcast_into_the_input_is_refused(layer):
    with pytest.raises(
        ValueError, match=rf"layer 0 \({layer.type}\): shape=\(.*\) does not broadcast into input shape \(5, 7\)"
    ):
        flops.Sequential([layer], input_shape=(5, 7))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"LearnedScale\.shape must be an integer in \[1, 2\^62\), got 0"):
        flops.LearnedScale([3, 0])
    with pytest.raises(ValueError, match=r"LearnedBias\.shape must not be empty"):
        flops.LearnedBias([])
    with pytest.raises(TypeError, match=r"LearnedScale\.shape must be an integer, got 2\.5"):
        flops.LearnedScale([2.5])


def test_json_round_trip_and_equality():
    model = flops.Sequential(
        [flops.Conv2d(3, 4, 3), flops.LearnedScale([4, 1, 1]), flops.LearnedBias([4, 1, 1])], (3, 8, 4)
    )
    again = flops.load_model(model.to_json())
    assert again == model and flops.count(again) == flops.count(model)
    assert flops.LearnedScale([4]) != flops.LearnedBias([4])


def test_parameters_equal_torch(torch_ref):
    torch = pytest.importorskip("torch")

    class Affine(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 8, 3)
            self.gamma, self.beta = torch.nn.Parameter(torch.ones(8, 1, 1)), torch.nn.Parameter(torch.zeros(8, 1, 1))

        def forward(self, t):
            return self.conv(t) * self.gamma + self.beta

    with torch.device("meta"):
        module, x = Affine(), torch.empty(2, 3, 9, 9)
    ours = _count([flops.Conv2d(3, 8, 3), flops.LearnedScale([8, 1, 1]), flops.LearnedBias([8, 1, 1])], (3, 9, 9), 2)
    assert (ours.params, ours.macs) == torch_ref.measure(module, module, x)
