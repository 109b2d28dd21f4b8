import torch
import torch.nn as nn
import torch.nn.functional as F

from .ce import CeHead

LOSS = 'center'


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


def make_head(loss, d, k):
    return CenterLossHead(d, k, loss['lambda'], loss.get('alpha', 0.5))
