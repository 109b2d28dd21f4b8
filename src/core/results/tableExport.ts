/** Renders a ComparisonTable for spreadsheets (CSV), READMEs (Markdown), papers (LaTeX) and terminals. */
import type { ComparisonTable, TableCell } from './table';
import { ciText, diffText, hasComparisons, NOT_SIGNIFICANT, statisticsNotes } from './tableNotes';
import { paramsText } from '../search/summary';

export interface ExportOptions {
  /** Decimals of the percentages in Markdown, LaTeX and console output. Default 2, as the paper prints them. */
  digits?: number;
}

const PARTIAL_NOTE = 'includes unfinished runs (accuracy at their last finished epoch)';
/** A cell of one run has no spread: it says n=1 rather than a misleading ± 0. */
const SINGLE_NOTE = 'a single run, no spread over seeds';
const isSingleRun = (c: TableCell) => c.n === 1;
/** A diverged run's accuracy is not a result: it is left out, and the cell says so. */
const DIVERGED_NOTE = 'some runs of the cell diverged: left out of the mean, the tests and the best mark';
const DIVERGED_TEXT = 'diverged';
const hasDiverged = (c: TableCell) => (c.diverged?.length ?? 0) > 0;
const divergedMark = (c: TableCell | undefined) => (c && c.n > 0 && hasDiverged(c) ? '‡' : '');

const anyCell = (table: ComparisonTable, test: (c: TableCell) => boolean) => table.cells.some((row) => row.some((c) => c !== undefined && test(c)));

/** Enough precision for analysis without float noise (76.33333333333333 → 76.333333). */
const precise = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : String(Number(x.toFixed(6))));

/** A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvField(value: string): string {
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows other than the baseline's, with their index: the rows of the difference table. */
const comparedRows = (table: ComparisonTable) => table.rows.map((loss, r) => ({ loss, r })).filter(({ loss }) => loss !== table.baseline);

/** One line per cell (tidy form, easy to load in pandas or a spreadsheet), in row-major order; a search's table adds what each cell was tuned to. */
export function toCsv(table: ComparisonTable): string {
  const tuned = anyCell(table, (c) => c.tuning !== undefined);
  const lines = [
    `loss,dataset,model,mean,std,n,ci_low,ci_high,partial,best,baseline,diff,diff_ci_low,diff_ci_high,p_sign_flip,significant,seeds,runs,diverged_runs${tuned ? ',tuned,tuning_trials,tuning_epochs' : ''}`,
  ];
  table.rows.forEach((loss, r) =>
    table.columns.forEach((column, c) => {
      const cell = table.cells[r][c];
      if (!cell) return;
      const cmp = cell.vsBaseline;
      const fields = [
        loss,
        column.dataset,
        column.model,
        precise(cell.mean),
        precise(cell.std),
        String(cell.n),
        precise(cell.ci95?.[0]),
        precise(cell.ci95?.[1]),
        String(cell.partial),
        String(cell.best),
        cmp ? (table.baseline ?? '') : '',
        precise(cmp?.diff),
        precise(cmp?.ci95?.[0]),
        precise(cmp?.ci95?.[1]),
        precise(cmp?.p),
        cmp ? String(cmp.significant) : '',
        cell.seeds.join(';'),
        cell.runs.join(';'),
        (cell.diverged ?? []).join(';'),
        ...(tuned ? [cell.tuning ? paramsText(cell.tuning.params) : '', String(cell.tuning?.trials ?? ''), String(cell.tuning?.epochsUsed ?? '')] : []),
      ];
      lines.push(fields.map(csvField).join(','));
    }),
  );
  return lines.join('\n') + '\n';
}

