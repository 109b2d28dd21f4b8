import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ResultsPanelState, RunResult } from './contract';
import { activateExtension, configUri, readJson, waitUntil, workspaceRoot } from './util';

const RUN_ID = 'simple-cnn-w0.25__ce__seed1';
/** A stop should take "within a second or two"; the slack is for a busy 2-core CI machine. */
const STOP_WITHIN_MS = 4000;

export function stopTests(): void {
  describe('Stop Experiment', function () {
    it('should stop a running worker within seconds and record the run as stopped', async () => {
      const statusFile = path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-long', RUN_ID, 'status.json');
      const running = Promise.resolve(vscode.commands.executeCommand<RunResult>('lossLab.runExperiment', configUri('long.losslab.json')));
      await waitUntil('the run to start training', () => (fs.existsSync(statusFile) && readJson(statusFile).state === 'running' ? true : undefined), 60_000);
      // Step-level points reach an open panel while the first epoch runs (32 steps: a point every 2).
      const api = await activateExtension();
      await vscode.commands.executeCommand('lossLab.openResults', path.dirname(path.dirname(statusFile)));
      const metricsFile = path.join(path.dirname(statusFile), 'metrics.jsonl');
      const firstEpochDone = () => fs.existsSync(metricsFile) && fs.readFileSync(metricsFile, 'utf8').trim() !== '';
      const posted = await waitUntil(
        'a step point in the results panel',
        () => {
          const state = api.resultsPanelState() as ResultsPanelState;
          return (state.stepsPosted ?? 0) > 0 ? { points: state.stepsPosted, inFirstEpoch: !firstEpochDone() } : undefined;
        },
        60_000,
      );
      assert.ok(posted.inFirstEpoch, `the first step points (${posted.points}) reached the panel only after epoch 1 ended`);
      const t0 = Date.now();
      // As the view title's Stop button does with another, idle experiment focused in the tree.
      const idle = { dir: path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-idle') };
      await vscode.commands.executeCommand('lossLab.stopExperiment', idle);
      const result = await running;
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < STOP_WITHIN_MS, `stopping took ${elapsed} ms`);
      assert.equal(result.outcomes[RUN_ID]?.state, 'stopped', JSON.stringify(result.outcomes));
      assert.equal(readJson(statusFile).state, 'stopped');
    });
  });
}
