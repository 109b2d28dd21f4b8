import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendName } from '../core/config/types';
import { SETTINGS_SECTION } from './constants';
import { BACKENDS, DEFAULT_SETTINGS, FIGURE_RENDERERS, PANEL_MODES, resultsRoot, type FigureRenderer, type LossLabSettings, type PanelMode } from './runOptions';

export function readSettings(scope?: vscode.Uri): LossLabSettings {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const backend = cfg.get<string>('defaultBackend', DEFAULT_SETTINGS.defaultBackend);
  const parallel = cfg.get<number>('parallelRuns', DEFAULT_SETTINGS.parallelRuns);
  return {
    defaultBackend: BACKENDS.includes(backend as BackendName) ? (backend as BackendName) : 'auto',
    resultsFolder: cfg.get<string>('resultsFolder', DEFAULT_SETTINGS.resultsFolder) || DEFAULT_SETTINGS.resultsFolder,
    parallelRuns: Number.isFinite(parallel) && parallel > 0 ? Math.floor(parallel) : 0,
  };
}

/** lossLab.reportFigures: who draws Export Report's PNGs. */
export function reportFiguresSetting(): FigureRenderer {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('reportFigures', 'auto');
  return isFigureRenderer(value) ? value : 'auto';
}

/** lossLab.resultsPanels: a panel per experiment (default), or one panel that each Open Results switches. */
export function resultsPanelMode(): PanelMode {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('resultsPanels', 'perExperiment');
  return PANEL_MODES.includes(value as PanelMode) ? (value as PanelMode) : 'perExperiment';
}

export const isFigureRenderer = (value: unknown): value is FigureRenderer => FIGURE_RENDERERS.includes(value as FigureRenderer);

/**
 * The worker script: the bundled one, or LOSSLAB_WORKER_PATH where a test points it at a fake worker.
 * Not a setting: users have no use for it, and an untrusted workspace could not set it anyway.
 */
export function workerPath(extensionPath: string): string {
  const configured = process.env.LOSSLAB_WORKER_PATH ?? '';
  return configured ? path.resolve(configured) : path.join(extensionPath, 'dist', 'worker.js');
}

/** The workspace folder a file belongs to, else the file's own folder. */
export function workspaceRootOf(file: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
}

/** Where each workspace folder keeps results by default (lossLab.resultsFolder). */
export function resultsRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => resultsRoot(f.uri.fsPath, readSettings(f.uri)));
}

/** lossLab.libtorchPath as the LIBTORCH variable the native engine's locator reads first (empty: look on its own). */
export function nativeEngineEnv(): NodeJS.ProcessEnv {
  const libtorch = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('libtorchPath', '').trim();
  return libtorch ? { LIBTORCH: libtorch } : {};
}
