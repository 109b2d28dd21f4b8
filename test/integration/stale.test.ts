import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunResult } from './contract';
import { Disposer, readJson, readJsonLines, spyOnMessages, workspaceRoot } from './util';

const RUN_ID = 'simple-cnn-w0.25__ce__seed1';

function configText(training: Record<string, unknown>): string {
  return JSON.stringify({
    name: 'e2e-stale',
    dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256, shuffleSubset: true },
    models: [{ name: 'simple-cnn', width: 0.25 }],
    losses: [{ name: 'ce' }],
    seeds: [1],
    training: { batchSize: 128, lr: 0.05, milestones: [], ...training },
    backend: 'wasm',
    parallelRuns: 1,
  });
}

/** Editing a finished config (epochs 1 → 2) and running again: extend, refuse to extend, retrain. */
export function staleTests(): void {
  describe('Run Experiment on a config edited after its runs finished', function () {
    const disposer = new Disposer();
    afterEach(() => disposer.dispose());
    const file = () => path.join(workspaceRoot(), 'stale.losslab.json');
    const runDir = () => path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-stale', RUN_ID);
    const run = (opts: Record<string, unknown>) => vscode.commands.executeCommand<RunResult | undefined>('lossLab.runExperiment', vscode.Uri.file(file()), { openPanel: false, ...opts });
    const epochsOf = () => readJsonLines(path.join(runDir(), 'metrics.jsonl')).map((m) => m.epoch);

    before(async function () {
      fs.writeFileSync(file(), configText({ epochs: 1 }));
      const result = await run({});
      assert.equal(result?.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result?.outcomes));
    });
    after(() => fs.rmSync(file(), { force: true }));

    it('should keep a stale run when asked to, the experiment saying 2 epochs and the run 1', async () => {
      fs.writeFileSync(file(), configText({ epochs: 2 }));
      const result = await run({ stale: 'keep' });
      assert.equal(result?.outcomes[RUN_ID]?.message, 'already done; kept');
      const manifest = readJson<{ config: { training: { epochs: number } } }>(path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-stale', 'experiment.json'));
      assert.equal(manifest.config.training.epochs, 2);
      assert.equal(readJson<{ training: { epochs: number } }>(path.join(runDir(), 'config.json')).training.epochs, 1);
    });

    it('should extend it: epoch 1 kept as trained, epoch 2 trained on from the checkpoint', async () => {
      const [first] = readJsonLines(path.join(runDir(), 'metrics.jsonl'));
      const result = await run({ stale: 'extend' });
      assert.equal(result?.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result?.outcomes));
      assert.deepEqual(epochsOf(), [1, 2]);
      assert.deepEqual(readJsonLines(path.join(runDir(), 'metrics.jsonl'))[0], first, 'epoch 1 was not trained again');
      assert.equal(readJson<{ training: { epochs: number } }>(path.join(runDir(), 'config.json')).training.epochs, 2);
      assert.equal(readJson<{ state: string; epoch: number }>(path.join(runDir(), 'status.json')).epoch, 2);
    });

    it('should refuse to extend when the lr changed, and say why, touching nothing', async () => {
      fs.writeFileSync(file(), configText({ epochs: 3, lr: 0.1 }));
      const status = fs.readFileSync(path.join(runDir(), 'status.json'), 'utf8');
      const messages = spyOnMessages(disposer);
      const result = await run({ stale: 'extend' });
      assert.equal(result, undefined);
      assert.ok(
        messages?.some((m) => /cannot be extended: training\.lr 0\.05 → 0\.1 changed/.test(m.text)),
        JSON.stringify(messages),
      );
      assert.equal(fs.readFileSync(path.join(runDir(), 'status.json'), 'utf8'), status);
    });

    it('should retrain it from scratch with the new config', async () => {
      const result = await run({ stale: 'retrain' });
      assert.equal(result?.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result?.outcomes));
      const metrics = readJsonLines(path.join(runDir(), 'metrics.jsonl'));
      assert.deepEqual(
        metrics.map((m) => m.epoch),
        [1, 2, 3],
      );
      assert.equal(metrics[0].lr, 0.1, 'epoch 1 trained again with the new lr');
    });
  });
}
