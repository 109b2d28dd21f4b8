/** How SLURM states read in the Loss Lab view and the status bar; no vscode here, so it is unit-tested. */
import type { ExperimentConfig } from '../../core/config/types';
import type { ExecutorRunStatus } from '../../host/executor';

export type ExecutorSetting = 'config' | 'local' | 'slurm';

/** The config with lossLab.executor applied: `config` keeps its executor, `local` or `slurm` replaces it. */
export function withExecutorSetting(config: ExperimentConfig, setting: ExecutorSetting): ExperimentConfig {
  if (setting === 'local') return { ...config, executor: { type: 'local' } };
  if (setting === 'slurm' && config.executor?.type !== 'slurm') return { ...config, executor: { type: 'slurm' } };
  return config;
}

/** Why a SLURM grid cannot do what Run was asked (tasks only resume their runs), or undefined. */
export function slurmRequestRefusal(request: { restart?: boolean; stale?: string }, search = false): string | undefined {
  // A search on SLURM is driven by `losslab run`, which promotes trials as their jobs end; submitted as a plain array, its trials would never pause.
  if (search) return 'Loss Lab: a search runs on SLURM from a terminal, where its driver promotes trials as their jobs end: losslab run <config> --executor slurm; or set lossLab.executor to local.';
  const asked = [
    ...(request.restart ? ['restarting runs from scratch'] : []),
    ...(request.stale === 'extend' ? ['extending stale runs'] : request.stale === 'retrain' ? ['retraining stale runs'] : []),
  ];
  if (asked.length === 0) return undefined;
  return `Loss Lab: ${asked.join(' and ')} is not supported with the SLURM executor (each task resumes its run where it stopped); set lossLab.executor to local for it.`;
}

/** "PENDING (Priority)", "RUNNING on gpu07", "FAILED: <error line>", "TIMEOUT". */
export function schedulerText(s: ExecutorRunStatus): string {
  if (s.state === 'pending') return `${s.label}${s.detail ? ` (${s.detail})` : ''}`;
  if (s.state === 'running') return `${s.label}${s.detail ? ` on ${s.detail}` : ''}`;
  return s.state === 'failed' && s.detail ? `${s.label}: ${s.detail}` : s.label;
}

/** "3 RUNNING · 2 PENDING · 1 COMPLETED". */
export function summarize(states: ExecutorRunStatus[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} ${label}`).join(' · ');
}
