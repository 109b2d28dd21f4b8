/**
 * A config's custom losses checked against their modules (each loads, its `options` fit its
 * `optionsSchema`), as `losslab validate` and `losslab run` check them: in the module host's child
 * process, since loading a module runs its code (trusted workspaces only). The answer is kept per
 * module file version and options, so typing elsewhere in the config does not start a process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from '../core/config/configError';
import { resolveConfigPath } from '../core/config/configPaths';
import { locateProblems } from '../core/config/validate';
import { askModuleHost } from '../host/moduleHost';

interface CustomLoss {
  name: 'custom';
  module: string;
  options?: Record<string, unknown>;
}

const isCustom = (l: unknown): l is CustomLoss => typeof l === 'object' && l !== null && (l as { name?: unknown }).name === 'custom' && typeof (l as { module?: unknown }).module === 'string';

const answers = new Map<string, ConfigProblem[]>();

/** The installed extension's module host (dist/moduleHost.js): the child process that loads users' loss modules. */
export function moduleHostIn(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'moduleHost.js');
}

/** Each custom loss of the config (`losses` as written, module paths relative to `configFile`), checked; problems located in `text`. */
export async function customLossProblems(text: string, losses: unknown, configFile: string, extensionPath: string): Promise<ConfigProblem[]> {
  if (!Array.isArray(losses)) return [];
  const problems: ConfigProblem[] = [];
  for (const [i, loss] of losses.entries()) {
    if (!isCustom(loss)) continue;
    const module = resolveConfigPath(loss.module, configFile);
    let version: string;
    try {
      version = String(fs.statSync(module).mtimeMs);
    } catch {
      continue; // a missing module is the path check's problem, reported with the others
    }
    const key = JSON.stringify([module, version, loss.options ?? null]);
    let found = answers.get(key);
    if (!found) {
      const reply = await askModuleHost({ type: 'problems', losses: [{ name: 'custom', module, ...(loss.options ? { options: loss.options } : {}) }] }, { hostPath: moduleHostIn(extensionPath) });
      found = reply.problems;
      answers.set(key, found);
    }
    // The host numbers the one loss it was given 0; here it is the config's loss i.
    problems.push(...found.map((p) => ({ ...p, path: p.path.replace(/^\/losses\/0(?=\/|$)/, `/losses/${i}`) })));
  }
  return locateProblems(text, problems);
}
