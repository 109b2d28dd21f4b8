/** Renders a ComparisonTable for spreadsheets (CSV), READMEs (Markdown), papers (LaTeX) and terminals. */
import type { ComparisonTable, TableCell } from './table';

export interface ExportOptions {
  /** Decimals of the percentages in Markdown, LaTeX and console output. Default 2, as the paper prints them. */
  digits?: number;
}

const PARTIAL_NOTE = 'includes unfinished runs (accuracy at their last finished epoch)';
/** A cell of one run has no spread: it says n=1 rather than a misleading ± 0. */
const SINGLE_NOTE = 'a single run, no spread over seeds';
const isSingleRun = (c: TableCell) => c.n === 1;

const anyCell = (table: ComparisonTable, test: (c: TableCell) => boolean) => table.cells.some((row) => row.some((c) => c !== undefined && test(c)));

/** Enough precision for analysis without float noise (76.33333333333333 → 76.333333). */
const precise = (x: number) => String(Number(x.toFixed(6)));

function csvField(value: string): string {
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One line per cell (tidy form, easy to load in pandas or a spreadsheet), in row-major order. */
export function toCsv(table: ComparisonTable): string {
  const lines = ['loss,dataset,model,mean,std,n,partial,best,runs'];
  table.rows.forEach((loss, r) =>
    table.columns.forEach((column, c) => {
      const cell = table.cells[r][c];
      if (!cell) return;
      const fields = [loss, column.dataset, column.model, precise(cell.mean), precise(cell.std), String(cell.n), String(cell.partial), String(cell.best), cell.runs.join(';')];
      lines.push(fields.map(csvField).join(','));
    }),
  );
  return lines.join('\n') + '\n';
}

/** Cells like `76.12% (±0.31%)`, the best of each column in bold, † for cells with unfinished runs. */
export function toMarkdown(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const cellText = (cell: TableCell | undefined) => {
    if (!cell) return '—';
    const text = isSingleRun(cell) ? `${cell.mean.toFixed(digits)}% (n=1)` : `${cell.mean.toFixed(digits)}% (±${cell.std.toFixed(digits)}%)`;
    return `${cell.best ? `**${text}**` : text}${cell.partial ? ' †' : ''}`;
  };
  const lines = [
    `| Loss | ${table.columns.map((c) => escape(c.label)).join(' | ')} |`,
    `| :--- | ${table.columns.map(() => '---:').join(' | ')} |`,
    ...table.rows.map((loss, r) => `| ${escape(loss)} | ${table.cells[r].map(cellText).join(' | ')} |`),
  ];
  const notes = [anyCell(table, (c) => c.partial) && `† ${PARTIAL_NOTE}.`, anyCell(table, isSingleRun) && `n=1: ${SINGLE_NOTE}.`].filter((n): n is string => Boolean(n));
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n') + '\n';
}

function latexEscape(s: string): string {
  return s
    .replace(/[\\{}&%$#_^~]/g, (ch) => ({ '\\': '\\textbackslash{}', '^': '\\^{}', '~': '\\~{}' })[ch] ?? `\\${ch}`)
    .replace(/×/g, '$\\times$')
    .replace(/±/g, '$\\pm$');
}

/** A booktabs tabular: accuracy in percent as `mean $\pm$ std`, the best of each column in \textbf. */
export function toLatex(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const cellText = (cell: TableCell | undefined) => {
    if (!cell) return '--';
    const text = isSingleRun(cell) ? `${cell.mean.toFixed(digits)}$^{n=1}$` : `${cell.mean.toFixed(digits)} $\\pm$ ${cell.std.toFixed(digits)}`;
    return `${cell.best ? `\\textbf{${text}}` : text}${cell.partial ? '$^\\dagger$' : ''}`;
  };
  const lines = [
    '% Test accuracy (%), mean $\\pm$ sample std over seeds; best per column in bold.',
    ...(anyCell(table, (c) => c.partial) ? [`% $^\\dagger$ ${PARTIAL_NOTE}.`] : []),
    ...(anyCell(table, isSingleRun) ? [`% $^{n=1}$ ${SINGLE_NOTE}.`] : []),
    `\\begin{tabular}{l${'r'.repeat(table.columns.length)}}`,
    '\\toprule',
    `Loss & ${table.columns.map((c) => latexEscape(c.label)).join(' & ')} \\\\`,
    '\\midrule',
    ...table.rows.map((loss, r) => `${latexEscape(loss)} & ${table.cells[r].map(cellText).join(' & ')} \\\\`),
    '\\bottomrule',
    '\\end{tabular}',
  ];
  return lines.join('\n') + '\n';
}

/** Plain aligned text: `mean ± std`, `*` marks the best of a column, `†` cells with unfinished runs. */
export function toConsole(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const values = table.cells.map((row) => row.map((cell) => (!cell ? '—' : isSingleRun(cell) ? `${cell.mean.toFixed(digits)} (n=1)` : `${cell.mean.toFixed(digits)} ± ${cell.std.toFixed(digits)}`)));
  const marks = table.cells.map((row) => row.map((cell) => (cell?.partial ? '†' : '') + (cell?.best ? '*' : '')));
  const markWidth = Math.max(0, ...marks.flat().map((m) => m.length));
  const render = (r: number, c: number) => values[r][c] + (markWidth ? ' ' + marks[r][c].padEnd(markWidth) : '');
  // Headers align with the numbers, not with the marks after them.
  const headers = table.columns.map((col) => col.label + (markWidth ? ' '.repeat(markWidth + 1) : ''));
  const widths = headers.map((header, c) => Math.max(header.length, ...table.rows.map((_, r) => render(r, c).length)));
  const lossWidth = Math.max(4, ...table.rows.map((l) => l.length));
  const line = (first: string, cells: string[]) => [first.padEnd(lossWidth), ...cells.map((s, c) => s.padStart(widths[c]))].join('  ').trimEnd();
  const lines = [
    line('Loss', headers),
    [lossWidth, ...widths].map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map((loss, r) => line(loss, table.columns.map((_, c) => render(r, c)))),
  ];
  const legend = [anyCell(table, (c) => c.best) && '* best in column', anyCell(table, (c) => c.partial) && `† ${PARTIAL_NOTE}`, anyCell(table, isSingleRun) && `n=1: ${SINGLE_NOTE}`].filter(Boolean);
  return [...lines, ...(legend.length ? ['', ...legend] : [])].join('\n') + '\n';
}
