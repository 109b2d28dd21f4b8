"""The PyTorch side of the parity harness (`npm run parity`).

For each folder written by parity/exportRun.ts, builds the same network and loss head in PyTorch
(bench/pytorch_step.py and the loss heads in parity/heads/, written from PyTorch's conventions: nn.Conv2d, nn.BatchNorm2d/1d,
F.cross_entropy, torch.optim.SGD), loads Loss Lab's weights and buffers, feeds the exact batches
Loss Lab fed with the same per-step learning rates, and compares. One JSON object per folder on
stdout. Everything is float32 on one thread.

Why not simply "train 20 steps in both and compare at 1e-4"
-----------------------------------------------------------
Because no two float32 implementations can pass that on the deep networks. PyTorch's own
float32 gradient of ResNet-50 x0.125 at initialisation is up to 2% off its float64 gradient
(sums of 16,384 terms that cancel almost exactly, through 53 BN layers), and rounding-level
differences flip the odd ReLU or max-pool near-tie (zero-padded crops make constant regions).
Twenty free steps amplify that: PyTorch float32 against PyTorch float64, from the same weights
and batches, end 1e-2..1e-1 apart in loss on ResNet/VGG (1e-5 on simple-cnn). A fixed tolerance
loose enough for that hides every defect. So each step is checked from Loss Lab's exact state
(teacher-forced), and the parts are checked separately, each as tightly as float32 allows:

  0 batches  every image fed is torchvision's RandomCrop(padding=4) + RandomHorizontalFlip +
             Normalize of its raw uint8 image (zero padding before normalising), exactly; labels equal
  per step i, PyTorch from Loss Lab's state before step i (weights, momentum buffers, running stats):
  1 loss     |ours - torch| / |torch| <= 1e-4                               (measured <= 4e-6)
  2 running  BN running mean/var after the step: ||ours - torch|| / ||what the step adds||
             (momentum x batch statistic) <= 1e-4                          (measured <= 3e-5)
  3 sgd      torch.optim.SGD applied to Loss Lab's own weights, buffers and gradient of the step:
             buffers max|diff| <= 1e-5 max|buf|; weights max|diff| <= 2.4e-7 max|w| + 1e-4
             max|update| (float32 rounding; measured <= 0.5 of that)
  4 gradient Loss Lab's gradient against PyTorch's, ||diff|| / ||grad|| over all parameters: the
             median over steps <= 1e-4 and the worst step <= 1e-2, or 8x what perturbing PyTorch's
             weights and inputs by a relative 1e-6 does to its own gradient where that is more
             (ResNet-50: 3e-3 median; elsewhere <= 3e-5). A defect is systematic and shows in the
             median; a tie flip is one step.
  5 eval     Loss Lab's final state in evaluation mode (running statistics) on a fixed batch: mean
             loss rel <= 1e-4, the same predictions except top-2 scores within 1e-4
  6 free run all steps from Loss Lab's initial weights in PyTorch alone: per-step loss and final
             weights, buffers and running statistics within max(1e-4, 8x the same run with weights
             and inputs perturbed by 1e-6). Plain 1e-4 on simple-cnn; "no further than PyTorch from
             itself" on the deep networks.

What the tolerances catch is measured, not argued: `--mutate NAME` plants one classic defect in
the PyTorch side (MUTATIONS) and test/system/parity.test.ts requires each to be caught:
  wrong momentum convention (dampening, Nesterov, lr inside the buffer)  -> 3 sgd at step 1 or 2
      (thousands of times the allowance; the weights alone would not show lr-in-buffer while the
      rate is constant, the buffers do, and so does the free run after the lr drop at step 11)
  biased running variance                                                  -> 2 running (2.4e-4 where
      n = 4,096 values per channel, 1/15 on the logit BN; every model)
  weight decay on the wrong tensors (both directions)                     -> 3 sgd (>= 3x, buffers far more)
  margin on the wrong logit                                                -> 1 loss at step 1 (7e-2..1)
  scaled BN evaluated with batch statistics                                -> 5 eval (5e-2)
  crop padding after normalising                                           -> 0 batches
"""
import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from heads import arcface, center, cosine  # noqa: E402
from pytorch_step import Net  # noqa: E402

