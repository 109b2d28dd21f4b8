/**
 * How a run reads wherever it is shown (the Loss Lab view, the results panel): one wording,
 * so "%" next to a run is always labelled as the accuracy it is.
 */
import { percent } from '../core/util/format';
import type { RunView } from './webview';

/** "test acc 81.20%": a run's final (or latest) test accuracy, named so it is not read as progress. */
export function accuracyText(acc: number): string {
  return `test acc ${percent(acc)}`;
}

/** "running epoch 2/3 · test acc 81.20%": the state, then the accuracy when there is one. */
export function runDescription(run: Pick<RunView, 'stateText' | 'finalAcc'>): string {
  return [run.stateText, run.finalAcc === undefined ? '' : accuracyText(run.finalAcc)].filter(Boolean).join(' · ');
}

/**
 * Short names for an experiment's runs ("Scaled-BN m=0.9 · seed 2"), the model in front only
 * when the experiment has several; the run id (a long folder name) is for tooltips.
 */
export function shortRunLabels(runs: readonly Pick<RunView, 'runId' | 'lossLabel' | 'modelLabel' | 'seed'>[]): Map<string, string> {
  const severalModels = new Set(runs.map((r) => r.modelLabel)).size > 1;
  return new Map(runs.map((r) => [r.runId, [severalModels ? r.modelLabel : '', r.lossLabel, `seed ${r.seed}`].filter(Boolean).join(' · ')]));
}
