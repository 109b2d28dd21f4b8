/**
 * A config's custom losses checked against their modules (each loads, its `options` fit its
 * `optionsSchema`): what each run would hit, found before any starts. Loading runs the module's code, so
 * it happens in the module host's child process. Answers are kept per module file version and options,
 * so the editor, which asks whenever typing pauses, starts a process only when a module or its options change.
 */
import * as fs from 'node:fs';
import type { ConfigProblem } from '../core/config/configError';
import { resolveConfigPath } from '../core/config/configPaths';
import { locateProblems } from '../core/config/validate';
import { askModuleHost } from './moduleHost';

export interface LossModuleCheck {
  /** The config file: a module path is relative to its folder. */
  configFile: string;
  /** The module host script to fork (moduleHost.ts moduleHostPathOf, or the extension's dist/moduleHost.js). */
  hostPath: string;
  /** The config's text, to locate each problem in (line and column) for an editor. */
  text?: string;
}

interface CustomLoss {
  name: 'custom';
  module: string;
  options?: Record<string, unknown>;
}

const isCustom = (l: unknown): l is CustomLoss => typeof l === 'object' && l !== null && (l as { name?: unknown }).name === 'custom' && typeof (l as { module?: unknown }).module === 'string';

/** Problems of one loss, numbered as the only loss of a request (`/losses/0/...`), by module, version and options. */
const answers = new Map<string, ConfigProblem[]>();

const LOSS_INDEX = /^\/losses\/(\d+)(?=\/|$)/;
const renumbered = (problems: readonly ConfigProblem[], index: number): ConfigProblem[] => problems.map((p) => ({ ...p, path: p.path.replace(LOSS_INDEX, `/losses/${index}`) }));

function fileVersion(file: string): string | undefined {
  try {
    return String(fs.statSync(file).mtimeMs);
  } catch {
    return undefined;
  }
}

/** Each custom loss of `losses` (the config's, as written or loaded), checked; the pointers name the config's own loss index. */
export async function lossModuleProblems(losses: unknown, check: LossModuleCheck): Promise<ConfigProblem[]> {
  if (!Array.isArray(losses)) return [];
  const found = new Map<number, ConfigProblem[]>();
  const unknown: { index: number; key: string; loss: CustomLoss }[] = [];
  for (const [index, loss] of losses.entries()) {
    if (!isCustom(loss)) continue;
    const module = resolveConfigPath(loss.module, check.configFile);
    const version = fileVersion(module);
    // A missing module is the config's path check's problem (pathProblems.ts), which both callers run first.
    if (version === undefined) continue;
    const key = JSON.stringify([module, version, loss.options ?? null]);
    const known = answers.get(key);
    if (known) found.set(index, known);
    else unknown.push({ index, key, loss: { name: 'custom', module, ...(loss.options ? { options: loss.options } : {}) } });
  }
  if (unknown.length > 0) {
    // One process for every module not yet known; the host numbers them by their place in this request.
    const reply = await askModuleHost({ type: 'problems', losses: unknown.map((u) => u.loss) }, { hostPath: check.hostPath });
    unknown.forEach((u, j) => {
      const own = renumbered(
        reply.problems.filter((p) => LOSS_INDEX.exec(p.path)?.[1] === String(j)),
        0,
      );
      answers.set(u.key, own);
      found.set(u.index, own);
    });
  }
  const problems = [...found.entries()].sort(([a], [b]) => a - b).flatMap(([index, own]) => renumbered(own, index));
  return check.text === undefined ? problems : locateProblems(check.text, problems);
}
