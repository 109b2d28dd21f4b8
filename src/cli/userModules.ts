/**
 * The CLI's side of user loss modules: they load in the module host's process (src/host/moduleHost.ts),
 * never in the CLI's own, and a module outside the config's folder is announced once, since loading it runs its code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConfigProblem } from '../core/config/configError';
import type { ExperimentConfig } from '../core/config/types';
import { lossModuleProblems } from '../host/lossModuleProblems';
import { moduleHostPathOf } from '../host/moduleHost';

type Loss = ExperimentConfig['losses'][number];

const customModules = (losses: readonly Loss[]): string[] => losses.flatMap((l) => (l.name === 'custom' ? [path.resolve((l as { module: string }).module)] : []));

/** Where the modules already announced are listed: one line says it once per module, not on every run. */
function announcedFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'losslab', 'announced-loss-modules.json');
}

/** Says, once per module, that a module outside the config's folder is about to run as the user's code. */
export function announceOutsideModules(losses: readonly Loss[], configPath: string, say: (line: string) => void, file = announcedFile()): void {
  const folder = path.resolve(path.dirname(configPath));
  const outside = customModules(losses).filter((m) => path.relative(folder, m).startsWith('..') || path.isAbsolute(path.relative(folder, m)));
  if (outside.length === 0) return;
  let known: string[] = [];
  try {
    known = JSON.parse(fs.readFileSync(file, 'utf8')) as string[];
  } catch {
    // none announced yet, or an unreadable list: announce again
  }
  const fresh = [...new Set(outside)].filter((m) => !known.includes(m));
  if (fresh.length === 0) return;
  for (const m of fresh) say(`losslab: note: ${configPath} uses the loss module ${m}, outside its folder; Loss Lab runs its code as you (said once per module)`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify([...known, ...fresh], null, 1));
  } catch {
    // not remembered: said again next time, which is harmless
  }
}

/** The config's custom losses loaded and their options checked in the module host: what each run would hit. */
export async function configModuleProblems(cfg: ExperimentConfig, configPath: string, workerPath: string): Promise<ConfigProblem[]> {
  if (customModules(cfg.losses).length === 0) return [];
  announceOutsideModules(cfg.losses, configPath, (line) => process.stderr.write(`${line}\n`));
  return lossModuleProblems(cfg.losses, { configFile: configPath, hostPath: moduleHostPathOf(workerPath) });
}
