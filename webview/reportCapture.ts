/**
 * Figure capture for Loss Lab: Export Report where no Chromium can be driven and no results
 * panel of the experiment is in view: the extension shows report.html in a webview with this
 * script added after the report's own, which has drawn the figures. Each figure is posted to the
 * extension as a PNG (figureCapture.ts), which writes the files.
 */
import type { WebviewApi } from 'vscode-webview';
import { REPORT_ERROR_ATTRIBUTE, REPORT_STATE_ATTRIBUTE, type ReportCaptureMessage } from '../src/protocol/report';
import { captureFigures } from './figureCapture';

const api: WebviewApi<unknown> = acquireVsCodeApi(); // typed by @types/vscode-webview
const post = (message: ReportCaptureMessage) => api.postMessage(message);

async function capture(): Promise<void> {
  const body = document.body;
  const state = body.getAttribute(REPORT_STATE_ATTRIBUTE);
  if (state !== 'ready') {
    post({ type: 'error', message: `the report page failed to draw its charts: ${body.getAttribute(REPORT_ERROR_ATTRIBUTE) ?? `state ${state ?? 'unset'}`}` });
    return;
  }
  await captureFigures(document, post);
  post({ type: 'done' });
}

capture().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
