import torch.nn as nn
import torch.nn.functional as F

from . import cosine

LOSS = 'am-softmax'


class AmSoftmaxHead(nn.Module):
    """AM-Softmax: cosines of the normalised feature with the normalised class weights (no bias),
    CE on s * (cos - m at the target). Accuracy from the plain cosines."""

    def __init__(self, d, k, s, m):
        super().__init__()
        self.fc = nn.Linear(d, k, bias=False)
        self.s, self.m = s, m

    def forward(self, f, y):
        cos = cosine.cosines(f, self.fc.weight)
        return F.cross_entropy(cosine.additive_margin_logits(cos, y, self.s, self.m), y), cos


def make_head(loss, d, k):
    return AmSoftmaxHead(d, k, loss['s'], loss['m'])
