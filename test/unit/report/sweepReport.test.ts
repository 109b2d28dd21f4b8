// The report of a sweep: a chart of final test accuracy against the swept value, and a table row per full setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateConfig } from '../../../src/core/config/validate';
import { sweepCharts } from '../../../src/core/results/sweepSeries';
import { REPORT_DATA_ELEMENT, type ReportData } from '../../../src/protocol/report';
import { buildReport } from '../../../src/report/buildReport';
import { chromiumPath } from '../../../src/report/renderPngs';
import { writeReport } from '../../../src/report/writeReport';
import { config, removeExperiment, reportScript, writeExperiment } from './fixture';

const sweep = validateConfig({ ...config, name: 'sweep-demo', losses: [{ name: 'ce' }, { name: 'scaled-bn', m: { from: 0.8, to: 1, step: 0.1 } }] });
let dir: string;
let script: string;

before(async () => {
  // Final accuracies cycle 80, 82, 85, 88 % over the grid's runs (fixture.ts): CE 80/82, m=0.8 85/88, m=0.9 80/82, m=1 85/88.
  dir = writeExperiment({ config: sweep });
  script = await reportScript();
});
after(() => removeExperiment(dir));

test('the report has a sweep chart of final accuracy against m, with its data, and the table a row per setting', () => {
  const { html, figures, model } = buildReport(dir, { script });
  assert.deepEqual(model.table.rows, ['CE', 'Scaled-BN m=0.8', 'Scaled-BN m=0.9', 'Scaled-BN m=1']);
  assert.deepEqual(
    model.sweeps.map((f) => [f.kind, f.file, f.canvasId]),
    [['sweep', 'sweep-m.png', 'sweep-m']],
  );
  assert.equal(figures[1].file, 'sweep-m.png', 'right after the table');
  assert.match(html, /<section id="sweeps"><h2>Sweeps<\/h2>/);
  assert.ok(html.includes('<canvas id="sweep-m" data-points="0"'));
  assert.ok(html.includes('data-png="sweep-m.png"'));
  const json = /<script[^>]*id="report-data"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1];
  assert.ok(html.includes(`id="${REPORT_DATA_ELEMENT}"`));
  const data = JSON.parse(json) as ReportData;
  assert.deepEqual(data.sweeps, [{ key: 'loss:m', canvas: 'sweep-m' }]);
  assert.ok(data.runs.every((r) => r.lossLabel === 'CE' || r.sweep?.[0]?.field === 'm'));
  // what the page's script draws from that data
  const [chart] = sweepCharts(data.runs.map((r) => ({ ...r, acc: r.finalAcc! * 100 })));
  assert.deepEqual(chart.xs, [0.8, 0.9, 1]);
  assert.deepEqual(
    chart.lines.map((l) => [l.label, l.reference ? Number(l.reference.mean.toFixed(6)) : l.points.map((p) => [p.x, Number(p.mean.toFixed(6)), p.n])]),
    [
      ['CE', 81],
      [
        'Scaled-BN',
        [
          [0.8, 86.5, 2],
          [0.9, 81, 2],
          [1, 86.5, 2],
        ],
      ],
    ],
  );
});

test('a report without a sweep has no sweep section', () => {
  const plain = writeExperiment();
  try {
    const { html, model } = buildReport(plain, { script });
    assert.deepEqual(model.sweeps, []);
    assert.ok(!html.includes('id="sweeps"'));
  } finally {
    removeExperiment(plain);
  }
});

const chromium = chromiumPath();
const skip = !chromium || !fs.existsSync(chromium) ? `no Chromium (${chromium ?? 'none found'}); apt-get install chromium` : false;

test('in headless Chromium the sweep chart is drawn with every point and saved as a PNG', { skip }, async () => {
  const written = await writeReport(dir, { script, outDir: path.join(path.dirname(dir), 'report') });
  assert.equal(written.pngError, undefined, written.pngError);
  const png = written.pngs.find((p) => p.file === 'sweep-m.png');
  assert.ok(png, `sweep-m.png among ${written.pngs.map((p) => p.file).join(', ')}`);
  // CE: a flat line of 2 points with its band (3 datasets); Scaled-BN: 3 values, mean and band: 2·3 + 3·3 = 15
  assert.equal(png.points, 15);
  assert.ok(fs.statSync(png.path).size > 5_000);
});
