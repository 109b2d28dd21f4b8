/**
 * Open Report: report.html in a VS Code webview, which works wherever the extension runs (desktop,
 * Remote-SSH, code-server in a browser). The report is self-contained (Chart.js and the data inline, its
 * own Content-Security-Policy allowing exactly its inline script and style by hash, src/report/reportHtml.ts),
 * so the webview needs scripts and no local resources. "Open in Browser" hands the file to the system
 * browser, which only a desktop VS Code on the machine holding the file can do: in a browser workbench or
 * a remote window a file: URI names a file the browser's machine does not have.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseReportPanelState, reportPanelStateScript } from '../../protocol/report';
import { withCaptureScript } from '../../report/reportHtml';
import { REPORT_VIEW_TYPE } from '../constants';
import { Strings } from '../strings';

const panels = new Map<string, vscode.WebviewPanel>();

/** The report's page, with the script that records which file it is for a reload to restore it. */
function pageOf(file: string): string {
  return withCaptureScript(fs.readFileSync(file, 'utf8'), reportPanelStateScript(file), randomBytes(18).toString('base64'));
}

function track(file: string, panel: vscode.WebviewPanel): void {
  panels.set(file, panel);
  panel.onDidDispose(() => panels.get(file) === panel && panels.delete(file));
}

/** After a reload: the report a restored webview showed, read again; a report since deleted closes it. */
export const reportPanelSerializer: vscode.WebviewPanelSerializer = {
  deserializeWebviewPanel: async (panel, state) => {
    const file = parseReportPanelState(state);
    if (!file || !fs.existsSync(file) || panels.has(file)) {
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    panel.webview.html = pageOf(file);
    track(file, panel);
  },
};

/** Shows the report at `htmlPath` in a webview (the one already showing it, refreshed); returns the panel. */
export function openReportPanel(htmlPath: string): vscode.WebviewPanel {
  const file = path.resolve(htmlPath);
  const html = pageOf(file);
  let panel = panels.get(file);
  if (panel) panel.reveal();
  else {
    const experiment = path.basename(path.dirname(path.dirname(file)));
    panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, Strings.reportTitle(experiment), vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
    track(file, panel);
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
