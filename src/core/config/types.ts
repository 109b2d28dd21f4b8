/**
 * The experiment config: one JSON file describes a grid of runs
 * (models × losses × seeds) on one dataset. `schemas/experiment.schema.json`
 * is the published, validated form of these types; keep the two in step.
 */

import type { BackendName } from '../backend/backendNames';
import type { BuiltinLossConfig } from '../losses/registry';
import type { SearchParams } from '../search/record';

export type { BackendName };

export type DatasetName = 'fashion-mnist' | 'mnist' | 'cifar100' | 'tiny-imagenet' | 'facescrub' | 'image-folder';

export interface DatasetConfig {
  name: DatasetName;
  /** Folder holding the dataset's files; each dataset has a default. */
  path?: string;
  /** Use only the first N training images (after a seeded shuffle when `shuffleSubset`). */
  trainSubset?: number;
  /** Use only the first N test images (never shuffled: every run evaluates on the same images). */
  testSubset?: number;
  /** Shuffle (seeded) before taking the training subset, so a subset of a class-sorted dataset still has every class. */
  shuffleSubset?: boolean;
  /** Hold out this fraction of the training split as the evaluation split instead of the test split. */
  validationFraction?: number;
  /**
   * Hold out this fraction of the training split (stratified, seeded by the run's seed) as a validation
   * split kept beside the test split: every epoch is evaluated on both, and tuning reads validation only.
   */
  validation?: number;
  /** image-folder only: folder of the test split (one sub-folder per class); without it `validationFraction` applies. */
  testPath?: string;
  /** facescrub only: keep identities with at least this many images. */
  minImagesPerClass?: number;
  /** facescrub only: fraction of each identity's images held out for testing. */
  testFraction?: number;
  /** facescrub only: side of the square the face crops are resized to. */
  imageSize?: number;
  /** cifar100 only: the 100 fine classes or the 20 coarse superclasses. */
  labels?: 'fine' | 'coarse';
}

export type ModelName = 'simple-cnn' | 'vgg16' | 'resnet18' | 'resnet50';

export interface ModelConfig {
  name: ModelName;
  /** Channel width multiplier; 1 = the standard network. */
  width?: number;
}

export type ScaledBnEval = 'running' | 'batch' | 'raw';

/** A built-in loss (one descriptor each in core/losses/builtin/), or a loss head in the user's own TypeScript/JavaScript module (core/losses/customModule.ts); `module` is relative to the config file. */
export type LossConfig = BuiltinLossConfig | { name: 'custom'; module: string; options?: Record<string, unknown> };

/** @public Read by name in test/unit/config/typesMatchSchema.test.ts, which checks it against the schema. */
export interface AugmentConfig {
  /** Random crop after zero padding by `padding` pixels. */
  crop: boolean;
  padding: number;
  /** Random horizontal flip with probability 0.5. */
  flip: boolean;
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Numbers of finished epochs after which lr is multiplied by `gamma` (PyTorch MultiStepLR semantics). */
  milestones: number[];
  gamma: number;
  /** Apply weight decay to biases and BN parameters too, as PyTorch does by default. */
  decayBiasAndBn: boolean;
  augment: AugmentConfig;
  /**
   * Record a step-level point (training loss/accuracy over the last k steps) every k steps; also how
   * often loss/accuracy are read back from the device. Absent: about 20 points per epoch (core/train/stepLog.ts).
   */
  logEvery?: number;
  /** When a run counts as diverged; absent: the defaults (core/train/divergence.ts), false: only a NaN or infinite loss. */
  divergence?: DivergenceConfig | false;
}

/** @public Read by name in test/unit/config/typesMatchSchema.test.ts, which checks it against the schema. */
export interface DivergenceConfig {
  /** A batch loss above this stops the run; false: no limit. */
  maxLoss?: number | false;
  /** An epoch's mean training loss above factor × the starting loss stops the run; false: no such check. */
  factor?: number | false;
}

/** A range of values for a sweep: from, from + step, … up to `to` (included when it lands on a step). */
export interface NumberRange {
  from: number;
  to: number;
  step: number;
}

/** A numeric config field as written: one value, a list of values, or a range; the grid runs every value. */
export type Sweepable<T extends number = number> = T | T[] | NumberRange;

/** `T` with every numeric field (optional or not) sweepable; other fields unchanged. Distributes over unions. */
type WithSweeps<T> = T extends unknown ? { [K in keyof T]: Exclude<T[K], undefined> extends number ? Sweepable : T[K] } : never;

