/** The Loss Lab view: experiment folders and their runs, with live state and final accuracy. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runDescription, shortRunLabels } from '../../protocol/runText';
import type { RunView, RunViewState } from '../../protocol/webview';
import { Command } from '../constants';
import { listExperiments } from '../../core/results/experimentList';
import { progressPercent, runCountText } from '../run/gridProgress';
import type { GridRunner } from '../run/gridRunner';
import type { ResultsWatcher } from '../results/resultsWatcher';
import { readSnapshot } from '../../host/experimentSnapshot';
import type { ExecutorRunStatus } from '../../host/executor';
import { schedulerText } from '../slurm/schedulerText';

/** What an executor other than local workers (SLURM) knows about an experiment's runs. */
export interface SchedulerView {
  isActive(experimentDir: string): boolean;
  states(experimentDir: string): Map<string, ExecutorRunStatus> | undefined;
}

export interface ExperimentNode {
  kind: 'experiment';
  dir: string;
}

export interface RunNode {
  kind: 'run';
  experimentDir: string;
  run: RunView;
  /** The short name shown (loss, its parameters, seed); the run id goes in the tooltip. */
  label: string;
}

export type TreeNode = ExperimentNode | RunNode;

const STATE_ICONS: Record<RunViewState, vscode.ThemeIcon> = {
  'not-started': new vscode.ThemeIcon('circle-large-outline'),
  queued: new vscode.ThemeIcon('clock'),
  running: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  stopped: new vscode.ThemeIcon('debug-stop', new vscode.ThemeColor('testing.iconSkipped')),
};

/** A finished run whose config no longer matches the experiment's: its results answer another question. */
const ENDED = new Set<RunViewState>(['done', 'failed', 'stopped']);
const STALE_ICON = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));

export class ExperimentsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  readonly onDidChangeTreeData = this.emitter.event;
  /** SLURM grids (extension/slurm/slurmGrids.ts); none until main.ts sets it. */
  scheduler: SchedulerView | undefined;

  constructor(
    private readonly roots: () => string[],
    private readonly extra: () => Iterable<string>,
    private readonly grids: GridRunner,
    watcher: ResultsWatcher,
  ) {
    this.disposables.push(watcher.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  experiments(): string[] {
    return listExperiments(this.roots(), [...this.extra(), ...this.grids.runningExperiments]);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.experiments().map((dir) => ({ kind: 'experiment', dir }));
    if (node.kind === 'run') return [];
    const runs = readSnapshot(node.dir, this.grids.live(node.dir)).runs;
    const labels = shortRunLabels(runs);
    return runs.map(({ metrics: _m, logits: _l, weightNorms: _w, ...run }) => ({
      kind: 'run',
      experimentDir: node.dir,
      run,
      label: labels.get(run.runId) ?? run.runId,
    }));
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.kind === 'experiment' ? this.experimentItem(node) : this.runItem(node);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  private experimentItem(node: ExperimentNode): vscode.TreeItem {
    const onScheduler = this.scheduler?.isActive(node.dir) ?? false;
    const running = this.grids.isRunning(node.dir) || onScheduler;
    const item = new vscode.TreeItem(path.basename(node.dir), running ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `experiment:${node.dir}`;
    item.resourceUri = vscode.Uri.file(node.dir);
    item.iconPath = new vscode.ThemeIcon(running ? 'beaker~spin' : 'beaker');
    item.contextValue = running ? 'experiment.running' : 'experiment';
    const progress = this.grids.progress(node.dir);
    item.description = progress ? `${runCountText(progress.counts, progress.total)} · ${progressPercent(progress.fraction)}%` : '';
    if (onScheduler) item.description = `SLURM · ${[...(this.scheduler?.states(node.dir)?.values() ?? [])].filter((s) => s.state === 'done').length} done`;
    item.tooltip = node.dir;
    item.command = { command: Command.OpenResults, title: 'Open Results', arguments: [node.dir] };
    return item;
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const { run } = node;
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${node.experimentDir}/${run.runId}`;
    item.description = run.stale ? `stale · ${runDescription(run)}` : runDescription(run);
    item.iconPath = run.stale && run.state === 'done' ? STALE_ICON : STATE_ICONS[run.state];
    // `.stale` lets the menus tell a stale run from a current one (package.json view/item/context).
    item.contextValue = `run.${run.state}${run.stale && ENDED.has(run.state) ? '.stale' : ''}`;
    const scheduled = this.scheduler?.states(node.experimentDir)?.get(run.runId);
    if (scheduled && scheduled.state !== 'done') {
      // SLURM knows what the files cannot: queued and why, the node, how the task ended.
      item.description = [schedulerText(scheduled), `${scheduled.epoch}/${scheduled.epochs} epochs`, item.description].filter(Boolean).join(' · ');
      if (scheduled.state === 'pending') item.iconPath = STATE_ICONS.queued;
      if (scheduled.state === 'running') item.iconPath = STATE_ICONS.running;
      if (scheduled.state === 'pending' || scheduled.state === 'running') item.contextValue = `run.${scheduled.state === 'pending' ? 'queued' : 'running'}`;
    }
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${run.runId}**\n\n`);
    tooltip.appendText(`${run.modelLabel} · ${run.lossLabel} · seed ${run.seed}${run.datasetLabel ? ` · ${run.datasetLabel}` : ''}\n`);
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(`State: ${runDescription(run)}`);
    if (run.stale) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(`Stale: ${run.stale}. Run the experiment to extend or retrain it.`);
    }
    if (run.reason) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(`Reason: ${run.reason}`);
    }
    if (scheduled) {
      tooltip.appendMarkdown('\n\n');
      tooltip.appendText(`SLURM: ${schedulerText(scheduled)}${scheduled.jobId ? ` (task ${scheduled.jobId})` : ''}`);
    }
    item.tooltip = tooltip;
    item.command = { command: Command.OpenRun, title: 'Open Run', arguments: [node] };
    return item;
  }
}
