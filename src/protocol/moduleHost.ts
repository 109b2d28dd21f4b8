/**
 * Messages between the CLI and the module host (src/worker/moduleHost.ts): a child process that loads
 * and checks the user's loss modules, so that a module that hangs or exits cannot take the CLI with it.
 * One request per process; only JSON crosses. Bump the version on any change.
 */
import type { ConfigProblem } from '../core/config/configError';
import type { CheckResult } from '../core/losses/checkResults';

export const MODULE_HOST_PROTOCOL_VERSION = 1;

export type ModuleHostRequest =
  /** Load a config's custom losses and check their options (validate, run). */
  | { type: 'problems'; losses: { name: string; module?: string; options?: Record<string, unknown> }[] }
  /** A module's optionsSchema (the editor's completion). */
  | { type: 'schema'; module: string }
  /** check-loss's checks. */
  | { type: 'check'; module: string; options: Record<string, unknown> };

export type ToModuleHost = ModuleHostRequest & { version: number };

export type FromModuleHost =
  | { type: 'ready'; version: number; pid: number }
  /** The module about to load: a time-out or an exit is blamed on it. */
  | { type: 'loading'; module: string }
  /** check-loss: the module loaded, its checks begin. */
  | { type: 'checking'; module: string }
  | { type: 'problems'; problems: ConfigProblem[] }
  | { type: 'schema'; schema: unknown }
  | { type: 'checked'; results: CheckResult[] }
  /** The request failed: a module's error (with its file and line) or its process.exit call. */
  | { type: 'error'; message: string };

export function parseToModuleHost(msg: unknown): ToModuleHost | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { type?: unknown; version?: unknown; module?: unknown; losses?: unknown };
  if (m.version !== MODULE_HOST_PROTOCOL_VERSION) return null;
  if (m.type === 'problems' && Array.isArray(m.losses)) return msg as ToModuleHost;
  if ((m.type === 'schema' || m.type === 'check') && typeof m.module === 'string') return msg as ToModuleHost;
  return null;
}

export function parseFromModuleHost(msg: unknown): FromModuleHost | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { type?: unknown; version?: unknown };
  switch (m.type) {
    case 'ready':
      return m.version === MODULE_HOST_PROTOCOL_VERSION ? (msg as FromModuleHost) : null;
    case 'loading':
    case 'checking':
    case 'problems':
    case 'schema':
    case 'checked':
    case 'error':
      return msg as FromModuleHost;
    default:
      return null;
  }
}
