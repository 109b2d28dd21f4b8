// A report on a grid that was killed part-way: the run that was training reads as
// interrupted, not running; runs that never started are listed; each run's dataset is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOST } from '../../../src/core/results/processAlive';
import { RUN_FILES } from '../../../src/core/results/types';
import type { DatasetSummary } from '../../../src/core/data/types';
import { buildReport } from '../../../src/report/buildReport';
import { removeExperiment, specs, writeExperiment } from './fixture';

const SCRIPT = '/* report script */';
const DATASET: DatasetSummary = {
  name: 'fashion-mnist',
  source: '/usr/share/fashion-mnist',
  classes: 10,
  imageShape: [28, 28, 1],
  train: 600,
  test: 200,
  evaluation: 'test',
  notes: ['train: first 600 of 60000'],
  warnings: ['skipped 1 of 601 images that could not be read or decoded: x.png (bad)'],
};

/** A pid no process has: the kernel's limit is far below it. */
const DEAD_PID = 2 ** 30;

test('a killed grid: the unfinished run is interrupted, runs that never began are named, the dataset is shown', () => {
  const dir = writeExperiment();
  try {
    const [first, second, third, fourth] = specs.map((s) => path.join(dir, s.runId));
    for (const run of [first, second]) fs.writeFileSync(path.join(run, RUN_FILES.dataset), JSON.stringify(DATASET));
    // The third was training when the grid was killed; the fourth never began.
    const status = JSON.parse(fs.readFileSync(path.join(third, RUN_FILES.status), 'utf8'));
    fs.writeFileSync(path.join(third, RUN_FILES.status), JSON.stringify({ ...status, state: 'running', epoch: 2, pid: DEAD_PID, host: HOST }));
    fs.rmSync(path.join(third, RUN_FILES.summary));
    fs.rmSync(fourth, { recursive: true });

    const { html, results, model } = buildReport(dir, { script: SCRIPT });
    const rows = new Map(model.runs.map((r) => [r.runId, r]));
    assert.equal(rows.get(specs[2].runId)?.state, 'stopped');
    assert.match(rows.get(specs[2].runId)?.reason ?? '', /^interrupted: status\.json says running, but its process \(pid 1073741824\) is gone/);
    assert.equal(rows.get(specs[3].runId)?.state, 'not started');
    assert.deepEqual(results.notStarted, [specs[3].runId]);
    assert.match(html, /4 runs \(2 done, 1 stopped, 1 not started\)/);
    assert.ok(!/>running</.test(html), 'no run reads as running');

    assert.deepEqual(results.runs[0].dataset, DATASET);
    assert.equal(results.runs[2].dataset, undefined);
    assert.deepEqual(model.datasets, [{ summary: DATASET, runIds: [specs[0].runId, specs[1].runId] }]);
    const section = html.slice(html.indexOf('<section id="dataset">'), html.indexOf('<section id="runs">'));
    assert.match(section, /fashion-mnist: 10 classes, 600 train \/ 200 test images \(28×28×1\)/);
    assert.match(section, /train: first 600 of 60000/);
    assert.match(section, /warning: skipped 1 of 601 images/);
    assert.match(section, new RegExp(`2 runs: ${specs[0].runId}, ${specs[1].runId}`));
  } finally {
    removeExperiment(dir);
  }
});
