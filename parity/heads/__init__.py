"""The PyTorch mirror of each loss head, one file a loss (parity/mirror.py, bench/pytorch_step.py).

A mirror file names its loss in LOSS and builds the head with make_head(loss, d, k), `loss` being
Loss Lab's loss config (a dict). Files without LOSS hold maths the mirrors share.
test/unit/losses/descriptors.test.ts fails when a loss descriptor has no mirror here.
"""
import importlib
import pkgutil


def mirrors():
    """Loss name -> make_head of every mirror file in this folder."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f'{__name__}.{info.name}')
        if hasattr(module, 'LOSS'):
            out[module.LOSS] = module.make_head
    return out


def make_head(loss, d, k):
    heads = mirrors()
    if loss['name'] not in heads:
        raise ValueError(f'no PyTorch mirror of loss {loss["name"]!r} in parity/heads')
    return heads[loss['name']](loss, d, k)
