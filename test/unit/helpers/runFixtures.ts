/** Run records for the extension's unit tests, built from a real grid (no files). */
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import type { ExperimentRecord, RunRecord } from '../../../src/core/results/runReader';
import type { EpochMetrics, RunState } from '../../../src/core/results/types';

export const config = validateConfig({
  name: 'demo',
  description: 'two losses, two seeds',
  dataset: { name: 'fashion-mnist' },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1, 2],
  training: { epochs: 3, milestones: [2] },
});

export const specs = expandGrid(config);

export function epoch(n: number, testAcc: number): EpochMetrics {
  return { epoch: n, trainLoss: 1 / n, trainAcc: testAcc + 0.05, testLoss: 1.2 / n, testAcc, lr: 0.1, seconds: 1, imagesPerSec: 1000 };
}

/** A run's record; a done one has a summary with its last accuracy. */
export function record(spec: RunSpec, state: RunState, accs: number[], extra: Partial<RunRecord> = {}): RunRecord {
  const last = accs.at(-1) ?? NaN;
  const summary =
    state === 'done'
      ? {
          runId: spec.runId,
          model: spec.model.name,
          loss: spec.lossLabel,
          seed: spec.seed,
          finalTestAcc: last,
          bestTestAcc: last,
          finalTrainAcc: last,
          epochs: accs.length,
          backend: 'cpu',
          wallSeconds: 1,
          versions: {},
          machine: { platform: 'x', arch: 'x', cpus: 1, cpuModel: 'x', totalMemGiB: 1 },
        }
      : undefined;
  return {
    ...(summary ? { summary } : {}),
    dir: `/results/demo/${spec.runId}`,
    runId: spec.runId,
    spec,
    status: { state, epoch: accs.length, epochs: spec.training.epochs, updatedAt: '2026-01-01T00:00:00Z' },
    metrics: accs.map((a, i) => epoch(i + 1, a)),
    hasCheckpoint: false,
    warnings: [],
    ...extra,
  };
}

export function experiment(runs: RunRecord[], withManifest = true): ExperimentRecord {
  return {
    dir: '/results/demo',
    name: 'demo',
    manifest: withManifest ? { config, runIds: specs.map((s) => s.runId), writtenAt: '2026-01-01T00:00:00Z' } : undefined,
    runs,
    warnings: [],
  };
}
