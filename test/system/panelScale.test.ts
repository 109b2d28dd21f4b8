// The results panel at paper scale: a generated 72-run × 100-epoch experiment (2,300 step points
// a run) read by the host, posted as the host posts it, drawn by the real page bundle in headless
// Chromium. Behaviour, not timing: what is posted and drawn stays bounded by what the charts show.
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readPanelSnapshot } from '../../src/host/combinedSnapshot';
import { PanelSync } from '../../src/extension/results/panelSync';
import { decimateSteps } from '../../src/extension/results/stepPayload';
import { WEBVIEW_PROTOCOL_VERSION, type FromWebview, type ToWebview } from '../../src/protocol/webview';
import { PAPER_SCALE, writePanelExperiment } from '../../bench/panelExperiment';
import { drawnPoints, openPanelPage, type PanelPage } from '../../bench/panelPage';
import { tempDir } from './helpers';

const RUNS = 72;
const EPOCHS = PAPER_SCALE.epochs;
/** 8 losses × 3 models: 24 groups of 3 seeds, each a band of two lines. */
const BAND_LINES = 24 * 2;
const root = tempDir('losslab-panel-scale-');
let panel: PanelPage;
let init: ToWebview;
/** The same runs with every step point, as runs that still train are sent. */
let whole: ToWebview;
let initBytes = 0;

before(async () => {
  fs.mkdirSync('dist', { recursive: true });
  if (!fs.existsSync('dist/webview.js')) throw new Error("dist/webview.js is missing: run 'npm run build' first");
  const { dir, runs } = writePanelExperiment(root);
  assert.equal(runs, RUNS);
  const snapshot = readPanelSnapshot([dir], undefined, { steps: true });
  const steps = new Map(snapshot.runs.map((r) => [r.runId, r.steps ?? []]));
  init = new PanelSync().init(snapshot);
  whole = { type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot };
  initBytes = JSON.stringify(init).length;
  // Answered as ResultsPanel answers it.
  const answer = (msg: FromWebview): ToWebview | undefined =>
    msg.type === 'steps'
      ? {
          type: 'steps',
          requestId: msg.requestId,
          runs: msg.runIds.map((runId) => ({ runId, steps: decimateSteps(steps.get(runId) ?? [], msg.buckets, msg.from !== undefined ? { min: msg.from, max: msg.to ?? Infinity } : undefined) })),
        }
      : undefined;
  panel = await openPanelPage(answer);
  await panel.page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), init);
  await panel.page.waitForFunction(() => Number(document.getElementById('chart-test-acc')?.dataset.points) > 0);
});

after(async () => {
  await panel?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('init carries the runs without their 165,600 step points, each run saying how many it has', () => {
  assert.ok(init.type === 'init');
  for (const run of init.snapshot.runs) {
    assert.equal(run.steps, undefined, run.runId);
    assert.deepEqual(run.stepInfo, { count: EPOCHS * PAPER_SCALE.stepsPerEpoch, stepsPerEpoch: PAPER_SCALE.stepsPerEpoch });
  }
  assert.ok(initBytes < 2_000_000, `${initBytes} bytes posted on open`);
});

test('on the epoch axis every chart draws each run’s epoch points and each group’s band, no step points', async () => {
  const drawn = await drawnPoints(panel.page);
  // 72 lines of 100 epoch points, 48 band edges of 100.
  for (const id of ['chart-test-acc', 'chart-train-acc', 'chart-train-loss', 'chart-test-loss']) assert.equal(drawn[id], RUNS * EPOCHS + BAND_LINES * EPOCHS, id);
});

test('8 loss settings put the legend beside the plot, and the run table scrolls on its own', async () => {
  const { legend, table, curvesTop, viewport } = await panel.page.evaluate(() => {
    const wrap = document.getElementById('run-table')!.parentElement!;
    return {
      legend: document.getElementById('chart-train-loss')!.dataset.legend,
      table: { client: wrap.clientHeight, scroll: wrap.scrollHeight },
      curvesTop: document.getElementById('curves-heading')!.getBoundingClientRect().top,
      viewport: window.innerHeight,
    };
  });
  assert.equal(legend, 'right');
  assert.ok(table.scroll > table.client && table.client <= viewport * 0.4 + 1, JSON.stringify(table));
  assert.ok(curvesTop < viewport, `the curves start ${curvesTop}px down a ${viewport}px window`);
});

test('the step axis asks for the step points once, and draws them decimated to the chart’s width', async () => {
  const { page, posted } = panel;
  const asked = posted.filter((m) => m.type === 'steps').length;
  await page.selectOption('#x-axis', 'step');
  await page.waitForFunction(() => document.getElementById('chart-train-loss')?.dataset.xAxis === 'step');
  await page.waitForFunction((epochOnly) => Number(document.getElementById('chart-train-loss')?.dataset.points) > epochOnly, RUNS * EPOCHS + BAND_LINES * EPOCHS);
  const requests = posted.filter((m): m is Extract<FromWebview, { type: 'steps' }> => m.type === 'steps').slice(asked);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].runIds.length, RUNS);
  const width = await page.evaluate(() => document.getElementById('chart-train-loss')!.clientWidth);
  assert.ok(requests[0].buckets <= width, `${requests[0].buckets} buckets for a ${width}px chart`);
  const drawn = (await drawnPoints(page))['chart-train-loss'];
  // Min and max of two-pixel buckets, plus the edges: at most about a point per pixel per line.
  assert.ok(drawn <= (RUNS + BAND_LINES) * (width + 4), `${drawn} points drawn in ${width}px`);
  await page.selectOption('#x-axis', 'epoch');
  await page.waitForFunction((epochOnly) => Number(document.getElementById('chart-train-loss')?.dataset.points) === epochOnly, RUNS * EPOCHS + BAND_LINES * EPOCHS);
});

test('runs sent with all their step points are drawn decimated to the chart’s width too', async () => {
  const { page } = panel;
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), whole);
  // The train charts draw step points on the epoch axis when the runs came with them.
  await page.waitForFunction((epochOnly) => Number(document.getElementById('chart-train-loss')?.dataset.points) > epochOnly, RUNS * EPOCHS + BAND_LINES * EPOCHS);
  const width = await page.evaluate(() => document.getElementById('chart-train-loss')!.clientWidth);
  const drawn = (await drawnPoints(page))['chart-train-loss'];
  assert.ok(drawn <= (RUNS + BAND_LINES) * (width + 4), `${drawn} of ${RUNS * EPOCHS * PAPER_SCALE.stepsPerEpoch} points drawn in ${width}px`);
});