/** A loss as written in a config: numeric fields may be lists or ranges (`expandGrid` resolves them to LossConfig). */
export type LossSweep = WithSweeps<LossConfig>;

/** Training as written in a config: numeric fields may be lists or ranges (each run gets a TrainingConfig). */
export type TrainingSweep = WithSweeps<TrainingConfig>;

export interface ExperimentConfig {
  name: string;
  description?: string;
  dataset: DatasetConfig;
  models: ModelConfig[];
  losses: LossSweep[];
  seeds: number[];
  training: TrainingSweep;
  backend: BackendName;
  /** WASM threads per run (1 = single-threaded). */
  threads?: number;
  /** Runs of the grid executed at once, each in its own process. */
  parallelRuns?: number;
  /** Runs sharing each GPU at once (torch on CUDA); default one per 16 GiB of its memory, 1 to 4. */
  runsPerGpu?: number;
  /** Root folder for results; runs go to `<outputDir>/<name>/<runId>/`. */
  outputDir?: string;
  /** Where the runs execute; absent means local worker processes. */
  executor?: ExecutorConfig;
  /** The loss every table compares the others against, paired by seed; default CE when the grid has it. */
  baseline?: LossConfig;
  /** Tune every loss with the same budget on validation, then compare the chosen configurations on test (docs/search.md). */
  search?: SearchConfig;
}

/** A hyperparameter search as written (the schema fills `trials`, `seed`, `prune`, `finalSeeds`; core/search/space.ts resolves them). */
interface SearchConfig {
  trials: number;
  seed: number;
  prune: { minEpochs?: number; eta?: number } | false;
  /** A count N (seeds 1 to N) or the seeds themselves. */
  finalSeeds: number | number[];
}

/** Local worker processes (the default), or one SLURM job array with a task per unfinished run (docs/cluster.md). */
type ExecutorConfig = { type: 'local' } | SlurmExecutorConfig;

export interface SlurmExecutorConfig {
  type: 'slurm';
  partition?: string;
  gpusPerRun?: number;
  /** Default: the config's threads. */
  cpusPerRun?: number;
  /** sbatch --mem, e.g. '16G'. */
  memory?: string;
  /** sbatch --time in SLURM's own formats ('12:00' is 12 minutes); see slurmTime.ts. */
  time?: string;
  account?: string;
  qos?: string;
  /** The array's %N throttle. */
  maxConcurrent?: number;
  /** A task stopped by SIGTERM (preemption, time limit) requeues itself and resumes from its checkpoint. */
  requeue?: boolean;
  /** Seconds before the time limit at which a requeueing task is signalled (default 120). */
  signalMargin?: number;
  /** Requeues per task before it stops for good (default 10). */
  maxRequeues?: number;
  /** More sbatch options, one per `#SBATCH` line. */
  extraSbatch?: string[];
  /** Shell lines each task runs before training (module load, source venv/bin/activate). */
  setup?: string[];
}

/** One cell of the grid, fully resolved: what a single training run needs. */
export interface RunSpec {
  experiment: string;
  /** Stable and folder-safe, e.g. `resnet18-w1__scaled-bn-m0.9__seed1`; see `config/grid.ts`. */
  runId: string;
  dataset: DatasetConfig;
  model: Required<ModelConfig>;
  /** Paper-style model name, e.g. "ResNet-18" or "ResNet-18 ×0.25". */
  modelLabel: string;
  loss: LossConfig;
  /** Paper-style loss name, e.g. "AM-Softmax s=7.5 m=0.35"; the row label of comparison tables. */
  lossLabel: string;
  seed: number;
  training: TrainingConfig;
  backend: BackendName;
  threads: number;
  /** The values this run takes for the config's swept fields, in config order; absent when nothing is swept. */
  sweep?: SweepValue[];
  /** Set for the runs of a search: a tuning trial (validation decides its fate) or a final-stage run of the chosen configuration. */
  search?: RunSearchRole;
}

/** A run's place in a search (`core/search/record.ts`): `study` is the study's key. */
export interface RunSearchRole {
  stage: 'trial' | 'final';
  study: string;
  /** The trial's index (trials), or the chosen trial's (final runs). */
  trial: number;
  params: SearchParams;
}

/** One swept field's value in a run: `field` is `m`, `lr`, …; `scope` says whether it belongs to the loss or to training. */
export interface SweepValue {
  scope: 'loss' | 'training';
  field: string;
  value: number;
}
