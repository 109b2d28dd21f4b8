/**
 * The report's PNG figures drawn in a VS Code webview: the fallback of Export Report where
 * headless Chromium cannot be driven (the packaged extension ships without playwright-core,
 * and most machines have no Chromium). The webview is VS Code's own Chromium: it shows
 * report.html, whose script draws the figures with the results panel's chart code, plus
 * the capture script (dist/reportCapture.js), which posts each figure back as a PNG.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ReportCaptureMessage } from '../../protocol/report';
import { savePngDataUrl, type RenderedFigure } from '../../report/figurePng';
import { withCaptureScript } from '../../report/reportHtml';
import { Strings } from '../strings';

export interface WebviewFigures {
  figures: RenderedFigure[];
  skipped: { file: string; reason: string }[];
}

const VIEW_TYPE = 'lossLab.reportFigures';

export async function renderPngsInWebview(htmlPath: string, outDir: string, captureScriptPath: string, timeoutMs = 120_000): Promise<WebviewFigures> {
  if (!fs.existsSync(captureScriptPath)) throw new Error(`the figure capture script is missing (${captureScriptPath}): rebuild the extension (npm run build)`);
  const html = withCaptureScript(fs.readFileSync(htmlPath, 'utf8'), fs.readFileSync(captureScriptPath, 'utf8'), randomBytes(18).toString('base64'));
  // Shown beside the editor without taking focus: a hidden webview is not laid out, and the
  // figures are measured from the layout. No local resources: everything is inline.
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, Strings.reportFiguresTitle, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [] });
  const result: WebviewFigures = { figures: [], skipped: [] };
  const disposables: vscode.Disposable[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the webview drew no figures in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
      disposables.push({ dispose: () => clearTimeout(timer) });
      disposables.push(
        panel.webview.onDidReceiveMessage((message: ReportCaptureMessage) => {
          try {
            if (message.type === 'figure') result.figures.push(savePngDataUrl(outDir, message, message.dataUrl));
            else if (message.type === 'skipped') result.skipped.push({ file: message.file, reason: message.reason });
            else if (message.type === 'done') resolve();
            else if (message.type === 'error') reject(new Error(message.message));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }),
        panel.onDidDispose(() => reject(new Error('the figures panel was closed before it finished'))),
      );
      panel.webview.html = html;
    });
  } finally {
    for (const d of disposables) d.dispose();
    panel.dispose();
  }
  return result;
}
