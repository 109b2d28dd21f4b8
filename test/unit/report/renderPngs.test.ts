/**
 * The PNG export in real headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH):
 * skipped where there is none. The figures are drawn by the results panel's chart code.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_ARGS } from '../../../src/host/headlessChromium';
import { REPORT_STATE_ATTRIBUTE } from '../../../src/protocol/report';
import { chromiumPath, pngSize } from '../../../src/report/renderPngs';
import { writeReport, type WrittenReport } from '../../../src/report/writeReport';
import { CLASSES, HISTOGRAM_BINS, removeExperiment, reportScript, specs, writeExperiment } from './fixture';

const chromium = chromiumPath();
const skip = !chromium || !fs.existsSync(chromium) ? `no Chromium (${chromium ?? 'none found'}); apt-get install chromium` : false;

let dir: string;
let written: WrittenReport;

before(async () => {
  if (skip) return;
  dir = writeExperiment();
  written = await writeReport(dir, { script: await reportScript(), outDir: path.join(path.dirname(dir), 'report') });
});
after(() => dir && removeExperiment(dir));

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('every figure is saved as a PNG with plausible dimensions', { skip }, () => {
  assert.equal(written.pngError, undefined, written.pngError);
  assert.deepEqual(written.skipped, []);
  assert.deepEqual(
    written.pngs.map((p) => p.file),
    written.figures.map((f) => f.file),
  );
  assert.equal(written.pngs.length, 7, 'table, 4 curve charts, logits, weight norms');
  for (const png of written.pngs) {
    const bytes = fs.readFileSync(png.path);
    assert.ok(bytes.length > 5_000, `${png.file}: ${bytes.length} bytes`);
    assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${png.file} is a PNG`);
    // IHDR read here independently of pngSize: width and height are big-endian at 16 and 20.
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    assert.deepEqual({ width, height }, { width: png.width, height: png.height });
    assert.deepEqual(pngSize(bytes), { width, height });
    if (png.kind === 'table') {
      assert.ok(width >= 300 && width <= 3000 && height >= 150 && height <= 1500, `${png.file}: ${width}×${height}`);
    } else {
      // A 600×340 chart box plus caption, at device scale 2.
      assert.ok(width >= 1200 && width <= 1400, `${png.file} width ${width}`);
      assert.ok(height >= 680 && height <= 1000, `${png.file} height ${height}`);
    }
  }
  assert.ok(fs.existsSync(written.htmlPath) && fs.existsSync(written.resultsPath));
});

test('the charts had data when they were shot (the data-points the panel sets), seed bands included', { skip }, () => {
  const points = Object.fromEntries(written.pngs.map((p) => [p.kind === 'curve' ? p.file.replace('curves-simple-cnn-x0.5-', '') : p.kind, p.points]));
  // 4 runs × 3 epochs of lines, plus 2 settings × (lower + upper) × 3 epochs of bands.
  const curve = specs.length * 3 + 2 * 2 * 3;
  assert.deepEqual(points, {
    table: 2, // rows
    'test-acc.png': curve,
    'train-loss.png': curve,
    'train-acc.png': curve,
    'test-loss.png': curve,
    // CE before, Scaled-BN before and after: histogram steps have bins + 1 corners.
    logits: 3 * (HISTOGRAM_BINS + 1),
    norms: 2 * CLASSES,
  });
});

test('the page loaded nothing from the network', { skip }, () => {
  assert.ok(!written.warnings.some((w) => w.includes('tried to load')), written.warnings.join('\n'));
});

test('a second report into the same folder replaces the figures of the first', { skip }, async () => {
  const stale = path.join(written.outDir, 'curves-old-model-test-acc.png');
  fs.writeFileSync(stale, 'old');
  const again = await writeReport(dir, { script: await reportScript(), outDir: written.outDir, png: false });
  assert.ok(!fs.existsSync(stale));
  assert.ok(!fs.existsSync(path.join(again.outDir, 'table.png')), 'png: false leaves no figure of an older report');
});

test('in a 1092 px tab the report fits: its figures wrap to one a row instead of being cut off', { skip }, async () => {
  const { chromium: browserType } = await import('playwright-core');
  const browser = await browserType.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1092, height: 800 } });
    await page.goto(pathToFileURL(written.htmlPath).href);
    await page.waitForSelector(`body[${REPORT_STATE_ATTRIBUTE}="ready"]`, { state: 'attached' });
    // A string, as this file has Node's types only (no DOM); it runs in the page.
    const { scrollWidth, rightmost } = await page.evaluate<{ scrollWidth: number; rightmost: number }>(
      `({ scrollWidth: document.documentElement.scrollWidth, rightmost: Math.max(...Array.from(document.querySelectorAll('figure')).map((f) => f.getBoundingClientRect().right)) })`,
    );
    assert.ok(scrollWidth <= 1092, `the page is ${scrollWidth} px wide`);
    assert.ok(rightmost <= 1092, `a figure ends at ${rightmost} px`);
  } finally {
    await browser.close();
  }
});
