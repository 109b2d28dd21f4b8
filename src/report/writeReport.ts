/**
 * Writes an experiment's report folder: report.html, results.json and one PNG per figure.
 * The HTML and JSON are always written; the PNGs when Chromium is available (the result
 * says why not otherwise). Shared by `losslab report` and Loss Lab: Export Report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/results/atomicFile';
import { buildReport, type BuildReportOptions } from './buildReport';
import type { FigureSpec } from './reportModel';
import { PngUnavailableError, renderPngs, type RenderedFigure } from './renderPngs';

export const REPORT_HTML = 'report.html';
const REPORT_RESULTS = 'results.json';

/** `<experiment>/report/`, next to the runs (an experiment folder ignores folders without run files). */
export const defaultReportDir = (experimentDir: string) => path.join(path.resolve(experimentDir), 'report');

export interface WriteReportOptions extends BuildReportOptions {
  outDir?: string;
  /** false: HTML and JSON only. */
  png?: boolean;
  chromium?: string;
}

export interface WrittenReport {
  outDir: string;
  htmlPath: string;
  resultsPath: string;
  /** Every figure of the report; `pngs` are those saved. */
  figures: FigureSpec[];
  pngs: RenderedFigure[];
  skipped: { file: string; reason: string }[];
  /** Why no PNGs were written: Chromium or playwright-core missing (`pngUnavailable`), or the page failed. */
  pngError?: string;
  pngUnavailable?: boolean;
  warnings: string[];
}

/** PNG names a report writes; older ones are removed so the folder matches the new HTML. */
const REPORT_PNG = /^(table|curves-.+|logits-.+|weight-norms-.+)\.png$/;

export async function writeReport(experimentDir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const report = buildReport(experimentDir, options);
  const outDir = path.resolve(options.outDir ?? defaultReportDir(experimentDir));
  fs.mkdirSync(outDir, { recursive: true });
  const htmlPath = path.join(outDir, REPORT_HTML);
  const resultsPath = path.join(outDir, REPORT_RESULTS);
  writeFileAtomic(htmlPath, report.html);
  writeFileAtomic(resultsPath, JSON.stringify(report.results, null, 2) + '\n');
  for (const name of fs.readdirSync(outDir)) if (REPORT_PNG.test(name)) fs.rmSync(path.join(outDir, name), { force: true });

  const written: WrittenReport = { outDir, htmlPath, resultsPath, figures: report.figures, pngs: [], skipped: [], warnings: report.warnings };
  if (options.png === false) return written;
  try {
    const rendered = await renderPngs(htmlPath, outDir, { chromium: options.chromium });
    written.pngs = rendered.figures;
    written.skipped = rendered.skipped;
    if (rendered.blockedRequests.length) written.warnings.push(`the report page tried to load ${rendered.blockedRequests.join(', ')} (refused)`);
  } catch (e) {
    written.pngError = (e as Error).message;
    written.pngUnavailable = e instanceof PngUnavailableError;
  }
  return written;
}
