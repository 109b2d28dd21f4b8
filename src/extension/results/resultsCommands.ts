/** Open Results, Compare Runs, Compare Experiments, Export Table, Export Report, and the tree's Open and Delete on one run. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMATS, type ExportFormat } from '../../protocol/webview';
import { ReportError } from '../../report/buildReport';
import { defaultReportDir, REPORT_HTML, writeReport, type WrittenReport } from '../../report/writeReport';
import { UserFacingError } from '../errors';
import { isExperimentDir } from '../../core/results/experimentList';
import { readRun, recordTitle } from '../../core/results/runReader';
import { runTitle } from '../../core/results/runTitle';
import { pickAtMost } from './pickAtMost';
import { pathOf, runRefOf } from '../run/runCommands';
import type { Services } from '../services';
import { readPanelSnapshot } from '../../host/combinedSnapshot';
import { runHolderText } from '../../host/runLock';
import { comparePlan, experimentDirsOf, runRefsOf } from './compareTargets';
import { COMPARE_RUNS, compareCountProblem } from './selectionLimit';
import { defaultCombinedExportPath, EXTENSIONS, renderTables } from './tableExport';
import { Strings } from '../strings';
import { renderPngsInWebview } from '../report/reportFiguresWebview';
import { canOpenInBrowser, openInBrowser, openReportPanel } from '../report/reportPanel';
import { isFigureRenderer, reportFiguresSetting } from '../settings';

async function browseForExperiment(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: Strings.selectFolder });
  return picked?.[0]?.fsPath;
}

/** An experiment folder: the argument, else one picked from those known (or browsed to). */
export async function experimentDir(s: Services, arg: unknown, preferCurrent: boolean): Promise<string | undefined> {
  const given = pathOf(arg) ?? runRefOf(arg)?.experimentDir ?? (arg as { dir?: unknown } | undefined)?.dir;
  if (typeof given === 'string') return path.resolve(given);
  if (preferCurrent && s.panels.current) return s.panels.current.dir;
  const browse = { label: Strings.browse, detail: Strings.browseDetail, dir: undefined };
  const items = s.tree.experiments().map((dir) => ({ label: path.basename(dir), description: vscode.workspace.asRelativePath(dir), dir }));
  const choice = await vscode.window.showQuickPick([...items, browse], { placeHolder: Strings.pickExperiment, matchOnDescription: true, ignoreFocusOut: true });
  if (!choice) return undefined;
  return choice.dir ?? (await browseForExperiment());
}

export function checkExperiment(dir: string): void {
  if (!isExperimentDir(dir)) throw new UserFacingError(Strings.notAnExperiment(dir));
}

export async function openResults(s: Services, arg: unknown): Promise<string | undefined> {
  const dir = await experimentDir(s, arg, false);
  if (!dir) return undefined;
  checkExperiment(dir);
  s.known.add(dir);
  s.panels.show(dir);
  return dir;
}

/**
 * Compares 2 to 4 runs: the panel draws their curves together and lists the config fields that
 * differ; the first two with a final model go to the logit and weight-norm figures. Runs come from
 * the tree's selection (from several experiments: one panel of those experiments), as run ids of
 * `arg`'s experiment (the API, tests), or from a pick over the runs of the experiment(s) shown.
 */
export async function compareRuns(s: Services, arg: unknown, second?: unknown): Promise<string[] | undefined> {
  const fromTree = runRefsOf(arg, second);
  let dirs: string[];
  let chosen: string[] | undefined;
  /** One run right-clicked alone: the pick over its experiment's runs, with it ticked. */
  let preselected: string | undefined;
  if (fromTree.length > 1) {
    ({ dirs, runIds: chosen } = comparePlan(fromTree));
  } else if (fromTree.length === 1) {
    dirs = [path.resolve(fromTree[0].experimentDir)];
    preselected = fromTree[0].runId;
  } else {
    const given = pathOf(arg) ?? (arg as { dir?: unknown } | undefined)?.dir;
    const current = s.panels.current;
    const dir = typeof given === 'string' || !current ? await experimentDir(s, arg, false) : undefined;
    if (!dir && !current) return undefined;
    dirs = dir ? [dir] : [...current!.dirs];
    if (Array.isArray(second) && second.every((r) => typeof r === 'string')) chosen = second;
  }
  for (const dir of dirs) checkExperiment(dir);
  const snapshot = readPanelSnapshot(dirs, (d) => s.grids.live(d));
  if (!chosen) {
    const candidates = snapshot.runs.filter((r) => r.metrics.length > 0);
    if (candidates.length < COMPARE_RUNS.min) throw new UserFacingError(Strings.tooFewRunsToCompare(candidates.length));
    const picked = await pickAtMost(
      candidates.map((r) => ({ label: r.runId, description: `${runTitle(r)} · ${r.stateText}`, picked: r.runId === preselected })),
      COMPARE_RUNS.max,
      Strings.pickRuns,
      Strings.tooManyRuns,
    );
    if (!picked) return undefined;
    chosen = picked.map((p) => p.label);
  }
  if (compareCountProblem(chosen.length)) throw new UserFacingError(Strings.compareRunCount(chosen.length));
  const unknown = chosen.filter((id) => !snapshot.runs.some((r) => r.runId === id));
  if (unknown.length > 0) throw new UserFacingError(Strings.unknownRuns(unknown));
  const withFigures = chosen.filter((id) => snapshot.runs.some((r) => r.runId === id && (r.logits || r.weightNorms))).slice(0, 2);
  for (const dir of dirs) s.known.add(dir);
  const panel = s.panels.showExperiments(dirs, withFigures.length > 0 ? withFigures : undefined);
  panel.focus(chosen);
  return chosen;
}

