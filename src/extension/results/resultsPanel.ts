/**
 * The results panel: one webview showing one experiment folder, or several side by side
 * (Compare Experiments). It posts nothing until the page says `ready`, then `init` with
 * the whole picture, then only what changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StepPoint } from '../../core/results/types';
import { parseFromWebview, type ExportFormat, type FromWebview, type ToWebview } from '../../protocol/webview';
import { chartImageBytes, defaultChartPath } from './chartImage';
import { Command, RESULTS_SHOWN_CONTEXT, RESULTS_VIEW_TYPE } from '../constants';
import type { GridRunner } from '../run/gridRunner';
import { PanelSync } from './panelSync';
import { makeNonce, resultsHtml } from './resultsHtml';
import type { ResultsWatcher } from './resultsWatcher';
import { readPanelSnapshot } from '../../host/combinedSnapshot';
import { StepsCache } from '../../core/results/stepsCache';
import { Strings } from '../strings';
import { renderTables } from './tableExport';
import { decimateSteps } from './stepPayload';
import { collectFigures, type CapturedFigures, type FigureCollector } from '../../report/capturedFigures';

/** How often an open panel re-reads its experiments while one of their runs trains. */
const TRAINING_POLL_MS = 5000;

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
  /** Every folder shown (one, or those of Compare Experiments). */
  experimentDirs?: string[];
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
  /** The runs Compare Runs last asked the page to compare. */
  focus: string[];
}

