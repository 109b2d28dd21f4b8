/** The comparison table of an experiment folder as text, through src/core/results. No vscode here. */
import * as path from 'node:path';
import { readExperiment } from '../core/results/runReader';
import { tableFromExperiment } from '../core/results/table';
import { toCsv, toLatex, toMarkdown } from '../core/results/tableExport';
import type { ExportFormat } from '../protocol/webview';

const RENDERERS = { csv: toCsv, md: toMarkdown, latex: toLatex } as const;
export const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', md: 'md', latex: 'tex' };

export function renderTable(experimentDir: string, format: ExportFormat): string {
  return RENDERERS[format](tableFromExperiment(readExperiment(experimentDir)));
}

export function defaultExportPath(experimentDir: string, format: ExportFormat): string {
  return path.join(experimentDir, `${path.basename(experimentDir)}-table.${EXTENSIONS[format]}`);
}