/**
 * Shows several experiment folders in one panel: every run (ids prefixed by experiment name) and
 * one table with a row per experiment and setting. Folders come from the tree's selection, a list
 * of paths (the API, tests), or a pick over the known experiments (those given already ticked).
 */
export async function compareExperiments(s: Services, arg: unknown, second?: unknown): Promise<string[] | undefined> {
  let dirs = experimentDirsOf(arg, second);
  if (dirs.length < 2) {
    const known = [...new Set([...dirs, ...s.tree.experiments().map((d) => path.resolve(d))])];
    const items = known.map((dir) => ({ label: path.basename(dir), description: vscode.workspace.asRelativePath(dir), dir, picked: dirs.includes(dir) }));
    if (items.length < 2) throw new UserFacingError(Strings.tooFewExperiments);
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: Strings.pickExperiments, matchOnDescription: true });
    if (!picked) return undefined;
    dirs = picked.map((p) => p.dir);
  }
  if (dirs.length < 2) throw new UserFacingError(Strings.tooFewExperiments);
  for (const dir of dirs) checkExperiment(dir);
  for (const dir of dirs) s.known.add(dir);
  s.panels.showExperiments(dirs);
  return dirs;
}

const isFormat = (f: unknown): f is ExportFormat => EXPORT_FORMATS.includes(f as ExportFormat);

/**
 * Writes the comparison table; to `outFile` without asking when given. Returns the file written.
 * `arg` may list several folders (a Compare Experiments panel): their combined table.
 */
export async function exportTable(s: Services, arg: unknown, formatArg?: unknown, outFile?: unknown): Promise<string | undefined> {
  const listed = Array.isArray(arg) ? experimentDirsOf(arg, undefined) : [];
  const dir = listed.length > 0 ? undefined : await experimentDir(s, arg, true);
  const dirs = listed.length > 0 ? listed : dir ? [dir] : [];
  if (dirs.length === 0) return undefined;
  for (const d of dirs) checkExperiment(d);
  const format = isFormat(formatArg)
    ? formatArg
    : (
        await vscode.window.showQuickPick(
          EXPORT_FORMATS.map((f) => ({ label: Strings.formats[f], format: f })),
          { placeHolder: Strings.pickFormat },
        )
      )?.format;
  if (!format) return undefined;
  let file = typeof outFile === 'string' ? path.resolve(outFile) : undefined;
  if (!file) {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(defaultCombinedExportPath(dirs, format)),
      filters: { [Strings.formats[format]]: [EXTENSIONS[format]] },
    });
    if (!target) return undefined;
    file = target.fsPath;
  }
  const text = renderTables(dirs, format);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  s.log.info(Strings.exported(file));
  if (typeof outFile !== 'string') void vscode.window.showInformationMessage(Strings.exported(file));
  return file;
}

/**
 * Writes the experiment's report (report.html, results.json and the figures as PNG) to
 * `outDir`, by default `<experiment>/report`. The PNGs come from headless Chromium where
 * playwright-core and a Chromium are found (as in the CLI), else from the results panel in view or a webview
 * (`lossLab.reportFigures`: auto | chromium | webview; `renderer` overrides it, for tests).
 * Given `outDir` (tests), it asks and shows nothing; otherwise it offers to open the report.
 */
