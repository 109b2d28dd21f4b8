/**
 * Which step points the results panel is sent. A finished run of a long experiment has thousands
 * (72 runs × 2,300 were 21 MB on open); `init` carries only how many there are, and the page asks
 * for them when the step axis or a zoom can show them, decimated to the chart's width. Runs that
 * still train, and runs with no more points than a chart draws, are sent whole, as before. No vscode.
 */
import { minMaxIndices, pick, unionIndices, type XRange } from '../../core/results/decimate';
import type { StepPoint } from '../../core/results/types';
import type { ExperimentSnapshot, RunSnapshot } from '../../protocol/webview';

/** A finished run with more step points than this (about a chart's width) is sent without them. */
export const STEP_POINTS_IN_INIT = 400;

function thinRun(run: RunSnapshot): RunSnapshot {
  const steps = run.steps;
  if (!steps || steps.length <= STEP_POINTS_IN_INIT || run.state === 'running') return run;
  const { steps: _left, ...rest } = run;
  return { ...rest, stepInfo: { count: steps.length, stepsPerEpoch: steps.at(-1)!.stepsPerEpoch } };
}

/** The snapshot as `init` posts it: finished runs' many step points replaced by their count. */
export const thinSteps = (snapshot: ExperimentSnapshot): ExperimentSnapshot => ({ ...snapshot, runs: snapshot.runs.map(thinRun) });

/** Six significant digits: the read-out shows four, and 17-digit floats made up half of the bytes. */
const short = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);

/**
 * A run's step points within global steps `window` (all without one), decimated to `buckets`
 * by loss and by accuracy alike (the two train charts draw them), with one neighbour past each
 * edge; values to six significant digits, seconds to the millisecond.
 */
export function decimateSteps(steps: readonly StepPoint[], buckets: number, window?: XRange): StepPoint[] {
  const by = (value: (s: StepPoint) => number) => steps.map((s) => ({ x: s.globalStep, y: value(s) }));
  const kept = pick(
    steps,
    unionIndices(
      minMaxIndices(
        by((s) => s.loss),
        buckets,
        window,
      ),
      minMaxIndices(
        by((s) => s.acc),
        buckets,
        window,
      ),
    ),
  );
  return kept.map((s) => ({ ...s, loss: short(s.loss), acc: short(s.acc), wallSeconds: Math.round(s.wallSeconds * 1000) / 1000 }));
}
