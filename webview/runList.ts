/**
 * The curves' run list: a checkbox per run (not only per loss setting, as the legend), a text
 * filter, and hovering an entry highlights its run in every chart. A run is drawn when it is
 * ticked and matches the filter. What someone unticks and types is handed to `onChange` (kept in
 * the webview state).
 */
import type { RunView } from '../src/protocol/webview';
import { panelRunTitle } from '../src/core/results/runTitle';

/** The text a run is found by: its label (loss, model, seed) and its id. */
export const runText = (run: Pick<RunView, 'runId' | 'lossLabel' | 'modelLabel' | 'seed' | 'experiment'>): string => `${panelRunTitle(run)} ${run.runId}`;

/** Every whitespace-separated word of the filter occurs in the text, ignoring case (W&B's run search). */
export function matchesFilter(text: string, filter: string): boolean {
  const haystack = text.toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The runs the charts hide: those unticked, those the filter does not match, and while Compare Runs shows some (`focus`), the others. */
export function hiddenRunIds(
  runs: readonly Pick<RunView, 'runId' | 'lossLabel' | 'modelLabel' | 'seed' | 'experiment'>[],
  unticked: ReadonlySet<string>,
  filter: string,
  focus: ReadonlySet<string> = new Set(),
): string[] {
  return runs.filter((r) => unticked.has(r.runId) || !matchesFilter(runText(r), filter) || (focus.size > 0 && !focus.has(r.runId))).map((r) => r.runId);
}

export interface RunListState {
  unticked: string[];
  filter: string;
}

export interface RunListListeners {
  /** The set of hidden runs changed (a tick, the filter). */
  onChange(state: RunListState, hidden: string[]): void;
  /** The pointer entered (a run id) or left (undefined) an entry. */
  onHover(runId: string | undefined): void;
}

export class RunListView {
  private runs: RunView[] = [];
  private readonly unticked: Set<string>;
  private filter: string;
  /** The runs Compare Runs shows; empty: every run. */
  private focus = new Set<string>();
  private readonly entries = new Map<string, HTMLLIElement>();

  constructor(
    private readonly list: HTMLElement,
    private readonly filterInput: HTMLInputElement,
    private readonly count: HTMLElement | null,
    initial: RunListState,
    private readonly colourOf: (run: RunView) => string,
    private readonly listeners: RunListListeners,
  ) {
    this.unticked = new Set(initial.unticked);
    this.filter = initial.filter;
    filterInput.value = this.filter;
    filterInput.addEventListener('input', () => {
      this.filter = filterInput.value;
      this.changed();
    });
  }

  /** What the ticks and the filter hide (the charts apply Compare Runs' focus themselves). */
  get hidden(): string[] {
    return hiddenRunIds(this.runs, this.unticked, this.filter);
  }

  /** Compare Runs drew only these (none: all again): the other runs' ticks go off, and cannot be set until it ends. */
  setFocus(runIds: readonly string[]): void {
    this.focus = new Set(runIds);
    this.show();
  }

  get state(): RunListState {
    return { unticked: [...this.unticked], filter: this.filter };
  }

  /** A new list of runs; `state` replaces what was unticked and typed (another experiment's runs). */
  reset(runs: readonly RunView[], state?: RunListState): void {
    if (state) {
      this.unticked.clear();
      for (const id of state.unticked) this.unticked.add(id);
      this.filter = this.filterInput.value = state.filter;
    }
    this.runs = [];
    this.entries.clear();
    this.list.replaceChildren();
    for (const run of runs) this.ensureRun(run);
    this.show();
  }

  ensureRun(run: RunView): void {
    const known = this.runs.findIndex((r) => r.runId === run.runId);
    if (known >= 0) {
      this.runs[known] = run;
      return;
    }
    this.runs.push(run);
    this.list.append(this.entry(run));
    this.show();
  }

  /** Ticks or unticks runs from elsewhere (a legend click on a loss setting). */
  setTicked(runIds: readonly string[], ticked: boolean): void {
    for (const id of runIds) {
      if (ticked) this.unticked.delete(id);
      else this.unticked.add(id);
    }
    this.changed();
  }

  /** The swatches in the current theme's colours. */
  recolour(): void {
    for (const run of this.runs) {
      const swatch = this.entries.get(run.runId)?.querySelector<HTMLElement>('.swatch');
      if (swatch) swatch.style.backgroundColor = this.colourOf(run);
    }
  }

  /** Marks the entry of the run highlighted in the charts. */
  setHighlighted(runId: string | undefined): void {
    for (const [id, li] of this.entries) li.classList.toggle('highlighted', id === runId);
  }

  private entry(run: RunView): HTMLLIElement {
    const li = document.createElement('li');
    li.dataset.runId = run.runId;
    li.title = run.runId;
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = !this.unticked.has(run.runId);
    box.addEventListener('change', () => this.setTicked([run.runId], box.checked));
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    // CSSOM, which the page's Content-Security-Policy allows (an inline style attribute it would not).
    swatch.style.backgroundColor = this.colourOf(run);
    label.append(box, swatch, document.createTextNode(panelRunTitle(run)));
    li.append(label);
    li.addEventListener('mouseenter', () => this.listeners.onHover(run.runId));
    li.addEventListener('mouseleave', () => this.listeners.onHover(undefined));
    this.entries.set(run.runId, li);
    return li;
  }

  private changed(): void {
    this.show();
    this.listeners.onChange(this.state, this.hidden);
  }

  /** Each entry's tick and whether the filter keeps it; the count of runs drawn. */
  private show(): void {
    const hidden = new Set(hiddenRunIds(this.runs, this.unticked, this.filter, this.focus));
    for (const run of this.runs) {
      const li = this.entries.get(run.runId)!;
      li.hidden = !matchesFilter(runText(run), this.filter);
      li.dataset.visible = String(!hidden.has(run.runId));
      const outside = this.focus.size > 0 && !this.focus.has(run.runId);
      const box = li.querySelector('input')!;
      box.checked = !this.unticked.has(run.runId) && !outside;
      box.disabled = outside;
    }
    const drawn = `${this.runs.length - hidden.size} of ${this.runs.length} runs drawn`;
    if (this.count) this.count.textContent = this.focus.size > 0 ? `${drawn} (Compare Runs)` : drawn;
  }
}
