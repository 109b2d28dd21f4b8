/**
 * A run whose loss diverged: its last accuracy is that of a broken network, not a result, so
 * tables show it as diverged and never rank, test or mark it. The worker records divergence as a
 * failure whose reason starts "diverged at epoch" (core/train/events.ts; matched here as text, so
 * results does not depend on train).
 */
import type { RunRecord } from './types';

const DIVERGED_REASON = /^diverged at epoch \d+/;

export function runDiverged(run: Pick<RunRecord, 'status'>): boolean {
  return run.status?.state === 'failed' && DIVERGED_REASON.test(run.status.reason ?? '');
}
