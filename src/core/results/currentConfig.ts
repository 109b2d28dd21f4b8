/**
 * The config an experiment's runs are judged against: its config file as saved now, so that a run is
 * stale as soon as the edit is saved, not only once Run has rewritten experiment.json. The manifest's
 * copy stands in when the file is gone, does not parse, or now names another experiment (whose
 * results go to another folder).
 */
import * as fs from 'node:fs';
import { resolveConfigPaths } from '../config/configPaths';
import type { ExperimentConfig } from '../config/types';
import { parseConfigText } from '../config/validate';
import type { ExperimentManifest } from './types';

/** The saved config file's current contents when it still describes this experiment; else the manifest's config. */
export function currentConfig(manifest: ExperimentManifest | undefined): ExperimentConfig | undefined {
  const file = manifest?.configPath;
  if (!manifest || typeof file !== 'string') return manifest?.config;
  try {
    const saved = resolveConfigPaths(parseConfigText(fs.readFileSync(file, 'utf8'), file), file, false);
    return saved.name === manifest.config.name ? saved : manifest.config;
  } catch {
    return manifest.config; // mid-edit, invalid or deleted: the last config that ran
  }
}