TOL = {
    'loss_rel': 1e-4,  # loss of a step from the same state; eval loss; free-run floor
    'running_rel': 1e-4,  # BN running statistics after a step from the same state, of what the step adds
    'grad_median': 1e-4,  # gradient from the same state, median over steps: always accepted ...
    'grad_max': 1e-2,  # ... and worst step: always accepted ...
    'k': 8.0,  # ... and K times what nudging PyTorch's weights and inputs by 1e-6 does to it
    'sgd_buf': 1e-5,  # SGD from identical inputs: momentum buffers, of the tensor's max |buf|
    'sgd_w_ulp': 2.4e-7,  # weights: two float32 ulps of the tensor's max |w| ...
    'sgd_w_update': 1e-4,  # ... plus this much of the step's largest update
    'tie': 1e-4,  # eval predictions whose top-2 scores are closer than this may differ
}

MUTATIONS = {
    'dampening': 'momentum as an average: buf = 0.9 buf + 0.1 g (dampening = momentum)',
    'nesterov': 'Nesterov momentum: p -= lr (g + 0.9 buf)',
    'lr-in-buffer': 'learning rate inside the buffer (Sutskever, tf.train.MomentumOptimizer): v = 0.9 v + lr g; p -= v',
    'biased-running-var': 'BN running variance updated with the biased batch variance',
    'decay-weights-only': 'weight decay on conv/linear weights only, not on biases and BN parameters',
    'decay-all': 'weight decay on every parameter (against an export with decayBiasAndBn false)',
    'margin-wrong-logit': 'additive margin on class (y + 1) mod k instead of the target',
    'eval-batch-stats': 'scaled BN evaluated with batch statistics instead of running ones',
    'pad-after-normalize': 'crop padding with the normalised 0 (after Normalize) instead of the raw image\'s 0',
    'arcface-cosine-margin': 'ArcFace with the margin on the cosine, cos(theta) - m (CosFace), instead of the angle',
    'center-update-mean': 'center loss centres moved by alpha * (c_j - mean of class j) instead of dividing by 1 + n_j',
}

F64 = torch.float64
NUDGE = 1e-6
MAX_PROBLEMS = 60


class Export:
    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, 'manifest.json')) as f:
            self.m = json.load(f)
        self.blob = np.fromfile(os.path.join(folder, 'tensors.bin'), dtype=np.uint8)

    def get(self, key):
        t = self.m['tensors'][key]
        dtype = {'float32': np.float32, 'int32': np.int32, 'uint8': np.uint8}[t['dtype']]
        a = np.frombuffer(self.blob, dtype=dtype, count=t['length'], offset=t['offset']).reshape(t['shape'])
        return torch.from_numpy(a.copy())


def to_torch_layout(t, is_param):
    """Loss Lab layout -> PyTorch: conv filters HWIO -> OIHW, linear weights (in, out) -> (out, in),
    NHWC images -> NCHW. Buffers (running statistics, centroids (k, d)) are the same in both."""
    if t.dim() == 4:
        return t.permute(3, 2, 0, 1).contiguous() if is_param else t.permute(0, 3, 1, 2).contiguous()
    if t.dim() == 2 and is_param:
        return t.t().contiguous()
    return t


def named_state(net):
    """Loss Lab's names -> (tensor, is_param, owning module); backbone and head names need no prefix."""
    out = {}
    for part in (net.backbone, net.head):
        for mod_name, mod in part.named_modules():
            for pn, p in mod.named_parameters(recurse=False):
                out[f'{mod_name}.{pn}' if mod_name else pn] = (p, True, mod)
            for bn, b in mod.named_buffers(recurse=False):
                if bn != 'num_batches_tracked':
                    out[f'{mod_name}.{bn}' if mod_name else bn] = (b, False, mod)
    return out


def install_biased_running_var(net):
    """Mutation: after each training-mode BN forward, redo the running-variance update with the biased variance."""
    for mod in net.modules():
        if isinstance(mod, nn.modules.batchnorm._BatchNorm):
            def pre(m, inp):
                if m.training:
                    m._saved_var = m.running_var.clone()

            def post(m, inp, out):
                if m.training:
                    x = inp[0].detach()
                    var = x.var(dim=[d for d in range(x.dim()) if d != 1], unbiased=False)
                    # Through .data: BN saved running_var for its backward, an in-place write would trip autograd.
                    m.running_var.data.copy_((1 - m.momentum) * m._saved_var + m.momentum * var)
            mod.register_forward_pre_hook(pre)
            mod.register_forward_hook(post)


