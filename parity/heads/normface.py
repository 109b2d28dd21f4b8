from .am_softmax import AmSoftmaxHead

LOSS = 'normface'


def make_head(loss, d, k):
    """NormFace is AM-Softmax without a margin."""
    return AmSoftmaxHead(d, k, loss['s'], 0.0)