export async function exportReport(s: Services, arg: unknown, outDirArg?: unknown, rendererArg?: unknown): Promise<WrittenReport | undefined> {
  // From the focused results panel of one experiment: that experiment, without asking which.
  const panel = s.panels.current;
  const dir = await experimentDir(s, arg, panel?.active === true && panel.dirs.length === 1);
  if (!dir) return undefined;
  checkExperiment(dir);
  const quiet = typeof outDirArg === 'string';
  const outDir = quiet ? path.resolve(outDirArg) : defaultReportDir(dir);
  const renderer = isFigureRenderer(rendererArg) ? rendererArg : reportFiguresSetting();
  const distDir = path.join(s.context.extensionPath, 'dist');
  const write = async () => {
    let report: WrittenReport;
    try {
      report = await writeReport(dir, { outDir, scriptPath: path.join(distDir, 'report.js'), png: renderer !== 'webview' });
    } catch (e) {
      if (e instanceof ReportError) throw new UserFacingError(`Loss Lab: ${e.message}`);
      throw e;
    }
    if (renderer === 'webview' || (renderer === 'auto' && report.pngUnavailable)) await drawInWebview(s, dir, report, path.join(distDir, 'reportCapture.js'));
    return report;
  };
  const report = quiet ? await write() : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: Strings.reportProgress(path.basename(dir)) }, write);
  for (const w of report.warnings) s.log.warn(w);
  s.log.info(Strings.reportWritten(report.htmlPath, report.pngs.length));
  const pngProblem = report.pngError && (report.pngUnavailable ? Strings.reportNoPngs(report.pngError) : Strings.reportPngFailed(report.pngError));
  if (pngProblem) s.log.warn(pngProblem);
  if (quiet) return report;
  if (pngProblem) void vscode.window.showWarningMessage(pngProblem);
  // In a webview, which works in a browser workbench too; the system browser only where it can open this machine's files.
  const actions = [Strings.openReport, ...(canOpenInBrowser() ? [Strings.openInBrowser, Strings.revealReport] : [])];
  void vscode.window.showInformationMessage(Strings.reportWritten(report.htmlPath, report.pngs.length), ...actions).then((choice) => {
    if (choice === Strings.openReport) openReportPanel(report.htmlPath);
    else if (choice === Strings.openInBrowser) void openInBrowser(report.htmlPath);
    else if (choice === Strings.revealReport) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(report.htmlPath));
  });
  return report;
}

/** Open Report: the experiment's report (written first when it has none) in a webview; returns report.html's path. */
export async function openReport(s: Services, arg: unknown): Promise<string | undefined> {
  const dir = await experimentDir(s, arg, true);
  if (!dir) return undefined;
  checkExperiment(dir);
  let htmlPath = path.join(defaultReportDir(dir), REPORT_HTML);
  if (!fs.existsSync(htmlPath)) {
    const written = await exportReport(s, dir, defaultReportDir(dir));
    if (!written) return undefined;
    htmlPath = written.htmlPath;
  }
  openReportPanel(htmlPath);
  return htmlPath;
}

/**
 * The webview renderer, into `report` in place: the experiment's results panel draws the figures
 * where it is in view (no tab opens), else a webview beside the editor does; a failure is kept as
 * the report's PNG error, next to Chromium's.
 */
async function drawInWebview(s: Services, dir: string, report: WrittenReport, captureScript: string): Promise<void> {
  const chromiumProblem = report.pngError;
  try {
    const drawn = (await drawInPanel(s, dir, report)) ?? { ...(await renderPngsInWebview(report.htmlPath, report.outDir, captureScript)), where: 'webview' as const };
    report.pngs = drawn.figures;
    report.skipped = drawn.skipped;
    report.pngError = undefined;
    report.pngUnavailable = undefined;
    s.log.info(Strings.reportFiguresInWebview(drawn.figures.length, drawn.where, chromiumProblem));
  } catch (e) {
    report.pngError = Strings.reportWebviewFailed((e as Error).message, chromiumProblem);
    report.pngUnavailable = false;
  }
}

/** The figures drawn by the panel in view that shows this experiment alone; undefined where there is none, or it failed. */
async function drawInPanel(s: Services, dir: string, report: WrittenReport) {
  const panel = s.panels.inViewShowing(dir);
  if (!panel) return undefined;
  try {
    return { ...(await panel.drawReportFigures(fs.readFileSync(report.htmlPath, 'utf8'), report.outDir)), where: 'panel' as const };
  } catch (e) {
    s.log.warn(Strings.reportPanelFailed((e as Error).message));
    return undefined;
  }
}

export function openRun(s: Services, arg: unknown): void {
  const ref = runRefOf(arg);
  if (ref) s.panels.show(ref.experimentDir, [ref.runId]);
}

/** Deletes a run folder after asking (tests pass `confirmed` = true). */
export async function deleteRun(s: Services, arg: unknown, confirmed?: unknown): Promise<boolean> {
  const ref = runRefOf(arg);
  if (!ref || path.basename(ref.runId) !== ref.runId) return false;
  const live = s.grids.live(ref.experimentDir);
  const record = readRun(path.join(ref.experimentDir, ref.runId));
  if (live.active.has(ref.runId) || live.pending.has(ref.runId)) throw new UserFacingError(Strings.cannotDeleteActive(record));
  // Trained by another process (a terminal's `losslab run`, a SLURM task): its lock says so.
  const holder = runHolderText(path.join(ref.experimentDir, ref.runId));
  if (holder) throw new UserFacingError(Strings.cannotDeleteLocked(record, holder));
  if (confirmed !== true) {
    const answer = await vscode.window.showWarningMessage(Strings.confirmDelete(recordTitle(record)), { modal: true }, Strings.deleteAction);
    if (answer !== Strings.deleteAction) return false;
  }
  fs.rmSync(path.join(ref.experimentDir, ref.runId), { recursive: true, force: true });
  s.watcher.notify(ref.experimentDir);
  return true;
}
