/** Run Experiment, Stop Experiment, and the tree's Stop, Resume Run and Start Over on one run. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ConfigError } from '../../core/config/configError';
import { loadConfigWithPaths, type LoadedConfig } from '../../core/config/configPaths';
import type { RunSpec } from '../../core/config/types';
import { readRun, recordTitle } from '../../core/results/runReader';
import { changesText, staleInGrid } from '../../core/results/staleness';
import { diagnosticsOf } from '../config/configDiagnostics';
import { lossModuleProblems } from '../../host/lossModuleProblems';
import { moduleHostIn } from '../moduleHostPath';
import { CONFIG_GLOB, CONFIG_SUFFIX } from '../constants';
import { requireTrust, UserFacingError } from '../errors';
import { configOfExperiment } from '../../core/results/experimentConfig';
import { gridEndNotice, isKept, keptNotice } from './gridNotice';
import type { GridResult } from './gridRunner';
import { resolveGrid, type RunRequest, type StaleChoice } from '../runOptions';
import type { Services } from '../services';
import { readSettings, workspaceRootOf } from '../settings';
import { slurmRequestRefusal, withExecutorSetting } from '../slurm/schedulerText';
import { executorSetting } from '../slurm/slurmGrids';
import { Strings } from '../strings';

/** A run as the tree passes it ({experimentDir, run}), or as a test names it ({experimentDir, runId}). */
export function runRefOf(arg: unknown): { experimentDir: string; runId: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { experimentDir?: unknown; runId?: unknown; run?: { runId?: unknown } };
  const runId = a.runId ?? a.run?.runId;
  return typeof a.experimentDir === 'string' && typeof runId === 'string' ? { experimentDir: a.experimentDir, runId } : undefined;
}

export function pathOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  return undefined;
}

/** The config to run: the argument, else the experiment of the focused results panel, else the active editor's config, else one picked from the workspace. */
async function configPath(s: Services, arg: unknown): Promise<string | undefined> {
  const given = pathOf(arg);
  if (given) return path.resolve(given);
  const panel = s.panels.current;
  const shown = panel?.active ? configOfExperiment(panel.dir) : undefined;
  if (shown) return shown;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith(CONFIG_SUFFIX)) return active.fileName;
  const files = await vscode.workspace.findFiles(CONFIG_GLOB, '**/node_modules/**');
  if (files.length === 0) throw new UserFacingError(Strings.noConfigs);
  if (files.length === 1) return files[0].fsPath;
  const items = files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })).sort((a, b) => a.description.localeCompare(b.description));
  return (await vscode.window.showQuickPick(items, { placeHolder: Strings.pickConfig, matchOnDescription: true }))?.uri.fsPath;
}

/** The config with its paths resolved against the file, as the CLI loads it; its own outputDir (if written) beats the setting. */
async function loadConfig(s: Services, file: string): Promise<LoadedConfig> {
  const uri = vscode.Uri.file(file);
  // Run what the editor shows.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
  if (open?.isDirty) await open.save();
  try {
    const config = await loadConfigWithPaths(file);
    // Custom losses as each run would load them: a module that does not load or options outside its schema stop Run here, not in every worker.
    const text = await fs.promises.readFile(file, 'utf8');
    const moduleProblems = await lossModuleProblems(config.config.losses, { configFile: file, hostPath: moduleHostIn(s.context.extensionPath), text }).catch((e: unknown) => {
      throw new UserFacingError(`Loss Lab: ${e instanceof Error ? e.message : String(e)}`);
    });
    if (moduleProblems.length > 0) throw new ConfigError(file, moduleProblems);
    s.configProblems.delete(uri);
    return config;
  } catch (e) {
    if (e instanceof ConfigError) {
      // The same list the editor shows while typing (configDiagnostics.ts), published for a file that is not open too.
      s.configProblems.set(uri, diagnosticsOf(e.problems));
      s.log.warn(e.message);
      throw new UserFacingError(Strings.configProblems(path.basename(file), e.problems.length), [
        { title: 'Show Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') },
      ]);
    }
    if (e instanceof UserFacingError) throw e;
    throw new UserFacingError(Strings.configUnreadable(file, (e as Error).message));
  }
}

function announce(s: Services, result: GridResult, name: string, keptStale: number): void {
  const outcomes = Object.values(result.outcomes);
  const kept = keptNotice(outcomes.filter(isKept).length, keptStale);
  if (kept) void vscode.window.showInformationMessage(kept);
  const notice = gridEndNotice(name, outcomes, result.stopped);
  if (!notice) return;
  void vscode.window.showInformationMessage(notice, Strings.openResults).then((choice) => {
    if (choice) s.panels.show(result.experimentDir);
  });
}

