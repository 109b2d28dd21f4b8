/**
 * `losslab tensorboard <dir>`: (re)writes the TensorBoard event files of existing runs from
 * their own files, so runs from before event files (or whose files were deleted) show in
 * `tensorboard --logdir`. `<dir>` is one run, an experiment, or a results root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRunDirs, rewriteRunEvents, type RewriteResult } from '../core/results/tensorboard/rewriteRun';
import { holderText } from '../host/folderLock';
import { lockRun, RunLockedError } from '../host/runLock';
import { UserError } from './errors';
import { plural } from '../core/util/format';
import { DEFAULT_RESULTS_ROOT } from '../core/results/paths';
import { tensorboardCommandLine } from '../host/tensorboard';

/** Relative to the working folder when inside it, else absolute. */
const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
};

export function tensorboardCommand(dir: string, print = (line: string) => process.stdout.write(`${line}\n`), warn = (line: string) => process.stderr.write(`${line}\n`)): number {
  if (!fs.existsSync(dir)) throw new UserError(`${dir}: no such folder (expected a run, an experiment such as ${DEFAULT_RESULTS_ROOT}/<experiment>, or ${DEFAULT_RESULTS_ROOT})`);
  if (!fs.statSync(dir).isDirectory()) throw new UserError(`${dir}: not a folder (expected a run, an experiment or a results root such as ${DEFAULT_RESULTS_ROOT})`);
  const runDirs = findRunDirs(dir);
  if (runDirs.length === 0) throw new UserError(`${dir}: no runs found (a run folder holds config.json, status.json or metrics.jsonl; looked two levels down)`);
  let written = 0;
  for (const runDir of runDirs) {
    const r = rewriteLocked(runDir);
    for (const w of r.warnings) warn(`warning: ${shown(runDir)}: ${w}`);
    if (!r.file) {
      print(`${shown(runDir)}: skipped (${r.skipped})`);
      continue;
    }
    written++;
    print(`${shown(runDir)}: ${plural(r.epochs, 'epoch')}, ${plural(r.stepPoints, 'step point')}, ${plural(r.histograms, 'histogram')} -> ${path.basename(r.file)}`);
  }
  print(`${plural(written, 'run')} written; view them with: ${tensorboardCommandLine(shown(dir))}`);
  return 0;
}

/** Rewrites a run's event files holding its lock: a run another process trains is skipped, naming it. */
function rewriteLocked(runDir: string): RewriteResult {
  let lock: ReturnType<typeof lockRun>;
  try {
    lock = lockRun(runDir, { by: 'losslab tensorboard' });
  } catch (e) {
    if (!(e instanceof RunLockedError)) throw e;
    return { dir: runDir, epochs: 0, stepPoints: 0, histograms: 0, warnings: [], skipped: `being trained by ${holderText(e.holder)}` };
  }
  try {
    return rewriteRunEvents(runDir);
  } finally {
    lock.release();
  }
}
