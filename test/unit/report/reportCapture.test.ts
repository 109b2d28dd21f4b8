/**
 * The webview renderer of the report's PNGs (webview/reportCapture.ts), run here in real
 * headless Chromium with a stand-in for VS Code's acquireVsCodeApi: every figure arrives as a
 * PNG of the same pixel size as the Chromium renderer's screenshot of it, and not blank.
 * Skipped where there is no Chromium.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { chromium as playwright } from 'playwright-core';
import type { ReportCaptureMessage } from '../../../src/protocol/report';
import { CHROMIUM_ARGS } from '../../../src/host/headlessChromium';
import { savePngDataUrl, type RenderedFigure } from '../../../src/report/figurePng';
import { chromiumPath } from '../../../src/report/renderPngs';
import { withCaptureScript } from '../../../src/report/reportHtml';
import { writeReport, type WrittenReport } from '../../../src/report/writeReport';
import { assertEveryFigurePosted, removeExperiment, reportScript, writeExperiment } from './fixture';

const chromium = chromiumPath();
const skip = !chromium || !fs.existsSync(chromium) ? `no Chromium (${chromium ?? 'none found'}); apt-get install chromium` : false;

/** VS Code's acquireVsCodeApi, collecting what the page posts (a string: no transpiled helpers cross over). */
const STAND_IN_API = 'window.captured = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.captured.push(m) });';
const posted = 'window.captured.some((m) => m.type === "done" || m.type === "error")';

/** Mean grey of each 16×16 block, row-major; blocks cut by the edge are left out. */
function blockGrey(png: PNG, size = 16): number[] {
  const out: number[] = [];
  for (let by = 0; by + size <= png.height; by += size) {
    for (let bx = 0; bx + size <= png.width; bx += size) {
      let sum = 0;
      for (let y = by; y < by + size; y++) {
        for (let x = bx; x < bx + size; x++) {
          const i = (y * png.width + x) * 4;
          sum += (png.data[i] + png.data[i + 1] + png.data[i + 2]) / 3;
        }
      }
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

before(async () => {
  if (skip) return;
  dir = writeExperiment();
  viaChromium = await writeReport(dir, { script: await reportScript(), outDir: path.join(path.dirname(dir), 'report') });
  const html = withCaptureScript(fs.readFileSync(viaChromium.htmlPath, 'utf8'), await reportScript('reportCapture'), 'dGVzdC1ub25jZS0xMjM0NTY=');
  const page = path.join(path.dirname(dir), 'capture.html');
  fs.writeFileSync(page, html);
  const browser = await playwright.launch({ executablePath: chromium!, headless: true, args: CHROMIUM_ARGS });
  try {
    // Device scale 1, like most screens a webview lives on: the 2× must come from the script.
    const tab = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
    await tab.addInitScript(STAND_IN_API);
    await tab.goto(`file://${page}`);
    // Polled with evaluate: waitForFunction's string predicate would need the CSP's unsafe-eval.
    for (const start = Date.now(); !(await tab.evaluate(posted)); await tab.waitForTimeout(100)) {
      if (Date.now() - start > 60_000) throw new Error('the capture script posted neither done nor error in 60 s');
    }
    messages = await tab.evaluate<ReportCaptureMessage[]>('window.captured');
  } finally {
    await browser.close();
  }
  captureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-capture-'));
  saved = messages.flatMap((m) => (m.type === 'figure' ? [savePngDataUrl(captureDir, m, m.dataUrl)] : []));
});
after(() => {
  if (dir) removeExperiment(dir);
  if (captureDir) fs.rmSync(captureDir, { recursive: true, force: true });
});

test('the capture script posts every figure, then done, and no error', { skip }, () => {
  assertEveryFigurePosted(messages, saved, viaChromium.pngs);
});

test('each figure has the pixel size of the Chromium screenshot of it (2× its CSS size)', { skip }, () => {
  for (const figure of saved) {
    const reference = viaChromium.pngs.find((p) => p.file === figure.file)!;
    // The capture measures the element's box; the screenshot rounds to device pixels: ±2 px.
    assert.ok(
      Math.abs(figure.width - reference.width) <= 2 && Math.abs(figure.height - reference.height) <= 2,
      `${figure.file}: ${figure.width}×${figure.height} vs ${reference.width}×${reference.height}`,
    );
    assert.equal(figure.points, reference.points, figure.file);
  }
});

test('the captured figures look like the Chromium screenshots: drawn, and the same pixels within anti-aliasing', { skip }, () => {
  for (const figure of saved) {
    const png = PNG.sync.read(fs.readFileSync(figure.path));
    const reference = PNG.sync.read(fs.readFileSync(viaChromium.pngs.find((p) => p.file === figure.file)!.path));
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 7) colours.add(png.data.readUInt32BE(i));
    assert.ok(colours.size > 20, `${figure.file}: only ${colours.size} colours`);
    // Compared as 16×16-pixel block means of grey, over the blocks either image has ink in:
    // robust to the renderers' sub-pixel text placement, while an empty canvas, a missing
    // caption or legend, or a chart drawn at another size leave whole blocks wrong.
    const a = blockGrey(png);
    const b = blockGrey(reference);
    let sum = 0;
    let inked = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] > 250 && b[i] > 250) continue;
      sum += Math.abs(a[i] - b[i]);
      inked++;
    }
    assert.ok(inked > 50, `${figure.file}: only ${inked} blocks with ink`);
    // Measured: 1.1–2.2 for the charts, 6.4 for the text-heavy table; two charts of the
    // same kind with different data differ by 14 or more, a blanked plot area by 34.
    assert.ok(sum / inked < 10, `${figure.file}: the captured figure differs from the screenshot by ${(sum / inked).toFixed(1)} grey levels per block`);
  }
});
