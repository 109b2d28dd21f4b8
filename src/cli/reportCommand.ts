import * as path from 'node:path';
import { ReportError } from '../report/buildReport';
import { writeReport } from '../report/writeReport';
import { UserError } from './errors';

export interface ReportCommandOptions {
  outDir?: string;
  /** false: HTML and results.json only (--no-png). */
  png?: boolean;
}

/** Relative to the working folder when inside it, else absolute. */
const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
};

/**
 * `losslab report <experiment dir>`: report.html (self-contained), results.json and the
 * figures as PNG files. Without Chromium the HTML is still written (exit 0) and stderr says
 * how to get the PNGs; a page that fails to draw exits 1.
 */
export async function reportCommand(experimentDir: string, options: ReportCommandOptions = {}): Promise<number> {
  let report;
  try {
    report = await writeReport(experimentDir, { outDir: options.outDir, png: options.png });
  } catch (e) {
    if (e instanceof ReportError) throw new UserError(e.message);
    throw e;
  }
  for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`Report:  ${shown(report.htmlPath)}\nResults: ${shown(report.resultsPath)}\n`);
  if (report.pngs.length > 0) {
    process.stdout.write(`Figures: ${report.pngs.length} PNG file(s) in ${shown(report.outDir)}\n${report.pngs.map((p) => `  ${p.file} (${p.width}×${p.height})`).join('\n')}\n`);
  }
  for (const s of report.skipped) process.stderr.write(`warning: figure ${s.file} not saved: ${s.reason}\n`);
  if (options.png === false) return 0;
  if (report.pngError) {
    process.stderr.write(`losslab: no PNG figures written: ${report.pngError}\nThe HTML report is complete (its charts draw in any browser).\n`);
    return report.pngUnavailable ? 0 : 1;
  }
  return 0;
}
