import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import cosine

LOSS = 'arcface'


class ArcFaceHead(nn.Module):
    """ArcFace: s * cos(theta + m) at the target, s * cos(theta) elsewhere, with insightface's
    handling where theta + m passes pi (th = cos(pi - m), mm = sin(pi - m) * m) or the easy margin."""

    def __init__(self, d, k, s, m, easy_margin=False):
        super().__init__()
        self.fc = nn.Linear(d, k, bias=False)
        self.s, self.m, self.easy_margin = s, m, easy_margin
        self.th, self.mm = math.cos(math.pi - m), math.sin(math.pi - m) * m

    def forward(self, f, y):
        cos = cosine.cosines(f, self.fc.weight)
        sin = torch.sqrt((1.0 - cos * cos).clamp(1e-9, 1))
        phi = cos * math.cos(self.m) - sin * math.sin(self.m)
        phi = torch.where(cos > 0, phi, cos) if self.easy_margin else torch.where(cos > self.th, phi, cos - self.mm)
        target = F.one_hot(y, cos.shape[1]).bool()
        return F.cross_entropy(self.s * torch.where(target, phi, cos), y), cos


def make_head(loss, d, k):
    return ArcFaceHead(d, k, loss['s'], loss['m'], loss.get('easyMargin', False))
