// Tables of a sweep: a row per full setting; with swept training values each row is compared
// with the baseline's row of the same training values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import type { ExperimentRecord, RunRecord } from '../../../src/core/results/runReader';
import { tableFromExperiment } from '../../../src/core/results/table';

const config = validateConfig({
  name: 'sweep-table',
  dataset: { name: 'fashion-mnist' },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1, 2],
  training: { lr: [0.05, 0.1] },
});

function record(spec: RunSpec, acc: number): RunRecord {
  const metrics = [{ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: acc, lr: 0.1, seconds: 1, imagesPerSec: 1 }];
  return { dir: spec.runId, runId: spec.runId, spec, metrics, hasCheckpoint: false, warnings: [] };
}

test('rows are the full settings in grid order; each is compared with CE at the same learning rate', () => {
  const specs = expandGrid(config);
  // CE: 80, 81 (lr 0.05) and 70, 72 (lr 0.1); Scaled-BN: 82, 84 (lr 0.05) and 71, 72 (lr 0.1)
  const accs = [0.8, 0.81, 0.7, 0.72, 0.82, 0.84, 0.71, 0.72];
  const experiment: ExperimentRecord = {
    dir: '/x/sweep-table',
    name: 'sweep-table',
    manifest: { config, configPath: '/x/c.losslab.json', runIds: specs.map((s) => s.runId), writtenAt: '2026-01-01T00:00:00.000Z' },
    runs: specs.map((s, i) => record(s, accs[i])),
  } as ExperimentRecord;
  const table = tableFromExperiment(experiment);
  assert.deepEqual(table.rows, ['CE · lr=0.05', 'CE · lr=0.1', 'Scaled-BN m=0.9 · lr=0.05', 'Scaled-BN m=0.9 · lr=0.1']);
  assert.equal(table.baseline, 'CE');
  const diff = (r: number) => table.cells[r][0]!.vsBaseline?.diff;
  assert.equal(diff(0), undefined);
  assert.equal(diff(1), undefined);
  assert.ok(Math.abs(diff(2)! - 2.5) < 1e-9, `${diff(2)}`); // (2 + 3) / 2
  assert.ok(Math.abs(diff(3)! - 0.5) < 1e-9, `${diff(3)}`); // (1 + 0) / 2
});
