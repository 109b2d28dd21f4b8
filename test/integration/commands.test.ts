import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { COMMANDS, EXTENSION_ID } from './contract';
import { activateExtension } from './util';

export function commandTests(): void {
  describe('Loss Lab commands', () => {
    it('should activate and return its API', async () => {
      const api = await activateExtension();
      assert.equal(typeof api.runExperiment, 'function');
      assert.equal(typeof api.stopAll, 'function');
      assert.equal(typeof api.resultsPanelState, 'function');
    });

    it('should register every command', async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = COMMANDS.filter((id) => !registered.has(id));
      assert.deepEqual(missing, []);
    });

    it('should list every command under the Loss Lab category', () => {
      const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes?.commands ?? []) as { command: string; category?: string }[];
      for (const id of COMMANDS) {
        const entry = contributed.find((c) => c.command === id);
        assert.ok(entry, `${id} is not in contributes.commands`);
        assert.equal(entry.category, 'Loss Lab', id);
      }
    });

    it('should contribute its settings with their defaults', () => {
      const config = vscode.workspace.getConfiguration('lossLab');
      assert.equal(config.inspect('resultsFolder')?.defaultValue, '.losslab/runs');
      for (const key of ['parallelRuns', 'defaultBackend']) assert.ok(config.inspect(key), `lossLab.${key} is not contributed`);
      assert.equal(config.inspect('workerPath')?.defaultValue, undefined, 'the test-only worker path is no setting');
    });
  });
}
