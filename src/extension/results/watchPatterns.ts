/**
 * What the results watcher watches: result files under each results folder, never `status.json`
 * or `metrics.jsonl` anywhere in the workspace (common names in projects with nothing of ours).
 * Free of the vscode module, so it is unit-tested.
 */
import * as path from 'node:path';
import { EXPERIMENT_FILE, RUN_FILES } from '../../core/results/types';
import { SEARCH_FILE } from '../../core/search/record';

export const RESULT_FILES = '{status.json,metrics.jsonl,steps.jsonl,summary.json,logits.json,weight-norms.json,experiment.json,dataset.json,search.json}';

/** Files an experiment folder holds itself, not inside a run's folder. */
const EXPERIMENT_FILES: readonly string[] = [EXPERIMENT_FILE, SEARCH_FILE];

/** `<experiment>/experiment.json`, `<experiment>/search.json` or `<experiment>/<run>/<file>` → `<experiment>`. */
export function experimentOfResultFile(file: string): string {
  const dir = path.dirname(file);
  return EXPERIMENT_FILES.includes(path.basename(file)) ? dir : path.dirname(dir);
}

/** Written up to every step: only the results panel reads it, so it has a signal of its own (the tree does not re-read for it). */
export const STEP_FILE = RUN_FILES.steps;

export interface WatchPattern {
  /** The folder the glob is relative to: the workspace folder holding the results folder (which may not exist yet), else the results folder. */
  base: string;
  glob: string;
}

/** Result files anywhere under `resultsFolder` (a folder that holds only results). */
export function resultsPattern(resultsFolder: string, workspaceFolder: string | undefined): WatchPattern {
  const inside = workspaceFolder ? path.relative(workspaceFolder, resultsFolder) : undefined;
  if (inside === undefined || inside.startsWith('..') || path.isAbsolute(inside)) return { base: resultsFolder, glob: `**/${RESULT_FILES}` };
  const prefix = inside === '' ? '' : `${inside.split(path.sep).join('/')}/`;
  return { base: workspaceFolder!, glob: `${prefix}**/${RESULT_FILES}` };
}

/** True when `dir` is `root` or inside it. */
export function isInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
