// Switches for the performance work, so each optimisation can be compared with the plain
// tfjs path it replaces (`npm run bench -- --disable fusedBatchNorm`). All are on by default;
// the environment variable LOSSLAB_DISABLE (comma-separated names, or `all`) turns some off
// in a process, e.g. a benchmark child.

export interface FastPaths {
  /** SGD with momentum and weight decay as one in-place loop per parameter (wasm, cpu). */
  fusedSgd: boolean;
  /** Batch-norm forward and backward as one host kernel each, instead of ~20 small ops (wasm, cpu). */
  fusedBatchNorm: boolean;
  /** MaxPoolGrad for non-overlapping windows as a host loop (the stock wasm kernel is ~10× slower). */
  maxPoolGrad: boolean;
  /** wasm Identity (tensor clones, e.g. every tensor a gradient saves) shares storage instead of copying it, as cpu's does. */
  sharedIdentity: boolean;
  /** torch: large CPU blocks kept for reuse instead of returned to the OS (no page faults per step); read once, at the engine's start. */
  cachingAllocator: boolean;
  /** torch: ReLU's gradient as one native kernel instead of tfjs' Step then Multiply (the same bits). */
  fusedReluGrad: boolean;
  /** torch: the training step recorded once and its native calls replayed, without tfjs' per-op bookkeeping (the same bits). */
  stepReplay: boolean;
}

const FAST_PATH_NAMES: (keyof FastPaths)[] = ['fusedSgd', 'fusedBatchNorm', 'maxPoolGrad', 'sharedIdentity', 'cachingAllocator', 'fusedReluGrad', 'stepReplay'];

const DISABLE_ENV = 'LOSSLAB_DISABLE';

function fromEnv(value: string | undefined): FastPaths {
  const off = new Set(
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const all = off.has('all');
  return Object.fromEntries(FAST_PATH_NAMES.map((k) => [k, !all && !off.has(k)])) as unknown as FastPaths;
}

/** The switches in force; read at each use, so tests may flip them with `setFastPaths`. */
// Through globalThis: the webview's type check reaches this file (through the loss descriptors) without Node's types.
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
export const fastPaths: FastPaths = fromEnv(env?.[DISABLE_ENV]);

/** Changes switches; returns the previous values (to restore them). */
export function setFastPaths(change: Partial<FastPaths>): FastPaths {
  const before = { ...fastPaths };
  Object.assign(fastPaths, change);
  return before;
}
