/**
 * Compare Experiments: one snapshot of several experiment folders, for one results panel.
 * Each run keeps its own state and curves under the id `<experiment>/<run id>` (unique
 * across folders); the table has a row per experiment and setting ("quick: CE"), each
 * difference taken within its own experiment, against its own baseline. No vscode here.
 */
import * as path from 'node:path';
import type { ExperimentRecord } from '../core/results/runReader';
import { readExperiment, type ReadOptions } from '../core/results/runReader';
import type { ComparisonTable, TableCell, TableColumn } from '../core/results/table';
import type { ExperimentSnapshot } from '../protocol/webview';
import { buildSnapshot, type LiveRuns } from './experimentSnapshot';

/**
 * Names that tell the folders apart: each folder's own name, and where two share one (two
 * results roots), the parent folder in front ("a/quick", "b/quick").
 */
export function experimentNames(dirs: readonly string[]): string[] {
  const base = dirs.map((d) => path.basename(path.resolve(d)));
  const names = base.map((name, i) => (base.indexOf(name) !== base.lastIndexOf(name) ? `${path.basename(path.dirname(path.resolve(dirs[i])))}/${name}` : name));
  // Still equal (the same folder twice, or equal parents' names): number them.
  return names.map((name, i) => (names.indexOf(name) !== i || names.lastIndexOf(name) !== i ? `${name} (${i + 1})` : name));
}

/** A run's id in a combined panel. */
export const combinedRunId = (experiment: string, runId: string) => `${experiment}/${runId}`;

/** The row of an experiment's setting in the combined table. */
const combinedRowLabel = (experiment: string, row: string) => `${experiment}: ${row}`;

/**
 * Rows of every experiment's table, each prefixed by its experiment; columns (dataset × model) merged by key.
 * Differences from the baseline stay those within each experiment. No cell is marked best: runs of
 * different experiments are not paired by seed, so the within-experiment test does not apply across them.
 */
export function combineTables(tables: readonly { name: string; table: ComparisonTable }[]): ComparisonTable {
  const columns: TableColumn[] = [];
  for (const { table } of tables) for (const c of table.columns) if (!columns.some((k) => k.key === c.key)) columns.push({ key: c.key, model: c.model, dataset: c.dataset, label: c.model });
  const severalDatasets = new Set(columns.map((c) => c.dataset)).size > 1;
  for (const c of columns) c.label = severalDatasets ? `${c.model} (${c.dataset})` : c.model;
  const rows: string[] = [];
  const cells: (TableCell | undefined)[][] = [];
  for (const { name, table } of tables) {
    table.rows.forEach((row, r) => {
      rows.push(combinedRowLabel(name, row));
      cells.push(
        columns.map((column) => {
          const cell = table.cells[r]?.[table.columns.findIndex((c) => c.key === column.key)];
          return cell && { ...cell, best: false, runs: cell.runs.map((id) => combinedRunId(name, id)) };
        }),
      );
    });
  }
  const baselines = new Set(tables.map((t) => t.table.baseline).filter((b) => b !== undefined));
  return { rows, columns, cells, ...(baselines.size === 1 ? { baseline: [...baselines][0] } : {}) };
}

/** The experiments as one snapshot; `dir` is the first folder, `dirs` all of them in order. */
export function buildCombinedSnapshot(experiments: readonly ExperimentRecord[], liveOf: (dir: string) => LiveRuns | undefined = () => undefined): ExperimentSnapshot {
  const names = experimentNames(experiments.map((e) => e.dir));
  const parts = experiments.map((experiment, i) => ({ name: names[i], snapshot: buildSnapshot(experiment, liveOf(experiment.dir)) }));
  return {
    dir: experiments[0]?.dir ?? '',
    dirs: experiments.map((e) => e.dir),
    name: names.join(' + '),
    runs: parts.flatMap(({ name, snapshot }) => snapshot.runs.map((run) => ({ ...run, runId: combinedRunId(name, run.runId), experiment: name }))),
    table: combineTables(parts.map(({ name, snapshot }) => ({ name, table: snapshot.table }))),
    warnings: parts.flatMap(({ name, snapshot }) => snapshot.warnings.map((w) => `${name}: ${w}`)),
  };
}

/** One folder: its own snapshot; several: the combined one. */
export function readPanelSnapshot(dirs: readonly string[], liveOf: (dir: string) => LiveRuns | undefined = () => undefined, options: ReadOptions = {}): ExperimentSnapshot {
  if (dirs.length === 1) return buildSnapshot(readExperiment(dirs[0], options), liveOf(dirs[0]));
  return buildCombinedSnapshot(
    dirs.map((dir) => readExperiment(dir, options)),
    liveOf,
  );
}
