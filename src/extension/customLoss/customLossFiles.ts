/**
 * The parts of New Loss and Check Loss that need no VS Code API (unit-tested): the trust gate,
 * Check Loss's starting options and how its results read, completion of a module's options.
 * What New Loss writes is src/host/newLoss.ts, shared with `losslab new-loss`.
 */
import * as path from 'node:path';
import { findNodeAtLocation, getLocation, getNodeValue, parseTree } from 'jsonc-parser';
import type { CheckResult } from '../../core/losses/checkResults';
import { schemaDefaults } from '../../core/losses/optionDefaults';

export const UNTRUSTED_LOSS_MODULE = "Loss Lab cannot check or run a loss module in an untrusted workspace: it executes the module's code. Trust the workspace to use custom losses.";

/** Check Loss and a run with a custom loss execute the workspace's code: refused (with the reason) unless the workspace is trusted. */
export function lossModuleRefusal(isTrusted: boolean): string | undefined {
  return isTrusted ? undefined : UNTRUSTED_LOSS_MODULE;
}

/** Check Loss's starting options: every default of the module's optionsSchema (`{"gamma":2}`), else `{}`. */
export function defaultOptionsText(schema: unknown): string {
  return JSON.stringify(schemaDefaults(schema));
}

const isCheckResult = (r: unknown): r is CheckResult => {
  const { name, passed, detail } = (r ?? {}) as Partial<Record<keyof CheckResult, unknown>>;
  return typeof name === 'string' && typeof passed === 'boolean' && typeof detail === 'string';
};

/** `losslab check-loss --json` output, or undefined when it is not a list of results. */
export function parseCheckResults(stdout: string): CheckResult[] | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const value = JSON.parse(line) as unknown;
    if (Array.isArray(value) && value.every(isCheckResult)) return value;
  } catch {
    // not JSON: the caller shows stderr
  }
  return undefined;
}

/** "Check Loss focal.ts: 4 of 5 checks passed" */
export function checkSummary(module: string, results: readonly CheckResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  return `Check Loss ${path.basename(module)}: ${
    passed === results.length
      ? `all ${passed} checks passed`
      : `${passed} of ${results.length} checks passed; failed: ${results
          .filter((r) => !r.passed)
          .map((r) => r.name)
          .join('; ')}`
  }`;
}

/** Where completion of a custom loss's options applies: the cursor at a key inside `losses[i].options` (or the baseline's), and that loss's module. */
export function optionsCompletionTarget(text: string, offset: number): { module: string; present: string[] } | undefined {
  const location = getLocation(text, offset);
  const p = location.path;
  const lossPath = p[0] === 'losses' && typeof p[1] === 'number' ? p.slice(0, 2) : p[0] === 'baseline' ? p.slice(0, 1) : undefined;
  if (!lossPath || p[lossPath.length] !== 'options' || p.length !== lossPath.length + 2 || !location.isAtPropertyKey) return undefined;
  const root = parseTree(text);
  const loss = root && findNodeAtLocation(root, lossPath);
  const value = loss ? (getNodeValue(loss) as { name?: unknown; module?: unknown; options?: unknown }) : undefined;
  if (value?.name !== 'custom' || typeof value.module !== 'string') return undefined;
  const options = value.options && typeof value.options === 'object' ? Object.keys(value.options) : [];
  return { module: value.module, present: options };
}

export interface OptionCompletion {
  key: string;
  /** `"gamma": 2` — the key with its default (or an empty value of its type). */
  insert: string;
  documentation?: string;
}

/** One completion per property of the module's optionsSchema not yet in the options. */
export function optionCompletions(schema: unknown, present: readonly string[]): OptionCompletion[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown; description?: unknown } | boolean> } | null)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  const defaults = schemaDefaults(schema);
  const empty: Record<string, unknown> = { number: 0, integer: 0, string: '', boolean: false, array: [], object: {} };
  return Object.entries(properties)
    .filter(([key]) => !present.includes(key))
    .map(([key, p]) => {
      const { type, description } = typeof p === 'object' && p !== null ? p : {};
      const value = Object.hasOwn(defaults, key) ? defaults[key] : typeof type === 'string' && type in empty ? empty[type] : null;
      return { key, insert: `"${key}": ${JSON.stringify(value)}`, ...(typeof description === 'string' ? { documentation: description } : {}) };
    });
}
