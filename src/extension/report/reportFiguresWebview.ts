/**
 * The report's PNG figures drawn in a VS Code webview: the fallback of Export Report where
 * headless Chromium cannot be driven (the packaged extension ships without playwright-core,
 * and most machines have no Chromium) and no results panel of the experiment is in view to
 * draw them (ResultsPanel.drawReportFigures). The webview is VS Code's own Chromium: it shows
 * report.html, whose script draws the figures with the results panel's chart code, plus the
 * capture script (dist/reportCapture.js), which posts each figure back as a PNG.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { isReportCapture } from '../../protocol/report';
import { collectFigures, type CapturedFigures } from '../../report/capturedFigures';
import { withCaptureScript } from '../../report/reportHtml';
import { Strings } from '../strings';

const VIEW_TYPE = 'lossLab.reportFigures';

export async function renderPngsInWebview(htmlPath: string, outDir: string, captureScriptPath: string, timeoutMs = 120_000): Promise<CapturedFigures> {
  if (!fs.existsSync(captureScriptPath)) throw new Error(`the figure capture script is missing (${captureScriptPath}): rebuild the extension (npm run build)`);
  const html = withCaptureScript(fs.readFileSync(htmlPath, 'utf8'), fs.readFileSync(captureScriptPath, 'utf8'), randomBytes(18).toString('base64'));
  // Beside the editor and without the focus, never over the editor someone works in: a hidden
  // webview is not laid out, and the figures are measured from the layout. No local resources: everything is inline.
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, Strings.reportFiguresTitle, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
  const collector = collectFigures(outDir, timeoutMs, 'the webview');
  const disposables = [
    panel.webview.onDidReceiveMessage((message: unknown) => isReportCapture(message) && collector.receive(message)),
    panel.onDidDispose(() => collector.fail(new Error('the figures panel was closed before it finished'))),
  ];
  try {
    panel.webview.html = html;
    return await collector.result;
  } finally {
    for (const d of disposables) d.dispose();
    panel.dispose();
  }
}
