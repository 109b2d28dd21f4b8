import torch
import torch.nn.functional as F

from .ce import CeHead

LOSS = 'focal'


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


def make_head(loss, d, k):
    return FocalHead(d, k, loss['gamma'], loss.get('alpha'))
