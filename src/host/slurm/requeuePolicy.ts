/**
 * Whether a task stopped by SIGTERM puts itself back in the queue. A cap and a progress check
 * keep a task whose attempts are too short (a time limit that fits no epoch, a node that keeps
 * failing) from requeueing forever: it stops with one line saying why.
 */
import { DEFAULT_MAX_REQUEUES } from '../../core/config/slurmTime';
import { plural } from '../../core/util/format';

export interface RequeueFacts {
  /** SLURM_RESTART_COUNT: how many times this task was requeued already. */
  restarts: number;
  maxRequeues?: number;
  /** Epochs this attempt finished (the epoch it reached minus the one it resumed from). */
  epochsThisAttempt: number;
}

export type RequeueDecision = { requeue: true } | { requeue: false; why: string };

export function requeueDecision(f: RequeueFacts): RequeueDecision {
  const max = f.maxRequeues ?? DEFAULT_MAX_REQUEUES;
  if (f.restarts >= max) return { requeue: false, why: `not requeued: the task was requeued ${plural(f.restarts, 'time')} already (executor.maxRequeues ${max}); run the same command to resubmit it` };
  // The first attempt may be preempted early through no fault of its own; a requeued one that finished nothing will not do better.
  if (f.restarts > 0 && f.epochsThisAttempt <= 0) {
    return { requeue: false, why: 'not requeued: no epoch finished since the last requeue; raise executor.time or lower executor.signalMargin so an attempt fits at least one epoch' };
  }
  return { requeue: true };
}
