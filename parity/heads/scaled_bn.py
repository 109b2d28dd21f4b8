import torch.nn as nn
import torch.nn.functional as F

LOSS = 'scaled-bn'


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


def make_head(loss, d, k):
    return ScaledBnHead(d, k, loss['m'], loss.get('eval', 'running'), loss.get('momentum', 0.1), loss.get('eps', 1e-5))
