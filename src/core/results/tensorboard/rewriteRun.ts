/**
 * (Re)writes a finished or interrupted run's TensorBoard event file from its own files
 * (metrics.jsonl, steps.jsonl, logits.json, weight-norms.json), with the same events the live
 * sink writes: runs from before event files, or whose event files were lost, show in TensorBoard.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunDir, readRun } from '../runReader';
import { RUN_FILES } from '../types';
import { EventFileWriter, removeEventFiles } from './eventFile';
import type { TfEvent } from './eventProto';
import { epochEndStep, epochEvent, finalEvent, stepEvent, stepsPerEpochOf } from './runEvents';

export interface RewriteResult {
  dir: string;
  /** The event file written; absent when the run was skipped. */
  file?: string;
  epochs: number;
  stepPoints: number;
  histograms: number;
  /** Why nothing was written (a run still running, nothing recorded yet). */
  skipped?: string;
  /** What could not be read; the rest was written. */
  warnings: string[];
}

/** Run folders at `dir`: the folder itself, its children (an experiment) or its grandchildren (a results root such as .losslab/runs). */
export function findRunDirs(dir: string): string[] {
  if (isRunDir(dir)) return [dir];
  const children = (d: string) =>
    fs
      .readdirSync(d, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(d, e.name))
      .sort();
  return children(dir).flatMap((child) => (isRunDir(child) ? [child] : children(child).filter(isRunDir)));
}

export function rewriteRunEvents(dir: string): RewriteResult {
  const run = readRun(dir, { steps: true });
  const warnings = [...run.warnings];
  const state = run.status?.state;
  const result: RewriteResult = { dir, epochs: run.metrics.length, stepPoints: 0, histograms: 0, warnings };
  // Its worker has the event file open: a rewrite would race it.
  if (state === 'running' || state === 'queued') return { ...result, skipped: `${state}: its worker writes its event files` };
  const points = run.steps ?? [];
  if (run.metrics.length === 0 && points.length === 0) return { ...result, skipped: 'no finished epoch or step point yet' };

  const stepsPerEpoch = stepsPerEpochOf({ stepPoint: points.at(-1), trainImages: run.dataset?.train, batchSize: run.spec?.training.batchSize });
  if (stepsPerEpoch === undefined && run.metrics.length > 0) warnings.push('steps per epoch unknown (no steps.jsonl or dataset.json): epoch scalars are at step = epoch number');
  // Wall times: the run's own durations from the time config.json was written (when the run was opened).
  const start = fs.statSync(path.join(dir, RUN_FILES.config), { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
  const base = start / 1000;
  // One file for the whole run, so one SessionLog START (as the live sink's first file has).
  const events: TfEvent[] = [{ wallTime: base, step: 1, sessionStart: true }, ...points.map((p) => stepEvent(p, base + p.wallSeconds))];
  let elapsed = 0;
  for (const m of run.metrics) {
    elapsed += m.seconds;
    events.push(epochEvent(m, epochEndStep(m.epoch, stepsPerEpoch), base + elapsed));
  }
  // Stable sort: a step point and the epoch that ends at its step keep that order.
  events.sort((a, b) => a.step - b.step);
  const final =
    state === 'done' && run.logits ? finalEvent(run.logits, run.weightNorms, epochEndStep(run.metrics.at(-1)?.epoch ?? 0, stepsPerEpoch), base + (run.summary?.wallSeconds ?? elapsed)) : null;
  if (final) events.push(final);

  removeEventFiles(dir);
  const writer = new EventFileWriter(dir, base);
  try {
    for (const e of events) writer.write(e);
  } finally {
    writer.close();
  }
  const histograms = final && 'summary' in final ? final.summary.filter((v) => 'histogram' in v).length : 0;
  return { ...result, file: writer.file, stepPoints: points.length, histograms };
}
