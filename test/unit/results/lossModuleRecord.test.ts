// A custom loss run records its module's code: a content hash of the entry and the sources it imports, and
// their text (capped), in <run>/loss-module/. Code that changed since makes the run stale, and not extendable.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { recordLossModule } from '../../../src/core/losses/recordLossModule';
import { currentLossModuleHash, LOSS_MODULE_DIR, lossModuleHash, readLossModuleRecord, SOURCE_CAP_BYTES, writeLossModuleRecord } from '../../../src/core/results/lossModuleRecord';
import { RunExistsError } from '../../../src/core/results/runSink';
import { LOSS_MODULE_FIELD, staleInGrid, staleRuns } from '../../../src/core/results/staleness';

function workspace() {
  const root = mkdtempSync(path.join(tmpdir(), 'losslab-modrec-'));
  mkdirSync(path.join(root, 'losses'));
  const entry = path.join(root, 'losses', 'focal.ts');
  const helper = path.join(root, 'losses', 'helper.ts');
  writeFileSync(helper, 'export const scale = 2;\n');
  writeFileSync(entry, "import { scale } from './helper';\nexport default function createLoss() { return { train: () => scale }; }\n");
  return { root, entry, helper };
}

function configFor(entry: string) {
  return validateConfig({
    name: 'mod',
    dataset: { name: 'mnist', trainSubset: 1000 },
    models: [{ name: 'simple-cnn' }],
    losses: [{ name: 'custom', module: entry }],
    seeds: [1],
    training: { epochs: 2, milestones: [] },
  });
}

test('the worker records the entry and the sources it imports: their hash and their text', () => {
  const { root, entry, helper } = workspace();
  const runDir = path.join(root, 'run');
  const record = recordLossModule(runDir, 'r', entry, { epochs: 0 });
  assert.deepEqual(
    record.files.map((f) => [f.file, f.saved]),
    [
      [entry, 'files/focal.ts'],
      [helper, 'files/helper.ts'],
    ],
  );
  assert.match(record.hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(readLossModuleRecord(runDir), record);
  assert.equal(readFileSync(path.join(runDir, LOSS_MODULE_DIR, 'files', 'helper.ts'), 'utf8'), 'export const scale = 2;\n');
  assert.equal(currentLossModuleHash(record), record.hash, 'unchanged files hash the same');
});

test('the hash does not depend on the order of the files; the saved text stops at the cap', () => {
  const a = new Map([
    ['/m/a.ts', 'A'],
    ['/m/b.ts', 'B'],
  ]);
  assert.equal(lossModuleHash('/m/a.ts', a), lossModuleHash('/m/a.ts', new Map([...a].reverse())));
  const root = mkdtempSync(path.join(tmpdir(), 'losslab-modrec-'));
  const big = 'x'.repeat(SOURCE_CAP_BYTES);
  const record = writeLossModuleRecord(
    root,
    '/m/a.ts',
    new Map([
      ['/m/a.ts', 'small'],
      ['/m/big.ts', big],
    ]),
  );
  assert.deepEqual(
    record.files.map((f) => [f.bytes, f.saved]),
    [
      [5, 'files/a.ts'],
      [SOURCE_CAP_BYTES, undefined],
    ],
  );
  assert.equal(
    record.hash,
    lossModuleHash(
      '/m/a.ts',
      new Map([
        ['/m/a.ts', 'small'],
        ['/m/big.ts', big],
      ]),
    ),
    'the hash covers the unsaved file too',
  );
});

test('an edit of an imported source makes the run stale, by content hash, and not extendable', () => {
  const { root, entry, helper } = workspace();
  const config = configFor(entry);
  const [spec] = expandGrid(config);
  const experimentDir = path.join(root, 'exp');
  const runDir = path.join(experimentDir, spec.runId);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(spec));
  recordLossModule(runDir, spec.runId, entry, { epochs: 0 });
  assert.equal(staleRuns(config, [{ runId: spec.runId, spec, dir: runDir }]).size, 0);
  assert.deepEqual(staleInGrid(experimentDir, [spec]), []);

  appendFileSync(helper, 'export const other = 3;\n');
  const changes = staleRuns(config, [{ runId: spec.runId, spec, dir: runDir }]).get(spec.runId);
  assert.equal(changes?.length, 1);
  assert.equal(changes?.[0].field, LOSS_MODULE_FIELD);
  const [stale] = staleInGrid(experimentDir, [spec]);
  assert.equal(stale.changes[0].field, LOSS_MODULE_FIELD);
  assert.match(stale.cannotExtend ?? '', /loss module's code changed/);
});

test('finished epochs trained with other code of the module are not resumed with this code', () => {
  const { root, entry, helper } = workspace();
  const runDir = path.join(root, 'run');
  const before = recordLossModule(runDir, 'r', entry, { epochs: 0 });
  writeFileSync(helper, 'export const scale = 4;\n');
  assert.throws(
    () => recordLossModule(runDir, 'r', entry, { record: before, epochs: 1 }),
    (e: Error) => e instanceof RunExistsError && /other code of its loss module/.test(e.message),
  );
  assert.notEqual(recordLossModule(runDir, 'r', entry, { record: before, epochs: 0 }).hash, before.hash, 'a restart records the new code');
});
