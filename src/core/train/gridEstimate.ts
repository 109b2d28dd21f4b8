/**
 * How long a grid will take, from one measured epoch per model. Used by `losslab reproduce`
 * before it commits a GPU machine to the paper's 72 runs × 100 epochs.
 *
 * The loss head costs next to nothing beside the backbone, so one epoch per model stands for
 * every (loss, seed) of that model. Runs go `parallel` at a time; the probe epochs were
 * measured at that same concurrency, so contention between parallel runs is already in them.
 */
import type { RunSpec } from '../config/types';
import { modelKey } from '../config/grid';

interface ModelEstimate {
  model: string;
  /** Wall time of one epoch (training + evaluation) as measured. */
  epochSeconds: number;
  runs: number;
  /** Epochs still to train over this model's runs. */
  epochsLeft: number;
  /** epochsLeft × epochSeconds: this model's share of the grid, in run-seconds. */
  runSeconds: number;
}

export interface GridEstimate {
  models: ModelEstimate[];
  parallel: number;
  /** Wall time for the whole grid: all run-seconds spread over `parallel` lanes. */
  totalSeconds: number;
  /** Epochs already finished (the probes' first epochs, resumed runs), subtracted from the total. */
  finishedEpochs: number;
}

/** `epochSeconds` maps modelKey (e.g. `resnet18-w1`) to a measured epoch; `finished` maps runId to finished epochs. */
export function estimateGrid(runs: RunSpec[], epochSeconds: Map<string, number>, parallel: number, finished: Map<string, number> = new Map()): GridEstimate {
  const byModel = new Map<string, ModelEstimate>();
  let finishedEpochs = 0;
  for (const run of runs) {
    const key = modelKey(run.model);
    const t = epochSeconds.get(key);
    if (t === undefined) throw new Error(`no measured epoch for model ${key}`);
    const done = Math.min(finished.get(run.runId) ?? 0, run.training.epochs);
    finishedEpochs += done;
    const e = byModel.get(key) ?? { model: key, epochSeconds: t, runs: 0, epochsLeft: 0, runSeconds: 0 };
    e.runs += 1;
    e.epochsLeft += run.training.epochs - done;
    e.runSeconds += (run.training.epochs - done) * t;
    byModel.set(key, e);
  }
  const models = [...byModel.values()];
  const lanes = Math.max(1, parallel);
  return { models, parallel: lanes, totalSeconds: models.reduce((s, m) => s + m.runSeconds, 0) / lanes, finishedEpochs };
}
