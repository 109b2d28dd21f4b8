/** What the command handlers share; created once in activate(). */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { ExperimentsTree } from './tree/experimentsTree';
import type { GridRunner } from './run/gridRunner';
import type { PanelHost } from './results/panelHost';
import type { ProgressUi } from './run/progressUi';
import type { ResultsWatcher } from './results/resultsWatcher';
import type { SlurmGrids } from './slurm/slurmGrids';
import type { TensorboardServers } from './results/openTensorboard';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  grids: GridRunner;
  watcher: ResultsWatcher;
  panels: PanelHost;
  progress: ProgressUi;
  configProblems: vscode.DiagnosticCollection;
  known: KnownExperiments;
  /** The Loss Lab view; its experiments() are the folders Open Results offers. */
  tree: ExperimentsTree;
  /** Grids submitted to SLURM (lossLab.executor or the config's executor). */
  slurm: SlurmGrids;
  /** TensorBoard servers started by Open in TensorBoard, stopped with the extension. */
  tensorboards: TensorboardServers;
}

const KNOWN_KEY = 'lossLab.knownExperiments';

/** Experiment folders outside the results roots that were run or opened here, remembered per workspace. */
export class KnownExperiments {
  constructor(private readonly state: vscode.Memento) {}

  all(): string[] {
    return this.state.get<string[]>(KNOWN_KEY, []);
  }

  add(dir: string): void {
    const all = this.all();
    const resolved = path.resolve(dir);
    if (!all.includes(resolved)) void this.state.update(KNOWN_KEY, [...all, resolved]);
  }
}
