/**
 * Export Report's figures drawn by the results panel (webview/panelReport.ts), in real headless
 * Chromium on a page under the panel's own Content-Security-Policy and with styles of its own:
 * every figure arrives as a PNG that looks like the Chromium renderer's screenshot of it (the
 * panel's styles do not leak in), and the page is left as it was. Skipped where there is no Chromium.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { PNG } from 'pngjs';
import { chromium as playwright } from 'playwright-core';
import type { ReportCaptureMessage } from '../../../src/protocol/report';
import { CHROMIUM_ARGS } from '../../../src/host/headlessChromium';
import { contentSecurityPolicy } from '../../../src/extension/results/resultsHtml';
import { savePngDataUrl, type RenderedFigure } from '../../../src/report/figurePng';
import { chromiumPath } from '../../../src/report/renderPngs';
import { writeReport, type WrittenReport } from '../../../src/report/writeReport';
import { assertEveryFigurePosted, removeExperiment, reportScript, writeExperiment } from './fixture';

const chromium = chromiumPath();
const skip = !chromium || !fs.existsSync(chromium) ? `no Chromium (${chromium ?? 'none found'}); apt-get install chromium` : false;
const NONCE = 'cGFuZWwtbm9uY2UtMTIzNA==';

/** Mean grey of each 16×16 block, row-major. */
function blockGrey(png: PNG, size = 16): number[] {
  const out: number[] = [];
  for (let by = 0; by + size <= png.height; by += size) {
    for (let bx = 0; bx + size <= png.width; bx += size) {
      let sum = 0;
      for (let y = by; y < by + size; y++)
        for (let x = bx; x < bx + size; x++) sum += (png.data[(y * png.width + x) * 4] + png.data[(y * png.width + x) * 4 + 1] + png.data[(y * png.width + x) * 4 + 2]) / 3;
      out.push(sum / (size * size));
    }
  }
  return out;
}

let dir: string;
let viaChromium: WrittenReport;
let messages: ReportCaptureMessage[];
let saved: RenderedFigure[];
let captureDir: string;
let pageErrors: string[];
let pageAfter: { children: number; charts: number; color: unknown };

before(async () => {
  if (skip) return;
  dir = writeExperiment();
  viaChromium = await writeReport(dir, { script: await reportScript(), outDir: path.join(path.dirname(dir), 'report') });
  const bundle = await build({
    stdin: {
      contents: "import Chart from 'chart.js/auto'; import { drawReportFigures } from './panelReport'; Object.assign(window, { drawReportFigures, Chart });",
      resolveDir: path.join(__dirname, '..', '..', '..', 'webview'),
    },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  // The panel's CSP, and styles a report figure must not take on.
  const page = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ cspSource: 'file:', nonce: NONCE })}">
<style nonce="${NONCE}">body { background: #1e1e1e; color: #ff00ff; font: 30px serif; } figure, table, td { border: 6px solid #00ff00 !important; background: #333333; }</style></head>
<body><p>the panel</p><script nonce="${NONCE}">${bundle.outputFiles[0].text.replace(/<\/script/g, '<\\/script')}</script></body></html>`;
  const file = path.join(path.dirname(dir), 'panel.html');
  fs.writeFileSync(file, page);
  const browser = await playwright.launch({ executablePath: chromium!, headless: true, args: CHROMIUM_ARGS });
  try {
    const tab = await browser.newPage({ viewport: { width: 900, height: 700 }, deviceScaleFactor: 1 });
    pageErrors = [];
    tab.on('pageerror', (e) => pageErrors.push(e.message));
    await tab.goto(`file://${file}`);
    const html = fs.readFileSync(viaChromium.htmlPath, 'utf8');
    // A string: no transpiled helpers cross over.
    messages = await tab.evaluate<ReportCaptureMessage[]>(`(async () => { const out = []; await window.drawReportFigures(${JSON.stringify(html)}, (m) => out.push(m)); return out; })()`);
    pageAfter = await tab.evaluate(`({ children: document.body.children.length, charts: Object.keys(window.Chart.instances).length, color: window.Chart.defaults.color })`);
  } finally {
    await browser.close();
  }
  captureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-panel-capture-'));
  saved = messages.flatMap((m) => (m.type === 'figure' ? [savePngDataUrl(captureDir, m, m.dataUrl)] : []));
});
after(() => {
  if (dir) removeExperiment(dir);
  if (captureDir) fs.rmSync(captureDir, { recursive: true, force: true });
});

test('the panel posts every figure of the report, then done, and leaves its page as it was', { skip }, () => {
  assertEveryFigurePosted(messages, saved, viaChromium.pngs);
  assert.deepEqual(pageErrors, [], 'no uncaught error in the panel');
  // The script and the paragraph; no chart left behind; Chart.js' default colour not the report's.
  assert.deepEqual(pageAfter, { children: 2, charts: 0, color: '#666' });
});

test("each figure is the Chromium screenshot's size and looks like it: the panel's styles stay out", { skip }, () => {
  for (const figure of saved) {
    const reference = viaChromium.pngs.find((p) => p.file === figure.file)!;
    assert.ok(
      Math.abs(figure.width - reference.width) <= 2 && Math.abs(figure.height - reference.height) <= 2,
      `${figure.file}: ${figure.width}×${figure.height} vs ${reference.width}×${reference.height}`,
    );
    const a = blockGrey(PNG.sync.read(fs.readFileSync(figure.path)));
    const b = blockGrey(PNG.sync.read(fs.readFileSync(reference.path)));
    let sum = 0;
    let inked = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] > 250 && b[i] > 250) continue;
      sum += Math.abs(a[i] - b[i]);
      inked++;
    }
    assert.ok(inked > 50, `${figure.file}: only ${inked} blocks with ink`);
    // As in reportCapture.test.ts: under 10 grey levels a block (a blanked plot differs by 34).
    assert.ok(sum / inked < 10, `${figure.file}: differs from the screenshot by ${(sum / inked).toFixed(1)} grey levels per block`);
  }
});
