/**
 * How far a grid is, from its workers' events: the share of its runs' work done, and which
 * running run to name. No vscode here, so the arithmetic is unit-tested.
 */
import type { TrialState } from '../../core/search/record';

/** A run that has trained its last epoch still evaluates, writes its figures and summary: it counts as this much until it ends. */
const UNFINISHED_CAP = 0.99;

interface RunProgress {
  fraction: number;
  detail: string;
  /** When its detail last changed, to name the run heard from last. */
  seq: number;
}

/** How an ended run left the grid: only a done run counts as whole. A search trial stops at its rung `paused`, and is `pruned` once tuning ended without it. */
export type EndedAs = 'done' | 'failed' | 'stopped' | Extract<TrialState, 'paused' | 'pruned'>;

/** The order ended runs are listed in after "done". */
const OTHERS = ['paused', 'pruned', 'stopped', 'failed'] as const;

export class GridProgressTracker {
  private readonly running = new Map<string, RunProgress>();
  /** Runs that ended, by how, and the share of their epochs they trained; a promoted trial leaves it when it starts again. */
  private readonly ended = new Map<string, { as: EndedAs; fraction: number }>();
  private seq = 0;

  constructor(private readonly total: number) {}

  started(runId: string, resumedFromEpoch: number, epochs: number): void {
    this.ended.delete(runId);
    this.set(runId, resumedFromEpoch / Math.max(1, epochs));
  }

  step(runId: string, epoch: number, step: number, steps: number, epochs: number, detail: string): void {
    this.set(runId, (epoch - 1 + step / Math.max(1, steps)) / Math.max(1, epochs), detail);
  }

  epochDone(runId: string, epoch: number, epochs: number): void {
    this.set(runId, epoch / Math.max(1, epochs));
  }

  /** The run's worker exited: a done run is whole; a failed or stopped one keeps the share it trained. Either is no longer named. */
  runEnded(runId: string, endedAs: EndedAs = 'done'): void {
    const run = this.running.get(runId);
    this.running.delete(runId);
    this.ended.set(runId, { as: endedAs, fraction: endedAs === 'done' ? 1 : Math.min(UNFINISHED_CAP, run?.fraction ?? 0) });
  }

  /** Tuning ended: these paused trials will not continue. */
  pruned(runIds: Iterable<string>): void {
    for (const id of runIds) {
      const run = this.ended.get(id);
      if (run?.as === 'paused') run.as = 'pruned';
    }
  }

  /** Runs that ended, by how. */
  get counts(): Record<EndedAs, number> {
    const counts: Record<EndedAs, number> = { done: 0, failed: 0, stopped: 0, paused: 0, pruned: 0 };
    for (const run of this.ended.values()) counts[run.as] += 1;
    return counts;
  }

  /** Share of the grid's training done, 0..1; 1 only once every run has ended done. */
  get fraction(): number {
    if (this.total === 0) return 1;
    const inFlight = [...this.running.values()].reduce((a, r) => a + Math.min(UNFINISHED_CAP, r.fraction), 0);
    const ended = [...this.ended.values()].reduce((a, r) => a + r.fraction, 0);
    return Math.min(1, (ended + inFlight) / this.total);
  }

  /** What the run heard from last, among those still running; '' when none is. */
  get detail(): string {
    let latest: RunProgress | undefined;
    for (const r of this.running.values()) if (r.detail && (!latest || r.seq > latest.seq)) latest = r;
    return latest?.detail ?? '';
  }

  private set(runId: string, fraction: number, detail?: string): void {
    const run = this.running.get(runId) ?? { fraction: 0, detail: '', seq: 0 };
    run.fraction = fraction;
    if (detail !== undefined) {
      run.detail = detail;
      run.seq = ++this.seq;
    }
    this.running.set(runId, run);
  }
}

/** Whole percent for display, rounded down: 99.7% of the work is not "100%". */
export function progressPercent(fraction: number): number {
  return Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
}

/** "1/2 done", then the runs that ended otherwise: "0/2 done · 1 stopped · 1 failed" (a search's trials: "· 2 paused · 1 pruned"). */
export function runCountText(counts: Readonly<Record<EndedAs, number>>, total: number): string {
  const others = OTHERS.filter((k) => counts[k] > 0).map((k) => ` · ${counts[k]} ${k}`);
  return `${counts.done}/${total} done${others.join('')}`;
}
