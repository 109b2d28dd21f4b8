/**
 * The run table (W&B's runs table): one row per run with its config columns, state, accuracy
 * and wall time; sorted by any column, numbers as numbers, missing values last in both
 * directions; filtered by text. Pure: webview/runTable.ts draws it.
 */
import { formatDuration } from '../src/core/util/duration';
import type { ConfigValue, RunTableState, RunView } from '../src/protocol/webview';

type SortValue = number | string | undefined;

export interface RunColumn {
  key: string;
  label: string;
  /** Right-aligned. */
  numeric: boolean;
  value(run: RunView): SortValue;
  text(run: RunView): string;
}

export interface RunTableView {
  columns: { key: string; label: string; numeric: boolean; sort?: 'ascending' | 'descending' }[];
  rows: { runId: string; cells: string[] }[];
  /** Runs before filtering (the filter's "3 of 8"). */
  total: number;
}

const MISSING = '—';
/** A fraction in a column headed "(%)": the number alone. */
const percentCell = (v: number | undefined) => (v === undefined ? MISSING : (v * 100).toFixed(2));
const plain = (v: SortValue) => (v === undefined ? MISSING : String(v));

/** Config fields with a column of their own, or that name the run rather than set it up. */
const COVERED = new Set(['seed', 'model.name', 'model.width', 'loss.name', 'backend', 'training.lr']);

const column = (key: string, label: string, numeric: boolean, value: (run: RunView) => SortValue, text: (run: RunView) => string = (r) => plain(value(r))): RunColumn => ({
  key,
  label,
  numeric,
  value,
  text,
});

const configValue = (run: RunView, field: string): SortValue => {
  const v: ConfigValue | undefined = run.config?.[field];
  return typeof v === 'boolean' ? String(v) : v;
};

/**
 * Config fields that set runs apart: two runs that have the field disagree on it. A field only some
 * runs have, at one value (scaled-BN's `loss.eval` beside CE), is the loss's default, already named by the Loss column.
 */
export function varyingFields(runs: readonly RunView[]): string[] {
  const fields = [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))];
  return fields.filter((f) => !COVERED.has(f) && new Set(runs.filter((r) => r.config?.[f] !== undefined).map((r) => r.config?.[f])).size > 1);
}

/** "training.epochs" reads "epochs"; loss and dataset fields keep their prefix ("loss.m"), which says whose field it is. */
const fieldLabel = (field: string) => field.replace(/^training\./, '');

/** A search's runs: its stage, the trial (its state in search.json; a final run's is the chosen trial) and the rung a trial reached. */
const searchColumns = (): RunColumn[] => [
  column('stage', 'Stage', false, (r) => r.search?.stage),
  column(
    'trial',
    'Trial',
    true,
    (r) => r.search?.trial,
    (r) => {
      const s = r.search;
      if (!s) return MISSING;
      if (s.stage === 'final') return `${s.trial} (chosen)`;
      return s.trialState ? `${s.trial} · ${s.trialState}` : String(s.trial);
    },
  ),
  column(
    'rung',
    'Rung',
    true,
    (r) => r.search?.rung?.reached,
    (r) => {
      const rung = r.search?.rung;
      return rung ? `${rung.reached}/${rung.of} · epoch ${rung.epoch}` : MISSING;
    },
  ),
];

/** The columns for these runs: the fixed ones, the search's when it has any, and one per config field that differs between them. */
export function runColumns(runs: readonly RunView[]): RunColumn[] {
  const combined = runs.some((r) => r.experiment !== undefined);
  const search = runs.some((r) => r.search !== undefined);
  return [
    ...(combined ? [column('experiment', 'Experiment', false, (r) => r.experiment)] : []),
    column('model', 'Model', false, (r) => r.modelLabel),
    column('loss', 'Loss', false, (r) => r.lossLabel),
    column('seed', 'Seed', true, (r) => r.seed),
    ...(search ? searchColumns() : []),
    column('lr', 'lr', true, (r) => configValue(r, 'training.lr')),
    ...varyingFields(runs).map((f) =>
      column(
        `config:${f}`,
        fieldLabel(f),
        runs.some((r) => typeof r.config?.[f] === 'number'),
        (r) => configValue(r, f),
      ),
    ),
    column('backend', 'Backend', false, (r) => r.backend),
    // A stale run (its config no longer the experiment's) says so where its state is read.
    column('state', 'State', false, (r) => (r.stale ? `${r.stateText} · stale` : r.stateText)),
    column(
      'finalAcc',
      'Final test acc (%)',
      true,
      (r) => r.finalAcc,
      (r) => percentCell(r.finalAcc),
    ),
    column(
      'bestAcc',
      'Best test acc (%)',
      true,
      (r) => r.bestAcc,
      (r) => percentCell(r.bestAcc),
    ),
    column(
      'wallSeconds',
      'Wall time',
      true,
      (r) => r.wallSeconds,
      (r) => (r.wallSeconds === undefined ? MISSING : formatDuration(r.wallSeconds)),
    ),
  ];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Numbers by value, text numeric-aware ("seed 2" before "seed 10"); undefined is not ordered here (see sortRuns). */
export function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** Runs sorted by a column; missing values last whichever the direction; ties keep their order. */
export function sortRuns<T extends RunView>(runs: readonly T[], col: RunColumn, descending = false): T[] {
  const keyed = runs.map((run, i) => ({ run, i, v: col.value(run) }));
  keyed.sort((a, b) => {
    if (a.v === undefined || b.v === undefined) return a.v === b.v ? a.i - b.i : a.v === undefined ? 1 : -1;
    return (descending ? -compareValues(a.v, b.v) : compareValues(a.v, b.v)) || a.i - b.i;
  });
  return keyed.map((k) => k.run);
}

/** Every word of the filter appears (case-insensitive) in some cell of the row or in its run id. */
export function matchesFilter(run: RunView, columns: readonly RunColumn[], filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [run.runId, ...columns.map((c) => c.text(run))].join('\n').toLowerCase();
  return words.every((w) => text.includes(w));
}

/** A header click: a new column sorts ascending, the same column turns descending, a third click returns to grid order. */
export function nextSort(state: RunTableState, key: string): RunTableState {
  const { filter } = state;
  const keep = filter ? { filter } : {};
  if (state.sortKey !== key) return { ...keep, sortKey: key, descending: false };
  return state.descending ? keep : { ...keep, sortKey: key, descending: true };
}

/** What the table shows for this state; a sort key that is no column (a field no run differs in now) leaves grid order. */
export function runTableView(runs: readonly RunView[], state: RunTableState = {}): RunTableView {
  const columns = runColumns(runs);
  const sortColumn = columns.find((c) => c.key === state.sortKey);
  const shown = runs.filter((r) => matchesFilter(r, columns, state.filter ?? ''));
  const ordered = sortColumn ? sortRuns(shown, sortColumn, state.descending) : shown;
  return {
    columns: columns.map((c) => ({ key: c.key, label: c.label, numeric: c.numeric, ...(c === sortColumn ? { sort: state.descending ? 'descending' : 'ascending' } : {}) })),
    rows: ordered.map((run) => ({ runId: run.runId, cells: columns.map((c) => c.text(run)) })),
    total: runs.length,
  };
}
