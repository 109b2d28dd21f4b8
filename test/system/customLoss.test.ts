// A custom loss end to end: a module written into a temporary workspace next to its config,
// the config naming it relative to itself, a 1-epoch tiny run on Fashion-MNIST through the real worker
// (which compiles the module with its bundled compiler), and the comparison table showing it by its module name.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigWithPaths } from '../../src/core/config/configPaths';
import { expandGrid } from '../../src/core/config/grid';
import { EXAMPLE_LOSS_MODULE } from '../../src/core/losses/customTemplate';
import { LOSS_MODULE_DIR, readLossModuleRecord } from '../../src/core/results/lossModuleRecord';
import { readExperiment } from '../../src/core/results/runReader';
import { LOSS_MODULE_FIELD, staleRuns } from '../../src/core/results/staleness';
import { writeExperimentManifest } from '../../src/core/results/runSink';
import { tableFromExperiment } from '../../src/core/results/table';
import { toConsole } from '../../src/core/results/tableExport';
import { Scheduler } from '../../src/host/scheduler';
import { FASHION_MNIST, requireBuild, tempDir, WORKER } from './helpers';

before(requireBuild);

test(
  'a custom loss module trains for one epoch through the worker and the table shows it as custom:<module>',
  { skip: !existsSync(FASHION_MNIST) && 'Debian dataset-fashion-mnist is not installed' },
  async () => {
    const workspace = tempDir('losslab-custom-e2e-');
    mkdirSync(path.join(workspace, 'losses'));
    writeFileSync(path.join(workspace, 'losses', 'myfocal.ts'), EXAMPLE_LOSS_MODULE);
    const configFile = path.join(workspace, 'custom.losslab.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        name: 'custom-e2e',
        dataset: { name: 'fashion-mnist', trainSubset: 256, testSubset: 256, shuffleSubset: true },
        models: [{ name: 'simple-cnn', width: 0.25 }],
        losses: [{ name: 'custom', module: './losses/myfocal.ts', options: { gamma: 2 } }],
        seeds: [1],
        training: { epochs: 1, batchSize: 64, lr: 0.05, milestones: [] },
        backend: 'wasm',
      }),
    );
    const { config } = await loadConfigWithPaths(configFile);
    const runs = expandGrid(config);
    assert.deepEqual(
      runs.map((r) => r.runId),
      ['simple-cnn-w0.25__custom-myfocal-gamma2__seed1'],
    );
    const experimentDir = path.join(workspace, '.losslab', 'custom-e2e');
    writeExperimentManifest(experimentDir, config, undefined);
    const outcomes = await new Scheduler(runs, { workerPath: WORKER, experimentDir, parallel: 1, resume: 'refuse' }).run();
    for (const [runId, outcome] of outcomes) assert.equal(outcome.state, 'done', `${runId}: ${JSON.stringify(outcome)}`);

    const experiment = readExperiment(experimentDir);
    const [run] = experiment.runs;
    assert.equal(run.metrics.length, 1);
    assert.ok(Number.isFinite(run.metrics[0].trainLoss), `train loss ${run.metrics[0].trainLoss}`);
    assert.ok(run.summary && run.summary.finalTestAcc >= 0 && run.summary.finalTestAcc <= 1, `test accuracy recorded: ${run.summary?.finalTestAcc}`);
    assert.equal(run.weightNorms?.norms.length, 10, 'classWeights from the module: one weight norm per class');
    const table = toConsole(tableFromExperiment(experiment));
    process.stdout.write(`${table}\n`);
    assert.match(table, /custom:myfocal gamma=2/);

    // The run records the module's code; an edit of it makes the run stale.
    const module = path.join(workspace, 'losses', 'myfocal.ts');
    assert.equal(readLossModuleRecord(run.dir)?.files[0].file, module);
    assert.equal(run.summary?.lossModuleHash, readLossModuleRecord(run.dir)?.hash);
    assert.equal(readFileSync(path.join(run.dir, LOSS_MODULE_DIR, 'files', 'myfocal.ts'), 'utf8'), EXAMPLE_LOSS_MODULE);
    assert.equal(staleRuns(config, experiment.runs).size, 0);
    appendFileSync(module, '\n// tuned\n');
    assert.equal(staleRuns(config, readExperiment(experimentDir).runs).get(run.runId)?.[0].field, LOSS_MODULE_FIELD);
  },
);

test('a module with a syntax error fails the run with the module file and line', { skip: !existsSync(FASHION_MNIST) && 'Debian dataset-fashion-mnist is not installed' }, async () => {
  const workspace = tempDir('losslab-custom-e2e-');
  const module = path.join(workspace, 'bad.ts');
  writeFileSync(module, 'export default function createLoss(ctx) {\n  return { train: (f, y) => f + };\n}\n');
  const configFile = path.join(workspace, 'bad.losslab.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      name: 'bad',
      dataset: { name: 'fashion-mnist', trainSubset: 64, testSubset: 64 },
      models: [{ name: 'simple-cnn', width: 0.25 }],
      losses: [{ name: 'custom', module: 'bad.ts' }],
      seeds: [1],
      training: { epochs: 1, batchSize: 64, milestones: [] },
      backend: 'wasm',
    }),
  );
  const { config } = await loadConfigWithPaths(configFile);
  const experimentDir = path.join(workspace, '.losslab', 'bad');
  writeExperimentManifest(experimentDir, config, undefined);
  const outcomes = await new Scheduler(expandGrid(config), { workerPath: WORKER, experimentDir, parallel: 1, resume: 'refuse' }).run();
  const [outcome] = [...outcomes.values()];
  assert.equal(outcome.state, 'failed');
  assert.match(JSON.stringify(outcome), new RegExp(`${module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:`));
});
