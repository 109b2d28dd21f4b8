/**
 * The results panel: one webview showing one experiment folder. It posts nothing until
 * the page says `ready`, then `init` with the whole experiment, then only what changed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StepPoint } from '../core/results/types';
import { parseFromWebview, type ExportFormat, type FromWebview, type ToWebview } from '../protocol/webview';
import { Command, RESULTS_VIEW_TYPE } from './constants';
import type { GridRunner } from './gridRunner';
import { PanelSync } from './panelSync';
import { makeNonce, resultsHtml } from './resultsHtml';
import type { ResultsWatcher } from './resultsWatcher';
import { readSnapshot } from '../host/experimentSnapshot';
import { StepsCache } from '../core/results/stepsCache';
import { Strings } from './strings';
import { renderTable } from './tableExport';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  grids: GridRunner;
  watcher: ResultsWatcher;
  log: vscode.LogOutputChannel;
}

/** What integration tests can ask about the panel (the API's resultsPanelState). */
export interface ResultsPanelState {
  open: boolean;
  experimentDir?: string;
  ready: boolean;
  visible: boolean;
  /** It has the focus. */
  active: boolean;
  messagesPosted: number;
  epochsPosted: number;
  /** Step-level points posted (in `init` snapshots and `step` messages). */
  stepsPosted: number;
  runs: { runId: string; stateText: string }[];
  tableRows: number;
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class ResultsPanel implements vscode.Disposable {
  private readonly sync = new PanelSync();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;
  private ready = false;
  private selection: string[] | undefined;
  private posted = { messages: 0, epochs: 0, steps: 0 };
  private runs: { runId: string; stateText: string }[] = [];
  private tableRows = 0;
  /** Runs shown as running at the last read: the ones whose steps.jsonl can grow. */
  private training: string[] = [];
  /** Each full read parses only the steps.jsonl files that changed (a big grid's are most of its bytes). */
  private readonly stepsCache = new StepsCache();

  static create(deps: PanelDeps, experimentDir: string, column: vscode.ViewColumn): ResultsPanel {
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, Strings.panelTitle, { viewColumn: column, preserveFocus: true }, panelOptions(deps.extensionUri));
    return new ResultsPanel(panel, deps, experimentDir);
  }

