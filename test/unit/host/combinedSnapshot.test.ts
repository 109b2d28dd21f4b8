import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readExperiment } from '../../../src/core/results/runReader';
import { PanelSync } from '../../../src/extension/results/panelSync';
import { defaultCombinedExportPath, renderTable, renderTables } from '../../../src/extension/results/tableExport';
import { buildCombinedSnapshot, experimentNames, readPanelSnapshot } from '../../../src/host/combinedSnapshot';
import { parseToWebview, WEBVIEW_PROTOCOL_VERSION } from '../../../src/protocol/webview';
import { experimentConfig, tempRoot, writeExperiment } from './experimentFiles';

/** Two experiments as grids leave them: A (CE, Scaled-BN; 2 seeds) and B (CE, AM-Softmax; two widths, 1 seed, one run still going). */
function twoExperiments(t: { after: (fn: () => void) => void }) {
  const root = tempRoot(t);
  const a = experimentConfig('exp-a', { losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }], seeds: [1, 2] });
  const b = experimentConfig('exp-b', { models: [{ name: 'simple-cnn' }, { name: 'simple-cnn', width: 0.5 }], losses: [{ name: 'ce' }, { name: 'am-softmax', s: 7.5, m: 0.35 }] });
  const ids = (config: typeof a) => writeExperiment(root, config, {}).specs.map((s) => s.runId);
  const [aCe1, aCe2, aBn1, aBn2] = ids(a);
  const [bCe, bAm, bCeHalf, bAmHalf] = ids(b);
  writeExperiment(root, a, {
    [aCe1]: { accs: [0.5, 0.7], state: 'done' },
    [aCe2]: { accs: [0.5, 0.74], state: 'done' },
    [aBn1]: { accs: [0.6, 0.8], state: 'done' },
    [aBn2]: { accs: [0.6, 0.81], state: 'done' },
  });
  writeExperiment(root, b, {
    [bCe]: { accs: [0.6], state: 'done' },
    [bAm]: { accs: [0.65], state: 'done' },
    [bCeHalf]: { accs: [0.55], state: 'running' },
  });
  return { root, dirA: path.join(root, 'exp-a'), dirB: path.join(root, 'exp-b'), ids: { aCe1, aBn2, bCe, bAm, bCeHalf, bAmHalf } };
}

test('the combined snapshot lists every run of both experiments under ids unique by experiment name', (t) => {
  const { dirA, dirB, ids } = twoExperiments(t);
  const snap = buildCombinedSnapshot([readExperiment(dirA), readExperiment(dirB)]);
  assert.equal(snap.dir, dirA);
  assert.deepEqual(snap.dirs, [dirA, dirB]);
  assert.equal(snap.name, 'exp-a + exp-b');
  assert.equal(snap.runs.length, 8);
  assert.equal(new Set(snap.runs.map((r) => r.runId)).size, 8);
  assert.equal(snap.runs[0].runId, `exp-a/${ids.aCe1}`);
  assert.deepEqual(
    snap.runs.slice(4).map((r) => [r.runId, r.experiment, r.stateText]),
    [
      [`exp-b/${ids.bCe}`, 'exp-b', 'done'],
      [`exp-b/${ids.bAm}`, 'exp-b', 'done'],
      [`exp-b/${ids.bCeHalf}`, 'exp-b', 'running epoch 2/3'],
      [`exp-b/${ids.bAmHalf}`, 'exp-b', 'not started'],
    ],
    "B's runs in its grid order, each state as its own files say",
  );
  assert.ok(parseToWebview({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot: snap }), 'the webview accepts it');
});

