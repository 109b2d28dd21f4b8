/**
 * What the sweep views (the sweep charts and the heatmaps or parallel coordinates) share: the runs
 * they were given, kept by id, each reset or update redrawing from all of them, and the runs as the
 * sweep models take them.
 */
import type { SweepRunInput } from '../src/core/results/sweepSeries';
import type { RunView } from '../src/protocol/webview';

/** A run as the sweep models take it: its setting, swept values and final test accuracy in percent. */
const sweepInputOf = (r: RunView): SweepRunInput => ({
  runId: r.runId,
  lossLabel: r.lossLabel,
  modelLabel: r.modelLabel,
  datasetLabel: r.datasetLabel,
  sweep: r.sweep,
  acc: r.finalAcc === undefined ? undefined : r.finalAcc * 100,
});

export abstract class SweepRunsView {
  protected readonly views = new Map<string, RunView>();

  /** Replaces every run (a new experiment, or the host starting over). */
  reset(runs: readonly RunView[]): void {
    this.views.clear();
    for (const r of runs) this.views.set(r.runId, r);
    this.draw();
  }

  /** A run's new state (its final accuracy may have changed). */
  update(run: RunView): void {
    this.views.set(run.runId, run);
    this.draw();
  }

  /** The runs as the sweep models take them. */
  protected inputs(): SweepRunInput[] {
    return [...this.views.values()].map(sweepInputOf);
  }

  protected abstract draw(): void;
}
