// Notices about one run name it as the tree and panel do (its loss setting, model and seed), never by its folder id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { Strings } from '../../../src/extension/strings';

const [spec] = expandGrid(
  validateConfig({
    name: 't',
    dataset: { name: 'mnist' },
    models: [{ name: 'resnet18', width: 0.5 }],
    losses: [{ name: 'scaled-bn', m: 0.9 }],
    seeds: [3],
    training: { epochs: 1, milestones: [1] },
  }),
);
const run = { runId: spec.runId, spec };
const title = 'Scaled-BN m=0.9 · ResNet-18 ×0.5 · seed 3';

test('cannot-extend, cannot-delete, not-running and cannot-resume notices name the run by its title', () => {
  const notices = {
    cannotExtend: Strings.cannotExtend(run, 'it kept no checkpoint to train on from'),
    runNotActive: Strings.runNotActive(run),
    cannotDeleteActive: Strings.cannotDeleteActive(run),
    cannotDeleteLocked: Strings.cannotDeleteLocked(run, 'pid 42 on node7'),
    cannotRerun: Strings.cannotRerun(run),
    cannotResumeDone: Strings.cannotResumeDone(run),
    cannotResumeDamaged: Strings.cannotResumeDamaged(run),
  };
  for (const [name, text] of Object.entries(notices)) {
    assert.ok(text.includes(`run ${title} `), `${name} names the run by its title: ${text}`);
    assert.ok(!text.includes(spec.runId), `${name} does not print the folder id ${spec.runId}: ${text}`);
  }
  assert.equal(notices.runNotActive, `Loss Lab: run ${title} is not running.`);
});

test('a run folder without a config is named by its folder, the only name it has', () => {
  assert.equal(Strings.cannotRerun({ runId: 'orphan-folder' }), 'Loss Lab: run orphan-folder has no config.json to train it from.');
});