/** Runs a config's grid; resolves when every run has ended. Throws UserFacingError when it cannot start. */
export async function runExperiment(s: Services, target: unknown, request: RunRequest = {}): Promise<GridResult | undefined> {
  requireTrust();
  const file = await configPath(s, target);
  if (!file) return undefined;
  if (!file.endsWith(CONFIG_SUFFIX) && !file.endsWith('.json')) throw new UserFacingError(Strings.notAConfig(file));
  const { config, outputDir } = await loadConfig(s, file);
  const grid = resolveGrid(config, workspaceRootOf(file), readSettings(vscode.Uri.file(file)), request, outputDir);
  if (s.grids.isRunning(grid.experimentDir)) throw new UserFacingError(Strings.alreadyRunning(config.name));
  const onSlurm = withExecutorSetting(grid.config, executorSetting(vscode.Uri.file(file)));
  if (onSlurm.executor?.type === 'slurm') {
    // Refused, not ignored: asking about stale runs first would offer what cannot be done.
    const refusal = slurmRequestRefusal(request, Boolean(grid.config.search));
    if (refusal) throw new UserFacingError(refusal);
    return submitToSlurm(s, { ...grid, config: onSlurm }, file, request);
  }
  const stale = await staleRunsPolicy(grid.experimentDir, grid.runs, config.name, request.stale);
  if (!stale) return undefined;
  const stalePolicy = stale.policy;
  const done = s.grids.run({
    name: config.name,
    experimentDir: grid.experimentDir,
    runs: grid.runs,
    parallel: grid.parallel,
    restart: request.restart ?? false,
    ...(stalePolicy.size > 0 ? { stalePolicy } : {}),
    manifest: { config: grid.config, configPath: file },
  });
  s.known.add(grid.experimentDir);
  s.watcher.watchExperiment(grid.experimentDir);
  s.progress.track(path.resolve(grid.experimentDir), config.name, done);
  if (request.openPanel !== false) s.panels.show(grid.experimentDir);
  const result = await done;
  announce(s, result, config.name, stale.kept);
  return result;
}

/**
 * Runs of the grid trained with another config (core/results/staleness.ts): asks whether to extend them (more
 * epochs, where the schedule allows), retrain them or keep them, unless the request says. Returns each stale run's
 * policy (empty: keep them, or none) and how many were kept by choice, or undefined when the person cancelled.
 */
async function staleRunsPolicy(experimentDir: string, runs: RunSpec[], name: string, given?: StaleChoice): Promise<{ policy: Map<string, 'extend' | 'restart'>; kept: number } | undefined> {
  const stale = staleInGrid(experimentDir, runs);
  if (stale.length === 0) return { policy: new Map(), kept: 0 };
  const blocked = stale.find((r) => r.cannotExtend);
  let choice = given;
  if (!choice) {
    const changes = changesText([...new Map(stale.flatMap((r) => r.changes).map((c) => [`${c.field}${JSON.stringify(c.was)}`, c])).values()]);
    const actions = [...(blocked ? [] : [Strings.extend]), Strings.retrain, Strings.keep];
    const answer = await vscode.window.showWarningMessage(Strings.staleQuestion(stale.length, name, changes), { modal: true, detail: Strings.staleDetail(blocked?.cannotExtend) }, ...actions);
    choice = answer === Strings.extend ? 'extend' : answer === Strings.retrain ? 'retrain' : answer === Strings.keep ? 'keep' : undefined;
    if (!choice) return undefined;
  }
  if (choice === 'keep') return { policy: new Map(), kept: stale.length };
  if (choice === 'extend' && blocked) throw new UserFacingError(Strings.cannotExtend({ runId: blocked.runId, spec: runs.find((r) => r.runId === blocked.runId) }, blocked.cannotExtend!));
  return { policy: new Map(stale.map((r) => [r.runId, choice === 'extend' ? 'extend' : 'restart'])), kept: 0 };
}

/**
 * Submits the grid's unfinished runs as one SLURM job array and returns: SLURM runs it, the
 * tree and status bar follow it (slurmGrids.ts), and Stop Experiment cancels it.
 */
async function submitToSlurm(s: Services, grid: ReturnType<typeof resolveGrid>, file: string, request: RunRequest): Promise<GridResult> {
  let submitted;
  try {
    submitted = await s.slurm.submit({ config: grid.config, runs: grid.runs, experimentDir: grid.experimentDir, configPath: file });
  } catch (e) {
    throw new UserFacingError(`Loss Lab: ${(e as Error).message}`);
  }
  s.known.add(grid.experimentDir);
  s.tree.refresh();
  if (request.openPanel !== false) s.panels.show(grid.experimentDir);
  const skipped = submitted.skipped.length ? ` (${submitted.skipped.length} already done or queued)` : '';
  void vscode.window.showInformationMessage(
    submitted.jobId
      ? `Loss Lab: submitted ${submitted.submitted.length} runs of '${grid.config.name}' as SLURM job array ${submitted.jobId}${skipped}.`
      : `Loss Lab: nothing to submit for '${grid.config.name}'${skipped}.`,
  );
  return { experimentDir: grid.experimentDir, outcomes: {}, stopped: false };
}

