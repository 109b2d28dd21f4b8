"""The docs/reproduction simple-cnn protocol in plain PyTorch, for the issue-13 seed study.

Independent of Loss Lab's data pipeline and trainer: it reads the Fashion-MNIST IDX files itself
and uses PyTorch's own seeding, so it does NOT see Loss Lab's images or initial weights. What
it shares with Loss Lab is the protocol and the network/heads (bench/pytorch_step.py's Net, whose
heads are checked step for step against Loss Lab by `npm run parity`):

- Fashion-MNIST, 2,000 training images drawn at random per seed (torch.randperm seeded by the
  seed), the first 2,000 test images; per-channel mean/std (population) of the 2,000 training
  images, (v/255 - mean)/std, as Loss Lab does for a subset.
- Seed k also fixes the initial weights (torch.manual_seed(k) before building the Net), so CE and
  the three scaled-BN settings of one seed start from the same backbone and see the same
  images in the same order with the same flips: within-seed differences are the loss's doing.
- simple-cnn width 1; 10 epochs, batch 128 (the last batch of an epoch is the 80 left over: 16
  steps), SGD lr 0.1 momentum 0.9 weight decay 5e-4 on every parameter (PyTorch's default and
  Loss Lab's decayBiasAndBn: true), lr x0.1 after epochs 3, 6 and 9; horizontal flip (p = 0.5)
  is the only augmentation; evaluation in eval mode (scaled BN: running statistics).
- Train accuracy is over the last epoch's augmented batches in train mode, as Loss Lab reports it.

Usage (one process, one thread; writes one JSON per run under --out):
  /usr/bin/python3 docs/reproduction/seed-study/pytorch_protocol.py --seeds 1 2 3 --out /tmp/seed-study/pytorch

--losslab-init DIR (from export-losslab-init.ts) starts instead from Loss Lab's own start for that
seed: its 2,000 training images, its mean/std and its initial weights; batch order and flips
stay PyTorch's (seeded by --seeds). Files are then named llinit-<setting>__seed<k>.json.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..')
sys.path.insert(0, os.path.join(ROOT, 'bench'))
sys.path.insert(0, os.path.join(ROOT, 'parity'))
from pytorch_step import Net  # noqa: E402

DATA = '/usr/share/datasets/fashion-mnist'
SETTINGS = [
    ('ce', {'name': 'ce'}),
    ('scaled-bn-m0.8', {'name': 'scaled-bn', 'm': 0.8}),
    ('scaled-bn-m0.9', {'name': 'scaled-bn', 'm': 0.9}),
    ('scaled-bn-m1', {'name': 'scaled-bn', 'm': 1.0}),
]


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack('>' + 'I' * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def load(data_dir):
    xs = {s: read_idx(os.path.join(data_dir, f'{s}-images-idx3-ubyte.gz')) for s in ('train', 't10k')}
    ys = {s: read_idx(os.path.join(data_dir, f'{s}-labels-idx1-ubyte.gz')).long() for s in ('train', 't10k')}
    return xs['train'], ys['train'], xs['t10k'], ys['t10k']


class LossLabStart:
    """export-losslab-init.ts's folder: Loss Lab's images, mean/std and initial weights of one seed."""

    def __init__(self, folder):
        self.m = json.load(open(os.path.join(folder, 'manifest.json')))
        self.blob = open(os.path.join(folder, 'tensors.bin'), 'rb').read()

    def get(self, key):
        t = self.m['index'][key]
        dtype = {'float32': torch.float32, 'int32': torch.int32, 'uint8': torch.uint8}[t['dtype']]
        size = {'float32': 4, 'int32': 4, 'uint8': 1}[t['dtype']]
        raw = bytearray(self.blob[t['offset']:t['offset'] + t['length'] * size])
        return torch.frombuffer(raw, dtype=dtype).reshape(t['shape']).clone()


def run(seed, loss, data, a, start=None, key=None):
    if start is None:
        x_all, y_all, x_test_all, y_test_all = data
        g = torch.Generator().manual_seed(seed)
        idx = torch.randperm(x_all.shape[0], generator=g)[:a.train_subset]
        x_tr = x_all[idx].float().div(255)
        y_tr = y_all[idx]
        mean, std = x_tr.mean().item(), x_tr.std(unbiased=False).item()
        x_tr = ((x_tr - mean) / std).unsqueeze(1)
        x_te = ((x_test_all[:a.test_subset].float().div(255) - mean) / std).unsqueeze(1)
        y_te = y_test_all[:a.test_subset]
    else:
        mean, std = start.m['mean'][0], start.m['std'][0]
        x_tr = ((start.get('train/images').float().div(255) - mean) / std).permute(0, 3, 1, 2).contiguous()
        y_tr = start.get('train/labels').long()
        x_te = ((start.get('test/images').float().div(255) - mean) / std).permute(0, 3, 1, 2).contiguous()
        y_te = start.get('test/labels').long()

    torch.manual_seed(seed)
    net = Net('simple-cnn', 1.0, loss, 1, 10)
    if start is not None:
        from mirror import named_state, to_torch_layout
        with torch.no_grad():
            for name, (t, is_param, _) in named_state(net).items():
                t.copy_(to_torch_layout(start.get(f'{key}/{name}'), is_param))
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[3, 6, 9], gamma=0.1)
    history = []
    t0 = time.time()
    for epoch in range(a.epochs):
        net.train()
        eg = torch.Generator().manual_seed(seed * 7919 + epoch)
        perm = torch.randperm(x_tr.shape[0], generator=eg)
        flips = torch.rand(x_tr.shape[0], generator=eg) < 0.5
        correct = seen = 0
        loss_sum = 0.0
        for s in range(0, x_tr.shape[0], a.batch):
            b = perm[s:s + a.batch]
            x = x_tr[b]
            x = torch.where(flips[b][:, None, None, None], x.flip(3), x)
            y = y_tr[b]
            opt.zero_grad(set_to_none=True)
            l, scores = net(x, y)
            l.backward()
            opt.step()
            correct += (scores.argmax(1) == y).sum().item()
            seen += len(b)
            loss_sum += l.item() * len(b)
        lr = opt.param_groups[0]['lr']
        sched.step()
        net.eval()
        with torch.no_grad():
            tl, tc = 0.0, 0
            for s in range(0, x_te.shape[0], 256):
                l, scores = net(x_te[s:s + 256], y_te[s:s + 256])
                tl += l.item() * len(scores)
                tc += (scores.argmax(1) == y_te[s:s + 256]).sum().item()
        history.append({'epoch': epoch + 1, 'lr': lr, 'trainLoss': loss_sum / seen, 'trainAcc': 100 * correct / seen,
                        'testLoss': tl / len(y_te), 'testAcc': 100 * tc / len(y_te)})
    return {'seed': seed, 'loss': loss, 'finalTestAcc': history[-1]['testAcc'], 'finalTrainAcc': history[-1]['trainAcc'],
            'bestTestAcc': max(h['testAcc'] for h in history), 'wallS': time.time() - t0, 'history': history,
            'torch': torch.__version__, 'threads': torch.get_num_threads()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, nargs='+', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--data', default=DATA)
    ap.add_argument('--train-subset', type=int, default=2000)
    ap.add_argument('--test-subset', type=int, default=2000)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=0.1)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--losslab-init', help="export-losslab-init.ts's folder for the (single) seed given")
    ap.add_argument('--settings', nargs='+', help='only these settings (default: all four)')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    start = LossLabStart(a.losslab_init) if a.losslab_init else None
    data = None if start else load(a.data)
    for seed in a.seeds:
        for key, loss in SETTINGS:
            if a.settings and key not in a.settings:
                continue
            path = os.path.join(a.out, f'{"llinit-" if start else ""}{key}__seed{seed}.json')
            if os.path.exists(path):
                continue
            r = run(seed, loss, data, a, start, key)
            r['losslabInit'] = bool(start)
            r['setting'] = key
            with open(path + '.tmp', 'w') as f:
                json.dump(r, f)
            os.replace(path + '.tmp', path)
            print(f"{key} seed {seed}: train {r['finalTrainAcc']:.2f} test {r['finalTestAcc']:.2f} ({r['wallS']:.0f} s)", flush=True)


if __name__ == '__main__':
    main()
