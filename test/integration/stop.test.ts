import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunResult } from './contract';
import { configUri, readJson, waitUntil, workspaceRoot } from './util';

const RUN_ID = 'simple-cnn-w0.25__ce__seed1';
/** The issue asks for "within a second or two"; the slack is for a busy 2-core CI machine. */
const STOP_WITHIN_MS = 4000;

export function stopTests(): void {
  describe('Stop Experiment', function () {
    before(function () {
      if (!vscode.workspace.isTrusted) this.skip();
    });

    it('should stop a running worker within seconds and record the run as stopped', async () => {
      const statusFile = path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-long', RUN_ID, 'status.json');
      const running = Promise.resolve(vscode.commands.executeCommand<RunResult>('lossLab.runExperiment', configUri('long.losslab.json')));
      await waitUntil('the run to start training', () => (fs.existsSync(statusFile) && readJson(statusFile).state === 'running' ? true : undefined), 60_000);
      const t0 = Date.now();
      await vscode.commands.executeCommand('lossLab.stopExperiment');
      const result = await running;
      const elapsed = Date.now() - t0;
      assert.ok(elapsed < STOP_WITHIN_MS, `stopping took ${elapsed} ms`);
      assert.equal(result.outcomes[RUN_ID]?.state, 'stopped', JSON.stringify(result.outcomes));
      assert.equal(readJson(statusFile).state, 'stopped');
    });
  });
}