def wrong_margin_logits(cos, y, s, m):
    k = cos.shape[1]
    return s * (cos - m * F.one_hot((y + 1) % k, k).to(cos.dtype))


def arcface_cosine_margin(head, f, y):
    cos = cosine.cosines(f, head.fc.weight)
    return F.cross_entropy(cosine.additive_margin_logits(cos, y, head.s, head.m), y), cos


def center_update_mean(counts):
    return counts.clamp(min=1)


class Mirror:
    """The PyTorch network of one export, in one dtype, with its optimiser."""

    def __init__(self, ex, dtype, mutate):
        m = ex.m
        self.ex, self.m, self.dtype, self.mutate = ex, m, dtype, mutate
        torch.manual_seed(0)
        self.net = Net(m['model']['name'], m['model']['width'], m['loss'], m['input']['channels'], m['classes']).to(dtype)
        self.state = named_state(self.net)
        ours = [p['name'] for p in m['params']] + [b['name'] for b in m['buffers']]
        missing, extra = sorted(set(self.state) - set(ours)), sorted(set(ours) - set(self.state))
        if missing or extra:
            raise MismatchError(f'PyTorch has {missing} that Loss Lab lacks; Loss Lab has {extra} that PyTorch lacks')
        for name, (t, is_param, _) in self.state.items():
            shape = list(to_torch_layout(torch.empty(ex.m['tensors'][f'state/0/{name}']['shape']), is_param).shape)
            if shape != list(t.shape):
                raise MismatchError(f'{name}: Loss Lab shape {shape} (PyTorch layout) vs PyTorch {list(t.shape)}')
        if mutate == 'biased-running-var':
            install_biased_running_var(self.net)
        if mutate == 'eval-batch-stats' and hasattr(self.net.head, 'eval_mode'):
            self.net.head.eval_mode = 'batch'
        # Which tensors count as "weights" is decided here from the module types (conv and
        # linear weights), independently of Loss Lab's isWeight flags.
        decay_all = m['decayBiasAndBn'] if mutate not in ('decay-weights-only', 'decay-all') else mutate == 'decay-all'
        weights, others = [], []
        for name, (t, is_param, mod) in self.state.items():
            if is_param:
                (weights if isinstance(mod, (nn.Conv2d, nn.Linear)) and name.endswith('.weight') else others).append(t)
        wd = m['weightDecay']
        self.groups = [{'params': weights, 'weight_decay': wd}, {'params': others, 'weight_decay': wd if decay_all else 0.0}]
        self.gen = torch.Generator().manual_seed(1)
        self.nudged = False
        self.opt = torch.optim.SGD(self.groups, lr=m['lrs'][0], momentum=m['momentum'],
                                   dampening=m['momentum'] if mutate == 'dampening' else 0.0, nesterov=mutate == 'nesterov')

    def jitter(self, shape):
        """Random relative perturbations of +-NUDGE."""
        return torch.where(torch.rand(shape, generator=self.gen) < 0.5, -NUDGE, NUDGE).to(self.dtype)

    def load(self, i, nudge=False):
        """Loss Lab's state after i steps: parameters, buffers and momentum buffers. `nudge`: every
        parameter, and the inputs of the steps that follow, perturbed by a relative +-NUDGE."""
        self.nudged = nudge
        with torch.no_grad():
            for name, (t, is_param, _) in self.state.items():
                t.copy_(to_torch_layout(self.ex.get(f'state/{i}/{name}'), is_param))
                if is_param:
                    if nudge:
                        t.mul_(1 + self.jitter(t.shape))
                    if i == 0:
                        self.opt.state.pop(t, None)  # torch.optim.SGD starts without a buffer
                    else:
                        buf = to_torch_layout(self.ex.get(f'state/{i}/momentum/{name}'), True).to(self.dtype)
                        self.opt.state[t] = {'momentum_buffer': buf}

    def forward_backward(self, i):
        """Training-mode forward and backward of step i (0-based) on Loss Lab's batch i, no update
        (BN running statistics do update): (loss, correct)."""
        x = to_torch_layout(self.ex.get(f'batch/{i}/x'), False).to(self.dtype)
        if self.nudged:
            x = x * (1 + self.jitter(x.shape))
        y = self.ex.get(f'batch/{i}/y').long()
        self.net.train()
        self.opt.zero_grad(set_to_none=True)
        loss, scores = self.net(x, y)
        loss.backward()
        return loss.item(), int((scores.argmax(1) == y).sum())

    def grads(self):
        return {name: (t.grad.detach().clone() if t.grad is not None else None) for name, (t, is_param, _) in self.state.items() if is_param}

    def apply_sgd(self, i, grads=None):
        """The optimiser step of step i with the learning rate of step i; `grads` replaces the gradients."""
        lr = self.m['lrs'][i]
        if grads is not None:
            for name, (t, is_param, _) in self.state.items():
                if is_param:
                    t.grad = grads[name].to(self.dtype) if grads.get(name) is not None else None
        for g in self.opt.param_groups:
            g['lr'] = lr
        if self.mutate == 'lr-in-buffer':
            with torch.no_grad():
                for g in self.groups:
                    for p in g['params']:
                        if p.grad is None:
                            continue
                        d = p.grad + g['weight_decay'] * p
                        st = self.opt.state.setdefault(p, {})
                        v = st.get('momentum_buffer')
                        v = d * lr if v is None else v.mul_(self.m['momentum']).add_(d, alpha=lr)
                        st['momentum_buffer'] = v
                        p.sub_(v)
        else:
            self.opt.step()

    def step(self, i):
        loss, correct = self.forward_backward(i)
        self.apply_sgd(i)
        return loss, correct

    def snapshot(self):
        """name -> (kind, float64 copy): kind 'weights', 'momentum' (key momentum/<name>) or 'running' (buffers)."""
        out = {}
        for name, (t, is_param, _) in self.state.items():
            if is_param:
                out[name] = ('weights', t.detach().to(F64).clone())
                buf = self.opt.state.get(t, {}).get('momentum_buffer')
                out[f'momentum/{name}'] = ('momentum', (buf if buf is not None else torch.zeros_like(t)).detach().to(F64).clone())
            else:
                out[name] = ('running', t.detach().to(F64).clone())
        return out

    def evaluate(self):
        x = to_torch_layout(self.ex.get('eval/x'), False).to(self.dtype)
        y = self.ex.get('eval/y').long()
        self.net.eval()
        with torch.no_grad():
            loss, scores = self.net(x, y)
        return loss.item(), scores.to(F64), y


