/**
 * Export Report's figures drawn by the results panel in view, so that no webview tab has to
 * open for them: the report page the host sends is laid out out of sight in a shadow root (its
 * own styles inside, the panel's outside), drawn with the report's chart code, each figure
 * captured as a PNG and posted back, then everything taken down again. The page's scripts are
 * not run: its data is read and drawn here.
 */
import Chart from 'chart.js/auto';
import { REPORT_DATA_ELEMENT, type ReportCaptureMessage } from '../src/protocol/report';
import { captureFigures } from './figureCapture';
import { drawReport, markFigurePoints, parseReportData } from './reportDrawing';

/** The report's body rules apply to the copy's wrapper (a shadow root has no body). */
const BODY_CLASS = 'report-body';

/** Chart.js' global defaults the report's drawing changes (its light theme, its device scale), to put back. */
function chartDefaults() {
  const d = Chart.defaults;
  const saved = { color: d.color, borderColor: d.borderColor, family: d.font.family, devicePixelRatio: d.devicePixelRatio };
  return () => Object.assign(d, { color: saved.color, borderColor: saved.borderColor, devicePixelRatio: saved.devicePixelRatio, font: { ...d.font, family: saved.family } });
}

/** The report page's figures, out of sight: its style sheet and static body in a shadow root under `host`. */
function layOut(html: string, host: HTMLElement): { root: ShadowRoot; dataText: string | null | undefined } {
  // An inert document of its own: nothing in it runs, loads or is styled.
  const page = document.implementation.createHTMLDocument('');
  page.documentElement.innerHTML = html.replace(/^<!DOCTYPE[^>]*>/i, '');
  const dataText = page.getElementById(REPORT_DATA_ELEMENT)?.textContent;
  const styles = Array.from(page.querySelectorAll('style'), (s) => s.textContent ?? '');
  for (const el of Array.from(page.querySelectorAll('script, style, meta'))) el.remove();
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(styles.join('\n'));
  for (const rule of Array.from(sheet.cssRules)) if (rule instanceof CSSStyleRule && rule.selectorText === 'body') rule.selectorText = `.${BODY_CLASS}`;
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [sheet];
  const body = document.createElement('div');
  body.className = BODY_CLASS;
  // A copy of the list first: adopting a node takes it out of the live one.
  body.append(...Array.from(page.body.childNodes).map((n) => document.adoptNode(n)));
  root.append(body);
  return { root, dataText };
}

/** Draws and captures the report's figures, posting each, then `done` (or `error`). */
export async function drawReportFigures(html: string, post: (message: ReportCaptureMessage) => void): Promise<void> {
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  // Laid out (figures are measured from the layout) but far off the panel; wide enough for two figures a row, as the report.
  Object.assign(host.style, { position: 'fixed', left: '-20000px', top: '0', width: '1400px', pointerEvents: 'none' });
  document.body.append(host);
  let drawn: Chart[] = [];
  try {
    const { root, dataText } = layOut(html, host);
    // Drawing is synchronous: the panel's own charts neither draw with the report's defaults nor
    // come or go meanwhile, so the charts made here are exactly those new after it.
    const restore = chartDefaults();
    const before = new Set(Object.values(Chart.instances));
    try {
      // Canvases at twice the CSS size at least, as the report page draws them.
      Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
      drawReport(parseReportData(dataText), (id) => root.getElementById(id));
    } finally {
      drawn = Object.values(Chart.instances).filter((c) => !before.has(c));
      restore();
    }
    markFigurePoints(root);
    await captureFigures(root, post);
    post({ type: 'done' });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    for (const chart of drawn) chart.destroy();
    host.remove();
  }
}
