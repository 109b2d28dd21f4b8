/**
 * The runs' states under the title: a summary line ("8 runs: 6 done, 2 running") that opens onto
 * every run's line, each named as the tree names it; all lines show, none hidden in an inner scroll box.
 */
import { panelRunTitle } from '../src/core/results/runTitle';
import { runDescription } from '../src/protocol/runText';
import { stateLabel, type RunView } from '../src/protocol/webview';
import { plural } from '../src/core/util/format';

export class RunStatusView {
  private readonly root = document.getElementById('run-status') as HTMLElement;
  private readonly summary = document.createElement('summary');
  private readonly list = document.createElement('ul');
  private readonly items = new Map<string, { view: RunView; li: HTMLLIElement }>();

  constructor() {
    this.summary.className = 'summary';
    const details = document.createElement('details');
    details.append(this.summary, this.list);
    this.root.replaceChildren(details);
  }

  reset(runs: readonly RunView[]): void {
    this.items.clear();
    this.list.replaceChildren();
    for (const run of runs) this.update(run);
    this.updateSummary();
  }

  update(run: RunView): void {
    let item = this.items.get(run.runId);
    if (!item) {
      item = { view: run, li: document.createElement('li') };
      this.items.set(run.runId, item);
      this.list.append(item.li);
    }
    item.view = run;
    item.li.dataset.runId = run.runId;
    item.li.dataset.state = run.state;
    item.li.dataset.stale = String(run.stale !== undefined);
    // Stale: trained under another config than the experiment's now (core/results/staleness.ts says which fields).
    item.li.textContent = statusLine(run);
    item.li.title = [run.reason, run.stale && `Stale: ${run.stale}. Run the experiment to extend or retrain it.`].filter(Boolean).join('\n');
    this.updateSummary();
  }

  private updateSummary(): void {
    const counts = new Map<RunView['state'], number>();
    for (const { view } of this.items.values()) counts.set(view.state, (counts.get(view.state) ?? 0) + 1);
    const parts = [...counts].map(([state, n]) => `${n} ${stateLabel(state)}`);
    const stale = [...this.items.values()].filter(({ view }) => view.stale !== undefined).length;
    if (stale > 0) parts.push(`${stale} stale`);
    this.summary.textContent = `${plural(this.items.size, 'run')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  }
}

/** One run's line: "CE · Simple CNN · seed 1: running epoch 2/3", and why it is stale when it is. */
export function statusLine(run: RunView): string {
  return `${panelRunTitle(run)}: ${runDescription(run)}${run.stale ? ` · stale (${run.stale})` : ''}`;
}