class MismatchError(Exception):
    pass



def check_batches(ex, mutate):
    """Every image fed is torchvision's RandomCrop(size, padding) + RandomHorizontalFlip + ToTensor +
    Normalize of its raw training image (zero padding of the raw image, before normalising), for
    some offset and flip; and the labels are the images' labels. Returns (problems, stats)."""
    m = ex.m
    aug, norm = m['augment'], m['normalize']
    images, labels = ex.get('data/images'), ex.get('data/labels')
    p, size, b = aug['padding'] if aug['crop'] else 0, m['input']['height'], m['batchSize']
    mean = torch.tensor(norm['mean'], dtype=F64)
    std = torch.tensor(norm['std'], dtype=F64)
    problems, flips, offsets = [], 0, set()
    for i in range(m['steps']):
        x, y = ex.get(f'batch/{i}/x'), ex.get(f'batch/{i}/y')
        for k in range(x.shape[0]):
            raw = images[i * b + k].to(F64)  # (h, w, c)
            if mutate == 'pad-after-normalize':  # pads the normalised image with 0 instead
                padded = F.pad(((raw / 255 - mean) / std).permute(2, 0, 1), (p, p, p, p)).permute(1, 2, 0)
            else:
                padded = (F.pad(raw.permute(2, 0, 1), (p, p, p, p)).permute(1, 2, 0) / 255 - mean) / std
            padded = padded.to(torch.float32)
            found = None
            for dy in range(2 * p + 1):
                for dx in range(2 * p + 1):
                    crop = padded[dy:dy + size, dx:dx + size]
                    for flip in ((False, True) if aug['flip'] else (False,)):
                        if torch.equal(crop.flip(1) if flip else crop, x[k]):
                            found = (dy - p, dx - p, flip)
                            break
                    if found:
                        break
                if found:
                    break
            if found is None:
                problems.append(f'batch {i + 1} image {k}: not a random crop (padding {p}) and flip of training image {i * b + k}')
            else:
                flips += found[2]
                offsets.add(found[:2])
            if int(y[k]) != int(labels[i * b + k]):
                problems.append(f'batch {i + 1} image {k}: label {int(y[k])}, the image\'s is {int(labels[i * b + k])}')
    n = m['steps'] * b
    return problems, {'images': n, 'flipped': flips, 'distinctOffsets': len(offsets)}


