import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateConfig } from '../../../src/core/config/validate';
import { buildReport, ReportError } from '../../../src/report/buildReport';
import { formatDuration } from '../../../src/core/util/duration';
import { readableJson, scriptJson } from '../../../src/report/reportHtml';
import { diagnosticRuns, slug } from '../../../src/report/reportModel';
import { writeReport } from '../../../src/report/writeReport';
import { REPORT_DATA_ELEMENT, type ReportData } from '../../../src/protocol/report';
import type { RunSnapshot } from '../../../src/protocol/webview';
import { BACKENDS, config, HISTOGRAM_BINS, removeExperiment, reportScript, runVersions, specs, WALL_SECONDS, writeExperiment } from './fixture';

let dir: string;
let script: string;
const NOW = new Date('2026-03-04T05:06:07.000Z');

before(async () => {
  dir = writeExperiment();
  script = await reportScript();
});
after(() => removeExperiment(dir));

/** The text between `<tag ...>` and `</tag>` of every such element. */
const blocks = (html: string, tag: string) => [...html.matchAll(new RegExp(`<${tag}([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => ({ attrs: m[1], body: m[2] }));

test('the table: mean ± sample std [95% CI] per model × loss and the paired difference from CE, computed by hand; no best mark within noise', () => {
  const { html, results } = buildReport(dir, { script, now: NOW });
  // CE: 80, 82 → mean 81, std √((1 + 1) / 1) = 1.41, CI 81 ± 12.706·1.414/√2 = [68.29, 93.71];
  // Scaled-BN: 85, 88 → 86.5, std √((2.25 + 2.25) / 1) = 2.12, CI 86.5 ± 12.706·2.121/√2 = [67.44, 105.56], cut to [67.44, 100.00] (an accuracy cannot pass 100).
  assert.match(html, /<th scope="row">CE<\/th><td class="num" title="[^"]*">81\.00 \(± 1\.41\) \[68\.29, 93\.71\]<\/td>/);
  // Per-seed differences 5 and 6: mean 5.5, CI 5.5 ± 12.706·0.707/√2 = [-0.85, 11.85]; sign flips: |±5 ±6| ≥ 11 in 2 of 4 → p = 0.5.
  assert.match(
    html,
    /<th scope="row">Scaled-BN m=0\.9<\/th><td class="num" title="[^"]*">86\.50 \(± 2\.12\) \[67\.44, 100\.00\]<div class="delta" data-not-significant="true">Δ \+5\.50 \[-0\.85, 11\.85\] p=0\.5 n\.s\.<\/div><\/td>/,
  );
  assert.match(html, /<th scope="col" class="num">Simple CNN ×0\.5<\/th>/);
  assert.match(html, /over 2 seeds/);
  assert.match(html, /exact two-sided sign-flip permutation test/);
  assert.match(html, /best within noise of the runner-up: Simple CNN ×0\.5/);
  // Resolving 5.5 ± sd 0.707: the t-interval excludes 0 from 3 seeds, the sign-flip test needs 6.
  assert.match(html, /<li>Scaled-BN m=0\.9 vs CE on Simple CNN ×0\.5: \+5\.50 points with 2 seeds is not significant \(p=0\.5\); about 6 seeds would resolve it at the observed spread\.<\/li>/);
  const cell = results.table.cells[1][0]!;
  assert.ok(Math.abs(cell.mean - 86.5) < 1e-9 && Math.abs(cell.std - Math.SQRT2 * 1.5) < 1e-9 && !cell.best);
  assert.equal(cell.vsBaseline?.p, 0.5);
});

test("every run's config, backend, machine, software versions and wall time are in the report", () => {
  const { html } = buildReport(dir, { script, now: NOW });
  const details = blocks(html, 'details');
  assert.equal(details.length, specs.length);
  specs.forEach((spec, i) => {
    const d = details.find((x) => x.attrs.includes(`id="run-${spec.runId}"`));
    assert.ok(d, `no details for ${spec.runId}`);
    assert.ok(d.body.includes(`"runId": "${spec.runId}"`), 'config.json of the run');
    assert.ok(d.body.includes(`"seed": ${spec.seed}`));
    for (const line of ['"epochs": 3,', '"lr": 0.05,', '"milestones": [2],', '"model": { "name": "simple-cnn", "width": 0.5 },']) {
      assert.ok(d.body.includes(line), `config line ${line}`);
    }
    assert.ok(d.body.includes(`<dt>Backend</dt><dd>${BACKENDS[i]}</dd>`));
    const v = runVersions(i);
    assert.ok(d.body.includes(`node ${v.node}, tfjs ${v.tfjs}, lossLab ${v.lossLab}`), 'software versions');
    assert.ok(d.body.includes(`linux/x64, ${2 + i} × Test CPU ${i}, 16 GiB RAM`), 'machine');
    assert.ok(d.body.includes(`<dt>Wall time</dt><dd>${['12.5 s', '1 min 15 s (75.3 s)', '1 h 02 min (3725.0 s)', '1 min 01 s (61.0 s)'][i]}</dd>`), 'wall time');
  });
  for (const text of ['12.5 s', '1 min 15 s', '1 h 02 min', '1 min 01 s']) assert.ok(html.includes(`<td class="num">${text}</td>`), `runs table wall time ${text}`);
  // The experiment's config and where it came from (the file name only: the report is shared).
  assert.ok(html.includes('From report-demo.losslab.json'));
  assert.ok(!html.includes('/somewhere/'));
  assert.ok(html.includes(`"seeds": [1, 2],`));
  assert.ok(html.includes(`{ "name": "scaled-bn", "m": 0.9, "eval": "running", "momentum": 0.1, "eps": 0.00001 }`));
});

test('a page to share: readable UTC times, and the home folder written as ~', () => {
  // A dataset folder under the writer's home, as a config with a relative path resolves to.
  const home = '/home/ada';
  const shared = writeExperiment({ config: { ...config, dataset: { ...config.dataset, path: `${home}/data/fashion-mnist` } } });
  try {
    const { html } = buildReport(shared, { script, now: NOW, home });
    assert.match(html, /generated 4 Mar 2026, 05:06 UTC/);
    assert.doesNotMatch(html, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/, 'no raw ISO timestamps');
    assert.match(html, /~\/data\/fashion-mnist/);
    assert.ok(!html.includes(home), `the page still names ${home}`);
  } finally {
    removeExperiment(shared);
  }
});

test('text from the results is escaped', () => {
  const { html } = buildReport(dir, { script, now: NOW });
  assert.ok(config.description!.includes('<b>'));
  assert.ok(!html.includes('<b>not bold</b>'));
  assert.ok(html.includes('Report fixture &lt;b&gt;not bold&lt;/b&gt; &amp; friends'));
});

test('self-contained: nothing loads from the network or from files, and the CSP allows only the inline blocks', () => {
  const { html } = buildReport(dir, { script, now: NOW });
  assert.doesNotMatch(html, /<(script|img|iframe|embed|object|source|audio|video)\b[^>]*\bsrc\s*=/i, 'no element loads a source');
  assert.doesNotMatch(html, /<link\b/i, 'no stylesheet or icon links');
  assert.doesNotMatch(html, /\b(src|href|action|data|poster)\s*=\s*["']?\s*(https?:|\/\/)/i, 'no http(s) attribute');
  assert.doesNotMatch(html, /url\(\s*["']?(https?:|\/\/)|@import/i, 'no CSS fetches');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.match(csp, /default-src 'none'/);
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const scripts = blocks(html, 'script');
  const code = scripts.filter((s) => !s.attrs.includes('application/json'));
  assert.equal(code.length, 1, 'one script: the inlined report bundle');
  assert.ok(code[0].body.length > 100_000, 'chart.js is inlined');
  assert.ok(csp.includes(`script-src ${hash(code[0].body)}`), 'the script is allowed by its hash');
  const style = blocks(html, 'style');
  assert.equal(style.length, 1);
  assert.ok(csp.includes(`style-src ${hash(style[0].body)}`), 'the stylesheet is allowed by its hash');
});

test('the inlined data holds every run with its metrics and diagnostics, and the figures to draw', () => {
  const { html, figures } = buildReport(dir, { script, now: NOW });
  const json = blocks(html, 'script').find((s) => s.attrs.includes(`id="${REPORT_DATA_ELEMENT}"`))!.body;
  const data = JSON.parse(json) as ReportData;
  assert.deepEqual(
    data.runs.map((r) => r.runId),
    specs.map((s) => s.runId),
  );
  assert.ok(data.runs.every((r) => r.metrics.length === 3 && r.logits?.before.counts.length === HISTOGRAM_BINS && r.weightNorms?.norms.length === 10));
  assert.equal(data.curves.length, 1);
  assert.deepEqual(
    data.diagnostics.map((d) => d.runIds),
    [[specs[0].runId, specs[2].runId]],
    'CE next to Scaled-BN, same seed',
  );
  assert.deepEqual(
    figures.map((f) => f.file),
    ['table.png', ...['test-acc', 'train-loss', 'train-acc', 'test-loss'].map((m) => `curves-simple-cnn-x0.5-${m}.png`), 'logits-simple-cnn-x0.5.png', 'weight-norms-simple-cnn-x0.5.png'],
  );
  for (const f of figures) assert.ok(html.includes(`data-png="${f.file}"`));
  for (const f of figures.filter((x) => x.canvasId)) assert.ok(html.includes(`<canvas id="${f.canvasId}" data-points="0"`));
});

test('writeReport writes report.html and results.json (summaries, metrics, table) even without PNGs', async () => {
  const out = path.join(path.dirname(dir), 'out');
  const written = await writeReport(dir, { script, outDir: out, png: false, now: NOW });
  assert.equal(written.htmlPath, path.join(out, 'report.html'));
  assert.ok(fs.readFileSync(written.htmlPath, 'utf8').startsWith('<!DOCTYPE html>'));
  const results = JSON.parse(fs.readFileSync(written.resultsPath, 'utf8'));
  assert.equal(results.format, 'loss-lab-report-results');
  assert.equal(results.generatedAt, NOW.toISOString());
  assert.equal(results.experiment.name, 'report-demo');
  assert.equal(results.experiment.configFile, 'report-demo.losslab.json');
  assert.equal(results.runs.length, 4);
  for (const [i, run] of results.runs.entries()) {
    assert.equal(run.summary.backend, BACKENDS[i]);
    assert.equal(run.metrics.length, 3);
    assert.equal(run.config.runId, specs[i].runId);
  }
  assert.deepEqual(results.table.rows, ['CE', 'Scaled-BN m=0.9']);
  assert.deepEqual(written.pngs, []);
});

test('without Chromium the HTML is still written and the reason names the install', async () => {
  const out = path.join(path.dirname(dir), 'no-chromium');
  const written = await writeReport(dir, { script, outDir: out, chromium: path.join(out, 'no-such-chromium'), now: NOW });
  assert.ok(fs.existsSync(written.htmlPath));
  assert.equal(written.pngUnavailable, true);
  assert.match(written.pngError!, /apt-get install chromium/);
  assert.deepEqual(written.pngs, []);
});

test('an unfinished run is reported as such: † in the table, its last epoch, ≥ its epochs time', () => {
  const partialDir = writeExperiment({ unfinishedLast: true });
  try {
    const { html, model } = buildReport(partialDir, { script, now: NOW });
    // Scaled-BN: 85 and the stopped run's epoch 2 (88 − 10 = 78) → mean 81.5, std √((3.5² · 2) / 1) = 4.95.
    assert.match(html, /81\.50 \(± 4\.95\) \[[-\d.]+, [\d.]+\] †/);
    assert.ok(html.includes('includes unfinished runs'));
    const row = model.runs.at(-1)!;
    assert.equal(row.state, 'stopped');
    assert.deepEqual(row.wallSeconds, { seconds: (WALL_SECONDS[3] / 3) * 2, partial: true });
    assert.ok(html.includes('stopped: stopped by the user'));
    assert.ok(html.includes('not recorded (no summary.json: the run did not finish)'));
  } finally {
    removeExperiment(partialDir);
  }
});

test('two models: one set of curves and one CE-vs-scaled-BN pair per model, in the config order', () => {
  const twoModels = validateConfig({ ...config, name: 'two-models', models: [{ name: 'resnet18', width: 0.25 }, { name: 'simple-cnn' }], losses: [{ name: 'scaled-bn', m: 1 }, { name: 'ce' }] });
  const twoDir = writeExperiment({ config: twoModels });
  try {
    const { model, figures, html } = buildReport(twoDir, { script, now: NOW });
    assert.deepEqual(
      model.curves.map((c) => c.title),
      ['ResNet-18 ×0.25', 'Simple CNN'],
    );
    assert.deepEqual(
      model.diagnostics.map((d) => d.title),
      ['ResNet-18 ×0.25: CE vs Scaled-BN m=1, seed 1', 'Simple CNN: CE vs Scaled-BN m=1, seed 1'],
    );
    assert.deepEqual(model.table.rows, ['Scaled-BN m=1', 'CE']);
    assert.equal(figures.length, 1 + 2 * 4 + 2 * 2);
    assert.equal(new Set(figures.map((f) => f.file)).size, figures.length, 'unique file names');
    assert.equal(new Set(figures.flatMap((f) => (f.canvasId ? [f.canvasId] : []))).size, figures.length - 1, 'unique canvases');
    assert.ok(figures.some((f) => f.file === 'curves-resnet-18-x0.25-test-acc.png'));
    assert.equal((html.match(/<td class="num"[^>]*data-best="true"/g) ?? []).length, 0, 'two seeds cannot tell a best from the runner-up');
    assert.match(html, /best within noise of the runner-up: ResNet-18 ×0\.25, Simple CNN/);
  } finally {
    removeExperiment(twoDir);
  }
});

test('a folder without runs is a ReportError', () => {
  const empty = fs.mkdtempSync(path.join(path.dirname(dir), 'empty-'));
  assert.throws(() => buildReport(empty, { script }), ReportError);
});

test('helpers: slugs, durations, readable JSON, script-safe JSON', () => {
  assert.equal(slug('Simple CNN ×0.25'), 'simple-cnn-x0.25');
  assert.equal(slug('ResNet-18 (CIFAR-100)'), 'resnet-18-cifar-100');
  assert.equal(formatDuration(4.25), '4.3 s');
  assert.equal(formatDuration(59.99), '1 min 00 s');
  assert.equal(formatDuration(304.157), '5 min 04 s');
  assert.equal(formatDuration(7380), '2 h 03 min');
  assert.equal(readableJson({ a: [1, 2], b: 'x, "y": z' }), '{ "a": [1, 2], "b": "x, \\"y\\": z" }');
  assert.equal(readableJson({ long: 'x'.repeat(100), n: [1] }), `{\n  "long": "${'x'.repeat(100)}",\n  "n": [1]\n}`);
  assert.equal(JSON.parse(scriptJson({ s: '</script><!--' })).s, '</script><!--');
  assert.ok(!scriptJson({ s: '</script>' }).includes('</'));
});

test('diagnostic runs: CE next to the scaled-BN run of the same seed, else two different losses', () => {
  const run = (runId: string, [lossName, lossLabel]: [string, string], seed: number, diag = true) =>
    ({
      runId,
      lossName,
      lossLabel,
      seed,
      modelLabel: 'M',
      datasetLabel: 'D',
      state: 'done',
      epoch: 1,
      epochs: 1,
      stateText: 'done',
      metrics: [],
      ...(diag ? { weightNorms: { norms: [1] } } : {}),
    }) as RunSnapshot;
  const none = () => undefined;
  const ids = (runs: RunSnapshot[]) => runs.map((r) => r.runId);
  assert.deepEqual(
    ids(diagnosticRuns([run('sbn1', ['scaled-bn', 'Scaled-BN m=1'], 1), run('ce2', ['ce', 'CE'], 2), run('sbn2', ['scaled-bn', 'Scaled-BN m=1'], 2), run('ce1', ['ce', 'CE'], 1, false)], none)),
    ['ce2', 'sbn2'],
  );
  assert.deepEqual(
    ids(diagnosticRuns([run('am', ['am-softmax', 'AM-Softmax s=7.5 m=0.35'], 1), run('am2', ['am-softmax', 'AM-Softmax s=7.5 m=0.35'], 2), run('pe', ['pedcc', 'PEDCC s=7.5 m=0.35'], 1)], none)),
    ['am', 'pe'],
  );
  assert.deepEqual(ids(diagnosticRuns([run('ce', ['ce', 'CE'], 1)], none)), ['ce']);
  assert.deepEqual(ids(diagnosticRuns([run('ce', ['ce', 'CE'], 1, false)], none)), []);
});
