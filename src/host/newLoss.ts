/**
 * New Loss, for VS Code's command and `losslab new-loss` alike: a documented example module
 * (focal loss) at `losses/<name>.ts` and `<name>.losslab.json`, which trains it next to CE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_LOSS_MODULE, exampleLossConfig, LOSS_MODULES_TSCONFIG, LOSS_TYPES_FILE } from '../core/losses/customTemplate';

/** A file name for a new loss: letters, digits, '-' and '_', starting with a letter. */
const LOSS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** What is wrong with `name` as a loss name, in words; undefined when it is one. */
export function lossNameProblem(name: string): string | undefined {
  return LOSS_NAME.test(name) ? undefined : `'${name}' is not a loss name (allowed: a letter, then letters, digits, '-' or '_')`;
}

/** The two files New Loss writes for `name`. */
function newLossFiles(folder: string, name: string): { module: string; config: string } {
  return { module: path.join(folder, 'losses', `${name}.ts`), config: path.join(folder, `${name}.losslab.json`) };
}

/** The name New Loss suggests: `focal`, else `focal-2`, `focal-3`, … the first whose module and config are both free. */
export function suggestLossName(folder: string, base = 'focal'): string {
  const free = (name: string) => Object.values(newLossFiles(folder, name)).every((file) => !fs.existsSync(file));
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (free(name)) return name;
  }
}

/**
 * New Loss: `losses/<name>.ts` (the documented focal-loss example) and `<name>.losslab.json` that trains it next to CE.
 * Refuses to overwrite them. `typesFile` (the extension's tfjs-core.d.ts) is copied to `losses/types/`, fresh each
 * time, with a `losses/tsconfig.json` mapping the import to it unless the folder has its own.
 */
export function writeNewLoss(folder: string, name: string, typesFile: string): { module: string; config: string } {
  const problem = lossNameProblem(name);
  if (problem) throw new Error(problem);
  const { module, config } = newLossFiles(folder, name);
  for (const file of [module, config]) if (fs.existsSync(file)) throw new Error(`${path.relative(folder, file)} already exists`);
  fs.mkdirSync(path.dirname(module), { recursive: true });
  fs.writeFileSync(module, EXAMPLE_LOSS_MODULE);
  writeModuleTypes(path.dirname(module), typesFile);
  fs.writeFileSync(config, `${JSON.stringify(exampleLossConfig(name, `./losses/${name}.ts`), null, 2)}\n`);
  return { module, config };
}

/** The types and tsconfig that let the editor check the modules in `modulesDir` without tfjs installed. */
function writeModuleTypes(modulesDir: string, typesFile: string): void {
  const types = path.join(modulesDir, LOSS_TYPES_FILE);
  fs.mkdirSync(path.dirname(types), { recursive: true });
  fs.copyFileSync(typesFile, types);
  const tsconfig = path.join(modulesDir, 'tsconfig.json');
  if (!fs.existsSync(tsconfig)) fs.writeFileSync(tsconfig, LOSS_MODULES_TSCONFIG);
}
