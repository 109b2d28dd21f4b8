/**
 * The paper-style comparison table: one row per loss, one column per model
 * (per dataset and model when runs span datasets), each cell the mean ± sample
 * std of the runs' final test accuracy over seeds, in percent, with its 95% CI and,
 * against a baseline loss, the difference paired by seed with an exact sign-flip test.
 */
import { datasetLabel, lossLabel, modelLabel, settingLabels } from '../config/grid';
import { runDiverged } from './diverged';
import type { ExperimentRecord, RunRecord } from './types';
import type { SearchParams } from '../search/record';
import { comparePaired, confidenceInterval95, mean, sampleStd, type PairedComparison } from './stats';

export { toConsole, toCsv, toLatex, toMarkdown } from './tableExport';
export { mean, sampleStd } from './stats';
export { runDiverged } from './diverged';

export interface TableCell {
  /** Percent; NaN when every run of the cell diverged (n = 0). */
  mean: number;
  /** Sample standard deviation (n − 1), as PyTorch papers report; 0 when n = 1. */
  std: number;
  n: number;
  /** 95% confidence interval of the mean over seeds (t-distribution); absent for one run. */
  ci95?: [number, number];
  values: number[]; // each run's accuracy in percent, in run order
  runs: string[]; // run ids, same order
  seeds: number[]; // each run's seed, same order
  /** Some run is unfinished: its accuracy is that of its last finished epoch. */
  partial: boolean;
  /** Runs of the cell whose loss diverged (ids): left out of the mean, the tests and the ranking; absent when none did. */
  diverged?: string[];
  /** Highest mean of its column, and beyond noise of the runner-up (see ComparisonTable.bestRule). */
  best: boolean;
  /** This row minus the baseline row, paired by seed; absent on the baseline row and without shared seeds. */
  vsBaseline?: PairedComparison;
  /** A search's cell: the configuration its final runs trained, chosen on validation, and the tuning budget spent. */
  tuning?: CellTuning;
}

interface CellTuning {
  params: SearchParams;
  /** The chosen trial's index. */
  trial: number;
  /** Trials of the study on disk, and the epochs they trained together. */
  trials: number;
  epochsUsed: number;
}

export interface TableColumn {
  key: string;
  model: string;
  dataset: string;
  /** Header text: the model, plus the dataset when the table has several. */
  label: string;
  /** The highest mean of the column is within noise of the runner-up, so no cell is marked best. */
  bestWithinNoise?: boolean;
}

export interface ComparisonTable {
  rows: string[]; // loss labels
  columns: TableColumn[];
  /** Row label of the loss the others are compared with (`vsBaseline`); absent when the table has none. */
  baseline?: string;
  /** cells[row][column]; undefined where no run has an accuracy yet. */
  cells: (TableCell | undefined)[][];
}

export interface TableOrder {
  /** Loss labels in the order rows should appear (e.g. the config's); others follow in first-seen order. */
  losses?: readonly string[];
  models?: readonly string[];
  /** Row label of the baseline; default 'CE' when the table has that row. */
  baseline?: string;
}

/** Default baseline: plain softmax cross-entropy, the paper's. */
const DEFAULT_BASELINE = 'CE';

/** The run's final test accuracy (fraction): from its summary, else from its last finished epoch (partial). */
export function finalAccuracy(run: RunRecord): { acc: number; partial: boolean } | undefined {
  if (run.summary && Number.isFinite(run.summary.finalTestAcc)) return { acc: run.summary.finalTestAcc, partial: false };
  const last = run.metrics.at(-1);
  return last && Number.isFinite(last.testAcc) ? { acc: last.testAcc, partial: true } : undefined;
}

function seedOf(run: RunRecord, fallback: number): number {
  if (run.spec) return run.spec.seed;
  const match = /__seed(\d+)$/.exec(run.runId);
  return match ? Number(match[1]) : fallback;
}

function labelsOf(run: RunRecord): { loss: string; model: string; dataset: string } {
  const spec = run.spec;
  return {
    loss: spec?.lossLabel ?? (spec ? lossLabel(spec.loss) : (run.summary?.loss ?? run.runId.split('__')[1] ?? run.runId)),
    model: spec?.modelLabel ?? (spec ? modelLabel(spec.model) : (run.summary?.model ?? run.runId.split('__')[0] ?? run.runId)),
    dataset: spec ? datasetLabel(spec.dataset) : '',
  };
}

/** Known labels first in the given order, then the rest as first seen. */
function ordered(seen: readonly string[], preferred: readonly string[] = []): string[] {
  return [...new Set([...preferred.filter((p) => seen.includes(p)), ...seen])];
}

