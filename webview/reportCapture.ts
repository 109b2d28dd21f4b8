/**
 * Figure capture for Loss Lab: Export Report where no Chromium can be driven (the packaged
 * extension): the extension shows report.html in a webview with this script added after the
 * report's own, which has drawn the figures with the results panel's chart code. Each
 * `data-png` figure is turned into a PNG in the page with html-to-image (SVG foreignObject →
 * canvas, the DOM as laid out, captions and table included) and posted to the extension,
 * which writes the files. Chosen over hand-drawing figures on a canvas: one rendering of
 * each figure, whichever renderer saves it.
 */
import type { WebviewApi } from 'vscode-webview';
import { toPng } from 'html-to-image';
import { REPORT_ERROR_ATTRIBUTE, REPORT_FIGURE_POINTS_ATTRIBUTE, REPORT_PNG_ATTRIBUTE, REPORT_STATE_ATTRIBUTE, type ReportCaptureMessage } from '../src/protocol/report';

/** The PNGs' pixels per CSS pixel: the same as the Chromium renderer's device scale. */
const SCALE = 2;

const api: WebviewApi<unknown> = acquireVsCodeApi(); // typed by @types/vscode-webview
const post = (message: ReportCaptureMessage) => api.postMessage(message);

async function capture(): Promise<void> {
  const body = document.body;
  const state = body.getAttribute(REPORT_STATE_ATTRIBUTE);
  if (state !== 'ready') {
    post({ type: 'error', message: `the report page failed to draw its charts: ${body.getAttribute(REPORT_ERROR_ATTRIBUTE) ?? `state ${state ?? 'unset'}`}` });
    return;
  }
  const figures = Array.from(document.querySelectorAll<HTMLElement>(`[${REPORT_PNG_ATTRIBUTE}]`));
  for (const el of figures) {
    const file = el.getAttribute(REPORT_PNG_ATTRIBUTE) ?? '';
    const points = Number(el.getAttribute(REPORT_FIGURE_POINTS_ATTRIBUTE) || 0);
    if (points <= 0) {
      post({ type: 'skipped', file, reason: 'nothing was drawn on it' });
      continue;
    }
    // skipFonts: the report uses system fonts only, there are no web fonts to embed.
    const dataUrl = await toPng(el, { pixelRatio: SCALE, backgroundColor: '#ffffff', skipFonts: true });
    post({ type: 'figure', file, kind: el.getAttribute('data-kind') ?? '', points, dataUrl });
  }
  post({ type: 'done' });
}

capture().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
