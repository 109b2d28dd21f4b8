/** The config an experiment folder was run from (its experiment.json says), for Run Experiment from the results panel. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJsonIfExists } from './atomicFile';
import { EXPERIMENT_FILE, type ExperimentManifest } from './types';

/** The config file that wrote `experimentDir`, when the manifest names one that still exists. */
export function configOfExperiment(experimentDir: string): string | undefined {
  let manifest: ExperimentManifest | undefined;
  try {
    manifest = readJsonIfExists<ExperimentManifest>(path.join(experimentDir, EXPERIMENT_FILE));
  } catch {
    return undefined; // an unreadable manifest: the caller asks which config instead
  }
  const file = manifest?.configPath;
  return typeof file === 'string' && fs.existsSync(file) ? file : undefined;
}
