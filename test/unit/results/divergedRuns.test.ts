// A diverged run's last accuracy is not a result: the table shows it as diverged and never ranks,
// tests or marks it, however high that accuracy is (here edited up to 99%).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import type { RunRecord } from '../../../src/core/results/runReader';
import { buildTable, toConsole, toCsv, toMarkdown } from '../../../src/core/results/table';
import { runView } from '../../../src/host/experimentSnapshot';
import { tableView } from '../../../webview/tableModel';

const specs = expandGrid(
  validateConfig({
    name: 't',
    dataset: { name: 'cifar100' },
    models: [{ name: 'resnet18' }],
    losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }, { name: 'am-softmax', s: 7.5, m: 0.35 }],
    seeds: [1, 2, 3, 4, 5, 6],
  }),
);
const specOf = (loss: string, seed: number) => specs.find((s) => s.loss.name === loss && s.seed === seed)!;

const epoch = (acc: number) => ({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: acc, lr: 0.1, seconds: 1, imagesPerSec: 1 });

function finished(spec: RunSpec, acc: number): RunRecord {
  const summary = {
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
  };
  const status = { state: 'done' as const, epoch: 1, epochs: 1, updatedAt: '' };
  return { dir: spec.runId, runId: spec.runId, spec, status, metrics: [epoch(acc)], summary, hasCheckpoint: true, warnings: [] };
}

function diverged(spec: RunSpec, lastAcc: number): RunRecord {
  const status = {
    state: 'failed' as const,
    epoch: 1,
    epochs: 3,
    reason: 'diverged at epoch 2, step 5: loss NaN; lower the learning rate (training.lr = 0.1) or check the data (finished epochs are kept)',
    updatedAt: '',
  };
  return { dir: spec.runId, runId: spec.runId, spec, status, metrics: [epoch(lastAcc)], hasCheckpoint: true, warnings: [] };
}

// Scaled-BN is a hair above CE on five seeds; its sixth seed diverged, its last accuracy edited up. AM-Softmax diverged on every seed.
const runs = [
  ...[1, 2, 3, 4, 5, 6].map((seed) => finished(specOf('ce', seed), 0.7 + seed / 1000)),
  ...[1, 2, 3, 4, 5].map((seed) => finished(specOf('scaled-bn', seed), 0.7 + seed / 1000 + (seed % 2 ? 0.002 : -0.001))),
  diverged(specOf('scaled-bn', 6), 0.99),
  ...[1, 2, 3, 4, 5, 6].map((seed) => diverged(specOf('am-softmax', seed), 0.99)),
];

test('a diverged run is left out of its cell: not in the mean, the paired test or the best mark', () => {
  const table = buildTable(runs);
  assert.deepEqual(table.rows, ['CE', 'Scaled-BN m=0.9', 'AM-Softmax s=7.5 m=0.35']);
  const sbn = table.cells[1][0]!;
  assert.equal(sbn.n, 5);
  assert.ok(sbn.mean < 71, `mean ${sbn.mean} must not include the diverged 99%`);
  assert.deepEqual(sbn.diverged, [specOf('scaled-bn', 6).runId]);
  assert.equal(sbn.partial, false);
  assert.equal(sbn.vsBaseline?.n, 5);
  assert.equal(sbn.vsBaseline?.significant, false);
  assert.ok(table.cells.every((row) => !row[0]?.best));
});

test('a cell of diverged runs only is shown as diverged, never compared or ranked', () => {
  const table = buildTable(runs);
  const am = table.cells[2][0]!;
  assert.equal(am.n, 0);
  assert.equal(am.best, false);
  assert.equal(am.vsBaseline, undefined);
  assert.equal(am.diverged?.length, 6);
  const console = toConsole(table);
  assert.match(console, /^AM-Softmax s=7\.5 m=0\.35\s+diverged$/m);
  assert.match(console, /‡ some runs of the cell diverged: left out of the mean, the tests and the best mark/);
  assert.doesNotMatch(console, /99\.00|best in column/);
  assert.match(toMarkdown(table), /\| AM-Softmax s=7\.5 m=0\.35 \| diverged \|/);
  assert.match(toCsv(table), /^AM-Softmax s=7\.5 m=0\.35,CIFAR-100,ResNet-18,,,0,,,false,false,,,,,,,,,(resnet18-w1__am-softmax-s7\.5-m0\.35__seed\d;?){6}$/m);
  const view = tableView(table);
  assert.equal(view.rows[2].cells[0].text, 'diverged');
  assert.match(view.rows[1].cells[0].text, / ‡$/);
  assert.match(view.rows[1].cells[0].title, /diverged, left out of the mean, the tests and the best mark: resnet18-w1__scaled-bn-m0\.9__seed6/);
});

test('the run table and the sweep charts get no final accuracy of a diverged run to sort or draw', () => {
  const view = runView(diverged(specOf('scaled-bn', 6), 0.99));
  assert.equal(view.finalAcc, undefined);
  assert.equal(view.state, 'failed');
  assert.match(view.reason ?? '', /^diverged at epoch 2/);
  assert.equal(runView(finished(specOf('ce', 1), 0.7)).finalAcc, 0.7);
});
