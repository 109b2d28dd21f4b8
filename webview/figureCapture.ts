/**
 * A report's `data-png` figures turned into PNGs in the page with html-to-image (SVG
 * foreignObject → canvas, the DOM as laid out, captions and table included), for Export Report
 * where no Chromium can be driven: in the results panel that drew them (panelReport.ts), or in
 * a webview showing report.html (reportCapture.ts). Chosen over hand-drawing figures on a
 * canvas: one rendering of each figure, whichever renderer saves it.
 */
import { toPng } from 'html-to-image';
import { REPORT_FIGURE_POINTS_ATTRIBUTE, REPORT_PNG_ATTRIBUTE, type ReportCaptureMessage } from '../src/protocol/report';

/** The PNGs' pixels per CSS pixel: the same as the Chromium renderer's device scale. */
const CAPTURE_SCALE = 2;

/** Posts each figure under `root` as a `figure` (or `skipped`, when nothing is drawn on it); `done` is the caller's. */
export async function captureFigures(root: ParentNode, post: (message: ReportCaptureMessage) => void): Promise<void> {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>(`[${REPORT_PNG_ATTRIBUTE}]`))) {
    const file = el.getAttribute(REPORT_PNG_ATTRIBUTE) ?? '';
    const points = Number(el.getAttribute(REPORT_FIGURE_POINTS_ATTRIBUTE) || 0);
    if (points <= 0) {
      post({ type: 'skipped', file, reason: 'nothing was drawn on it' });
      continue;
    }
    // skipFonts: the report uses system fonts only, there are no web fonts to embed.
    const dataUrl = await toPng(el, { pixelRatio: CAPTURE_SCALE, backgroundColor: '#ffffff', skipFonts: true });
    post({ type: 'figure', file, kind: el.getAttribute('data-kind') ?? '', points, dataUrl });
  }
}
