/**
 * A synthetic experiment at paper scale for the results panel's benchmark and its system test:
 * 8 losses × 3 models × 3 seeds = 72 runs (or fewer), each with 100 epochs and 23 step
 * points an epoch. The run writer writes its config, status and summary; the epoch and step lines
 * go in one write each (the writer's fsync per epoch made 72 runs take minutes).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandGrid } from '../src/core/config/grid';
import { validateConfig } from '../src/core/config/validate';
import { Rng } from '../src/core/util/rng';
import { openRunSink, writeExperimentManifest } from '../src/core/results/runSink';
import { RUN_FILES, type EpochMetrics, type StepPoint } from '../src/core/results/types';

const LOSSES = [
  { name: 'ce' },
  { name: 'scaled-bn', m: 0.5 },
  { name: 'scaled-bn', m: 0.6 },
  { name: 'scaled-bn', m: 0.7 },
  { name: 'scaled-bn', m: 0.8 },
  { name: 'scaled-bn', m: 0.9 },
  { name: 'am-softmax', s: 7.5, m: 0.35 },
  { name: 'pedcc', s: 7.5, m: 0.35 },
];

export interface PanelScale {
  losses: number;
  /** Of simple-cnn, resnet18, vgg16. */
  models: number;
  epochs: number;
  stepsPerEpoch: number;
}

export const PAPER_SCALE: PanelScale = { losses: 8, models: 3, epochs: 100, stepsPerEpoch: 23 };

/** The 6-run panel the paper-scale one is compared with: 2 losses × 1 model × 3 seeds. */
export const SMALL_SCALE: PanelScale = { ...PAPER_SCALE, losses: 2, models: 1 };

/** Writes the experiment under `root`; returns its folder and how many runs it has. */
export function writePanelExperiment(root: string, scale: PanelScale = PAPER_SCALE): { dir: string; runs: number } {
  const config = validateConfig({
    name: `panel-${scale.losses}x${scale.models}x3`,
    dataset: { name: 'fashion-mnist' },
    models: [{ name: 'simple-cnn' }, { name: 'resnet18' }, { name: 'vgg16' }].slice(0, scale.models),
    losses: LOSSES.slice(0, scale.losses),
    seeds: [1, 2, 3],
    training: { epochs: scale.epochs },
  });
  const dir = path.join(root, config.name);
  writeExperimentManifest(dir, config);
  const specs = expandGrid(config);
  specs.forEach((spec, r) => {
    const rng = new Rng(r + 1);
    const sink = openRunSink(path.join(dir, spec.runId), spec, 'restart');
    sink.started('cpu');
    const rate = 0.02 + 0.01 * (r % 5);
    const lossAt = (t: number) => 2.3 * Math.exp(-rate * t) + 0.05 + 0.08 * (rng.next() - 0.5);
    let wall = 0;
    const epochs: EpochMetrics[] = [];
    const steps: StepPoint[] = [];
    for (let e = 1; e <= scale.epochs; e++) {
      for (let s = 1; s <= scale.stepsPerEpoch; s++) {
        const loss = lossAt(e - 1 + s / scale.stepsPerEpoch);
        wall += 0.05;
        steps.push({ epoch: e, step: s, stepsPerEpoch: scale.stepsPerEpoch, globalStep: (e - 1) * scale.stepsPerEpoch + s, loss, acc: Math.min(1, 1 - loss / 2.6), wallSeconds: wall });
      }
      const trainLoss = lossAt(e);
      const metrics: EpochMetrics = { epoch: e, trainLoss, trainAcc: 1 - trainLoss / 2.6, testLoss: trainLoss * 1.1, testAcc: 1 - (trainLoss * 1.1) / 2.6, lr: 0.1, seconds: 1.15, imagesPerSec: 1000 };
      epochs.push(metrics);
    }
    const lines = (items: readonly object[]) => items.map((i) => `${JSON.stringify(i)}\n`).join('');
    fs.writeFileSync(path.join(sink.dir, RUN_FILES.metrics), lines(epochs));
    fs.writeFileSync(path.join(sink.dir, RUN_FILES.steps), lines(steps));
    const acc = 1 - (lossAt(scale.epochs) * 1.1) / 2.6;
    sink.finished(
      {
        runId: spec.runId,
        model: spec.model.name,
        loss: spec.lossLabel,
        seed: spec.seed,
        finalTestAcc: acc,
        bestTestAcc: acc,
        finalTrainAcc: acc,
        epochs: scale.epochs,
        backend: 'cpu',
        wallSeconds: wall,
        versions: {},
        machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'synthetic', totalMemGiB: 1 },
      },
      { before: { edges: [-1, 0, 1], counts: [5, 5] } },
      { norms: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
    );
  });
  return { dir, runs: specs.length };
}
