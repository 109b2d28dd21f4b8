"""Tables and tests of the issue-13 seed study (no scipy: exact tests written out here).

Reads Loss Lab's runs (<out>/runs/seed-study*/<run>/summary.json: run.sh's per-seed folders, or one seed-study folder) and the PyTorch runs
(<out>/pytorch/*.json), keeps the seeds that BOTH frameworks finished for all four settings, and
writes results.csv, results.json and tables.md next to this script (or to --dest).

Definitions (fixed before the runs):
- underfitting run: a scaled-BN run whose final test accuracy is more than 3 points below the
  same framework's CE on the same seed;
- underfitting seed: a seed on which at least one of the three scaled-BN settings underfits.
Tests (two-sided, exact; seeds are the independent units, the frameworks do not share images
or initial weights, so the two frameworks' seeds are unpaired samples):
- Fisher's exact test on underfitting seeds, Loss Lab vs PyTorch (and, as a secondary count
  with correlated units, on underfitting runs);
- exact permutation test (all splits of the pooled seeds) and exact Mann-Whitney U on the per-seed
  delta = mean over m of (scaled BN - CE), Loss Lab vs PyTorch; the same on the per-seed
  minimum over m of (scaled BN - CE), which is what an underfitting seed moves;
- Within each framework: exact sign-flip test of the paired deltas against 0 (does scaled BN
  beat CE?).

Usage: /usr/bin/python3 docs/reproduction/seed-study/analyze.py [--out /tmp/seed-study] [--dest DIR]
"""
import argparse
import csv
import glob
import itertools
import json
import math
import os
import statistics

SETTINGS = ['ce', 'scaled-bn-m0.8', 'scaled-bn-m0.9', 'scaled-bn-m1']
SBN = SETTINGS[1:]
THRESHOLD = 3.0


def load_losslab(out):
    res = {}
    for p in glob.glob(os.path.join(out, 'runs', 'seed-study*', '*', 'summary.json')):
        s = json.load(open(p))
        key = s['runId'].split('__')[1]
        res[(key, s['seed'])] = {'test': round(100 * s['finalTestAcc'], 2), 'train': round(100 * s['finalTrainAcc'], 2),
                                 'wall': s['wallSeconds']}
    return res


def load_pytorch(out):
    res = {}
    for p in glob.glob(os.path.join(out, 'pytorch', '*.json')):
        s = json.load(open(p))
        res[(s['setting'], s['seed'])] = {'test': round(s['finalTestAcc'], 2), 'train': round(s['finalTrainAcc'], 2),
                                          'wall': s['wallS']}
    return res


def fisher_exact(a, b, c, d):
    """Two-sided Fisher exact p for [[a, b], [c, d]] (sum of tables no more probable than the observed)."""
    r1, c1, n = a + b, a + c, a + b + c + d

    def p(x):
        return math.comb(r1, x) * math.comb(n - r1, c1 - x) / math.comb(n, c1)
    p0 = p(a)
    lo, hi = max(0, c1 - (n - r1)), min(r1, c1)
    return min(1.0, sum(p(x) for x in range(lo, hi + 1) if p(x) <= p0 * (1 + 1e-7)))


def exact_two_sample(x, y):
    """Exact two-sided permutation p for |mean(x) - mean(y)| and exact Mann-Whitney U p (all splits)."""
    pooled = x + y
    n, nx = len(pooled), len(x)
    ranks = midranks(pooled)
    total, rtotal = sum(pooled), sum(ranks)
    obs_d = abs(sum(x) / nx - (total - sum(x)) / (n - nx))
    u_mean = nx * (n - nx) / 2
    obs_u = abs(sum(ranks[:nx]) - nx * (nx + 1) / 2 - u_mean)
    ge_d = ge_u = count = 0
    for idx in itertools.combinations(range(n), nx):
        sx = sum(pooled[i] for i in idx)
        rx = sum(ranks[i] for i in idx)
        count += 1
        ge_d += abs(sx / nx - (total - sx) / (n - nx)) >= obs_d - 1e-9
        ge_u += abs(rx - nx * (nx + 1) / 2 - u_mean) >= obs_u - 1e-9
    u = sum(ranks[:nx]) - nx * (nx + 1) / 2
    return ge_d / count, u, ge_u / count


def midranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def sign_flip(d):
    """Exact two-sided sign-flip p of mean(d) = 0."""
    obs = abs(sum(d))
    ge = sum(abs(sum(s * x for s, x in zip(signs, d))) >= obs - 1e-9 for signs in itertools.product((1, -1), repeat=len(d)))
    return ge / 2 ** len(d)


def sd(v):
    return statistics.stdev(v) if len(v) > 1 else float('nan')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default='/tmp/seed-study')
    ap.add_argument('--dest', default=os.path.dirname(os.path.abspath(__file__)))
    a = ap.parse_args()
    fw = {'Loss Lab': load_losslab(a.out), 'PyTorch': load_pytorch(a.out)}
    seeds = sorted({s for (_, s) in fw['Loss Lab']} | {s for (_, s) in fw['PyTorch']})
    seeds = [s for s in seeds if all((k, s) in r for r in fw.values() for k in SETTINGS)]
    md = []
    rows = []
    stats = {'seeds': seeds, 'thresholdPoints': THRESHOLD, 'frameworks': {}}
    md.append(f'Seeds complete in both frameworks: {", ".join(map(str, seeds))} (n = {len(seeds)})\n')
    md.append('| Seed | LL CE | LL m=0.8 | LL m=0.9 | LL m=1 | PT CE | PT m=0.8 | PT m=0.9 | PT m=1 |')
    md.append('|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for s in seeds:
        cells = []
        for name, r in fw.items():
            ce = r[('ce', s)]['test']
            for k in SETTINGS:
                v = r[(k, s)]['test']
                under = k != 'ce' and v < ce - THRESHOLD
                cells.append(f'{v:.2f}' + (' **↓**' if under else ''))
                rows.append({'framework': name, 'seed': s, 'setting': k, 'finalTestAcc': v, 'finalTrainAcc': r[(k, s)]['train'],
                             'minusCE': round(v - ce, 2), 'underfit': under, 'wallS': round(r[(k, s)]['wall'], 1)})
        md.append(f'| {s} | ' + ' | '.join(cells) + ' |')
    md.append('\nFinal test accuracy (%), 2,000 test images. LL: Loss Lab (torch engine), PT: PyTorch. '
              f'**↓**: underfitting run (more than {THRESHOLD:g} points below the same framework\'s CE on that seed).\n')
    md.append('| Framework | Setting | mean ± sd | min | max | − CE per seed: mean (min) | underfitting runs |')
    md.append('|---|---|---:|---:|---:|---:|---:|')
    per = {}
    for name, r in fw.items():
        ce = [r[('ce', s)]['test'] for s in seeds]
        deltas = {k: [r[(k, s)]['test'] - r[('ce', s)]['test'] for s in seeds] for k in SBN}
        mean_delta = [statistics.mean(deltas[k][i] for k in SBN) for i in range(len(seeds))]
        min_delta = [min(deltas[k][i] for k in SBN) for i in range(len(seeds))]
        under_runs = sum(d < -THRESHOLD for k in SBN for d in deltas[k])
        under_seeds = [s for i, s in enumerate(seeds) if min_delta[i] < -THRESHOLD]
        per[name] = {'meanDelta': mean_delta, 'minDelta': min_delta, 'underRuns': under_runs, 'underSeeds': under_seeds}
        st = {'underfittingSeeds': under_seeds, 'underfittingRuns': under_runs, 'runs': 3 * len(seeds),
              'perSeedMeanDelta': [round(x, 3) for x in mean_delta], 'perSeedMinDelta': [round(x, 3) for x in min_delta],
              'signFlipP_meanDelta': sign_flip(mean_delta), 'settings': {}}
        for k in SETTINGS:
            v = [r[(k, s)]['test'] for s in seeds]
            d = deltas.get(k)
            under = sum(x < -THRESHOLD for x in d) if d else 0
            st['settings'][k] = {'mean': statistics.mean(v), 'sd': sd(v), 'min': min(v), 'max': max(v),
                                 **({'meanMinusCE': statistics.mean(d), 'signFlipP': sign_flip(d), 'underfittingRuns': under} if d else {})}
            md.append(f'| {name} | {k} | {statistics.mean(v):.2f} ± {sd(v):.2f} | {min(v):.2f} | {max(v):.2f} | '
                      + (f'{statistics.mean(d):+.2f} ({min(d):+.2f}) | {under}/{len(seeds)}' if d else '— | —') + ' |')
        stats['frameworks'][name] = st
    ll, pt = per['Loss Lab'], per['PyTorch']
    n = len(seeds)
    a_, c_ = len(ll['underSeeds']), len(pt['underSeeds'])
    p_seeds = fisher_exact(a_, n - a_, c_, n - c_)
    p_runs = fisher_exact(ll['underRuns'], 3 * n - ll['underRuns'], pt['underRuns'], 3 * n - pt['underRuns'])
    perm_mean, u_mean, mw_mean = exact_two_sample(ll['meanDelta'], pt['meanDelta'])
    perm_min, u_min, mw_min = exact_two_sample(ll['minDelta'], pt['minDelta'])
    tests = {
        'fisherUnderfittingSeeds': {'lossLab': f'{a_}/{n}', 'pytorch': f'{c_}/{n}', 'p': p_seeds},
        'fisherUnderfittingRuns': {'lossLab': f'{ll["underRuns"]}/{3 * n}', 'pytorch': f'{pt["underRuns"]}/{3 * n}', 'p': p_runs},
        'meanDelta': {'lossLab': statistics.mean(ll['meanDelta']), 'pytorch': statistics.mean(pt['meanDelta']),
                      'sdLossLab': sd(ll['meanDelta']), 'sdPytorch': sd(pt['meanDelta']),
                      'permutationP': perm_mean, 'mannWhitneyU': u_mean, 'mannWhitneyP': mw_mean},
        'minDelta': {'lossLab': statistics.mean(ll['minDelta']), 'pytorch': statistics.mean(pt['minDelta']),
                     'permutationP': perm_min, 'mannWhitneyU': u_min, 'mannWhitneyP': mw_min},
        'ceMean': {'lossLab': statistics.mean(fw['Loss Lab'][('ce', s)]['test'] for s in seeds),
                   'pytorch': statistics.mean(fw['PyTorch'][('ce', s)]['test'] for s in seeds)},
    }
    for k in SBN:
        dl = [fw['Loss Lab'][(k, s)]['test'] - fw['Loss Lab'][('ce', s)]['test'] for s in seeds]
        dp = [fw['PyTorch'][(k, s)]['test'] - fw['PyTorch'][('ce', s)]['test'] for s in seeds]
        pp, uu, mw = exact_two_sample(dl, dp)
        tests[f'delta_{k}'] = {'lossLab': statistics.mean(dl), 'pytorch': statistics.mean(dp), 'permutationP': pp, 'mannWhitneyU': uu, 'mannWhitneyP': mw}
    stats['tests'] = tests
    md.append('')
    md.append(f'- Underfitting seeds: Loss Lab {a_}/{n} (seeds {ll["underSeeds"] or "none"}), PyTorch {c_}/{n} '
              f'(seeds {pt["underSeeds"] or "none"}); Fisher exact two-sided p = {p_seeds:.3g}.')
    md.append(f'- Underfitting runs (3 per seed, correlated within a seed): Loss Lab {ll["underRuns"]}/{3 * n}, '
              f'PyTorch {pt["underRuns"]}/{3 * n}; Fisher p = {p_runs:.3g}.')
    md.append(f'- Per-seed scaled BN − CE (mean over m): Loss Lab {tests["meanDelta"]["lossLab"]:+.2f} ± {tests["meanDelta"]["sdLossLab"]:.2f}, '
              f'PyTorch {tests["meanDelta"]["pytorch"]:+.2f} ± {tests["meanDelta"]["sdPytorch"]:.2f} points; exact permutation p = {perm_mean:.3g}, '
              f'Mann-Whitney U = {u_mean:g}, exact p = {mw_mean:.3g}.')
    md.append(f'- Per-seed worst scaled BN − CE (min over m): Loss Lab {tests["minDelta"]["lossLab"]:+.2f}, PyTorch {tests["minDelta"]["pytorch"]:+.2f}; '
              f'exact permutation p = {perm_min:.3g}, Mann-Whitney U = {u_min:g}, exact p = {mw_min:.3g}.')
    md.append('- Per setting, scaled BN − CE per seed, Loss Lab vs PyTorch (exact permutation p / exact Mann-Whitney p): ' + '; '.join(
        f"{k[10:]}: {tests[f'delta_{k}']['lossLab']:+.2f} vs {tests[f'delta_{k}']['pytorch']:+.2f} (p = {tests[f'delta_{k}']['permutationP']:.3g} / {tests[f'delta_{k}']['mannWhitneyP']:.3g})" for k in SBN) + '.')
    md.append(f'- Scaled BN vs CE within each framework (exact sign-flip test of the per-seed mean-over-m delta): '
              f'Loss Lab p = {stats["frameworks"]["Loss Lab"]["signFlipP_meanDelta"]:.3g}, PyTorch p = {stats["frameworks"]["PyTorch"]["signFlipP_meanDelta"]:.3g}.')
    cross = {}
    for p in glob.glob(os.path.join(a.out, 'pytorch-llinit', 'llinit-*.json')):
        r = json.load(open(p))
        cross[(r['setting'], r['seed'])] = {'test': round(r['finalTestAcc'], 2), 'train': round(r['finalTrainAcc'], 2)}
    cross_seeds = sorted({s for (_, s) in cross if all((k, s) in cross for k in SETTINGS)})
    if cross_seeds:
        md.append('')
        md.append('PyTorch started from Loss Lab\'s own start (its training images, mean/std and initial weights of that '
                  'seed; PyTorch\'s batch order and flips), against Loss Lab on the same seed. Final test accuracy (%), '
                  '(train accuracy of the last epoch):\n')
        md.append('| Seed | Framework | CE | m=0.8 | m=0.9 | m=1 |')
        md.append('|---:|---|---:|---:|---:|---:|')
        stats['pytorchFromLossLabStart'] = []
        for s in cross_seeds:
            for name, r in (('Loss Lab', fw['Loss Lab']), ('PyTorch from Loss Lab\'s start', cross)):
                if ('ce', s) not in r:
                    continue
                ce = r[('ce', s)]['test']
                cells = [f"{r[(k, s)]['test']:.2f} ({r[(k, s)]['train']:.2f})" + (' **↓**' if k != 'ce' and r[(k, s)]['test'] < ce - THRESHOLD else '')
                         for k in SETTINGS]
                md.append(f'| {s} | {name} | ' + ' | '.join(cells) + ' |')
            for k in SETTINGS:
                stats['pytorchFromLossLabStart'].append({'seed': s, 'setting': k, 'finalTestAcc': cross[(k, s)]['test'],
                                                         'finalTrainAcc': cross[(k, s)]['train']})
    os.makedirs(a.dest, exist_ok=True)
    with open(os.path.join(a.dest, 'results.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ['framework'])
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.dest, 'results.json'), 'w') as f:
        json.dump({**stats, 'runs': rows}, f, indent=1)
    with open(os.path.join(a.dest, 'tables.md'), 'w') as f:
        f.write('\n'.join(md) + '\n')
    print('\n'.join(md))


if __name__ == '__main__':
    main()
