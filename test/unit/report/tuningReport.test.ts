// The report of a search: a Tuning section with each study's choice, budget and figures, and every number's split named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReportData } from '../../../src/protocol/report';
import { buildReport } from '../../../src/report/buildReport';
import { chromiumPath } from '../../../src/report/renderPngs';
import { writeReport } from '../../../src/report/writeReport';
import { writeSearchExperiment } from '../../fixtures/searchExperiment';
import { reportScript, writeExperiment, removeExperiment } from './fixture';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-search-report-'));
let dir: string;
let script: string;

before(async () => {
  dir = writeSearchExperiment(root);
  script = await reportScript();
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const section = (html: string) => /<section id="tuning">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';

test("the Tuning section holds each study's chosen configuration and budget, and says the split", () => {
  const { html } = buildReport(dir, { script });
  const tuning = section(html);
  assert.ok(tuning, 'a Tuning section');
  assert.ok(tuning.includes('<h3>Simple CNN ×0.5 · CE</h3>'));
  assert.ok(tuning.includes('Chosen: trial 1: training.lr = 0.1 — 80% validation accuracy at epoch 4'));
  assert.ok(tuning.includes('Budget used: 4 of 4 trials run · 11 of at most 16 epochs used (4 × 4)'));
  assert.ok(tuning.includes('<h3>Simple CNN ×0.5 · Scaled-BN</h3>'));
  assert.ok(tuning.includes('Chosen: trial 1: loss.m = 0.9, loss.eval = batch — 85% validation accuracy at epoch 4'));
  assert.ok(tuning.includes('Budget used: 3 of 4 trials run · 10 of at most 16 epochs used (4 × 4)'));
  assert.ok(tuning.includes('Every loss had the same budget: 4 trials of up to 4 epochs'));
  assert.ok(tuning.includes('on the validation split; the test split decided nothing here'));
  const table = /<section id="table">([\s\S]*?)<\/section>/.exec(html)![1];
  assert.ok(table.includes('compares the final-stage runs only'), 'the comparison names its runs');
  assert.ok(table.includes('on the test split'));
  assert.ok(html.indexOf('<section id="table">') < html.indexOf('<section id="tuning">'), 'after the table');
});

test('a figure per study for the curves and one per searched field, each with its canvas in the page data', () => {
  const { html, figures } = buildReport(dir, { script });
  const tuning = figures.filter((f) => f.kind === 'tuning');
  assert.deepEqual(
    tuning.map((f) => [f.file, f.title]),
    [
      ['tuning-simple-cnn-w0.5-ce.png', 'Validation accuracy of each trial over epochs'],
      ['tuning-simple-cnn-w0.5-ce-training.lr.png', 'Validation accuracy against training.lr'],
      ['tuning-simple-cnn-w0.5-scaled-bn.png', 'Validation accuracy of each trial over epochs'],
      ['tuning-simple-cnn-w0.5-scaled-bn-loss.m.png', 'Validation accuracy against loss.m'],
      ['tuning-simple-cnn-w0.5-scaled-bn-loss.eval.png', 'Validation accuracy against loss.eval'],
    ],
  );
  for (const f of tuning) assert.ok(section(html).includes(`<canvas id="${f.canvasId}" data-points="0"`), f.canvasId);
  const data = JSON.parse(/<script[^>]*id="report-data"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1]) as ReportData;
  assert.deepEqual(data.tuning?.studies, [
    { key: 'simple-cnn-w0.5__ce', curves: 'tuning-simple-cnn-w0.5-ce', params: [{ field: 'training.lr', canvas: 'tuning-simple-cnn-w0.5-ce-training.lr' }] },
    {
      key: 'simple-cnn-w0.5__scaled-bn',
      curves: 'tuning-simple-cnn-w0.5-scaled-bn',
      params: [
        { field: 'loss.m', canvas: 'tuning-simple-cnn-w0.5-scaled-bn-loss.m' },
        { field: 'loss.eval', canvas: 'tuning-simple-cnn-w0.5-scaled-bn-loss.eval' },
      ],
    },
  ]);
});

test('a report without search.json has no Tuning section and no word of one', () => {
  const plain = writeExperiment();
  try {
    const { html, model } = buildReport(plain, { script });
    assert.equal(model.tuning, undefined);
    assert.ok(!html.includes('id="tuning"'));
    assert.ok(!html.includes('final-stage'));
  } finally {
    removeExperiment(plain);
  }
});

const chromium = chromiumPath();
const skip = !chromium || !fs.existsSync(chromium) ? `no Chromium (${chromium ?? 'none found'}); apt-get install chromium` : false;

test('in headless Chromium every trial point is drawn and each Tuning figure saved as a PNG', { skip }, async () => {
  const written = await writeReport(dir, { script, outDir: path.join(root, 'report') });
  assert.equal(written.pngError, undefined, written.pngError);
  const points = Object.fromEntries(written.pngs.filter((p) => p.file.startsWith('tuning-')).map((p) => [p.file, p.points]));
  // Each trial's valAcc per epoch from its metrics.jsonl: CE 4 + 4 + 1 + 2, Scaled-BN 4 + 4 + 2; the scatters one point per trial.
  assert.deepEqual(points, {
    'tuning-simple-cnn-w0.5-ce.png': 11,
    'tuning-simple-cnn-w0.5-ce-training.lr.png': 4,
    'tuning-simple-cnn-w0.5-scaled-bn.png': 10,
    'tuning-simple-cnn-w0.5-scaled-bn-loss.m.png': 3,
    'tuning-simple-cnn-w0.5-scaled-bn-loss.eval.png': 3,
  });
});
