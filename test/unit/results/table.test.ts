import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import type { ExperimentRecord, RunRecord } from '../../../src/core/results/runReader';
import { buildTable, mean, sampleStd, tableFromExperiment, toConsole, toCsv, toLatex, toMarkdown } from '../../../src/core/results/table';

const config = validateConfig({
  name: 't',
  dataset: { name: 'cifar100' },
  models: [{ name: 'resnet18' }, { name: 'vgg16', width: 0.5 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1, 2, 3],
});
const specs = expandGrid(config);
const specOf = (model: string, loss: string, seed: number) => specs.find((s) => s.modelLabel === model && s.lossLabel === loss && s.seed === seed)!;

/** A run record with a summary (finished) or only epochs (unfinished). */
function run(spec: RunSpec, acc: number, finished = true): RunRecord {
  const metrics = [{ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: acc, lr: 0.1, seconds: 1, imagesPerSec: 1 }];
  const summary = finished
    ? {
        runId: spec.runId,
        model: spec.model.name,
        loss: spec.lossLabel,
        seed: spec.seed,
        finalTestAcc: acc,
        bestTestAcc: acc,
        finalTrainAcc: 1,
        epochs: 1,
        backend: 'cpu',
        wallSeconds: 1,
        versions: {},
        machine: { platform: 'x', arch: 'x', cpus: 1, cpuModel: 'x', totalMemGiB: 1 },
      }
    : undefined;
  return { dir: spec.runId, runId: spec.runId, spec, metrics, summary, hasCheckpoint: false, warnings: [] };
}

/** CE beats Scaled-BN on ResNet-18; Scaled-BN (one unfinished run) wins on VGG-16 ×0.5. */
const runs = [
  run(specOf('ResNet-18', 'CE', 1), 0.75),
  run(specOf('ResNet-18', 'CE', 2), 0.76),
  run(specOf('ResNet-18', 'CE', 3), 0.78),
  run(specOf('ResNet-18', 'Scaled-BN m=0.9', 1), 0.7),
  run(specOf('VGG-16 ×0.5', 'Scaled-BN m=0.9', 1), 0.8),
  run(specOf('VGG-16 ×0.5', 'Scaled-BN m=0.9', 2), 0.6, false),
  run(specOf('VGG-16 ×0.5', 'CE', 1), 0.65),
];

test('mean and sample std (n − 1)', () => {
  const xs = [75, 76, 78];
  assert.ok(Math.abs(mean(xs) - 76.33333333333333) < 1e-12);
  assert.ok(Math.abs(sampleStd(xs) - 1.5275252316519468) < 1e-12); // sqrt(7/3)
  assert.equal(sampleStd([42]), 0);
});

test('cells aggregate final test accuracy in percent over seeds', () => {
  const table = buildTable(runs);
  assert.deepEqual(table.rows, ['CE', 'Scaled-BN m=0.9']);
  assert.deepEqual(
    table.columns.map((c) => c.label),
    ['ResNet-18', 'VGG-16 ×0.5'],
  );
  const ce = table.cells[0][0]!;
  assert.ok(Math.abs(ce.mean - 76.333333) < 1e-5);
  assert.ok(Math.abs(ce.std - 1.527525) < 1e-5);
  assert.equal(ce.n, 3);
  assert.deepEqual(ce.runs, ['resnet18-w1__ce__seed1', 'resnet18-w1__ce__seed2', 'resnet18-w1__ce__seed3']);
  assert.equal(ce.partial, false);
  const sbnVgg = table.cells[1][1]!;
  assert.equal(sbnVgg.partial, true, 'one run has no summary: last epoch used');
  assert.ok(Math.abs(sbnVgg.mean - 70) < 1e-9);
});

test('no best mark where the best mean is within noise of the runner-up; the column says so', () => {
  const table = buildTable(runs); // ResNet-18: CE 3 seeds vs one Scaled-BN seed, p = 1; VGG: p = 1
  assert.deepEqual(
    table.cells.map((row) => row.map((c) => c?.best)),
    [
      [false, false],
      [false, false],
    ],
  );
  assert.deepEqual(
    table.columns.map((c) => c.bestWithinNoise),
    [true, true],
  );
});

/** Six seeds of CE and Scaled-BN on ResNet-18 (accuracy as fractions), for the paired statistics. */
function sixSeeds(ce: number[], bn: number[]): RunRecord[] {
  const cfg = validateConfig({ name: 't', dataset: { name: 'cifar100' }, models: [{ name: 'resnet18' }], losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }], seeds: [1, 2, 3, 4, 5, 6] });
  const all = expandGrid(cfg);
  return [...ce.map((acc, i) => run(all[i], acc)), ...bn.map((acc, i) => run(all[6 + i], acc))];
}

