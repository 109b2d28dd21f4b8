"""PyTorch CPU mirror of Loss Lab's networks and loss heads: `npm run bench` times one training
step with it, and the parity harness (parity/mirror.py, `npm run parity`) loads Loss Lab's
weights into it and trains the same steps.

Written from PyTorch's own conventions, not translated from our TypeScript, so that a
difference is a finding: convs without bias before BN (VGG's convs with bias), BN momentum
0.1 / eps 1e-5 (unbiased running variance), stride-1 3x3 CIFAR stems, global average pool,
torch.optim.SGD. Module names are chosen so that every parameter and buffer name equals
Loss Lab's (src/core/models, src/core/losses): `stem.conv.weight`, `layer1.0.2.bn.running_var`,
`features.3.conv.bias`, `fc.weight`, `logit_bn.running_mean`, `embed.weight`, ...
Only the layout differs: Loss Lab stores conv filters HWIO and linear weights (in, out).
Run as a script it prints one JSON line of step timings (the benchmark).
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


class CeHead(nn.Module):
    """Linear layer, softmax cross-entropy on its output."""

    def __init__(self, d, k):
        super().__init__()
        self.fc = nn.Linear(d, k)

    def forward(self, f, y):
        z = self.fc(f)
        return F.cross_entropy(z, y), z


class ScaledBnHead(nn.Module):
    """The paper's method: linear layer, non-affine BatchNorm1d over the logits, times m, then CE.
    Evaluation: 'running' (BatchNorm1d in eval mode), 'batch' (this batch's statistics) or 'raw' logits."""

    def __init__(self, d, k, m, eval_mode='running', momentum=0.1, eps=1e-5):
        super().__init__()
        self.fc = nn.Linear(d, k)
        self.logit_bn = nn.BatchNorm1d(k, eps=eps, momentum=momentum, affine=False)
        self.m = m
        self.eval_mode = eval_mode

    def forward(self, f, y):
        z = self.fc(f)
        if self.training or self.eval_mode == 'running':
            z = self.m * self.logit_bn(z)
        elif self.eval_mode == 'batch':
            z = self.m * F.batch_norm(z, None, None, training=True, eps=self.logit_bn.eps)
        return F.cross_entropy(z, y), z


def additive_margin_logits(cos, y, s, m):
    """s * (cos_c - m * [c == y]): the margin on the target class's cosine only."""
    return s * (cos - m * F.one_hot(y, cos.shape[1]).to(cos.dtype))


class AmSoftmaxHead(nn.Module):
    """AM-Softmax: cosines of the normalised feature with the normalised class weights (no bias),
    CE on s * (cos - m at the target). Accuracy from the plain cosines."""

    def __init__(self, d, k, s, m):
        super().__init__()
        self.fc = nn.Linear(d, k, bias=False)
        self.s, self.m = s, m

    def forward(self, f, y):
        cos = F.normalize(f, dim=1) @ F.normalize(self.fc.weight, dim=1).t()
        return F.cross_entropy(additive_margin_logits(cos, y, self.s, self.m), y), cos


class ArcFaceHead(nn.Module):
    """ArcFace: s * cos(theta + m) at the target, s * cos(theta) elsewhere, with insightface's
    handling where theta + m passes pi (th = cos(pi - m), mm = sin(pi - m) * m) or the easy margin."""

    def __init__(self, d, k, s, m, easy_margin=False):
        super().__init__()
        self.fc = nn.Linear(d, k, bias=False)
        self.s, self.m, self.easy_margin = s, m, easy_margin
        self.th, self.mm = math.cos(math.pi - m), math.sin(math.pi - m) * m

    def forward(self, f, y):
        cos = F.normalize(f, dim=1) @ F.normalize(self.fc.weight, dim=1).t()
        sin = torch.sqrt((1.0 - cos * cos).clamp(1e-9, 1))
        phi = cos * math.cos(self.m) - sin * math.sin(self.m)
        phi = torch.where(cos > 0, phi, cos) if self.easy_margin else torch.where(cos > self.th, phi, cos - self.mm)
        target = F.one_hot(y, cos.shape[1]).bool()
        return F.cross_entropy(self.s * torch.where(target, phi, cos), y), cos


class LabelSmoothingHead(CeHead):
    """Linear layer, PyTorch's own label-smoothing cross-entropy."""

    def __init__(self, d, k, epsilon):
        super().__init__(d, k)
        self.epsilon = epsilon

    def forward(self, f, y):
        z = self.fc(f)
        return F.cross_entropy(z, y, label_smoothing=self.epsilon), z


class FocalHead(CeHead):
    """Linear layer, softmax focal loss -alpha_y * (1 - p_y)^gamma * log p_y, mean over the batch."""

    def __init__(self, d, k, gamma, alpha=None):
        super().__init__(d, k)
        self.gamma, self.alpha = gamma, alpha

    def forward(self, f, y):
        z = self.fc(f)
        log_pt = F.log_softmax(z, dim=1).gather(1, y[:, None])[:, 0]
        per_sample = -((1 - log_pt.exp()).clamp(min=1e-12) ** self.gamma) * log_pt
        if isinstance(self.alpha, (int, float)):
            per_sample = per_sample * self.alpha
        elif self.alpha is not None:
            per_sample = per_sample * torch.tensor(self.alpha, dtype=z.dtype)[y]
        return per_sample.mean(), z


class Centres(nn.Module):
    def __init__(self, k, d):
        super().__init__()
        self.register_buffer('centres', torch.zeros(k, d))


class CenterLossHead(CeHead):
    """Center loss (Wen et al. 2016): CE + lambda/2 * mean ||f - c_y||^2; in training the centres
    then move by alpha * (n_j c_j - sum of class j's features) / (1 + n_j), outside autograd."""

    def __init__(self, d, k, lam, alpha=0.5):
        super().__init__(d, k)
        self.center = Centres(k, d)
        self.lam, self.alpha = lam, alpha

    def forward(self, f, y):
        z = self.fc(f)
        c = self.center.centres
        loss = F.cross_entropy(z, y) + self.lam / 2 * ((f - c[y]) ** 2).sum(1).mean()
        if self.training:
            with torch.no_grad():
                members = F.one_hot(y, c.shape[0]).to(f.dtype)
                counts = members.sum(0)[:, None]
                c -= self.alpha * (counts * c - members.t() @ f.detach()) / self.update_denominator(counts)
        return loss, z

    @staticmethod
    def update_denominator(counts):
        # Wen et al. eq. 4: 1 + n_j (parity/mirror.py plants n_j alone as a defect).
        return 1 + counts


class Centroids(nn.Module):
    def __init__(self, k, d):
        super().__init__()
        self.register_buffer('centroids', F.normalize(torch.randn(k, d), dim=1))


class PedccHead(nn.Module):
    """PEDCC-loss: bias-free linear embedding, non-affine BatchNorm1d, L2-normalise, then
    AM-Softmax against fixed centroids plus (sum over the batch of ||f^ - c_y||^2)^n."""

    def __init__(self, d, k, s, m, embed_dim=512, n=1, distance='sum', embed_bn=True):
        super().__init__()
        self.embed = nn.Linear(d, embed_dim, bias=False)
        self.embed_bn = nn.BatchNorm1d(embed_dim, eps=1e-5, momentum=0.1, affine=False) if embed_bn else nn.Identity()
        self.pedcc = Centroids(k, embed_dim)
        self.s, self.m, self.n, self.distance = s, m, n, distance

    def forward(self, f, y):
        f_hat = F.normalize(self.embed_bn(self.embed(f)), dim=1)
        c = self.pedcc.centroids
        cos = f_hat @ c.t()
        am = F.cross_entropy(additive_margin_logits(cos, y, self.s, self.m), y)
        dist = ((f_hat - c[y]) ** 2).sum()
        if self.distance == 'mean':
            dist = dist / f.shape[0]
        return am + dist**self.n, cos


def make_head(loss, d, k):
    """`loss` is a Loss Lab loss config (dict)."""
    name = loss['name']
    if name == 'ce':
        return CeHead(d, k)
    if name == 'scaled-bn':
        return ScaledBnHead(d, k, loss['m'], loss.get('eval', 'running'), loss.get('momentum', 0.1), loss.get('eps', 1e-5))
    if name == 'am-softmax':
        return AmSoftmaxHead(d, k, loss['s'], loss['m'])
    if name == 'pedcc':
        return PedccHead(d, k, loss['s'], loss['m'], loss.get('embedDim', 512), loss.get('n', 1), loss.get('distance', 'sum'), loss.get('embedBn', True))
    if name == 'cosface':
        return AmSoftmaxHead(d, k, loss['s'], loss['m'])
    if name == 'normface':
        return AmSoftmaxHead(d, k, loss['s'], 0.0)
    if name == 'arcface':
        return ArcFaceHead(d, k, loss['s'], loss['m'], loss.get('easyMargin', False))
    if name == 'label-smoothing':
        return LabelSmoothingHead(d, k, loss['epsilon'])
    if name == 'focal':
        return FocalHead(d, k, loss['gamma'], loss.get('alpha'))
    if name == 'center':
        return CenterLossHead(d, k, loss['lambda'], loss.get('alpha', 0.5))
    raise ValueError(f'unknown loss {name!r}')


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

    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss, scores = net(x, y)
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
        'device': a.device,
    }))


if __name__ == '__main__':
    main()
