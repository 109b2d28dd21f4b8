import type { ExperimentConfig, RunSpec } from '../config/types';
import type { DatasetSummary } from '../data/types';
import type { SearchRecord } from '../search/record';

/** What a run writes under `.losslab/runs/<experiment>/<runId>/`. */

export const RUN_FILES = {
  config: 'config.json', // the resolved RunSpec
  metrics: 'metrics.jsonl', // one EpochMetrics per line, appended after each epoch
  status: 'status.json', // RunStatus, rewritten atomically on every state change
  summary: 'summary.json', // RunSummary, written once at the end
  logits: 'logits.json', // LogitHistograms (paper Fig. 2)
  weightNorms: 'weight-norms.json', // WeightNorms (paper Fig. 3)
  checkpoint: 'checkpoint.bin', // weights + optimizer state at the end of the last finished epoch
  dataset: 'dataset.json', // DatasetSummary: what the run trained and evaluated on, written when it loads
  steps: 'steps.jsonl', // one StepPoint per line, every training.logEvery steps (the live, step-level curves)
} as const;

/** Written to `<outputDir>/<experiment>/` when a grid starts; gives tables the config's row and column order. */
export const EXPERIMENT_FILE = 'experiment.json';

export interface ExperimentManifest {
  config: ExperimentConfig; // validated, defaults filled in
  configPath?: string; // the file it came from, if any
  runIds: string[]; // in grid order
  writtenAt: string; // ISO time
}

export interface EpochMetrics {
  epoch: number; // 1-based
  trainLoss: number;
  trainAcc: number; // fraction in [0, 1]
  testLoss: number;
  testAcc: number;
  /** On the validation split (dataset.validation), when the run has one. */
  valLoss?: number;
  valAcc?: number;
  lr: number;
  seconds: number; // wall time of this epoch (train + eval)
  imagesPerSec: number; // training throughput of this epoch
}

/**
 * Training loss and accuracy over the last `training.logEvery` steps (not the epoch's running
 * mean), recorded while an epoch runs so the first epoch of a long run is visible as it happens.
 */
export interface StepPoint {
  epoch: number; // 1-based, the epoch this step belongs to
  step: number; // 1-based within the epoch
  stepsPerEpoch: number; // so a chart can place the point at epoch − 1 + step / stepsPerEpoch
  globalStep: number; // 1-based over the run: (epoch - 1) × stepsPerEpoch + step
  loss: number; // mean training loss over the steps since the previous point
  acc: number; // fraction in [0, 1], same window
  wallSeconds: number; // training wall time since the run started, summed over resumed sessions
}

/** A run's states in status.json: the one list every other vocabulary of run states is drawn from. */
export const RUN_STATES = ['queued', 'running', 'done', 'failed', 'stopped'] as const;
export type RunState = (typeof RUN_STATES)[number];
/** The states a run ends in. */
export type EndedRunState = Extract<RunState, 'done' | 'failed' | 'stopped'>;

export interface RunStatus {
  state: RunState;
  epoch: number; // finished epochs
  epochs: number;
  reason?: string; // why it failed or stopped
  backend?: string;
  updatedAt: string; // ISO time
  /** The process that wrote this status and the machine it ran on: a 'running' whose process is gone was interrupted (kill -9, a crash). */
  pid?: number;
  host?: string;
}

export interface RunSummary {
  runId: string;
  model: string; // model name, e.g. "resnet18" (the RunSpec in config.json has the label)
  loss: string; // loss label, e.g. "Scaled-BN m=0.9"
  seed: number;
  finalTestAcc: number;
  bestTestAcc: number;
  /** On the validation split (dataset.validation), when the run has one: what tuning selects on. */
  finalValAcc?: number;
  bestValAcc?: number;
  finalTrainAcc: number;
  epochs: number;
  backend: string;
  wallSeconds: number;
  scaledBnEval?: string; // which statistics produced the reported accuracy
  trainableParams?: number;
  /** A custom loss: the sha256 of its module's files (loss-module/record.json lists them). */
  lossModuleHash?: string;
  versions: Record<string, string>;
  machine: { platform: string; arch: string; cpus: number; cpuModel: string; totalMemGiB: number };
}

export interface Histogram {
  edges: number[]; // bins + 1 edges
  counts: number[];
}

/** Distribution of the network's output values on the test split (paper Fig. 2). */
export interface LogitHistograms {
  before: Histogram; // raw logits W·f + b
  after?: Histogram; // after the scaled BN (scaled-bn only)
}

/** L2 norm of each class's row of the last layer's weight (paper Fig. 3). */
export interface WeightNorms {
  norms: number[];
}

/** One run folder as read back (runReader.ts): what was readable, and what was not. */
export interface RunRecord {
  dir: string;
  runId: string; // the folder name
  spec?: RunSpec; // config.json
  status?: RunStatus;
  /** Complete epochs in order; a later line for the same epoch (a resumed run redoing it) replaces earlier ones. */
  metrics: EpochMetrics[];
  /** Step-level training points (steps.jsonl) in order, when read with `{ steps: true }` (empty for runs from before they were recorded). */
  steps?: StepPoint[];
  summary?: RunSummary;
  logits?: LogitHistograms;
  weightNorms?: WeightNorms;
  /** dataset.json: what the run trained and evaluated on (absent in runs from before it was written). */
  dataset?: DatasetSummary;
  hasCheckpoint: boolean;
  /**
   * status.json said queued or running, but the process that wrote it is gone (killed, crashed):
   * `status` then reads as stopped, with a reason starting "interrupted".
   */
  interrupted?: { pid: number; state: RunStatus['state'] };
  /** What could not be read, for the user; the rest of the record is still good. */
  warnings: string[];
  /** Files that exist but could not be read or parsed (status.json, config.json, …): the run is damaged. */
  unreadable?: string[];
}

export interface ExperimentRecord {
  dir: string;
  name: string; // the folder name
  manifest?: ExperimentManifest;
  /** Runs in grid order when the manifest lists it, then any others by folder name. */
  runs: RunRecord[];
  /** search.json, for an experiment run as a hyperparameter search (absent otherwise, or when damaged: see warnings). */
  search?: SearchRecord;
  warnings: string[];
}
