"""SphereFace, A-Softmax (Liu et al. 2017), as its usual PyTorch implementations write it: cos(m theta)
from a table of Chebyshev polynomials, k = floor(m theta / pi) from acos outside autograd."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LOSS = 'sphereface'

COS_M_THETA = [
    lambda c: c**0,
    lambda c: c,
    lambda c: 2 * c**2 - 1,
    lambda c: 4 * c**3 - 3 * c,
    lambda c: 8 * c**4 - 8 * c**2 + 1,
    lambda c: 16 * c**5 - 20 * c**3 + 5 * c,
]


class SphereFaceHead(nn.Module):
    """Target logit |x| (lam cos + psi) / (1 + lam), psi = (-1)^k cos(m theta) - 2k; |x| cos elsewhere."""

    def __init__(self, d, k, m, lam):
        super().__init__()
        self.fc = nn.Linear(d, k, bias=False)
        self.m, self.lam = m, lam

    def forward(self, x, y):
        cos = (F.normalize(x, dim=1) @ F.normalize(self.fc.weight, dim=1).t()).clamp(-1, 1)
        norm = x.norm(dim=1, keepdim=True)
        k = torch.floor(self.m * torch.acos(cos.detach()) / math.pi)
        psi = (1 - 2 * (k % 2)) * COS_M_THETA[self.m](cos) - 2 * k
        target = F.one_hot(y, cos.shape[1]).bool()
        logits = norm * torch.where(target, (self.lam * cos + psi) / (1 + self.lam), cos)
        return F.cross_entropy(logits, y), norm * cos


def make_head(loss, d, k):
    return SphereFaceHead(d, k, loss['m'], loss.get('lambda', 5))
