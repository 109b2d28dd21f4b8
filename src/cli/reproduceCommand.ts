/**
 * `losslab reproduce <preset>`: the paper's full protocol for one dataset (72 runs of 100
 * epochs), run with care for the machine it occupies. It first trains one epoch of the first
 * run of each model, prints what the whole grid will take from those measured epochs, and
 * only then commits to the rest (after a yes on a terminal, or with --yes). The probe epochs
 * are not wasted: the grid resumes them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { loadConfigWithPaths } from '../core/config/configPaths';
import { modelKey, expandGrid } from '../core/config/grid';
import { DEFAULT_RESULTS_ROOT, experimentDirOf } from '../core/results/paths';
import type { BackendName, ExperimentConfig, RunSpec } from '../core/config/types';
import { readRun } from '../core/results/runReader';
import { writeExperimentManifest } from '../core/results/runSink';
import { estimateGrid, GridEstimate } from '../core/train/gridEstimate';
import { formatDuration } from '../core/util/duration';
import { resolveParallelRuns } from '../host/parallelism';
import { Scheduler } from '../host/scheduler';
import { UserError } from './errors';
import { runCommand } from './runCommand';
import { plural } from '../core/util/format';

/** Preset name → the example config that holds the paper's protocol for it. */
const REPRODUCE_PRESETS: Record<string, string> = {
  cifar100: 'paper-cifar100',
  'tiny-imagenet': 'paper-tiny-imagenet',
  facescrub: 'paper-facescrub',
};

export interface ReproduceOptions {
  /** A preset name, or the path of any experiment config (same procedure). */
  preset: string;
  examplesDir: string;
  workerPath: string;
  dataDir?: string;
  outputDir?: string;
  parallel?: number;
  backend?: BackendName;
  /** Go on after the estimate without asking. */
  yes: boolean;
  /** Stop after the estimate (the probe epochs are kept for a later run). */
  estimateOnly: boolean;
  out?: (text: string) => void;
  /** Asks the user; defaults to a prompt on a terminal, and to "no" elsewhere. */
  confirm?: (question: string) => Promise<boolean>;
}

function presetConfigPath(preset: string, examplesDir: string): string {
  const name = REPRODUCE_PRESETS[preset];
  if (name) return path.join(examplesDir, `${name}.losslab.json`);
  if (preset.endsWith('.json') && fs.existsSync(preset)) return preset;
  throw new UserError(`unknown preset '${preset}': choose ${Object.keys(REPRODUCE_PRESETS).join(', ')} (or give an experiment config file)`);
}

