/**
 * Messages between a host (the extension or the CLI) and a training worker process.
 * Only JSON crosses. Both sides import this file; bump the version on any change.
 */
import type { RunSpec } from '../core/config/types';
import type { DatasetSummary } from '../core/data/types';
import type { TrainEvent } from '../core/train/events';

export const WORKER_PROTOCOL_VERSION = 5; // 5: `pauseAfter`, a search's rung

export type ToWorker =
  | {
      type: 'start';
      version: number;
      spec: RunSpec;
      runDir: string;
      resume: ResumePolicy;
      /** who started the run, named to another process the run lock refuses ("losslab run") */ by?: string;
      /** stop (as stopped, resumable) once this epoch is finished: a search trial at its rung */ pauseAfter?: number;
    }
  | { type: 'stop' };

/**
 * What to do when the run folder already holds results: continue them, start over, or refuse; 'extend' also
 * continues a run (a done one too) trained with fewer epochs of an otherwise unchanged config (core/results/staleness.ts).
 */
export type ResumePolicy = 'resume' | 'restart' | 'refuse' | 'extend';

/**
 * `file`: a full disk or a file or folder the run may not read or write (the message names it).
 * `damaged`: the run's own files (status.json, config.json, the checkpoint) cannot be used; `--restart` recovers.
 * `killed`: the worker died of a signal (the message names it).
 * `locked`: another live process trains the run (the message names it); the run folder was not touched.
 */
/** config: the config or its loss module is wrong; config-changed: the run folder holds another config's results. */
export type FailureCategory =
  'config' | 'config-changed' | 'dataset' | 'backend' | 'non-finite-loss' | 'out-of-memory' | 'already-done' | 'damaged' | 'killed' | 'crash' | 'file' | 'locked' | 'internal';

export type FromWorker =
  | { type: 'ready'; version: number; pid: number }
  | {
      type: 'backend';
      runId: string;
      backend: string;
      /** computes on a GPU (tensorflow-gpu, webgpu, torch on cuda/mps) */ gpu: boolean;
      unavailable: string[];
      detail: string;
      /** why the native engine (torch) was passed over, when it was tried and failed */ torchUnavailable?: string;
    }
  | { type: 'dataset'; runId: string; summary: DatasetSummary }
  | { type: 'train'; event: TrainEvent }
  | { type: 'log'; runId: string; level: 'info' | 'warn'; message: string }
  | { type: 'stopped'; runId: string; epoch: number }
  | { type: 'failed'; runId: string; category: FailureCategory; message: string; epoch?: number };

/** Checks a message from a worker before anyone trusts it (another version, or garbage on the channel). */
export function parseFromWorker(msg: unknown): FromWorker | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { type?: unknown; version?: unknown };
  switch (m.type) {
    case 'ready':
      return m.version === WORKER_PROTOCOL_VERSION ? (msg as FromWorker) : null;
    case 'backend':
    case 'dataset':
    case 'train':
    case 'log':
    case 'stopped':
    case 'failed':
      return msg as FromWorker;
    default:
      return null;
  }
}

export function parseToWorker(msg: unknown): ToWorker | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { type?: unknown; version?: unknown; spec?: unknown; runDir?: unknown };
  if (m.type === 'stop') return { type: 'stop' };
  if (m.type === 'start' && m.version === WORKER_PROTOCOL_VERSION && typeof m.runDir === 'string' && typeof m.spec === 'object') return msg as ToWorker;
  return null;
}
