/**
 * Loss Lab's VS Code extension: wires commands, the experiments view, the config CodeLens
 * and the results panel to the Scheduler. Training never happens in this process.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configOfExperiment } from '../core/results/experimentConfig';
import { parseWebviewState } from '../protocol/webview';
import { ConfigCodeLens } from './config/codeLens';
import { ConfigDiagnostics } from './config/configDiagnostics';
import { Command, CONFIG_GLOB, EXPERIMENTS_VIEW, REPORT_VIEW_TYPE, RESULTS_VIEW_TYPE, SETTINGS_SECTION } from './constants';
import { reportPanelSerializer } from './report/reportPanel';
import { reportError } from './errors';
import { ExperimentsTree } from './tree/experimentsTree';
import { runFailedNotice } from './run/gridNotice';
import { GridRunner, type GridResult, type RunEnded } from './run/gridRunner';
import { checkLoss, lossOptionsCompletion, newLoss } from './customLoss/customLoss';
import { newExperiment } from './config/newExperiment';
import { PanelHost } from './results/panelHost';
import { ProgressUi } from './run/progressUi';
import { compareExperiments, compareRuns, deleteRun, exportReport, exportTable, openReport, openResults, openRun } from './results/resultsCommands';
import { ResultsWatcher } from './results/resultsWatcher';
import { resumeRun, runExperiment, startOver, stopExperiment, stopRun } from './run/runCommands';
import { parseRunRequest, type RunRequest } from './runOptions';
import { KnownExperiments, type Services } from './services';
import { nativeEngineEnv, resultsRoots, workerPath } from './settings';
import { buildNativeEngineCommand, offerNativeBuild } from './native/nativeEngine';
import { SlurmGrids } from './slurm/slurmGrids';
import { openTensorboard, TensorboardServers } from './results/openTensorboard';
import { Strings } from './strings';

/** What activate() returns, for integration tests. */
export interface LossLabApi {
  runExperiment(configPath: string, opts?: RunRequest): Promise<GridResult>;
  stopAll(): void;
  resultsPanelState(): unknown;
}

let active: Services | undefined;

function registerCommands(s: Services): vscode.Disposable[] {
  const command = (id: Command, what: string, handler: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        reportError(s.log, what, e);
        return undefined;
      }
    });
  return [
    command(Command.RunExperiment, 'Run Experiment', (target, request) => runExperiment(s, target, parseRunRequest(request))),
    command(Command.StopExperiment, 'Stop Experiment', (target) => stopExperiment(s, target)),
    command(Command.OpenResults, 'Open Results', (target) => openResults(s, target)),
    command(Command.NewExperiment, 'New Experiment', (preset, name, folder) => newExperiment(s, preset, name, folder)),
    command(Command.CompareRuns, 'Compare Runs', (target, runIds) => compareRuns(s, target, runIds)),
    command(Command.CompareExperiments, 'Compare Experiments', (target, selected) => compareExperiments(s, target, selected)),
    command(Command.ExportTable, 'Export Table', (target, format, outFile) => exportTable(s, target, format, outFile)),
    command(Command.ExportReport, 'Export Report', (target, outDir, renderer) => exportReport(s, target, outDir, renderer)),
    command(Command.OpenReport, 'Open Report', (target) => openReport(s, target)),
    command(Command.OpenTensorboard, 'Open in TensorBoard', (target) => openTensorboard(s, target)),
    command(Command.OpenRun, 'Open Run', (target) => openRun(s, target)),
    command(Command.StopRun, 'Stop Run', (target) => stopRun(s, target)),
    command(Command.ResumeRun, 'Resume Run', (target) => resumeRun(s, target)),
    command(Command.StartOver, 'Start Over', (target, confirmed) => startOver(s, target, confirmed)),
    command(Command.DeleteRun, 'Delete Run', (target, confirmed) => deleteRun(s, target, confirmed)),
    command(Command.Refresh, 'Refresh', () => s.tree.refresh()),
    command(Command.BuildNativeEngine, 'Build Native Engine', (force) => buildNativeEngineCommand(s.log, force === true)),
    command(Command.NewLoss, 'New Loss', (name, folder) => newLoss(s, name, folder)),
    command(Command.CheckLoss, 'Check Loss', (target, options) => checkLoss(s, target, options)),
  ];
}

