/** The comparison table as the panel shows it: text of each cell, best marks, tooltips. Pure. */
import type { ComparisonTable, TableCell } from '../src/core/results/table';

export interface CellView {
  text: string;
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

function cellView(cell: TableCell | undefined, digits: number): CellView {
  if (!cell) return EMPTY_CELL;
  // One run has no spread over seeds: say n=1 rather than a misleading ± 0.
  const spread = cell.n === 1 ? 'n=1' : `± ${cell.std.toFixed(digits)}`;
  const text = `${cell.mean.toFixed(digits)} (${spread})${cell.partial ? ' †' : ''}`;
  const seeds = `${cell.n} run${cell.n === 1 ? '' : 's'}: ${cell.values.map((v) => v.toFixed(digits)).join(', ')}`;
  return { text, best: cell.best, partial: cell.partial, title: `${seeds}\n${cell.runs.join('\n')}` };
}

/** Rows = loss settings, columns = models (and datasets), cells = mean (± std) of final test accuracy in %. */
export function tableView(table: ComparisonTable, digits = 2): TableView {
  return {
    headers: ['Loss', ...table.columns.map((c) => c.label)],
    rows: table.rows.map((label, r) => ({ label, cells: table.columns.map((_, c) => cellView(table.cells[r]?.[c], digits)) })),
  };
}