  /** Adopts a panel VS Code restored after a reload (the serializer's). */
  static revive(panel: vscode.WebviewPanel, deps: PanelDeps, experimentDir: string, selection?: string[]): ResultsPanel {
    panel.webview.options = panelOptions(deps.extensionUri);
    const revived = new ResultsPanel(panel, deps, experimentDir);
    revived.selection = selection;
    return revived;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private experimentDir: string,
  ) {
    const webview = panel.webview;
    const asUri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...parts)).toString();
    // The activity-bar icon draws in currentColor, which an editor tab does not provide.
    panel.iconPath = { light: vscode.Uri.joinPath(deps.extensionUri, 'media', 'loss-lab-light.svg'), dark: vscode.Uri.joinPath(deps.extensionUri, 'media', 'loss-lab-dark.svg') };
    webview.html = resultsHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asUri('dist', 'webview.js'), styleUri: asUri('media', 'results.css') });
    deps.watcher.watchExperiment(experimentDir);
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      deps.watcher.onDidChange((dir) => dir === path.resolve(this.experimentDir) && this.refresh()),
      // Step points of a CLI or SLURM run arrive through steps.jsonl; a grid of this window's sends them live.
      deps.watcher.onDidLogSteps((dir) => dir === path.resolve(this.experimentDir) && this.refreshSteps()),
      deps.grids.onDidLogStep((e) => e.experimentDir === path.resolve(this.experimentDir) && this.postStep(e.runId, e.point)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get dir(): string {
    return this.experimentDir;
  }

  /** The panel has the focus (Run Experiment then runs the experiment it shows). */
  get active(): boolean {
    return this.panel.active;
  }

  /** Shows `experimentDir` (switching the panel to it if needed) and brings the panel forward. */
  show(experimentDir: string, selection?: string[]): void {
    if (path.resolve(experimentDir) !== path.resolve(this.experimentDir)) {
      this.experimentDir = experimentDir;
      this.stepsCache.clear();
      this.deps.watcher.watchExperiment(experimentDir);
      if (this.ready) this.postInit();
    }
    if (selection) this.select(selection);
    this.panel.reveal(undefined, true);
  }

  select(runIds: string[]): void {
    this.selection = runIds;
    if (this.ready) this.post({ type: 'select', runIds });
  }

  state(): ResultsPanelState {
    return {
      open: true,
      experimentDir: this.experimentDir,
      ready: this.ready,
      visible: this.panel.visible,
      active: this.panel.active,
      messagesPosted: this.posted.messages,
      epochsPosted: this.posted.epochs,
      stepsPosted: this.posted.steps,
      runs: this.runs,
      tableRows: this.tableRows,
    };
  }

  dispose(): void {
    const listeners = this.disposables.splice(0);
    if (listeners.length === 0) return;
    for (const d of listeners) d.dispose();
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  private snapshot() {
    const snapshot = readSnapshot(this.experimentDir, this.deps.grids.live(this.experimentDir), { steps: this.stepsCache.read });
    this.runs = snapshot.runs.map((r) => ({ runId: r.runId, stateText: r.stateText }));
    this.training = snapshot.runs.filter((r) => r.state === 'running').map((r) => r.runId);
    this.tableRows = snapshot.table.rows.length;
    return snapshot;
  }

  private postInit(): void {
    this.post(this.sync.init(this.snapshot()));
    if (this.selection) this.post({ type: 'select', runIds: this.selection });
  }

  private refresh(): void {
    if (!this.ready) return;
    for (const msg of this.sync.update(this.snapshot())) this.post(msg);
  }

  /** A run logged step points: reads steps.jsonl of the runs training now, not the whole experiment (a done run's points do not change). */
  private refreshSteps(): void {
    if (!this.ready) return;
    const messages: ToWebview[] = [];
    for (const runId of this.training) {
      const fresh = this.sync.steps(runId, this.stepsCache.read(path.join(this.experimentDir, runId), []));
      if (!fresh) return this.refresh(); // rewritten by a resume or restart
      messages.push(...fresh);
    }
    for (const msg of messages) this.post(msg);
  }

  private postStep(runId: string, point: StepPoint): void {
    if (!this.ready) return;
    for (const msg of this.sync.step(runId, point)) this.post(msg);
  }

  private post(msg: ToWebview): void {
    this.posted.messages += 1;
    if (msg.type === 'epoch') this.posted.epochs += 1;
    if (msg.type === 'step') this.posted.steps += 1;
    if (msg.type === 'init') this.posted.epochs += msg.snapshot.runs.reduce((a, r) => a + r.metrics.length, 0);
    if (msg.type === 'init') this.posted.steps += msg.snapshot.runs.reduce((a, r) => a + (r.steps?.length ?? 0), 0);
    void this.panel.webview.postMessage(msg);
  }

  private onMessage(raw: unknown): void {
    const msg = parseFromWebview(raw);
    if (!msg) {
      this.deps.log.warn(Strings.log.ignoredMessage('results panel', JSON.stringify(raw)?.slice(0, 200) ?? String(raw)));
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.postInit();
        return;
      case 'export':
        void this.export(msg.requestId, msg.format);
        return;
      case 'copy':
        void this.copy(msg.requestId, msg.format);
        return;
      case 'log':
        this.deps.log[msg.level](Strings.log.webview(msg.level, msg.message));
        return;
      default:
        this.unexpected(msg);
    }
  }

  private unexpected(msg: never): void {
    this.deps.log.warn(Strings.log.ignoredMessage('results panel', JSON.stringify(msg as FromWebview).slice(0, 200)));
  }

  private async export(requestId: number, format: ExportFormat): Promise<void> {
    try {
      const file = await vscode.commands.executeCommand<string | undefined>(Command.ExportTable, this.experimentDir, format);
      this.post({ type: 'notice', requestId, ok: file !== undefined, message: file ? Strings.exported(file) : Strings.saveCancelled });
    } catch (e) {
      this.post({ type: 'notice', requestId, ok: false, message: (e as Error).message });
    }
  }

  private async copy(requestId: number, format: ExportFormat): Promise<void> {
    try {
      await vscode.env.clipboard.writeText(renderTable(this.experimentDir, format));
      this.post({ type: 'notice', requestId, ok: true, message: Strings.copied(Strings.formats[format]) });
    } catch (e) {
      this.post({ type: 'notice', requestId, ok: false, message: (e as Error).message });
    }
  }
}
