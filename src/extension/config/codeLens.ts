/** "▶ Run Experiment" (and "Open Results" once the experiment has some) at the top of each config. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { resolveConfigPath } from '../../core/config/configPaths';
import { experimentDirOf } from '../../core/results/paths';
import { Command } from '../constants';
import { resultsRoot } from '../runOptions';
import { readSettings, workspaceRootOf } from '../settings';

/** The config's results folder, from its text as it stands (no validation: the lens must not flicker). */
function lensExperimentDir(document: vscode.TextDocument): string | undefined {
  try {
    const json = JSON.parse(document.getText()) as { name?: unknown; outputDir?: unknown };
    if (typeof json.name !== 'string' || json.name === '') return undefined;
    const outputDir = typeof json.outputDir === 'string' ? resolveConfigPath(json.outputDir, document.uri.fsPath) : undefined;
    const root = resultsRoot(workspaceRootOf(document.uri.fsPath), readSettings(document.uri), outputDir);
    return experimentDirOf(root, json.name); // throws on a name that escapes the folder
  } catch {
    return undefined;
  }
}

export class ConfigCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Asks VS Code for the lenses again (the workspace became trusted). */
  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    // Running forks a worker on the workspace's data: offered only where the workspace is trusted, like every Run menu.
    const lenses = vscode.workspace.isTrusted ? [new vscode.CodeLens(top, { title: '▶ Run Experiment', command: Command.RunExperiment, arguments: [document.uri] })] : [];
    const dir = lensExperimentDir(document);
    if (dir && fs.existsSync(dir)) lenses.push(new vscode.CodeLens(top, { title: 'Open Results', command: Command.OpenResults, arguments: [dir] }));
    return lenses;
  }
}