/** Cells like `76.12% (±0.31%) [75.35, 76.89]`, the best of each column in bold, † for cells with unfinished runs; then the differences from the baseline. */
export function toMarkdown(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const cellText = (cell: TableCell | undefined) => {
    if (!cell) return '—';
    if (cell.n === 0) return DIVERGED_TEXT;
    const text = isSingleRun(cell) ? `${cell.mean.toFixed(digits)}% (n=1)` : `${cell.mean.toFixed(digits)}% (±${cell.std.toFixed(digits)}%) ${ciText(cell.ci95, digits)}`;
    return `${cell.best ? `**${text}**` : text}${cell.partial ? ' †' : ''}${divergedMark(cell) ? ' ‡' : ''}`;
  };
  const header = (first: string) => [`| ${first} | ${table.columns.map((c) => escape(c.label)).join(' | ')} |`, `| :--- | ${table.columns.map(() => '---:').join(' | ')} |`];
  const lines = [...header('Loss'), ...table.rows.map((loss, r) => `| ${escape(loss)} | ${table.cells[r].map(cellText).join(' | ')} |`)];
  if (hasComparisons(table)) {
    const diff = (cell: TableCell | undefined) => (cell?.vsBaseline ? escape(diffText(cell.vsBaseline, digits, cell.n)) : '—');
    lines.push('', ...header(`Δ vs ${escape(table.baseline!)}`), ...comparedRows(table).map(({ loss, r }) => `| ${escape(loss)} | ${table.cells[r].map(diff).join(' | ')} |`));
  }
  const notes = [
    anyCell(table, (c) => c.partial) && `† ${PARTIAL_NOTE}.`,
    anyCell(table, hasDiverged) && `‡ ${DIVERGED_NOTE}.`,
    anyCell(table, isSingleRun) && `n=1: ${SINGLE_NOTE}.`,
    ...statisticsNotes(table),
  ].filter((n): n is string => Boolean(n));
  if (notes.length) lines.push('', ...notes.flatMap((n, i) => (i ? ['', n] : [n])));
  return lines.join('\n') + '\n';
}

