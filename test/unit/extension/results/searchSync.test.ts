// A search experiment in the panel: search.json travels with the snapshot, each run knows its place
// in the search, and a changed (or removed) search.json is posted again, as the table is.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PanelSync } from '../../../../src/extension/results/panelSync';
import { readSnapshot } from '../../../../src/host/experimentSnapshot';
import { SEARCH_FILE } from '../../../../src/core/search/record';
import { parseToWebview } from '../../../../src/protocol/webview';
import { searchRecord, writeSearchExperiment } from '../../../fixtures/searchExperiment';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-search-sync-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test("the snapshot carries search.json and each run's stage, trial and rung; the search role is no config column", () => {
  const dir = writeSearchExperiment(root, 'snap');
  const snap = readSnapshot(dir);
  assert.deepEqual(snap.search, searchRecord());
  const byId = new Map(snap.runs.map((r) => [r.runId, r]));
  assert.deepEqual(byId.get('simple-cnn-w0.5__ce__trial2')?.search, { stage: 'trial', trial: 2, trialState: 'pruned', rung: { reached: 1, of: 3, epoch: 1 } });
  assert.deepEqual(byId.get('simple-cnn-w0.5__scaled-bn__trial1')?.search, { stage: 'trial', trial: 1, trialState: 'complete', rung: { reached: 3, of: 3, epoch: 4 } });
  assert.deepEqual(byId.get('simple-cnn-w0.5__ce__final__seed2')?.search, { stage: 'final', trial: 1 });
  assert.ok(!Object.keys(byId.get('simple-cnn-w0.5__ce__trial2')?.config ?? {}).some((k) => k.startsWith('search.')));
  assert.equal(byId.get('simple-cnn-w0.5__ce__trial2')?.config?.['training.lr'], 0.3, 'the searched value is the run config');
  // What the webview accepts: the init as posted, and nothing with a damaged record in it.
  const init = new PanelSync().init(snap);
  assert.ok(parseToWebview(JSON.parse(JSON.stringify(init))));
  assert.equal(parseToWebview({ ...init, snapshot: { ...snap, search: { ...snap.search, studies: [{ key: 1 }] } } }), null);
});

test('a damaged search.json: a warning in the panel, no search, every run still shown', () => {
  const dir = writeSearchExperiment(root, 'damaged');
  fs.writeFileSync(path.join(dir, SEARCH_FILE), '{"version": 1, "stud');
  const snap = readSnapshot(dir);
  assert.equal(snap.search, undefined);
  assert.equal(snap.runs.length, 11);
  assert.deepEqual(
    snap.warnings.filter((w) => w.includes(SEARCH_FILE)),
    ['search.json: damaged (not a complete version 1 search record); the Tuning section is left out'],
  );
});

test('search.json rewritten: one `search` message with the new record; damaged: one without, and its warning; unchanged: none', () => {
  const dir = writeSearchExperiment(root, 'live');
  const sync = new PanelSync();
  sync.init(readSnapshot(dir));
  assert.deepEqual(
    sync.update(readSnapshot(dir)).filter((m) => m.type === 'search'),
    [],
  );
  const next = searchRecord();
  next.stage = 'final';
  next.studies[0].trials[2].state = 'complete';
  fs.writeFileSync(path.join(dir, SEARCH_FILE), JSON.stringify(next));
  const messages = sync.update(readSnapshot(dir));
  assert.deepEqual(
    messages.filter((m) => m.type === 'search'),
    [{ type: 'search', search: next }],
  );
  // The trial's state is in its run's row too.
  const row = messages.find((m) => m.type === 'runState' && m.runId === 'simple-cnn-w0.5__ce__trial2');
  assert.equal(row?.type === 'runState' ? row.search?.trialState : undefined, 'complete');
  // Damaged: the section goes, its one-line warning comes, in the same update; repaired: the warning goes again.
  fs.writeFileSync(path.join(dir, SEARCH_FILE), '{"version": 1, "stud');
  assert.deepEqual(
    sync.update(readSnapshot(dir)).filter((m) => m.type === 'search' || m.type === 'warnings'),
    [{ type: 'search' }, { type: 'warnings', warnings: ['search.json: damaged (not a complete version 1 search record); the Tuning section is left out'] }],
  );
  fs.rmSync(path.join(dir, SEARCH_FILE));
  assert.deepEqual(
    sync.update(readSnapshot(dir)).filter((m) => m.type === 'search' || m.type === 'warnings'),
    [{ type: 'warnings', warnings: [] }],
    'no search.json either: nothing more to say of it',
  );
  assert.ok(parseToWebview({ type: 'search' }));
  assert.ok(parseToWebview({ type: 'warnings', warnings: ['a'] }));
  assert.equal(parseToWebview({ type: 'warnings', warnings: [1] }), null);
  assert.equal(parseToWebview({ type: 'search', search: { version: 1 } }), null);
});
