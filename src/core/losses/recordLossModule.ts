/**
 * Loads a run's custom loss module and records it in the run folder (core/results/lossModuleRecord.ts), so the
 * run says which code it trained with; a run whose finished epochs came from other code is not resumed with this one.
 */
import { lossModuleHash, writeLossModuleRecord, type LossModuleRecord } from '../results/lossModuleRecord';
import { RunExistsError } from '../results/runSink';
import { loadCustomLoss } from './customModule';

/** What the run folder held before this start: its module record and how many epochs it kept (0 on a restart). */
export interface PriorModule {
  record?: LossModuleRecord;
  epochs: number;
}

export function recordLossModule(runDir: string, runId: string, module: string, prior: PriorModule): LossModuleRecord {
  const loaded = loadCustomLoss(module);
  const hash = lossModuleHash(loaded.file, loaded.sources);
  if (prior.record && prior.epochs > 0 && prior.record.hash !== hash) {
    throw new RunExistsError(
      `run '${runId}' in ${runDir} was trained with other code of its loss module ${loaded.file} (sha256 ${prior.record.hash.slice(0, 12)} → ${hash.slice(0, 12)}); restart it to discard its ${prior.epochs} finished epoch(s)`,
    );
  }
  return writeLossModuleRecord(runDir, loaded.file, loaded.sources);
}