test('a best mean that wins on every one of six paired seeds is marked, and its difference from CE is significant (p = 2/64)', () => {
  const table = buildTable(sixSeeds([0.7, 0.71, 0.72, 0.7, 0.69, 0.7], [0.72, 0.74, 0.73, 0.71, 0.71, 0.72]));
  assert.equal(table.baseline, 'CE');
  const [ce, bn] = [table.cells[0][0]!, table.cells[1][0]!];
  assert.equal(bn.best, true);
  assert.equal(ce.best, false);
  assert.equal(table.columns[0].bestWithinNoise, undefined);
  assert.equal(ce.vsBaseline, undefined, 'the baseline row has no difference to itself');
  // per-seed differences in points: 2, 3, 1, 1, 2, 2 → mean 11/6
  assert.ok(Math.abs(bn.vsBaseline!.diff - 11 / 6) < 1e-9);
  assert.equal(bn.vsBaseline!.p, 2 / 64);
  assert.equal(bn.vsBaseline!.significant, true);
  assert.match(toConsole(table), /Scaled-BN m=0\.9 {2}\+1\.83 \[1\.0\d, 2\.6\d\] p=0\.031\n/);
});

test('a difference of mixed sign is marked not significant; the baseline can be any row', () => {
  const mixed = sixSeeds([0.7, 0.71, 0.72, 0.7, 0.69, 0.7], [0.72, 0.7, 0.73, 0.69, 0.71, 0.7]);
  const table = buildTable(mixed, { baseline: 'Scaled-BN m=0.9' });
  assert.equal(table.baseline, 'Scaled-BN m=0.9');
  const ce = table.cells[0][0]!.vsBaseline!;
  // CE − Scaled-BN per seed: −2, 1, −1, 1, −2, 0 → mean −0.5; observed |sum| 3
  assert.ok(Math.abs(ce.diff + 0.5) < 1e-9);
  assert.equal(ce.significant, false);
  assert.ok(ce.p > 0.05);
  assert.match(toMarkdown(table), /\| CE \| -0\.50 \[-\d\.\d\d, \d\.\d\d\] p=0\.\d+ n\.s\. \|/);
  assert.equal(buildTable(mixed, { baseline: 'PEDCC s=7.5 m=0.35' }).baseline, undefined, 'a baseline without a row: no comparisons');
});

test('rows and columns follow the config order when given, else first seen', () => {
  const reversed = [...runs].reverse();
  assert.deepEqual(buildTable(reversed).rows, ['CE', 'Scaled-BN m=0.9']);
  assert.deepEqual(
    buildTable(reversed).columns.map((c) => c.model),
    ['VGG-16 ×0.5', 'ResNet-18'],
  );
  const experiment: ExperimentRecord = { dir: 't', name: 't', runs: reversed, warnings: [], manifest: { config, runIds: [], writtenAt: '' } };
  assert.deepEqual(
    tableFromExperiment(experiment).columns.map((c) => c.model),
    ['ResNet-18', 'VGG-16 ×0.5'],
  );
});

test('columns are split by dataset when runs span several', () => {
  const other = { ...specOf('ResNet-18', 'CE', 1), dataset: { name: 'mnist' as const } };
  const table = buildTable([...runs, run(other, 0.99)]);
  assert.deepEqual(
    table.columns.map((c) => c.label),
    ['ResNet-18 (CIFAR-100)', 'VGG-16 ×0.5 (CIFAR-100)', 'ResNet-18 (MNIST)'],
  );
  assert.equal(table.cells[1][2], undefined);
});

const small = () => buildTable(runs);

test('CSV export', () => {
  assert.equal(
    toCsv(small()),
    [
      'loss,dataset,model,mean,std,n,ci_low,ci_high,partial,best,baseline,diff,diff_ci_low,diff_ci_high,p_sign_flip,significant,seeds,runs,diverged_runs',
      'CE,CIFAR-100,ResNet-18,76.333333,1.527525,3,72.53875,80.127916,false,false,,,,,,,1;2;3,resnet18-w1__ce__seed1;resnet18-w1__ce__seed2;resnet18-w1__ce__seed3,',
      'CE,CIFAR-100,VGG-16 ×0.5,65,0,1,,,false,false,,,,,,,1,vgg16-w0.5__ce__seed1,',
      'Scaled-BN m=0.9,CIFAR-100,ResNet-18,70,0,1,,,false,false,CE,-5,,,1,false,1,resnet18-w1__scaled-bn-m0.9__seed1,',
      'Scaled-BN m=0.9,CIFAR-100,VGG-16 ×0.5,70,14.142136,2,0,100,true,false,CE,15,,,1,false,1;2,vgg16-w0.5__scaled-bn-m0.9__seed1;vgg16-w0.5__scaled-bn-m0.9__seed2,',
      '',
    ].join('\n'),
  );
});

