from .am_softmax import AmSoftmaxHead

LOSS = 'cosface'


def make_head(loss, d, k):
    """CosFace is AM-Softmax under its other name."""
    return AmSoftmaxHead(d, k, loss['s'], loss['m'])
