/**
 * Defaults that depend on other fields, which the schema's fixed defaults cannot say: a SLURM
 * run trains on the cores it reserves (executor.cpusPerRun) unless `threads` is written; a search's
 * seeds are its final seeds.
 */
import { searchSettings } from '../search/space';
import type { ExperimentConfig } from './types';

export function applyDerivedDefaults(config: ExperimentConfig, written: unknown): ExperimentConfig {
  const wroteThreads = typeof written === 'object' && written !== null && 'threads' in written;
  const x = config.executor;
  if (!wroteThreads && x?.type === 'slurm' && x.cpusPerRun) config.threads = x.cpusPerRun;
  // A search's seeds are those of its final stage: what its comparison table pairs.
  if (config.search) config.seeds = searchSettings(config).finalSeeds;
  return config;
}