function latexEscape(s: string): string {
  return s
    .replace(/[\\{}&%$#_^~]/g, (ch) => ({ '\\': '\\textbackslash{}', '^': '\\^{}', '~': '\\~{}' })[ch] ?? `\\${ch}`)
    .replace(/×/g, '$\\times$')
    .replace(/±/g, '$\\pm$')
    .replace(/([αγλεΔ])/g, (ch) => `$\\${({ α: 'alpha', γ: 'gamma', λ: 'lambda', ε: 'epsilon', Δ: 'Delta' } as Record<string, string>)[ch]}$`)
    .replace(/ⁿ/g, '$^n$')
    .replace(/≥/g, '$\\geq$')
    .replace(/−/g, '-');
}

/** A booktabs tabular: `mean $\pm$ std` with the CI below it in small type, the best of each column in \textbf; then the differences from the baseline. */
export function toLatex(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const cellText = (cell: TableCell | undefined) => {
    if (!cell) return '--';
    if (cell.n === 0) return DIVERGED_TEXT;
    const text = isSingleRun(cell) ? `${cell.mean.toFixed(digits)}$^{n=1}$` : `${cell.mean.toFixed(digits)} $\\pm$ ${cell.std.toFixed(digits)}`;
    const ci = cell.ci95 ? ` {\\scriptsize ${ciText(cell.ci95, digits)}}` : '';
    return `${cell.best ? `\\textbf{${text}}` : text}${ci}${cell.partial ? '$^\\dagger$' : ''}${divergedMark(cell) ? '$^\\ddagger$' : ''}`;
  };
  const tabular = (first: string, rows: string[]) => [
    `\\begin{tabular}{l${'r'.repeat(table.columns.length)}}`,
    '\\toprule',
    `${first} & ${table.columns.map((c) => latexEscape(c.label)).join(' & ')} \\\\`,
    '\\midrule',
    ...rows,
    '\\bottomrule',
    '\\end{tabular}',
  ];
  const lines = [
    '% Test accuracy (%), mean $\\pm$ sample std over seeds; best per column in bold.',
    ...(anyCell(table, (c) => c.partial) ? [`% $^\\dagger$ ${PARTIAL_NOTE}.`] : []),
    ...(anyCell(table, hasDiverged) ? [`% $^\\ddagger$ ${DIVERGED_NOTE}.`] : []),
    ...(anyCell(table, isSingleRun) ? [`% $^{n=1}$ ${SINGLE_NOTE}.`] : []),
    ...statisticsNotes(table).map((n) => `% ${latexEscape(n)}`),
    ...tabular(
      'Loss',
      table.rows.map((loss, r) => `${latexEscape(loss)} & ${table.cells[r].map(cellText).join(' & ')} \\\\`),
    ),
  ];
  if (hasComparisons(table)) {
    const diff = (cell: TableCell | undefined) => {
      const cmp = cell?.vsBaseline;
      if (!cell || !cmp) return '--';
      return latexEscape(diffText(cmp, digits, cell.n).replace(` ${NOT_SIGNIFICANT}`, '')) + (cmp.significant ? '' : '$^{\\mathrm{n.s.}}$');
    };
    lines.push(
      '',
      ...tabular(
        `$\\Delta$ vs ${latexEscape(table.baseline!)}`,
        comparedRows(table).map(({ loss, r }) => `${latexEscape(loss)} & ${table.cells[r].map(diff).join(' & ')} \\\\`),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/** Columns padded to their widest entry: the first left-aligned, the others right-aligned. */
function aligned(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, c) => Math.max(c === 0 ? 4 : 0, h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

/** Plain aligned text: `mean ± std [CI]`, `*` marks the best of a column, `†` cells with unfinished runs; then the differences from the baseline. */
export function toConsole(table: ComparisonTable, options: ExportOptions = {}): string {
  const digits = options.digits ?? 2;
  const values = table.cells.map((row) =>
    row.map((cell) =>
      !cell ? '—' : cell.n === 0 ? DIVERGED_TEXT : isSingleRun(cell) ? `${cell.mean.toFixed(digits)} (n=1)` : `${cell.mean.toFixed(digits)} ± ${cell.std.toFixed(digits)} ${ciText(cell.ci95, digits)}`,
    ),
  );
  const marks = table.cells.map((row) => row.map((cell) => (cell?.partial ? '†' : '') + divergedMark(cell) + (cell?.best ? '*' : '')));
  const markWidth = Math.max(0, ...marks.flat().map((m) => m.length));
  const render = (r: number, c: number) => values[r][c] + (markWidth ? ' ' + marks[r][c].padEnd(markWidth) : '');
  // Headers align with the numbers, not with the marks after them.
  const headers = table.columns.map((col) => col.label + (markWidth ? ' '.repeat(markWidth + 1) : ''));
  const lines = aligned(
    ['Loss', ...headers],
    table.rows.map((loss, r) => [loss, ...table.columns.map((_, c) => render(r, c))]),
  );
  if (hasComparisons(table)) {
    const diffs = comparedRows(table).map(({ loss, r }) => [loss, ...table.cells[r].map((cell) => (cell?.vsBaseline ? diffText(cell.vsBaseline, digits, cell.n) : '—'))]);
    lines.push('', ...aligned([`Δ vs ${table.baseline}`, ...table.columns.map((c) => c.label)], diffs));
  }
  const legend = [
    anyCell(table, (c) => c.best) && '* best in column',
    anyCell(table, (c) => c.partial) && `† ${PARTIAL_NOTE}`,
    anyCell(table, hasDiverged) && `‡ ${DIVERGED_NOTE}`,
    anyCell(table, isSingleRun) && `n=1: ${SINGLE_NOTE}`,
    ...statisticsNotes(table),
  ].filter(Boolean);
  return [...lines, ...(legend.length ? ['', ...legend] : [])].join('\n') + '\n';
}
