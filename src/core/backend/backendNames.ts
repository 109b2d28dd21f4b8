// The one list of backend names: the config type, the schema's enum, the CLI's --backend check,
// the lossLab.defaultBackend setting and the auto chain all derive from (or are tested against) it.

/** Backends a run can train on, in the order `auto` considers them (see selectBackend.ts). */
export const BACKEND_KINDS = ['torch', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** What a config, the CLI or a setting may name: a backend, or `auto`. */
export const BACKEND_NAMES = ['auto', ...BACKEND_KINDS] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Backends that always compute on a GPU; `torch` does when its libtorch has CUDA or MPS (decided at load). */
export const GPU_BACKENDS: ReadonlySet<BackendKind> = new Set(['tensorflow-gpu', 'webgpu']);

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
