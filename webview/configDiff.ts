/** The Compare Runs section: the compared runs' differing config fields side by side, and a way back to all runs. */
import type { RunView } from '../src/protocol/webview';
import { configDiff } from './configDiffModel';

export class ConfigDiffView {
  private readonly section = document.getElementById('compare') as HTMLElement;
  private readonly table = document.getElementById('config-diff') as HTMLTableElement;
  private readonly note = document.getElementById('config-diff-note') as HTMLElement;
  private readonly runs = new Map<string, RunView>();
  private focused: string[] = [];

  constructor(onClear: () => void) {
    document.getElementById('compare-clear')?.addEventListener('click', onClear);
  }

  reset(runs: readonly RunView[]): void {
    this.runs.clear();
    for (const run of runs) this.runs.set(run.runId, run);
    this.render();
  }

  update(run: RunView): void {
    this.runs.set(run.runId, run);
    if (this.focused.includes(run.runId)) this.render();
  }

  /** Compares these runs; none hides the section. */
  show(runIds: readonly string[]): void {
    this.focused = [...runIds];
    this.render();
  }

  private render(): void {
    const runs = this.focused.map((id) => this.runs.get(id)).filter((r): r is RunView => r !== undefined);
    this.section.hidden = runs.length === 0;
    if (runs.length === 0) return;
    const diff = configDiff(runs);
    const cell = (tag: 'th' | 'td', text: string, scope?: string) => {
      const el = document.createElement(tag);
      el.textContent = text;
      if (scope) el.setAttribute('scope', scope);
      return el;
    };
    const head = document.createElement('tr');
    head.append(cell('th', 'Field', 'col'), ...diff.labels.map((l, i) => Object.assign(cell('th', l, 'col'), { title: diff.runIds[i] })));
    this.table.tHead!.replaceChildren(head);
    this.table.tBodies[0].replaceChildren(
      ...diff.rows.map((row) => {
        const tr = document.createElement('tr');
        tr.dataset.field = row.field;
        tr.append(cell('th', row.field, 'row'), ...row.values.map((v) => cell('td', v)));
        return tr;
      }),
    );
    const missing = this.focused.length - runs.length;
    this.note.textContent = [
      diff.rows.length === 0 ? 'These runs have the same config.' : `${diff.same} other field${diff.same === 1 ? ' is' : 's are'} the same in every compared run.`,
      missing > 0 ? `${missing} picked run${missing === 1 ? ' is' : 's are'} not in this experiment any more.` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
}
