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
    ? { runId: spec.runId, model: spec.model.name, loss: spec.lossLabel, seed: spec.seed, finalTestAcc: acc, bestTestAcc: acc, finalTrainAcc: 1, epochs: 1, backend: 'cpu', wallSeconds: 1, versions: {}, machine: { platform: 'x', arch: 'x', cpus: 1, cpuModel: 'x', totalMemGiB: 1 } }
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
  assert.deepEqual(table.columns.map((c) => c.label), ['ResNet-18', 'VGG-16 ×0.5']);
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

test('the best mean of each column is marked', () => {
  const table = buildTable(runs);
  assert.deepEqual(table.cells.map((row) => row.map((c) => c?.best)), [[true, false], [false, true]]);
});

test('rows and columns follow the config order when given, else first seen', () => {
  const reversed = [...runs].reverse();
  assert.deepEqual(buildTable(reversed).rows, ['CE', 'Scaled-BN m=0.9']);
  assert.deepEqual(buildTable(reversed).columns.map((c) => c.model), ['VGG-16 ×0.5', 'ResNet-18']);
  const experiment: ExperimentRecord = { dir: 't', name: 't', runs: reversed, warnings: [], manifest: { config, runIds: [], writtenAt: '' } };
  assert.deepEqual(tableFromExperiment(experiment).columns.map((c) => c.model), ['ResNet-18', 'VGG-16 ×0.5']);
});

test('columns are split by dataset when runs span several', () => {
  const other = { ...specOf('ResNet-18', 'CE', 1), dataset: { name: 'mnist' as const } };
  const table = buildTable([...runs, run(other, 0.99)]);
  assert.deepEqual(table.columns.map((c) => c.label), ['ResNet-18 (CIFAR-100)', 'VGG-16 ×0.5 (CIFAR-100)', 'ResNet-18 (MNIST)']);
  assert.equal(table.cells[1][2], undefined);
});

const small = () => buildTable(runs);

test('CSV export', () => {
  assert.equal(
    toCsv(small()),
    [
      'loss,dataset,model,mean,std,n,partial,best,runs',
      'CE,CIFAR-100,ResNet-18,76.333333,1.527525,3,false,true,resnet18-w1__ce__seed1;resnet18-w1__ce__seed2;resnet18-w1__ce__seed3',
      'CE,CIFAR-100,VGG-16 ×0.5,65,0,1,false,false,vgg16-w0.5__ce__seed1',
      'Scaled-BN m=0.9,CIFAR-100,ResNet-18,70,0,1,false,false,resnet18-w1__scaled-bn-m0.9__seed1',
      'Scaled-BN m=0.9,CIFAR-100,VGG-16 ×0.5,70,14.142136,2,true,true,vgg16-w0.5__scaled-bn-m0.9__seed1;vgg16-w0.5__scaled-bn-m0.9__seed2',
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
      '| CE | **76.33% (±1.53%)** | 65.00% (n=1) |',
      '| Scaled-BN m=0.9 | 70.00% (n=1) | **70.00% (±14.14%)** † |',
      '',
      '† includes unfinished runs (accuracy at their last finished epoch).',
      'n=1: a single run, no spread over seeds.',
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
      '\\begin{tabular}{lrr}',
      '\\toprule',
      'Loss & ResNet-18 & VGG-16 $\\times$0.5 \\\\',
      '\\midrule',
      'CE & \\textbf{76.33 $\\pm$ 1.53} & 65.00$^{n=1}$ \\\\',
      'Scaled-BN m=0.9 & 70.00$^{n=1}$ & \\textbf{70.00 $\\pm$ 14.14}$^\\dagger$ \\\\',
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
      'Loss                ResNet-18       VGG-16 ×0.5',
      '---------------  ---------------  ----------------',
      'CE               76.33 ± 1.53 *     65.00 (n=1)',
      'Scaled-BN m=0.9   70.00 (n=1)     70.00 ± 14.14 †*',
      '',
      '* best in column',
      '† includes unfinished runs (accuracy at their last finished epoch)',
      'n=1: a single run, no spread over seeds',
      '',
    ].join('\n'),
  );
});

test('an empty table still renders', () => {
  const empty = buildTable([]);
  assert.deepEqual([empty.rows, empty.columns], [[], []]);
  assert.equal(toCsv(empty), 'loss,dataset,model,mean,std,n,partial,best,runs\n');
  assert.match(toConsole(empty), /^Loss\n/);
});
