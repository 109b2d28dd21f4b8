// Which runs no longer match their experiment's config, and when more epochs can be
// trained on from a checkpoint. Specs come from real configs through expandGrid; the expected changes are
// the edits each test makes by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { changesText, extendBlocker, specChanges, staleReason, staleRuns } from '../../../src/core/results/staleness';

const base = {
  name: 'stale',
  dataset: { name: 'mnist', trainSubset: 1000 },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1],
  training: { epochs: 4, lr: 0.1, milestones: [2] },
};
type Edit = (c: typeof base & Record<string, unknown>) => void;
function configWith(edit: Edit = () => undefined) {
  const raw = structuredClone(base) as typeof base & Record<string, unknown>;
  edit(raw);
  return validateConfig(raw);
}
const specOf = (edit?: Edit, i = 0): RunSpec => expandGrid(configWith(edit))[i];

test('epochs 4 → 5: exactly that field changed, worded as a reason', () => {
  const changes = specChanges(
    specOf(),
    specOf((c) => (c.training.epochs = 5)),
  );
  assert.deepEqual(changes, [{ field: 'training.epochs', was: 4, now: 5 }]);
  assert.equal(changesText(changes), 'training.epochs 4 → 5');
  assert.equal(staleReason(changes), 'trained with a different config: training.epochs 4 → 5');
});

test('several changes are listed field by field, nested ones by their path', () => {
  const changes = specChanges(
    specOf(),
    specOf((c) => {
      c.training.lr = 0.05;
      c.dataset.trainSubset = 2000;
    }),
  );
  assert.deepEqual(changes.map((c) => c.field).sort(), ['dataset.trainSubset', 'training.lr']);
  assert.match(changesText(changes), /training\.lr 0\.1 → 0\.05/);
});

test('how a run ran is not what it means: backend, threads, logEvery and divergence changes leave it current', () => {
  const edited = specOf((c) => {
    c.backend = 'cpu';
    c.threads = 3;
    (c.training as Record<string, unknown>).logEvery = 7;
    (c.training as Record<string, unknown>).divergence = false;
  });
  assert.deepEqual(specChanges(specOf(), edited), []);
});

test('staleRuns: only runs on disk whose spec differs; runs without a spec or outside the grid are left alone', () => {
  const [ce, bn] = expandGrid(configWith());
  const now = configWith((c) => (c.training.epochs = 5));
  const stale = staleRuns(now, [{ runId: ce.runId, spec: ce }, { runId: bn.runId }, { runId: 'elsewhere', spec: { ...ce, runId: 'elsewhere' } }]);
  assert.deepEqual([...stale.keys()], [ce.runId]);
  assert.deepEqual(staleRuns(configWith(), [{ runId: ce.runId, spec: ce }]).size, 0);
  assert.equal(staleRuns(undefined, [{ runId: ce.runId, spec: ce }]).size, 0);
});

test('extend: more epochs with the schedule of the trained epochs unchanged', () => {
  const run = specOf();
  assert.equal(
    extendBlocker(
      run,
      specOf((c) => (c.training.epochs = 6)),
    ),
    undefined,
  );
  // A milestone at or after the old last epoch only shapes the new epochs.
  assert.equal(
    extendBlocker(
      run,
      specOf((c) => Object.assign(c.training, { epochs: 8, milestones: [2, 4, 6] })),
    ),
    undefined,
  );
});

test('extend refuses with the reason: fewer epochs, a moved milestone, another lr', () => {
  const run = specOf();
  assert.equal(
    extendBlocker(
      run,
      specOf((c) => (c.training.epochs = 3)),
    ),
    'the config now has fewer epochs (4 → 3)',
  );
  assert.equal(
    extendBlocker(
      run,
      specOf((c) => Object.assign(c.training, { epochs: 6, milestones: [3] })),
    ),
    'the milestones within the first 4 epochs moved ([2] → [3]), so the epochs trained had another lr schedule',
  );
  assert.equal(
    extendBlocker(
      run,
      specOf((c) => Object.assign(c.training, { epochs: 6, lr: 0.2 })),
    ),
    'training.lr 0.1 → 0.2 changed, which the finished epochs were not trained with',
  );
});
