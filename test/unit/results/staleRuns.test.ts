// A finished config edited (epochs 4 → 5) and run again: its runs trained 4 epochs are stale in every view
// the panel's and tree's run views, the warnings, the report and `losslab table`.
// The folder is written by the results store itself; the expected reason is the edit made here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { statusCommand } from '../../../src/cli/statusCommand';
import { renderTable } from '../../../src/cli/tableCommand';
import { expandGrid } from '../../../src/core/config/grid';
import type { ExperimentConfig, RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { openRunSink, writeExperimentManifest } from '../../../src/core/results/runSink';
import { staleSummary } from '../../../src/core/results/staleness';
import { readSnapshot } from '../../../src/host/experimentSnapshot';
import { buildReport } from '../../../src/report/buildReport';

const configOf = (epochs: number): ExperimentConfig =>
  validateConfig({
    name: 'st',
    dataset: { name: 'mnist' },
    models: [{ name: 'simple-cnn' }],
    losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
    seeds: [1],
    training: { epochs, milestones: [2] },
  });

function finish(dir: string, spec: RunSpec): void {
  const sink = openRunSink(path.join(dir, spec.runId), spec);
  sink.started('cpu');
  for (let e = 1; e <= spec.training.epochs; e++) {
    sink.epochFinished({ epoch: e, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5 + e / 100, lr: 0.1, seconds: 1, imagesPerSec: 10 }, new Uint8Array([e]));
  }
  const machine = { platform: 'linux', arch: 'x64', cpus: 1, cpuModel: 't', totalMemGiB: 1 };
  sink.finished(
    {
      runId: spec.runId,
      model: 'simple-cnn',
      loss: spec.lossLabel,
      seed: 1,
      finalTestAcc: 0.54,
      bestTestAcc: 0.54,
      finalTrainAcc: 0.5,
      epochs: spec.training.epochs,
      backend: 'cpu',
      wallSeconds: 4,
      versions: {},
      machine,
    },
    { before: { edges: [0, 1], counts: [1] } },
    null,
  );
}

/** Both runs trained with 4 epochs; experiment.json then says 5 (what Run writes before keeping them). */
function staleExperiment(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-stale-'));
  const old = configOf(4);
  writeExperimentManifest(dir, old);
  for (const spec of expandGrid(old)) finish(dir, spec);
  return dir;
}

const REASON = 'trained with a different config: training.epochs 4 → 5';

test('the snapshot (panel, tree) marks each run stale with the changed field, and warns once', () => {
  const dir = staleExperiment();
  try {
    assert.deepEqual(
      readSnapshot(dir).runs.map((r) => r.stale),
      [undefined, undefined],
      'current while the config is unchanged',
    );
    writeExperimentManifest(dir, configOf(5));
    const snapshot = readSnapshot(dir);
    assert.deepEqual(
      snapshot.runs.map((r) => [r.state, r.stale]),
      [
        ['done', REASON],
        ['done', REASON],
      ],
    );
    assert.deepEqual(snapshot.warnings, [
      "2 runs are stale: trained with another training.epochs than the experiment's config now has; their results do not answer it. Run the experiment to extend or retrain them.",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the report marks stale runs in its runs table and warns in its header; losslab table warns per run', () => {
  const dir = staleExperiment();
  try {
    writeExperimentManifest(dir, configOf(5));
    const { html } = buildReport(dir, { script: '/* no charts */' });
    const staleCells = html.match(/<strong class="stale">stale<\/strong>: trained with a different config: training\.epochs 4 → 5/g) ?? [];
    assert.equal(staleCells.length, 2, 'one marker per run');
    assert.match(html, /2 runs are stale/);
    const { warnings } = renderTable(dir, 'console');
    assert.ok(warnings.includes(`simple-cnn-w1__ce__seed1: stale, ${REASON}`), warnings.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('losslab status lists the stale runs with what changed', async () => {
  const dir = staleExperiment();
  try {
    writeExperimentManifest(dir, configOf(5));
    const lines: string[] = [];
    await statusCommand(dir, { watch: false, cliPath: '/nonexistent' }, (line) => {
      lines.push(line);
      return true;
    });
    assert.ok(
      lines.some((l) => l.startsWith('2 runs are stale')),
      lines.join('\n'),
    );
    assert.ok(lines.includes(`  simple-cnn-w1__scaled-bn-m0.9__seed1: stale, ${REASON}`), lines.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('where running the experiment again cannot extend them (SLURM), the summary says what can', () => {
  const stale = new Map([['r', [{ field: 'training.epochs', was: 2, now: 4 }]]]);
  assert.match(
    staleSummary(stale, 'SLURM tasks cannot extend or retrain them: run the config with --executor local --extend (or --retrain-stale).'),
    /their results do not answer it\. SLURM tasks cannot extend or retrain them: run the config with --executor local --extend/,
  );
});

test('saving the config file makes its runs stale at once, before Run rewrites experiment.json', () => {
  const dir = staleExperiment();
  const file = path.join(dir, 'st.losslab.json');
  const text = (epochs: number) =>
    JSON.stringify({
      name: 'st',
      dataset: { name: 'mnist' },
      models: [{ name: 'simple-cnn' }],
      losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
      seeds: [1],
      training: { epochs, milestones: [2] },
    });
  try {
    fs.writeFileSync(file, text(4));
    writeExperimentManifest(dir, configOf(4), file);
    assert.deepEqual(
      readSnapshot(dir).runs.map((r) => r.stale),
      [undefined, undefined],
      'the saved file says what the runs trained with',
    );
    fs.writeFileSync(file, text(5));
    assert.deepEqual(
      readSnapshot(dir).runs.map((r) => r.stale),
      [REASON, REASON],
    );
    fs.writeFileSync(file, '{ "name": "st", '); // mid-edit: the last config that ran stands
    assert.deepEqual(
      readSnapshot(dir).runs.map((r) => r.stale),
      [undefined, undefined],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a run being extended reads "extending · 4/5 epochs", not "stale · done"', () => {
  const dir = staleExperiment();
  try {
    writeExperimentManifest(dir, configOf(5));
    const [ce, bn] = expandGrid(configOf(5)).map((s) => s.runId);
    const live = { pending: new Set([bn]), active: new Set([ce]), extending: new Set([ce, bn]) };
    assert.deepEqual(
      readSnapshot(dir, live).runs.map((r) => [r.state, r.stateText, r.stale]),
      [
        ['running', 'extending · 4/5 epochs', undefined],
        ['queued', 'extending · 4/5 epochs', undefined],
      ],
    );
    const finishing = { pending: new Set<string>(), active: new Set([ce]) };
    assert.equal(readSnapshot(dir, finishing).runs[0].state, 'done', 'a done run whose worker is exiting is not running again');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