async function promptYesNo(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Finished (checkpointed) epochs of each run already on disk, and one epoch's seconds per model where known. */
function existingProgress(experimentDir: string, runs: RunSpec[]): { finished: Map<string, number>; epochSeconds: Map<string, number> } {
  const finished = new Map<string, number>();
  const epochSeconds = new Map<string, number>();
  for (const run of runs) {
    const dir = path.join(experimentDir, run.runId);
    if (!fs.existsSync(dir)) continue;
    const record = readRun(dir);
    const epochs = record.hasCheckpoint || record.status?.state === 'done' ? record.metrics.length : 0;
    finished.set(run.runId, epochs);
    const first = record.metrics[0];
    if (first && !epochSeconds.has(modelKey(run.model))) epochSeconds.set(modelKey(run.model), first.seconds);
  }
  return { finished, epochSeconds };
}

function formatEstimate(est: GridEstimate, epochs: number): string {
  const rows = est.models.map(
    (m) => `  ${m.model.padEnd(18)} ${`${m.epochSeconds.toFixed(1)} s/epoch`.padStart(14)}  × ${m.epochsLeft} epochs left (${m.runs} runs × ${epochs} epochs) = ${formatDuration(m.runSeconds)}`,
  );
  return [
    'Estimate from the measured first epochs (training + evaluation; data loading not included):',
    ...rows,
    `  whole grid, ${plural(est.parallel, 'run')} at a time: about ${formatDuration(est.totalSeconds)}` +
      (est.finishedEpochs ? ` (${est.finishedEpochs} finished epoch${est.finishedEpochs === 1 ? '' : 's'} not counted)` : ''),
  ].join('\n');
}

export async function reproduceCommand(opts: ReproduceOptions, printTable: (experimentDir: string) => void): Promise<number> {
  const out = opts.out ?? ((t: string) => process.stdout.write(`${t}\n`));
  const configPath = presetConfigPath(opts.preset, opts.examplesDir);
  // --data replaces the preset's dataset path, so that one need not exist.
  const cfg: ExperimentConfig = (await loadConfigWithPaths(configPath, { checkPaths: !opts.dataDir })).config;
  if (opts.dataDir) cfg.dataset.path = path.resolve(opts.dataDir);
  if (opts.backend) cfg.backend = opts.backend;
  const runs = expandGrid(cfg);
  const epochs = Math.max(0, ...runs.map((r) => r.training.epochs)); // the longest, when epochs is swept
  const { parallel } = resolveParallelRuns(opts.parallel, cfg);
  const experimentDir = experimentDirOf(opts.outputDir ?? cfg.outputDir ?? DEFAULT_RESULTS_ROOT, cfg.name);
  writeExperimentManifest(experimentDir, cfg, configPath);
  out(`Loss Lab reproduce '${cfg.name}': ${runs.length} runs × ${epochs} epochs → ${experimentDir}`);

  // Probe: one epoch of the first run of every model whose epoch time is not on disk yet.
  const { finished, epochSeconds } = existingProgress(experimentDir, runs);
  const probes: RunSpec[] = [];
  for (const run of runs) {
    const key = modelKey(run.model);
    if (!epochSeconds.has(key) && !probes.some((p) => modelKey(p.model) === key)) probes.push(run);
  }
  if (probes.length) {
    out(`Measuring one epoch of ${probes.map((p) => p.runId).join(', ')} ...`);
    const backends = new Map<string, boolean>(); // label → computes on a GPU
    const scheduler: Scheduler = new Scheduler(probes, {
      workerPath: opts.workerPath,
      experimentDir,
      parallel,
      resume: 'resume',
      by: 'losslab reproduce',
      onMessage: (runId, msg) => {
        if (msg.type === 'backend') backends.set(msg.backend, msg.gpu);
        if (msg.type === 'train' && msg.event.type === 'epoch' && msg.event.metrics.epoch >= 1) {
          const spec = probes.find((p) => p.runId === runId)!;
          if (!epochSeconds.has(modelKey(spec.model))) {
            epochSeconds.set(modelKey(spec.model), msg.event.metrics.seconds);
            finished.set(runId, msg.event.metrics.epoch);
            out(`  ${runId}: epoch ${msg.event.metrics.epoch} took ${msg.event.metrics.seconds.toFixed(1)} s (${Math.round(msg.event.metrics.imagesPerSec)} img/s)`);
          }
          scheduler.stopRun(runId);
        }
      },
    });
    const outcomes = await scheduler.run();
    const failed = [...outcomes.entries()].filter(([, o]) => o.state === 'failed');
    for (const [runId, o] of failed) if (o.state === 'failed') out(`  ${runId}: FAILED (${o.category}): ${o.message}`);
    if (failed.length) {
      process.stderr.write('The probe epoch failed; fix the problem above and run the same command again.\n');
      return 1;
    }
    const nonGpu = [...backends].filter(([, gpu]) => !gpu).map(([label]) => label);
    // Only the paper's presets are GPU-sized; a config of the user's own may be meant for a CPU.
    if (nonGpu.length && opts.preset in REPRODUCE_PRESETS)
      out(`Note: training ran on ${nonGpu.join(', ')}, not a GPU backend; the paper's protocol is meant for a GPU (see README, "Compute backends").`);
  }
  const missing = [...new Set(runs.map((r) => modelKey(r.model)))].filter((k) => !epochSeconds.has(k));
  if (missing.length) {
    process.stderr.write(`No finished epoch was measured for ${missing.join(', ')} (stopped?); nothing to estimate from.\n`);
    return 1;
  }

  out(formatEstimate(estimateGrid(runs, epochSeconds, parallel, finished), epochs));
  const again = `losslab reproduce ${opts.preset}${opts.dataDir ? ` --data ${opts.dataDir}` : ''} --yes`;
  if (opts.estimateOnly) {
    out(`Stopped after the estimate (--estimate-only). The measured epochs are kept; to run the rest: ${again}`);
    return 0;
  }
  if (!opts.yes) {
    const confirm = opts.confirm ?? promptYesNo;
    if (!(await confirm('Start the remaining runs?'))) {
      out(`Not started. The measured epochs are kept; to run the rest: ${again}`);
      return 0;
    }
  }
  return runCommand({ configPath, config: cfg, parallel, outputDir: path.dirname(experimentDir), resume: 'resume', workerPath: opts.workerPath }, printTable);
}
