/**
 * Grids the extension submitted to SLURM (or found submitted when the window opened): polls
 * each until none of its runs is queued or running, so the tree and the status bar can show
 * SLURM's states (PENDING and why, RUNNING on which node, COMPLETED, FAILED with its error
 * line, TIMEOUT, PREEMPTED, CANCELLED). The runs' files still drive curves and tables; SLURM
 * keeps the grid running when VS Code closes, and `slurm/jobs.json` lets a new window reattach.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { expandGrid } from '../../core/config/grid';
import type { ExperimentConfig, RunSpec } from '../../core/config/types';
import { validateConfig } from '../../core/config/validate';
import { configToRevalidate } from '../../core/search/space';
import { readJsonIfExists } from '../../core/results/atomicFile';
import { writeExperimentManifest } from '../../core/results/runSink';
import { EXPERIMENT_FILE, type ExperimentManifest } from '../../core/results/types';
import { isLive, type ExecutorRunStatus, type SubmitResult } from '../../host/executor';
import { SlurmExecutor } from '../../host/slurm/slurmExecutor';
import { readSubmissions } from '../../host/slurm/slurmJobs';
import { whichCommand } from '../../host/slurm/slurmTools';
import { SETTINGS_SECTION } from '../constants';
import { summarize, type ExecutorSetting } from './schedulerText';

/** lossLab.executor: `config` keeps the config's executor; `local` or `slurm` overrides it. */
export function executorSetting(scope?: vscode.Uri): ExecutorSetting {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<string>('executor', 'config');
  return value === 'local' || value === 'slurm' ? value : 'config';
}

const POLL_MS = 5000;

interface Watched {
  executor: SlurmExecutor;
  states: ExecutorRunStatus[];
  timer?: NodeJS.Timeout;
}

export class SlurmGrids implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly item = vscode.window.createStatusBarItem('lossLab.slurm', vscode.StatusBarAlignment.Left, 9);
  /** Fires with an experiment folder whenever its SLURM states change. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly cliPath: () => string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'Loss Lab SLURM';
    this.item.command = 'lossLab.openResults';
  }

  private executorFor(experimentDir: string, config: ExperimentConfig, runs: RunSpec[] = expandGrid(config)): SlurmExecutor {
    // The extension host may be Electron; the tasks need a plain node on the nodes' PATH.
    return new SlurmExecutor({ experimentDir, config, runs, cliPath: this.cliPath(), nodePath: whichCommand('node') ?? process.execPath });
  }

  async submit(grid: { config: ExperimentConfig; runs: RunSpec[]; experimentDir: string; configPath: string }): Promise<SubmitResult> {
    writeExperimentManifest(grid.experimentDir, grid.config, grid.configPath);
    const executor = this.executorFor(grid.experimentDir, grid.config, grid.runs);
    const result = await executor.submit(grid.runs);
    this.log.info(
      `${grid.config.name}: ${result.jobId ? `submitted ${result.submitted.length} runs as SLURM job array ${result.jobId}` : 'nothing to submit'}${result.skipped.length ? ` (${result.skipped.length} skipped: ${result.skipped.map((s) => `${s.runId} ${s.why}`).join('; ')})` : ''}`,
    );
    this.watch(grid.experimentDir, executor);
    return result;
  }

  /** Follows the grids in these folders that have SLURM tasks still queued or running (a reopened window). */
  async reattach(experimentDirs: string[]): Promise<void> {
    for (const dir of experimentDirs) {
      if (this.watched.has(dir) || readSubmissions(dir).length === 0) continue;
      try {
        const manifest = readJsonIfExists<ExperimentManifest>(path.join(dir, EXPERIMENT_FILE));
        if (!manifest) continue;
        const executor = this.executorFor(dir, validateConfig(configToRevalidate(manifest.config), path.join(dir, EXPERIMENT_FILE)));
        const states = await executor.poll();
        if (states.some((s) => s.jobId && isLive(s.state))) {
          this.log.info(`${path.basename(dir)}: reattached to its SLURM tasks (${summarize(states)})`);
          this.watch(dir, executor, states);
        }
      } catch (e) {
        this.log.warn(`${dir}: cannot read its SLURM tasks: ${(e as Error).message}`);
      }
    }
  }

  isActive(experimentDir: string): boolean {
    return this.watched.has(path.resolve(experimentDir));
  }

  /** SLURM's view of each run of a watched grid (also kept after it ended, until the window closes). */
  states(experimentDir: string): Map<string, ExecutorRunStatus> | undefined {
    const w = this.watched.get(path.resolve(experimentDir)) ?? this.ended.get(path.resolve(experimentDir));
    return w ? new Map(w.states.map((s) => [s.runId, s])) : undefined;
  }

  get activeExperiments(): string[] {
    return [...this.watched.keys()];
  }

  /** scancel of the grid's queued and running tasks; finished epochs stay. */
  async cancel(experimentDir: string, runIds?: string[]): Promise<boolean> {
    const w = this.watched.get(path.resolve(experimentDir));
    if (!w) return false;
    await w.executor.cancel(runIds);
    void this.poll(path.resolve(experimentDir));
    return true;
  }

  private readonly ended = new Map<string, Watched>();

  private watch(dir: string, executor: SlurmExecutor, states: ExecutorRunStatus[] = []): void {
    const key = path.resolve(dir);
    const old = this.watched.get(key);
    if (old?.timer) clearInterval(old.timer);
    const w: Watched = { executor, states };
    w.timer = setInterval(() => void this.poll(key), POLL_MS);
    this.watched.set(key, w);
    this.ended.delete(key);
    void this.poll(key);
  }

  private async poll(key: string): Promise<void> {
    const w = this.watched.get(key);
    if (!w) return;
    try {
      const states = await w.executor.poll();
      const changed = JSON.stringify(states) !== JSON.stringify(w.states);
      w.states = states;
      if (!states.some((s) => s.jobId && isLive(s.state))) {
        clearInterval(w.timer);
        this.watched.delete(key);
        this.ended.set(key, w);
        this.log.info(`${path.basename(key)}: SLURM grid ended: ${summarize(states)}`);
      }
      if (changed || !this.watched.has(key)) {
        this.updateStatusBar();
        this.emitter.fire(key);
      }
    } catch (e) {
      this.log.warn(`${path.basename(key)}: squeue failed: ${(e as Error).message}`);
    }
  }

  private updateStatusBar(): void {
    const states = [...this.watched.values()].flatMap((w) => w.states);
    if (states.length === 0) {
      this.item.hide();
      return;
    }
    const count = (s: ExecutorRunStatus['state']) => states.filter((x) => x.state === s).length;
    this.item.text = `$(server-process) SLURM ${count('running')} running · ${count('pending')} pending · ${count('done')}/${states.length} done`;
    this.item.tooltip = [...this.watched.entries()].map(([dir, w]) => `${path.basename(dir)}: ${summarize(w.states)}`).join('\n');
    this.item.show();
  }

  dispose(): void {
    for (const w of this.watched.values()) clearInterval(w.timer);
    this.watched.clear();
    this.item.dispose();
    this.emitter.dispose();
  }
}
