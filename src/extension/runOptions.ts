/**
 * How settings, the config and a caller's options combine into one grid to run.
 * Precedence, highest first:
 *   backend:  caller option > lossLab.defaultBackend (when not 'auto') > config.backend
 *   parallel: caller option > lossLab.parallelRuns (when > 0) > config.parallelRuns > one run per
 *             `threads` cores on wasm/cpu, 1 on GPU backends (src/host/parallelism.ts)
 *   results:  outputDir written in the config file > lossLab.resultsFolder; relative paths resolve
 *             against the workspace folder (validation fills outputDir's default, so the caller passes
 *             the file's own value)
 * No vscode here.
 */
import * as path from 'node:path';
import { expandGrid } from '../core/config/grid';
import type { BackendName, ExperimentConfig, RunSpec } from '../core/config/types';
import { DEFAULT_RESULTS_ROOT, experimentDirOf } from '../core/results/paths';
import { resolveParallelRuns } from '../host/parallelism';

import { BACKEND_NAMES } from '../core/backend/backendNames';

export const BACKENDS: readonly BackendName[] = BACKEND_NAMES;

/** Who draws Export Report's PNGs: headless Chromium where it can be driven, else a webview. */
export const FIGURE_RENDERERS = ['auto', 'chromium', 'webview'] as const;
export type FigureRenderer = (typeof FIGURE_RENDERERS)[number];
/** lossLab.resultsPanels: a panel per experiment, or one panel switched to whatever is opened. */
export const PANEL_MODES = ['perExperiment', 'single'] as const;
export type PanelMode = (typeof PANEL_MODES)[number];

export interface LossLabSettings {
  defaultBackend: BackendName;
  resultsFolder: string;
  parallelRuns: number;
}

export const DEFAULT_SETTINGS: LossLabSettings = { defaultBackend: 'auto', resultsFolder: DEFAULT_RESULTS_ROOT, parallelRuns: 0 };

/** Options of `lossLab.runExperiment` and the API's `runExperiment` beyond the config path. */
export interface RunRequest {
  /** Train done runs again from scratch instead of keeping them. */
  restart?: boolean;
  backend?: BackendName;
  parallel?: number;
  /** Open the results panel (default true). */
  openPanel?: boolean;
  /** What to do with runs trained with another config (staleness.ts), without asking: train them on, retrain or keep them. */
  stale?: StaleChoice;
}

export type StaleChoice = 'extend' | 'retrain' | 'keep';
const STALE_CHOICES: readonly StaleChoice[] = ['extend', 'retrain', 'keep'];

/**
 * The known fields of a caller's options, type-checked. Menus pass their own context as the
 * second argument of a command (editor/title: {groupId}, explorer: the selected Uris), hence this.
 */
export function parseRunRequest(value: unknown): RunRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const request: RunRequest = {};
  if (typeof v.restart === 'boolean') request.restart = v.restart;
  if (BACKENDS.includes(v.backend as BackendName)) request.backend = v.backend as BackendName;
  if (typeof v.parallel === 'number' && v.parallel >= 1) request.parallel = v.parallel;
  if (typeof v.openPanel === 'boolean') request.openPanel = v.openPanel;
  if (STALE_CHOICES.includes(v.stale as StaleChoice)) request.stale = v.stale as StaleChoice;
  return request;
}

export interface ResolvedGrid {
  config: ExperimentConfig;
  runs: RunSpec[];
  experimentDir: string;
  parallel: number;
}

/** Where experiments go: the config's outputDir when it has one, else the lossLab.resultsFolder setting. */
export function resultsRoot(workspaceRoot: string, settings: LossLabSettings, outputDir?: string): string {
  return path.resolve(workspaceRoot, outputDir ?? settings.resultsFolder);
}

export function resolveGrid(config: ExperimentConfig, workspaceRoot: string, settings: LossLabSettings, request: RunRequest = {}, fileOutputDir?: string): ResolvedGrid {
  const backend = request.backend ?? (settings.defaultBackend !== 'auto' ? settings.defaultBackend : config.backend);
  const outputDir = resultsRoot(workspaceRoot, settings, fileOutputDir);
  // The config's own paths were resolved against its file when it was loaded (core/config/configPaths.ts).
  const resolved: ExperimentConfig = { ...config, backend, outputDir };
  const { parallel } = resolveParallelRuns(request.parallel ?? (settings.parallelRuns > 0 ? settings.parallelRuns : undefined), resolved);
  return {
    config: resolved,
    runs: expandGrid(resolved),
    experimentDir: experimentDirOf(outputDir, config.name),
    parallel: Math.max(1, Math.floor(parallel)),
  };
}
