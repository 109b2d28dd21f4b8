/**
 * Decides what the results webview must be told after the experiment folder changed:
 * new epochs, changed run states, diagnostics that appeared, a new table. Remembers
 * what it already sent, so the charts grow point by point instead of being redrawn.
 * No vscode here.
 */
import type { ExperimentSnapshot, RunSnapshot, RunView, ToWebview } from '../protocol/webview';
import { WEBVIEW_PROTOCOL_VERSION } from '../protocol/webview';

/** What the panel shows: one folder, or the folders of a Compare Experiments panel in their order. */
const shownKey = (snapshot: ExperimentSnapshot) => JSON.stringify(snapshot.dirs ?? [snapshot.dir]);

const viewOf = ({ metrics: _m, logits: _l, weightNorms: _w, ...view }: RunSnapshot): RunView => view;

export class PanelSync {
  private dir: string | undefined;
  private shown: string | undefined;
  private readonly lastEpoch = new Map<string, number>();
  private readonly views = new Map<string, string>();
  /** Runs whose logits / weight norms were sent; each file is written separately, so each is tracked. */
  private readonly sentLogits = new Set<string>();
  private readonly sentNorms = new Set<string>();
  private table = '';

  get experimentDir(): string | undefined {
    return this.dir;
  }

  /** The full picture; everything after it is incremental. */
  init(snapshot: ExperimentSnapshot): ToWebview {
    this.dir = snapshot.dir;
    this.shown = shownKey(snapshot);
    this.lastEpoch.clear();
    this.views.clear();
    this.sentLogits.clear();
    this.sentNorms.clear();
    for (const run of snapshot.runs) {
      this.lastEpoch.set(run.runId, run.metrics.at(-1)?.epoch ?? 0);
      this.views.set(run.runId, JSON.stringify(viewOf(run)));
      if (run.logits) this.sentLogits.add(run.runId);
      if (run.weightNorms) this.sentNorms.add(run.runId);
    }
    this.table = JSON.stringify(snapshot.table);
    return { type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot };
  }

  /** Messages that bring the webview from what it was sent to `snapshot`. */
  update(snapshot: ExperimentSnapshot): ToWebview[] {
    // Another experiment, a run restarted from scratch or a run deleted: start over.
    const restarted = snapshot.runs.some((r) => (r.metrics.at(-1)?.epoch ?? 0) < (this.lastEpoch.get(r.runId) ?? 0));
    const removed = [...this.views.keys()].some((id) => !snapshot.runs.some((r) => r.runId === id));
    if (shownKey(snapshot) !== this.shown || restarted || removed) return [this.init(snapshot)];
    const messages: ToWebview[] = [];
    for (const run of snapshot.runs) messages.push(...this.runMessages(run));
    const table = JSON.stringify(snapshot.table);
    if (table !== this.table) {
      this.table = table;
      messages.push({ type: 'table', table: snapshot.table });
    }
    return messages;
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
    const logits = run.logits && !this.sentLogits.has(run.runId) ? run.logits : undefined;
    const weightNorms = run.weightNorms && !this.sentNorms.has(run.runId) ? run.weightNorms : undefined;
    if (logits) this.sentLogits.add(run.runId);
    if (weightNorms) this.sentNorms.add(run.runId);
    if (logits || weightNorms) messages.push({ type: 'diagnostics', runId: run.runId, ...(logits ? { logits } : {}), ...(weightNorms ? { weightNorms } : {}) });
    return messages;
  }
}