function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
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
  /** The last comparison asked for (what state() reports); the page keeps it in its own state from then on. */
  private focused: string[] = [];
  /** A comparison asked for before the page was ready, posted after its init. */
  private pendingFocus: string[] | undefined;
  private posted = { messages: 0, epochs: 0, steps: 0 };
  private runs: { runId: string; stateText: string }[] = [];
  private tableRows = 0;
  /** Runs shown as running at the last read: the ones whose steps.jsonl can grow. */
  private training: string[] = [];
  /** Each full read parses only the steps.jsonl files that changed (a big grid's are most of its bytes). */
  private readonly stepsCache = new StepsCache();
  /** Each run's step points at the last read: what a `steps` request is answered from. */
  private stepsByRun = new Map<string, StepPoint[]>();
  /** Report drawings asked of the page, by request id. */
  private readonly reportDrawings = new Map<number, FigureCollector>();
  private reportRequests = 0;

  static create(deps: PanelDeps, experimentDirs: string[], column: vscode.ViewColumn): ResultsPanel {
    const panel = vscode.window.createWebviewPanel(RESULTS_VIEW_TYPE, Strings.panelTitle, { viewColumn: column, preserveFocus: true }, panelOptions(deps.extensionUri));
    return new ResultsPanel(panel, deps, experimentDirs);
  }

  /** Adopts a panel VS Code restored after a reload (the serializer's). */
  static revive(panel: vscode.WebviewPanel, deps: PanelDeps, experimentDirs: string[], selection?: string[]): ResultsPanel {
    panel.webview.options = panelOptions(deps.extensionUri);
    const revived = new ResultsPanel(panel, deps, experimentDirs);
    revived.selection = selection;
    return revived;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private experimentDirs: string[],
  ) {
    // Whichever way the panel opened (Run, the tree, Compare Runs, a reload), the walkthrough's "Compare the losses" is done.
    void vscode.commands.executeCommand('setContext', RESULTS_SHOWN_CONTEXT, true);
    const webview = panel.webview;
    const asUri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, ...parts)).toString();
    // The activity-bar icon draws in currentColor, which an editor tab does not provide.
    panel.title = Strings.panelTitleOf(experimentDirs.map((d) => path.basename(d)));
    panel.iconPath = { light: vscode.Uri.joinPath(deps.extensionUri, 'media', 'loss-lab-light.svg'), dark: vscode.Uri.joinPath(deps.extensionUri, 'media', 'loss-lab-dark.svg') };
    webview.html = resultsHtml({ cspSource: webview.cspSource, nonce: makeNonce(), scriptUri: asUri('dist', 'webview.js'), styleUri: asUri('media', 'results.css') });
    for (const dir of experimentDirs) deps.watcher.watchExperiment(dir);
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      // Live for every experiment shown: any of them changing refreshes the panel.
      deps.watcher.onDidChange((dir) => this.shows(dir) && this.refresh()),
      // Step points of a CLI or SLURM run arrive through steps.jsonl; a grid of this window's sends them live.
      // A Compare Experiments panel reads its folders again instead (its run ids carry the experiment's name).
      deps.watcher.onDidLogSteps((dir) => this.shows(dir) && (this.experimentDirs.length === 1 ? this.refreshSteps() : this.refresh())),
      deps.grids.onDidLogStep((e) => this.experimentDirs.length === 1 && e.experimentDir === path.resolve(this.dir) && this.postStep(e.runId, e.point)),
      panel.onDidDispose(() => this.dispose()),
      this.pollWhileTraining(),
    );
  }

  /**
   * Reads the folders again every few seconds while a shown run is training, as TensorBoard
   * reloads its logdir: file events can be missed (a busy watcher, and network file systems such
   * as a SLURM cluster's shared home deliver none). Quiet experiments are left to the watcher.
   */
  private pollWhileTraining(): vscode.Disposable {
    const timer = setInterval(() => this.training.length > 0 && this.refresh(), TRAINING_POLL_MS);
    return { dispose: () => clearInterval(timer) };
  }

  /** Whether this panel shows the experiment folder `dir` (resolved, as the watcher reports it). */
  private shows(dir: string): boolean {
    return this.experimentDirs.some((d) => path.resolve(d) === dir);
  }

  /** The experiment shown; the first of them when the panel compares several. */
  get dir(): string {
    return this.experimentDirs[0];
  }

  get dirs(): readonly string[] {
    return this.experimentDirs;
  }

  /** The page is on screen (a hidden one may not lay out what it draws) and has said `ready`. */
  get inView(): boolean {
    return this.ready && this.panel.visible;
  }

  /**
   * Export Report's figures drawn by this panel's page, out of sight, with its own chart code:
   * no webview has to open for them. Each PNG is saved in `outDir` as it arrives.
   */
  async drawReportFigures(html: string, outDir: string, timeoutMs = 120_000): Promise<CapturedFigures> {
    const requestId = ++this.reportRequests;
    const collector = collectFigures(outDir, timeoutMs, 'the results panel');
    this.reportDrawings.set(requestId, collector);
    try {
      this.post({ type: 'drawReport', requestId, html });
      return await collector.result;
    } finally {
      this.reportDrawings.delete(requestId);
    }
  }

  /** The panel has the focus (Run Experiment then runs the experiment it shows). */
  get active(): boolean {
    return this.panel.active;
  }

  /** Shows these experiment folders (switching the panel to them if needed) and brings the panel forward. */
  show(experimentDirs: string[], selection?: string[]): void {
    const key = (dirs: readonly string[]) => JSON.stringify(dirs.map((d) => path.resolve(d)));
    if (key(experimentDirs) !== key(this.experimentDirs)) {
      this.experimentDirs = [...experimentDirs];
      this.panel.title = Strings.panelTitleOf(experimentDirs.map((d) => path.basename(d)));
      this.focused = [];
      this.pendingFocus = undefined;
      this.stepsCache.clear();
      for (const dir of experimentDirs) this.deps.watcher.watchExperiment(dir);
      if (this.ready) this.postInit();
    }
    if (selection) this.select(selection);
    this.panel.reveal(undefined, true);
  }

  select(runIds: string[]): void {
    this.selection = runIds;
    if (this.ready) this.post({ type: 'select', runIds });
  }

  /** Compare Runs: the page draws these runs' curves together and their config diff. */
  focus(runIds: string[]): void {
    this.focused = runIds;
    // Posted once: the page persists it, and "Show all runs" there must not be undone by a later init.
    if (this.ready) this.post({ type: 'focus', runIds });
    else this.pendingFocus = runIds;
  }

  state(): ResultsPanelState {
    return {
      open: true,
      experimentDir: this.dir,
      experimentDirs: [...this.experimentDirs],
      ready: this.ready,
      visible: this.panel.visible,
      active: this.panel.active,
      messagesPosted: this.posted.messages,
      epochsPosted: this.posted.epochs,
      stepsPosted: this.posted.steps,
      runs: this.runs,
      tableRows: this.tableRows,
      focus: this.focused,
    };
  }

  dispose(): void {
    const listeners = this.disposables.splice(0);
    if (listeners.length === 0) return;
    for (const d of listeners) d.dispose();
    for (const drawing of this.reportDrawings.values()) drawing.fail(new Error(Strings.panelClosedWhileDrawing));
    this.panel.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }

  private snapshot() {
    const snapshot = readPanelSnapshot(this.experimentDirs, (dir) => this.deps.grids.live(dir), { steps: this.stepsCache.read });
    this.runs = snapshot.runs.map((r) => ({ runId: r.runId, stateText: r.stateText }));
    this.training = snapshot.runs.filter((r) => r.state === 'running').map((r) => r.runId);
    this.tableRows = snapshot.table.rows.length;
    this.stepsByRun = new Map(snapshot.runs.map((r) => [r.runId, r.steps ?? []]));
    return snapshot;
  }

  private postInit(): void {
    this.post(this.sync.init(this.snapshot()));
    if (this.selection) this.post({ type: 'select', runIds: this.selection });
    if (this.pendingFocus) this.post({ type: 'focus', runIds: this.pendingFocus });
    this.pendingFocus = undefined;
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
      const fresh = this.sync.steps(runId, this.stepsCache.read(path.join(this.dir, runId), []));
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
    if (msg.type === 'steps') this.posted.steps += msg.runs.reduce((a, r) => a + r.steps.length, 0);
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
      case 'saveChart':
        void this.saveChart(msg);
        return;
      case 'log':
        this.deps.log[msg.level](Strings.log.webview(msg.level, msg.message));
        return;
      case 'steps': {
        const window = msg.from !== undefined || msg.to !== undefined ? { min: msg.from ?? -Infinity, max: msg.to ?? Infinity } : undefined;
        const runs = msg.runIds.map((runId) => ({ runId, steps: decimateSteps(this.stepsByRun.get(runId) ?? [], msg.buckets, window) }));
        this.post({ type: 'steps', requestId: msg.requestId, runs });
        return;
      }
      case 'reportCapture':
        this.reportDrawings.get(msg.requestId)?.receive(msg.capture);
        return;
      default:
        this.unexpected(msg);
    }
  }

  private unexpected(msg: never): void {
    this.deps.log.warn(Strings.log.ignoredMessage('results panel', JSON.stringify(msg).slice(0, 200)));
  }

  private async export(requestId: number, format: ExportFormat): Promise<void> {
    try {
      // One folder as before; several as the list, whose combined table Export Table writes.
      const target = this.experimentDirs.length === 1 ? this.dir : [...this.experimentDirs];
      const file = await vscode.commands.executeCommand<string | undefined>(Command.ExportTable, target, format);
      this.post({ type: 'notice', requestId, ok: file !== undefined, message: file ? Strings.exported(file) : Strings.saveCancelled });
    } catch (e) {
      this.post({ type: 'notice', requestId, ok: false, message: (e as Error).message });
    }
  }

  /** A chart as PNG or SVG: where to (showSaveDialog, in the experiment folder by default), then written. */
  private async saveChart({ requestId, format, chart, data }: Extract<FromWebview, { type: 'saveChart' }>): Promise<void> {
    try {
      const bytes = chartImageBytes(format, data);
      const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(defaultChartPath(this.dir, chart, format)),
        filters: { [Strings.chartFormats[format]]: [format] },
      });
      if (!target) {
        this.post({ type: 'notice', requestId, ok: false, message: Strings.saveCancelled });
        return;
      }
      fs.mkdirSync(path.dirname(target.fsPath), { recursive: true });
      fs.writeFileSync(target.fsPath, bytes);
      this.deps.log.info(Strings.chartSaved(target.fsPath));
      this.post({ type: 'notice', requestId, ok: true, message: Strings.chartSaved(target.fsPath) });
    } catch (e) {
      this.post({ type: 'notice', requestId, ok: false, message: (e as Error).message });
    }
  }

  private async copy(requestId: number, format: ExportFormat): Promise<void> {
    try {
      await vscode.env.clipboard.writeText(renderTables(this.experimentDirs, format));
      this.post({ type: 'notice', requestId, ok: true, message: Strings.copied(Strings.formats[format]) });
    } catch (e) {
      this.post({ type: 'notice', requestId, ok: false, message: (e as Error).message });
    }
  }
}
