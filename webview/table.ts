/** The comparison table and its export buttons. */
import type { ComparisonTable } from '../src/core/results/table';
import type { ExportFormat, FromWebview } from '../src/protocol/webview';
import { statisticsNotes } from '../src/core/results/tableNotes';
import { tableView } from './tableModel';

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

export class ComparisonTableView {
  private readonly table = document.getElementById('comparison-table') as HTMLTableElement;
  private readonly notice = document.getElementById('table-notice') as HTMLElement;
  private nextRequest = 1;

  constructor(post: (msg: FromWebview) => void) {
    const buttons: [string, 'export' | 'copy', ExportFormat][] = [
      ['export-csv', 'export', 'csv'],
      ['export-md', 'export', 'md'],
      ['export-latex', 'export', 'latex'],
      ['copy-md', 'copy', 'md'],
    ];
    for (const [id, type, format] of buttons) {
      document.getElementById(id)?.addEventListener('click', () => {
        this.notice.textContent = '';
        post({ type, requestId: this.nextRequest++, format });
      });
    }
  }

  render(table: ComparisonTable): void {
    const view = tableView(table);
    const head = el('tr');
    view.headers.forEach((h, i) => head.append(el('th', h, { scope: 'col', ...(i > 0 ? { class: 'num' } : {}) })));
    this.table.tHead!.replaceChildren(head);
    const rows = view.rows.map((row) => {
      const tr = el('tr');
      tr.append(el('th', row.label, { scope: 'row' }));
      for (const cell of row.cells) {
        const td = el('td', undefined, { class: 'num', title: cell.title });
        if (cell.best) {
          td.setAttribute('data-best', 'true');
          td.append(el('strong', cell.text));
        } else {
          td.textContent = cell.text;
        }
        if (cell.partial) td.setAttribute('data-partial', 'true');
        if (cell.detail) {
          const delta = el('div', cell.detail, { class: 'delta' });
          if (cell.notSignificant) delta.setAttribute('data-not-significant', 'true');
          td.append(delta);
        }
        tr.append(td);
      }
      return tr;
    });
    this.table.tBodies[0].replaceChildren(...rows);
    // Which interval and which test: the same footnotes as the exported tables.
    const notes = statisticsNotes(table);
    if (notes.length) this.table.createCaption().replaceChildren(...notes.map((n) => el('div', n)));
    else this.table.deleteCaption();
    this.table.setAttribute('data-rows', String(rows.length));
  }

  showNotice(ok: boolean, message: string): void {
    this.notice.textContent = message;
    this.notice.classList.toggle('error', !ok);
  }
}