/** Stops the given experiment's grid (a SLURM one: scancel); without one, the only running grid or one picked. */
export async function stopExperiment(s: Services, target: unknown): Promise<boolean> {
  const given = pathOf(target) ?? runRefOf(target)?.experimentDir ?? (target as { dir?: string } | undefined)?.dir;
  const running = [...s.grids.runningExperiments, ...s.slurm.activeExperiments];
  // The view title's button passes the focused tree item, which may be an idle experiment: then
  // it stops what runs, as the palette command does.
  if (given && running.includes(given)) return s.slurm.isActive(given) ? s.slurm.cancel(given) : s.grids.stop(given);
  if (running.length === 0) {
    void vscode.window.showInformationMessage(Strings.nothingRunning);
    return false;
  }
  const dir = running.length === 1 ? running[0] : (await vscode.window.showQuickPick(running.map((d) => ({ label: path.basename(d), description: d, dir: d }))))?.dir;
  if (dir && s.slurm.isActive(dir)) return s.slurm.cancel(dir);
  return dir ? s.grids.stop(dir) : false;
}

export function stopRun(s: Services, target: unknown): boolean {
  const ref = runRefOf(target);
  if (!ref) return false;
  if (s.slurm.isActive(ref.experimentDir)) {
    void s.slurm.cancel(ref.experimentDir, [ref.runId]);
    return true;
  }
  if (s.grids.stopRun(ref.experimentDir, ref.runId)) return true;
  void vscode.window.showInformationMessage(Strings.runNotActive(readRun(path.join(ref.experimentDir, ref.runId))));
  return false;
}

/** The run's own files (status.json, config.json, the checkpoint) are damaged: it cannot resume, only start over. */
function isDamaged(record: ReturnType<typeof readRun>): boolean {
  return (record.unreadable?.length ?? 0) > 0 || (record.status?.state === 'failed' && / is damaged[ :(]/.test(record.status.reason ?? ''));
}

/** Trains one run of an experiment that is not running: from its last finished epoch, or from scratch (`restart`). */
function trainOneRun(s: Services, ref: { experimentDir: string; runId: string }, record: ReturnType<typeof readRun>, restart: boolean): Promise<GridResult> {
  if (!record.spec) throw new UserFacingError(Strings.cannotRerun(record));
  if (s.grids.isRunning(ref.experimentDir)) throw new UserFacingError(Strings.alreadyRunning(path.basename(ref.experimentDir)));
  const settings = readSettings();
  const spec = settings.defaultBackend === 'auto' ? record.spec : { ...record.spec, backend: settings.defaultBackend };
  const done = s.grids.run({ name: path.basename(ref.experimentDir), experimentDir: ref.experimentDir, runs: [spec], parallel: 1, restart });
  s.progress.track(path.resolve(ref.experimentDir), recordTitle(record), done);
  s.panels.show(ref.experimentDir);
  return done;
}

/** Resume Run: trains a stopped or failed run on from its last finished epoch (its checkpoint). */
export async function resumeRun(s: Services, target: unknown): Promise<GridResult | undefined> {
  requireTrust();
  const ref = runRefOf(target);
  if (!ref) return undefined;
  const record = readRun(path.join(ref.experimentDir, ref.runId));
  if (record.status?.state === 'done') throw new UserFacingError(Strings.cannotResumeDone(record));
  if (isDamaged(record)) throw new UserFacingError(Strings.cannotResumeDamaged(record));
  return trainOneRun(s, ref, record, false);
}

/** Start Over: after a confirmation (tests pass `confirmed` = true), deletes the run's results and trains it from epoch 1. */
export async function startOver(s: Services, target: unknown, confirmed?: unknown): Promise<GridResult | undefined> {
  requireTrust();
  const ref = runRefOf(target);
  if (!ref) return undefined;
  const record = readRun(path.join(ref.experimentDir, ref.runId));
  if (!record.spec) throw new UserFacingError(Strings.cannotRerun(record));
  if (confirmed !== true) {
    const answer = await vscode.window.showWarningMessage(Strings.confirmStartOver(recordTitle(record)), { modal: true }, Strings.startOverAction);
    if (answer !== Strings.startOverAction) return undefined;
  }
  return trainOneRun(s, ref, record, true);
}
