/**
 * The run table: a row per run, sortable by clicking a header, filtered by text. Clicking a
 * row (or Enter on it) shows the run in the logit and weight-norm figures; Shift picks the
 * run they are compared with. Each row's first cell pins the run as the curves' baseline (or
 * unpins it), and the pinned one is marked. Sort and filter are kept in the webview state by main.ts.
 */
import type { RunTableState, RunView } from '../src/protocol/webview';
import { nextSort, runTableView } from './runTableModel';
import { plural } from '../src/core/util/format';

export interface RunTableCallbacks {
  /** A row was picked: as the figures' first run, or (Shift) as the one it is compared with. */
  onPick(runId: string, asSecond: boolean): void;
  /** Sort or filter changed, to persist. */
  onState(state: RunTableState): void;
  /** A row's baseline button: this run as the curves' baseline (undefined: none). */
  onBaseline(runId: string | undefined): void;
}

const BASELINE_TITLE = 'Baseline: a run drawn grey and dashed in every chart, to read the others against';

export class RunTableView {
  private readonly table = document.getElementById('run-table') as HTMLTableElement;
  private readonly filter = document.getElementById('run-table-filter') as HTMLInputElement;
  private readonly count = document.getElementById('run-table-count') as HTMLElement;
  private readonly runs = new Map<string, RunView>();
  private picked: string[] = [];
  private focused = new Set<string>();
  private baseline: string | undefined;

  constructor(
    private state: RunTableState,
    private readonly callbacks: RunTableCallbacks,
  ) {
    this.filter.value = state.filter ?? '';
    this.filter.addEventListener('input', () => {
      const filter = this.filter.value;
      this.state = { ...this.state, filter };
      if (!filter) delete this.state.filter;
      this.render();
      this.callbacks.onState(this.state);
    });
  }

  reset(runs: readonly RunView[]): void {
    this.runs.clear();
    for (const run of runs) this.runs.set(run.runId, run);
    this.render();
  }

  update(run: RunView): void {
    this.runs.set(run.runId, run);
    this.render();
  }

  /** The runs of the logit and weight-norm figures, marked in the table. */
  setPicked(runIds: readonly string[]): void {
    this.picked = [...runIds];
    this.render();
  }

  /** The curves' baseline run, marked in the table. */
  setBaseline(runId: string | undefined): void {
    if (runId === this.baseline) return;
    this.baseline = runId;
    this.render();
  }

  /** The runs Compare Runs picked, marked in the table. */
  setFocus(runIds: readonly string[]): void {
    this.focused = new Set(runIds);
    this.render();
  }

  private sortBy(key: string): void {
    this.state = nextSort(this.state, key);
    this.render();
    this.callbacks.onState(this.state);
    this.table.querySelector<HTMLButtonElement>(`thead button[data-key="${CSS.escape(key)}"]`)?.focus();
  }

  /** The row's first cell: a button that pins the run as the baseline, or unpins it when it is. */
  private baselineCell(runId: string): HTMLTableCellElement {
    const pinned = runId === this.baseline;
    const td = document.createElement('td');
    td.className = 'baseline-col';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'baseline-toggle';
    button.textContent = pinned ? '★' : '☆';
    button.setAttribute('aria-pressed', String(pinned));
    button.title = pinned ? `The baseline; click to unset it` : `Set as baseline: drawn grey and dashed in every chart`;
    button.setAttribute('aria-label', pinned ? `Unset ${runId} as baseline` : `Set ${runId} as baseline`);
    // The button, not the row: a click here does not also pick the run for the figures.
    button.addEventListener('click', (e) => {
      e.stopPropagation();
      this.callbacks.onBaseline(pinned ? undefined : runId);
    });
    td.append(button);
    return td;
  }

  private render(): void {
    const view = runTableView([...this.runs.values()], this.state);
    const head = document.createElement('tr');
    const pinHead = document.createElement('th');
    pinHead.scope = 'col';
    pinHead.className = 'baseline-col';
    pinHead.textContent = '★';
    pinHead.title = BASELINE_TITLE;
    pinHead.setAttribute('aria-label', 'Baseline');
    head.append(pinHead);
    for (const col of view.columns) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (col.numeric) th.className = 'num';
      th.setAttribute('aria-sort', col.sort ?? 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.dataset.key = col.key;
      button.textContent = `${col.label}${col.sort === 'ascending' ? ' ▲' : col.sort === 'descending' ? ' ▼' : ''}`;
      button.title = `Sort by ${col.label}`;
      button.addEventListener('click', () => this.sortBy(col.key));
      th.append(button);
      head.append(th);
    }
    this.table.tHead!.replaceChildren(head);
    const numeric = view.columns.map((c) => c.numeric);
    const rows = view.rows.map(({ runId, cells }) => {
      const tr = document.createElement('tr');
      tr.dataset.runId = runId;
      tr.tabIndex = 0;
      tr.title = `${runId}\nClick: show in the logit and weight-norm figures; Shift+click: compare with the run shown there.`;
      const pick = this.picked.indexOf(runId);
      if (pick >= 0) tr.dataset.picked = pick === 0 ? 'first' : 'second';
      if (this.focused.has(runId)) tr.dataset.focused = 'true';
      if (runId === this.baseline) tr.dataset.baseline = 'true';
      tr.setAttribute('aria-selected', String(pick >= 0));
      tr.append(this.baselineCell(runId));
      cells.forEach((text, i) => {
        const td = document.createElement('td');
        td.textContent = text;
        if (numeric[i]) td.className = 'num';
        tr.append(td);
      });
      const choose = (asSecond: boolean) => this.callbacks.onPick(runId, asSecond);
      tr.addEventListener('click', (e) => choose(e.shiftKey));
      tr.addEventListener('keydown', (e) => {
        // The baseline button's own keys are its own.
        if (e.target !== tr) return;
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          choose(e.shiftKey);
        }
      });
      return tr;
    });
    this.table.tBodies[0].replaceChildren(...rows);
    this.table.dataset.rows = String(rows.length);
    this.count.textContent = view.rows.length === view.total ? `${plural(view.total, 'run')}` : `${view.rows.length} of ${view.total} runs`;
  }
}
