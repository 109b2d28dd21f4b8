/**
 * Open Report: report.html in a VS Code webview, which works wherever the extension runs (desktop,
 * Remote-SSH, code-server in a browser). The report is self-contained (Chart.js and the data inline, its
 * own Content-Security-Policy allowing exactly its inline script and style by hash, src/report/reportHtml.ts),
 * so the webview needs scripts and no local resources. "Open in Browser" hands the file to the system
 * browser, which only a desktop VS Code on the machine holding the file can do: in a browser workbench or
 * a remote window a file: URI names a file the browser's machine does not have.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Strings } from '../strings';

const REPORT_VIEW_TYPE = 'lossLab.report';

const panels = new Map<string, vscode.WebviewPanel>();

/** Shows the report at `htmlPath` in a webview (the one already showing it, refreshed); returns the panel. */
export function openReportPanel(htmlPath: string): vscode.WebviewPanel {
  const file = path.resolve(htmlPath);
  const html = fs.readFileSync(file, 'utf8');
  let panel = panels.get(file);
  if (panel) panel.reveal();
  else {
    const experiment = path.basename(path.dirname(path.dirname(file)));
    panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, Strings.reportTitle(experiment), vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
    panels.set(file, panel);
    panel.onDidDispose(() => panels.delete(file));
  }
  panel.webview.html = html;
  return panel;
}

/** Whether the system browser can open a local file: a desktop window whose extension host runs on this machine. */
export function canOpenInBrowser(): boolean {
  return vscode.env.uiKind === vscode.UIKind.Desktop && vscode.env.remoteName === undefined;
}

export function openInBrowser(htmlPath: string): Thenable<boolean> {
  return vscode.env.openExternal(vscode.Uri.file(htmlPath));
}