/** One notification per distinct failure of a grid, with the way to the full log. */
function failureNotifier(log: vscode.LogOutputChannel, grids: GridRunner): vscode.Disposable[] {
  const shown = new Map<string, Set<string>>();
  const onRunEnd = ({ experimentDir, title, result }: RunEnded) => {
    if (result.state !== 'failed') return;
    const reason = (result.message ?? result.category ?? 'unknown').split('\n')[0];
    const seen = shown.get(experimentDir) ?? new Set<string>();
    shown.set(experimentDir, seen);
    if (seen.has(reason)) return;
    seen.add(reason);
    void vscode.window.showErrorMessage(runFailedNotice(title, reason, result.category ?? ''), Strings.showLog).then((choice) => choice && log.show(true));
  };
  return [grids.onDidEndRun(onRunEnd), grids.onDidEndGrid((r) => shown.delete(r.experimentDir))];
}

export function activate(context: vscode.ExtensionContext): LossLabApi {
  const log = vscode.window.createOutputChannel(Strings.outputChannel, { log: true });
  const grids = new GridRunner(log, () => workerPath(context.extensionPath), nativeEngineEnv);
  const watcher = new ResultsWatcher(resultsRoots);
  const panels = new PanelHost({ extensionUri: context.extensionUri, grids, watcher, log });
  const known = new KnownExperiments(context.workspaceState);
  const tree = new ExperimentsTree(resultsRoots, () => known.all(), grids, watcher);
  const slurm = new SlurmGrids(() => path.join(context.extensionPath, 'dist', 'cli.js'), log);
  tree.scheduler = slurm;
  const s: Services = {
    context,
    log,
    grids,
    watcher,
    panels,
    progress: new ProgressUi(grids),
    configProblems: vscode.languages.createDiagnosticCollection(SETTINGS_SECTION),
    known,
    tree,
    slurm,
    tensorboards: new TensorboardServers(),
  };
  // Several runs or experiments can be selected for Compare Runs and Compare Experiments.
  const treeView = vscode.window.createTreeView(EXPERIMENTS_VIEW, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const showTrust = () => (treeView.message = vscode.workspace.isTrusted ? undefined : Strings.untrusted);
  showTrust();
  const lenses = new ConfigCodeLens();

  context.subscriptions.push(
    log,
    grids,
    watcher,
    panels,
    s.progress,
    s.configProblems,
    tree,
    treeView,
    grids.onDidChangeRuns((dir) => {
      watcher.notify(dir);
      void vscode.commands.executeCommand('setContext', 'lossLab.running', grids.runningExperiments.length > 0);
    }),
    slurm,
    s.tensorboards,
    slurm.onDidChange((dir) => {
      watcher.notify(dir);
      tree.refresh();
      void vscode.commands.executeCommand('setContext', 'lossLab.running', grids.runningExperiments.length + slurm.activeExperiments.length > 0);
    }),
    ...failureNotifier(log, grids),
    offerNativeBuild(grids.onNativeEngineMissing),
    lenses,
    vscode.languages.registerCodeLensProvider({ pattern: CONFIG_GLOB }, lenses),
    lossOptionsCompletion(s),
    vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        const restored = parseWebviewState(state);
        if (restored) panels.revive(panel, restored.experimentDirs ?? [restored.experimentDir], restored.selection?.length ? restored.selection : undefined);
        else panel.dispose();
      },
    }),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, reportPanelSerializer),
    new ConfigDiagnostics(s.configProblems, log, context.extensionPath),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      watcher.rewatchRoots();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => watcher.rewatchRoots()),
    // A saved edit of a config makes its finished runs stale now, in the tree and the panel alike.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      for (const dir of tree.experiments()) if (configOfExperiment(dir) === doc.uri.fsPath) watcher.notify(dir);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      showTrust();
      lenses.refresh();
    }),
    ...registerCommands(s),
  );
  active = s;
  // Experiments written outside the results folders (a config's outputDir) are watched one by one.
  for (const dir of known.all()) watcher.watchExperiment(dir);
  // A grid submitted to SLURM from an earlier window (or the CLI) may still be queued or running.
  void slurm.reattach(tree.experiments());

  return {
    runExperiment: async (configPath, opts) => {
      const result = await runExperiment(s, configPath, parseRunRequest(opts));
      if (!result) throw new Error(Strings.noConfigs);
      return result;
    },
    stopAll: () => void grids.stop(),
    resultsPanelState: () => panels.state(),
  };
}

/** Stops every worker; VS Code waits for the returned promise (each worker is killed within ~1.5 s). */
export function deactivate(): Promise<void> | undefined {
  const s = active;
  active = undefined;
  return s?.grids.stopAll();
}
