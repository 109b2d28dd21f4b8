/**
 * Decides what the results webview must be told after the experiment folder changed:
 * new epochs, changed run states, diagnostics that appeared, a new table. Remembers
 * what it already sent, so the charts grow point by point instead of being redrawn.
 * No vscode here.
 */
import { stepBefore } from '../../core/results/runReader';
import type { StepPoint } from '../../core/results/types';
import type { ExperimentSnapshot, RunSnapshot, RunView, ToWebview } from '../../protocol/webview';
import { WEBVIEW_PROTOCOL_VERSION } from '../../protocol/webview';
import { thinSteps } from './stepPayload';

/** What the panel shows: one folder, or the folders of a Compare Experiments panel in their order. */
const shownKey = (snapshot: ExperimentSnapshot) => JSON.stringify(snapshot.dirs ?? [snapshot.dir]);

const viewOf = ({ metrics: _m, steps: _s, stepInfo: _i, logits: _l, weightNorms: _w, ...view }: RunSnapshot): RunView => view;

/** Step points of a run already sent: how many (they are steps.jsonl's first lines) and the last of them. */
interface SentSteps {
  count: number;
  last?: StepPoint;
}

const samePoint = (a: StepPoint | undefined, b: StepPoint | undefined): boolean =>
  a !== undefined && b !== undefined && a.epoch === b.epoch && a.step === b.step && a.globalStep === b.globalStep && a.wallSeconds === b.wallSeconds && a.loss === b.loss && a.acc === b.acc;

const comesAfter = (point: StepPoint, last: StepPoint | undefined): boolean => !last || stepBefore(last, point);

/** The sent points are no longer the first of the run's steps.jsonl: a resume dropped the interrupted epoch's points, or a restart all of them. */
const stepsRewritten = (steps: readonly StepPoint[] | undefined, sent: SentSteps | undefined): boolean => sent !== undefined && sent.count > 0 && !samePoint(steps?.[sent.count - 1], sent.last);

export class PanelSync {
  private dir: string | undefined;
  private shown: string | undefined;
  private readonly lastEpoch = new Map<string, number>();
  private readonly sentSteps = new Map<string, SentSteps>();
  private readonly views = new Map<string, string>();
  /** Runs whose logits / weight norms were sent; each file is written separately, so each is tracked. */
  private readonly sentLogits = new Set<string>();
  private readonly sentNorms = new Set<string>();
  private table = '';
  private search = '';
  private warnings = '';

  get experimentDir(): string | undefined {
    return this.dir;
  }

  /** The full picture; everything after it is incremental. */
  init(snapshot: ExperimentSnapshot): ToWebview {
    this.dir = snapshot.dir;
    this.shown = shownKey(snapshot);
    this.lastEpoch.clear();
    this.sentSteps.clear();
    this.views.clear();
    this.sentLogits.clear();
    this.sentNorms.clear();
    for (const run of snapshot.runs) {
      this.lastEpoch.set(run.runId, run.metrics.at(-1)?.epoch ?? 0);
      this.sentSteps.set(run.runId, { count: run.steps?.length ?? 0, last: run.steps?.at(-1) });
      this.views.set(run.runId, JSON.stringify(viewOf(run)));
      if (run.logits) this.sentLogits.add(run.runId);
      if (run.weightNorms) this.sentNorms.add(run.runId);
    }
    this.table = JSON.stringify(snapshot.table);
    this.search = JSON.stringify(snapshot.search ?? null);
    this.warnings = JSON.stringify(snapshot.warnings);
    // Counted as sent: the page asks for a finished run's left-out points itself.
    return { type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot: thinSteps(snapshot) };
  }

