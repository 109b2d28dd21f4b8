import { writeFileSync } from 'node:fs';
import { UsageError, UserError } from './errors';
import { asWriteError } from '../core/results/atomicFile';
import { currentConfig } from '../core/results/currentConfig';
import { readExperiment } from '../core/results/runReader';
import { staleReason, staleRuns, staleSummary } from '../core/results/staleness';
import { tableFromExperiment } from '../core/results/table';
import { toConsole, toCsv, toLatex, toMarkdown } from '../core/results/tableExport';
import { DEFAULT_RESULTS_ROOT } from '../core/results/paths';
import { readSearchRecord } from '../core/search/readSearch';
import { trialsTableText } from './trialsTable';

const EXPORTERS = { console: toConsole, csv: toCsv, md: toMarkdown, latex: toLatex } as const;

export type TableFormat = keyof typeof EXPORTERS;
export const TABLE_FORMATS = Object.keys(EXPORTERS) as TableFormat[];

/** Renders the comparison table (mean ± std of final test accuracy per model × loss) of an experiment folder. */
export function renderTable(experimentDir: string, format: TableFormat = 'console'): { text: string; warnings: string[] } {
  if (!Object.hasOwn(EXPORTERS, format)) throw new UsageError(`unknown table format '${format}' (allowed: ${TABLE_FORMATS.join(', ')})`, 'losslab table');
  const experiment = readExperiment(experimentDir);
  if (experiment.runs.length === 0) {
    throw new UserError(`no runs found in '${experimentDir}': expected an experiment folder such as ${DEFAULT_RESULTS_ROOT}/<experiment> holding one folder per run`);
  }
  const table = tableFromExperiment(experiment);
  const stale = staleRuns(currentConfig(experiment.manifest), experiment.runs);
  const warnings = [
    ...experiment.runs.flatMap((r) => r.warnings.map((w) => `${r.runId}: ${w}`)),
    ...(stale.size > 0 ? [staleSummary(stale), ...[...stale].map(([runId, changes]) => `${runId}: stale, ${staleReason(changes)}`)] : []),
  ];
  // A search's trials lead its console table: the budget and choices behind the compared rows.
  const search = format === 'console' ? readSearchRecord(experimentDir, warnings) : undefined;
  const text = EXPORTERS[format](table);
  return { text: search ? `${trialsTableText(search)}\n\n${text}` : text, warnings };
}

export function tableCommand(experimentDir: string, format: TableFormat, outFile?: string): number {
  const { text, warnings } = renderTable(experimentDir, format);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  if (outFile) {
    try {
      writeFileSync(outFile, text);
    } catch (e) {
      throw asWriteError(e, outFile);
    }
  } else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}
