/**
 * A worker killed by SIGSEGV, SIGBUS or SIGILL while it ran the native engine: the engine is the
 * likely culprit (a damaged build that still loads), and running again would crash again. The
 * outcome names the engine and the rebuild, and a marker beside the addon makes `auto` pass it
 * over until then (core/backend/torch/crashMarker.ts).
 */
import { recordNativeCrash, REBUILD_FORCE_HINT, TORCH_LOADING, TORCH_ON_CPU } from '../core/backend/torch/crashMarker';
import type { FromWorker } from '../protocol/worker';

const NATIVE_CRASH_SIGNALS: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL']);

/** Follows a worker's messages: does it run (or load) the native engine? */
export class EngineWatch {
  torch = false;

  constructor(backend: string) {
    // Asked for by name: the engine loads first thing, before any message could say so.
    this.torch = backend === 'torch';
  }

  seen(msg: FromWorker): void {
    // While `auto` tries backends: the engine loads, then is left for another (on the CPU, or unavailable).
    if (msg.type === 'log' && msg.message === TORCH_LOADING) this.torch = true;
    else if (msg.type === 'log' && (msg.message === TORCH_ON_CPU || msg.message.startsWith('backend: torch unavailable'))) this.torch = false;
    else if (msg.type === 'backend') this.torch = msg.backend.startsWith('torch');
  }
}

/** The outcome of a native crash, with the marker written; undefined when the death was not one. */
export function nativeCrashOutcome(
  signal: NodeJS.Signals | null,
  watch: EngineWatch,
  runId: string,
  env: NodeJS.ProcessEnv,
  context: string,
): { state: 'failed'; category: 'crash'; message: string } | undefined {
  if (!signal || !NATIVE_CRASH_SIGNALS.has(signal) || !watch.torch) return undefined;
  const marker = recordNativeCrash({ signal, runId, at: new Date().toISOString() }, env);
  const fallback = marker ? '; until then backend auto trains on wasm' : '';
  return {
    state: 'failed',
    category: 'crash',
    message: `the native engine (torch backend) crashed the training worker with ${signal}: the engine is likely damaged or built for another libtorch; ${REBUILD_FORCE_HINT}${fallback}. Finished epochs are kept${context}`,
  };
}
