/**
 * Defaults that depend on other fields, which the schema's fixed defaults cannot say: a SLURM
 * run trains on the cores it reserves (executor.cpusPerRun) unless `threads` is written.
 */
import type { ExperimentConfig } from './types';

export function applyDerivedDefaults(config: ExperimentConfig, written: unknown): ExperimentConfig {
  const wroteThreads = typeof written === 'object' && written !== null && 'threads' in written;
  const x = config.executor;
  if (!wroteThreads && x?.type === 'slurm' && x.cpusPerRun) config.threads = x.cpusPerRun;
  return config;
}
