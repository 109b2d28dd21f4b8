import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, configUri, Disposer, spyOnMessages, workspaceRoot } from './util';

/** Runs only in a workspace opened in Restricted Mode (the e2e driver's second code-server). */
export function trustTests(): void {
  describe('an untrusted workspace', function () {
    const disposer = new Disposer();
    afterEach(() => disposer.dispose());

    const resultsFolder = () => path.join(workspaceRoot(), '.losslab');

    it('should still activate the extension (limited support)', async () => {
      const api = await activateExtension();
      assert.equal(typeof api.runExperiment, 'function');
    });

    it('should refuse Run Experiment and say why', async () => {
      const messages = spyOnMessages(disposer);
      const outcome = await Promise.resolve(vscode.commands.executeCommand('lossLab.runExperiment', configUri('quick.losslab.json'))).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      assert.ok(!('value' in outcome) || outcome.value === undefined, `a refused run resolved with ${JSON.stringify(outcome)}`);
      assert.equal(fs.existsSync(resultsFolder()), false, 'a refused run wrote results');
      assert.ok(messages, 'the vscode API object could not be patched to observe messages');
      assert.ok(
        messages.some((m) => /trust|restricted/i.test(m.text)),
        `no message about trust: ${JSON.stringify(messages)}`,
      );
    });

    it('should refuse runs through the API too', async () => {
      const api = await activateExtension();
      const outcome = await api.runExperiment(configUri('quick.losslab.json').fsPath).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      assert.ok(!('value' in outcome) || outcome.value === undefined, `a refused run resolved with ${JSON.stringify(outcome)}`);
      assert.equal(fs.existsSync(resultsFolder()), false, 'a refused run wrote results');
    });
  });
}