test('Markdown export', () => {
  assert.equal(
    toMarkdown(small()),
    [
      '| Loss | ResNet-18 | VGG-16 ×0.5 |',
      '| :--- | ---: | ---: |',
      '| CE | 76.33% (±1.53%) [72.54, 80.13] | 65.00% (n=1) |',
      '| Scaled-BN m=0.9 | 70.00% (n=1) | 70.00% (±14.14%) [0.00, 100.00] † |',
      '',
      '| Δ vs CE | ResNet-18 | VGG-16 ×0.5 |',
      '| :--- | ---: | ---: |',
      '| Scaled-BN m=0.9 | -5.00 p=1 n.s. | +15.00 p=1 n.s. (1 paired) |',
      '',
      '† includes unfinished runs (accuracy at their last finished epoch).',
      '',
      'n=1: a single run, no spread over seeds.',
      '',
      '[a, b]: 95% confidence interval of the mean over seeds (t-distribution, n − 1 degrees of freedom).',
      '',
      'Δ vs CE: mean of the per-seed differences from CE (runs of one seed share initial weights and data, so they are paired), its 95% t-interval, and p from an exact two-sided sign-flip permutation test over the paired seeds (all 2ⁿ sign patterns); n.s.: p ≥ 0.05. With n seeds p cannot fall below 2/2ⁿ (1 with 1 seed), so p < 0.05 needs at least 6 seeds.',
      '',
      'Best marked only where it beats the runner-up of its column by the same test (p < 0.05); not marked, best within noise of the runner-up: ResNet-18, VGG-16 ×0.5.',
      '',
    ].join('\n'),
  );
});

test('LaTeX export', () => {
  assert.equal(
    toLatex(small()),
    [
      '% Test accuracy (%), mean $\\pm$ sample std over seeds; best per column in bold.',
      '% $^\\dagger$ includes unfinished runs (accuracy at their last finished epoch).',
      '% $^{n=1}$ a single run, no spread over seeds.',
      '% [a, b]: 95\\% confidence interval of the mean over seeds (t-distribution, n - 1 degrees of freedom).',
      '% $\\Delta$ vs CE: mean of the per-seed differences from CE (runs of one seed share initial weights and data, so they are paired), its 95\\% t-interval, and p from an exact two-sided sign-flip permutation test over the paired seeds (all 2$^n$ sign patterns); n.s.: p $\\geq$ 0.05. With n seeds p cannot fall below 2/2$^n$ (1 with 1 seed), so p < 0.05 needs at least 6 seeds.',
      '% Best marked only where it beats the runner-up of its column by the same test (p < 0.05); not marked, best within noise of the runner-up: ResNet-18, VGG-16 $\\times$0.5.',
      '\\begin{tabular}{lrr}',
      '\\toprule',
      'Loss & ResNet-18 & VGG-16 $\\times$0.5 \\\\',
      '\\midrule',
      'CE & 76.33 $\\pm$ 1.53 {\\scriptsize [72.54, 80.13]} & 65.00$^{n=1}$ \\\\',
      'Scaled-BN m=0.9 & 70.00$^{n=1}$ & 70.00 $\\pm$ 14.14 {\\scriptsize [0.00, 100.00]}$^\\dagger$ \\\\',
      '\\bottomrule',
      '\\end{tabular}',
      '',
      '\\begin{tabular}{lrr}',
      '\\toprule',
      '$\\Delta$ vs CE & ResNet-18 & VGG-16 $\\times$0.5 \\\\',
      '\\midrule',
      'Scaled-BN m=0.9 & -5.00 p=1$^{\\mathrm{n.s.}}$ & +15.00 p=1 (1 paired)$^{\\mathrm{n.s.}}$ \\\\',
      '\\bottomrule',
      '\\end{tabular}',
      '',
    ].join('\n'),
  );
});

test('console export', () => {
  assert.equal(
    toConsole(small()),
    [
      'Loss                               ResNet-18                     VGG-16 ×0.5',
      '---------------  -----------------------------  ------------------------------',
      'CE               76.33 ± 1.53 [72.54, 80.13]                     65.00 (n=1)',
      'Scaled-BN m=0.9                  70.00 (n=1)    70.00 ± 14.14 [0.00, 100.00] †',
      '',
      'Δ vs CE               ResNet-18                 VGG-16 ×0.5',
      '---------------  --------------  --------------------------',
      'Scaled-BN m=0.9  -5.00 p=1 n.s.  +15.00 p=1 n.s. (1 paired)',
      '',
      '† includes unfinished runs (accuracy at their last finished epoch)',
      'n=1: a single run, no spread over seeds',
      '[a, b]: 95% confidence interval of the mean over seeds (t-distribution, n − 1 degrees of freedom).',
      'Δ vs CE: mean of the per-seed differences from CE (runs of one seed share initial weights and data, so they are paired), its 95% t-interval, and p from an exact two-sided sign-flip permutation test over the paired seeds (all 2ⁿ sign patterns); n.s.: p ≥ 0.05. With n seeds p cannot fall below 2/2ⁿ (1 with 1 seed), so p < 0.05 needs at least 6 seeds.',
      'Best marked only where it beats the runner-up of its column by the same test (p < 0.05); not marked, best within noise of the runner-up: ResNet-18, VGG-16 ×0.5.',
      '',
    ].join('\n'),
  );
});

test('an empty table still renders', () => {
  const empty = buildTable([]);
  assert.deepEqual([empty.rows, empty.columns], [[], []]);
  assert.equal(toCsv(empty), 'loss,dataset,model,mean,std,n,ci_low,ci_high,partial,best,baseline,diff,diff_ci_low,diff_ci_high,p_sign_flip,significant,seeds,runs,diverged_runs\n');
  assert.match(toConsole(empty), /^Loss\n/);
});
