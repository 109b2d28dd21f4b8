/**
 * The paper-style comparison table: one row per loss, one column per model
 * (per dataset and model when runs span datasets), each cell the mean ± sample
 * std of the runs' final test accuracy over seeds, in percent.
 */
import { datasetLabel, lossLabel, modelLabel } from '../config/grid';
import type { ExperimentRecord, RunRecord } from './runReader';

export { toConsole, toCsv, toLatex, toMarkdown, type ExportOptions } from './tableExport';

export interface TableCell {
  mean: number; // percent
  /** Sample standard deviation (n − 1), as PyTorch papers report; 0 when n = 1. */
  std: number;
  n: number;
  values: number[]; // each run's accuracy in percent, in run order
  runs: string[]; // run ids, same order
  /** Some run is unfinished: its accuracy is that of its last finished epoch. */
  partial: boolean;
  /** Highest mean of its column (ties all marked). */
  best: boolean;
}

export interface TableColumn {
  key: string;
  model: string;
  dataset: string;
  /** Header text: the model, plus the dataset when the table has several. */
  label: string;
}

export interface ComparisonTable {
  rows: string[]; // loss labels
  columns: TableColumn[];
  /** cells[row][column]; undefined where no run has an accuracy yet. */
  cells: (TableCell | undefined)[][];
}

export interface TableOrder {
  /** Loss labels in the order rows should appear (e.g. the config's); others follow in first-seen order. */
  losses?: readonly string[];
  models?: readonly string[];
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Standard deviation with Bessel's correction (n − 1); 0 for a single value. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** The run's final test accuracy (fraction): from its summary, else from its last finished epoch (partial). */
export function finalAccuracy(run: RunRecord): { acc: number; partial: boolean } | undefined {
  if (run.summary && Number.isFinite(run.summary.finalTestAcc)) return { acc: run.summary.finalTestAcc, partial: false };
  const last = run.metrics.at(-1);
  return last && Number.isFinite(last.testAcc) ? { acc: last.testAcc, partial: true } : undefined;
}

function labelsOf(run: RunRecord): { loss: string; model: string; dataset: string } {
  const spec = run.spec;
  return {
    loss: spec?.lossLabel ?? (spec ? lossLabel(spec.loss) : run.summary?.loss ?? run.runId.split('__')[1] ?? run.runId),
    model: spec?.modelLabel ?? (spec ? modelLabel(spec.model) : run.summary?.model ?? run.runId.split('__')[0] ?? run.runId),
    dataset: spec ? datasetLabel(spec.dataset) : '',
  };
}

/** Known labels first in the given order, then the rest as first seen. */
function ordered(seen: readonly string[], preferred: readonly string[] = []): string[] {
  return [...new Set([...preferred.filter((p) => seen.includes(p)), ...seen])];
}

export function buildTable(runs: readonly RunRecord[], order: TableOrder = {}): ComparisonTable {
  const groups = new Map<string, { runs: string[]; values: number[]; partial: boolean }>();
  const losses: string[] = [];
  const datasets: string[] = [];
  const models: string[] = [];
  for (const run of runs) {
    const result = finalAccuracy(run);
    if (!result) continue;
    const { loss, model, dataset } = labelsOf(run);
    losses.push(loss);
    models.push(model);
    datasets.push(dataset);
    const key = JSON.stringify([loss, dataset, model]);
    const group = groups.get(key) ?? { runs: [], values: [], partial: false };
    group.runs.push(run.runId);
    group.values.push(result.acc * 100);
    group.partial ||= result.partial;
    groups.set(key, group);
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
      return { mean: mean(group.values), std: sampleStd(group.values), n: group.values.length, values: group.values, runs: group.runs, partial: group.partial, best: false };
    }),
  );
  columns.forEach((_, c) => {
    const best = Math.max(...cells.map((row) => row[c]?.mean ?? -Infinity));
    for (const row of cells) if (row[c] && Math.abs(row[c].mean - best) < 1e-9) row[c].best = true;
  });
  return { rows, columns, cells };
}

/** The table of an experiment folder, with rows and columns in its config's order when the manifest is there. */
export function tableFromExperiment(experiment: ExperimentRecord): ComparisonTable {
  const config = experiment.manifest?.config;
  return buildTable(experiment.runs, {
    losses: config?.losses.map(lossLabel),
    models: config?.models.map(modelLabel),
  });
}
