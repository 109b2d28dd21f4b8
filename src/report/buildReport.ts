/**
 * Builds an experiment's report: report.html (self-contained) and results.json (every
 * run's config, status, summary, metrics and diagnostics, and the table). No vscode here:
 * the CLI (`losslab report`) and the extension (Loss Lab: Export Report) share it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readExperiment } from '../core/results/runReader';
import type { ComparisonTable } from '../core/results/table';
import { reportHtml } from './reportHtml';
import { allFigures, reportModel, type FigureSpec, type ReportModel } from './reportModel';
import { DEFAULT_RESULTS_ROOT } from '../core/results/paths';

/** The report cannot be built (no runs, or the report script is missing). */
export class ReportError extends Error {
  override name = 'ReportError';
}

export interface BuildReportOptions {
  /** Path of the bundled report script (dist/report.js); found next to this bundle by default. */
  scriptPath?: string;
  /** The script's source itself (tests); wins over scriptPath. */
  script?: string;
  /** The time printed in the report (tests). */
  now?: Date;
  /** The home folder the page writes as `~` (tests); this machine's by default. */
  home?: string;
}

/** results.json: everything the report was made from, for analysis elsewhere. */
interface ReportResults {
  format: 'loss-lab-report-results';
  version: 1;
  generatedAt: string;
  experiment: { name: string; config?: unknown; configFile?: string; writtenAt?: string; runIds?: string[] };
  table: ComparisonTable;
  runs: {
    runId: string;
    config?: unknown;
    status?: unknown;
    summary?: unknown;
    metrics: unknown[];
    logits?: unknown;
    weightNorms?: unknown;
    /** dataset.json: classes, counts, what was left out and why. */
    dataset?: unknown;
    warnings: string[];
  }[];
  /** Runs of the grid (experiment.json) with no folder: never started. */
  notStarted: string[];
  warnings: string[];
}

export interface BuiltReport {
  html: string;
  results: ReportResults;
  /** The figures the page has, each to be saved as a PNG named `file`. */
  figures: FigureSpec[];
  model: ReportModel;
  warnings: string[];
}

/** Where dist/report.js is: next to the running bundle (dist/cli.js, dist/extension.js), or the repository's dist/ (tests). */
function defaultReportScriptPath(): string {
  const candidates = [path.join(__dirname, 'report.js'), path.join(__dirname, '..', '..', 'dist', 'report.js')];
  return candidates.find((f) => fs.existsSync(f)) ?? candidates[0];
}

function readScript(options: BuildReportOptions): string {
  if (options.script !== undefined) return options.script;
  const file = options.scriptPath ?? defaultReportScriptPath();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ReportError(`the report script ${file} is missing; build it with 'npm run build'`);
  }
}

export function buildReport(experimentDir: string, options: BuildReportOptions = {}): BuiltReport {
  const experiment = readExperiment(path.resolve(experimentDir));
  if (experiment.runs.length === 0) {
    const why = experiment.warnings.length ? ` (${experiment.warnings.join('; ')})` : '';
    throw new ReportError(`no runs found in '${experimentDir}'${why}: expected an experiment folder such as ${DEFAULT_RESULTS_ROOT}/<experiment> holding one folder per run`);
  }
  const script = readScript(options);
  const now = options.now ?? new Date();
  const model = reportModel(experiment);
  const manifest = experiment.manifest;
  const results: ReportResults = {
    format: 'loss-lab-report-results',
    version: 1,
    generatedAt: now.toISOString(),
    experiment: {
      name: experiment.name,
      ...(manifest ? { config: manifest.config, ...(manifest.configPath ? { configFile: path.basename(manifest.configPath) } : {}), writtenAt: manifest.writtenAt, runIds: manifest.runIds } : {}),
    },
    table: model.table,
    runs: experiment.runs.map((r) => ({
      runId: r.runId,
      ...(r.spec ? { config: r.spec } : {}),
      ...(r.status ? { status: r.status } : {}),
      ...(r.summary ? { summary: r.summary } : {}),
      metrics: r.metrics,
      ...(r.logits ? { logits: r.logits } : {}),
      ...(r.weightNorms ? { weightNorms: r.weightNorms } : {}),
      ...(r.dataset ? { dataset: r.dataset } : {}),
      warnings: r.warnings,
    })),
    notStarted: model.runs.filter((r) => r.state === 'not started').map((r) => r.runId),
    warnings: model.snapshot.warnings,
  };
  return { html: reportHtml({ model, script, generatedAt: now, home: options.home }), results, figures: allFigures(model), model, warnings: model.snapshot.warnings };
}
