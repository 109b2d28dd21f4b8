/**
 * One signal for "this experiment folder changed", from file watchers (runs of the CLI,
 * or any other writer) and from live worker events. Bursts are coalesced per folder.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

const RESULT_FILES = '{status.json,metrics.jsonl,summary.json,logits.json,weight-norms.json,experiment.json}';
const COALESCE_MS = 120;

/** `<experiment>/experiment.json` or `<experiment>/<run>/<file>` → `<experiment>`. */
export function experimentDirOf(file: string): string {
  const dir = path.dirname(file);
  return path.basename(file) === 'experiment.json' ? dir : path.dirname(dir);
}

export class ResultsWatcher implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly outside = new Map<string, vscode.FileSystemWatcher>();
  private readonly disposables: vscode.Disposable[] = [];
  /** An experiment folder (absolute, normalised) whose results changed. */
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.disposables.push(this.emitter, this.watch(`**/${RESULT_FILES}`));
  }

  /** Also watches a folder outside the workspace (one opened with Open Results). */
  watchExperiment(experimentDir: string): void {
    const dir = path.resolve(experimentDir);
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir)) !== undefined;
    if (inWorkspace || this.outside.has(dir)) return;
    this.outside.set(dir, this.watch(new vscode.RelativePattern(vscode.Uri.file(dir), `**/${RESULT_FILES}`)));
  }

  notify(experimentDir: string): void {
    const dir = path.resolve(experimentDir);
    if (this.timers.has(dir)) return;
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        this.emitter.fire(dir);
      }, COALESCE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const w of this.outside.values()) w.dispose();
    this.outside.clear();
    for (const d of this.disposables) d.dispose();
  }

  private watch(pattern: vscode.GlobPattern): vscode.FileSystemWatcher {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onFile = (uri: vscode.Uri) => this.notify(experimentDirOf(uri.fsPath));
    watcher.onDidCreate(onFile);
    watcher.onDidChange(onFile);
    watcher.onDidDelete(onFile);
    return watcher;
  }
}
