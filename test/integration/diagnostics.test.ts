import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { activateExtension, waitUntil, workspaceRoot } from './util';

/**
 * Line by line, so each problem's line is known: an unknown field (did you mean 'lr'?), a milestone after the
 * last epoch, a subset smaller than a batch, a dataset folder that does not exist.
 */
const BAD = [
  '{',
  '  "name": "e2e-diagnostics",',
  '  "dataset": { "name": "fashion-mnist", "path": "no-such-folder", "trainSubset": 64 },',
  '  "models": [{ "name": "simple-cnn", "width": 0.25 }],',
  '  "losses": [{ "name": "ce" }],',
  '  "seeds": [1],',
  '  "training": { "epochs": 2, "batchSize": 128, "lrr": 0.05, "milestones": [3] },',
  '  "backend": "wasm"',
  '}',
].join('\n');

const summary = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.map((d) => `${d.source ?? '?'} ${d.range.start.line + 1}: ${d.message}`).sort();

export function diagnosticsTests(): void {
  describe('live diagnostics of a *.losslab.json', function () {
    const file = path.join(workspaceRoot(), 'diagnostics.losslab.json');
    const syntaxFile = path.join(workspaceRoot(), 'syntax.losslab.json');
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of [file, syntaxFile]) fs.rmSync(f, { force: true });
    });

    it('should show JSON syntax errors once, from VS Code’s JSON service (which validates these files)', async () => {
      await activateExtension();
      fs.writeFileSync(syntaxFile, '{ "name": "x", }');
      const uri = vscode.Uri.file(syntaxFile);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const found = await waitUntil('the JSON service to report the trailing comma', () => {
        const d = vscode.languages.getDiagnostics(uri);
        return d.length > 0 ? d : undefined;
      });
      await new Promise((r) => setTimeout(r, 1500)); // time for a second source to report the same
      assert.equal(vscode.languages.getDiagnostics(uri).length, 1, summary(vscode.languages.getDiagnostics(uri)).join('\n'));
      assert.notEqual(found[0].source, 'Loss Lab');
    });

    it('should show each problem once, from Loss Lab, while editing and before any Run', async () => {
      fs.writeFileSync(file, BAD);
      const uri = vscode.Uri.file(file);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await waitUntil('Loss Lab’s four problems', () => (vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Loss Lab').length >= 4 ? true : undefined));
      // The JSON service validates this file too (previous test): give it time to report anything it would.
      await new Promise((r) => setTimeout(r, 2000));
      const all = vscode.languages.getDiagnostics(uri);
      const lines = summary(all);
      assert.equal(all.length, 4, lines.join('\n'));
      assert.ok(
        all.every((d) => d.source === 'Loss Lab' && d.severity === vscode.DiagnosticSeverity.Error),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /^Loss Lab 7: \/training: unknown field 'lrr', did you mean 'lr'\?/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /^Loss Lab 7: \/training\/milestones\/0: milestone 3 is after the last epoch/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => /^Loss Lab 3: \/dataset\/trainSubset: trainSubset 64 is smaller than one batch/.test(l)),
        lines.join('\n'),
      );
      assert.ok(
        lines.some((l) => l.startsWith(`Loss Lab 3: /dataset/path: dataset path ${path.join(workspaceRoot(), 'no-such-folder')} does not exist`)),
        lines.join('\n'),
      );
    });

    it('should update as the text changes, without saving', async () => {
      const uri = vscode.Uri.file(file);
      const doc = await vscode.workspace.openTextDocument(uri);
      const edit = new vscode.WorkspaceEdit();
      const start = doc.getText().indexOf('"lrr"');
      edit.replace(uri, new vscode.Range(doc.positionAt(start), doc.positionAt(start + 5)), '"lr"');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty, 'the edit is not saved');
      await waitUntil('three problems once lrr is lr', () => (vscode.languages.getDiagnostics(uri).length === 3 ? true : undefined));
    });

    it('should make Run refuse with the same problems, before writing any results', async () => {
      const uri = vscode.Uri.file(file);
      const before = summary(vscode.languages.getDiagnostics(uri));
      const outcome = await Promise.resolve(vscode.commands.executeCommand('lossLab.runExperiment', uri)).then((value) => value);
      assert.equal(outcome, undefined, 'a refused run resolved with a result');
      assert.equal(fs.existsSync(path.join(workspaceRoot(), '.losslab', 'runs', 'e2e-diagnostics')), false, 'a refused run wrote results');
      assert.deepEqual(summary(vscode.languages.getDiagnostics(uri)), before, 'Run published a different (or a second) list');
    });
  });
}