test('one table: a row per experiment and setting, columns merged by model, differences within each experiment, no best across them', (t) => {
  const { dirA, dirB, ids } = twoExperiments(t);
  const { table } = buildCombinedSnapshot([readExperiment(dirA), readExperiment(dirB)]);
  assert.deepEqual(table.rows, ['exp-a: CE', 'exp-a: Scaled-BN m=0.9', 'exp-b: CE', 'exp-b: AM-Softmax s=7.5 m=0.35']);
  assert.deepEqual(
    table.columns.map((c) => c.label),
    ['Simple CNN', 'Simple CNN ×0.5'],
  );
  const [aCe, aBn, bCe, bAm] = table.cells;
  // A: CE 70, 74 → 72; Scaled-BN 80, 81 → 80.5, paired with CE by seed: +10, +7 → +8.5.
  assert.ok(Math.abs(aCe[0]!.mean - 72) < 1e-9);
  assert.ok(Math.abs(aBn[0]!.mean - 80.5) < 1e-9);
  assert.ok(Math.abs(aBn[0]!.vsBaseline!.diff - 8.5) < 1e-9);
  assert.equal(aCe[1], undefined, 'A has no ×0.5 runs');
  assert.deepEqual(aBn[0]!.runs, [`exp-a/${ids.aBn2.replace('seed2', 'seed1')}`, `exp-a/${ids.aBn2}`], 'cells name runs by their combined ids');
  // B: CE 60 (done) and 55 (its last finished epoch, partial); AM 65 vs B's own CE: +5.
  assert.ok(Math.abs(bCe[0]!.mean - 60) < 1e-9);
  assert.equal(bCe[1]!.partial, true);
  assert.ok(Math.abs(bAm[0]!.vsBaseline!.diff - 5) < 1e-9, "AM-Softmax is compared with exp-b's CE, not exp-a's");
  assert.equal(bAm[1], undefined);
  assert.ok(
    table.cells.flat().every((c) => !c || !c.best),
    'no best marks across experiments',
  );
  assert.equal(table.baseline, 'CE');
});

test('experiment names tell folders apart: the folder name, the parent in front where two share it', () => {
  assert.deepEqual(experimentNames(['/r/a', '/r/b']), ['a', 'b']);
  assert.deepEqual(experimentNames(['/x/quick', '/y/quick', '/y/other']), ['x/quick', 'y/quick', 'other']);
  assert.deepEqual(experimentNames(['/x/quick', '/x/quick']), ['x/quick (1)', 'x/quick (2)']);
});

test('a panel of one folder gets its own snapshot; the panel sync starts over when the set of experiments changes', (t) => {
  const { dirA, dirB } = twoExperiments(t);
  const single = readPanelSnapshot([dirA]);
  assert.equal(single.dirs, undefined);
  assert.equal(single.runs[0].experiment, undefined);
  const sync = new PanelSync();
  sync.init(single);
  const combined = readPanelSnapshot([dirA, dirB]);
  assert.deepEqual(
    sync.update(combined).map((m) => m.type),
    ['init'],
    'same first folder, another set: a new picture',
  );
  assert.deepEqual(sync.update(readPanelSnapshot([dirA, dirB])), [], 'nothing changed, nothing sent');
  // A third experiment joins: no run went away, but the panel's name and folders changed.
  const { dir: dirC } = writeExperiment(path.dirname(dirA), experimentConfig('exp-c', { losses: [{ name: 'ce' }] }), {});
  assert.deepEqual(
    sync.update(readPanelSnapshot([dirA, dirB, dirC])).map((m) => m.type),
    ['init'],
    'another set of experiments: a new picture',
  );
  assert.deepEqual(
    sync.update(single).map((m) => m.type),
    ['init'],
  );
});

test('Export and Copy of a panel of several experiments write the combined table, by default beside the first folder', (t) => {
  const { root, dirA, dirB } = twoExperiments(t);
  const md = renderTables([dirA, dirB], 'md');
  for (const row of ['exp-a: CE', 'exp-a: Scaled-BN m=0.9', 'exp-b: CE', 'exp-b: AM-Softmax s=7.5 m=0.35']) assert.ok(md.includes(`| ${row} |`), `no row ${row}:\n${md}`);
  assert.ok(md.includes('72.00'), 'exp-a CE: mean of 70 and 74');
  assert.equal(renderTables([dirA], 'csv'), renderTable(dirA, 'csv'), 'one folder: its own table');
  assert.equal(defaultCombinedExportPath([dirA, dirB], 'latex'), path.join(root, 'exp-a+exp-b-table.tex'));
  assert.equal(defaultCombinedExportPath([dirA], 'md'), path.join(dirA, 'exp-a-table.md'));
});
