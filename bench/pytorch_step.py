"""PyTorch CPU mirror of Loss Lab's networks and loss heads: `npm run bench` times one training
step with it, and the parity harness (parity/mirror.py, `npm run parity`) loads Loss Lab's
weights into it and trains the same steps.

Written from PyTorch's own conventions, not translated from our TypeScript, so that a
difference is a finding: convs without bias before BN (VGG's convs with bias), BN momentum
0.1 / eps 1e-5 (unbiased running variance), stride-1 3x3 CIFAR stems, global average pool,
torch.optim.SGD. Module names are chosen so that every parameter and buffer name equals
Loss Lab's (src/core/models, src/core/losses; the heads are in parity/heads/): `stem.conv.weight`, `layer1.0.2.bn.running_var`,
`features.3.conv.bias`, `fc.weight`, `logit_bn.running_mean`, `embed.weight`, ...
Only the layout differs: Loss Lab stores conv filters HWIO and linear weights (in, out).
Run as a script it prints one JSON line of step timings (the benchmark).
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The loss heads' mirrors, one file a loss, live with the parity harness.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'parity'))
from heads import make_head  # noqa: E402


def scaled(channels, width):
    # JavaScript's Math.round (halves round up), not Python's round (halves to even).
    return max(1, math.floor(channels * width + 0.5))


class ConvBn(nn.Module):
    """conv (symmetric padding k//2) then BatchNorm2d: children `conv` and `bn`."""

    def __init__(self, i, o, k, stride=1, bias=False):
        super().__init__()
        self.conv = nn.Conv2d(i, o, k, stride, k // 2, bias=bias)
        self.bn = nn.BatchNorm2d(o, eps=1e-5, momentum=0.1)

    def forward(self, x):
        return self.bn(self.conv(x))


class SimpleCnn(nn.Module):
    """[conv3x3(32)-BN-ReLU]x2, maxpool 2, [conv3x3(64)-BN-ReLU]x2, maxpool 2, global average pool."""

    def __init__(self, in_c, width):
        super().__init__()
        c1, c2 = scaled(32, width), scaled(64, width)
        self.block1 = ConvBn(in_c, c1, 3)
        self.block2 = ConvBn(c1, c1, 3)
        self.block3 = ConvBn(c1, c2, 3)
        self.block4 = ConvBn(c2, c2, 3)
        self.feature_dim = c2

    def forward(self, x):
        x = F.relu(self.block2(F.relu(self.block1(x))))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.block4(F.relu(self.block3(x))))
        x = F.max_pool2d(x, 2)
        return x.mean((2, 3))


class BasicBlock(nn.Module):
    def __init__(self, i, o, stride):
        super().__init__()
        self.add_module('1', ConvBn(i, o, 3, stride))
        self.add_module('2', ConvBn(o, o, 3, 1))
        self.shortcut = ConvBn(i, o, 1, stride) if stride != 1 or i != o else None

    def forward(self, x):
        c1, c2 = self._modules['1'], self._modules['2']
        out = c2(F.relu(c1(x)))
        return F.relu(out + (self.shortcut(x) if self.shortcut is not None else x))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, i, planes, stride):
        super().__init__()
        o = planes * self.expansion
        # torchvision's ResNet v1.5: the stride sits on the 3x3 conv.
        self.add_module('1', ConvBn(i, planes, 1, 1))
        self.add_module('2', ConvBn(planes, planes, 3, stride))
        self.add_module('3', ConvBn(planes, o, 1, 1))
        self.shortcut = ConvBn(i, o, 1, stride) if stride != 1 or i != o else None

    def forward(self, x):
        c1, c2, c3 = self._modules['1'], self._modules['2'], self._modules['3']
        out = c3(F.relu(c2(F.relu(c1(x)))))
        return F.relu(out + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet(nn.Module):
    """CIFAR ResNet: 3x3 stem at stride 1, no max-pool, stages at strides 1, 2, 2, 2."""

    def __init__(self, in_c, width, blocks, block):
        super().__init__()
        c = scaled(64, width)
        self.stem = ConvBn(in_c, c, 3, 1)
        for stage, count in enumerate(blocks):
            planes = scaled(64 * 2**stage, width)
            layer = nn.Sequential()
            for b in range(count):
                layer.add_module(str(b), block(c, planes, 2 if b == 0 and stage > 0 else 1))
                c = planes * (Bottleneck.expansion if block is Bottleneck else 1)
            self.add_module(f'layer{stage + 1}', layer)
        self.feature_dim = c

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return x.mean((2, 3))


def ResNet18(in_c, width):
    return ResNet(in_c, width, [2, 2, 2, 2], BasicBlock)


def ResNet50(in_c, width):
    return ResNet(in_c, width, [3, 4, 6, 3], Bottleneck)


VGG16_CFG = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']


class Vgg16(nn.Module):
    """VGG-16 with BN, CIFAR variant: conv3x3 (with bias)-BN-ReLU stacks, 5 max-pools, global average pool."""

    def __init__(self, in_c, width):
        super().__init__()
        self.features = nn.ModuleList()
        c = in_c
        for v in VGG16_CFG:
            if v != 'M':
                self.features.append(ConvBn(c, scaled(v, width), 3, 1, bias=True))
                c = scaled(v, width)
        self.feature_dim = c

    def forward(self, x):
        convs = iter(self.features)
        for v in VGG16_CFG:
            x = F.max_pool2d(x, 2) if v == 'M' else F.relu(next(convs)(x))
        return x.mean((2, 3))


MODELS = {'simple-cnn': SimpleCnn, 'resnet18': ResNet18, 'vgg16': Vgg16, 'resnet50': ResNet50}


class Net(nn.Module):
    def __init__(self, model, width, loss, in_c, k):
        super().__init__()
        self.backbone = MODELS[model](in_c, width)
        self.head = make_head(loss, self.backbone.feature_dim, k)

    def forward(self, x, y):
        """(mean loss, scores); argmax of the scores is the prediction."""
        return self.head(self.backbone(x), y)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True, choices=sorted(MODELS))
    ap.add_argument('--width', type=float, default=1.0)
    ap.add_argument('--loss', required=True, choices=['ce', 'scaled-bn', 'am-softmax', 'pedcc'])
    ap.add_argument('--m', type=float, default=0.9)
    ap.add_argument('--s', type=float, default=7.5)
    ap.add_argument('--size', type=int, required=True)
    ap.add_argument('--channels', type=int, required=True)
    ap.add_argument('--classes', type=int, required=True)
    ap.add_argument('--batch', type=int, required=True)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--device', default='cpu', help="'cpu', 'cuda' or 'mps': where the torch engine it is compared with runs")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = Net(a.model, a.width, {'name': a.loss, 'm': a.m, 's': a.s}, a.channels, a.classes)
    net.to(a.device).train()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, a.channels, a.size, a.size).to(a.device)
    y = torch.randint(0, a.classes, (a.batch,)).to(a.device)

    times, cpu = [], []
    for i in range(a.warmup + a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        loss, scores = net(x, y)
        loss.backward()
        opt.step()
        correct = (scores.argmax(1) == y).sum()
        loss.item(), correct.item()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)

    step_s = statistics.median(times)
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'trainableParams': sum(p.numel() for p in net.parameters() if p.requires_grad),
        'stepMs': step_s * 1000,
        'cpuMs': statistics.median(cpu) * 1000,
        'imagesPerSec': a.batch / step_s,
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'steps': len(times),
        'device': a.device,
    }))


if __name__ == '__main__':
    main()
