// The one list of backend names: the config type, the schema's enum, the CLI's --backend check,
// the lossLab.defaultBackend setting and the auto chain all derive from (or are tested against) it.

/** Backends a run can train on, in the order `auto` considers them (see selectBackend.ts). */
const BACKEND_KINDS = ['torch', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** What a config, the CLI or a setting may name: a backend, or `auto`. */
export const BACKEND_NAMES = ['auto', ...BACKEND_KINDS] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Backends that always compute on a GPU; `torch` does when its libtorch has CUDA or MPS (decided at load). */
const GPU_BACKENDS: ReadonlySet<BackendKind> = new Set(['tensorflow-gpu', 'webgpu']);

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Whether a selected backend computes on a GPU: the GPU kinds always, torch when its device is not the CPU. */
export function runsOnGpu(kind: BackendKind, device?: string): boolean {
  return GPU_BACKENDS.has(kind) || (kind === 'torch' && device !== undefined && device !== 'cpu');
}

/** How a run names its backend in logs and results: 'wasm', 'tensorflow-gpu (tensorflow)', 'torch (cuda:0)'. */
export function backendLabel(kind: BackendKind, tfName: string, device?: string): string {
  if (kind === 'torch' && device) return `torch (${device})`;
  return kind === tfName ? kind : `${kind} (${tfName})`;
}
