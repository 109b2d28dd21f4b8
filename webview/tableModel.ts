/** The comparison table as the panel shows it: text of each cell, best marks, tooltips. Pure. */
import type { ComparisonTable, TableCell } from '../src/core/results/table';
import { ciText, diffText, pText } from '../src/core/results/tableNotes';
import { plural } from '../src/core/util/format';

interface CellView {
  text: string;
  /** The difference from the baseline, paired by seed ("Δ +1.20 [-0.50, 2.90] p=0.25 n.s."); absent on the baseline row. */
  detail?: string;
  /** The difference from the baseline is not significant (p ≥ 0.05). */
  notSignificant?: boolean;
  best: boolean;
  partial: boolean;
  /** Per-seed values and run ids, for the tooltip. */
  title: string;
}

export interface TableView {
  headers: string[];
  rows: { label: string; cells: CellView[] }[];
}

const EMPTY_CELL: CellView = { text: '—', best: false, partial: false, title: 'no finished epoch yet' };

function cellView(cell: TableCell | undefined, digits: number, baseline: string | undefined): CellView {
  if (!cell) return EMPTY_CELL;
  const diverged = cell.diverged?.length ? [`diverged, left out of the mean, the tests and the best mark: ${cell.diverged.join(', ')}`] : [];
  if (cell.n === 0) return { text: 'diverged', best: false, partial: false, title: ['every run of this cell diverged', ...diverged].join('\n') };
  // One run has no spread over seeds: say n=1 rather than a misleading ± 0.
  const spread = cell.n === 1 ? 'n=1' : `± ${cell.std.toFixed(digits)}`;
  const ci = cell.ci95 ? ` ${ciText(cell.ci95, digits)}` : '';
  const text = `${cell.mean.toFixed(digits)} (${spread})${ci}${cell.partial ? ' †' : ''}${diverged.length ? ' ‡' : ''}`;
  const seeds = `${plural(cell.n, 'run')}: ${cell.values.map((v) => v.toFixed(digits)).join(', ')}`;
  const lines = [seeds, ...(cell.ci95 ? [`95% CI of the mean (t): ${ciText(cell.ci95, digits)}`] : [])];
  const cmp = cell.vsBaseline;
  lines.push(...diverged);
  if (!cmp) return { text, best: cell.best, partial: cell.partial, title: [...lines, ...cell.runs].join('\n') };
  const resolve = cmp.seedsToResolve ? `; about ${cmp.seedsToResolve} seeds would resolve it` : '';
  lines.push(`vs ${baseline}, paired over ${plural(cmp.n, 'seed')}: ${diffText(cmp, digits)} (exact sign-flip test, p=${pText(cmp.p)}${resolve})`);
  return { text, detail: `Δ ${diffText(cmp, digits, cell.n)}`, notSignificant: !cmp.significant, best: cell.best, partial: cell.partial, title: [...lines, ...cell.runs].join('\n') };
}

/** Rows = loss settings, columns = models (and datasets), cells = mean (± std) [95% CI] of final test accuracy in %, and the difference from the baseline. */
export function tableView(table: ComparisonTable, digits = 2): TableView {
  return {
    headers: ['Loss', ...table.columns.map((c) => c.label)],
    rows: table.rows.map((label, r) => ({ label, cells: table.columns.map((_, c) => cellView(table.cells[r]?.[c], digits, table.baseline)) })),
  };
}
