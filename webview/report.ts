/**
 * The exported report's script (dist/report.js, inlined into report.html). It draws the
 * figures (reportDrawing.ts) from the data inlined next to it, then marks the page ready so
 * the PNG export (src/report/renderPngs.ts) can take its screenshots. No VS Code API here.
 */
import Chart from 'chart.js/auto';
import { REPORT_DATA_ELEMENT, REPORT_ERROR_ATTRIBUTE, REPORT_STATE_ATTRIBUTE } from '../src/protocol/report';
import { drawReport, markFigurePoints, parseReportData } from './reportDrawing';

function main(): void {
  const body = document.body;
  try {
    const data = parseReportData(document.getElementById(REPORT_DATA_ELEMENT)?.textContent);
    // Canvases at twice the CSS size at least: crisp when zoomed, printed or exported as PNG.
    Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    drawReport(data, (id) => document.getElementById(id));
    markFigurePoints(document);
    body.setAttribute(REPORT_STATE_ATTRIBUTE, 'ready');
  } catch (e) {
    body.setAttribute(REPORT_ERROR_ATTRIBUTE, e instanceof Error ? e.message : String(e));
    body.setAttribute(REPORT_STATE_ATTRIBUTE, 'error');
    throw e;
  }
}

main();
