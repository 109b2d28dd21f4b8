/** The comparison table of an experiment folder as text, through src/core/results. No vscode here. */
import * as path from 'node:path';
import { readExperiment } from '../../core/results/runReader';
import { tableFromExperiment } from '../../core/results/table';
import { combineTables, experimentNames } from '../../host/combinedSnapshot';
import { toCsv, toLatex, toMarkdown } from '../../core/results/tableExport';
import type { ExportFormat } from '../../protocol/webview';

const RENDERERS = { csv: toCsv, md: toMarkdown, latex: toLatex } as const;
export const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', md: 'md', latex: 'tex' };

export function renderTable(experimentDir: string, format: ExportFormat): string {
  return RENDERERS[format](tableFromExperiment(readExperiment(experimentDir)));
}

/** One folder's table, or for several (Compare Experiments) the combined one: a row per experiment and setting. */
export function renderTables(experimentDirs: readonly string[], format: ExportFormat): string {
  if (experimentDirs.length === 1) return renderTable(experimentDirs[0], format);
  const names = experimentNames(experimentDirs);
  return RENDERERS[format](combineTables(experimentDirs.map((dir, i) => ({ name: names[i], table: tableFromExperiment(readExperiment(dir)) }))));
}

function defaultExportPath(experimentDir: string, format: ExportFormat): string {
  return path.join(experimentDir, `${path.basename(experimentDir)}-table.${EXTENSIONS[format]}`);
}

/** Several folders: beside the first, named after all of them (`a+b-table.md`). */
export function defaultCombinedExportPath(experimentDirs: readonly string[], format: ExportFormat): string {
  if (experimentDirs.length === 1) return defaultExportPath(experimentDirs[0], format);
  const names = experimentNames(experimentDirs).map((n) => n.replace(/[^\w.-]+/g, '_'));
  return path.join(path.dirname(experimentDirs[0]), `${names.join('+')}-table.${EXTENSIONS[format]}`);
}
