"""What the losses on cosine logits share (no LOSS: not a mirror itself)."""
import torch.nn.functional as F


def cosines(f, weight):
    """cos theta_c of the normalised feature with each normalised class weight (rows of `weight`)."""
    return F.normalize(f, dim=1) @ F.normalize(weight, dim=1).t()


def additive_margin_logits(cos, y, s, m):
    """s * (cos_c - m * [c == y]): the margin on the target class's cosine only."""
    return s * (cos - m * F.one_hot(y, cos.shape[1]).to(cos.dtype))
