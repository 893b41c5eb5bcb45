"""Vision zoo against pure-torch re-implementations of torchvision's layouts and published figures."""

import pytest

from computelimits import flops

torch = pytest.importorskip("torch")
nn = torch.nn


def _alexnet(num_classes=1000):
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, 4, 2),
        nn.ReLU(),
        nn.MaxPool2d(3, 2),
        nn.Conv2d(64, 192, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(3, 2),
        nn.AdaptiveAvgPool2d(6),
        nn.Flatten(),
        nn.Dropout(),
        nn.Linear(9216, 4096),
        nn.ReLU(),
        nn.Dropout(),
        nn.Linear(4096, 4096),
        nn.ReLU(),
        nn.Linear(4096, num_classes),
    )


def _vgg16(num_classes=1000):
    layers, channels = [], 3
    for width in (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"):
        if width == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU()]
            channels = width
    return nn.Sequential(
        *layers,
        nn.AdaptiveAvgPool2d(7),
        nn.Flatten(),
        nn.Linear(25088, 4096),
        nn.ReLU(),
        nn.Dropout(),
        nn.Linear(4096, 4096),
        nn.ReLU(),
        nn.Dropout(),
        nn.Linear(4096, num_classes),
    )


class _Block(nn.Module):
    def __init__(self, inplanes, planes, stride, bottleneck):
        super().__init__()
        out = planes * 4 if bottleneck else planes
        if bottleneck:
            self.body = nn.Sequential(
                nn.Conv2d(inplanes, planes, 1, bias=False),
                nn.BatchNorm2d(planes),
                nn.ReLU(),
                nn.Conv2d(planes, planes, 3, stride, 1, bias=False),
                nn.BatchNorm2d(planes),
                nn.ReLU(),
                nn.Conv2d(planes, out, 1, bias=False),
                nn.BatchNorm2d(out),
            )
        else:
            self.body = nn.Sequential(
                nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False),
                nn.BatchNorm2d(planes),
                nn.ReLU(),
                nn.Conv2d(planes, planes, 3, 1, 1, bias=False),
                nn.BatchNorm2d(planes),
            )
        self.down = None
        if stride != 1 or inplanes != out:
            self.down = nn.Sequential(nn.Conv2d(inplanes, out, 1, stride, bias=False), nn.BatchNorm2d(out))

    def forward(self, x):
        return torch.relu(self.body(x) + (x if self.down is None else self.down(x)))


def _resnet(blocks, bottleneck, num_classes=1000):
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    inplanes, expansion = 64, 4 if bottleneck else 1
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks)):
        for index in range(count):
            layers.append(_Block(inplanes, planes, 2 if stage and not index else 1, bottleneck))
            inplanes = planes * expansion
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512 * expansion, num_classes))


class _Inverted(nn.Module):
    def __init__(self, inp, out, stride, expand):
        super().__init__()
        hidden = inp * expand
        layers = [] if expand == 1 else [nn.Conv2d(inp, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6()]
        layers += [
            nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(),
            nn.Conv2d(hidden, out, 1, bias=False),
            nn.BatchNorm2d(out),
        ]
        self.conv, self.residual = nn.Sequential(*layers), stride == 1 and inp == out

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


def _mobilenet_v2(num_classes=1000):
    layers, inp = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()], 32
    for t, c, n, s in (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ):
        for i in range(n):
            layers.append(_Inverted(inp, c, s if i == 0 else 1, t))
            inp = c
    layers += [
        nn.Conv2d(320, 1280, 1, bias=False),
        nn.BatchNorm2d(1280),
        nn.ReLU6(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.2),
        nn.Linear(1280, num_classes),
    ]
    return nn.Sequential(*layers)


REFERENCES = {
    "alexnet": _alexnet,
    "vgg16": _vgg16,
    "resnet18": lambda **k: _resnet([2, 2, 2, 2], False, **k),
    "resnet50": lambda **k: _resnet([3, 4, 6, 3], True, **k),
    "mobilenet_v2": _mobilenet_v2,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("image_size, num_classes", [(224, 1000), (160, 10)])
def test_zoo_matches_torch_reimplementation(name, image_size, num_classes, torch_count, torch_params, meta_module):
    reference = meta_module(lambda: REFERENCES[name](num_classes=num_classes))
    macs, out_shape = torch_count(reference, (3, image_size, image_size))
    model = flops.zoo.get(name, image_size=image_size, num_classes=num_classes)
    report = flops.count(model)
    assert (report.macs, report.params, model.output_shape) == (
        macs,
        torch_params(lambda: REFERENCES[name](num_classes=num_classes)),
        out_shape,
    )


def test_published_figures():
    alexnet = flops.count(flops.zoo.alexnet())
    resnet50 = flops.count(flops.zoo.resnet50())
    assert (alexnet.macs, alexnet.params) == (714_188_480, 61_100_840)
    assert (resnet50.macs, resnet50.params) == (4_089_184_256, 25_557_032)


def test_registry():
    assert {"alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2"} <= set(flops.zoo.available())
    with pytest.raises(ValueError, match="unknown zoo model 'resnet51'"):
        flops.zoo.get("resnet51")
    with pytest.raises(ValueError, match="image_size"):
        flops.zoo.resnet18(image_size=0)