export function buildTable(runs: readonly RunRecord[], order: TableOrder = {}): ComparisonTable {
  const groups = new Map<string, { runs: string[]; values: number[]; seeds: number[]; partial: boolean; diverged: string[] }>();
  const losses: string[] = [];
  const datasets: string[] = [];
  const models: string[] = [];
  for (const run of runs) {
    const result = finalAccuracy(run);
    const diverged = runDiverged(run);
    if (!result && !diverged) continue;
    const { loss, model, dataset } = labelsOf(run);
    losses.push(loss);
    models.push(model);
    datasets.push(dataset);
    const key = JSON.stringify([loss, dataset, model]);
    const group = groups.get(key) ?? { runs: [], values: [], seeds: [], partial: false, diverged: [] };
    groups.set(key, group);
    if (diverged || !result) {
      group.diverged.push(run.runId);
      continue;
    }
    group.runs.push(run.runId);
    group.seeds.push(seedOf(run, group.seeds.length));
    group.values.push(result.acc * 100);
    group.partial ||= result.partial;
  }
  const rows = ordered(losses, order.losses);
  const datasetList = ordered(datasets);
  const modelList = ordered(models, order.models);
  const columns: TableColumn[] = datasetList.flatMap((dataset) =>
    modelList
      .filter((model) => rows.some((loss) => groups.has(JSON.stringify([loss, dataset, model]))))
      .map((model) => ({ key: `${dataset}/${model}`, model, dataset, label: datasetList.length > 1 ? `${model} (${dataset})` : model })),
  );
  const cells = rows.map((loss) =>
    columns.map((column): TableCell | undefined => {
      const group = groups.get(JSON.stringify([loss, column.dataset, column.model]));
      if (!group) return undefined;
      const { values, runs: ids, seeds, partial, diverged } = group;
      // Accuracies in percent: the interval of their mean stays within [0, 100].
      const ci95 = confidenceInterval95(values, [0, 100]);
      const stats = values.length ? { mean: mean(values), std: sampleStd(values) } : { mean: NaN, std: NaN };
      return { ...stats, n: values.length, ...(ci95 ? { ci95 } : {}), values, runs: ids, seeds, partial, ...(diverged.length ? { diverged } : {}), best: false };
    }),
  );
  const baseline = order.baseline ?? DEFAULT_BASELINE;
  const baseRows = rows.map((_, r) => baseRowOf(rows, r, baseline));
  if (baseRows.some((b) => b >= 0)) compareWithBaseline(cells, baseRows);
  columns.forEach((column, c) =>
    markBest(
      cells.map((row) => row[c]),
      column,
    ),
  );
  return { rows, columns, cells, ...(baseRows.some((b) => b >= 0) ? { baseline } : {}) };
}

/**
 * The row a row is compared with: the baseline's; with swept training values (rows
 * "Scaled-BN m=0.9 · lr=0.1"), the baseline's row of the same training values ("CE · lr=0.1").
 */
function baseRowOf(rows: readonly string[], r: number, baseline: string): number {
  const plain = rows.indexOf(baseline);
  if (plain >= 0) return plain;
  const at = rows[r].indexOf(' · ');
  return at < 0 ? -1 : rows.indexOf(baseline + rows[r].slice(at));
}

const paired = (a: TableCell, b: TableCell) => comparePaired(a.values, a.seeds, b.values, b.seeds);

function compareWithBaseline(cells: (TableCell | undefined)[][], baseRows: readonly number[]): void {
  cells.forEach((row, r) =>
    row.forEach((cell, c) => {
      const base = baseRows[r] >= 0 ? cells[baseRows[r]][c] : undefined;
      if (cell?.n && base?.n && r !== baseRows[r]) cell.vsBaseline = paired(cell, base);
    }),
  );
}

/**
 * The best mean of a column is marked only when it is beyond noise of the runner-up: paired by seed,
 * the same sign-flip test as against the baseline (p < 0.05); without shared seeds, 95% CIs that do not overlap.
 * A column of one cell has nothing to be best against.
 */
function markBest(column: (TableCell | undefined)[], info: TableColumn): void {
  const ranked = column.filter((c): c is TableCell => c !== undefined && c.n > 0).sort((a, b) => b.mean - a.mean);
  if (ranked.length < 2) return;
  const [top, second] = ranked;
  const test = paired(top, second);
  const resolved = test ? test.significant && top.mean > second.mean : Boolean(top.ci95 && second.ci95 && top.ci95[0] > second.ci95[1]);
  if (resolved) top.best = true;
  else info.bestWithinNoise = true;
}

/** The table of an experiment folder, with rows and columns in its config's order when the manifest is there. */
export function tableFromExperiment(experiment: ExperimentRecord): ComparisonTable {
  const config = experiment.manifest?.config;
  // A search compares its final runs only: trials were chosen on validation and would bias the test numbers.
  const search = Boolean(config?.search) || experiment.runs.some((r) => r.spec?.search);
  const table = buildTable(search ? experiment.runs.filter((r) => r.spec?.search?.stage === 'final') : experiment.runs, {
    losses: config ? settingLabels(config) : undefined,
    models: config?.models.map(modelLabel),
    baseline: config?.baseline ? lossLabel(config.baseline) : undefined,
  });
  if (search) addTuning(table, experiment.runs);
  return table;
}

/** Each cell's chosen configuration (from its final runs' specs) and its study's trials on disk. */
function addTuning(table: ComparisonTable, runs: readonly RunRecord[]): void {
  const byId = new Map(runs.map((r) => [r.runId, r]));
  for (const cell of table.cells.flat()) {
    const role = cell && byId.get(cell.runs[0] ?? cell.diverged?.[0] ?? '')?.spec?.search;
    if (!cell || !role) continue;
    const trials = runs.filter((r) => r.spec?.search?.stage === 'trial' && r.spec.search.study === role.study);
    cell.tuning = { params: role.params, trial: role.trial, trials: trials.length, epochsUsed: trials.reduce((sum, r) => sum + r.metrics.length, 0) };
  }
}
