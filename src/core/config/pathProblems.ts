/**
 * Paths a config file writes that do not exist: found while editing and before a run starts, instead
 * of by every worker after it loaded its backend. Only paths the file writes are checked: a dataset
 * without `path` is looked for in its default places by its loader, which says where.
 */
import * as fs from 'node:fs';
import type { ConfigProblem } from './configError';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(file: string): 'folder' | 'file' | undefined {
  try {
    return fs.statSync(file).isDirectory() ? 'folder' : 'file';
  } catch {
    return undefined;
  }
}

/** Turns a path as the config writes it into the one it means (core/config/configPaths.ts resolveConfigPath). */
export type PathResolver = (value: string) => string;

/** A problem when `value` does not name an existing `want` ('any': a file or a folder); undefined when it does, or is no string. */
function check(value: unknown, pointer: string, resolve: PathResolver, want: 'folder' | 'file' | 'any', what: string): ConfigProblem | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const resolved = resolve(value);
  const found = kindOf(resolved);
  if (found === want || (found && want === 'any')) return undefined;
  const why = found ? `is a ${found}, not a ${want}` : 'does not exist';
  return { path: pointer, message: `${what} ${resolved} ${why} (a relative path is relative to the config file's folder)` };
}

/** `raw`: the config as parsed from its file, before validation; malformed parts are left to the schema check. */
export function missingPathProblems(raw: unknown, resolve: PathResolver): ConfigProblem[] {
  if (!isObject(raw)) return [];
  const problems: (ConfigProblem | undefined)[] = [];
  if (isObject(raw.dataset)) {
    // cifar100's path may name its .tar.gz instead of a folder.
    problems.push(check(raw.dataset.path, '/dataset/path', resolve, 'any', 'dataset path'));
    problems.push(check(raw.dataset.testPath, '/dataset/testPath', resolve, 'folder', 'test folder'));
  }
  const losses = Array.isArray(raw.losses) ? raw.losses : [];
  losses.forEach((loss: unknown, i) => {
    if (isObject(loss) && loss.name === 'custom') problems.push(check(loss.module, `/losses/${i}/module`, resolve, 'file', 'loss module'));
  });
  if (isObject(raw.baseline) && raw.baseline.name === 'custom') problems.push(check(raw.baseline.module, '/baseline/module', resolve, 'file', 'loss module'));
  return problems.filter((p): p is ConfigProblem => p !== undefined);
}
