/**
 * One signal for "this experiment folder changed", from file watchers (runs of the CLI,
 * or any other writer) and from live worker events. Bursts are coalesced per folder.
 * Watchers cover the results folders and the experiments shown, not the whole workspace.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { experimentOfResultFile, isInside, RESULT_FILES, resultsPattern, STEP_FILE } from './watchPatterns';

const COALESCE_MS = 120;

export class ResultsWatcher implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly stepsEmitter = new vscode.EventEmitter<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly outside = new Map<string, vscode.FileSystemWatcher>();
  private roots = new Map<string, vscode.FileSystemWatcher>();
  private readonly disposables: vscode.Disposable[] = [];
  /** An experiment folder (absolute, normalised) whose results changed. */
  readonly onDidChange = this.emitter.event;
  /** An experiment folder where a run logged step points (steps.jsonl), which nothing but the results panel reads. */
  readonly onDidLogSteps = this.stepsEmitter.event;

  /** `resultsRoots`: the results folders to watch (lossLab.resultsFolder of each workspace folder); read again by `rewatchRoots`. */
  constructor(private readonly resultsRoots: () => string[] = () => []) {
    this.disposables.push(this.emitter, this.stepsEmitter);
    this.rewatchRoots();
  }

  /** Follows a change of the results folders (the setting changed, a workspace folder came or went). */
  rewatchRoots(): void {
    const next = new Map<string, vscode.FileSystemWatcher>();
    for (const root of this.resultsRoots().map((r) => path.resolve(r))) {
      const kept = this.roots.get(root);
      if (kept) {
        next.set(root, kept);
        continue;
      }
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root))?.uri.fsPath;
      const { base, glob } = resultsPattern(root, folder);
      next.set(root, this.watch(new vscode.RelativePattern(vscode.Uri.file(base), glob)));
    }
    for (const [root, watcher] of this.roots) if (!next.has(root)) watcher.dispose();
    this.roots = next;
  }

  /** Also watches an experiment folder outside the results folders (a config's outputDir, one opened with Open Results). */
  watchExperiment(experimentDir: string): void {
    const dir = path.resolve(experimentDir);
    if (this.outside.has(dir) || [...this.roots.keys()].some((root) => isInside(dir, root))) return;
    this.outside.set(dir, this.watch(new vscode.RelativePattern(vscode.Uri.file(dir), `**/${RESULT_FILES}`)));
  }

  notify(experimentDir: string): void {
    this.coalesce(this.emitter, experimentDir);
  }

  private coalesce(emitter: vscode.EventEmitter<string>, experimentDir: string): void {
    const dir = path.resolve(experimentDir);
    const key = `${emitter === this.stepsEmitter ? 'steps' : 'all'}:${dir}`;
    if (this.timers.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        emitter.fire(dir);
      }, COALESCE_MS),
    );
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const w of [...this.outside.values(), ...this.roots.values()]) w.dispose();
    this.outside.clear();
    this.roots.clear();
    for (const d of this.disposables) d.dispose();
  }

  private watch(pattern: vscode.GlobPattern): vscode.FileSystemWatcher {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onFile = (uri: vscode.Uri) => this.coalesce(path.basename(uri.fsPath) === STEP_FILE ? this.stepsEmitter : this.emitter, experimentOfResultFile(uri.fsPath));
    watcher.onDidCreate(onFile);
    watcher.onDidChange(onFile);
    watcher.onDidDelete(onFile);
    return watcher;
  }
}
