import torch
import torch.nn as nn
import torch.nn.functional as F

from . import cosine

LOSS = 'pedcc'


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
        am = F.cross_entropy(cosine.additive_margin_logits(cos, y, self.s, self.m), y)
        dist = ((f_hat - c[y]) ** 2).sum()
        if self.distance == 'mean':
            dist = dist / f.shape[0]
        return am + dist**self.n, cos


def make_head(loss, d, k):
    return PedccHead(d, k, loss['s'], loss['m'], loss.get('embedDim', 512), loss.get('n', 1), loss.get('distance', 'sum'), loss.get('embedBn', True))