  /** Messages that bring the webview from what it was sent to `snapshot`. */
  update(snapshot: ExperimentSnapshot): ToWebview[] {
    // Another experiment, a run restarted from scratch or resumed (its step points redone), or a run deleted: start over.
    const restarted = snapshot.runs.some((r) => (r.metrics.at(-1)?.epoch ?? 0) < (this.lastEpoch.get(r.runId) ?? 0) || stepsRewritten(r.steps, this.sentSteps.get(r.runId)));
    const removed = [...this.views.keys()].some((id) => !snapshot.runs.some((r) => r.runId === id));
    if (shownKey(snapshot) !== this.shown || restarted || removed) return [this.init(snapshot)];
    const messages: ToWebview[] = [];
    for (const run of snapshot.runs) messages.push(...this.runMessages(run));
    const table = JSON.stringify(snapshot.table);
    if (table !== this.table) {
      this.table = table;
      messages.push({ type: 'table', table: snapshot.table });
    }
    const search = JSON.stringify(snapshot.search ?? null);
    if (search !== this.search) {
      this.search = search;
      messages.push({ type: 'search', ...(snapshot.search ? { search: snapshot.search } : {}) });
    }
    const warnings = JSON.stringify(snapshot.warnings);
    if (warnings !== this.warnings) {
      this.warnings = warnings;
      messages.push({ type: 'warnings', warnings: snapshot.warnings });
    }
    return messages;
  }

  /**
   * A step point a live worker just logged (it is in steps.jsonl already): a `step` message unless it
   * was sent already. One that does not come after the last sent (a resume redoing an epoch) is left
   * to the next update, which finds the file rewritten and starts over.
   */
  step(runId: string, point: StepPoint): ToWebview[] {
    if (!this.views.has(runId)) return []; // not in the panel yet: the next update brings the run with its points
    const sent = this.sentSteps.get(runId) ?? { count: 0 };
    if (!comesAfter(point, sent.last)) return [];
    this.sentSteps.set(runId, { count: sent.count + 1, last: point });
    return [{ type: 'step', runId, point }];
  }

  /**
   * The points of a run's steps.jsonl not sent yet (read again on its own while the run trains, not the
   * whole experiment); undefined when the file was rewritten (a resume, a restart): then `update` starts over.
   */
  steps(runId: string, steps: readonly StepPoint[]): ToWebview[] | undefined {
    if (!this.views.has(runId)) return [];
    if (stepsRewritten(steps, this.sentSteps.get(runId))) return undefined;
    return this.newSteps(runId, steps);
  }

  private newSteps(runId: string, steps: readonly StepPoint[]): ToWebview[] {
    const sent = this.sentSteps.get(runId)?.count ?? 0;
    if (steps.length <= sent) return [];
    this.sentSteps.set(runId, { count: steps.length, last: steps.at(-1) });
    return steps.slice(sent).map((point) => ({ type: 'step', runId, point }));
  }

  private runMessages(run: RunSnapshot): ToWebview[] {
    const messages: ToWebview[] = [];
    const view = JSON.stringify(viewOf(run));
    if (this.views.get(run.runId) !== view) {
      this.views.set(run.runId, view);
      messages.push({ type: 'runState', ...viewOf(run) });
    }
    const sent = this.lastEpoch.get(run.runId) ?? 0;
    for (const metrics of run.metrics) if (metrics.epoch > sent) messages.push({ type: 'epoch', runId: run.runId, metrics });
    this.lastEpoch.set(run.runId, Math.max(sent, run.metrics.at(-1)?.epoch ?? 0));
    messages.push(...this.newSteps(run.runId, run.steps ?? []));
    const logits = run.logits && !this.sentLogits.has(run.runId) ? run.logits : undefined;
    const weightNorms = run.weightNorms && !this.sentNorms.has(run.runId) ? run.weightNorms : undefined;
    if (logits) this.sentLogits.add(run.runId);
    if (weightNorms) this.sentNorms.add(run.runId);
    if (logits || weightNorms) messages.push({ type: 'diagnostics', runId: run.runId, ...(logits ? { logits } : {}), ...(weightNorms ? { weightNorms } : {}) });
    return messages;
  }
}