def ours_state(ex, i, snapshot_keys):
    """Loss Lab's state after i steps in the form of Mirror.snapshot() (PyTorch layout, float64)."""
    out = {}
    for key, (kind, _) in snapshot_keys.items():
        out[key] = (kind, to_torch_layout(ex.get(f'state/{i}/{key}'), kind != 'running').to(F64))
    return out


def ours_grads(ex, i):
    out = {}
    for p in ex.m['params']:
        key = f'grad/{i}/{p["name"]}'
        out[p['name']] = to_torch_layout(ex.get(key), True) if key in ex.m['tensors'] else None
    return out


def rel_norm(a, b):
    """||a - b|| / ||b|| over tensors (dicts of float64 tensors, same keys; None counts as zero)."""
    num = den = 0.0
    for k, bt in b.items():
        at = a[k]
        if bt is None and at is None:
            continue
        bt = torch.zeros_like(at) if bt is None else bt.to(F64)
        at = torch.zeros_like(bt) if at is None else at.to(F64)
        num += float(((at - bt) ** 2).sum())
        den += float((bt**2).sum())
    return math.sqrt(num) / max(math.sqrt(den), 1e-30)


def by_kind(snap, kind):
    return {k: v for k, (kd, v) in snap.items() if kd == kind}


def sgd_errors(ours_after, torch_after, ours_before):
    """Per tensor of one optimiser step from identical inputs: (kind, name, error / tolerance).
    Elementwise float32 rounding allowed: momentum max|diff| <= 1e-5 max|buf|; weights
    max|diff| <= 2.4e-7 max|w| + 1e-4 max|update| (a few float32 ulps of the weight)."""
    rows = []
    for key, (kind, b) in torch_after.items():
        if kind == 'running':
            continue
        a = ours_after[key][1]
        diff = float((a - b).abs().max())
        if kind == 'momentum':
            tol = TOL['sgd_buf'] * float(b.abs().max()) + 1e-30
        else:
            tol = TOL['sgd_w_ulp'] * float(b.abs().max()) + TOL['sgd_w_update'] * float((b - ours_before[key][1]).abs().max()) + 1e-30
        rows.append((kind, key, diff / tol, diff))
    return rows


def free_run(ex, mt, keys, problems):
    """All steps from Loss Lab's initial weights, and the same run nudged by 1e-6 (the noise floor)."""
    m, steps, k = ex.m, ex.m['steps'], TOL['k']
    mt.load(0, nudge=True)
    nudged = [mt.step(i)[0] for i in range(steps)]
    snap_n = mt.snapshot()
    mt.load(0)
    free, correct_t = [], []
    for i in range(steps):
        l, c = mt.step(i)
        free.append(l)
        correct_t.append(c)
    snap_t = mt.snapshot()
    free_eval_t = mt.evaluate()[0]
    ours_l = m['losses']
    free_rel = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(ours_l, free)]
    free_noise = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(nudged, free)]
    free_tol = max(TOL['loss_rel'], k * max(free_noise))
    if not max(free_rel) <= free_tol:
        i = int(np.argmax(free_rel))
        problems.append(f'free run: step {i + 1} loss {ours_l[i]:.7g}, PyTorch {free[i]:.7g} (rel {free_rel[i]:.1e}; '
                        f'a 1e-6 nudge moves PyTorch {max(free_noise):.1e}; tolerance {free_tol:.1e})')
    ours_final = ours_state(ex, steps, keys)
    free_kinds = {}
    for kind in ('weights', 'momentum', 'running'):
        e = rel_norm(by_kind(ours_final, kind), by_kind(snap_t, kind))
        noise = rel_norm(by_kind(snap_n, kind), by_kind(snap_t, kind))
        tol = max(TOL['loss_rel'], k * noise)
        free_kinds[kind] = {'rel': e, 'noise': noise, 'tolerance': tol}
        if not e <= tol:
            problems.append(f'free run: final {kind}: rel {e:.1e} (1e-6 nudge: {noise:.1e}; tolerance {tol:.1e})')
    weight_abs = max(float((ours_final[key][1] - v).abs().max()) for key, v in by_kind(snap_t, 'weights').items())

    return {
        'lossRelMax': max(free_rel),
        'noise': max(free_noise),
        'tolerance': free_tol,
        'final': free_kinds,
        'weightAbsMax': weight_abs,
        'evalLossTorch': free_eval_t,
    }, {'losslab': ours_l, 'torch': free, 'torchNudged': nudged}, {'losslab': m['correct'], 'torch': correct_t}


