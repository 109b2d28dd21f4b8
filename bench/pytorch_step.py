"""PyTorch CPU reference for `npm run bench`: the same networks and training step as Loss Lab.

Mirrors src/core/models (simpleCnn.ts, resnet.ts), src/core/nn/layers.ts (convs without bias
before BN, BN momentum 0.1 / eps 1e-5), src/core/losses (ce: linear + softmax CE; scaled-bn:
linear + non-affine BatchNorm1d scaled by m, then softmax CE) and src/core/train/sgd.ts
(torch.optim.SGD, momentum 0.9, weight decay 5e-4 on every parameter). Prints one JSON line.
"""
import argparse
import json
import math
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled(channels, width):
    # JavaScript's Math.round (halves round up), not Python's round (halves to even).
    return max(1, math.floor(channels * width + 0.5))


def conv_bn(i, o, k, stride):
    return nn.Sequential(nn.Conv2d(i, o, k, stride, k // 2, bias=False), nn.BatchNorm2d(o, eps=1e-5, momentum=0.1))


class SimpleCnn(nn.Module):
    def __init__(self, in_c, width):
        super().__init__()
        c1, c2 = scaled(32, width), scaled(64, width)
        block = lambda i, o: nn.Sequential(conv_bn(i, o, 3, 1), nn.ReLU())
        self.features = nn.Sequential(block(in_c, c1), block(c1, c1), nn.MaxPool2d(2), block(c1, c2), block(c2, c2), nn.MaxPool2d(2))
        self.feature_dim = c2

    def forward(self, x):
        return self.features(x).mean((2, 3))


class BasicBlock(nn.Module):
    def __init__(self, i, o, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(i, o, 3, stride), nn.ReLU(), conv_bn(o, o, 3, 1))
        self.shortcut = conv_bn(i, o, 1, stride) if stride != 1 or i != o else nn.Identity()

    def forward(self, x):
        return F.relu(self.body(x) + self.shortcut(x))


class ResNet18(nn.Module):
    """CIFAR ResNet-18: 3×3 stem at stride 1, no max-pool, stages at strides 1, 2, 2, 2."""

    def __init__(self, in_c, width):
        super().__init__()
        c = scaled(64, width)
        layers = [conv_bn(in_c, c, 3, 1), nn.ReLU()]
        for stage in range(4):
            planes = scaled(64 * 2**stage, width)
            for b in range(2):
                layers.append(BasicBlock(c, planes, 2 if b == 0 and stage > 0 else 1))
                c = planes
        self.features = nn.Sequential(*layers)
        self.feature_dim = c

    def forward(self, x):
        return self.features(x).mean((2, 3))


class Head(nn.Module):
    def __init__(self, loss, d, k, m):
        super().__init__()
        self.fc = nn.Linear(d, k)
        self.bn = nn.BatchNorm1d(k, eps=1e-5, momentum=0.1, affine=False) if loss == 'scaled-bn' else None
        self.m = m

    def forward(self, f):
        z = self.fc(f)
        return self.m * self.bn(z) if self.bn is not None else z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', required=True, choices=['simple-cnn', 'resnet18'])
    ap.add_argument('--width', type=float, default=1.0)
    ap.add_argument('--loss', required=True, choices=['ce', 'scaled-bn'])
    ap.add_argument('--m', type=float, default=0.9)
    ap.add_argument('--size', type=int, required=True)
    ap.add_argument('--channels', type=int, required=True)
    ap.add_argument('--classes', type=int, required=True)
    ap.add_argument('--batch', type=int, required=True)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--steps', type=int, default=5)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    backbone = (SimpleCnn if a.model == 'simple-cnn' else ResNet18)(a.channels, a.width)
    net = nn.Sequential(backbone, Head(a.loss, backbone.feature_dim, a.classes, a.m))
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(a.batch, a.channels, a.size, a.size)
    y = torch.randint(0, a.classes, (a.batch,))

    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        scores = net(x)
        loss = F.cross_entropy(scores, y)
        loss.backward()
        opt.step()
        correct = (scores.argmax(1) == y).sum()
        loss.item(), correct.item()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)

    step_s = statistics.median(times)
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'trainableParams': sum(p.numel() for p in net.parameters() if p.requires_grad),
        'stepMs': step_s * 1000,
        'imagesPerSec': a.batch / step_s,
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'steps': len(times),
    }))


if __name__ == '__main__':
    main()
