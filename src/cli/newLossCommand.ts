/** `losslab new-loss [name]`: New Loss for the command line, the same files VS Code's command writes. Returns the exit code. */
import * as path from 'node:path';
import { lossNameProblem, suggestLossName, writeNewLoss } from '../host/newLoss';
import { UsageError, UserError } from './errors';

export function newLossCommand(name: string | undefined, opts: { dir?: string; typesFile: string }, out: (text: string) => void = (t) => process.stdout.write(t)): number {
  const folder = path.resolve(opts.dir ?? '.');
  const chosen = name ?? suggestLossName(folder);
  const problem = lossNameProblem(chosen);
  if (problem) throw new UsageError(problem, 'losslab new-loss');
  let written: { module: string; config: string };
  try {
    written = writeNewLoss(folder, chosen, opts.typesFile);
  } catch (e) {
    throw new UserError(`new-loss: ${(e as Error).message}`);
  }
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  out(
    `wrote ${rel(written.module)} (a documented focal loss to adapt) and ${rel(written.config)}, which trains it next to CE.\n` +
      `  check it:  losslab check-loss ${rel(written.module)}\n` +
      `  run it:    losslab run ${rel(written.config)}\n`,
  );
  return 0;
}
