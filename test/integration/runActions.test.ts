import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { RunResult } from './contract';
import { Disposer, readJson, readJsonLines, runExperiment, spyOnMessages } from './util';

const RUN_ID = 'simple-cnn-w0.25__ce__seed1';

/** The tree's Resume Run and Start Over on one run. */
export function runActionTests(): void {
  describe('Resume Run and Start Over', function () {
    const disposer = new Disposer();
    afterEach(() => disposer.dispose());
    let experimentDir: string;

    before(async function () {
      const result = await runExperiment('single.losslab.json');
      assert.equal(result.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result.outcomes));
      experimentDir = result.experimentDir;
    });

    it('should register both commands and no longer the ambiguous Rerun', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      assert.ok(registered.has('lossLab.resumeRun') && registered.has('lossLab.startOver'));
      assert.ok(!registered.has('lossLab.rerun'));
    });

    it('should not resume a done run, and say to Start Over instead', async () => {
      const statusFile = path.join(experimentDir, RUN_ID, 'status.json');
      const before = fs.readFileSync(statusFile, 'utf8');
      const messages = spyOnMessages(disposer);
      const outcome = await vscode.commands.executeCommand('lossLab.resumeRun', { experimentDir, runId: RUN_ID });
      assert.equal(outcome, undefined);
      assert.equal(fs.readFileSync(statusFile, 'utf8'), before, 'the run was touched');
      assert.ok(
        messages?.some((m) => /is done; there is nothing to resume\. Use Start Over/.test(m.text)),
        JSON.stringify(messages),
      );
    });

    it('should Start Over a done run: its results deleted, trained again from epoch 1', async () => {
      const dir = path.join(experimentDir, RUN_ID);
      const before = readJson<{ updatedAt: string }>(path.join(dir, 'status.json')).updatedAt;
      // A metrics line of an epoch that no training wrote: gone when the results are deleted, kept by a resume.
      fs.appendFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 2, marker: true })}\n`);
      const result = await vscode.commands.executeCommand<RunResult>('lossLab.startOver', { experimentDir, runId: RUN_ID }, true);
      assert.equal(result?.outcomes[RUN_ID]?.state, 'done', JSON.stringify(result?.outcomes));
      const status = readJson<{ state: string; updatedAt: string }>(path.join(dir, 'status.json'));
      assert.equal(status.state, 'done');
      assert.ok(status.updatedAt > before, `status.json not rewritten (${status.updatedAt} ≤ ${before})`);
      assert.deepEqual(
        readJsonLines(path.join(dir, 'metrics.jsonl')).map((m) => m.epoch),
        [1],
      );
    });
  });
}