def run(folder, mutate=None, full=False):
    started = time.perf_counter()
    ex = Export(folder)
    m = ex.m
    steps = m['steps']
    problems = []
    try:
        mt = Mirror(ex, torch.float32, mutate)
    except MismatchError as e:
        return {'folder': folder, 'pass': False, 'problems': [str(e)]}
    if mutate == 'margin-wrong-logit':
        cosine.additive_margin_logits = wrong_margin_logits
    if mutate == 'arcface-cosine-margin':
        arcface.ArcFaceHead.forward = arcface_cosine_margin
    if mutate == 'center-update-mean':
        center.CenterLossHead.update_denominator = staticmethod(center_update_mean)
    keys = mt.snapshot()
    k = TOL['k']

    # 0. The batches are the Batcher's augmentation of the raw images, as torchvision's would be.
    batch_problems, augmentation = check_batches(ex, mutate)
    problems += batch_problems

    # 1. Teacher-forced steps: PyTorch from Loss Lab's state before each step.
    loss_rel, running_rel, grad_rel, grad_t = [], [], [], []
    sgd_worst = (0.0, '')
    grad_worst_tensor = {}
    for i in range(steps):
        mt.load(i)
        loss_t, _ = mt.forward_backward(i)
        g_t = mt.grads()
        after_forward = mt.snapshot()
        ours_before, ours_after = ours_state(ex, i, keys), ours_state(ex, i + 1, keys)

        r = abs(m['losses'][i] - loss_t) / max(abs(loss_t), 1e-12)
        loss_rel.append(r)
        if not r <= TOL['loss_rel']:
            problems.append(f'step {i + 1}: loss {m["losses"][i]:.7g}, PyTorch {loss_t:.7g} from the same state (rel {r:.1e})')

        for key, v in by_kind(after_forward, 'running').items():
            # Relative to what this step adds, momentum x the batch statistic, so that a 1/(n-1)
            # difference shows even where a BN normalises over n = 4096 values.
            momentum = getattr(mt.state[key][2], 'momentum', None)
            added = v - (1 - momentum) * ours_before[key][1] if momentum is not None else v
            e = float((ours_after[key][1] - v).norm()) / max(float(added.norm()), 1e-30)
            running_rel.append(e)
            if not e <= TOL['running_rel']:
                problems.append(f'step {i + 1}: running statistic {key}: {e:.1e} of what the step adds')

        g_o = ours_grads(ex, i)
        grad_rel.append(rel_norm(g_o, g_t))
        grad_t.append(g_t)
        for n in g_t:
            if g_t[n] is not None:
                grad_worst_tensor[n] = max(grad_worst_tensor.get(n, 0.0), rel_norm({n: g_o[n]}, {n: g_t[n]}))

        mt.load(i)
        mt.apply_sgd(i, g_o)
        for kind, key, ratio, diff in sgd_errors(ours_after, mt.snapshot(), ours_before):
            if ratio > sgd_worst[0] or not math.isfinite(ratio):
                sgd_worst = (ratio, f'{key} at step {i + 1}')
            if not ratio <= 1:
                problems.append(f'step {i + 1}: SGD from identical weights, buffers and gradients: {kind} {key} max abs diff {diff:.1e} ({ratio:.0f}x the rounding allowance)')

    # Gradients: a rounding-level difference flips the odd ReLU or max-pool near-tie (zero-padded
    # crops make constant regions), which changes one step's gradient by up to ~1e-2 on the deep
    # networks, whoever computes it. A defect is systematic: it shows in the median over steps.
    # The spread is only measured when the fixed floors are exceeded (it costs a step each).
    grad_median = float(np.median(grad_rel))
    grad_noise = [0.0] * steps
    if grad_median > TOL['grad_median'] or max(grad_rel) > TOL['grad_max']:
        for i in range(steps):
            mt.load(i, nudge=True)
            mt.forward_backward(i)
            grad_noise[i] = rel_norm(mt.grads(), grad_t[i])
    del grad_t
    noise_median = float(np.median(grad_noise))
    grad_tol = {'median': max(TOL['grad_median'], k * noise_median), 'max': max(TOL['grad_max'], k * max(grad_noise))}
    if not grad_median <= grad_tol['median']:
        problems.append(f'gradient from the same state: median over steps rel {grad_median:.1e} (PyTorch nudged: {noise_median:.1e}; tolerance {grad_tol["median"]:.1e})')
    if not max(grad_rel) <= grad_tol['max']:
        i = int(np.argmax(grad_rel))
        worst = sorted(grad_worst_tensor.items(), key=lambda kv: -kv[1])[:3]
        problems.append(f'gradient from the same state: step {i + 1} rel {grad_rel[i]:.1e} (PyTorch nudged: at most {max(grad_noise):.1e}; tolerance {grad_tol["max"]:.1e}); '
                        + 'worst tensors ' + ', '.join(f'{n} {v:.1e}' for n, v in worst))

    # 2. Evaluation of Loss Lab's final state on the fixed batch.
    mt.load(steps)
    eval_loss_t, s_t, y = mt.evaluate()
    ours_scores = ex.get('eval/scores').to(F64)
    eval_rel = abs(m['eval']['loss'] - eval_loss_t) / max(abs(eval_loss_t), 1e-12)
    if not eval_rel <= TOL['loss_rel']:
        problems.append(f'eval of the final state: loss {m["eval"]["loss"]:.7g}, PyTorch {eval_loss_t:.7g} (rel {eval_rel:.1e})')
    top2 = s_t.topk(2, dim=1).values
    clear = (top2[:, 0] - top2[:, 1]) > TOL['tie']
    disagree = int(((s_t.argmax(1) != ours_scores.argmax(1)) & clear).sum())
    eval_acc_t = float((s_t.argmax(1) == y).double().mean())
    if disagree:
        problems.append(f'eval of the final state: {disagree} clear predictions differ (accuracy {m["eval"]["acc"]:.4f}, PyTorch {eval_acc_t:.4f})')

    # 3. Free run; a planted defect already caught skips it (unless full).
    if mutate and problems and not full:
        free, losses, correct = None, {'losslab': m['losses']}, {'losslab': m['correct']}
    else:
        free, losses, correct = free_run(ex, mt, keys, problems)

    return {
        'folder': folder,
        'model': m['model'],
        'loss': m['loss'],
        'decayBiasAndBn': m['decayBiasAndBn'],
        'backend': m['backend'],
        'mutation': mutate,
        'steps': steps,
        'augmentation': augmentation,
        'step': {
            'lossRelMax': max(loss_rel),
            'runningRelMax': max(running_rel) if running_rel else 0.0,
            'gradRel': grad_rel,
            'gradNoise': grad_noise,
            'gradMedian': grad_median,
            'gradTolerance': grad_tol,
            'gradWorstTensors': dict(sorted(grad_worst_tensor.items(), key=lambda kv: -kv[1])[:5]),
            'sgdWorst': {'ratio': sgd_worst[0], 'where': sgd_worst[1]},
        },
        'eval': {'lossRel': eval_rel, 'accLossLab': m['eval']['acc'], 'accTorch': eval_acc_t, 'disagree': disagree},
        'free': free,
        'losses': losses,
        'correct': correct,
        'pass': not problems,
        'problemCount': len(problems),
        'problems': problems[:MAX_PROBLEMS],
        'seconds': time.perf_counter() - started,
    }


def check(folder, mutate, full):
    try:
        result = run(folder, mutate, full)
    except Exception as e:  # one broken folder must not hide the others' results
        result = {'folder': folder, 'pass': False, 'error': True, 'problems': [f'{type(e).__name__}: {e}']}
    result['torch'] = torch.__version__
    print(json.dumps(result), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('folders', nargs='*', help='export folders (with --stdin: read one per line from stdin, as they come)')
    ap.add_argument('--stdin', action='store_true')
    ap.add_argument('--mutate', choices=sorted(MUTATIONS), help='plant a known defect in the PyTorch side, to show the tolerances catch it')
    ap.add_argument('--full', action='store_true', help='with --mutate: run every check even when an early one already failed')
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for folder in a.folders:
        check(folder, a.mutate, a.full)
    if a.stdin:
        for line in sys.stdin:
            if line.strip():
                check(line.strip(), a.mutate, a.full)


if __name__ == '__main__':
    main()
