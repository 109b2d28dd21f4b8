/** Finds experiment folders (the CLI's and the extension's alike) under the results roots. No vscode here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunDir } from './runReader';
import { EXPERIMENT_FILE } from './types';

const subfolders = (dir: string): string[] => {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(dir, d.name));
  } catch {
    return [];
  }
};

/** A folder with experiment.json, or with at least one run folder in it. */
export function isExperimentDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, EXPERIMENT_FILE)) || subfolders(dir).some(isRunDir);
}

/** Experiment folders directly under each root, plus `extra` ones still there; by name, no duplicates. */
export function listExperiments(roots: readonly string[], extra: Iterable<string> = []): string[] {
  const found = [...roots.flatMap(subfolders), ...extra].map((d) => path.resolve(d));
  return [...new Set(found)].filter(isExperimentDir).sort((a, b) => path.basename(a).localeCompare(path.basename(b)) || a.localeCompare(b));
}
