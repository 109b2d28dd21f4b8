import type { RunSpec, TrainingConfig } from '../../../src/core/config/types';

/** What a test sets: any field of the spec, and of its training only those that differ. */
export type RunSpecOverrides = Partial<Omit<RunSpec, 'training'>> & { training?: Partial<TrainingConfig> };

/**
 * A run of CE on a quarter-width Simple CNN for 2 epochs on wasm, without augmentation, with `overrides`:
 * the training tests' common spec, small enough for quadrantDataset. No `logEvery`: its default is a case.
 */
export function runSpec(overrides: RunSpecOverrides = {}): RunSpec {
  const { training, ...rest } = overrides;
  return {
    experiment: 'test',
    runId: 'test-run',
    dataset: { name: 'fashion-mnist' },
    model: { name: 'simple-cnn', width: 0.25 },
    modelLabel: 'Simple CNN',
    loss: { name: 'ce' },
    lossLabel: 'CE',
    seed: 1,
    backend: 'wasm',
    threads: 1,
    ...rest,
    training: {
      epochs: 2,
      batchSize: 16,
      lr: 0.05,
      momentum: 0.9,
      weightDecay: 5e-4,
      milestones: [],
      gamma: 0.1,
      decayBiasAndBn: true,
      augment: { crop: false, padding: 1, flip: false },
      ...training,
    },
  };
}
