/**
 * New Loss, for VS Code's command and `losslab new-loss` alike: a documented example module
 * (focal loss) at `losses/<name>.ts` and `<name>.losslab.json`, which trains it next to CE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_LOSS_MODULE, exampleLossConfig } from '../core/losses/customTemplate';

/** A file name for a new loss: letters, digits, '-' and '_', starting with a letter. */
export const LOSS_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The name New Loss suggests: `focal`, else `focal-2`, `focal-3`, … the first whose module and config are both free. */
export function suggestLossName(folder: string, base = 'focal'): string {
  const free = (name: string) => !fs.existsSync(path.join(folder, 'losses', `${name}.ts`)) && !fs.existsSync(path.join(folder, `${name}.losslab.json`));
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (free(name)) return name;
  }
}

/** New Loss: `losses/<name>.ts` (the documented focal-loss example) and `<name>.losslab.json` that trains it next to CE. Refuses to overwrite. */
export function writeNewLoss(folder: string, name: string): { module: string; config: string } {
  if (!LOSS_NAME.test(name)) throw new Error(`'${name}' is not a loss name (allowed: a letter, then letters, digits, '-' or '_')`);
  const module = path.join(folder, 'losses', `${name}.ts`);
  const config = path.join(folder, `${name}.losslab.json`);
  for (const file of [module, config]) if (fs.existsSync(file)) throw new Error(`${path.relative(folder, file)} already exists`);
  fs.mkdirSync(path.dirname(module), { recursive: true });
  fs.writeFileSync(module, EXAMPLE_LOSS_MODULE);
  fs.writeFileSync(config, `${JSON.stringify(exampleLossConfig(name, `./losses/${name}.ts`), null, 2)}\n`);
  return { module, config };
}
