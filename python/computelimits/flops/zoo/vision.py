"""Vision models laid out exactly as torchvision builds them (same layers, same order).

Sources: torchvision.models.{alexnet, vgg, resnet, mobilenetv2} (v0.15+); ResNet-50 is
v1.5 (stride 2 on the 3x3 conv of each bottleneck). Batch-1 figures at 224x224:
AlexNet 714,188,480 MACs / 61,100,840 params; ResNet-50 4,089,184,256 / 25,557,032.
"""

from __future__ import annotations

from typing import List

from ..layers import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, ReLU6
from ..models import Residual, Sequential
from ._registry import register


def _check_image(image_size: int, num_classes: int) -> None:
    for name, value in (("image_size", image_size), ("num_classes", num_classes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


@register
def alexnet(image_size: int = 224, num_classes: int = 1000) -> Sequential:
    """AlexNet (torchvision layout, Krizhevsky 2014 "one weird trick" variant).

    Parameters
    ----------
    image_size : int, default 224
        Height and width of the input image.
    num_classes : int, default 1000
        Classifier outputs.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.alexnet())
    >>> report.params
    61100840
    """
    _check_image(image_size, num_classes)
    layers = [
        Conv2d(3, 64, kernel_size=11, stride=4, padding=2),
        ReLU(),
        MaxPool2d(kernel_size=3, stride=2),
        Conv2d(64, 192, kernel_size=5, padding=2),
        ReLU(),
        MaxPool2d(kernel_size=3, stride=2),
        Conv2d(192, 384, kernel_size=3, padding=1),
        ReLU(),
        Conv2d(384, 256, kernel_size=3, padding=1),
        ReLU(),
        Conv2d(256, 256, kernel_size=3, padding=1),
        ReLU(),
        MaxPool2d(kernel_size=3, stride=2),
        AdaptiveAvgPool2d((6, 6)),
        Flatten(),
        Dropout(p=0.5),
        Linear(256 * 6 * 6, 4096),
        ReLU(),
        Dropout(p=0.5),
        Linear(4096, 4096),
        ReLU(),
        Linear(4096, num_classes),
    ]
    return Sequential(layers, input_shape=(3, image_size, image_size), name="alexnet")


@register
def vgg16(image_size: int = 224, num_classes: int = 1000) -> Sequential:
    """VGG-16 (configuration D, no batch norm; Simonyan and Zisserman 2015).

    Parameters
    ----------
    image_size : int, default 224
        Height and width of the input image.
    num_classes : int, default 1000
        Classifier outputs.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.vgg16())
    >>> report.params
    138357544
    """
    _check_image(image_size, num_classes)
    layers: List = []
    channels = 3
    for width in (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"):
        if width == "M":
            layers.append(MaxPool2d(kernel_size=2, stride=2))
        else:
            layers += [Conv2d(channels, width, kernel_size=3, padding=1), ReLU()]
            channels = int(width)
    layers += [
        AdaptiveAvgPool2d((7, 7)),
        Flatten(),
        Linear(512 * 7 * 7, 4096),
        ReLU(),
        Dropout(p=0.5),
        Linear(4096, 4096),
        ReLU(),
        Dropout(p=0.5),
        Linear(4096, num_classes),
    ]
    return Sequential(layers, input_shape=(3, image_size, image_size), name="vgg16")


def _downsample(inplanes: int, planes: int, stride: int) -> list:
    return [Conv2d(inplanes, planes, kernel_size=1, stride=stride, bias=False), BatchNorm2d(planes)]


def _basic_block(inplanes: int, planes: int, stride: int) -> list:
    body = [
        Conv2d(inplanes, planes, kernel_size=3, stride=stride, padding=1, bias=False),
        BatchNorm2d(planes),
        ReLU(),
        Conv2d(planes, planes, kernel_size=3, padding=1, bias=False),
        BatchNorm2d(planes),
    ]
    shortcut = _downsample(inplanes, planes, stride) if stride != 1 or inplanes != planes else None
    return [Residual(body, shortcut), ReLU()]


def _bottleneck(inplanes: int, planes: int, stride: int) -> list:
    out = planes * 4
    body = [
        Conv2d(inplanes, planes, kernel_size=1, bias=False),
        BatchNorm2d(planes),
        ReLU(),
        Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False),
        BatchNorm2d(planes),
        ReLU(),
        Conv2d(planes, out, kernel_size=1, bias=False),
        BatchNorm2d(out),
    ]
    shortcut = _downsample(inplanes, out, stride) if stride != 1 or inplanes != out else None
    return [Residual(body, shortcut), ReLU()]


def _resnet(name: str, block, expansion: int, blocks: List[int], image_size: int, num_classes: int) -> Sequential:
    _check_image(image_size, num_classes)
    layers: List = [
        Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False),
        BatchNorm2d(64),
        ReLU(),
        MaxPool2d(kernel_size=3, stride=2, padding=1),
    ]
    inplanes = 64
    for stage, (planes, count) in enumerate(zip((64, 128, 256, 512), blocks)):
        for index in range(count):
            stride = 2 if stage > 0 and index == 0 else 1
            layers += block(inplanes, planes, stride)
            inplanes = planes * expansion
    layers += [AdaptiveAvgPool2d((1, 1)), Flatten(), Linear(512 * expansion, num_classes)]
    return Sequential(layers, input_shape=(3, image_size, image_size), name=name)


@register
def resnet18(image_size: int = 224, num_classes: int = 1000) -> Sequential:
    """ResNet-18 (He et al. 2016; torchvision layout).

    Parameters
    ----------
    image_size : int, default 224
        Height and width of the input image.
    num_classes : int, default 1000
        Classifier outputs.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.resnet18())
    >>> report.params
    11689512
    """
    return _resnet("resnet18", _basic_block, 1, [2, 2, 2, 2], image_size, num_classes)


@register
def resnet50(image_size: int = 224, num_classes: int = 1000) -> Sequential:
    """ResNet-50 v1.5 (stride on the 3x3 conv; torchvision layout).

    Parameters
    ----------
    image_size : int, default 224
        Height and width of the input image.
    num_classes : int, default 1000
        Classifier outputs.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.resnet50())
    >>> report.params
    25557032
    """
    return _resnet("resnet50", _bottleneck, 4, [3, 4, 6, 3], image_size, num_classes)


def _conv_bn_relu6(inp: int, out: int, kernel: int, stride: int = 1, groups: int = 1) -> list:
    return [
        Conv2d(inp, out, kernel_size=kernel, stride=stride, padding=(kernel - 1) // 2, groups=groups, bias=False),
        BatchNorm2d(out),
        ReLU6(),
    ]


@register
def mobilenet_v2(image_size: int = 224, num_classes: int = 1000) -> Sequential:
    """MobileNetV2 (Sandler et al. 2018; width 1.0, torchvision layout, ReLU6).

    Parameters
    ----------
    image_size : int, default 224
        Height and width of the input image.
    num_classes : int, default 1000
        Classifier outputs.

    Returns
    -------
    Sequential

    Examples
    --------
    >>> from computelimits import flops
    >>> report = flops.count(flops.zoo.mobilenet_v2())
    >>> report.params
    3504872
    """
    _check_image(image_size, num_classes)
    layers: List = _conv_bn_relu6(3, 32, 3, stride=2)
    inp = 32
    for expand, out, repeats, first_stride in (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ):
        for index in range(repeats):
            stride = first_stride if index == 0 else 1
            hidden = inp * expand
            body = [] if expand == 1 else _conv_bn_relu6(inp, hidden, 1)
            body += _conv_bn_relu6(hidden, hidden, 3, stride=stride, groups=hidden)
            body += [Conv2d(hidden, out, kernel_size=1, bias=False), BatchNorm2d(out)]
            layers += [Residual(body)] if stride == 1 and inp == out else body
            inp = out
    layers += _conv_bn_relu6(inp, 1280, 1)
    layers += [AdaptiveAvgPool2d((1, 1)), Flatten(), Dropout(p=0.2), Linear(1280, num_classes)]
    return Sequential(layers, input_shape=(3, image_size, image_size), name="mobilenet_v2")
